package kernels

import "math"

// Softmax sets each row of dst (rows × cols) to the softmax of that row of x.
func Softmax(dst, x []float32, rows, cols int) {
	for r := 0; r < rows; r++ {
		xs, ds := x[r*cols:(r+1)*cols], dst[r*cols:(r+1)*cols]
		m := rowMax(xs)
		var s float32
		for j, v := range xs {
			e := float32(math.Exp(float64(v - m)))
			ds[j] = e
			s += e
		}
		inv := 1 / s
		for j := range ds {
			ds[j] *= inv
		}
	}
}

// LogSoftmax sets each row of dst to x[r][j] − LogSumExp(x[r]).
func LogSoftmax(dst, x []float32, rows, cols int) {
	for r := 0; r < rows; r++ {
		xs, ds := x[r*cols:(r+1)*cols], dst[r*cols:(r+1)*cols]
		m := rowMax(xs)
		var s float32
		for _, v := range xs {
			s += float32(math.Exp(float64(v - m)))
		}
		l := m + float32(math.Log(float64(s)))
		for j, v := range xs {
			ds[j] = v - l
		}
	}
}

// rowMax returns the largest element, NaN if any is NaN, −Inf for an empty row.
func rowMax(x []float32) float32 {
	m := float32(math.Inf(-1))
	for _, v := range x {
		if v > m || v != v {
			m = v
		}
	}
	return m
}
