//go:build !purego

package mdnsimd

//go:noescape
func expAVX512(dst, x []float32)

//go:noescape
func expMemAVX512(dst, x []float32)

//go:noescape
func tanhMemAVX512(dst, x []float32)

//go:noescape
func logAVX512(dst, x []float32)

//go:noescape
func tanhAVX512(dst, x []float32)

// maxAVX512 returns the largest element of x that is not NaN, −Inf if there
// is none (x empty, or only −Inf and NaN):
//
//	m := float32(math.Inf(-1))
//	for _, v := range x {
//		if v > m {
//			m = v
//		}
//	}
//	return m
//
//go:noescape
func maxAVX512(x []float32) float32

// sumExpAVX512 returns Σ e^(x[i]−m), summed in 32 interleaved partial sums:
//
//	var s float32
//	for _, v := range x {
//		s += kernels.Exp32(v - m)
//	}
//	return s
//
//go:noescape
func sumExpAVX512(x []float32, m float32) float32
