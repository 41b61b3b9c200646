package fuzz

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/mdnsimd/mdnsimd/kernels"
	"github.com/mdnsimd/mdnsimd/mdn"
)

// trainerShape decodes a network and a batch from 26 bits of shape:
// In 1..4 (bits 0-1), Out 1..3 (2-3), K 0..6 (4-6, 0 = MLP with MSE),
// 0..2 hidden layers (7-8) of widths 1..24 (9-13, 14-18), rows 1..40
// (19-24) and 1 or 2 workers (25).
func trainerShape(shape uint32) (cfg mdn.Config, rows, workers int) {
	f := func(lo, bits, mod uint32) int { return int(shape >> lo & (1<<bits - 1) % mod) }
	cfg = mdn.Config{In: 1 + f(0, 2, 4), Out: 1 + f(2, 2, 3), K: f(4, 3, 7)}
	for i := range f(7, 2, 3) {
		cfg.Hidden = append(cfg.Hidden, 1+f(9+5*uint32(i), 5, 24))
	}
	return cfg, 1 + f(19, 6, 40), 1 + f(25, 1, 2)
}

// packTrainerShape is trainerShape's inverse, for seeds.
func packTrainerShape(in, out, k int, hidden []int, rows, workers int) uint32 {
	s := uint32(in-1) | uint32(out-1)<<2 | uint32(k)<<4 | uint32(len(hidden))<<7 | uint32(rows-1)<<19 | uint32(workers-1)<<25
	for i, h := range hidden {
		s |= uint32(h-1) << (9 + 5*i)
	}
	return s
}

// model64 evaluates a network laid out as mdn.Model.Params documents (layer
// by layer: weights out×in row-major, then bias; tanh hidden layers, linear
// head) in float64, and its mean loss over a data set: the mixture NLL for
// K ≥ 1 (nll64, no clamps), the mean squared error for K == 0.
type model64 struct {
	cfg  mdn.Config
	dims []int // In, Hidden..., head width
}

func newModel64(cfg mdn.Config) *model64 {
	m := &model64{cfg: cfg, dims: append([]int{cfg.In}, cfg.Hidden...)}
	hw := cfg.Out
	if cfg.K > 0 {
		hw = cfg.K + 2*cfg.K*cfg.Out
	}
	m.dims = append(m.dims, hw)
	return m
}

func (m *model64) loss(p []float64, x, y []float32, n int) float64 {
	l, _ := m.lossHeads(p, x, y, n, nil)
	return l
}

// lossHeads is loss, also appending every row's head outputs to heads.
func (m *model64) lossHeads(p []float64, x, y []float32, n int, heads []float64) (float64, []float64) {
	var total float64
	a := make([]float64, 0, 64)
	b := make([]float64, 0, 64)
	for r := 0; r < n; r++ {
		a = a[:0]
		for _, v := range x[r*m.cfg.In : (r+1)*m.cfg.In] {
			a = append(a, float64(v))
		}
		off := 0
		for l := 1; l < len(m.dims); l++ {
			in, out := m.dims[l-1], m.dims[l]
			w, bias := p[off:off+out*in], p[off+out*in:off+out*in+out]
			off += out*in + out
			b = b[:0]
			for o := 0; o < out; o++ {
				s := bias[o]
				for j := 0; j < in; j++ {
					s += w[o*in+j] * a[j]
				}
				if l < len(m.dims)-1 {
					s = math.Tanh(s)
				}
				b = append(b, s)
			}
			a, b = b, a
		}
		heads = append(heads, a...)
		yr := y[r*m.cfg.Out : (r+1)*m.cfg.Out]
		if m.cfg.K == 0 {
			var s float64
			for j, v := range yr {
				e := a[j] - float64(v)
				s += e * e
			}
			total += s / float64(len(yr))
		} else {
			total += nll64(a, yr, m.cfg.K, m.cfg.Out)
		}
	}
	return total / float64(n), heads
}

// upstream returns, for each head output, the magnitude of the terms its
// loss gradient is formed from (before the 1/n of the mean): for MSE
// 2/d·(|h| + |y|), so that a residual h − y that cancels is measured by
// what it cancelled from; for the mixture π+γ for a logit, γ·(|y|+|μ|)/σ²
// for a mean and γ·(1+z²) for a log σ.
func (m *model64) upstream(heads []float64, y []float32, n int) []float64 {
	w := len(heads) / max(n, 1)
	u := make([]float64, len(heads))
	k, d := m.cfg.K, m.cfg.Out
	for r := 0; r < n; r++ {
		h, yr := heads[r*w:(r+1)*w], y[r*d:(r+1)*d]
		ur := u[r*w : (r+1)*w]
		if k == 0 {
			for j := range h {
				ur[j] = 2 / float64(d) * (math.Abs(h[j]) + math.Abs(float64(yr[j])))
			}
			continue
		}
		lseL := lse64(h[:k])
		lp := make([]float64, k)
		for c := 0; c < k; c++ {
			lp[c] = h[c] - lseL
			for j := 0; j < d; j++ {
				z := (float64(yr[j]) - h[k+c*d+j]) / math.Exp(h[k+k*d+c*d+j])
				lp[c] += -h[k+k*d+c*d+j] - kernels.HalfLog2Pi - 0.5*z*z
			}
		}
		ll := lse64(lp)
		for c := 0; c < k; c++ {
			g := math.Exp(lp[c] - ll)
			ur[c] = math.Exp(h[c]-lseL) + g
			for j := 0; j < d; j++ {
				mu, ls := h[k+c*d+j], h[k+k*d+c*d+j]
				inv := math.Exp(-ls)
				z := (float64(yr[j]) - mu) * inv
				ur[k+c*d+j] = g * (math.Abs(float64(yr[j])) + math.Abs(mu)) * inv * inv
				ur[k+k*d+c*d+j] = g * (1 + z*z)
			}
		}
	}
	return u
}

// FuzzTrainerGradFD holds the trainer's whole backward pass (LinearTanh and
// Linear forward, MixtureNLLGrad or the MSE head, LinearTanhGradWeights,
// LinearGradWeights and LinearGradInput backward, the reduction over
// workers) to central differences of model64's loss.
//
// The gradient g is read back from one full-batch SGD step with lr = 1 and
// no momentum: the trainer sets p' = float32(p − g), so g = p − p' to within
// half an ULP of p' (the term ulp below).
//
// Tolerance, per parameter: the float32 pass sums at most a few dozen
// products per output (fan-in ≤ 24) with inputs, weights and activations of
// order one (inputs and targets in ±3, PyTorch's U(±1/√in) initialisation,
// σ near 1), so its error is a few u·fan-in ≈ 1e-6 of the gradient's scale
// per layer; 1e-4·(|fd| + rms(g)) leaves a margin of about 100× and still
// fails on any wrong term, index or transpose (O(1) errors) and on a
// gradient scaled by as little as 1.001 (checked by hand with lr = 1.001).
// The finite difference is Richardson-extrapolated with h = 1e-3 and its
// truncation error estimated by |D(h/2) − D(h)| as in FuzzMixtureGradFD. A random 48 parameters are
// checked per input (the float64 oracle costs rows·params per evaluation).
// The gradient of a loss whose upstream signal cancels (an MSE residual
// h − y near zero, a π − γ near zero) carries the float32 error of what
// cancelled, not of the result: the scale for the 1e-4 also includes
// "natural", Σ over head outputs of |∂h/∂p| (central differences) times the
// magnitude of the terms of ∂loss/∂h (upstream).
// Res.Loss, the loss of the step, is also held to model64 within
// 1e-4·(1 + |loss|).
func FuzzTrainerGradFD(f *testing.F) {
	f.Fuzz(func(t *testing.T, shape uint32, seed uint64, data []byte) {
		fl := &fails{t: t}
		s := newSource(1|8*12, data) // tame decoder: values in ±1
		cfg, n, workers := trainerShape(shape)
		x, y := make([]float32, n*cfg.In), make([]float32, n*cfg.Out)
		for i := range x {
			x[i] = 3 * s.f32()
		}
		for i := range y {
			y[i] = 3 * s.f32()
		}
		d, err := mdn.NewDataset(x, y, cfg.In, cfg.Out)
		if err != nil {
			t.Fatalf("NewDataset: %v", err)
		}
		model, err := mdn.New(cfg, seed)
		if err != nil {
			t.Fatalf("New(%+v): %v", cfg, err)
		}
		p0 := model.Params()
		res, err := model.Train(context.Background(), d, mdn.TrainOptions{Epochs: 1, Optimizer: mdn.SGD, LR: 1, Workers: workers})
		if err != nil {
			t.Fatalf("Train %+v, %d rows, %d workers: %v", cfg, n, workers, err)
		}
		p1 := model.Params()
		g := make([]float64, len(p0))
		var ss float64
		for i := range g {
			g[i] = float64(p0[i]) - float64(p1[i])
			ss += g[i] * g[i]
		}
		rms := math.Sqrt(ss / float64(len(g)))
		m64 := newModel64(cfg)
		p := make([]float64, len(p0))
		for i, v := range p0 {
			p[i] = float64(v)
		}
		who := errorf("%+v, %d rows, %d workers", cfg, n, workers).Error()
		if l := m64.loss(p, x, y, n); !(math.Abs(res.Loss-l) <= 1e-4*(1+math.Abs(l))) {
			fl.add("%s: Train's loss %.9g, float64 model %.9g", who, res.Loss, l)
		}
		_, heads := m64.lossHeads(p, x, y, n, nil)
		up := m64.upstream(heads, y, n)
		var hp, hm []float64
		rng := rand.New(rand.NewPCG(seed, uint64(shape)))
		for range min(48, len(p)) {
			i := rng.IntN(len(p))
			var natural float64
			central := func(h float64) float64 {
				v := p[i]
				p[i] = v + h
				a, hp2 := m64.lossHeads(p, x, y, n, hp[:0])
				p[i] = v - h
				c, hm2 := m64.lossHeads(p, x, y, n, hm[:0])
				p[i] = v
				hp, hm = hp2, hm2
				natural = 0
				for e := range up {
					natural += up[e] * math.Abs(hp[e]-hm[e]) / (2 * h)
				}
				natural /= float64(n)
				return (a - c) / (2 * h)
			}
			d1, d2 := central(1e-3), central(5e-4)
			fd := d2 + (d2-d1)/3
			ulp := ulp32(float64(p1[i])) / 2
			tol := 1e-4*(math.Abs(fd)+rms+natural) + math.Abs(d2-d1) + ulp + 1e-9
			if !(math.Abs(g[i]-fd) <= tol) {
				fl.add("%s: parameter %d of %d: gradient %.9g, finite differences %.9g ± %.3g", who, i, len(p), g[i], fd, tol)
			}
		}
	})
}
