package bench

import (
	"fmt"
	"math"
	"testing"

	"github.com/mdnsimd/mdnsimd"
	"github.com/mdnsimd/mdnsimd/kernels"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/stat/distuv"
)

// mixSizes are rows, K, D: the seed model's head (1000 rows, K=5, D=1) and a
// wider one (10000 rows, K=20, D=4).
var mixSizes = [][3]int{{1000, 5, 1}, {10000, 20, 4}}

type mixData struct {
	rows, k, d     int
	head, y        []float32
	nll, dhead     []float32
	head64, y64    []float64
	lp, g64, nll64 []float64 // gonum scratch
	dhead64        []float64
}

func newMixData(rows, k, d int) *mixData {
	r := newRand()
	w := mdnsimd.MixtureWidth(k, d)
	m := &mixData{rows: rows, k: k, d: d}
	m.head = make([]float32, rows*w)
	for i := 0; i < rows; i++ {
		h := m.head[i*w : (i+1)*w]
		for j := range h {
			switch {
			case j < k: // logits
				h[j] = float32(r.NormFloat64())
			case j < k+k*d: // μ
				h[j] = float32(r.NormFloat64() * 2)
			default: // logσ
				h[j] = float32(r.Float64()*2 - 1)
			}
		}
	}
	m.y = normals(r, rows*d, 2)
	m.nll = make([]float32, rows)
	m.dhead = make([]float32, rows*w)
	m.head64, m.y64 = to64(m.head), to64(m.y)
	m.lp, m.g64 = make([]float64, k), make([]float64, k)
	m.nll64 = make([]float64, rows)
	m.dhead64 = make([]float64, rows*w)
	return m
}

// gonum is what a gonum user writes on float64 data: log-softmax with
// floats.LogSumExp, the component densities with distuv.Normal.LogProb, the
// log-likelihood with floats.LogSumExp again and, when grad, the gradient
// from the responsibilities.
func (m *mixData) gonum(grad bool) {
	k, d := m.k, m.d
	w := k + 2*k*d
	scale := 1 / float64(m.rows)
	for i := 0; i < m.rows; i++ {
		h := m.head64[i*w : (i+1)*w]
		logits, mu, ls := h[:k], h[k:k+k*d], h[k+k*d:]
		yi := m.y64[i*d : (i+1)*d]
		lz := floats.LogSumExp(logits)
		for c := 0; c < k; c++ {
			l := logits[c] - lz
			for j := 0; j < d; j++ {
				l += distuv.Normal{Mu: mu[c*d+j], Sigma: math.Exp(ls[c*d+j])}.LogProb(yi[j])
			}
			m.lp[c] = l
		}
		ll := floats.LogSumExp(m.lp)
		m.nll64[i] = -ll
		if !grad {
			continue
		}
		dh := m.dhead64[i*w : (i+1)*w]
		for c := 0; c < k; c++ {
			g := math.Exp(m.lp[c] - ll)
			dh[c] = scale * (math.Exp(logits[c]-lz) - g)
			for j := 0; j < d; j++ {
				s := math.Exp(ls[c*d+j])
				z := (yi[j] - mu[c*d+j]) / s
				dh[k+c*d+j] = -scale * g * z / s
				dh[k+k*d+c*d+j] = scale * g * (1 - z*z)
			}
		}
	}
}

// naive is the same computation written directly with package math on the
// float32 data, without gonum.
func (m *mixData) naive(grad bool) {
	k, d := m.k, m.d
	w := k + 2*k*d
	scale := 1 / float64(m.rows)
	const halfLog2Pi = 0.91893853320467274178
	for i := 0; i < m.rows; i++ {
		h := m.head[i*w : (i+1)*w]
		logits, mu, ls := h[:k], h[k:k+k*d], h[k+k*d:]
		yi := m.y[i*d : (i+1)*d]
		mx := math.Inf(-1)
		for _, v := range logits {
			mx = math.Max(mx, float64(v))
		}
		s := 0.0
		for _, v := range logits {
			s += math.Exp(float64(v) - mx)
		}
		lz := mx + math.Log(s)
		ml := math.Inf(-1)
		for c := 0; c < k; c++ {
			l := float64(logits[c]) - lz
			for j := 0; j < d; j++ {
				z := (float64(yi[j]) - float64(mu[c*d+j])) * math.Exp(-float64(ls[c*d+j]))
				l -= float64(ls[c*d+j]) + halfLog2Pi + 0.5*z*z
			}
			m.lp[c] = l
			ml = math.Max(ml, l)
		}
		s = 0
		for _, l := range m.lp {
			s += math.Exp(l - ml)
		}
		ll := ml + math.Log(s)
		m.nll[i] = float32(-ll)
		if !grad {
			continue
		}
		dh := m.dhead[i*w : (i+1)*w]
		for c := 0; c < k; c++ {
			g := math.Exp(m.lp[c] - ll)
			dh[c] = float32(scale * (math.Exp(float64(logits[c])-lz) - g))
			for j := 0; j < d; j++ {
				is := math.Exp(-float64(ls[c*d+j]))
				z := (float64(yi[j]) - float64(mu[c*d+j])) * is
				dh[k+c*d+j] = float32(-scale * g * z * is)
				dh[k+k*d+c*d+j] = float32(scale * g * (1 - z*z))
			}
		}
	}
}

func benchMixture(b *testing.B, grad bool) {
	for _, s := range mixSizes {
		m := newMixData(s[0], s[1], s[2])
		scale := 1 / float32(m.rows)
		b.Run(fmt.Sprintf("size=%dx%dx%d", s[0], s[1], s[2]), func(b *testing.B) {
			mds := func() { mdnsimd.MixtureNLL(m.nll, m.head, m.y, m.k, m.d) }
			pure := func() { kernels.MixtureNLL(m.nll, m.head, m.y, m.k, m.d) }
			if grad {
				mds = func() { mdnsimd.MixtureNLLGrad(m.nll, m.dhead, m.head, m.y, m.k, m.d, scale) }
				pure = func() { kernels.MixtureNLLGrad(m.nll, m.dhead, m.head, m.y, m.k, m.d, scale) }
			}
			runImpls(b, []impl{
				{name: "mdnsimd", fn: mds},
				{name: "purego", fn: pure},
				{name: "gonum", fn: func() { m.gonum(grad) }},
				{name: "naive", fn: func() { m.naive(grad) }},
			}, "ns/rowcomp", func(ns float64) float64 { return ns / float64(m.rows*m.k) })
		})
	}
}

// BenchmarkMixtureNLL measures the per-row mixture negative log-likelihood;
// sizes are rows×K×D.
func BenchmarkMixtureNLL(b *testing.B) { benchMixture(b, false) }

// BenchmarkMixtureNLLGrad measures the NLL and its gradient with respect to
// the head (logits, μ, logσ) in one pass.
func BenchmarkMixtureNLLGrad(b *testing.B) { benchMixture(b, true) }
