package mdn

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/mdnsimd/mdnsimd"
)

// Mixture is the predicted Gaussian mixture p(y|x) for N inputs: K
// components in D dimensions with diagonal covariance.
type Mixture struct {
	N, K, D int
	Pi      []float32 // N×K mixture weights, each row summing to 1
	Mu      []float32 // N×K×D means, Mu[(i*K+k)*D+j]
	Sigma   []float32 // N×K×D standard deviations (at least the σ floor)
}

// predictFloats bounds the activations of one prediction pass (64 MiB).
var predictFloats = 16 << 20

// predictChunk returns the rows one prediction pass holds: up to 4096, and
// fewer for wide models, so a pass's activations stay within predictFloats.
func (m *Model) predictChunk() int {
	per := 0
	for _, l := range m.layers {
		per += l.out
	}
	return max(1, min(4096, predictFloats/per))
}

var errNotMixture = errors.New("mdn: the model has no mixture head (K = 0)")

// rows validates x as rows of width cols and returns their count.
func rows(x []float32, cols int, what string) (int, error) {
	if len(x)%cols != 0 {
		return 0, fmt.Errorf("mdn: len(%s) = %d is not a multiple of its %d columns", what, len(x), cols)
	}
	for i, v := range x {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return 0, fmt.Errorf("mdn: %s row %d, column %d: value %v is not finite", what, i/cols, i%cols, v)
		}
	}
	return len(x) / cols, nil
}

// heads runs the network over x (data units) in chunks: each chunk's rows
// go through toModelUnits and the forward pass, and fn gets the chunk's
// pass, first row, row count and head output, in model units (see
// headToData). Every call has its own scratch, so concurrent predictions
// share nothing mutable.
func (m *Model) heads(x []float32, fn func(p *pass, lo, n int, head []float32)) (int, error) {
	n, err := rows(x, m.cfg.In, "x")
	if err != nil {
		return 0, err
	}
	chunk := m.predictChunk()
	p := newPass(m, min(n, chunk), false)
	in := m.cfg.In
	for lo := 0; lo < n; lo += chunk {
		c := min(chunk, n-lo)
		xc := m.toModelUnits(p.xin, x[lo*in:(lo+c)*in], 'x')
		fn(p, lo, c, p.forward(xc, c))
	}
	return n, nil
}

// Mixture returns the mixture parameters for the rows of x (In values
// each), in the data's units.
func (m *Model) Mixture(x []float32) (Mixture, error) {
	if m.cfg.K == 0 {
		return Mixture{}, errNotMixture
	}
	k, d := m.cfg.K, m.cfg.Out
	kd, hw := k*d, m.cfg.headWidth()
	var mix Mixture
	n, err := rows(x, m.cfg.In, "x")
	if err != nil {
		return mix, err
	}
	mix = Mixture{N: n, K: k, D: d, Pi: make([]float32, n*k), Mu: make([]float32, n*kd), Sigma: make([]float32, n*kd)}
	_, err = m.heads(x, func(_ *pass, lo, c int, head []float32) {
		m.headToData(head, c)
		for r := range c {
			h := head[r*hw : (r+1)*hw]
			i := lo + r
			copy(mix.Pi[i*k:(i+1)*k], h[:k])
			copy(mix.Mu[i*kd:(i+1)*kd], h[k:k+kd])
			copy(mix.Sigma[i*kd:(i+1)*kd], h[k+kd:])
		}
		pi := mix.Pi[lo*k : (lo+c)*k]
		mdnsimd.Softmax(pi, pi, c, k)
		s := mix.Sigma[lo*kd : (lo+c)*kd]
		mdnsimd.Exp(s, s)
	})
	return mix, err
}

// LogLik returns log p(y_i | x_i) for each row (a mixture model only); y has
// Out values per row of x, in the data's units, and so is the density (for
// a model with a Scaling, the model-unit log-likelihood less
// Σ_d log YStd[d]).
func (m *Model) LogLik(x, y []float32) ([]float32, error) {
	if m.cfg.K == 0 {
		return nil, errNotMixture
	}
	n, err := rows(x, m.cfg.In, "x")
	if err != nil {
		return nil, err
	}
	ny, err := rows(y, m.cfg.Out, "y")
	if err != nil {
		return nil, err
	}
	if ny != n {
		return nil, fmt.Errorf("mdn: %d rows of x but %d rows of y", n, ny)
	}
	ll := make([]float32, n)
	d := m.cfg.Out
	jac := m.logJacobian()
	_, err = m.heads(x, func(p *pass, lo, c int, head []float32) {
		dst := ll[lo : lo+c]
		yc := m.toModelUnits(p.yin, y[lo*d:(lo+c)*d], 'y')
		mdnsimd.MixtureNLL(dst, head, yc, m.cfg.K, d)
		if jac == 0 {
			for i := range dst {
				dst[i] = -dst[i]
			}
			return
		}
		for i := range dst {
			dst[i] = float32(-float64(dst[i]) - jac)
		}
	})
	return ll, err
}

// Loss returns the model's mean loss on d, in the data's units: the
// negative log-likelihood for a mixture model, the mean squared error for
// an MLP (as Train reports).
func (m *Model) Loss(d Dataset) (float64, error) {
	if d.In != m.cfg.In || d.Out != m.cfg.Out {
		return 0, fmt.Errorf("mdn: dataset has %d inputs and %d outputs, the model %d and %d", d.In, d.Out, m.cfg.In, m.cfg.Out)
	}
	n, err := rows(d.X, d.In, "x")
	if err != nil {
		return 0, err
	}
	ny, err := rows(d.Y, d.Out, "y")
	if err != nil {
		return 0, err
	}
	if n != ny || n == 0 {
		return 0, fmt.Errorf("mdn: dataset has %d rows of x and %d of y, want the same nonzero count", n, ny)
	}
	var s float64
	_, err = m.heads(d.X, func(p *pass, lo, c int, head []float32) {
		yc := d.Y[lo*d.Out : (lo+c)*d.Out]
		if m.cfg.K == 0 {
			m.headToData(head, c)
		} else {
			yc = m.toModelUnits(p.yin, yc, 'y')
		}
		s += p.lossGrad(head, yc, c, 0, false)
	})
	if err != nil {
		return 0, err
	}
	if m.cfg.K == 0 {
		return s / float64(n), nil
	}
	return s/float64(n) + m.logJacobian(), nil
}

// Predict returns one output row (Out values) per row of x: the network's
// output for an MLP, the mixture mean Σ_k π_k μ_k for a mixture model, in
// the data's units.
func (m *Model) Predict(x []float32) ([]float32, error) {
	if m.cfg.K == 0 {
		out := make([]float32, 0, len(x)/m.cfg.In*m.cfg.Out)
		_, err := m.heads(x, func(_ *pass, _, c int, head []float32) {
			m.headToData(head, c)
			out = append(out, head...)
		})
		return out, err
	}
	return m.Mean(x)
}

// Mean returns the mixture mean Σ_k π_k μ_k for each row of x.
func (m *Model) Mean(x []float32) ([]float32, error) {
	mix, err := m.Mixture(x)
	if err != nil {
		return nil, err
	}
	k, d := mix.K, mix.D
	out := make([]float32, mix.N*d)
	for i := range mix.N {
		for j := range d {
			var s float64
			for c := range k {
				s += float64(mix.Pi[i*k+c]) * float64(mix.Mu[(i*k+c)*d+j])
			}
			out[i*d+j] = float32(s)
		}
	}
	return out, nil
}

// Mode returns, for each row of x, the highest mode found of the mixture
// density (see Mixture.Mode).
func (m *Model) Mode(x []float32) ([]float32, error) {
	mix, err := m.Mixture(x)
	if err != nil {
		return nil, err
	}
	out := make([]float32, mix.N*mix.D)
	return out, mix.Mode(out)
}

// Sample draws one y for each row of x from the predicted mixture, with
// temperatures: the component is drawn from softmax(logits/tempPi)
// (tempPi 1 is the model's π; tempPi 0 takes the most probable component)
// and y from N(μ, (tempSigma·σ)²) (tempSigma 1 is the model's σ; 0 returns
// the component mean). rng supplies the randomness (math/rand/v2), so a
// seeded generator gives reproducible samples.
func (m *Model) Sample(x []float32, rng *rand.Rand, tempPi, tempSigma float64) ([]float32, error) {
	if rng == nil {
		return nil, errors.New("mdn: Sample needs a random generator")
	}
	if math.IsNaN(tempPi) || math.IsInf(tempPi, 0) || tempPi < 0 || math.IsNaN(tempSigma) || math.IsInf(tempSigma, 0) || tempSigma < 0 {
		return nil, fmt.Errorf("mdn: temperatures %v, %v: want finite values ≥ 0", tempPi, tempSigma)
	}
	mix, err := m.Mixture(x)
	if err != nil {
		return nil, err
	}
	k, d := mix.K, mix.D
	out := make([]float32, mix.N*d)
	p := make([]float64, k)
	for i := range mix.N {
		pi := mix.Pi[i*k : (i+1)*k]
		c := 0
		if tempPi == 0 {
			for j := range pi {
				if pi[j] > pi[c] {
					c = j
				}
			}
		} else {
			// softmax(logits/T) = π^(1/T) renormalised, in log space.
			mx := math.Inf(-1)
			for j := range pi {
				p[j] = math.Log(float64(pi[j])) / tempPi
				mx = math.Max(mx, p[j])
			}
			var s float64
			for j := range p {
				p[j] = math.Exp(p[j] - mx)
				s += p[j]
			}
			u := rng.Float64() * s
			c = k - 1
			for j := range p {
				if u < p[j] {
					c = j
					break
				}
				u -= p[j]
			}
		}
		for j := range d {
			mu := float64(mix.Mu[(i*k+c)*d+j])
			sg := float64(mix.Sigma[(i*k+c)*d+j])
			out[i*d+j] = float32(mu + tempSigma*sg*rng.NormFloat64())
		}
	}
	return out, nil
}
