//go:build !purego

package mdnsimd

import (
	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
	"math"

	"github.com/mdnsimd/mdnsimd/kernels"
)

func tanh(dst, x []float32) {
	if cpufeat.HasAVX512 {
		tanhAVX512(dst, x)
		return
	}
	if cpufeat.HasAVX2FMA {
		tanhAVX2(dst, x)
		return
	}
	kernels.Tanh(dst, x)
}

func exp(dst, x []float32) {
	if cpufeat.HasAVX512 {
		expAVX512(dst, x)
		return
	}
	if cpufeat.HasAVX2FMA {
		expAVX2(dst, x)
		return
	}
	kernels.Exp(dst, x)
}

func logSumExp(x []float32) float32 {
	var m, s float32
	switch {
	case cpufeat.HasAVX512 && len(x) > lseShort:
		m, s = lseAVX512(x) // NaN elements passed over in m
		if math.IsInf(float64(m), 0) {
			// +Inf, or −Inf for empty / all −Inf, unless an element is NaN.
			for _, v := range x {
				if v != v {
					return v
				}
			}
			return m
		}
		// With m finite, a NaN element makes the sum NaN.
	case cpufeat.HasAVX2FMA:
		m = maxAVX2(x)
		if m != m || math.IsInf(float64(m), 0) {
			return m // NaN, +Inf, or −Inf for empty / all −Inf
		}
		s = sumExpAVX2(x, m)
	default:
		return kernels.LogSumExp(x)
	}
	// log s by the vector kernel on one lane: kernels.Log32's bits, without
	// the latency of its float64 steps (49 against 58 ns for LogSumExp of 5
	// elements on an Intel Xeon, family 6 model 207).
	v := [1]float32{s}
	logAVX2(v[:], v[:])
	return m + v[0]
}

// tanhAVX2 sets dst[i] = kernels.Tanh32(x[i]) (len(dst) ≥ len(x)):
//
//	for i, v := range x {
//		dst[i] = kernels.Tanh32(v)
//	}
//
//go:noescape
func tanhAVX2(dst, x []float32)

// expAVX2 sets dst[i] = kernels.Exp32(x[i]) (len(dst) ≥ len(x)):
//
//	for i, v := range x {
//		dst[i] = kernels.Exp32(v)
//	}
//
//go:noescape
func expAVX2(dst, x []float32)

// logAVX2 sets dst[i] = kernels.Log32(x[i]) (len(dst) ≥ len(x)):
//
//	for i, v := range x {
//		dst[i] = kernels.Log32(v)
//	}
//
//go:noescape
func logAVX2(dst, x []float32)

// maxAVX2 returns the largest element of x, NaN if any element is NaN, −Inf
// if x is empty:
//
//	m := float32(math.Inf(-1))
//	for _, v := range x {
//		if v > m || v != v {
//			m = v
//		}
//	}
//	return m
//
//go:noescape
func maxAVX2(x []float32) float32

// sumExpAVX2 returns Σ e^(x[i]−m), summed in 16 interleaved partial sums:
//
//	var s float32
//	for _, v := range x {
//		s += kernels.Exp32(v - m)
//	}
//	return s
//
//go:noescape
func sumExpAVX2(x []float32, m float32) float32

// lseShort is the longest x for which the avx512 path's LogSumExp takes
// the AVX2 kernels (the maximum, then the sum): for a vector or two the
// AVX-512 kernel's constants and 16-lane reductions cost more than the
// second pass saves. On an Intel Xeon (family 6 model 207), 5 elements
// took 82 ns on the AVX-512 kernel against 58 on the AVX2 ones, 20
// elements 88 against 64, and 64 elements the same on both.
const lseShort = 32
