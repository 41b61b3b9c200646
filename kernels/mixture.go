package kernels

import "math"

// Numeric contract of the mixture kernels, shared by every path:
//
//   - σ⁻¹ = exp(−max(logσ, LogSigmaMin)), so σ⁻¹ ≤ e^87 stays finite; the
//     −logσ term of the density uses logσ unclamped.
//   - z = (y−μ)·σ⁻¹ is clamped to |z| ≤ ZMax, so ½z² stays finite.
//   - Outputs beyond the float32 range saturate at ±MaxFloat32.
//
// With these, the NLL and its gradient are finite for every finite input,
// and exact (to rounding) whenever σ ≥ e^−87 and |z| ≤ ZMax.
const (
	LogSigmaMin = -87
	ZMax        = 0x1p60
	HalfLog2Pi  = 0.91893853320467274178 // ½·log(2π)
)

// MixtureNLL sets nll[i] = −log p(y[i] | head[i]) for a diagonal Gaussian
// mixture with k components in d dimensions; see mdnsimd.MixtureNLL.
// It works in float64 internally and rounds once.
func MixtureNLL(nll, head, y []float32, k, d int) {
	mixture(nll, nil, head, y, k, d, 0)
}

// MixtureNLLGrad sets nll as MixtureNLL does and dhead = scale·∂nll/∂head.
func MixtureNLLGrad(nll, dhead, head, y []float32, k, d int, scale float32) {
	mixture(nll, dhead, head, y, k, d, scale)
}

// Bounds of the per-row buffers of mixtureBuffered; wider mixtures take
// mixtureRecompute, which recomputes instead of storing.
const (
	maxBufK  = 64
	maxBufKD = 256
)

func mixture(nll, dhead, head, y []float32, k, d int, scale float32) {
	if k <= maxBufK && k*d <= maxBufKD {
		mixtureBuffered(nll, dhead, head, y, k, d, scale)
		return
	}
	mixtureRecompute(nll, dhead, head, y, k, d, scale)
}

// mixtureBuffered keeps e^(logit−max), 1/σ, z and e^(lp−max) of a row on
// the stack, so each exponential is computed once: 2k + k·d per row.
func mixtureBuffered(nll, dhead, head, y []float32, k, d int, scale float32) {
	var el, e [maxBufK]float64
	var inv, zs [maxBufKD]float64
	w := k + 2*k*d
	for i := range nll {
		h := head[i*w : (i+1)*w]
		logits, mu, ls := h[:k], h[k:k+k*d], h[k+k*d:]
		yi := y[i*d : (i+1)*d]

		// log-softmax of the logits
		m := math.Inf(-1)
		for _, v := range logits {
			m = max64(m, float64(v))
		}
		var s float64
		for c, v := range logits {
			el[c] = math.Exp(float64(v) - m)
			s += el[c]
		}
		lseL := m + math.Log(s)

		// component log-likelihoods lp_c (in e), then LSE over components
		mm := math.Inf(-1)
		for c := 0; c < k; c++ {
			t := float64(logits[c]) - lseL
			for j := c * d; j < (c+1)*d; j++ {
				inv[j] = invSigma(ls[j])
				zs[j] = clampZ((float64(yi[j-c*d]) - float64(mu[j])) * inv[j])
				t += -float64(ls[j]) - HalfLog2Pi - 0.5*zs[j]*zs[j]
			}
			e[c] = t
			mm = max64(mm, t)
		}
		var ss float64
		for c := 0; c < k; c++ {
			e[c] = math.Exp(e[c] - mm)
			ss += e[c]
		}
		nll[i] = sat(-(mm + math.Log(ss)))
		if dhead == nil {
			continue
		}
		g := dhead[i*w : (i+1)*w]
		sc := float64(scale)
		for c := 0; c < k; c++ {
			gamma := e[c] / ss
			g[c] = sat(sc * (el[c]/s - gamma))
			for j := c * d; j < (c+1)*d; j++ {
				z := zs[j]
				g[k+j] = sat(-sc * gamma * z * inv[j])
				g[k+k*d+j] = sat(sc * gamma * (1 - z*z))
			}
		}
	}
}

// mixtureRecompute is the same computation without per-row buffers.
func mixtureRecompute(nll, dhead, head, y []float32, k, d int, scale float32) {
	w := k + 2*k*d
	for i := range nll {
		h := head[i*w : (i+1)*w]
		logits, mu, ls := h[:k], h[k:k+k*d], h[k+k*d:]
		yi := y[i*d : (i+1)*d]

		// log-softmax of the logits
		m := math.Inf(-1)
		for _, v := range logits {
			m = max64(m, float64(v))
		}
		var s float64
		for _, v := range logits {
			s += math.Exp(float64(v) - m)
		}
		lseL := m + math.Log(s)

		// component log-likelihoods lp_c, then LSE over components
		lp := func(c int) float64 {
			t := float64(logits[c]) - lseL
			for j := 0; j < d; j++ {
				z := zScore(yi[j], mu[c*d+j], ls[c*d+j])
				t += -float64(ls[c*d+j]) - HalfLog2Pi - 0.5*z*z
			}
			return t
		}
		mm := math.Inf(-1)
		for c := 0; c < k; c++ {
			mm = max64(mm, lp(c))
		}
		var ss float64
		for c := 0; c < k; c++ {
			ss += math.Exp(lp(c) - mm)
		}
		ll := mm + math.Log(ss)
		nll[i] = sat(-ll)
		if dhead == nil {
			continue
		}
		g := dhead[i*w : (i+1)*w]
		sc := float64(scale)
		for c := 0; c < k; c++ {
			gamma := math.Exp(lp(c) - ll)
			pi := math.Exp(float64(logits[c]) - lseL)
			g[c] = sat(sc * (pi - gamma))
			for j := 0; j < d; j++ {
				z := zScore(yi[j], mu[c*d+j], ls[c*d+j])
				g[k+c*d+j] = sat(-sc * gamma * z * invSigma(ls[c*d+j]))
				g[k+k*d+c*d+j] = sat(sc * gamma * (1 - z*z))
			}
		}
	}
}

func invSigma(logSigma float32) float64 {
	return math.Exp(-max64(float64(logSigma), LogSigmaMin))
}

func zScore(y, mu, logSigma float32) float64 {
	return clampZ((float64(y) - float64(mu)) * invSigma(logSigma))
}

func clampZ(z float64) float64 { return max64(-ZMax, min64(z, ZMax)) }

// max64 and min64 propagate NaN from either argument.
func max64(a, b float64) float64 {
	if a != a || b != b {
		return math.NaN()
	}
	return math.Max(a, b)
}

func min64(a, b float64) float64 {
	if a != a || b != b {
		return math.NaN()
	}
	return math.Min(a, b)
}

// sat rounds to float32, saturating at ±MaxFloat32; NaN stays NaN.
func sat(v float64) float32 {
	if v > math.MaxFloat32 {
		return math.MaxFloat32
	}
	if v < -math.MaxFloat32 {
		return -math.MaxFloat32
	}
	return float32(v)
}
