#!/usr/bin/env bash
# Reproduces the README's performance table on this machine:
#   1. the Go benchmarks of this package, mdnsimd's rows on every kernel path
#      the CPU runs (impl=avx512 and impl=avx2fma on an AVX-512 CPU),
#   2. the training and prediction benchmarks again built with -tags purego
#      (the generic path),
#   3. the anchors where their Debian packages are installed (each is skipped
#      with a message otherwise): anchors/kernels.c (OpenBLAS sgemm, SLEEF
#      expf/tanhf, AVX2 and AVX-512, the FMA peaks; libopenblas-dev
#      libsleef-dev, x86-64 with AVX2+FMA), anchors/onednn.cpp (libdnnl-dev,
#      g++), anchors/pytorch_mdn.py (python3-torch), all on one thread and
#      unrestricted: on a CPU with AVX-512 they use it, and they are the
#      comparison. OpenBLAS is told its AVX-512 kernels there
#      (OPENBLAS_CORETYPE, printed; Debian's 0.3.21 does not know the newest
#      CPUs and would take its SSE3 ones). The GEMM anchors then run a second
#      time limited to AVX2 (impl names ending -avx2), for reference,
#   4. cmd/report: the CPU (brand, features, chosen path), one table per
#      benchmark, the ratio targets and a PNG plot.
#
# usage: bench/run.sh [-install]
#   -install      apt-get install the anchors' packages first (needs root)
# environment:
#   BENCHTIME     go test -benchtime (default 500ms; anchors use the same time)
#   COUNT         go test -count (default 1); the report takes medians
#   BENCH         go test -bench regexp for step 1 (default .)
#   OUT           directory for the raw outputs, report.md and throughput.png
#                 (default bench/out)
#   ANCHOR_CORETYPE  OpenBLAS core for the anchors (default on an AVX-512 CPU:
#                 Cooperlake or SkylakeX, replacing an inherited
#                 OPENBLAS_CORETYPE)
#
# Every measuring step holds /tmp/mdnsimd-bench.lock, so two runs on one
# machine never overlap. Compare figures only within one run.
set -euo pipefail
cd "$(dirname "$0")"
benchtime=${BENCHTIME:-500ms}
count=${COUNT:-1}
bench=${BENCH:-.}
out=${OUT:-out}
mkdir -p "$out"
rm -f "$out"/*.txt

if [ "${1:-}" = -install ]; then
  need=()
  for p in libopenblas-dev libsleef-dev libdnnl-dev g++ python3-torch; do
    dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
  done
  if [ ${#need[@]} -gt 0 ]; then
    echo "installing ${need[*]}" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  fi
fi

locked() {
  if command -v flock >/dev/null; then flock /tmp/mdnsimd-bench.lock "$@"; else "$@"; fi
}

# benchtime in seconds for the anchors ("500ms" -> 0.5, "2s" -> 2; "Nx" -> 0.2)
case $benchtime in
  *ms) secs=$(awk "BEGIN{print ${benchtime%ms}/1000}") ;;
  *s) secs=${benchtime%s} ;;
  *) secs=0.2 ;;
esac

echo "== go test -bench '$bench' (every kernel path)" >&2
locked go test -run '^$' -bench "$bench" -benchtime "$benchtime" -count "$count" . | tee "$out/go.txt" >&2

echo "== go test -tags purego -bench 'Epoch|Predict|LogLik|Sample|Query' (generic path)" >&2
locked go test -tags purego -run '^$' -bench 'Epoch|Predict|LogLik|Sample|Query' -benchtime "$benchtime" -count "$count" . |
  tee "$out/go-purego.txt" >&2

export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
# Debian's OpenBLAS 0.3.21 does not know the newest Xeons and EPYCs and falls
# back to its SSE3 ("Prescott") kernels there, at a fraction of what a user of
# a current OpenBLAS gets. On an AVX-512 CPU the anchor is its AVX-512
# kernels (Cooperlake where the CPU has AVX512-BF16, else SkylakeX), also
# over an OPENBLAS_CORETYPE inherited from the environment (a machine-wide
# setting would otherwise decide the comparison unseen); ANCHOR_CORETYPE
# names another core on purpose.
if grep -qw avx512f /proc/cpuinfo 2>/dev/null; then
  core=SkylakeX
  if grep -qw avx512_bf16 /proc/cpuinfo; then core=Cooperlake; fi
  core=${ANCHOR_CORETYPE:-$core}
  if [ -n "${OPENBLAS_CORETYPE:-}" ] && [ "$OPENBLAS_CORETYPE" != "$core" ]; then
    echo "anchors: replacing the inherited OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE (set ANCHOR_CORETYPE to choose)" >&2
  fi
  export OPENBLAS_CORETYPE=$core
elif [ -n "${ANCHOR_CORETYPE:-}" ]; then
  export OPENBLAS_CORETYPE=$ANCHOR_CORETYPE
fi
echo "anchors: OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-(unset: OpenBLAS picks its kernels)}" | tee "$out/anchors-env.txt" >&2
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT

if [ "$(uname -m)" = x86_64 ] && grep -qw avx2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo; then
  if ${CC:-cc} -O2 -mavx2 -mfma anchors/kernels.c -o "$build/kernels" -lopenblas -lsleef -lm 2>"$build/cc.log"; then
    echo "== anchors/kernels.c (OpenBLAS, SLEEF; OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset})" >&2
    locked "$build/kernels" "$secs" "$count" | tee "$out/anchors-c.txt" >&2
    if grep -qw avx512f /proc/cpuinfo; then
      echo "== anchors/kernels.c GEMMs with OpenBLAS's AVX2 kernels (OPENBLAS_CORETYPE=Haswell)" >&2
      OPENBLAS_CORETYPE=Haswell locked "$build/kernels" "$secs" "$count" avx2 | tee "$out/anchors-c-avx2.txt" >&2
    fi
  else
    echo "-- skipped anchors/kernels.c: it does not build (install libopenblas-dev libsleef-dev):" >&2
    head -3 "$build/cc.log" >&2
  fi
else
  echo "-- skipped anchors/kernels.c: needs x86-64 with AVX2 and FMA" >&2
fi

if ${CXX:-c++} -O2 anchors/onednn.cpp -o "$build/onednn" -ldnnl 2>"$build/cxx.log"; then
  echo "== anchors/onednn.cpp" >&2
  locked "$build/onednn" "$secs" "$count" | tee "$out/anchors-onednn.txt" >&2
  if grep -qw avx512f /proc/cpuinfo 2>/dev/null; then
    echo "== anchors/onednn.cpp limited to AVX2 (ONEDNN_MAX_CPU_ISA=AVX2)" >&2
    ONEDNN_MAX_CPU_ISA=AVX2 locked "$build/onednn" "$secs" "$count" avx2 | tee "$out/anchors-onednn-avx2.txt" >&2
  fi
else
  echo "-- skipped anchors/onednn.cpp: it does not build (install libdnnl-dev g++):" >&2
  head -3 "$build/cxx.log" >&2
fi

# Debian's python3-torch lives under the system interpreter.
py=/usr/bin/python3
[ -x "$py" ] || py=python3
if "$py" -c 'import torch' 2>/dev/null; then
  echo "== anchors/pytorch_mdn.py" >&2
  locked "$py" anchors/pytorch_mdn.py -benchtime "$(awk "BEGIN{print ($secs < 1) ? 1 : $secs}")" -count "$count" |
    tee "$out/anchors-pytorch.txt" >&2
  echo "== anchors/pytorch_mdn.py -predict" >&2
  locked "$py" anchors/pytorch_mdn.py -predict -benchtime "$secs" -count "$count" |
    tee "$out/anchors-pytorch-predict.txt" >&2
else
  echo "-- skipped anchors/pytorch_mdn.py: no torch module (install python3-torch)" >&2
fi

go run ./cmd/report -plot "$out/throughput.png" \
  -note "Produced by \`bench/run.sh\` with BENCHTIME=$benchtime COUNT=$count (medians over COUNT runs)." \
  "$out"/*.txt | tee "$out/report.md"
