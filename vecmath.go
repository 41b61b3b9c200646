package mdnsimd

// Tanh sets dst[i] = tanh(x[i]) for every i, within 2 ULP of the correctly
// rounded result. tanh(±Inf) = ±1, tanh(−0) = −0, NaN gives NaN.
// dst and x must have the same length; dst may be x (in place) but must not
// otherwise overlap it.
func Tanh(dst, x []float32) {
	checkLen("Tanh", "dst", dst, len(x))
	tanh(dst, x)
}

// Exp sets dst[i] = e^x[i] for every i, within 1 ULP of the correctly
// rounded result, subnormal results included. exp(+Inf) = +Inf,
// exp(−Inf) = 0, overflow gives +Inf, NaN gives NaN.
// dst and x must have the same length; dst may be x (in place) but must not
// otherwise overlap it.
func Exp(dst, x []float32) {
	checkLen("Exp", "dst", dst, len(x))
	exp(dst, x)
}

// LogSumExp returns log(Σ e^x[i]) computed with max subtraction, so it does
// not overflow for finite input. It is −Inf for an empty slice or one whose
// elements are all −Inf, +Inf if any element is +Inf (and none is NaN), and
// NaN if any element is NaN.
func LogSumExp(x []float32) float32 {
	return logSumExp(x)
}
