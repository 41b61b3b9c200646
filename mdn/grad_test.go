package mdn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// refLoss is the model's mean loss computed independently in float64: the
// network by plain loops, the mixture NLL by log-sum-exp, the σ floor as a
// clamp of logσ. It is the reference for the gradient and loss tests.
func refLoss(m *Model, p []float64, x, y []float32, n int) float64 {
	cfg := m.cfg
	var total float64
	for r := range n {
		h := make([]float64, cfg.In)
		for j := range h {
			h[j] = float64(x[r*cfg.In+j])
		}
		for _, l := range m.layers {
			o := make([]float64, l.out)
			for i := range o {
				s := p[l.b+i]
				for j := range l.in {
					s += p[l.w+i*l.in+j] * h[j]
				}
				if l.tanh {
					s = math.Tanh(s)
				}
				o[i] = s
			}
			h = o
		}
		yr := y[r*cfg.Out : (r+1)*cfg.Out]
		if cfg.K == 0 {
			var s float64
			for j, v := range yr {
				e := h[j] - float64(v)
				s += e * e
			}
			total += s / float64(cfg.Out)
			continue
		}
		k, d := cfg.K, cfg.Out
		logits, mu, ls := h[:k], h[k:k+k*d], h[k+k*d:]
		if cfg.SigmaFloor > 0 {
			lf := float64(float32(math.Log(cfg.SigmaFloor)))
			for i := range ls {
				ls[i] = math.Max(ls[i], lf)
			}
		}
		lse := func(v []float64) float64 {
			mx := math.Inf(-1)
			for _, t := range v {
				mx = math.Max(mx, t)
			}
			var s float64
			for _, t := range v {
				s += math.Exp(t - mx)
			}
			return mx + math.Log(s)
		}
		lz := lse(logits)
		comp := make([]float64, k)
		for c := range k {
			t := logits[c] - lz
			for j := range d {
				z := (float64(yr[j]) - mu[c*d+j]) / math.Exp(ls[c*d+j])
				t += -ls[c*d+j] - 0.5*math.Log(2*math.Pi) - 0.5*z*z
			}
			comp[c] = t
		}
		total -= lse(comp)
	}
	return total / float64(n)
}

// modelGrad returns the trainer's gradient of the mean loss (one pass).
func modelGrad(m *Model, x, y []float32, n int) (float64, []float32) {
	p := newPass(m, n)
	head := p.forward(x, n)
	s := p.lossGrad(head, y, n, 1/float32(n), true)
	p.backward(x, n)
	return s / float64(n), p.grad
}

func randData(r *rand.Rand, n, in, out int, scale float64) (x, y []float32) {
	x = make([]float32, n*in)
	y = make([]float32, n*out)
	for i := range x {
		x[i] = float32(r.NormFloat64())
	}
	for i := range y {
		y[i] = float32(r.NormFloat64() * scale)
	}
	return x, y
}

// TestGradientFiniteDifference checks the whole model's gradient (head,
// mixture loss, every backward kernel) against central differences of the
// float64 reference loss.
//
// Tolerance: the analytic gradient is computed in float32 through a few
// dozen roundings per value (GEMM sums of ≤ 6 terms, tanh ≤ 2 ULP, the
// mixture kernel's exp/log), so each component carries a relative error of
// order 1e-6 of the gradient's scale; the float64 central difference with
// step 1e-5 has truncation error of order h² ≈ 1e-10. A bound of 2e-4 of the
// largest component (plus 2e-4 relative) is ~100× the expected error and far
// below what a wrong or missing term produces (errors of order the gradient
// itself).
func TestGradientFiniteDifference(t *testing.T) {
	cases := []struct {
		name string
		cfg  Config
		ysc  float64
	}{
		{"mdn/in=2/hidden=4,3/K=3/D=2", Config{In: 2, Out: 2, Hidden: []int{4, 3}, K: 3}, 1},
		{"mdn/in=1/hidden=5/K=1/D=1", Config{In: 1, Out: 1, Hidden: []int{5}, K: 1}, 1},
		{"mdn/no-hidden/K=2/D=3", Config{In: 3, Out: 3, K: 2}, 1},
		{"mdn/sigma-floor", Config{In: 2, Out: 1, Hidden: []int{6}, K: 3, SigmaFloor: 0.9}, 0.05},
		{"mlp/hidden=5,4", Config{In: 2, Out: 2, Hidden: []int{5, 4}}, 1},
	}
	for ci, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, err := New(tc.cfg, uint64(ci)+7)
			if err != nil {
				t.Fatal(err)
			}
			// Larger weights than the default init, so tanh is nonlinear.
			r := rand.New(rand.NewPCG(uint64(ci), 3))
			for i := range m.params {
				m.params[i] = float32(r.NormFloat64() * 0.7)
			}
			const n = 7
			x, y := randData(r, n, tc.cfg.In, tc.cfg.Out, tc.ysc)
			loss, g := modelGrad(m, x, y, n)
			p := make([]float64, len(m.params))
			for i, v := range m.params {
				p[i] = float64(v)
			}
			ref := refLoss(m, p, x, y, n)
			if math.Abs(loss-ref) > 1e-5*math.Max(1, math.Abs(ref)) {
				t.Fatalf("loss %v, float64 reference %v", loss, ref)
			}
			if tc.cfg.SigmaFloor > 0 {
				// The σ floor must be active for some outputs, or the
				// case tests nothing special.
				pp := newPass(m, n)
				pp.forward(x, n)
				clamped := 0
				for _, c := range pp.clamp[:n*tc.cfg.K*tc.cfg.Out] {
					clamped += btoi(c)
				}
				if clamped == 0 || clamped == n*tc.cfg.K*tc.cfg.Out {
					t.Fatalf("σ floor clamps %d of %d outputs; want some but not all", clamped, n*tc.cfg.K)
				}
			}
			const h = 1e-5
			fd := make([]float64, len(p))
			scale := 0.0
			for i := range p {
				old := p[i]
				p[i] = old + h
				up := refLoss(m, p, x, y, n)
				p[i] = old - h
				down := refLoss(m, p, x, y, n)
				p[i] = old
				fd[i] = (up - down) / (2 * h)
				scale = math.Max(scale, math.Abs(fd[i]))
			}
			if scale == 0 {
				t.Fatal("all finite differences are zero")
			}
			for i := range fd {
				if e := math.Abs(float64(g[i]) - fd[i]); e > 2e-4*scale+2e-4*math.Abs(fd[i]) {
					t.Errorf("param %d: gradient %v, finite difference %v (scale %v)", i, g[i], fd[i], scale)
				}
			}
		})
	}
}

// TestWorkersGradient checks that splitting rows over workers and blocks
// gives the single-pass gradient (up to the reordered sums).
func TestWorkersGradient(t *testing.T) {
	cfg := Config{In: 2, Out: 1, Hidden: []int{8}, K: 4}
	m, _ := New(cfg, 1)
	r := rand.New(rand.NewPCG(5, 5))
	const n = 37
	x, y := randData(r, n, 2, 1, 1)
	loss1, g1 := modelGrad(m, x, y, n)
	for _, c := range []struct{ nw, block int }{{1, 5}, {2, 0}, {3, 0}, {5, 0}, {2, 4}} {
		nw := c.nw
		w := newWorkers(m, nw, n)
		if c.block > 0 {
			w.block = c.block // several blocks per shard
		}
		loss := w.run(x, y, n, true) / n
		g := w.grad()
		w.close()
		if math.Abs(loss-loss1) > 1e-6*math.Abs(loss1) {
			t.Errorf("workers=%d: loss %v, want %v", nw, loss, loss1)
		}
		for i := range g {
			if math.Abs(float64(g[i]-g1[i])) > 1e-5*(1+math.Abs(float64(g1[i]))) {
				t.Errorf("workers=%d: grad[%d] = %v, want %v", nw, i, g[i], g1[i])
			}
		}
	}
}
