package mdn

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// TrainOptions controls Train. The zero value (apart from Epochs) trains
// full batch with Adam and PyTorch's defaults on one thread.
type TrainOptions struct {
	Epochs    int // epochs to run in this call, ≥ 1
	BatchSize int // rows per step; 0 (or ≥ the training rows) for full batch

	// Optimizer is Adam (the default, also for ""), RMSprop or SGD. LR 0
	// picks PyTorch's default: Adam 1e-3 (β 0.9/0.999, ε 1e-8), RMSprop
	// 1e-2 (α 0.99, ε 1e-8), SGD 1e-2. Momentum is SGD's and RMSprop's
	// momentum (default 0) and, when nonzero, Adam's β1.
	Optimizer Optimizer
	LR        float64
	Momentum  float64

	// ValFrac in [0, 1) holds out that fraction of the rows (chosen by a
	// shuffle seeded with Seed) for validation; the validation loss is
	// computed after every epoch. With Patience > 0, training stops after
	// Patience epochs without a new best validation loss and the
	// parameters of the best epoch are restored.
	ValFrac  float64
	Patience int

	// Workers (at most 1024) splits every step's rows into that many fixed
	// contiguous shards, run in parallel by persistent goroutines; the
	// gradients are summed in shard order, so a run is deterministic for a
	// given Workers (0 means 1). Different Workers values round differently.
	Workers int

	// Seed seeds the validation split and the minibatch shuffles (epoch e
	// is shuffled by a generator seeded with (Seed, e), so a run resumed
	// from a checkpoint shuffles as the uninterrupted run would).
	Seed uint64

	// ClipNorm > 0 rescales the gradient to that global L2 norm when it is
	// larger (PyTorch's clip_grad_norm_).
	ClipNorm float64

	// CheckpointEvery > 0 saves the model with its optimizer state to
	// CheckpointPath (atomically, see Save) every that many epochs.
	CheckpointEvery int
	CheckpointPath  string

	// Standardize, on a model without a Scaling that has not been trained
	// yet, first gives it the Scaling of the training rows (ScalingOf on
	// the rows left after the validation split), so that the network fits
	// standardised inputs and targets whatever the data's units. A model
	// that has a Scaling keeps it and uses it whatever this says; one
	// trained without a Scaling cannot take one (an error).
	Standardize bool

	// Progress, if set, is called after every epoch from the goroutine that
	// called Train; it must be quick.
	Progress func(Progress)
}

// Progress reports one finished epoch. Losses are in the data's units, as
// Model.Loss gives them (see Train).
type Progress struct {
	Epoch   int64   // epochs trained so far, over all Train calls (Model.Epochs)
	Epochs  int64   // the epoch count this call will reach
	Loss    float64 // mean training loss over the epoch's steps
	ValLoss float64 // validation loss after the epoch; NaN without validation
	Elapsed time.Duration
}

// Result summarises a Train call; its losses are in the data's units.
type Result struct {
	Epochs       int     // epochs completed in this call
	Loss         float64 // training loss of the last completed epoch
	ValLoss      float64 // validation loss after the last epoch; NaN without validation
	BestValLoss  float64 // best validation loss seen; NaN without validation
	BestEpoch    int64   // Model.Epochs at the best validation loss
	StoppedEarly bool    // early stopping ended the run
	Elapsed      time.Duration
}

// ErrNonFinite is wrapped by the error Train returns when the loss or the
// parameters stop being finite.
var ErrNonFinite = errors.New("mdn: training diverged (loss or parameters not finite)")

// Train fits the model to d. Each step runs the network forward and backward
// through the dispatched mdnsimd kernels (LinearTanh and Linear forward,
// MixtureNLLGrad for the loss gradient, LinearTanhGradWeights,
// LinearGradWeights and LinearGradInput backward), optionally clips the
// gradient, and applies the optimizer. After its first step a step
// allocates nothing.
//
// Optimizer state is kept in the model: a further Train call, or a call on a
// model loaded from a checkpoint, continues it when the optimizer is the
// same, and starts it afresh otherwise.
//
// Train stops early, returning the result so far with an error, when ctx is
// done (the error wraps ctx.Err(); the parameters are those after the last
// completed step, so a minibatch epoch cut short keeps its finished steps
// but is not counted in Epochs), or when the loss or the parameters become
// non-finite (the error wraps ErrNonFinite; the parameters are restored to
// those of the last step whose loss was finite and the optimizer state is
// cleared), or when the validation loss is not finite (the error wraps
// ErrNonFinite; the epoch's parameters are kept). A call refused for its
// options or its data leaves the model as it was. A run resumed
// from a checkpoint written at an epoch boundary (CheckpointEvery) with
// the same options reproduces the uninterrupted run bit for bit, except
// with Patience: the best validation loss and its parameters are not in
// the checkpoint, so a resumed run starts its patience afresh.
func (m *Model) Train(ctx context.Context, d Dataset, o TrainOptions) (Result, error) {
	res := Result{ValLoss: math.NaN(), BestValLoss: math.NaN()}
	t, err := newTrainer(m, d, o)
	if err != nil {
		return res, err
	}
	defer t.close()
	start := time.Now()
	target := m.epochs + int64(o.Epochs)
	bad := 0
	for e := 0; e < o.Epochs; e++ {
		if err := ctx.Err(); err != nil {
			res.Elapsed = time.Since(start)
			return res, fmt.Errorf("mdn: training stopped after %d epochs: %w", m.epochs, err)
		}
		loss, err := t.epoch(ctx)
		if err != nil {
			res.Elapsed = time.Since(start)
			return res, err
		}
		loss += t.lossOffset
		m.epochs++
		res.Epochs++
		res.Loss = loss
		if t.nv > 0 {
			res.ValLoss = t.eval(t.xv, t.yv, t.nv)/float64(t.nv) + t.lossOffset
			if math.IsNaN(res.ValLoss) || math.IsInf(res.ValLoss, 0) {
				res.Elapsed = time.Since(start)
				return res, fmt.Errorf("%w: epoch %d: the validation loss is %v", ErrNonFinite, m.epochs, res.ValLoss)
			}
			if math.IsNaN(res.BestValLoss) || res.ValLoss < res.BestValLoss {
				res.BestValLoss, res.BestEpoch, bad = res.ValLoss, m.epochs, 0
				if o.Patience > 0 {
					copy(t.best, m.params)
				}
			} else {
				bad++
			}
		}
		if o.Progress != nil {
			o.Progress(Progress{Epoch: m.epochs, Epochs: target, Loss: loss, ValLoss: res.ValLoss, Elapsed: time.Since(start)})
		}
		if o.CheckpointEvery > 0 && m.epochs%int64(o.CheckpointEvery) == 0 {
			if err := m.Save(o.CheckpointPath); err != nil {
				res.Elapsed = time.Since(start)
				return res, fmt.Errorf("mdn: checkpoint at epoch %d: %w", m.epochs, err)
			}
		}
		if o.Patience > 0 && bad >= o.Patience {
			copy(m.params, t.best)
			res.StoppedEarly = true
			break
		}
	}
	res.Elapsed = time.Since(start)
	return res, nil
}

// trainer owns every buffer of a Train call.
type trainer struct {
	m   *Model
	o   TrainOptions
	opt optimizer

	xt, yt []float32 // training rows, in model units
	nt     int
	xv, yv []float32 // validation rows, in model units
	nv     int

	lossOffset float64 // added to a mean model-unit loss for data units

	batch  int       // rows per step
	perm   []int32   // shuffled row order (minibatches)
	xb, yb []float32 // gathered minibatch
	pcg    *rand.PCG
	rng    *rand.Rand

	prev []float32 // parameters before the last update
	best []float32 // parameters at the best validation loss (Patience > 0)

	w *workers
}

func newTrainer(m *Model, d Dataset, o TrainOptions) (*trainer, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if d.In != m.cfg.In || d.Out != m.cfg.Out {
		return nil, fmt.Errorf("mdn: dataset has %d inputs and %d outputs, the model %d and %d", d.In, d.Out, m.cfg.In, m.cfg.Out)
	}
	if m.epochs > math.MaxInt64-int64(o.Epochs) {
		return nil, fmt.Errorf("mdn: the model has trained %d epochs; %d more would overflow the count", m.epochs, o.Epochs)
	}
	if _, err := NewDataset(d.X, d.Y, d.In, d.Out); err != nil {
		return nil, err
	}
	if d.N != len(d.X)/d.In {
		return nil, fmt.Errorf("mdn: dataset N = %d but it holds %d rows", d.N, len(d.X)/d.In)
	}
	standardize := o.Standardize && m.units == nil
	if standardize && m.epochs > 0 {
		return nil, fmt.Errorf("mdn: TrainOptions.Standardize: the model has trained %d epochs on raw values; standardising now would change what its parameters mean", m.epochs)
	}
	opt, err := newOptimizer(o.Optimizer, o.LR, o.Momentum)
	if err != nil {
		return nil, err
	}
	t := &trainer{m: m, o: o, opt: opt}

	in, out := d.In, d.Out
	nv := int(math.Round(o.ValFrac * float64(d.N)))
	if o.ValFrac > 0 && nv == 0 {
		nv = 1
	}
	if nv >= d.N {
		return nil, fmt.Errorf("mdn: ValFrac %v leaves no training rows out of %d", o.ValFrac, d.N)
	}
	if nv == 0 {
		t.xt, t.yt, t.nt = d.X, d.Y, d.N
	} else {
		// A seeded shuffle picks the validation rows; both parts are
		// copied so each is contiguous.
		idx := make([]int, d.N)
		for i := range idx {
			idx[i] = i
		}
		r := rand.New(rand.NewPCG(o.Seed, 0x6d646e2d76616c)) // "mdn-val"
		r.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
		t.nt, t.nv = d.N-nv, nv
		t.xt, t.yt = gather(d, idx[:t.nt])
		t.xv, t.yv = gather(d, idx[t.nt:])
	}
	if standardize {
		if err := m.SetScaling(ScalingOf(Dataset{X: t.xt, Y: t.yt, N: t.nt, In: in, Out: out})); err != nil {
			return nil, err
		}
	}
	if m.units != nil {
		// Copies in model units; gather's copies are converted in place.
		conv := func(v []float32, side byte, own bool) []float32 {
			dst := v
			if !own {
				dst = make([]float32, len(v))
			}
			return m.toModelUnits(dst, v, side)
		}
		own := nv > 0
		t.xt, t.yt = conv(t.xt, 'x', own), conv(t.yt, 'y', own)
		t.xv, t.yv = conv(t.xv, 'x', own), conv(t.yv, 'y', own)
		if m.cfg.K > 0 {
			t.lossOffset = m.logJacobian()
		}
	}
	if m.xCols == nil && len(d.XCols) == in && len(d.YCols) == out {
		m.SetColumns(d.XCols, d.YCols)
	}

	// Every check that can refuse the call is above: the optimizer's
	// state, which prepare resets for another optimizer, stays as it was
	// when the call returns an error.
	opt.prepare(&m.opt, len(m.params))

	t.batch = o.BatchSize
	if t.batch == 0 || t.batch > t.nt {
		t.batch = t.nt
	}
	if t.batch < t.nt {
		t.perm = make([]int32, t.nt)
		t.xb = make([]float32, t.batch*in)
		t.yb = make([]float32, t.batch*out)
		t.pcg = rand.NewPCG(o.Seed, 0)
		t.rng = rand.New(t.pcg)
	}
	t.prev = append([]float32(nil), m.params...)
	if o.Patience > 0 {
		t.best = append([]float32(nil), m.params...)
	}
	nw := max(o.Workers, 1)
	rows := max(t.batch, t.nv)
	t.w = newWorkers(m, nw, rows)
	return t, nil
}

// gather copies the rows idx of d into new contiguous slices.
func gather(d Dataset, idx []int) (x, y []float32) {
	x = make([]float32, len(idx)*d.In)
	y = make([]float32, len(idx)*d.Out)
	for i, r := range idx {
		copy(x[i*d.In:(i+1)*d.In], d.X[r*d.In:(r+1)*d.In])
		copy(y[i*d.Out:(i+1)*d.Out], d.Y[r*d.Out:(r+1)*d.Out])
	}
	return x, y
}

func (t *trainer) close() { t.w.close() }

// epoch runs one pass over the training rows and returns the mean loss.
func (t *trainer) epoch(ctx context.Context) (float64, error) {
	if t.batch == t.nt {
		s, err := t.step(t.xt, t.yt, t.nt)
		return s / float64(t.nt), err
	}
	in, out := t.m.cfg.In, t.m.cfg.Out
	t.pcg.Seed(t.o.Seed, uint64(t.m.epochs))
	for i := range t.perm {
		t.perm[i] = int32(i)
	}
	for i := len(t.perm) - 1; i > 0; i-- {
		j := t.rng.IntN(i + 1)
		t.perm[i], t.perm[j] = t.perm[j], t.perm[i]
	}
	var total float64
	for lo := 0; lo < t.nt; lo += t.batch {
		if lo > 0 {
			if err := ctx.Err(); err != nil {
				return 0, fmt.Errorf("mdn: training stopped during epoch %d: %w", t.m.epochs+1, err)
			}
		}
		n := min(t.batch, t.nt-lo)
		for i, r := range t.perm[lo : lo+n] {
			copy(t.xb[i*in:(i+1)*in], t.xt[int(r)*in:(int(r)+1)*in])
			copy(t.yb[i*out:(i+1)*out], t.yt[int(r)*out:(int(r)+1)*out])
		}
		s, err := t.step(t.xb, t.yb, n)
		if err != nil {
			return 0, err
		}
		total += s
	}
	return total / float64(t.nt), nil
}

// step computes the gradient of the mean loss over the n rows of x, y and
// applies one update. It returns the summed loss (before the update).
func (t *trainer) step(x, y []float32, n int) (float64, error) {
	m := t.m
	loss := t.w.run(x, y, n, true)
	g := t.w.grad()
	if math.IsNaN(loss) || math.IsInf(loss, 0) {
		return t.diverged("loss is %v", loss)
	}
	// The loss is finite at these parameters: they are the ones to go
	// back to if the gradient or the update is not.
	copy(t.prev, m.params)
	if t.o.ClipNorm > 0 {
		var ss float64
		for _, v := range g {
			ss += float64(v) * float64(v)
		}
		norm := math.Sqrt(ss)
		if math.IsNaN(norm) || math.IsInf(norm, 0) {
			return t.diverged("gradient norm is %v", norm)
		}
		if c := t.o.ClipNorm / (norm + 1e-6); c < 1 {
			cf := float32(c)
			for i := range g {
				g[i] *= cf
			}
		}
	}
	if !t.opt.update(&m.opt, m.params, g) {
		return t.diverged("a parameter is not finite after step %d", m.opt.step)
	}
	return loss, nil
}

// diverged restores the last good parameters, clears the optimizer state
// and returns the error.
func (t *trainer) diverged(format string, v ...any) (float64, error) {
	copy(t.m.params, t.prev)
	t.m.opt = optState{}
	return 0, fmt.Errorf("%w: epoch %d: %s", ErrNonFinite, t.m.epochs+1, fmt.Sprintf(format, v...))
}

// eval returns the summed loss over the n rows of x, y.
func (t *trainer) eval(x, y []float32, n int) float64 {
	return t.w.run(x, y, n, false)
}
