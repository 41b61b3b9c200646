#!/usr/bin/env bash
# Checks every hand-encoded instruction in the arm64 assembly: each line of
# the form
#
#	WORD $0x4e22d420 // fadd v0.4s, v1.4s, v2.4s
#	WORD $0x4e22d420 /* fadd v0.4s, v1.4s, v2.4s */ \      (inside a #define)
#
# has its mnemonic assembled by GNU as for aarch64 and the result compared
# with the word. Exits non-zero on any mismatch, on a WORD without a
# mnemonic, or on a mnemonic the assembler rejects.
#
# Usage: scripts/check-arm64-words.sh [-fix] [files...]
#   Files default to every *_arm64.s and *_arm64.h tracked or present in the
#   repository. -fix rewrites each WORD with the assembler's encoding instead
#   of reporting the mismatch (the mnemonic is the source of truth).
# Needs aarch64-linux-gnu-as and aarch64-linux-gnu-objdump (Debian package
# binutils-aarch64-linux-gnu).
set -euo pipefail

fix=0
if [ "${1:-}" = "-fix" ]; then fix=1; shift; fi
args=()
for a in "$@"; do args+=("$(realpath "$a")"); done
cd "$(dirname "$0")/.."
AS=${AS:-aarch64-linux-gnu-as}
OBJDUMP=${OBJDUMP:-aarch64-linux-gnu-objdump}
for t in "$AS" "$OBJDUMP"; do
	command -v "$t" >/dev/null || { echo "$t not found (apt-get install binutils-aarch64-linux-gnu)" >&2; exit 2; }
done

if [ ${#args[@]} -eq 0 ]; then
	mapfile -t files < <(find . -path ./.git -prune -o -type f \( -name '*_arm64.s' -o -name '*_arm64.h' \) -print | sed 's|^\./||' | sort)
else
	files=("${args[@]}")
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# One record per WORD: file, line, word, mnemonic (tab separated).
for f in "${files[@]}"; do
	awk -v f="$f" '
	/WORD[ \t]+\$/ {
		line = $0
		if (!match(line, /WORD[ \t]+\$0[xX][0-9a-fA-F]+/)) {
			printf "%s\t%d\t-\t\n", f, NR; next
		}
		w = substr(line, RSTART, RLENGTH); sub(/.*\$0[xX]/, "", w)
		rest = substr(line, RSTART + RLENGTH)
		m = ""
		if (match(rest, /\/\/.*/)) { m = substr(rest, RSTART + 2) }
		else if (match(rest, /\/\*.*\*\//)) { m = substr(rest, RSTART + 2, RLENGTH - 4) }
		gsub(/^[ \t]+|[ \t]+$/, "", m)
		printf "%s\t%d\t%s\t%s\n", f, NR, tolower(w), m
	}' "$f"
done >"$tmp/words"

n=$(wc -l <"$tmp/words")
if [ "$n" -eq 0 ]; then echo "no WORD directives found in ${files[*]}"; exit 0; fi

bad=0
: >"$tmp/in.s"
while IFS=$'\t' read -r f l w m; do
	if [ -z "$m" ] || [ "$w" = "-" ]; then
		echo "$f:$l: WORD without a hex word and a mnemonic comment" >&2
		bad=1
		m="nop"
	fi
	printf '%s\n' "$m" >>"$tmp/in.s"
done <"$tmp/words"
if ! "$AS" -o "$tmp/out.o" "$tmp/in.s" 2>"$tmp/as.err"; then
	# Map the assembler's line numbers back to the source lines.
	while IFS= read -r e; do
		if [[ $e =~ :([0-9]+):\ (.*)$ ]]; then
			rec=$(sed -n "${BASH_REMATCH[1]}p" "$tmp/words")
			echo "$(cut -f1 <<<"$rec"):$(cut -f2 <<<"$rec"): ${BASH_REMATCH[2]}" >&2
		fi
	done <"$tmp/as.err"
	exit 1
fi
"$OBJDUMP" -d "$tmp/out.o" | awk '/^ *[0-9a-f]+:\t[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f] /{ split($0, a, "\t"); gsub(/ /, "", a[2]); print a[2] }' >"$tmp/enc"
if [ "$(wc -l <"$tmp/enc")" -ne "$n" ]; then
	echo "assembled $(wc -l <"$tmp/enc") instructions from $n mnemonics (one mnemonic per WORD expected)" >&2
	exit 1
fi

paste "$tmp/words" "$tmp/enc" >"$tmp/both"
while IFS=$'\t' read -r f l w m e; do
	[ "$w" = "-" ] && continue
	if [ "$w" != "$e" ]; then
		if [ $fix -eq 1 ]; then
			sed -i "${l}s/\\\$0[xX]$w/\$0x$e/" "$f"
			echo "$f:$l: fixed 0x$w -> 0x$e ($m)"
		else
			echo "$f:$l: WORD \$0x$w but '$m' assembles to 0x$e" >&2
			bad=1
		fi
	fi
done <"$tmp/both"

if [ $bad -ne 0 ]; then exit 1; fi
echo "ok: $n WORD encodings in ${#files[@]} files match their mnemonics"
