package kernels

import "math"

// Tanh sets dst[i] = tanh(x[i]).
func Tanh(dst, x []float32) {
	dst = dst[:len(x)]
	for i, v := range x {
		dst[i] = float32(math.Tanh(float64(v)))
	}
}

// Exp sets dst[i] = e^x[i].
func Exp(dst, x []float32) {
	dst = dst[:len(x)]
	for i, v := range x {
		dst[i] = float32(math.Exp(float64(v)))
	}
}

// LogSumExp returns log(Σ e^x[i]) with max subtraction.
func LogSumExp(x []float32) float32 {
	m := float32(math.Inf(-1))
	for _, v := range x {
		if v > m || v != v {
			m = v
		}
	}
	if m != m || math.IsInf(float64(m), 0) {
		return m // NaN, +Inf, or -Inf for empty / all -Inf
	}
	var s float32
	for _, v := range x {
		s += float32(math.Exp(float64(v - m)))
	}
	return m + float32(math.Log(float64(s)))
}
