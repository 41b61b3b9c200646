// Package mdnsimd provides float32 numeric kernels for small neural networks:
// vector tanh and exp, log-sum-exp, row softmax and log-softmax, the fused
// linear(+tanh) layer with its backward GEMMs, and the Gaussian mixture
// negative log-likelihood with its fused gradient.
//
// Each kernel is hand-written assembly (AVX2+FMA on amd64, NEON on arm64),
// chosen once at start-up from the CPU's features, with a portable pure-Go
// fallback in package kernels that is also the reference every assembly path
// is tested against. [Impl] names the path in use.
//
// The generic path is selected at build time with -tags purego, or at run
// time with GODEBUG=cpu.avx2=off (amd64) or GODEBUG=cpu.asimd=off (arm64).
//
// Matrices are row-major []float32 with explicit sizes; weights use the
// layout w[out][in]. Every kernel checks its slice lengths and panics with a
// message naming the kernel before any assembly runs. No kernel allocates or
// starts goroutines.
//
// Accuracy against float64 math rounded to float32, over all float32 inputs:
// Exp within 1 ULP, Tanh within 2 ULP (see the README's table and
// cmd/ulpsweep).
package mdnsimd
