//go:build !purego

package mdnsimd

import (
	"math"

	"github.com/mdnsimd/mdnsimd/kernels"
)

func softmax(dst, x []float32, rows, cols int) {
	if !useAVX2FMA {
		kernels.Softmax(dst, x, rows, cols)
		return
	}
	for r := 0; r < rows; r++ {
		xs, ds := x[r*cols:(r+1)*cols], dst[r*cols:(r+1)*cols]
		m := maxAVX2(xs)
		if m != m || math.IsInf(float64(m), 0) {
			fillNaN(ds) // NaN or +Inf in the row, or all −Inf
			continue
		}
		s := expSubSumAVX2(ds, xs, m)
		scaleAVX2(ds, 1/s)
	}
}

func logSoftmax(dst, x []float32, rows, cols int) {
	if !useAVX2FMA {
		kernels.LogSoftmax(dst, x, rows, cols)
		return
	}
	for r := 0; r < rows; r++ {
		xs, ds := x[r*cols:(r+1)*cols], dst[r*cols:(r+1)*cols]
		m := maxAVX2(xs)
		if m != m || math.IsInf(float64(m), 0) {
			fillNaN(ds)
			continue
		}
		l := kernels.Log32(sumExpAVX2(xs, m))
		subSubAVX2(ds, xs, m, l)
	}
}

func fillNaN(s []float32) {
	nan := float32(math.NaN())
	for i := range s {
		s[i] = nan
	}
}

// expSubSumAVX2 sets dst[i] = e^(x[i]−m) and returns their sum, summed in 16
// interleaved partial sums (len(dst) ≥ len(x)):
//
//	var s float32
//	for i, v := range x {
//		dst[i] = kernels.Exp32(v - m)
//		s += dst[i]
//	}
//	return s
//
//go:noescape
func expSubSumAVX2(dst, x []float32, m float32) float32

// scaleAVX2 multiplies every element of dst by s:
//
//	for i := range dst {
//		dst[i] *= s
//	}
//
//go:noescape
func scaleAVX2(dst []float32, s float32)

// subSubAVX2 sets dst[i] = (x[i] − m) − l (len(dst) ≥ len(x)):
//
//	for i, v := range x {
//		dst[i] = (v - m) - l
//	}
//
//go:noescape
func subSubAVX2(dst, x []float32, m, l float32)
