//go:build !purego

package mdnsimd

import (
	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
	"github.com/mdnsimd/mdnsimd/kernels"
)

func softmax(dst, x []float32, rows, cols int) {
	if cpufeat.HasAVX2FMA {
		softmaxRowsAVX2(dst, x, rows, cols, false)
		return
	}
	kernels.Softmax(dst, x, rows, cols)
}

func logSoftmax(dst, x []float32, rows, cols int) {
	if cpufeat.HasAVX2FMA {
		softmaxRowsAVX2(dst, x, rows, cols, true)
		return
	}
	kernels.LogSoftmax(dst, x, rows, cols)
}

// softmaxRowsAVX2 computes kernels.Softmax (log false) or kernels.LogSoftmax
// (log true) over rows × cols, len(dst) and len(x) ≥ rows·cols. Per row, with
// Σ summed in 8 interleaved partial sums:
//
//	m := max(x[r]) // NaN if any element is NaN
//	if m is NaN or ±Inf {
//		dst[r][j] = NaN for every j
//	} else if !log {
//		dst[r][j] = e_j · (1/Σ e), e_j = kernels.Exp32(x[r][j] − m)
//	} else {
//		dst[r][j] = (x[r][j] − m) − kernels.Log32(Σ e)
//	}
//
//go:noescape
func softmaxRowsAVX2(dst, x []float32, rows, cols int, log bool)
