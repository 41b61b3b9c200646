package kernels

import "math"

// Softmax sets each row of dst (rows × cols) to the softmax of that row of x:
// with m the row max, e_j = Exp32(x_j − m), dst_j = e_j · (1/Σe). A row with
// NaN or +Inf, or all −Inf, comes out NaN (x_j − m is NaN somewhere).
func Softmax(dst, x []float32, rows, cols int) {
	for r := 0; r < rows; r++ {
		xs, ds := x[r*cols:(r+1)*cols], dst[r*cols:(r+1)*cols]
		m := rowMax(xs)
		var s float32
		for j, v := range xs {
			e := Exp32(v - m)
			ds[j] = e
			s += e
		}
		inv := 1 / s
		for j := range ds {
			ds[j] *= inv
		}
	}
}

// LogSoftmax sets each row of dst to (x[r][j] − m) − log Σ_j e^(x[r][j]−m),
// m the row max. Special rows follow Softmax.
func LogSoftmax(dst, x []float32, rows, cols int) {
	for r := 0; r < rows; r++ {
		xs, ds := x[r*cols:(r+1)*cols], dst[r*cols:(r+1)*cols]
		m := rowMax(xs)
		var s float32
		for _, v := range xs {
			s += Exp32(v - m)
		}
		l := Log32(s)
		for j, v := range xs {
			ds[j] = (v - m) - l
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
