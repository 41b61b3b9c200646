//go:build !purego

package mdnsimd

import (
	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
	"github.com/mdnsimd/mdnsimd/kernels"
)

// expNEON sets dst[i] = kernels.Exp32(x[i]) (to within the rounding of a
// hardware fused multiply-add); len(dst) ≥ len(x):
//
//	for i, v := range x {
//		dst[i] = kernels.Exp32(v)
//	}
//
//go:noescape
func expNEON(dst, x []float32)

// tanhNEON sets dst[i] = kernels.Tanh32(x[i]); len(dst) ≥ len(x):
//
//	for i, v := range x {
//		dst[i] = kernels.Tanh32(v)
//	}
//
//go:noescape
func tanhNEON(dst, x []float32)

// logNEON sets dst[i] = kernels.Log32(x[i]); len(dst) ≥ len(x). The
// kernels use its macro; the function itself serves the tests.
//
//	for i, v := range x {
//		dst[i] = kernels.Log32(v)
//	}
//
//go:noescape
func logNEON(dst, x []float32)

func tanh(dst, x []float32) {
	if cpufeat.HasNEON {
		tanhNEON(dst, x)
		return
	}
	kernels.Tanh(dst, x)
}

func exp(dst, x []float32) {
	if cpufeat.HasNEON {
		expNEON(dst, x)
		return
	}
	kernels.Exp(dst, x)
}

func logSumExp(x []float32) float32 {
	if cpufeat.HasNEON {
		return softmaxNEON(nil, x, 1, len(x), 2)
	}
	return kernels.LogSumExp(x)
}
