#!/usr/bin/env bash
# Instructions per call of the main kernels, counted by valgrind's callgrind:
# repeatable on a busy machine where timings are not. Each kernel's exported
# function is counted (callees included) in a run of N1 and of N2 benchmark
# iterations; the difference over N2−N1 is one call. Instructions are not
# time (a vdivps costs more than a vaddps), so compare them only between
# versions of the same kernel.
#
# usage: bench/instr.sh [bench-regexp]   (needs valgrind; default: all below)
set -euo pipefail
cd "$(dirname "$0")"
command -v valgrind >/dev/null || { echo "instr.sh: valgrind not installed (apt-get install valgrind)" >&2; exit 1; }
filter=${1:-.}
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
# No inlining in the bench package, so each exported kernel is a call that
# callgrind can toggle on.
go test -c -gcflags=github.com/mdnsimd/mdnsimd/bench=-l -o "$bin/bench.test" .

n1=5 n2=25
# benchmark | function | work units per call | unit
cases=(
  "Tanh/size=4096/impl=mdnsimd|Tanh|4096|elem"
  "Exp/size=4096/impl=mdnsimd|Exp|4096|elem"
  "LogSumExp/size=4096/impl=mdnsimd|LogSumExp|4096|elem"
  "Softmax/size=1000x5/impl=mdnsimd|Softmax|5000|elem"
  "LinearTanh/size=1000x1x20/impl=mdnsimd|LinearTanh|20000|output"
  "Linear/size=1000x20x15/impl=mdnsimd|Linear|300000|FMA"
  "LinearTanh/size=256x256x256/impl=mdnsimd|LinearTanh|16777216|FMA"
  "LinearTanhGradWeights/size=256x256x256/impl=mdnsimd|LinearTanhGradWeights|16777216|FMA"
  "LinearGradInput/size=256x256x256/impl=mdnsimd|LinearGradInput|16777216|FMA"
  "MixtureNLLGrad/size=1000x5x1/impl=mdnsimd|MixtureNLLGrad|5000|row×comp"
  "MixtureNLLGrad/size=10000x20x4/impl=mdnsimd|MixtureNLLGrad|200000|row×comp"
)
count() { # bench function iterations
  local pat
  pat="^Benchmark$(sed 's#/#$/^#g' <<<"$1")\$"
  GODEBUG=asyncpreemptoff=1 valgrind --tool=callgrind --callgrind-out-file=/dev/null \
    --toggle-collect="github.com/mdnsimd/mdnsimd.$2" "$bin/bench.test" \
    -test.run '^$' -test.bench "$pat" -test.benchtime="$3x" 2>&1 >/dev/null |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
printf '| kernel | instructions per call | per unit |\n| --- | --- | --- |\n'
for c in "${cases[@]}"; do
  IFS='|' read -r bench fn units unit <<<"$c"
  [[ $bench =~ $filter ]] || continue
  a=$(count "$bench" "$fn" $n1)
  b=$(count "$bench" "$fn" $n2)
  if [ -z "$a" ] || [ -z "$b" ] || [ "$b" = 0 ]; then
    printf '| %s | (not counted) | |\n' "$bench"
    continue
  fi
  awk -v a="$a" -v b="$b" -v n=$((n2 - n1)) -v u="$units" -v name="$bench" -v unit="$unit" \
    'BEGIN { per = (b - a) / n; printf "| %s | %.0f | %.3f per %s |\n", name, per, per / u, unit }'
done
