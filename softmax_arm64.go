//go:build !purego

package mdnsimd

import (
	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
	"github.com/mdnsimd/mdnsimd/kernels"
)

// softmaxNEON runs the row kernels of kernels/softmax.go and
// kernels.LogSumExp, by mode:
//
//	for r := 0; r < rows; r++ {
//		xs, ds := x[r*cols:(r+1)*cols], dst[r*cols:(r+1)*cols]
//		m := rowMax(xs)
//		s := Σ_j kernels.Exp32(xs[j] - m)
//		switch mode {
//		case 0: // Softmax
//			ds[j] = kernels.Exp32(xs[j]-m) * (1 / s)
//		case 1: // LogSoftmax
//			ds[j] = (xs[j] - m) - kernels.Log32(s)
//		case 2: // LogSumExp, rows == 1, dst unused
//			return m + kernels.Log32(s) // m when m is ±Inf or NaN
//		}
//	}
//
//go:noescape
func softmaxNEON(dst, x []float32, rows, cols, mode int) float32

func softmax(dst, x []float32, rows, cols int) {
	if cpufeat.HasNEON {
		softmaxNEON(dst, x, rows, cols, 0)
		return
	}
	kernels.Softmax(dst, x, rows, cols)
}

func logSoftmax(dst, x []float32, rows, cols int) {
	if cpufeat.HasNEON {
		softmaxNEON(dst, x, rows, cols, 1)
		return
	}
	kernels.LogSoftmax(dst, x, rows, cols)
}
