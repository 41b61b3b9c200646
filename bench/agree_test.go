package bench

import (
	"fmt"
	"math"
	"testing"

	"github.com/mdnsimd/mdnsimd"
	"github.com/mdnsimd/mdnsimd/kernels"
	"github.com/viterin/vek/vek32"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/floats"
)

// The tests below check that every implementation a benchmark times
// computes the same thing as kernels/, so the tables compare like with like.
// Bounds: float32 sums of up to a few hundred terms of size O(1) agree to
// about 1e-5 relative; vek's tanh, composed as 1 − 2/(e^{2x}+1), loses
// relative accuracy near 0 (cancellation), hence the absolute term.

func close32(t *testing.T, what string, got, want []float32, abs, rel float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: len %d, want %d", what, len(got), len(want))
	}
	for i := range got {
		g, w := float64(got[i]), float64(want[i])
		if math.IsNaN(g) || math.Abs(g-w) > abs+rel*math.Abs(w) {
			t.Fatalf("%s: [%d] = %v, want %v (bound %g + %g·|want|)", what, i, g, w, abs, rel)
		}
	}
}

func TestLinearImplsAgree(t *testing.T) {
	for _, s := range []shape{{37, 19, 23}, {1000, 20, 15}, {16, 256, 60}, {5, 1, 20}} {
		for _, act := range []bool{false, true} {
			g := newGemmData(s)
			want := make([]float32, len(g.dst))
			if act {
				kernels.LinearTanh(want, g.x, g.w, g.b, s.rows, s.in, s.out)
			} else {
				kernels.Linear(want, g.x, g.w, g.b, s.rows, s.in, s.out)
			}
			mds := mdnsimd.Linear
			if act {
				mds = mdnsimd.LinearTanh
			}
			for name, fn := range map[string]func(){
				"mdnsimd": func() { mds(g.dst, g.x, g.w, g.b, s.rows, s.in, s.out) },
				"gonum":   func() { g.gonumLinear(act) },
				"naive":   func() { g.naiveLinear(act) },
				"vek":     func() { g.vekLinear(act) },
			} {
				clear(g.dst)
				fn()
				close32(t, fmt.Sprintf("%v act=%v %s", s, act, name), g.dst, want, 2e-6, 1e-4)
			}
		}
	}
}

func TestBackwardImplsAgree(t *testing.T) {
	for _, s := range []shape{{37, 19, 23}, {1000, 20, 15}, {64, 256, 60}} {
		g := newGemmData(s)
		// dz = dh ⊙ (1 − h²), dw = dzᵀ·x, db = Σ dz, dx = dz·w, from kernels/.
		dz := make([]float32, len(g.dz))
		dw := make([]float32, len(g.dw))
		db := make([]float32, len(g.db))
		dx := make([]float32, len(g.dx))
		kernels.LinearTanhGradWeights(dw, db, dz, g.dh, g.h, g.x, s.rows, s.in, s.out)
		kernels.LinearGradInput(dx, dz, g.w, s.rows, s.in, s.out)
		reset := func() { clear(g.dw); clear(g.db); clear(g.dz); clear(g.dx) }
		for name, fn := range map[string]func(){
			"mdnsimd": func() {
				mdnsimd.LinearTanhGradWeights(g.dw, g.db, g.dz, g.dh, g.h, g.x, s.rows, s.in, s.out)
				mdnsimd.LinearGradInput(g.dx, g.dz, g.w, s.rows, s.in, s.out)
			},
			"gonum": func() {
				g.tanhGrad()
				g.gonumGradWeights()
				blas32.Gemm(blas.NoTrans, blas.NoTrans, 1, general(s.rows, s.out, g.dz), general(s.out, s.in, g.w), 0, general(s.rows, s.in, g.dx))
			},
			"naive": func() { g.tanhGrad(); g.naiveGradWeights(); g.naiveGradInput() },
		} {
			reset()
			fn()
			what := fmt.Sprintf("%v %s", s, name)
			close32(t, what+" dz", g.dz, dz, 1e-6, 1e-5)
			// dw and db sum over rows (up to 1000 terms).
			close32(t, what+" dw", g.dw, dw, 1e-3, 1e-4)
			close32(t, what+" db", g.db, db, 1e-3, 1e-4)
			close32(t, what+" dx", g.dx, dx, 1e-5, 1e-4)
		}
		// The benchmarks' GradWeights/GradInput without tanh take dz as given.
		reset()
		copy(g.dz, dz)
		mdnsimd.LinearGradWeights(g.dw, g.db, g.dz, g.x, s.rows, s.in, s.out)
		close32(t, fmt.Sprintf("%v LinearGradWeights", s), g.dw, dw, 1e-3, 1e-4)
	}
}

func TestVecmathImplsAgree(t *testing.T) {
	for _, n := range []int{64, 4096, 20000} {
		x := ramp(n)
		tanh, exp := make([]float32, n), make([]float32, n)
		for i, v := range x {
			tanh[i] = float32(math.Tanh(float64(v)))
			exp[i] = float32(math.Exp(float64(v)))
		}
		dst := make([]float32, n)
		for name, fn := range map[string]func(){
			"mdnsimd": func() { mdnsimd.Tanh(dst, x) },
			"purego":  func() { kernels.Tanh(dst, x) },
			"vek":     func() { vekTanh(dst, x) },
		} {
			clear(dst)
			fn()
			close32(t, fmt.Sprintf("Tanh n=%d %s", n, name), dst, tanh, 1e-6, 1e-5)
		}
		for name, fn := range map[string]func(){
			"mdnsimd": func() { mdnsimd.Exp(dst, x) },
			"purego":  func() { kernels.Exp(dst, x) },
			"vek":     func() { vek32.Exp_Into(dst, x) },
		} {
			clear(dst)
			fn()
			close32(t, fmt.Sprintf("Exp n=%d %s", n, name), dst, exp, 0, 1e-5)
		}
	}
	x := normals(newRand(), 4096, 3)
	want := kernels.LogSumExp(x)
	if got := floats.LogSumExp(to64(x)); math.Abs(got-float64(want)) > 1e-5*math.Abs(float64(want)) {
		t.Errorf("gonum LogSumExp %v, kernels %v", got, want)
	}
	x5 := normals(newRand(), 1000*5, 3)
	sm, ref := make([]float32, len(x5)), make([]float32, len(x5))
	kernels.Softmax(ref, x5, 1000, 5)
	naiveSoftmax(sm, x5, 1000, 5)
	close32(t, "naive Softmax", sm, ref, 1e-7, 1e-5)
}

func TestMixtureImplsAgree(t *testing.T) {
	for _, s := range mixSizes {
		m := newMixData(min(s[0], 500), s[1], s[2])
		scale := 1 / float32(m.rows)
		nll := make([]float32, m.rows)
		dhead := make([]float32, len(m.dhead))
		kernels.MixtureNLLGrad(nll, dhead, m.head, m.y, m.k, m.d, scale)
		what := fmt.Sprintf("K=%d D=%d", m.k, m.d)

		mdnsimd.MixtureNLLGrad(m.nll, m.dhead, m.head, m.y, m.k, m.d, scale)
		close32(t, what+" mdnsimd nll", m.nll, nll, 1e-5, 1e-5)
		close32(t, what+" mdnsimd dhead", m.dhead, dhead, 1e-7, 1e-4)

		clear(m.nll)
		clear(m.dhead)
		m.naive(true)
		close32(t, what+" naive nll", m.nll, nll, 1e-5, 1e-5)
		close32(t, what+" naive dhead", m.dhead, dhead, 1e-7, 1e-4)

		m.gonum(true)
		g32 := func(v []float64) []float32 {
			o := make([]float32, len(v))
			for i, x := range v {
				o[i] = float32(x)
			}
			return o
		}
		close32(t, what+" gonum nll", g32(m.nll64), nll, 1e-5, 1e-5)
		close32(t, what+" gonum dhead", g32(m.dhead64), dhead, 1e-7, 1e-4)
	}
}
