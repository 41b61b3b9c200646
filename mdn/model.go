package mdn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
)

// Config describes a network: In inputs, one tanh layer per entry of Hidden,
// and a fused linear head.
//
// With K ≥ 1 the head is a Mixture Density Network head: for each input row
// it produces K mixture logits, K·Out means and K·Out log standard
// deviations (diagonal covariance), laid out [logits K | μ K·Out | logσ K·Out]
// with component-major μ and logσ (μ[c*Out+j]). The loss is the mean negative
// log-likelihood of the targets under that mixture.
//
// With K == 0 the head is a plain linear output of width Out and the loss is
// the mean squared error over all outputs (PyTorch's MSELoss): the baseline
// multilayer perceptron.
type Config struct {
	In     int   // input dimension, ≥ 1
	Out    int   // output (target) dimension D, ≥ 1
	Hidden []int // widths of the tanh hidden layers, each ≥ 1; may be empty
	K      int   // mixture components; 0 for a plain MLP with MSE loss

	// SigmaFloor, when > 0, is a lower bound on every σ, in the data's
	// units: the head's logσ outputs are clamped to ≥ log(SigmaFloor)
	// (less log YStd[d] for a model with a Scaling) before the loss and in
	// every prediction, and the gradient of a clamped logσ is zero (the
	// subgradient of the clamp). It is part of the model, not only of
	// training, because a σ trained against the floor may sit below it.
	SigmaFloor float64
}

// Limits on a configuration, generous for the models this package is for and
// small enough that sizes cannot overflow.
const (
	maxLayers = 64
	maxWidth  = 1 << 20
	maxParams = 1 << 30
)

// headWidth is the width of one row of head output.
func (c Config) headWidth() int {
	if c.K == 0 {
		return c.Out
	}
	return c.K + 2*c.K*c.Out
}

// validate checks the configuration and returns the number of parameters.
func (c Config) validate() (int, error) {
	switch {
	case c.In < 1 || c.In > maxWidth:
		return 0, optionErr("Config.In", c.In, "1..%d", maxWidth)
	case c.Out < 1 || c.Out > maxWidth:
		return 0, optionErr("Config.Out", c.Out, "1..%d", maxWidth)
	case c.K < 0 || c.K > maxWidth:
		return 0, optionErr("Config.K", c.K, "0..%d", maxWidth)
	case len(c.Hidden) > maxLayers:
		return 0, optionErr("Config.Hidden", c.Hidden, "at most %d layers", maxLayers)
	case math.IsNaN(c.SigmaFloor) || math.IsInf(c.SigmaFloor, 0) || c.SigmaFloor < 0:
		return 0, optionErr("Config.SigmaFloor", c.SigmaFloor, "a finite value ≥ 0")
	case c.SigmaFloor > 0 && c.K == 0:
		return 0, optionErr("Config.SigmaFloor", c.SigmaFloor, "0 without a mixture head")
	case c.K > 0 && int64(c.K)*(1+2*int64(c.Out)) > maxWidth:
		return 0, optionErr("Config.K", c.K, "at most %d head outputs in all (%d per component with %d targets)", maxWidth, 1+2*c.Out, c.Out)
	}
	// Sizes in int64: each product is below 2⁴², and the sum is checked
	// after every layer, so nothing overflows on 32-bit platforms either.
	var n int64
	in := int64(c.In)
	for i, h := range c.Hidden {
		if h < 1 || h > maxWidth {
			return 0, optionErr(fmt.Sprintf("Config.Hidden[%d]", i), h, "1..%d", maxWidth)
		}
		n += (in + 1) * int64(h)
		if n > maxParams {
			return 0, optionErr("Config.Hidden", c.Hidden, "at most %d parameters in all", maxParams)
		}
		in = int64(h)
	}
	n += (in + 1) * int64(c.headWidth())
	if n > maxParams {
		return 0, optionErr("Config.Hidden", c.Hidden, "at most %d parameters in all", maxParams)
	}
	return int(n), nil
}

// layer is one linear map, its weights (out×in, PyTorch layout) and bias at
// fixed offsets in the flat parameter vector; the same offsets index the
// gradient and every optimizer state vector.
type layer struct {
	in, out int
	w, b    int // offsets of w (out·in values) and b (out values)
	tanh    bool
}

// Model is a network with its parameters, its units (an optional Scaling)
// and, once trained, its optimizer state and the names of its training
// columns. Prediction methods (Loss, LogLik, Mixture, Sample, Mean, Mode,
// Predict) only read the model and may run concurrently with each other;
// Train, SetParams, SetScaling, SetColumns, UnmarshalBinary and ReadFrom
// modify it and must not run concurrently with anything else on the same
// model.
type Model struct {
	cfg    Config
	layers []layer   // hidden layers then the head
	params []float32 // all weights and biases, layer by layer (w then b)
	opt    optState  // optimizer state, saved with the model for resuming
	epochs int64     // epochs trained so far

	units     *units    // standardisation; nil: the data's units
	logFloors []float32 // per target, log σ floor in model units; nil: none
	xCols     []string  // training input columns (names or 1-based numbers); nil: unknown
	yCols     []string  // training target columns

	// preds keeps Predictors between calls of the Model's own prediction
	// methods (predictor, release), so that they do not grow a forward
	// pass's buffers at every call. A Model replaced by UnmarshalBinary
	// or ReadFrom takes the new model's pool with it.
	preds *sync.Pool
}

// New returns a model with PyTorch's default Linear initialisation: every
// weight and bias of a layer with fan-in n drawn from U(−1/√n, 1/√n), from a
// generator seeded with seed, layer by layer (weights row by row, then the
// bias). The same seed gives the same parameters.
func New(cfg Config, seed uint64) (*Model, error) {
	m, err := newModel(cfg)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(seed, 0x6d646e2d696e6974)) // "mdn-init"
	for _, l := range m.layers {
		bound := 1 / math.Sqrt(float64(l.in))
		for i := range l.out * l.in {
			m.params[l.w+i] = float32((2*rng.Float64() - 1) * bound)
		}
		for i := range l.out {
			m.params[l.b+i] = float32((2*rng.Float64() - 1) * bound)
		}
	}
	return m, nil
}

// newModel allocates a zero model for cfg.
func newModel(cfg Config) (*Model, error) {
	n, err := cfg.validate()
	if err != nil {
		return nil, err
	}
	cfg.Hidden = append([]int(nil), cfg.Hidden...)
	m := &Model{cfg: cfg, params: make([]float32, n), preds: new(sync.Pool)}
	off, in := 0, cfg.In
	for _, h := range cfg.Hidden {
		m.layers = append(m.layers, layer{in: in, out: h, w: off, b: off + in*h, tanh: true})
		off += (in + 1) * h
		in = h
	}
	hw := cfg.headWidth()
	m.layers = append(m.layers, layer{in: in, out: hw, w: off, b: off + in*hw})
	m.setFloors()
	return m, nil
}

// Config returns the model's configuration (a copy).
func (m *Model) Config() Config {
	c := m.cfg
	c.Hidden = append([]int(nil), c.Hidden...)
	return c
}

// NumParams returns the number of trainable parameters.
func (m *Model) NumParams() int { return len(m.params) }

// Params returns a copy of the parameters, layer by layer: each layer's
// weights (out×in, row-major) then its bias.
func (m *Model) Params() []float32 { return append([]float32(nil), m.params...) }

// SetParams replaces the parameters (laid out as Params returns them). It
// keeps any optimizer state.
func (m *Model) SetParams(p []float32) error {
	if len(p) != len(m.params) {
		return fmt.Errorf("mdn: SetParams got %d values, want %d", len(p), len(m.params))
	}
	for i, v := range p {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return fmt.Errorf("mdn: SetParams: parameter %d is %v", i, v)
		}
	}
	copy(m.params, p)
	return nil
}

// Epochs returns the number of epochs the model has been trained for,
// counting every Train call and carried through Save and Load, so that a
// resumed run can train the remaining epochs.
func (m *Model) Epochs() int64 { return m.epochs }

// IsMixture reports whether the model has a mixture head (K ≥ 1).
func (m *Model) IsMixture() bool { return m.cfg.K > 0 }

// Columns returns the names of the columns the model was trained on, inputs
// then targets (CSV header names, or 1-based column numbers for a file
// without a header), or nil slices when they are not known. mdn eval and
// mdn sample use them when no columns are given.
func (m *Model) Columns() (x, y []string) {
	return append([]string(nil), m.xCols...), append([]string(nil), m.yCols...)
}

// SetColumns records the training columns: x must have Config.In names and
// y Config.Out, or both be empty to forget them. Train records a data
// set's columns (Dataset.XCols, YCols) when the model has none.
func (m *Model) SetColumns(x, y []string) error {
	if len(x) == 0 && len(y) == 0 {
		m.xCols, m.yCols = nil, nil
		return nil
	}
	if len(x) != m.cfg.In || len(y) != m.cfg.Out {
		return fmt.Errorf("mdn: SetColumns got %d input and %d target names, the model has %d and %d", len(x), len(y), m.cfg.In, m.cfg.Out)
	}
	for _, s := range append(append([]string(nil), x...), y...) {
		if len(s) > maxColumnName {
			return fmt.Errorf("mdn: SetColumns: a name of %d bytes, at most %d", len(s), maxColumnName)
		}
	}
	m.xCols, m.yCols = append([]string(nil), x...), append([]string(nil), y...)
	return nil
}

// maxColumnName bounds one column name kept in a model.
const maxColumnName = 1 << 16
