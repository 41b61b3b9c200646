package mdn

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/mdnsimd/mdnsimd"
	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
)

// forEachPath runs f as a subtest on every path the CPU runs, with that
// path forced.
func forEachPath(t *testing.T, f func(*testing.T)) {
	for _, path := range cpufeat.Paths() {
		restore := cpufeat.Force(path)
		t.Run(path, f)
		restore()
	}
}

// TestColStepPlan: training steps run by columns exactly for the models
// colStep names, on the avx512 path only, and the trainer's passes follow
// it. With MDNSIMD_REQUIRE=avx512 (CI on an AVX-512 host) the seed's model
// must take the column step.
func TestColStepPlan(t *testing.T) {
	seed := Config{In: 1, Out: 1, Hidden: []int{20}, K: 5}
	cases := []struct {
		cfg   Config
		floor float64
		want  bool // on avx512
	}{
		{seed, 0, true},
		{Config{In: 3, Out: 1, Hidden: []int{9}, K: 5}, 0, true},
		{Config{In: 1, Out: 1, Hidden: []int{1024}, K: 5}, 0, true},
		{Config{In: 3, Out: 1, Hidden: []int{7, 9}, K: 5}, 0, false},
		{seed, 0.01, false},
		{Config{In: 1, Out: 1, Hidden: []int{20}, K: 4}, 0, false},
		{Config{In: 1, Out: 2, Hidden: []int{20}, K: 5}, 0, false},
		{Config{In: 1, Out: 1, Hidden: []int{20}, K: 0}, 0, false},
		{Config{In: 1, Out: 1, K: 5}, 0, false},
	}
	sawAVX512 := false
	forEachPath(t, func(t *testing.T) {
		on512 := cpufeat.HasAVX512
		sawAVX512 = sawAVX512 || on512
		for _, c := range cases {
			c.cfg.SigmaFloor = c.floor
			m, err := New(c.cfg, 1)
			if err != nil {
				t.Fatal(err)
			}
			want := c.want && on512
			if got := colStep(m); got != want {
				t.Errorf("%+v: colStep = %v, want %v", c.cfg, got, want)
			}
			w := newWorkers(m, 2, 100)
			for i, p := range w.passes {
				if (p.cols != nil) != want {
					t.Errorf("%+v: pass %d by columns = %v, want %v", c.cfg, i, p.cols != nil, want)
				}
			}
			w.close()
		}
	})
	if os.Getenv("MDNSIMD_REQUIRE") == "avx512" && !sawAVX512 {
		t.Fatal("MDNSIMD_REQUIRE=avx512 but no avx512 path ran")
	}
}

// TestColStepGradient holds the column step to the row pass (forward,
// lossGrad, backward), whose gradient TestGradientFiniteDifference holds
// to the float64 model, on every path (the column kernels have Go code on
// the paths that do not train by columns): the loss within 1e-6 relative,
// each gradient entry within 2e-5·(1 + |g|). Both passes round in float32
// and differ only in the order of their sums (over at most 1000 rows, each
// term ≤ about 1/n, so their difference is a few hundred ULPs of the
// largest partial sum at most), while a wrong term, lane or index is an
// error of the gradient's own order. Rows beyond n in the buffers hold
// the previous, larger block's values, as in training.
func TestColStepGradient(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(31, 32))
		for _, cfg := range []Config{
			{In: 1, Out: 1, Hidden: []int{20}, K: 5},
			{In: 3, Out: 1, Hidden: []int{7, 9}, K: 5},
			{In: 2, Out: 1, Hidden: []int{33}, K: 5},
		} {
			m, err := New(cfg, 7)
			if err != nil {
				t.Fatal(err)
			}
			c := newColPass(m, 1000)
			grad := make([]float32, len(m.params))
			for _, n := range []int{1000, 999, 1, 15, 16, 17, 100, 37} {
				x, y := randData(r, n, cfg.In, cfg.Out, 3)
				what := fmt.Sprintf("%+v n=%d", cfg, n)
				loss1, g1 := modelGrad(m, x, y, n)
				clear(grad)
				loss := c.step(grad, x, y, n, 1/float32(n)) / float64(n)
				if math.Abs(loss-loss1) > 1e-6*math.Abs(loss1) {
					t.Errorf("%s: loss by columns %v, by rows %v", what, loss, loss1)
				}
				for i := range grad {
					if d := math.Abs(float64(grad[i] - g1[i])); !(d <= 2e-5*(1+math.Abs(float64(g1[i])))) {
						t.Fatalf("%s: grad[%d] by columns %v, by rows %v", what, i, grad[i], g1[i])
					}
				}
			}
		}
	})
}

// TestColStepWorkers: the trainer's workers with the column step, several
// blocks per shard and two shards, against the row pass.
func TestColStepWorkers(t *testing.T) {
	if !cpufeat.HasAVX512 {
		t.Skip("the column step runs on the avx512 path only")
	}
	cfg := Config{In: 1, Out: 1, Hidden: []int{20}, K: 5}
	m, _ := New(cfg, 3)
	r := rand.New(rand.NewPCG(33, 34))
	const n = 203
	x, y := randData(r, n, 1, 1, 3)
	loss1, g1 := modelGrad(m, x, y, n)
	for _, c := range []struct{ nw, block int }{{1, 0}, {1, 40}, {2, 0}, {2, 33}} {
		w := newWorkers(m, c.nw, n)
		if c.block > 0 {
			w.block = c.block
		}
		if w.passes[0].cols == nil {
			t.Fatal("the seed's model does not take the column step on avx512")
		}
		loss := w.run(x, y, n, true) / n
		g := w.grad()
		w.close()
		if math.Abs(loss-loss1) > 1e-6*math.Abs(loss1) {
			t.Errorf("workers=%d block=%d: loss %v, want %v", c.nw, c.block, loss, loss1)
		}
		for i := range g {
			if math.Abs(float64(g[i]-g1[i])) > 2e-5*(1+math.Abs(float64(g1[i]))) {
				t.Errorf("workers=%d block=%d: grad[%d] = %v, want %v", c.nw, c.block, i, g[i], g1[i])
			}
		}
	}
}

// TestColStepTrains: the seed's experiment, shortened, trains by columns to
// the same quality as by rows: after 300 epochs the two losses agree within
// 1e-3 relative (the runs round differently, so they drift apart slowly).
func TestColStepTrains(t *testing.T) {
	if !cpufeat.HasAVX512 {
		t.Skip("the column step runs on the avx512 path only")
	}
	d := Sinusoid(1000, 1, true)
	cfg := Config{In: 1, Out: 1, Hidden: []int{20}, K: 5}
	run := func(cols bool) float64 {
		m, _ := New(cfg, 1)
		if !cols {
			defer cpufeat.Force("avx2fma")()
		}
		res, err := m.Train(context.Background(), d, TrainOptions{Epochs: 300})
		if err != nil {
			t.Fatal(err)
		}
		return res.Loss
	}
	a, b := run(true), run(false)
	if math.Abs(a-b) > 1e-3*math.Abs(b) {
		t.Fatalf("300 epochs: loss by columns %v, by rows %v", a, b)
	}
}

// BenchmarkColStep times the parts of one column step of the seed's model
// (1000 rows, 1→20→15), each on its own, and the whole step.
func BenchmarkColStep(b *testing.B) {
	if !cpufeat.HasAVX512 {
		b.Skip("the column step runs on the avx512 path only")
	}
	const n = 1000
	m, _ := New(Config{In: 1, Out: 1, Hidden: []int{20}, K: 5}, 1)
	d := Sinusoid(n, 1, true)
	c := newColPass(m, n)
	grad := make([]float32, len(m.params))
	c.step(grad, d.X, d.Y, n, 1.0/n)
	c500 := newColPass(m, n/2) // one shard of two workers
	ld := c.ld
	h, z, dz := c.acts[0], c.acts[1], c.dhead
	l0, l1 := m.layers[0], m.layers[1]
	w0, b0 := m.params[l0.w:l0.w+20], m.params[l0.b:l0.b+20]
	w1, b1 := m.params[l1.w:l1.w+300], m.params[l1.b:l1.b+15]
	parts := []struct {
		name string
		f    func()
	}{
		{"hidden", func() { mdnsimd.LinearTanhCols(h, c.x, w0, b0, n, 1, 20, ld) }},
		// The hidden layer as two passes, the affine step and then Tanh,
		// as the step runs layers of more than colFuseIn inputs.
		{"hidden-affine", func() { linearCols(h, c.x, w0, b0, nil, 1, 20, 1, 1, n, ld) }},
		{"hidden-tanh", func() { a := h[:19*ld+n]; mdnsimd.Tanh(a, a) }},
		{"head", func() { linearCols(z, h, w1, b1, nil, 20, 15, 20, 1, n, ld) }},
		{"mixture", func() { mdnsimd.MixtureNLLGradCols(c.loss[:n], dz, z, d.Y, 5, 1, ld, 1.0/n) }},
		{"headGW", func() { gradCols(grad[l1.w:l1.w+300], grad[l1.b:l1.b+15], dz, h, 15, 20, n, ld, ld) }},
		{"headGI", func() { linearCols(c.dbuf[0], dz, w1, nil, h, 15, 20, 1, 20, n, ld) }},
		{"hiddenGW", func() { gradCols(grad[l0.w:l0.w+20], grad[l0.b:l0.b+20], c.dbuf[0], c.x, 20, 1, n, ld, ld) }},
		// headGI and hiddenGW as the step runs them: the input gradient
		// summed into the hidden weight gradient, not stored.
		{"headGI-hiddenGW", func() {
			linearColsGradW(grad[l0.w:l0.w+20], grad[l0.b:l0.b+20], c.acc, c.dbuf[0], dz, w1, h, c.x, 15, 20, 1, 20, 1, n, ld)
		}},
		{"step", func() { c.step(grad, d.X, d.Y, n, 1.0/n) }},
		{"step500", func() { c500.step(grad, d.X, d.Y, n/2, 1.0/n) }},
	}
	for _, p := range parts {
		b.Run("part="+p.name, func(b *testing.B) {
			for b.Loop() {
				p.f()
			}
		})
	}
}

// BenchmarkEpochLayout runs an epoch (full batch, Adam) by rows and by
// columns side by side, on 1 and 2 workers: the seed's model and data, and
// wider one-hidden-layer models that also train by columns.
func BenchmarkEpochLayout(b *testing.B) {
	if !cpufeat.HasAVX512 {
		b.Skip("the column step runs on the avx512 path only")
	}
	for _, c := range []struct {
		name string
		cfg  Config
		n    int
	}{
		{"seed", Config{In: 1, Out: 1, Hidden: []int{20}, K: 5}, 1000},
		{"1-256-k5", Config{In: 1, Out: 1, Hidden: []int{256}, K: 5}, 10000},
		{"1-128-k5", Config{In: 1, Out: 1, Hidden: []int{128}, K: 5}, 4000},
		{"1-1024-k5", Config{In: 1, Out: 1, Hidden: []int{1024}, K: 5}, 2000},
	} {
		d := Sinusoid(c.n, 1, true)
		for _, nw := range []int{1, 2} {
			for _, layout := range []string{"rows", "cols"} {
				b.Run(fmt.Sprintf("size=%s/workers=%d/layout=%s", c.name, nw, layout), func(b *testing.B) {
					defer func(v bool) { colStepOn = v }(colStepOn)
					colStepOn = layout == "cols"
					m, _ := New(c.cfg, 1)
					t, err := newTrainer(m, d, TrainOptions{Epochs: 1, Workers: nw})
					if err != nil {
						b.Fatal(err)
					}
					defer t.close()
					if (t.w.passes[0].cols != nil) != colStepOn {
						b.Fatal("the trainer did not take the layout asked for")
					}
					ctx := context.Background()
					b.ReportAllocs()
					for b.Loop() {
						if _, err := t.epoch(ctx); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		}
	}
}
