package mdn

import (
	"errors"
	"fmt"
	"math/rand/v2"
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
	if err := checkFinite(x, cols, what); err != nil {
		return 0, err
	}
	return len(x) / cols, nil
}

// predictor returns a Predictor for one call of the Model's own prediction
// methods: one that an earlier call put back (release), or a new one. The
// pool is the garbage collector's to empty (sync.Pool), so an idle model
// does not keep the buffers. A Predictor of another Model (a copy of m's
// struct shares its pool) is left to the collector: it would compute with
// that model's parameters. The shape cannot change under a pooled
// Predictor: UnmarshalBinary and ReadFrom replace the pool with the model.
func (m *Model) predictor() *Predictor {
	if m.preds != nil {
		if p, _ := m.preds.Get().(*Predictor); p != nil && p.m == m {
			return p
		}
	}
	return m.NewPredictor()
}

// release puts back a Predictor that predictor returned, when the call
// that used it is done with it.
func (m *Model) release(p *Predictor) {
	if m.preds != nil {
		m.preds.Put(p)
	}
}

// Mixture returns the mixture parameters for the rows of x (In values
// each), in the data's units. It is Predictor.Mixture into new slices
// (Pi, Mu and Sigma share one allocation, each capped at its length).
func (m *Model) Mixture(x []float32) (Mixture, error) {
	var mix Mixture
	if k, in := m.cfg.K, m.cfg.In; k > 0 && len(x)%in == 0 {
		n, kd := len(x)/in, k*m.cfg.Out
		buf := make([]float32, n*(k+2*kd))
		mix.Pi = buf[: n*k : n*k]
		mix.Mu = buf[n*k : n*(k+kd) : n*(k+kd)]
		mix.Sigma = buf[n*(k+kd):]
	}
	p := m.predictor()
	defer m.release(p)
	if err := p.Mixture(&mix, x); err != nil {
		return Mixture{}, err
	}
	return mix, nil
}

// orNil returns out, or nil with a non-nil err.
func orNil(out []float32, err error) ([]float32, error) {
	if err != nil {
		return nil, err
	}
	return out, nil
}

// LogLik returns log p(y_i | x_i) for each row (a mixture model only); y has
// Out values per row of x, in the data's units, and so is the density (for
// a model with a Scaling, the model-unit log-likelihood less
// Σ_d log YStd[d]).
func (m *Model) LogLik(x, y []float32) ([]float32, error) {
	if m.cfg.K == 0 {
		return nil, errNotMixture
	}
	ll := make([]float32, len(x)/m.cfg.In)
	p := m.predictor()
	defer m.release(p)
	return orNil(ll, p.LogLik(ll, x, y))
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
	p := m.predictor()
	defer m.release(p)
	if _, err := p.begin(d.X, false); err != nil {
		return 0, err
	}
	s := p.lossSum(d.X, d.Y, n)
	if m.cfg.K == 0 {
		return s / float64(n), nil
	}
	return s/float64(n) + m.logJacobian(), nil
}

// Predict returns one output row (Out values) per row of x: the network's
// output for an MLP, the mixture mean Σ_k π_k μ_k for a mixture model, in
// the data's units.
func (m *Model) Predict(x []float32) ([]float32, error) {
	out := make([]float32, len(x)/m.cfg.In*m.cfg.Out)
	p := m.predictor()
	defer m.release(p)
	return orNil(out, p.Predict(out, x))
}

// Mean returns the mixture mean Σ_k π_k μ_k for each row of x.
func (m *Model) Mean(x []float32) ([]float32, error) {
	out := make([]float32, len(x)/m.cfg.In*m.cfg.Out)
	p := m.predictor()
	defer m.release(p)
	return orNil(out, p.Mean(out, x))
}

// Mode returns, for each row of x, the highest mode found of the mixture
// density (see Mixture.Mode).
func (m *Model) Mode(x []float32) ([]float32, error) {
	out := make([]float32, len(x)/m.cfg.In*m.cfg.Out)
	p := m.predictor()
	defer m.release(p)
	return orNil(out, p.Mode(out, x))
}

// Sample draws one y for each row of x from the predicted mixture, with
// temperatures (see Predictor.Sample): the component from
// softmax(logits/tempPi), y from N(μ, (tempSigma·σ)²). rng seeds the
// sampler (one value drawn from it), so a seeded generator gives
// reproducible samples.
func (m *Model) Sample(x []float32, rng *rand.Rand, tempPi, tempSigma float64) ([]float32, error) {
	if rng == nil {
		return nil, errors.New("mdn: Sample needs a random generator")
	}
	p := m.predictor()
	defer m.release(p)
	p.Seed(rng.Uint64())
	out := make([]float32, len(x)/m.cfg.In*m.cfg.Out)
	return orNil(out, p.Sample(out, x, tempPi, tempSigma))
}
