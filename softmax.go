package mdnsimd

// Softmax sets each row of dst (rows × cols, row-major) to the softmax of the
// same row of x: dst[r][j] = e^(x[r][j]−m) / Σ_j e^(x[r][j]−m), m the row max.
// A row's sum is 1 within about cols·2⁻²⁴ (the sum of the exponentials is
// float32, and the generic path adds them one after another; the assembly
// paths' vector lanes keep it to a few ULP in practice). A row containing
// NaN or +Inf, or whose
// elements are all −Inf, gives NaN in that row (as PyTorch does).
// dst may be x (in place) but must not otherwise overlap it.
func Softmax(dst, x []float32, rows, cols int) {
	checkDim("Softmax", "rows", rows)
	checkDim("Softmax", "cols", cols)
	n := mul("Softmax", rows, cols)
	checkLen("Softmax", "x", x, n)
	checkLen("Softmax", "dst", dst, n)
	if n == 0 {
		return // rows of no columns, however many
	}
	softmax(dst, x, rows, cols)
}

// LogSoftmax sets each row of dst to x[r][j] − LogSumExp(x[r]). Special
// values follow Softmax. dst may be x (in place) but must not otherwise
// overlap it.
func LogSoftmax(dst, x []float32, rows, cols int) {
	checkDim("LogSoftmax", "rows", rows)
	checkDim("LogSoftmax", "cols", cols)
	n := mul("LogSoftmax", rows, cols)
	checkLen("LogSoftmax", "x", x, n)
	checkLen("LogSoftmax", "dst", dst, n)
	if n == 0 {
		return
	}
	logSoftmax(dst, x, rows, cols)
}
