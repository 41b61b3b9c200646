package mdn

import (
	"math"
)

// optState is an optimizer's state, shaped like the parameters. It lives in
// the Model so that Save writes it and a loaded checkpoint resumes with it.
//
//	adam:    m = first moment, v = second moment
//	rmsprop: v = square average, m = momentum buffer (only with momentum)
//	sgd:     m = momentum buffer (only with momentum)
type optState struct {
	name Optimizer
	step int64
	m, v []float32
}

// optimizer applies one update with fixed hyperparameters.
type optimizer struct {
	name     Optimizer
	lr       float64
	momentum float64
	beta1    float64
	beta2    float64
	alpha    float64
	eps      float64
	// Adam: the steps from which β1ᵗ and β2ᵗ are below 2⁻⁵⁴, so that the
	// bias corrections 1 − βᵗ are 1 in float64 and math.Pow (about 65 ns)
	// is not called; 0 where no such step was found (always call it).
	flat1, flat2 int64
}

// newOptimizer resolves the options' optimizer with PyTorch's defaults.
func newOptimizer(name Optimizer, lr, momentum float64) (optimizer, error) {
	if err := checkOptimizer(name, lr, momentum); err != nil {
		return optimizer{}, err
	}
	if name == "" {
		name = Adam
	}
	o := optimizer{name: name, lr: lr, momentum: momentum}
	switch name {
	case Adam:
		if o.lr == 0 {
			o.lr = 1e-3
		}
		o.beta1, o.beta2, o.eps = 0.9, 0.999, 1e-8
		if momentum != 0 {
			o.beta1 = momentum
		}
		o.flat1, o.flat2 = negligibleFrom(o.beta1), negligibleFrom(o.beta2)
	case RMSprop:
		if o.lr == 0 {
			o.lr = 1e-2
		}
		o.alpha, o.eps = 0.99, 1e-8
	case SGD:
		if o.lr == 0 {
			o.lr = 1e-2
		}
	}
	return o, nil
}

// negligibleFrom returns a step count T such that math.Pow(beta, t) < 2⁻⁵⁴
// for every t ≥ T, for 0 ≤ beta < 1, or 0 if it finds none. Then 1 − βᵗ
// rounds to 1 in float64 (1 − x for 0 ≤ x < 2⁻⁵⁴ is nearer 1 than
// 1 − 2⁻⁵³), whatever math.Pow returns below 2⁻⁵⁴. T is the first step
// estimated to bring βᵗ to 2⁻⁶⁰ at which math.Pow gives at most 2⁻⁶⁰: for
// t > T the exact βᵗ is below the exact β^T, and math.Pow is far closer
// than a factor 2⁶ to both.
func negligibleFrom(beta float64) int64 {
	switch {
	case !(beta >= 0 && beta < 1):
		return 0
	case beta == 0:
		return 1
	}
	t := math.Ceil(60 * math.Ln2 / -math.Log(beta))
	for range 4 {
		if !(t < 1<<53) {
			return 0
		}
		if math.Pow(beta, t) <= 0x1p-60 {
			return int64(t)
		}
		t *= 2
	}
	return 0
}

// biasCorrection returns 1 − βᵗ, or 1 from step flat on (flat > 0), which
// is the same float64 (see negligibleFrom).
func biasCorrection(beta float64, step, flat int64) float64 {
	if flat > 0 && step >= flat {
		return 1
	}
	return 1 - math.Pow(beta, float64(step))
}

// prepare makes st a state for o over n parameters, keeping it when it
// already belongs to the same optimizer (resuming) and starting afresh
// otherwise.
func (o *optimizer) prepare(st *optState, n int) {
	needM := o.name == Adam || o.momentum != 0
	needV := o.name == Adam || o.name == RMSprop
	if st.name != o.name || (st.m != nil && len(st.m) != n) || (st.v != nil && len(st.v) != n) {
		*st = optState{name: o.name}
	}
	if needM && st.m == nil {
		st.m = make([]float32, n)
	}
	if needV && st.v == nil {
		st.v = make([]float32, n)
	}
}

// update applies one step to p with gradient g, following PyTorch's update
// rules for float32 parameters (torch.optim's single-tensor code paths):
// the per-element arithmetic is float32, in the same order; only the scalar
// factors (bias corrections, step size) are worked out in float64 and
// rounded once, as PyTorch passes them in. Every product that meets a sum is
// wrapped in an explicit float32 conversion, which the Go specification says
// keeps the compiler from fusing the two into one FMA (Go fuses on arm64, and
// on amd64 with GOAMD64=v3): the results are the same bits on every
// platform. It reports whether every new parameter is finite.
func (o *optimizer) update(st *optState, p, g []float32) bool {
	st.step++
	var bad float32 // 0 while every new parameter is finite
	g = g[:len(p)]
	switch o.name {
	case Adam:
		// m ← m + (1−β1)·(g − m)  (lerp);  v ← β2·v + (1−β2)·g²;
		// p ← p − lr/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + ε)
		step := float32(o.lr / biasCorrection(o.beta1, st.step, o.flat1))
		bc2 := float32(math.Sqrt(biasCorrection(o.beta2, st.step, o.flat2)))
		w1, b2, w2, eps := float32(1-o.beta1), float32(o.beta2), float32(1-o.beta2), float32(o.eps)
		m, v := st.m[:len(p)], st.v[:len(p)]
		i0 := 0
		if vecLoops() {
			i0 = vecLen(len(p))
			k := [6]float32{-step, bc2, w1, b2, w2, eps}
			bad += adamVec(p[:i0], g[:i0], m[:i0], v[:i0], &k)
		}
		for i := i0; i < len(p); i++ {
			gi := g[i]
			mi := m[i] + float32(w1*(gi-m[i]))
			vi := float32(v[i]*b2) + float32(w2*gi*gi)
			m[i], v[i] = mi, vi
			d := sqrt32(vi)/bc2 + eps
			np := p[i] + -step*mi/d // (−step·mi)/d: the sum cannot fuse with a quotient
			p[i] = np
			bad += np * 0
		}
	case RMSprop:
		// v ← α·v + (1−α)·g²; with momentum μ: b ← μ·b + g/(√v+ε), p ← p − lr·b;
		// without: p ← p − lr·g/(√v+ε)
		a, wa, eps, lr, mu := float32(o.alpha), float32(1-o.alpha), float32(o.eps), float32(o.lr), float32(o.momentum)
		v := st.v[:len(p)]
		var mb []float32
		if mu != 0 {
			mb = st.m[:len(p)]
		}
		i0 := 0
		if vecLoops() {
			i0 = vecLen(len(p))
			k := [5]float32{a, wa, eps, -lr, mu}
			bad += rmspropVec(p[:i0], g[:i0], v[:i0], mb[:min(len(mb), i0)], &k)
		}
		for i := i0; i < len(p); i++ {
			gi := g[i]
			vi := float32(v[i]*a) + float32(wa*gi*gi)
			v[i] = vi
			avg := sqrt32(vi) + eps
			var np float32
			if mb != nil {
				d := float32(mb[i]*mu) + gi/avg
				mb[i] = d
				np = p[i] + float32(-lr*d)
			} else {
				np = p[i] + -lr*gi/avg
			}
			p[i] = np
			bad += np * 0
		}
	case SGD:
		// with momentum μ: b ← μ·b + g (b = g on the first step), p ← p − lr·b;
		// without: p ← p − lr·g
		lr, mu := float32(o.lr), float32(o.momentum)
		var mb []float32
		if mu != 0 {
			mb = st.m[:len(p)]
		}
		i0 := 0
		if vecLoops() {
			i0 = vecLen(len(p))
			k := [2]float32{lr, mu}
			bad += sgdVec(p[:i0], g[:i0], mb[:min(len(mb), i0)], &k)
		}
		for i := i0; i < len(p); i++ {
			d := g[i]
			if mb != nil {
				d += float32(mb[i] * mu)
				mb[i] = d
			}
			np := p[i] - float32(lr*d)
			p[i] = np
			bad += np * 0
		}
	}
	return bad == 0
}

// sqrt32 is the correctly rounded float32 square root (one SQRTSS on amd64).
func sqrt32(x float32) float32 { return float32(math.Sqrt(float64(x))) }
