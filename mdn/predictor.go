package mdn

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/mdnsimd/mdnsimd"
)

// A Predictor computes a model's predictions without allocating: it holds
// the scratch of the forward pass, of the distribution queries and of the
// sampler, and every method writes into slices the caller owns. Its
// scratch grows to the rows of the largest call (up to a chunk of at most
// 4096 rows, fewer for wide models; longer inputs run chunk by chunk), so
// once a Predictor has served its largest call, no call allocates.
//
// Every method takes rows of x (In values each, row-major) and, for a
// mixture model, works from the mixture p(y|x) in the data's units, computed
// once per chunk in one place: the network's layers over the whole chunk,
// then the softmax of the logits and the exponential of the log σ over the
// whole chunk (mdnsimd.Softmax and mdnsimd.Exp), σ floor included. Outputs
// have one value per row and output dimension, dst[i*Out+j], unless a method
// says otherwise; their lengths must match exactly. Bad input (a length
// that does not match, NaN or Inf in x or y, a level outside (0, 1)) is an
// error naming the problem, and nothing is written.
//
// Concurrency: a Predictor is for one goroutine at a time; make one per
// goroutine (NewPredictor is cheap). Any number of Predictors, and the
// Model's own prediction methods, may run on one model at once, since they
// only read it, but nothing may modify the model meanwhile (Train,
// SetParams, SetScaling, UnmarshalBinary, ReadFrom). A Predictor uses the
// model's current parameters, units and σ floor at every call, also after
// UnmarshalBinary or ReadFrom load another model of the same shape (In,
// Out, K and the layers); after they change the shape, its methods return
// an error.
type Predictor struct {
	m      *Model
	layers []layer // a copy of the model's layers when the Predictor was made
	in     int     // and its In, Out and K
	out, k int
	chunk  int // rows per forward pass
	rows   int // rows the buffers hold (≤ chunk)

	xin, yin   []float32   // x and y rows in model units (with a Scaling)
	loss       []float32   // per-row losses (Model.Loss)
	acts       [][]float32 // each layer's output, rows×out
	pi, mu, sg []float32   // one chunk's mixture (data units)
	comp       []int32     // the sampler's component per row
	bits       []uint64    // the sampler's random words, rows×(1+Out)
	s          scratch
	rng        splitMix
}

// NewPredictor returns a Predictor for m, its sampler seeded with 1 (see
// Seed). It allocates only small fixed-size state; the buffers come with
// the first calls.
func (m *Model) NewPredictor() *Predictor {
	p := &Predictor{m: m, layers: slices.Clone(m.layers), in: m.cfg.In, out: m.cfg.Out, k: m.cfg.K, chunk: m.predictChunk()}
	p.acts = make([][]float32, len(m.layers))
	p.Seed(1)
	return p
}

// Seed restarts the sampler: samples are a function of the seed, the
// model, the inputs and the calls made since, the same on every platform
// for the same mixture (but different kernel paths round the mixture
// differently).
func (p *Predictor) Seed(seed uint64) { p.rng.s = splitMixMix(seed ^ 0x73616d706c6572) } // "sampler"

var errReplaced = errors.New("mdn: the model's shape changed (UnmarshalBinary or ReadFrom) after NewPredictor; make a new Predictor")

// fits reports whether the model still has the shape the Predictor was
// made for.
func (p *Predictor) fits() bool {
	m := p.m
	return slices.Equal(m.layers, p.layers) && m.cfg.In == p.in && m.cfg.Out == p.out && m.cfg.K == p.k
}

// begin validates x and the model and returns the number of rows, with the
// buffers grown for them.
func (p *Predictor) begin(x []float32, mixture bool) (int, error) {
	m := p.m
	if !p.fits() {
		return 0, errReplaced
	}
	if mixture && m.cfg.K == 0 {
		return 0, errNotMixture
	}
	n, err := rows(x, m.cfg.In, "x")
	if err != nil {
		return 0, err
	}
	p.reserve(min(n, p.chunk))
	return n, nil
}

// reserve grows the buffers to hold rows rows.
func (p *Predictor) reserve(rows int) {
	if rows <= p.rows {
		return
	}
	m := p.m
	p.xin = make([]float32, rows*m.cfg.In)
	p.yin = make([]float32, rows*m.cfg.Out)
	p.loss = make([]float32, rows)
	for i, l := range m.layers {
		p.acts[i] = make([]float32, rows*l.out)
	}
	if k := m.cfg.K; k > 0 {
		kd := k * m.cfg.Out
		p.pi = make([]float32, rows*k)
		p.mu = make([]float32, rows*kd)
		p.sg = make([]float32, rows*kd)
		p.comp = make([]int32, rows)
		p.bits = make([]uint64, rows*(1+m.cfg.Out))
	}
	p.rows = rows
}

// forward runs the network on the n rows of x (data units; the input
// transform toModelUnits applies a Scaling) and returns the head output,
// n×headWidth, in model units, with log σ clamped to the σ floor when the
// model has one.
func (p *Predictor) forward(x []float32, n int) []float32 {
	m := p.m
	in := m.toModelUnits(p.xin, x[:n*m.cfg.In], 'x')
	for i, l := range m.layers {
		dst := p.acts[i][:n*l.out]
		w := m.params[l.w : l.w+l.out*l.in]
		b := m.params[l.b : l.b+l.out]
		if l.tanh {
			mdnsimd.LinearTanh(dst, in, w, b, n, l.in, l.out)
		} else {
			mdnsimd.Linear(dst, in, w, b, n, l.in, l.out)
		}
		in = dst
	}
	if floors := m.logFloors; floors != nil {
		k, d, hw := m.cfg.K, m.cfg.Out, m.cfg.headWidth()
		kd := k * d
		for r := range n {
			row := in[r*hw+k+kd : (r+1)*hw]
			for c := 0; c < kd; c += d {
				for j, lf := range floors {
					row[c+j] = max(row[c+j], lf)
				}
			}
		}
	}
	return in
}

// lossSum returns the sum over the n rows of x and y (data units) of the
// per-row loss Train reports: the mixture's NLL in model units (Model.Loss
// adds the Scaling's Jacobian to the mean), or a plain network's mean
// squared error of its outputs in data units. Each chunk's losses are
// summed as the trainer sums them (sum64).
func (p *Predictor) lossSum(x, y []float32, n int) float64 {
	m := p.m
	in, d := m.cfg.In, m.cfg.Out
	var s float64
	for lo := 0; lo < n; lo += p.chunk {
		c := min(p.chunk, n-lo)
		head := p.forward(x[lo*in:(lo+c)*in], c)
		yc, loss := y[lo*d:(lo+c)*d], p.loss[:c]
		if m.cfg.K == 0 {
			m.headToData(head, c)
			mseRows(loss, nil, head, yc, nil, d, 0)
		} else {
			mdnsimd.MixtureNLL(loss, head, m.toModelUnits(p.yin, yc, 'y'), m.cfg.K, d)
		}
		s += sum64(loss)
	}
	return s
}

// mixtureInto computes the mixture of the n rows of x into pi (n×K), mu
// and sg (n×K·D), in the data's units: the one place every query's
// mixture comes from. The head goes from model units to data units by the
// output transform headToData, its three parts are split into pi, mu and
// sg, then the softmax and the exponential run in place over the whole
// chunk.
func (p *Predictor) mixtureInto(pi, mu, sg, x []float32, n int) {
	m := p.m
	k := m.cfg.K
	head := p.forward(x, n)
	m.headToData(head, n)
	splitHead(pi, mu, sg, head, n, k, k*m.cfg.Out)
	mdnsimd.Softmax(pi, pi, n, k)
	mdnsimd.Exp(sg, sg)
}

// splitHeadGo copies the n head rows [logits K | μ K·D | log σ K·D] into
// the three row-major blocks lg, mu and ls (see splitHead).
func splitHeadGo(lg, mu, ls, head []float32, n, k, kd int) {
	hw := k + 2*kd
	lg, mu, ls = lg[:n*k], mu[:n*kd], ls[:n*kd]
	for r := range n {
		h := head[r*hw : (r+1)*hw]
		copy(lg[r*k:(r+1)*k], h[:k])
		copy(mu[r*kd:(r+1)*kd], h[k:k+kd])
		copy(ls[r*kd:(r+1)*kd], h[k+kd:])
	}
}

// chunk returns the mixture of rows [lo, lo+c) of x in the Predictor's
// buffers.
func (p *Predictor) mixChunk(x []float32, lo, c int) Mixture {
	cfg := &p.m.cfg
	k, kd, in := cfg.K, cfg.K*cfg.Out, cfg.In
	mix := Mixture{N: c, K: k, D: cfg.Out, Pi: p.pi[:c*k], Mu: p.mu[:c*kd], Sigma: p.sg[:c*kd]}
	p.mixtureInto(mix.Pi, mix.Mu, mix.Sigma, x[lo*in:(lo+c)*in], c)
	return mix
}

// Mixture sets dst to the mixture parameters for the rows of x (see
// Mixture). dst's slices are reused where their capacity suffices and
// allocated otherwise, so a dst kept across calls allocates only when it
// must grow.
func (p *Predictor) Mixture(dst *Mixture, x []float32) error {
	n, err := p.begin(x, true)
	if err != nil {
		return err
	}
	cfg := &p.m.cfg
	k, kd, in := cfg.K, cfg.K*cfg.Out, cfg.In
	*dst = Mixture{N: n, K: k, D: cfg.Out, Pi: grow(dst.Pi, n*k), Mu: grow(dst.Mu, n*kd), Sigma: grow(dst.Sigma, n*kd)}
	for lo := 0; lo < n; lo += p.chunk {
		c := min(p.chunk, n-lo)
		p.mixtureInto(dst.Pi[lo*k:(lo+c)*k], dst.Mu[lo*kd:(lo+c)*kd], dst.Sigma[lo*kd:(lo+c)*kd], x[lo*in:(lo+c)*in], c)
	}
	return nil
}

// grow returns s resliced to n, or a new slice when its capacity is short.
func grow(s []float32, n int) []float32 {
	if cap(s) < n {
		return make([]float32, n)
	}
	return s[:n]
}

// Predict sets dst to the network's output for a plain model (K = 0) and
// to the mixture mean for a mixture model.
func (p *Predictor) Predict(dst, x []float32) error {
	if p.m.cfg.K > 0 {
		return p.Mean(dst, x)
	}
	n, err := p.begin(x, false)
	if err != nil {
		return err
	}
	in, out := p.m.cfg.In, p.m.cfg.Out
	if err := checkOut("dst", dst, n, 1, out, ""); err != nil {
		return err
	}
	for lo := 0; lo < n; lo += p.chunk {
		c := min(p.chunk, n-lo)
		head := p.forward(x[lo*in:(lo+c)*in], c)
		p.m.headToData(head, c)
		copy(dst[lo*out:(lo+c)*out], head)
	}
	return nil
}

// query is one of the queries that write one value per row and dimension
// from the mixture alone.
type query int

const (
	qMean query = iota
	qVariance
	qStd
	qMode
)

func (p *Predictor) perRow(dst, x []float32, q query) error {
	n, err := p.begin(x, true)
	if err != nil {
		return err
	}
	d := p.m.cfg.Out
	if err := checkOut("dst", dst, n, 1, d, ""); err != nil {
		return err
	}
	for lo := 0; lo < n; lo += p.chunk {
		c := min(p.chunk, n-lo)
		mix := p.mixChunk(x, lo, c)
		out := dst[lo*d : (lo+c)*d]
		switch q {
		case qMean:
			mix.mean(out)
		case qVariance, qStd:
			mix.variance(out, q == qStd)
		case qMode:
			if p.s.mode == nil {
				p.s.mode = new(modeWork)
			}
			mix.mode(out, &p.s)
		}
	}
	return nil
}

// Mean sets dst to the mixture means Σ_k π_k μ_k.
func (p *Predictor) Mean(dst, x []float32) error { return p.perRow(dst, x, qMean) }

// Variance sets dst to the mixtures' variances (law of total variance; see
// Mixture.Variance).
func (p *Predictor) Variance(dst, x []float32) error { return p.perRow(dst, x, qVariance) }

// Std sets dst to the mixtures' standard deviations.
func (p *Predictor) Std(dst, x []float32) error { return p.perRow(dst, x, qStd) }

// Mode sets dst to the highest mode found of each mixture (see
// Mixture.Mode).
func (p *Predictor) Mode(dst, x []float32) error { return p.perRow(dst, x, qMode) }

// withY validates x, y and dst for a query at one y per row and dimension.
func (p *Predictor) withY(dst, x, y []float32) (int, error) {
	n, err := p.begin(x, true)
	if err != nil {
		return 0, err
	}
	d := p.m.cfg.Out
	if err := checkOut("y", y, n, 1, d, ""); err != nil {
		return 0, err
	}
	if err := checkFinite(y, d, "y"); err != nil {
		return 0, err
	}
	return n, nil
}

// LogLik sets dst[i] = log p(y_i | x_i), one value per row, the density
// of y in the data's units: the mixture kernel (mdnsimd.MixtureNLL, in
// log-sum-exp form) on the network's head and y in model units, less the
// Jacobian Σ_d log YStd[d] of a Scaling.
func (p *Predictor) LogLik(dst, x, y []float32) error {
	n, err := p.withY(nil, x, y)
	if err != nil {
		return err
	}
	if len(dst) != n {
		return fmt.Errorf("mdn: len(dst) = %d, want %d (one log-likelihood per row)", len(dst), n)
	}
	m := p.m
	in, d := m.cfg.In, m.cfg.Out
	jac := m.logJacobian()
	for lo := 0; lo < n; lo += p.chunk {
		c := min(p.chunk, n-lo)
		head := p.forward(x[lo*in:(lo+c)*in], c)
		yc := m.toModelUnits(p.yin, y[lo*d:(lo+c)*d], 'y')
		ll := dst[lo : lo+c]
		mdnsimd.MixtureNLL(ll, head, yc, m.cfg.K, d)
		if jac == 0 {
			for i, v := range ll {
				ll[i] = -v
			}
			continue
		}
		for i, v := range ll {
			ll[i] = float32(-float64(v) - jac)
		}
	}
	return nil
}

// yQuery is one of the queries at one y per row and dimension.
type yQuery int

const (
	qCDF yQuery = iota
	qCRPS
)

func (p *Predictor) atY(dst, x, y []float32, q yQuery) error {
	n, err := p.withY(dst, x, y)
	if err != nil {
		return err
	}
	d := p.m.cfg.Out
	if err := checkOut("dst", dst, n, 1, d, ""); err != nil {
		return err
	}
	for lo := 0; lo < n; lo += p.chunk {
		c := min(p.chunk, n-lo)
		mix := p.mixChunk(x, lo, c)
		out, yc := dst[lo*d:(lo+c)*d], y[lo*d:(lo+c)*d]
		if q == qCDF {
			mix.cdf(out, yc, &p.s)
		} else {
			mix.crps(out, yc, &p.s)
		}
	}
	return nil
}

// CDF sets dst to the marginal CDF of each row's mixture at y, dimension
// by dimension (see Mixture.CDF).
func (p *Predictor) CDF(dst, x, y []float32) error { return p.atY(dst, x, y, qCDF) }

// PIT sets dst to the probability integral transform of the observed y,
// F(y) per row and dimension: uniform on (0, 1) for a calibrated model
// (see Coverage).
func (p *Predictor) PIT(dst, x, y []float32) error { return p.atY(dst, x, y, qCDF) }

// CRPS sets dst to the continuous ranked probability score of each row's
// marginal mixture at the observed y, per dimension, in closed form (see
// Mixture.CRPS).
func (p *Predictor) CRPS(dst, x, y []float32) error { return p.atY(dst, x, y, qCRPS) }

// Quantiles sets dst[(i*L+l)*Out+j] to the quantile at levels[l] of row
// i's marginal mixture in dimension j (L = len(levels)), with
// Mixture.Quantiles' accuracy.
func (p *Predictor) Quantiles(dst, x []float32, levels []float64) error {
	n, err := p.begin(x, true)
	if err != nil {
		return err
	}
	d, nl := p.m.cfg.Out, len(levels)
	if err := checkOut("dst", dst, n, nl, d, "levels"); err != nil {
		return err
	}
	p.s.need(p.m.cfg.K, nl, 0)
	if p.s.levels, err = prepareLevels(p.s.levels, levels); err != nil {
		return err
	}
	for lo := 0; lo < n; lo += p.chunk {
		c := min(p.chunk, n-lo)
		mix := p.mixChunk(x, lo, c)
		mix.quantiles(dst[lo*nl*d:(lo+c)*nl*d], &p.s)
	}
	return nil
}

// Interval sets lo and hi to the central interval of probability coverage
// of each row's marginal mixture, per dimension (see Mixture.Interval).
func (p *Predictor) Interval(lo, hi, x []float32, coverage float64) error {
	n, err := p.begin(x, true)
	if err != nil {
		return err
	}
	d := p.m.cfg.Out
	if err := checkOut("lo", lo, n, 1, d, ""); err != nil {
		return err
	}
	if err := checkOut("hi", hi, n, 1, d, ""); err != nil {
		return err
	}
	p.s.need(p.m.cfg.K, 2, 0)
	if p.s.levels, err = intervalLevels(p.s.levels, coverage); err != nil {
		return err
	}
	for r := 0; r < n; r += p.chunk {
		c := min(p.chunk, n-r)
		mix := p.mixChunk(x, r, c)
		mix.interval(lo[r*d:(r+c)*d], hi[r*d:(r+c)*d], &p.s)
	}
	return nil
}

// Density sets dst[(i*G+g)*Out+j] to the marginal density of row i's
// mixture in dimension j at grid[g] (G = len(grid)).
func (p *Predictor) Density(dst, x, grid []float32) error {
	n, err := p.begin(x, true)
	if err != nil {
		return err
	}
	d, ng := p.m.cfg.Out, len(grid)
	if err := checkOut("dst", dst, n, ng, d, "grid points"); err != nil {
		return err
	}
	if err := checkFinite(grid, 1, "grid"); err != nil {
		return err
	}
	for lo := 0; lo < n; lo += p.chunk {
		c := min(p.chunk, n-lo)
		mix := p.mixChunk(x, lo, c)
		mix.density(dst[lo*ng*d:(lo+c)*ng*d], grid, &p.s)
	}
	return nil
}

// Sample sets dst to one draw of y per row of x from the predicted
// mixture, with temperatures: the component is drawn from
// softmax(logits/tempPi) (1 samples π as predicted, 0 takes the most
// probable component, and so does a tempPi whose reciprocal overflows)
// and y from N(μ, (tempSigma·σ)²) (0 returns the component mean). The
// randomness comes from the Predictor's generator (see Seed): for each
// chunk, one uniform per row picks the components, then the normals are
// drawn (ziggurat) for every row and dimension.
func (p *Predictor) Sample(dst, x []float32, tempPi, tempSigma float64) error {
	if math.IsNaN(tempPi) || math.IsInf(tempPi, 0) || tempPi < 0 || math.IsNaN(tempSigma) || math.IsInf(tempSigma, 0) || tempSigma < 0 {
		return fmt.Errorf("mdn: temperatures %v, %v: want finite values ≥ 0", tempPi, tempSigma)
	}
	n, err := p.begin(x, true)
	if err != nil {
		return err
	}
	d := p.m.cfg.Out
	if err := checkOut("dst", dst, n, 1, d, ""); err != nil {
		return err
	}
	for lo := 0; lo < n; lo += p.chunk {
		c := min(p.chunk, n-lo)
		mix := p.mixChunk(x, lo, c)
		p.sample(dst[lo*d:(lo+c)*d], &mix, tempPi, tempSigma)
	}
	return nil
}
