package mdn

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
)

// fixedMixture returns a model whose head ignores its input (zero weights),
// so every row's mixture is set by the head bias: logits, μ and logσ.
func fixedMixture(t *testing.T, in int, logits, mu, logSigma []float32, d int) *Model {
	t.Helper()
	k := len(logits)
	m, err := New(Config{In: in, Out: d, Hidden: []int{3}, K: k}, 1)
	if err != nil {
		t.Fatal(err)
	}
	head := m.layers[len(m.layers)-1]
	clear(m.params[head.w : head.w+head.in*head.out])
	b := m.params[head.b : head.b+head.out]
	copy(b, logits)
	copy(b[k:], mu)
	copy(b[k+k*d:], logSigma)
	return m
}

func TestMixtureAndMoments(t *testing.T) {
	logits := []float32{0, float32(math.Log(3))} // π = 0.25, 0.75
	mu := []float32{-4, 1, 6, -2}                // component-major, D = 2
	ls := []float32{0, float32(math.Log(0.5)), float32(math.Log(0.25)), 0}
	m := fixedMixture(t, 2, logits, mu, ls, 2)
	x := []float32{0.3, -1, 2, 5, -7, 0}
	mix, err := m.Mixture(x)
	if err != nil {
		t.Fatal(err)
	}
	if mix.N != 3 || mix.K != 2 || mix.D != 2 {
		t.Fatalf("shape %d×%d×%d", mix.N, mix.K, mix.D)
	}
	near := func(what string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-6*math.Max(1, math.Abs(want)) {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	for i := range 3 {
		near("π0", float64(mix.Pi[i*2]), 0.25)
		near("π1", float64(mix.Pi[i*2+1]), 0.75)
		for j := range 4 {
			near("μ", float64(mix.Mu[i*4+j]), float64(mu[j]))
			near("σ", float64(mix.Sigma[i*4+j]), math.Exp(float64(ls[j])))
		}
	}
	mean, _ := m.Mean(x)
	pred, _ := m.Predict(x)
	for i := range 3 {
		near("mean0", float64(mean[i*2]), 0.25*-4+0.75*6)
		near("mean1", float64(mean[i*2+1]), 0.25*1+0.75*-2)
	}
	if !slices.Equal(mean, pred) {
		t.Error("Predict of a mixture model is not its mean")
	}
	// Well separated components: the mode is the heavier one's mean.
	mode, _ := m.Mode(x)
	for i := range 3 {
		near("mode0", float64(mode[i*2]), 6)
		near("mode1", float64(mode[i*2+1]), -2)
	}

	// log p(y|x) against the density written out.
	y := []float32{-4, 1, 6, -2, 0, 0}
	ll, err := m.LogLik(x, y)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		var p float64
		for c := range 2 {
			q := float64(mix.Pi[i*2+c])
			for j := range 2 {
				s := math.Exp(float64(ls[c*2+j]))
				z := (float64(y[i*2+j]) - float64(mu[c*2+j])) / s
				q *= math.Exp(-0.5*z*z) / (s * math.Sqrt(2*math.Pi))
			}
			p += q
		}
		near("log-likelihood", float64(ll[i]), math.Log(p))
	}
}

func TestModeOfOverlappingMixture(t *testing.T) {
	// Two equal-weight unit components 1 apart: one mode, at the midpoint.
	m := fixedMixture(t, 1, []float32{0, 0}, []float32{0, 1}, []float32{0, 0}, 1)
	mode, _ := m.Mode([]float32{0})
	if math.Abs(float64(mode[0])-0.5) > 1e-5 {
		t.Fatalf("mode %v, want 0.5", mode[0])
	}
	// Weights 0.6/0.4, 3 apart: the mode lies just off the heavier mean,
	// where the density's derivative is zero.
	m = fixedMixture(t, 1, []float32{float32(math.Log(1.5)), 0}, []float32{0, 3}, []float32{0, 0}, 1)
	mode, _ = m.Mode([]float32{0})
	u := float64(mode[0])
	deriv := 0.6*(-u)*math.Exp(-u*u/2) + 0.4*(3-u)*math.Exp(-(u-3)*(u-3)/2)
	if math.Abs(deriv) > 1e-5 || u < 0 || u > 0.5 {
		t.Fatalf("mode %v (density derivative %v)", u, deriv)
	}
}

func TestSample(t *testing.T) {
	m := fixedMixture(t, 1, []float32{0, float32(math.Log(3))}, []float32{-5, 5}, []float32{0, float32(math.Log(0.5))}, 1)
	const n = 40000
	x := make([]float32, n)
	rng := rand.New(rand.NewPCG(1, 2))
	s, err := m.Sample(x, rng, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	// Component shares and within-component moments; the components are
	// 10 σ apart, so the sign assigns a sample to its component.
	var cnt [2]int
	var sum, sq [2]float64
	for _, v := range s {
		c := 0
		if v > 0 {
			c = 1
		}
		cnt[c]++
		sum[c] += float64(v)
		sq[c] += float64(v) * float64(v)
	}
	// Bounds of ~5 standard errors.
	if p := float64(cnt[1]) / n; math.Abs(p-0.75) > 0.011 {
		t.Errorf("share of component 1 %v, want 0.75", p)
	}
	for c, want := range [][2]float64{{-5, 1}, {5, 0.5}} {
		mean := sum[c] / float64(cnt[c])
		sd := math.Sqrt(sq[c]/float64(cnt[c]) - mean*mean)
		if math.Abs(mean-want[0]) > 5*want[1]/math.Sqrt(float64(cnt[c])) || math.Abs(sd-want[1]) > 0.05*want[1] {
			t.Errorf("component %d: mean %v sd %v, want %v %v", c, mean, sd, want[0], want[1])
		}
	}
	// Temperature 0 on both: the most probable component's mean.
	s, _ = m.Sample(x[:10], rng, 0, 0)
	for _, v := range s {
		if v != 5 {
			t.Fatalf("greedy sample %v, want 5", v)
		}
	}
	// A low π temperature sharpens towards the heavier component.
	s, _ = m.Sample(x[:4000], rng, 0.25, 1)
	heavy := 0
	for _, v := range s {
		heavy += btoi(v > 0)
	}
	// π ∝ (0.25, 0.75)^4 → 0.988 for component 1.
	if f := float64(heavy) / 4000; math.Abs(f-81.0/82) > 0.01 {
		t.Errorf("share at tempPi 0.25: %v, want %v", f, 81.0/82)
	}
	// Same seed, same samples.
	a, _ := m.Sample(x[:50], rand.New(rand.NewPCG(7, 7)), 1, 1)
	b, _ := m.Sample(x[:50], rand.New(rand.NewPCG(7, 7)), 1, 1)
	if !slices.Equal(a, b) {
		t.Error("same generator seed, different samples")
	}
	if _, err := m.Sample(x, nil, 1, 1); err == nil {
		t.Error("nil generator accepted")
	}
	if _, err := m.Sample(x, rng, -1, 1); err == nil {
		t.Error("negative temperature accepted")
	}
}

func TestPredictErrors(t *testing.T) {
	mlp, _ := New(Config{In: 2, Out: 1, Hidden: []int{3}}, 1)
	if _, err := mlp.Mixture([]float32{1, 2}); err == nil {
		t.Error("Mixture of an MLP accepted")
	}
	if out, err := mlp.Predict([]float32{1, 2, 3, 4}); err != nil || len(out) != 2 {
		t.Errorf("MLP Predict: %v, %v", out, err)
	}
	m, _ := New(Config{In: 2, Out: 1, K: 2}, 1)
	for _, x := range [][]float32{{1, 2, 3}, {1, float32(math.Inf(1))}} {
		if _, err := m.Mixture(x); err == nil {
			t.Errorf("Mixture(%v) accepted", x)
		}
	}
	if _, err := m.LogLik([]float32{1, 2}, []float32{1, 2}); err == nil {
		t.Error("LogLik with mismatched rows accepted")
	}
	if _, err := m.Loss(Dataset{X: []float32{1}, Y: []float32{1}, N: 1, In: 1, Out: 1}); err == nil {
		t.Error("Loss on a dataset of the wrong width accepted")
	}
}

// TestConcurrentPrediction runs predictions from many goroutines on one
// trained model (run it with -race) and checks each gets the serial answer.
func TestConcurrentPrediction(t *testing.T) {
	d := Sinusoid(100, 1, true)
	m, _ := New(seedCfg, 1)
	if _, err := m.Train(context.Background(), d, TrainOptions{Epochs: 5}); err != nil {
		t.Fatal(err)
	}
	wantMix, _ := m.Mixture(d.X)
	wantLoss, _ := m.Loss(d)
	var wg sync.WaitGroup
	errs := make(chan string, 16)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				mix, _ := m.Mixture(d.X)
				l, _ := m.Loss(d)
				_, _ = m.Sample(d.X, rand.New(rand.NewPCG(uint64(g), 0)), 1, 1)
				_, _ = m.Mode(d.X[:10])
				if !slices.Equal(mix.Pi, wantMix.Pi) || !slices.Equal(mix.Mu, wantMix.Mu) || l != wantLoss {
					errs <- "concurrent prediction differs from the serial one"
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatal(e)
	}
}

// TestLossMatchesTraining checks that Loss is the loss Train reports: after
// a step with learning rate ~0 the reported epoch loss is Loss of the
// starting parameters.
func TestLossMatchesTraining(t *testing.T) {
	d := Sinusoid(300, 1, true)
	for _, cfg := range []Config{seedCfg, {In: 1, Out: 1, Hidden: []int{7}}} {
		m, _ := New(cfg, 1)
		want, _ := m.Loss(d)
		res, err := m.Train(context.Background(), d, TrainOptions{Epochs: 1, Optimizer: SGD, LR: 1e-30})
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(res.Loss-want) > 1e-6*math.Abs(want) {
			t.Errorf("K=%d: Train reports %v, Loss %v", cfg.K, res.Loss, want)
		}
	}
}

// TestPredictChunks checks prediction over more rows than one pass holds
// (the bound on a pass is lowered as a wide model would) against row-by-row
// prediction.
func TestPredictChunks(t *testing.T) {
	defer func(v int) { predictFloats = v }(predictFloats)
	predictFloats = 419 * 46
	m, _ := New(Config{In: 1, Out: 1, Hidden: []int{40}, K: 2}, 1)
	if c := m.predictChunk(); c != 419 {
		t.Fatalf("chunk %d rows: the test wants several chunks", c)
	}
	d := SinusoidDraw(1000, 3, true)
	mix, err := m.Mixture(d.X)
	if err != nil {
		t.Fatal(err)
	}
	ll, _ := m.LogLik(d.X, d.Y)
	loss, _ := m.Loss(d)
	var sum float64
	for _, i := range []int{0, 1, 417, 418, 419, 420, 838, 839, 999} {
		one, _ := m.Mixture(d.X[i : i+1])
		for j := range 2 {
			if a, b := mix.Mu[i*2+j], one.Mu[j]; math.Abs(float64(a-b)) > 1e-5*(1+math.Abs(float64(b))) {
				t.Errorf("row %d: μ %v in a batch, %v alone", i, a, b)
			}
		}
	}
	for _, v := range ll {
		sum -= float64(v)
	}
	if math.Abs(sum/1000-loss) > 1e-5*math.Abs(loss) {
		t.Errorf("Loss %v, mean −LogLik %v", loss, sum/1000)
	}
}

// TestModeGlobal checks Mode on random one-dimensional mixtures (1 to 6
// components, means and scales far apart and close, weights uneven)
// against a dense grid search refined by golden-section steps: the mode
// found has the density's highest value to within 1e-6 relative, and the
// density's derivative there is zero to within the float32 rounding of
// the returned point.
func TestModeGlobal(t *testing.T) {
	r := rand.New(rand.NewPCG(41, 42))
	const rows = 150
	for k := 1; k <= 6; k++ {
		mix := &Mixture{N: rows, K: k, D: 1, Pi: make([]float32, rows*k), Mu: make([]float32, rows*k), Sigma: make([]float32, rows*k)}
		for i := range rows {
			var s float32
			spread := math.Pow(10, r.Float64()*3-1) // 0.1 to 100
			for c := range k {
				p := float32(r.Float64()*r.Float64() + 1e-3)
				mix.Pi[i*k+c] = p
				s += p
				mix.Mu[i*k+c] = float32(r.NormFloat64() * spread)
				mix.Sigma[i*k+c] = float32(math.Pow(10, r.Float64()*2-1)) // 0.1 to 10
			}
			for c := range k {
				mix.Pi[i*k+c] /= s
			}
		}
		mode := make([]float32, rows)
		if err := mix.Mode(mode); err != nil {
			t.Fatal(err)
		}
		for i := range rows {
			pi, mu, sg := mix.Pi[i*k:(i+1)*k], mix.Mu[i*k:(i+1)*k], mix.Sigma[i*k:(i+1)*k]
			dens := func(y float64) (p, dp float64) {
				for c := range k {
					m, s := float64(mu[c]), float64(sg[c])
					z := (y - m) / s
					q := float64(pi[c]) * math.Exp(-0.5*z*z) / (s * math.Sqrt(2*math.Pi))
					p += q
					dp -= q * z / s
				}
				return p, dp
			}
			lo, hi := math.Inf(1), math.Inf(-1)
			for c := range k {
				lo = min(lo, float64(mu[c])-6*float64(sg[c]))
				hi = max(hi, float64(mu[c])+6*float64(sg[c]))
			}
			best, arg := -1.0, 0.0
			const steps = 50000
			for j := 0; j <= steps; j++ {
				y := lo + (hi-lo)*float64(j)/steps
				if p, _ := dens(y); p > best {
					best, arg = p, y
				}
			}
			a, b := arg-(hi-lo)/steps, arg+(hi-lo)/steps
			for range 100 {
				m1, m2 := a+(b-a)*0.382, b-(b-a)*0.382
				p1, _ := dens(m1)
				p2, _ := dens(m2)
				if p1 < p2 {
					a = m1
				} else {
					b = m2
				}
			}
			best, _ = dens((a + b) / 2)
			got, dp := dens(float64(mode[i]))
			if got < best*(1-1e-6) {
				t.Fatalf("k=%d row %d: mode %v has density %v, the grid's %v at %v (π %v μ %v σ %v)", k, i, mode[i], got, best, (a+b)/2, pi, mu, sg)
			}
			// One float32 step either side must not both be higher.
			y := float64(mode[i])
			up, _ := dens(float64(math.Nextafter32(mode[i], float32(math.Inf(1)))))
			down, _ := dens(float64(math.Nextafter32(mode[i], float32(math.Inf(-1)))))
			if up > got*(1+1e-12) && down > got*(1+1e-12) {
				t.Fatalf("k=%d row %d: mode %v is not a maximum (derivative %v)", k, i, y, dp)
			}
		}
	}
}
