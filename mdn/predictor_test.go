package mdn

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/mdnsimd/mdnsimd"
	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
	"github.com/mdnsimd/mdnsimd/internal/f32test"
)

// trainedSeed returns the seed model after a few epochs on the seed data,
// and the data.
func trainedSeed(t testing.TB, epochs int) (*Model, Dataset) {
	t.Helper()
	d := Sinusoid(300, 1, true)
	m, err := New(seedCfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Train(context.Background(), d, TrainOptions{Epochs: epochs}); err != nil {
		t.Fatal(err)
	}
	return m, d
}

// TestPredictorMixture checks the Predictor's mixture against one built
// independently from the training pass's head: softmax and exp per row in
// float64 (bounds: a few float32 ULP of the kernels' results).
func TestPredictorMixture(t *testing.T) {
	for _, cfg := range []Config{seedCfg, {In: 2, Out: 3, Hidden: []int{7, 5}, K: 4, SigmaFloor: 0.05}} {
		m, err := New(cfg, 3)
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(5, 5))
		const n = 37
		x := make([]float32, n*cfg.In)
		for i := range x {
			x[i] = float32(3 * rng.NormFloat64())
		}
		var mix Mixture
		if err := m.NewPredictor().Mixture(&mix, x); err != nil {
			t.Fatal(err)
		}
		ps := newPass(m, n)
		head := ps.forward(x, n)
		k, kd, hw := cfg.K, cfg.K*cfg.Out, cfg.headWidth()
		for r := range n {
			h := head[r*hw : (r+1)*hw]
			mx := float64(slices.Max(h[:k]))
			var sum float64
			for _, v := range h[:k] {
				sum += math.Exp(float64(v) - mx)
			}
			for c := range k {
				want := math.Exp(float64(h[c])-mx) / sum
				if got := float64(mix.Pi[r*k+c]); math.Abs(got-want) > 4e-7*want+1e-12 {
					t.Errorf("row %d π%d = %v, want %v", r, c, got, want)
				}
			}
			for j := range kd {
				if mix.Mu[r*kd+j] != h[k+j] {
					t.Errorf("row %d μ[%d] = %v, want %v", r, j, mix.Mu[r*kd+j], h[k+j])
				}
				want := math.Exp(float64(h[k+kd+j]))
				if cfg.SigmaFloor > 0 && want < cfg.SigmaFloor*(1-1e-6) {
					t.Errorf("row %d σ[%d] = %v below the floor", r, j, want)
				}
				if got := float64(mix.Sigma[r*kd+j]); math.Abs(got-want) > 2e-7*want {
					t.Errorf("row %d σ[%d] = %v, want %v", r, j, got, want)
				}
			}
		}
	}
}

// TestSplitHead checks splitHead against the copies of splitHeadGo on
// every path, for parts of 1 to 11 floats (the vector loop's 8 and the
// widths either side) and 0 to 9 rows (rows of whole-vector stores, then
// the masked rows at the slices' ends), with sentinels after each slice's
// end, so that a stray load of the wrong row or a store past a slice
// fails.
func TestSplitHead(t *testing.T) {
	const guard = 8
	sentinel := float32(math.Inf(-1))
	for _, path := range cpufeat.Paths() {
		t.Run(path, func(t *testing.T) {
			defer cpufeat.Force(path)()
			for k := 1; k <= 11; k++ {
				for _, kd := range []int{1, 3, 5, 8, 9, 11} {
					for n := range 10 {
						hw := k + 2*kd
						head := make([]float32, n*hw)
						for i := range head {
							head[i] = float32(i + 1)
						}
						bufs := [3][]float32{make([]float32, n*k+guard), make([]float32, n*kd+guard), make([]float32, n*kd+guard)}
						for _, b := range bufs {
							for i := range b {
								b[i] = sentinel
							}
						}
						lg, mu, ls := bufs[0][:n*k], bufs[1][:n*kd], bufs[2][:n*kd]
						splitHead(lg, mu, ls, head, n, k, kd)
						wlg, wmu, wls := make([]float32, n*k), make([]float32, n*kd), make([]float32, n*kd)
						splitHeadGo(wlg, wmu, wls, head, n, k, kd)
						for i, pair := range [3][2][]float32{{lg, wlg}, {mu, wmu}, {ls, wls}} {
							if !slices.Equal(pair[0], pair[1]) {
								t.Fatalf("k=%d kd=%d n=%d: part %d = %v, want %v", k, kd, n, i, pair[0], pair[1])
							}
							if tail := bufs[i][len(pair[0]):]; slices.ContainsFunc(tail, func(v float32) bool { return v != sentinel }) {
								t.Fatalf("k=%d kd=%d n=%d: part %d written past its end: %v", k, kd, n, i, tail)
							}
						}
					}
				}
			}
		})
	}
}

// TestSplitHeadFenced runs splitHead with every slice against an
// inaccessible page, past its end and then before its start, so that a
// whole-vector load or store that reaches outside its slice faults (a
// load past the head's end changes no result, so the sentinels of
// TestSplitHead cannot show it).
func TestSplitHeadFenced(t *testing.T) {
	fencedOnEachPath(t, func(t *testing.T) {
		for _, sh := range [][3]int{{5, 5, 1000}, {1, 1, 9}, {8, 8, 3}, {3, 7, 10}, {7, 2, 5}} {
			k, kd, n := sh[0], sh[1], sh[2]
			hw := k + 2*kd
			head := make([]float32, n*hw)
			for i := range head {
				head[i] = float32(i + 1)
			}
			wlg, wmu, wls := make([]float32, n*k), make([]float32, n*kd), make([]float32, n*kd)
			splitHeadGo(wlg, wmu, wls, head, n, k, kd)
			for _, atStart := range []bool{false, true} {
				var frees []func()
				fenced := func(l int) []float32 {
					s, free := f32test.Fenced(l, atStart)
					frees = append(frees, free)
					return s
				}
				h := fenced(len(head))
				copy(h, head)
				lg, mu, ls := fenced(n*k), fenced(n*kd), fenced(n*kd)
				splitHead(lg, mu, ls, h, n, k, kd)
				ok := slices.Equal(lg, wlg) && slices.Equal(mu, wmu) && slices.Equal(ls, wls)
				for _, f := range frees {
					f()
				}
				if !ok {
					t.Fatalf("k=%d kd=%d n=%d fenced at start=%v: parts differ from splitHeadGo's", k, kd, n, atStart)
				}
			}
		}
	})
}

// fencedOnEachPath runs f as a subtest on every path this CPU runs, or
// skips t where fenced memory (f32test.Fenced) is not available.
func fencedOnEachPath(t *testing.T, f func(t *testing.T)) {
	if _, free := f32test.Fenced(1, false); free == nil {
		t.Skip("no fenced memory on this system")
	} else {
		free()
	}
	for _, path := range cpufeat.Paths() {
		t.Run(path, func(t *testing.T) {
			defer cpufeat.Force(path)()
			f(t)
		})
	}
}

// BenchmarkSplitHead times splitHead on the seed's head (1000 rows of
// 5 + 5 + 5 floats).
func BenchmarkSplitHead(b *testing.B) {
	const n, k, kd = 1000, 5, 5
	head := make([]float32, n*(k+2*kd))
	lg, mu, ls := make([]float32, n*k), make([]float32, n*kd), make([]float32, n*kd)
	for _, path := range cpufeat.Paths() {
		b.Run("size=seed/impl="+path, func(b *testing.B) {
			defer cpufeat.Force(path)()
			for b.Loop() {
				splitHead(lg, mu, ls, head, n, k, kd)
			}
		})
	}
}

// TestPredictorQueriesMatchMixture checks that every Predictor query
// equals the same query on the Predictor's Mixture, over several chunks
// (the chunk is lowered as for a wide model).
func TestPredictorQueriesMatchMixture(t *testing.T) {
	defer func(v int) { predictFloats = v }(predictFloats)
	predictFloats = 113 * 23
	m, err := New(Config{In: 2, Out: 2, Hidden: []int{8}, K: 3}, 4)
	if err != nil {
		t.Fatal(err)
	}
	p := m.NewPredictor()
	if p.chunk != 113 {
		t.Fatalf("chunk %d rows: the test wants several chunks", p.chunk)
	}
	const n = 300
	rng := rand.New(rand.NewPCG(6, 6))
	x, y := make([]float32, 2*n), make([]float32, 2*n)
	for i := range x {
		x[i], y[i] = float32(rng.NormFloat64()), float32(rng.NormFloat64())
	}
	var mix Mixture
	if err := p.Mixture(&mix, x); err != nil {
		t.Fatal(err)
	}
	levels := []float64{0.05, 0.5, 0.95}
	grid := []float32{-1, 0, 0.5, 2}
	for _, q := range []struct {
		name string
		size int
		pred func(dst []float32) error
		mix  func(dst []float32) error
	}{
		{"Mean", 1, func(d []float32) error { return p.Mean(d, x) }, mix.Mean},
		{"Variance", 1, func(d []float32) error { return p.Variance(d, x) }, mix.Variance},
		{"Std", 1, func(d []float32) error { return p.Std(d, x) }, mix.Std},
		{"Mode", 1, func(d []float32) error { return p.Mode(d, x) }, mix.Mode},
		{"CDF", 1, func(d []float32) error { return p.CDF(d, x, y) }, func(d []float32) error { return mix.CDF(d, y) }},
		{"PIT", 1, func(d []float32) error { return p.PIT(d, x, y) }, func(d []float32) error { return mix.PIT(d, y) }},
		{"CRPS", 1, func(d []float32) error { return p.CRPS(d, x, y) }, func(d []float32) error { return mix.CRPS(d, y) }},
		{"Quantiles", 3, func(d []float32) error { return p.Quantiles(d, x, levels) }, func(d []float32) error { return mix.Quantiles(d, levels) }},
		{"Density", 4, func(d []float32) error { return p.Density(d, x, grid) }, func(d []float32) error { return mix.Density(d, grid) }},
		{"Interval", 2, func(d []float32) error { return p.Interval(d[:2*n], d[2*n:], x, 0.8) }, func(d []float32) error { return mix.Interval(d[:2*n], d[2*n:], 0.8) }},
	} {
		got, want := make([]float32, n*2*q.size), make([]float32, n*2*q.size)
		if err := q.pred(got); err != nil {
			t.Fatalf("%s: %v", q.name, err)
		}
		if err := q.mix(want); err != nil {
			t.Fatalf("%s on the Mixture: %v", q.name, err)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: the Predictor's values differ from the Mixture's", q.name)
		}
	}
	// LogLik against the mixture density written out.
	ll := make([]float32, n)
	if err := p.LogLik(ll, x, y); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		var s float64
		for c := range 3 {
			q := float64(mix.Pi[i*3+c])
			for j := range 2 {
				sg := float64(mix.Sigma[(i*3+c)*2+j])
				q *= stdNormalPDF((float64(y[i*2+j])-float64(mix.Mu[(i*3+c)*2+j]))/sg) / sg
			}
			s += q
		}
		if want := math.Log(s); math.Abs(float64(ll[i])-want) > 1e-5*(1+math.Abs(want)) {
			t.Errorf("row %d: log-likelihood %v, want %v", i, ll[i], want)
		}
	}
}

// TestPredictorNoAlloc runs every query, after one warm-up call, under
// testing.AllocsPerRun: 0 allocations per call, at 1 and 1000 rows, for
// the seed model, a wide one, and one with two hidden layers, a σ floor
// and a Scaling.
func TestPredictorNoAlloc(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	for _, cfg := range []Config{seedCfg, {In: 1, Out: 1, Hidden: []int{256}, K: 20}, {In: 3, Out: 2, Hidden: []int{16, 16}, K: 4, SigmaFloor: 0.01}} {
		m, err := New(cfg, 1)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.In == 3 {
			err := m.SetScaling(Scaling{XMean: []float64{1, 2, 3}, XStd: []float64{0.5, 2, 10}, YMean: []float64{-4, 100}, YStd: []float64{3, 1e3}})
			if err != nil {
				t.Fatal(err)
			}
		}
		for _, n := range []int{1, 1000} {
			if cfg.K == 20 {
				n = min(n, 200) // the wide model: its mode search costs ~0.1 ms a row
			}
			p := m.NewPredictor()
			qs := predictorQueries(p, n, cfg.In, cfg.Out)
			for _, q := range qs {
				if err := q.run(); err != nil {
					t.Fatalf("%s: %v", q.name, err)
				}
			}
			for _, q := range qs {
				if a := testing.AllocsPerRun(5, func() { _ = q.run() }); a != 0 {
					t.Errorf("%v, %d rows, %s: %v allocations per call", cfg.Hidden, n, q.name, a)
				}
			}
		}
	}
}

// TestModelMethodsReuse checks the Model's own prediction methods and
// Loss, which keep Predictors between calls: every call gives a new
// Predictor's bits, after a first call each allocates only its result (not
// counted under -race, where sync.Pool drops some of what it is given;
// Loss nothing), Loss is the mean of LogLik's NLL, Mixture's three
// slices end at their lengths, a copy of the model's struct with other
// parameters (which shares the pool) computes with its own, and a model
// replaced by UnmarshalBinary with another shape predicts with the new one.
func TestModelMethodsReuse(t *testing.T) {
	m, d := trainedSeed(t, 20)
	x, y := d.X[:200], d.Y[:200]
	cat := func(mix Mixture, err error) ([]float32, error) {
		return slices.Concat(mix.Pi, mix.Mu, mix.Sigma), err
	}
	draw := func() *rand.Rand { return rand.New(rand.NewPCG(3, 3)) }
	type method struct {
		name string
		call func(m *Model) error              // the method, its result dropped
		got  func(m *Model) ([]float32, error) // the method's result
		want func(m *Model) ([]float32, error) // the same from a new Predictor
	}
	fresh := func(n int, f func(p *Predictor, dst []float32) error) func(m *Model) ([]float32, error) {
		return func(m *Model) ([]float32, error) {
			dst := make([]float32, n)
			return dst, f(m.NewPredictor(), dst)
		}
	}
	drop := func(f func(m *Model) ([]float32, error)) func(m *Model) error {
		return func(m *Model) error { _, err := f(m); return err }
	}
	var methods []method
	add := func(name string, got func(m *Model) ([]float32, error), want func(m *Model) ([]float32, error)) {
		methods = append(methods, method{name, drop(got), got, want})
	}
	add("Mean", func(m *Model) ([]float32, error) { return m.Mean(x) },
		fresh(len(x), func(p *Predictor, dst []float32) error { return p.Mean(dst, x) }))
	add("Predict", func(m *Model) ([]float32, error) { return m.Predict(x) },
		fresh(len(x), func(p *Predictor, dst []float32) error { return p.Predict(dst, x) }))
	add("Mode", func(m *Model) ([]float32, error) { return m.Mode(x) },
		fresh(len(x), func(p *Predictor, dst []float32) error { return p.Mode(dst, x) }))
	add("LogLik", func(m *Model) ([]float32, error) { return m.LogLik(x, y) },
		fresh(len(x), func(p *Predictor, dst []float32) error { return p.LogLik(dst, x, y) }))
	add("Sample", func(m *Model) ([]float32, error) { return m.Sample(x, draw(), 1, 1) },
		fresh(len(x), func(p *Predictor, dst []float32) error { p.Seed(draw().Uint64()); return p.Sample(dst, x, 1, 1) }))
	rng := draw() // one generator for the allocation count
	methods[len(methods)-1].call = func(m *Model) error { _, err := m.Sample(x, rng, 1, 1); return err }
	methods = append(methods, method{"Mixture",
		func(m *Model) error { _, err := m.Mixture(x); return err },
		func(m *Model) ([]float32, error) { return cat(m.Mixture(x)) },
		func(m *Model) ([]float32, error) {
			var mix Mixture
			return cat(mix, m.NewPredictor().Mixture(&mix, x))
		}})
	same := func(what string, m *Model, c method) []float32 {
		t.Helper()
		want, err := c.want(m)
		if err != nil {
			t.Fatalf("%s %s: %v", what, c.name, err)
		}
		for range 3 {
			got, err := c.got(m)
			if err != nil {
				t.Fatalf("%s %s: %v", what, c.name, err)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("%s %s: the Model's method differs from a new Predictor's", what, c.name)
			}
		}
		return want
	}
	for _, c := range methods {
		same("model", m, c)
		if raceOn {
			continue
		}
		if a := testing.AllocsPerRun(20, func() { _ = c.call(m) }); a != 1 {
			t.Errorf("%s: %v allocations per call, want 1 (the result)", c.name, a)
		}
	}
	mix, err := m.Mixture(x)
	if err != nil {
		t.Fatal(err)
	}
	if cap(mix.Pi) != len(mix.Pi) || cap(mix.Mu) != len(mix.Mu) || cap(mix.Sigma) != len(mix.Sigma) {
		t.Errorf("Mixture's slices: capacities %d, %d, %d for lengths %d, %d, %d", cap(mix.Pi), cap(mix.Mu), cap(mix.Sigma), len(mix.Pi), len(mix.Mu), len(mix.Sigma))
	}

	// Loss: without a Scaling and in one chunk, the mean of the rows' NLL,
	// which LogLik negates; no allocation.
	ll, err := m.LogLik(x, y)
	if err != nil {
		t.Fatal(err)
	}
	for i := range ll {
		ll[i] = -ll[i]
	}
	ds := Dataset{X: x, Y: y, N: len(y), In: 1, Out: 1}
	if got, err := m.Loss(ds); err != nil || got != sum64(ll)/float64(len(ll)) {
		t.Errorf("Loss %v (%v), want the mean of LogLik's %v", got, err, sum64(ll)/float64(len(ll)))
	}
	if a := testing.AllocsPerRun(20, func() { _, _ = m.Loss(ds) }); a != 0 && !raceOn {
		t.Errorf("Loss: %v allocations per call, want 0", a)
	}

	// A copy of m's struct shares its pool, but has parameters of its own.
	c := new(Model)
	*c = *m
	c.params = slices.Clone(m.params)
	for i := range c.params {
		c.params[i] *= 0.9
	}
	for _, f := range methods {
		if err := f.call(m); err != nil { // m's Predictor into the pool
			t.Fatal(err)
		}
		mine, _ := f.want(m)
		if theirs := same("copy", c, f); slices.Equal(mine, theirs) {
			t.Fatalf("copy %s: the scaled parameters give the model's result", f.name)
		}
	}

	// m replaced by a model of another shape, after its pool served calls.
	other, err := New(Config{In: 1, Out: 1, Hidden: []int{8, 8}, K: 3}, 5)
	if err != nil {
		t.Fatal(err)
	}
	b, err := other.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range methods { // m's Predictors into the pool
		if err := f.call(m); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	for _, f := range methods {
		same("replaced", m, f)
	}
}

type namedQuery struct {
	name string
	run  func() error
}

// predictorQueries returns every query of p on n rows, with their inputs
// and outputs allocated.
func predictorQueries(p *Predictor, n, in, d int) []namedQuery {
	rng := rand.New(rand.NewPCG(8, 8))
	x, y := make([]float32, n*in), make([]float32, n*d)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	for i := range y {
		y[i] = float32(rng.NormFloat64())
	}
	out, out2 := make([]float32, n*d), make([]float32, n*d)
	ll := make([]float32, n)
	levels := []float64{0.05, 0.5, 0.95}
	qs := make([]float32, n*3*d)
	grid := []float32{-2, -1, 0, 1, 2}
	dens := make([]float32, n*len(grid)*d)
	var mix Mixture
	return []namedQuery{
		{"Mixture", func() error { return p.Mixture(&mix, x) }},
		{"Mean", func() error { return p.Mean(out, x) }},
		{"Predict", func() error { return p.Predict(out, x) }},
		{"Variance", func() error { return p.Variance(out, x) }},
		{"Std", func() error { return p.Std(out, x) }},
		{"Mode", func() error { return p.Mode(out, x) }},
		{"LogLik", func() error { return p.LogLik(ll, x, y) }},
		{"Sample", func() error { return p.Sample(out, x, 1, 1) }},
		{"Sample tempered", func() error { return p.Sample(out, x, 0.5, 0.7) }},
		{"CDF", func() error { return p.CDF(out, x, y) }},
		{"PIT", func() error { return p.PIT(out, x, y) }},
		{"CRPS", func() error { return p.CRPS(out, x, y) }},
		{"Quantiles", func() error { return p.Quantiles(qs, x, levels) }},
		{"Interval", func() error { return p.Interval(out, out2, x, 0.9) }},
		{"Density", func() error { return p.Density(dens, x, grid) }},
	}
}

// TestPredictorConcurrent runs Predictors (one per goroutine) and the
// Model's methods (Predictors from the model's pool) on one model from
// many goroutines (run it with -race) and checks every result against the
// serial one.
func TestPredictorConcurrent(t *testing.T) {
	m, d := trainedSeed(t, 20)
	x, y := d.X[:200], d.Y[:200]
	serial := func(p *Predictor) [][]float32 {
		mean, q, crps, ll, s := make([]float32, 200), make([]float32, 600), make([]float32, 200), make([]float32, 200), make([]float32, 200)
		p.Seed(9)
		for _, err := range []error{p.Mean(mean, x), p.Quantiles(q, x, []float64{0.1, 0.5, 0.9}), p.CRPS(crps, x, y), p.LogLik(ll, x, y), p.Sample(s, x, 1, 1)} {
			if err != nil {
				t.Error(err)
			}
		}
		return [][]float32{mean, q, crps, ll, s}
	}
	want := serial(m.NewPredictor())
	wantMix, _ := m.Mixture(x)
	// The Model's methods draw Predictors from one pool.
	models := func() [][]float32 {
		mean, _ := m.Mean(x)
		ll, _ := m.LogLik(x, y)
		s, _ := m.Sample(x, rand.New(rand.NewPCG(9, 9)), 1, 1)
		return [][]float32{mean, ll, s}
	}
	wantModel := models()
	var wg sync.WaitGroup
	errs := make(chan string, 16)
	for range 8 {
		wg.Go(func() {
			p := m.NewPredictor()
			for range 5 {
				got := serial(p)
				mix, _ := m.Mixture(x)
				for i := range got {
					if !slices.Equal(got[i], want[i]) {
						errs <- fmt.Sprintf("concurrent result %d differs from the serial one", i)
						return
					}
				}
				if !slices.Equal(mix.Pi, wantMix.Pi) || !slices.Equal(mix.Sigma, wantMix.Sigma) {
					errs <- "concurrent Model.Mixture differs from the serial one"
					return
				}
				for i, got := range models() {
					if !slices.Equal(got, wantModel[i]) {
						errs <- fmt.Sprintf("concurrent Model method result %d differs from the serial one", i)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatal(e)
	}
}

func TestPredictorErrors(t *testing.T) {
	m, _ := New(Config{In: 2, Out: 1, Hidden: []int{3}, K: 2}, 1)
	p := m.NewPredictor()
	x := []float32{1, 2, 3, 4}
	two, one := make([]float32, 2), make([]float32, 1)
	nan, inf := float32(math.NaN()), float32(math.Inf(-1))
	var mix Mixture
	for _, c := range []struct {
		err  error
		want string
	}{
		{p.Mean(two, []float32{1, 2, 3}), "len(x) = 3 is not a multiple of its 2 columns"},
		{p.Mixture(&mix, []float32{1, nan}), "x row 0, column 1: value NaN is not finite"},
		{p.Quantiles(make([]float32, 2), x, []float64{0.5}), ""},
		{p.Quantiles(two, x, []float64{0.5, 1.5}), "len(dst) = 2, want 4 (2 rows × 2 levels × 1 outputs)"},
		{p.Quantiles(make([]float32, 4), x, []float64{0.5, 1.5}), "level 1 is 1.5, want a value in (0, 1)"},
		{p.Quantiles(two, x, []float64{0}), "level 0 is 0"},
		{p.Interval(two, two, x, 0), "coverage 0"},
		{p.Interval(two, one, x, 0.5), "len(hi) = 1, want 2"},
		{p.CDF(two, x, []float32{0, inf}), "y row 1, column 0: value -Inf is not finite"},
		{p.CRPS(two, x, one), "len(y) = 1, want 2"},
		{p.LogLik(one, x, two), "len(dst) = 1, want 2"},
		{p.Sample(two, x, -1, 1), "temperatures -1, 1"},
		{p.Sample(two, x, 1, math.NaN()), "temperatures 1, NaN"},
		{p.Density(make([]float32, 4), x, []float32{0, nan}), "grid row 1"},
		{p.Mean(one, x), "len(dst) = 1, want 2 (2 rows × 1 outputs)"},
	} {
		switch {
		case c.want == "" && c.err != nil:
			t.Errorf("error %v for a valid call", c.err)
		case c.want != "" && (c.err == nil || !strings.Contains(c.err.Error(), c.want)):
			t.Errorf("error %v, want one containing %q", c.err, c.want)
		}
	}
	mlp, _ := New(Config{In: 2, Out: 1, Hidden: []int{3}}, 1)
	if err := mlp.NewPredictor().Quantiles(two, x, []float64{0.5}); err != errNotMixture {
		t.Errorf("quantiles of a plain network: %v", err)
	}
	if err := mlp.NewPredictor().Predict(two, x); err != nil {
		t.Errorf("Predict of a plain network: %v", err)
	}
	// A Predictor whose model was replaced by UnmarshalBinary.
	other, _ := New(Config{In: 2, Out: 1, Hidden: []int{5, 5}, K: 3}, 2)
	b, _ := other.MarshalBinary()
	if err := m.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if err := p.Mean(two, x); err != errReplaced {
		t.Errorf("a Predictor of a replaced model: %v", err)
	}
}

// TestPredictorReload: a Predictor goes on after UnmarshalBinary loads a
// model of the same shape, with the new parameters, and refuses one whose
// layers match but whose head splits differently (K = 5, Out = 1 and K =
// 3, Out = 2 both have 15 head outputs).
func TestPredictorReload(t *testing.T) {
	m, _ := New(Config{In: 1, Out: 1, Hidden: []int{8}, K: 5}, 1)
	p := m.NewPredictor()
	x := []float32{-1, 0.5, 2}
	before := make([]float32, 3)
	if err := p.Mean(before, x); err != nil {
		t.Fatal(err)
	}
	same, _ := New(Config{In: 1, Out: 1, Hidden: []int{8}, K: 5}, 7)
	b, _ := same.MarshalBinary()
	if err := m.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	got, want := make([]float32, 3), make([]float32, 3)
	if err := p.Mean(got, x); err != nil {
		t.Fatalf("a Predictor after loading a model of the same shape: %v", err)
	}
	if err := same.NewPredictor().Mean(want, x); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) || slices.Equal(got, before) {
		t.Errorf("means after the reload %v, want the loaded model's %v (before: %v)", got, want, before)
	}
	split, _ := New(Config{In: 1, Out: 2, Hidden: []int{8}, K: 3}, 1)
	b, _ = split.MarshalBinary()
	if err := m.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if err := p.Mean(make([]float32, 6), x); err != errReplaced {
		t.Errorf("a Predictor after loading K = 3, Out = 2 over K = 5, Out = 1: %v", err)
	}
}

// TestSampleMoments checks samples against the moments of their mixtures:
// per row, over many draws for a few inputs of a trained model.
func TestSampleMoments(t *testing.T) {
	m, _ := trainedSeed(t, 50)
	p := m.NewPredictor()
	xs := []float32{-8, -1, 0.5, 6}
	const draws = 40000
	x := make([]float32, len(xs)*draws)
	for i := range x {
		x[i] = xs[i%len(xs)]
	}
	s := make([]float32, len(x))
	p.Seed(11)
	if err := p.Sample(s, x, 1, 1); err != nil {
		t.Fatal(err)
	}
	mean, vr := make([]float32, len(xs)), make([]float32, len(xs))
	if err := errorsJoin(p.Mean(mean, xs), p.Variance(vr, xs)); err != nil {
		t.Fatal(err)
	}
	for r := range xs {
		var s1, s2 float64
		for i := r; i < len(s); i += len(xs) {
			s1 += float64(s[i])
			s2 += float64(s[i]) * float64(s[i])
		}
		m1 := s1 / draws
		v := s2/draws - m1*m1
		// 5 standard errors: of the mean √(var/n), of the variance about
		// var·√(2/n) for unimodal rows; mixtures' fourth moments are larger,
		// so the variance gets 10.
		if se := math.Sqrt(float64(vr[r]) / draws); math.Abs(m1-float64(mean[r])) > 5*se {
			t.Errorf("x = %v: sample mean %v, mixture mean %v (se %v)", xs[r], m1, mean[r], se)
		}
		if math.Abs(v-float64(vr[r])) > 10*float64(vr[r])*math.Sqrt(2.0/draws) {
			t.Errorf("x = %v: sample variance %v, mixture variance %v", xs[r], v, vr[r])
		}
	}
	// Same seed, same samples; another seed, others.
	a, b := make([]float32, 100), make([]float32, 100)
	p.Seed(3)
	_ = p.Sample(a, x[:100], 1, 1)
	p.Seed(3)
	_ = p.Sample(b, x[:100], 1, 1)
	if !slices.Equal(a, b) {
		t.Error("same seed, different samples")
	}
	p.Seed(4)
	_ = p.Sample(b, x[:100], 1, 1)
	if slices.Equal(a, b) {
		t.Error("different seeds, same samples")
	}
}

// TestSampleReference checks Predictor.Sample against the sampler written
// out plainly from its parts (the chunk's words from the generator, pick,
// the argmax or pickTempered per row, then normalFrom per row and
// dimension), for one and three output dimensions and each kind of
// temperature: the one-dimension loop's inlined ziggurat step must give
// what normalFrom gives, including its draws after a rejection.
func TestSampleReference(t *testing.T) {
	for _, cfg := range []Config{seedCfg, {In: 2, Out: 3, Hidden: []int{6}, K: 4}} {
		m, err := New(cfg, 5)
		if err != nil {
			t.Fatal(err)
		}
		const n = 3000 // dozens of rejections in the ziggurat
		rng := rand.New(rand.NewPCG(21, 22))
		x := make([]float32, n*cfg.In)
		for i := range x {
			x[i] = float32(4 * rng.NormFloat64())
		}
		p := m.NewPredictor()
		var mix Mixture
		if err := p.Mixture(&mix, x); err != nil {
			t.Fatal(err)
		}
		k, d := cfg.K, cfg.Out
		for _, temp := range [][2]float64{{1, 1}, {0, 0.5}, {0.7, 2}} {
			p.Seed(9)
			got := make([]float32, n*d)
			if err := p.Sample(got, x, temp[0], temp[1]); err != nil {
				t.Fatal(err)
			}
			g := splitMix{s: splitMixMix(9 ^ 0x73616d706c6572)}
			words := make([]uint64, n+n*d)
			g.fill(words)
			var s scratch
			for i := range n {
				pi := mix.Pi[i*k : (i+1)*k]
				var c int32
				switch temp[0] {
				case 1:
					c = pick(pi, uniform(words[i]))
				case 0:
					c = int32(slices.Index(pi, slices.Max(pi)))
				default:
					c = pickTempered(pi, 1/temp[0], uniform(words[i]), &s)
				}
				for j := range d {
					z := normalFrom(words[n+i*d+j], &g)
					at := (i*k+int(c))*d + j
					want := float32(float64(mix.Mu[at]) + temp[1]*float64(mix.Sigma[at])*z)
					if got[i*d+j] != want {
						t.Fatalf("D=%d temperatures %v: row %d dim %d = %v, want %v", d, temp, i, j, got[i*d+j], want)
					}
				}
			}
		}
	}
}

// TestPickCounts holds pickCounts (four rows at a time on avx2fma) to
// pickCount row by row, and pickRows to pick: the components 1 to 12 and
// 32, rows 0 to 13 (whole blocks of four and every tail), weights that are
// multiples of 2⁻⁸ so that words can put u exactly on a cumulative sum
// (u − sum = +0 counts) or one step of 2⁻⁵³ below it, zero weights (which
// pickFix steps over), the ends of u's range (0 and 1 − 2⁻⁵³), and
// weights that are NaN (of either sign), ±Inf or sum past 1.
func TestPickCounts(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	for _, path := range cpufeat.Paths() {
		t.Run(path, func(t *testing.T) {
			defer cpufeat.Force(path)()
			for _, k := range []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 32} {
				for n := range 14 {
					for trial := range 8 {
						pi := make([]float32, n*k)
						bits := make([]uint64, n)
						for i := range n {
							row := pi[i*k : (i+1)*k]
							for j := range row {
								if r.IntN(4) > 0 {
									row[j] = float32(r.IntN(256)) / 256
								}
							}
							switch trial {
							case 6:
								row[r.IntN(k)] = [...]float32{float32(math.NaN()), math.Float32frombits(0xffc00000), float32(math.Inf(1)), float32(math.Inf(-1)), 2}[r.IntN(5)]
							case 7:
								row[r.IntN(k)] = 0
							}
							var cum float64
							for _, v := range row[:1+r.IntN(k)] {
								cum += float64(v)
							}
							low := r.Uint64() & (1<<11 - 1)
							switch {
							case trial == 0:
								bits[i] = 0
							case trial == 1:
								bits[i] = math.MaxUint64
							case trial < 4 && cum < 1:
								// u = cum exactly, or one step below it.
								w := uint64(cum * 0x1p53)
								if trial == 3 && w > 0 {
									w--
								}
								bits[i] = w<<11 | low
							default:
								bits[i] = r.Uint64()
							}
						}
						got, want := make([]int32, n), make([]int32, n)
						pickCounts(got, pi, bits, k)
						pickCountsGo(want, pi, bits, k)
						if !slices.Equal(got, want) {
							t.Fatalf("k=%d n=%d trial %d: counts %v, want %v (pi %v, bits %x)", k, n, trial, got, want, pi, bits)
						}
						pickRows(got, pi, bits, k)
						for i := range n {
							want[i] = pick(pi[i*k:(i+1)*k], uniform(bits[i]))
						}
						if !slices.Equal(got, want) {
							t.Fatalf("k=%d n=%d trial %d: components %v, want %v", k, n, trial, got, want)
						}
					}
				}
			}
		})
	}
}

// FuzzPickCounts holds pickCounts to pickCountsGo, and pickRows to pick,
// on every path for weights and words from the fuzzer: data[0] gives k (1
// to 12), then each row takes k weights of 4 bytes (any float32 bits) and a
// word of 8, whose top 53 bits may be replaced by a cumulative sum of the
// row's weights (u exactly on it) when data[1] is odd.
func FuzzPickCounts(f *testing.F) {
	f.Add([]byte{4, 1, 0, 0, 128, 62, 0, 0, 0, 63, 0, 0, 128, 62, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8})
	f.Add([]byte{0, 0, 0, 0, 128, 63, 255, 255, 255, 255, 255, 255, 255, 255})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 2 {
			return
		}
		k, exact := 1+int(data[0])%12, data[1]&1 == 1
		data = data[2:]
		n := len(data) / (4*k + 8)
		pi, bits := make([]float32, n*k), make([]uint64, n)
		for i := range n {
			row := data[i*(4*k+8):]
			var cum float64
			for j := range k {
				pi[i*k+j] = math.Float32frombits(uint32(row[4*j]) | uint32(row[4*j+1])<<8 | uint32(row[4*j+2])<<16 | uint32(row[4*j+3])<<24)
				cum += float64(pi[i*k+j])
				if exact && j == int(row[0])%k && cum >= 0 && cum < 1 {
					bits[i] = uint64(cum*0x1p53) << 11
				}
			}
			if bits[i] == 0 {
				for b := range 8 {
					bits[i] |= uint64(row[4*k+b]) << (8 * b)
				}
			}
		}
		want := make([]int32, n)
		pickCountsGo(want, pi, bits, k)
		for _, path := range cpufeat.Paths() {
			restore := cpufeat.Force(path)
			got := make([]int32, n)
			pickCounts(got, pi, bits, k)
			if !slices.Equal(got, want) {
				restore()
				t.Fatalf("%s: k=%d: counts %v, want %v", path, k, got, want)
			}
			pickRows(got, pi, bits, k)
			restore()
			for i := range n {
				if c := pick(pi[i*k:(i+1)*k], uniform(bits[i])); got[i] != c {
					t.Fatalf("%s: k=%d row %d: component %d, want %d", path, k, i, got[i], c)
				}
			}
		}
	})
}

// TestPickCountsFenced runs pickCounts with the weights against an
// inaccessible page, past their end and then before their start, so that
// a gather outside them faults.
func TestPickCountsFenced(t *testing.T) {
	fencedOnEachPath(t, func(t *testing.T) {
		for _, sh := range [][2]int{{5, 1000}, {1, 8}, {3, 13}, {32, 4}} {
			k, n := sh[0], sh[1]
			bits := make([]uint64, n)
			for i := range bits {
				bits[i] = uint64(i) * 0x9e3779b97f4a7c15
			}
			want := make([]int32, n)
			for _, atStart := range []bool{false, true} {
				pi, free := f32test.Fenced(n*k, atStart)
				for i := range pi {
					pi[i] = 1 / float32(k)
				}
				pickCountsGo(want, pi, bits, k)
				got := make([]int32, n)
				pickCounts(got, pi, bits, k)
				free()
				if !slices.Equal(got, want) {
					t.Fatalf("k=%d n=%d fenced at start=%v: %v, want %v", k, n, atStart, got, want)
				}
			}
		}
	})
}

// BenchmarkPickRows times the component draw of Sample (pickRows) on the
// seed's shape, 1000 rows of 5 weights, on every path.
func BenchmarkPickRows(b *testing.B) {
	const n, k = 1000, 5
	r := rand.New(rand.NewPCG(5, 5))
	pi, bits, comp := make([]float32, n*k), make([]uint64, n), make([]int32, n)
	for i := range n {
		var sum float32
		for j := range k {
			pi[i*k+j] = r.Float32()
			sum += pi[i*k+j]
		}
		for j := range k {
			pi[i*k+j] /= sum
		}
		bits[i] = r.Uint64()
	}
	for _, path := range cpufeat.Paths() {
		b.Run("size=seed/impl="+path, func(b *testing.B) {
			defer cpufeat.Force(path)()
			for b.Loop() {
				pickRows(comp, pi, bits, k)
			}
		})
	}
}

// TestNormalDeviates checks the ziggurat's output: its moments and the
// Kolmogorov–Smirnov distance to Φ (fixed seed, 1% critical value), and
// that the layers close (the last rectangle's area is the others').
func TestNormalDeviates(t *testing.T) {
	if a := zigX[zigLayers-1] * (1 - zigF[zigLayers-1]); math.Abs(a-zigV) > 1e-9 {
		t.Errorf("top layer's area %v, want %v", a, zigV)
	}
	r := splitMix{s: 12}
	const n = 200000
	v := make([]float64, n)
	var m1, m2, m3, m4 float64
	for i := range v {
		x := normal(&r)
		v[i] = x
		m1 += x
		m2 += x * x
		m3 += x * x * x
		m4 += x * x * x * x
	}
	m1, m2, m3, m4 = m1/n, m2/n, m3/n, m4/n
	// Standard errors: 1/√n, √(2/n), √(15/n), √(96/n).
	se := 1 / math.Sqrt(n)
	if math.Abs(m1) > 5*se || math.Abs(m2-1) > 5*math.Sqrt(2)*se || math.Abs(m3) > 5*math.Sqrt(15)*se || math.Abs(m4-3) > 5*math.Sqrt(96)*se {
		t.Errorf("moments %v %v %v %v, want 0 1 0 3", m1, m2, m3, m4)
	}
	sort.Float64s(v)
	var ks float64
	for i, x := range v {
		f := 0.5 * math.Erfc(-x/math.Sqrt2)
		ks = max(ks, math.Abs(f-float64(i)/n), math.Abs(f-float64(i+1)/n))
	}
	if ks > 1.63/math.Sqrt(n) {
		t.Errorf("KS distance %.5f, 1%% critical value %.5f", ks, 1.63/math.Sqrt(n))
	}
	// The tail beyond zigR is reached and has the right mass: P(|x| > 3.5).
	tail := 0
	for _, x := range v {
		tail += btoi(math.Abs(x) > 3.5)
	}
	want := n * math.Erfc(3.5/math.Sqrt2)
	if math.Abs(float64(tail)-want) > 5*math.Sqrt(want) {
		t.Errorf("%d deviates beyond ±3.5, want about %.0f", tail, want)
	}
}

// TestPredictorCalibration draws targets from a model's own mixtures
// (fixed seed) and checks, through the Predictor, that the PIT values are
// uniform and the 50/90/95% intervals cover what they claim (about 4
// standard errors).
func TestPredictorCalibration(t *testing.T) {
	m, _ := trainedSeed(t, 200)
	p := m.NewPredictor()
	const n = 20000
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(-10 + 20*float64(i)/n)
	}
	y, pit := make([]float32, n), make([]float32, n)
	p.Seed(12)
	if err := errorsJoin(p.Sample(y, x, 1, 1), p.PIT(pit, x, y)); err != nil {
		t.Fatal(err)
	}
	s := slices.Clone(pit)
	slices.Sort(s)
	var ks float64
	for i, v := range s {
		ks = max(ks, math.Abs(float64(v)-float64(i)/n), math.Abs(float64(v)-float64(i+1)/n))
	}
	if ks > 1.63/math.Sqrt(n) {
		t.Errorf("PIT KS distance %.4f, 1%% critical value %.4f", ks, 1.63/math.Sqrt(n))
	}
	for _, c := range []float64{0.5, 0.9, 0.95} {
		lo, hi := make([]float32, n), make([]float32, n)
		if err := p.Interval(lo, hi, x, c); err != nil {
			t.Fatal(err)
		}
		in := 0
		for i := range n {
			in += btoi(lo[i] <= y[i] && y[i] <= hi[i])
		}
		if got, se := float64(in)/n, math.Sqrt(c*(1-c)/n); math.Abs(got-c) > 4*se {
			t.Errorf("%.0f%% intervals cover %.4f of the draws (±%.4f allowed)", 100*c, got, 4*se)
		}
	}
}

// TestPredictorPaths runs the Mixture on every kernel path this machine
// has and checks the paths agree within float32 rounding.
func TestPredictorPaths(t *testing.T) {
	m, d := trainedSeed(t, 20)
	want, _ := m.Mixture(d.X)
	t.Logf("dispatched path %s", mdnsimd.Impl())
	for _, path := range cpufeat.Paths() {
		restore := cpufeat.Force(path)
		got, err := m.Mixture(d.X)
		restore()
		if err != nil {
			t.Fatal(err)
		}
		for i := range want.Mu {
			if math.Abs(float64(got.Mu[i]-want.Mu[i])) > 1e-5*(1+math.Abs(float64(want.Mu[i]))) ||
				math.Abs(float64(got.Sigma[i]-want.Sigma[i])) > 1e-5*float64(want.Sigma[i]) {
				t.Fatalf("%s path: row %d differs: μ %v vs %v, σ %v vs %v", path, i, got.Mu[i], want.Mu[i], got.Sigma[i], want.Sigma[i])
			}
		}
	}
}

// TestScore checks Score against the Predictor's queries: its NLL is
// Loss, its CRPS the mean of CRPS, its PIT the PIT, and its coverage what
// the central intervals hold.
func TestScore(t *testing.T) {
	m, _ := trainedSeed(t, 100)
	d := SinusoidDraw(2000, 5, true)
	s, err := m.Score(d)
	if err != nil {
		t.Fatal(err)
	}
	loss, _ := m.Loss(d)
	p := m.NewPredictor()
	crps, pit := make([]float32, d.N), make([]float32, d.N)
	if err := errorsJoin(p.CRPS(crps, d.X, d.Y), p.PIT(pit, d.X, d.Y)); err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, v := range crps {
		sum += float64(v)
	}
	if s.N != d.N || s.NLL != loss || math.Abs(s.CRPS[0]-sum/float64(d.N)) > 1e-9*sum || !slices.Equal(s.PIT, pit) {
		t.Errorf("Score: N %d NLL %v CRPS %v; want %d, %v, %v and the PIT values", s.N, s.NLL, s.CRPS, d.N, loss, sum/float64(d.N))
	}
	for l, c := range s.Levels {
		lo, hi := make([]float32, d.N), make([]float32, d.N)
		if err := p.Interval(lo, hi, d.X, c); err != nil {
			t.Fatal(err)
		}
		in := 0
		for i := range d.N {
			in += btoi(lo[i] <= d.Y[i] && d.Y[i] <= hi[i])
		}
		// A target within the quantiles' tolerance of an interval's end
		// may count on either side.
		if got := float64(in) / float64(d.N); math.Abs(got-s.Coverage[l][0]) > 2/float64(d.N) {
			t.Errorf("%.0f%%: Score's coverage %v, the intervals hold %v", 100*c, s.Coverage[l][0], got)
		}
	}
	if _, err := (&Model{cfg: Config{In: 1, Out: 1}}).Score(d); err != errNotMixture {
		t.Errorf("Score of a plain network: %v", err)
	}
}

// TestSampleTinyTempPi: a tempPi so small that 1/tempPi overflows takes
// the most probable component, the limit that tempPi = 0 gives, not the
// first component (every tempered weight would be exp(−Inf + Inf)).
func TestSampleTinyTempPi(t *testing.T) {
	m, err := New(Config{In: 1, Out: 1, Hidden: []int{4}, K: 3}, 1)
	if err != nil {
		t.Fatal(err)
	}
	// Zero weights and head biases of logits 0, 0, 3 (π ≈ 0.045, 0.045,
	// 0.909), means 10, 20, 30 and log σ 0.
	params := make([]float32, m.NumParams())
	copy(params[len(params)-9:], []float32{0, 0, 3, 10, 20, 30, 0, 0, 0})
	if err := m.SetParams(params); err != nil {
		t.Fatal(err)
	}
	p := m.NewPredictor()
	x := make([]float32, 8)
	for _, tp := range []float64{0, 1e-300, 1e-308, 4e-309, 1e-320, math.SmallestNonzeroFloat64} {
		dst := make([]float32, len(x))
		if err := p.Sample(dst, x, tp, 0); err != nil {
			t.Fatal(err)
		}
		for i, v := range dst {
			if v != 30 {
				t.Errorf("tempPi %g, tempSigma 0: row %d sampled %v, want 30, the most probable component's mean", tp, i, v)
			}
		}
	}
}
