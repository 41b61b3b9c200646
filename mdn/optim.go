package mdn

import (
	"fmt"
	"math"
)

// Optimizer names accepted by TrainOptions.Optimizer.
const (
	Adam    = "adam"
	RMSprop = "rmsprop"
	SGD     = "sgd"
)

// optState is an optimizer's state, shaped like the parameters. It lives in
// the Model so that Save writes it and a loaded checkpoint resumes with it.
//
//	adam:    m = first moment, v = second moment
//	rmsprop: v = square average, m = momentum buffer (only with momentum)
//	sgd:     m = momentum buffer (only with momentum)
type optState struct {
	name string
	step int64
	m, v []float32
}

// optimizer applies one update with fixed hyperparameters.
type optimizer struct {
	name     string
	lr       float64
	momentum float64
	beta1    float64
	beta2    float64
	alpha    float64
	eps      float64
}

// newOptimizer resolves the options' optimizer with PyTorch's defaults.
func newOptimizer(name string, lr, momentum float64) (optimizer, error) {
	if name == "" {
		name = Adam
	}
	if math.IsNaN(lr) || math.IsInf(lr, 0) || lr < 0 {
		return optimizer{}, fmt.Errorf("mdn: learning rate %v, want a finite value ≥ 0 (0 for the default)", lr)
	}
	if math.IsNaN(momentum) || momentum < 0 || momentum >= 1 {
		return optimizer{}, fmt.Errorf("mdn: momentum %v, want 0 ≤ momentum < 1", momentum)
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
	case RMSprop:
		if o.lr == 0 {
			o.lr = 1e-2
		}
		o.alpha, o.eps = 0.99, 1e-8
	case SGD:
		if o.lr == 0 {
			o.lr = 1e-2
		}
	default:
		return optimizer{}, fmt.Errorf("mdn: unknown optimizer %q (want %q, %q or %q)", name, Adam, RMSprop, SGD)
	}
	return o, nil
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
// rules (computed per element in float64 and stored in float32). It reports
// whether every new parameter is finite.
func (o *optimizer) update(st *optState, p, g []float32) bool {
	st.step++
	var bad float32 // 0 while every new parameter is finite
	switch o.name {
	case Adam:
		// m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²;
		// p ← p − lr/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + ε)
		b1, b2 := o.beta1, o.beta2
		t := float64(st.step)
		step := o.lr / (1 - math.Pow(b1, t))
		bc2 := math.Sqrt(1 - math.Pow(b2, t))
		m, v := st.m[:len(p)], st.v[:len(p)]
		g = g[:len(p)]
		for i := range p {
			gi := float64(g[i])
			mi := b1*float64(m[i]) + (1-b1)*gi
			vi := b2*float64(v[i]) + (1-b2)*gi*gi
			m[i], v[i] = float32(mi), float32(vi)
			np := float32(float64(p[i]) - step*float64(m[i])/(math.Sqrt(float64(v[i]))/bc2+o.eps))
			p[i] = np
			bad += np * 0
		}
	case RMSprop:
		// v ← α·v + (1−α)·g²; with momentum μ: b ← μ·b + g/(√v+ε), p ← p − lr·b;
		// without: p ← p − lr·g/(√v+ε)
		a := o.alpha
		v := st.v[:len(p)]
		g = g[:len(p)]
		for i := range p {
			gi := float64(g[i])
			v[i] = float32(a*float64(v[i]) + (1-a)*gi*gi)
			d := gi / (math.Sqrt(float64(v[i])) + o.eps)
			if o.momentum != 0 {
				st.m[i] = float32(o.momentum*float64(st.m[i]) + d)
				d = float64(st.m[i])
			}
			np := float32(float64(p[i]) - o.lr*d)
			p[i] = np
			bad += np * 0
		}
	case SGD:
		// with momentum μ: b ← μ·b + g (b = g on the first step), p ← p − lr·b;
		// without: p ← p − lr·g
		g = g[:len(p)]
		for i := range p {
			d := float64(g[i])
			if o.momentum != 0 {
				st.m[i] = float32(o.momentum*float64(st.m[i]) + d)
				d = float64(st.m[i])
			}
			np := float32(float64(p[i]) - o.lr*d)
			p[i] = np
			bad += np * 0
		}
	}
	return bad == 0
}
