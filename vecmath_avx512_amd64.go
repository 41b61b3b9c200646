//go:build !purego

package mdnsimd

// The kernels of vecmath_avx512_amd64.s: the AVX2 kernels' results, bit
// for bit, sixteen lanes at a time, the last len(x)%16 through masked loads
// and stores (len(dst) ≥ len(x)).

// expAVX512 sets dst[i] = kernels.Exp32(x[i]), EXP_RES_AVX512:
//
//	for i, v := range x {
//		dst[i] = kernels.Exp32(v)
//	}
//
//go:noescape
func expAVX512(dst, x []float32)

// tanhAVX512 sets dst[i] = kernels.Tanh32(x[i]), TANH_RES_AVX512:
//
//	for i, v := range x {
//		dst[i] = kernels.Tanh32(v)
//	}
//
//go:noescape
func tanhAVX512(dst, x []float32)

// logAVX512 sets dst[i] = kernels.Log32(x[i]) (within the AVX2 kernel's
// bits), LOG_AVX512; for the tests of the macro the mixture kernels use.
//
//go:noescape
func logAVX512(dst, x []float32)

// expMemAVX512 and tanhMemAVX512 are expAVX512 and tanhAVX512 through the
// macros' memory-constant forms, EXP_AVX512 and TANH_AVX512, for their
// tests.
//
//go:noescape
func expMemAVX512(dst, x []float32)

//go:noescape
func tanhMemAVX512(dst, x []float32)

// lseAVX512 returns the largest element of x that is not NaN (−Inf if
// there is none) and, when that is finite, the sum of the exponentials with
// it subtracted, summed in 32 interleaved partial sums (s = 0 otherwise):
//
//	m = float32(math.Inf(-1))
//	for _, v := range x {
//		if v > m {
//			m = v
//		}
//	}
//	if m is finite {
//		for _, v := range x {
//			s += kernels.Exp32(v - m)
//		}
//	}
//	return m, s
//
//go:noescape
func lseAVX512(x []float32) (m, s float32)
