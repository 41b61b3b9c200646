#!/usr/bin/env bash
# Fuzz every target of this package in turn.
#
#   fuzz/run.sh [TIME] [purego]
#
# TIME is each target's -fuzztime (default 10s; "5000x" counts executions
# instead). With "purego" the targets run with -tags purego (the generic
# kernels alone). Failing inputs are written to testdata/fuzz/<Target>/ as
# usual; the script goes on with the other targets, prints one line per
# target (executions, new corpus entries, result) and exits non-zero if
# any target failed. Set MDNSIMD_FUZZ_LOG to a directory to keep each
# target's full output.
set -uo pipefail
cd "$(dirname "$0")"
export PATH=$PATH:/usr/local/go/bin
time=${1:-10s}
tags=()
label=native
if [ "${2:-}" = purego ]; then tags=(-tags purego); label=purego; fi
log=${MDNSIMD_FUZZ_LOG:-$(mktemp -d)}
mkdir -p "$log"

targets=$(go test "${tags[@]}" -list '^Fuzz' . | grep '^Fuzz') || { echo "cannot list targets"; exit 1; }
failed=()
start=$SECONDS
for t in $targets; do
  out="$log/$t.$label.txt"
  t0=$SECONDS
  before=$(ls "testdata/fuzz/$t" 2>/dev/null | wc -l)
  go test "${tags[@]}" -run '^$' -fuzz "^$t\$" -fuzztime "$time" . >"$out" 2>&1
  rc=$?
  note=
  # Go's fuzz coordinator can report its own -fuzztime deadline as a
  # failure with no failing input (go.dev/issue/75804, fixed in Go 1.27);
  # on a loaded two-core host that happens to about one target in ten, and
  # twice in a row now and then. Run such a target again, up to four more
  # times; a real failure writes an input, which ends the retries.
  tries=0
  while [ $rc -ne 0 ] && [ $tries -lt 4 ] && grep -q '^    context deadline exceeded$' "$out" &&
    [ "$(ls "testdata/fuzz/$t" 2>/dev/null | wc -l)" -eq "$before" ]; do
    tries=$((tries + 1))
    mv "$out" "$out.deadline$tries"
    go test "${tags[@]}" -run '^$' -fuzz "^$t\$" -fuzztime "$time" . >"$out" 2>&1
    rc=$?
    note="(run $((tries + 1)) times: the fuzz coordinator's deadline race, go.dev/issue/75804)"
  done
  last=$(grep '^fuzz: elapsed' "$out" | tail -1)
  execs=$(sed -n 's/.*execs: \([0-9]*\).*/\1/p' <<<"$last")
  new=$(sed -n 's/.*new interesting: \([0-9]*\).*/\1/p' <<<"$last")
  if [ $rc -eq 0 ]; then res=ok; else res=FAIL; failed+=("$t"); fi
  printf '%-28s %-6s %4ds  execs %10s  new %4s  %s %s\n' "$t" "$label" $((SECONDS - t0)) "${execs:-?}" "${new:-?}" "$res" "$note"
  if [ $rc -ne 0 ]; then grep -v '^fuzz: elapsed' "$out" | tail -25 | sed 's/^/    /'; fi
done
echo "fuzz ($label, $time per target): $((SECONDS - start))s, ${#failed[@]} failed ${failed[*]:-}"
[ ${#failed[@]} -eq 0 ]
