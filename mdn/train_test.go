package mdn

import (
	"context"
	"errors"
	"math"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

var seedCfg = Config{In: 1, Out: 1, Hidden: []int{20}, K: 5}

func trainBits(t *testing.T, cfg Config, d Dataset, o TrainOptions) []float32 {
	t.Helper()
	m, err := New(cfg, 42)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Train(context.Background(), d, o); err != nil {
		t.Fatal(err)
	}
	return m.Params()
}

func TestDeterminism(t *testing.T) {
	d := Sinusoid(200, 1, true)
	for _, o := range []TrainOptions{
		{Epochs: 5},
		{Epochs: 5, Workers: 2},
		{Epochs: 3, BatchSize: 32, Seed: 9},
		{Epochs: 3, BatchSize: 32, Seed: 9, Workers: 2, ValFrac: 0.2, Optimizer: RMSprop},
		{Epochs: 3, BatchSize: 50, Workers: 3, Optimizer: SGD, Momentum: 0.9, ClipNorm: 0.5},
	} {
		a := trainBits(t, seedCfg, d, o)
		b := trainBits(t, seedCfg, d, o)
		if !slices.Equal(a, b) {
			t.Errorf("%+v: two runs differ", o)
		}
	}
	// The shuffle seed matters.
	o := TrainOptions{Epochs: 2, BatchSize: 32, Seed: 1}
	a := trainBits(t, seedCfg, d, o)
	o.Seed = 2
	if slices.Equal(a, trainBits(t, seedCfg, d, o)) {
		t.Error("different shuffle seeds gave the same parameters")
	}
	// Workers change only the rounding.
	a = trainBits(t, seedCfg, d, TrainOptions{Epochs: 5})
	b := trainBits(t, seedCfg, d, TrainOptions{Epochs: 5, Workers: 2})
	for i := range a {
		if math.Abs(float64(a[i]-b[i])) > 1e-4 {
			t.Fatalf("workers=2 param %d = %v, workers=1 %v", i, b[i], a[i])
		}
	}
}

func TestNewInit(t *testing.T) {
	m, err := New(Config{In: 4, Out: 1, Hidden: []int{100}, K: 3}, 1)
	if err != nil {
		t.Fatal(err)
	}
	m2, _ := New(Config{In: 4, Out: 1, Hidden: []int{100}, K: 3}, 1)
	if !slices.Equal(m.params, m2.params) {
		t.Fatal("same seed, different initialisation")
	}
	// U(−1/√fan_in, 1/√fan_in): first layer fan-in 4 → bound 0.5, head
	// fan-in 100 → bound 0.1; the extremes come close to the bound.
	for _, l := range m.layers {
		bound := 1 / math.Sqrt(float64(l.in))
		var mx float64
		for _, v := range m.params[l.w : l.b+l.out] {
			mx = math.Max(mx, math.Abs(float64(v)))
		}
		if mx > bound || mx < 0.9*bound {
			t.Errorf("layer %d→%d: max |param| %v, bound %v", l.in, l.out, mx, bound)
		}
	}
	for _, bad := range []Config{{In: 0, Out: 1}, {In: 1, Out: 0}, {In: 1, Out: 1, K: -1},
		{In: 1, Out: 1, Hidden: []int{0}}, {In: 1, Out: 1, SigmaFloor: 0.1}, {In: 1, Out: 1, K: 1, SigmaFloor: math.NaN()},
		{In: 1 << 21, Out: 1}, {In: 1 << 20, Out: 1, Hidden: []int{1 << 20}}} {
		if _, err := New(bad, 1); err == nil {
			t.Errorf("New(%+v) accepted", bad)
		}
	}
}

func TestTrainErrors(t *testing.T) {
	m, _ := New(seedCfg, 1)
	d := Sinusoid(50, 1, true)
	ctx := context.Background()
	for _, c := range []struct {
		o    TrainOptions
		d    Dataset
		want string
	}{
		{TrainOptions{}, d, "Epochs"},
		{TrainOptions{Epochs: 1, Optimizer: "lbfgs"}, d, "lbfgs"},
		{TrainOptions{Epochs: 1, ValFrac: 1}, d, "ValFrac"},
		{TrainOptions{Epochs: 1, ValFrac: 0.999}, d, "ValFrac"},
		{TrainOptions{Epochs: 1, BatchSize: -1}, d, "BatchSize"},
		{TrainOptions{Epochs: 1, CheckpointEvery: 1}, d, "checkpoint path"},
		{TrainOptions{Epochs: 1, Patience: 5}, d, "validation split"},
		{TrainOptions{Epochs: 1, ClipNorm: math.NaN()}, d, "ClipNorm"},
		{TrainOptions{Epochs: 1}, Dataset{X: []float32{1, 2}, Y: []float32{1}, N: 1, In: 2, Out: 1}, "inputs"},
		{TrainOptions{Epochs: 1}, Dataset{X: []float32{1, float32(math.NaN())}, Y: []float32{1, 2}, N: 2, In: 1, Out: 1}, "row 1"},
		{TrainOptions{Epochs: 1}, Dataset{In: 1, Out: 1}, "empty"},
	} {
		_, err := m.Train(ctx, c.d, c.o)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want one mentioning %q", c.o, err, c.want)
		}
	}
	if m.Epochs() != 0 {
		t.Fatalf("failed calls trained %d epochs", m.Epochs())
	}
}

// TestNaNStopKeepsLastGoodParams drives SGD with a huge learning rate so the
// loss overflows, and checks that training stops with ErrNonFinite and the
// parameters are the last ones whose loss was finite.
func TestNaNStopKeepsLastGoodParams(t *testing.T) {
	for _, cfg := range []Config{{In: 1, Out: 1, Hidden: []int{8}}, seedCfg} {
		d := Sinusoid(100, 1, false)
		m, _ := New(cfg, 1)
		var snaps [][]float32
		snaps = append(snaps, m.Params())
		res, err := m.Train(context.Background(), d, TrainOptions{Epochs: 50, Optimizer: SGD, LR: 1e25,
			Progress: func(Progress) { snaps = append(snaps, m.Params()) }})
		if !errors.Is(err, ErrNonFinite) {
			t.Fatalf("K=%d: error %v, want ErrNonFinite (result %+v)", cfg.K, err, res)
		}
		if len(snaps) < 2 {
			t.Fatalf("K=%d: diverged in the first epoch; the test wants a good step first", cfg.K)
		}
		l, lerr := m.Loss(d)
		if lerr != nil || math.IsNaN(l) || math.IsInf(l, 0) {
			t.Fatalf("K=%d: loss after the stop %v, %v", cfg.K, l, lerr)
		}
		// The stop either rejected the loss of the parameters after the
		// last epoch (restoring those before it) or rejected the update
		// itself (keeping those after the last epoch).
		last, prev := snaps[len(snaps)-1], snaps[len(snaps)-2]
		if !slices.Equal(m.params, last) && !slices.Equal(m.params, prev) {
			t.Fatalf("K=%d: parameters after the stop are not the last good ones", cfg.K)
		}
		if m.opt.name != "" {
			t.Fatalf("K=%d: optimizer state kept after divergence", cfg.K)
		}
		if int(m.Epochs()) != len(snaps)-1 || res.Epochs != len(snaps)-1 {
			t.Fatalf("K=%d: %d epochs counted, %d completed", cfg.K, m.Epochs(), len(snaps)-1)
		}
	}
}

func TestCancel(t *testing.T) {
	m, _ := New(seedCfg, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var snap []float32
	res, err := m.Train(ctx, Sinusoid(100, 1, true), TrainOptions{Epochs: 100, Progress: func(p Progress) {
		if p.Epoch == 3 {
			snap = m.Params()
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if res.Epochs != 3 || m.Epochs() != 3 || !slices.Equal(snap, m.params) {
		t.Fatalf("stopped after %d epochs (model %d), params changed after cancel: %v", res.Epochs, m.Epochs(), !slices.Equal(snap, m.params))
	}
	// Cancellation inside an epoch of minibatches stops between steps.
	ctx2, cancel2 := context.WithCancel(context.Background())
	cancel2()
	if _, err := m.Train(ctx2, Sinusoid(100, 1, true), TrainOptions{Epochs: 1, BatchSize: 10}); !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
}

// TestResume checks that training interrupted by a checkpoint and resumed
// from the file reproduces the uninterrupted run bit for bit.
func TestResume(t *testing.T) {
	d := Sinusoid(120, 1, true)
	o := TrainOptions{Epochs: 6, BatchSize: 25, Seed: 3, Workers: 2}
	want := trainBits(t, seedCfg, d, o)

	path := filepath.Join(t.TempDir(), "ckpt.mdn")
	m, _ := New(seedCfg, 42)
	ctx, cancel := context.WithCancel(context.Background())
	o2 := o
	o2.CheckpointEvery, o2.CheckpointPath = 2, path
	o2.Progress = func(p Progress) {
		if p.Epoch == 4 {
			cancel()
		}
	}
	if _, err := m.Train(ctx, d, o2); !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	r, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if r.Epochs() != 4 {
		t.Fatalf("checkpoint at epoch %d, want 4", r.Epochs())
	}
	o.Epochs = 6 - int(r.Epochs())
	if _, err := r.Train(context.Background(), d, o); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.params, want) {
		t.Fatal("resumed run differs from the uninterrupted one")
	}
}

func TestEarlyStopping(t *testing.T) {
	d := Sinusoid(200, 1, true)
	m, _ := New(seedCfg, 1)
	snaps := map[int64][]float32{}
	res, err := m.Train(context.Background(), d, TrainOptions{Epochs: 300, Optimizer: RMSprop, LR: 0.05,
		ValFrac: 0.25, Patience: 3, Seed: 1,
		Progress: func(p Progress) {
			snaps[p.Epoch] = m.Params()
			if math.IsNaN(p.ValLoss) {
				t.Fatal("no validation loss reported")
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	if !res.StoppedEarly || res.Epochs >= 300 || res.Epochs-int(res.BestEpoch) != 3 {
		t.Fatalf("result %+v: want an early stop 3 epochs after the best", res)
	}
	if !slices.Equal(m.params, snaps[res.BestEpoch]) {
		t.Fatal("parameters are not those of the best epoch")
	}
}

func TestClipNorm(t *testing.T) {
	d := Sinusoid(50, 1, true)
	m, _ := New(seedCfg, 1)
	p0 := m.Params()
	const clip, lr = 1e-3, 0.5
	if _, err := m.Train(context.Background(), d, TrainOptions{Epochs: 1, Optimizer: SGD, LR: lr, ClipNorm: clip}); err != nil {
		t.Fatal(err)
	}
	var ss float64
	for i, v := range m.params {
		dv := float64(v - p0[i])
		ss += dv * dv
	}
	if got := math.Sqrt(ss); math.Abs(got-lr*clip) > 1e-3*lr*clip {
		t.Fatalf("step length %v, want lr·ClipNorm = %v", got, lr*clip)
	}
}

func TestSigmaFloor(t *testing.T) {
	const floor = 0.5
	cfg := seedCfg
	cfg.SigmaFloor = floor
	m, _ := New(cfg, 1)
	d := Sinusoid(200, 1, false) // the forward problem: σ would shrink to ~1 and below
	if _, err := m.Train(context.Background(), d, TrainOptions{Epochs: 200, LR: 0.01}); err != nil {
		t.Fatal(err)
	}
	mix, err := m.Mixture(d.X)
	if err != nil {
		t.Fatal(err)
	}
	lo := math.Inf(1)
	for _, s := range mix.Sigma {
		lo = math.Min(lo, float64(s))
	}
	if lo < floor*(1-1e-6) {
		t.Fatalf("smallest σ %v below the floor %v", lo, floor)
	}
}

// TestAllocsPerStep checks that a training step allocates nothing after the
// first, for full batch and minibatches, with one and two workers.
func TestAllocsPerStep(t *testing.T) {
	d := Sinusoid(160, 1, true)
	for _, o := range []TrainOptions{
		{Epochs: 1},
		{Epochs: 1, Workers: 2},
		{Epochs: 1, BatchSize: 64, Optimizer: SGD, Momentum: 0.9, ClipNorm: 1},
		{Epochs: 1, BatchSize: 64, Workers: 2, Optimizer: RMSprop, ValFrac: 0.1},
	} {
		cfg := seedCfg
		cfg.SigmaFloor = 0.01
		m, _ := New(cfg, 1)
		tr, err := newTrainer(m, d, o)
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		allocs := testing.AllocsPerRun(10, func() {
			if _, err := tr.epoch(ctx); err != nil {
				t.Fatal(err)
			}
			if tr.nv > 0 {
				tr.eval(tr.xv, tr.yv, tr.nv)
			}
		})
		tr.close()
		if allocs != 0 {
			t.Errorf("%+v: %v allocations per epoch, want 0", o, allocs)
		}
		// A whole Train call allocates about the same with 2 epochs as
		// with 14: its set-up, never per epoch. Starting and parking the
		// worker goroutines sometimes allocates runtime structures (a new
		// g where the scheduler has none at hand: in a heap profile of 200
		// Train calls with 2 workers, 70 came from runtime.malg), and a
		// longer run meets that more often: up to 2 more with 8 epochs than
		// with 2 in about one process in ten, on AMD EPYC Zen 5. So up to
		// 4 more are allowed, where an allocation per epoch would add 12.
		if o.ValFrac > 0 {
			o.Patience = 1000
		}
		o.Progress = func(Progress) {}
		count := func(epochs int) float64 {
			o.Epochs = epochs
			return testing.AllocsPerRun(2, func() {
				if _, err := m.Train(ctx, d, o); err != nil {
					t.Fatal(err)
				}
			})
		}
		if a, b := count(2), count(14); b > a+4 {
			t.Errorf("%+v: Train allocates %v times for 2 epochs, %v for 14", o, a, b)
		}
	}
}

// TestSeedExperimentConverges is a short version of the seed experiment: on
// the inverted sinusoid a mixture network reaches a far lower held-out NLL
// than the plain network, whose best Gaussian reading (mean = its output,
// σ = its RMS error) cannot represent several branches.
func TestSeedExperimentConverges(t *testing.T) {
	d := Sinusoid(200, 1, true)
	held := SinusoidDraw(1000, 99, true)
	ctx := context.Background()

	mlp, _ := New(Config{In: 1, Out: 1, Hidden: []int{20}}, 1)
	if _, err := mlp.Train(ctx, d, TrainOptions{Epochs: 150, Optimizer: RMSprop}); err != nil {
		t.Fatal(err)
	}
	mse, _ := mlp.Loss(held)
	mlpNLL := 0.5*math.Log(2*math.Pi*mse) + 0.5

	m, _ := New(seedCfg, 1)
	res, err := m.Train(ctx, d, TrainOptions{Epochs: 250, LR: 0.02})
	if err != nil {
		t.Fatal(err)
	}
	nll, _ := m.Loss(held)
	t.Logf("held-out NLL: MDN %.4f (train %.4f), MLP as a Gaussian %.4f (MSE %.3f)", nll, res.Loss, mlpNLL, mse)
	if !(nll < mlpNLL-0.4) || !(nll < 2.2) {
		t.Fatalf("MDN held-out NLL %.4f, MLP %.4f: the mixture should be well ahead", nll, mlpNLL)
	}
}

// TestAllocsPerStepWideHead checks a model whose mixture kernel would take
// a pooled buffer for a block of fewer than 8 rows (K = 20; the kernel pads
// such a block, and the padded block does not fit its stack buffer): with
// 841 rows and 837-row blocks, blocks of 837 and 4 rows would allocate
// after every garbage collection. The shard is split into nearly equal
// blocks instead, and an epoch allocates nothing even right after two
// collections (the second empties a sync.Pool).
func TestAllocsPerStepWideHead(t *testing.T) {
	cfg := Config{In: 1, Out: 1, Hidden: []int{64}, K: 20}
	m, err := New(cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	if b := blockRows(m); b != 837 {
		t.Fatalf("blockRows = %d, the test is written for 837", b)
	}
	tr, err := newTrainer(m, Sinusoid(841, 1, true), TrainOptions{Epochs: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.close()
	ctx := context.Background()
	if _, err := tr.epoch(ctx); err != nil {
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(3, func() {
		runtime.GC()
		runtime.GC()
		if _, err := tr.epoch(ctx); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations per epoch after garbage collections, want 0", allocs)
	}
}

// TestTrainEpochCountOverflow: training that would carry the model's
// epoch count past MaxInt64 is refused before it starts (the count is
// saved, and a wrapped one would make the file unreadable).
func TestTrainEpochCountOverflow(t *testing.T) {
	m, _ := New(seedCfg, 1)
	m.epochs = math.MaxInt64 - 1
	d := Sinusoid(64, 1, true)
	if _, err := m.Train(context.Background(), d, TrainOptions{Epochs: 2}); err == nil || !strings.Contains(err.Error(), "would overflow the count") {
		t.Fatalf("training past MaxInt64 epochs: %v", err)
	}
	if m.epochs != math.MaxInt64-1 {
		t.Errorf("epoch count %d after the refused call", m.epochs)
	}
	if _, err := m.Train(context.Background(), d, TrainOptions{Epochs: 1}); err != nil {
		t.Fatalf("the last epoch that fits: %v", err)
	}
}

// TestTrainRefusedKeepsOptimizer: a call refused for its options (here a
// validation fraction that leaves no training rows, with another
// optimizer) leaves the model's optimizer state as it was.
func TestTrainRefusedKeepsOptimizer(t *testing.T) {
	m, _ := New(seedCfg, 1)
	if _, err := m.Train(context.Background(), Sinusoid(64, 1, true), TrainOptions{Epochs: 3}); err != nil {
		t.Fatal(err)
	}
	name, step, v := m.opt.name, m.opt.step, slices.Clone(m.opt.v)
	if _, err := m.Train(context.Background(), Sinusoid(3, 1, true), TrainOptions{Epochs: 1, Optimizer: SGD, ValFrac: 0.9}); err == nil {
		t.Fatal("ValFrac 0.9 of 3 rows trained")
	}
	if m.opt.name != name || m.opt.step != step || !slices.Equal(m.opt.v, v) {
		t.Errorf("optimizer state after a refused call: %s step %d (v %d values), was %s step %d", m.opt.name, m.opt.step, len(m.opt.v), name, step)
	}
}

// TestTrainDivergenceThroughClip: a step whose loss is finite but whose
// gradient is not keeps the parameters the loss was finite at, with or
// without clipping (where the clip's norm sees the infinite gradient
// first).
func TestTrainDivergenceThroughClip(t *testing.T) {
	d, _ := NewDataset([]float32{1e-3, 2e-3, 3e38, 3e38}, []float32{1, 1, 1, 1}, 1, 1)
	for seed := range uint64(8) {
		run := func(clip float64) []float32 {
			m, _ := New(Config{In: 1, Out: 1}, 1)
			m.SetParams([]float32{0, 0})
			_, err := m.Train(context.Background(), d, TrainOptions{Epochs: 1, BatchSize: 2, Seed: seed, Optimizer: SGD, LR: 1e-30, ClipNorm: clip})
			if !errors.Is(err, ErrNonFinite) {
				t.Fatalf("seed %d, clip %v: %v", seed, clip, err)
			}
			return m.Params()
		}
		if a, b := run(0), run(1e30); !slices.Equal(a, b) {
			t.Errorf("seed %d: parameters kept %v without clipping, %v with", seed, a, b)
		}
	}
}

// TestTrainValidationLossNonFinite: a validation loss that is not finite
// is an error wrapping ErrNonFinite, not a result whose NaN best loss
// makes every later epoch the best (and Patience never stop).
func TestTrainValidationLossNonFinite(t *testing.T) {
	x := []float32{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 3e38}
	d, _ := NewDataset(x, make([]float32, len(x)), 1, 1)
	for seed := range uint64(12) {
		m, _ := New(Config{In: 1, Out: 1, K: 2}, 1)
		p := make([]float32, m.NumParams())
		p[0], p[1] = 2, 2 // the logits' weights: 3e38 makes them overflow
		m.SetParams(p)
		res, err := m.Train(context.Background(), d, TrainOptions{Epochs: 3, ValFrac: 0.1, Patience: 2, Seed: seed, Optimizer: SGD, LR: 1e-6})
		if !errors.Is(err, ErrNonFinite) {
			t.Errorf("seed %d: error %v, result %+v; want ErrNonFinite (from the training or the validation loss)", seed, err, res)
		}
	}
}
