package kernels

import (
	"math"
	"sync"
)

// The constants of the mixture contract, which every path follows (it is
// stated at mdnsimd.MixtureNLL).
const (
	LogSigmaMin = -87                    // σ⁻¹ = exp(−max(logσ, LogSigmaMin)) ≤ e^87
	ZMax        = 0x1p60                 // |z| ≤ ZMax, so ½z² stays finite
	HalfLog2Pi  = 0.91893853320467274178 // ½·log(2π)
)

// MixtureNLL sets nll[i] = −log p(y[i] | head[i]) for a diagonal Gaussian
// mixture with k components in d dimensions, under the contract of
// mdnsimd.MixtureNLL. It works in float64 internally and rounds once.
func MixtureNLL(nll, head, y []float32, k, d int) {
	w := k + 2*k*d
	mixture(nll, nil, head, y, k, d, 0, w, 1)
}

// MixtureNLLGrad sets nll as MixtureNLL does and dhead = scale·∂nll/∂head.
func MixtureNLLGrad(nll, dhead, head, y []float32, k, d int, scale float32) {
	w := k + 2*k*d
	mixture(nll, dhead, head, y, k, d, scale, w, 1)
}

// MixtureNLLCols is MixtureNLL with head stored by columns: value c of
// row i at head[c*ld+i] (mdnsimd.MixtureNLLCols); y stays n×d.
func MixtureNLLCols(nll, head, y []float32, k, d, ld int) {
	mixture(nll, nil, head, y, k, d, 0, 1, ld)
}

// MixtureNLLGradCols is MixtureNLLGrad with head and dhead stored by
// columns, as MixtureNLLCols; only the entries of the n = len(nll) rows
// are written.
func MixtureNLLGradCols(nll, dhead, head, y []float32, k, d, ld int, scale float32) {
	mixture(nll, dhead, head, y, k, d, scale, 1, ld)
}

// maxStack bounds the scratch (2k + 2k·d float64) kept on the stack;
// wider mixtures take it from scratchPool.
const maxStack = 640

var scratchPool = sync.Pool{New: func() any { return new([]float64) }}

// mixture keeps e^(logit−max), 1/σ, z and e^(lp−max) of a row in scratch,
// so each exponential is computed once: 2k + k·d per row. Value c of row i
// of head (and dhead) is at i*rs + c*cs: rs = width, cs = 1 by rows;
// rs = 1, cs = ld by columns.
func mixture(nll, dhead, head, y []float32, k, d int, scale float32, rs, cs int) {
	var stack [maxStack]float64
	buf := stack[:]
	if n := 2*k + 2*k*d; n > maxStack {
		p := scratchPool.Get().(*[]float64)
		if cap(*p) < n {
			*p = make([]float64, n)
		}
		buf = (*p)[:n]
		defer scratchPool.Put(p)
	}
	kd := k * d
	el, e := buf[:k], buf[k:2*k]
	inv, zs := buf[2*k:2*k+kd], buf[2*k+kd:2*k+2*kd]
	for i := range nll {
		h := head[i*rs:]
		at := func(c int) float64 { return float64(h[c*cs]) }
		yi := y[i*d : (i+1)*d]

		// log-softmax of the logits
		m := math.Inf(-1)
		for c := range k {
			m = max64(m, at(c))
		}
		var s float64
		for c := range k {
			el[c] = math.Exp(at(c) - m)
			s += el[c]
		}
		lseL := m + math.Log(s)

		// component log-likelihoods lp_c (in e), then LSE over components
		mm := math.Inf(-1)
		for c := 0; c < k; c++ {
			t := at(c) - lseL
			for j := c * d; j < (c+1)*d; j++ {
				ls := at(k + kd + j)
				inv[j] = math.Exp(-max64(ls, LogSigmaMin))
				zs[j] = max64(-ZMax, min64((float64(yi[j-c*d])-at(k+j))*inv[j], ZMax))
				t += -ls - HalfLog2Pi - 0.5*zs[j]*zs[j]
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
		g := dhead[i*rs:]
		sc := float64(scale)
		for c := 0; c < k; c++ {
			gamma := e[c] / ss
			g[c*cs] = sat(sc * (el[c]/s - gamma))
			for j := c * d; j < (c+1)*d; j++ {
				z := zs[j]
				g[(k+j)*cs] = sat(-sc * gamma * z * inv[j])
				g[(k+kd+j)*cs] = sat(sc * gamma * (1 - z*z))
			}
		}
	}
}

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
