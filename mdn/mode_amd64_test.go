//go:build !purego

package mdn

import (
	"math"
	"testing"

	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
)

// TestModeKernel holds each lane of the AVX2 mode kernel to modeFrom1:
// the same end point, mx and s bits and the same number of steps, for
// every start of every row the kernel takes of the quantile tests'
// one-dimensional mixtures (K from 1 to 32, σ from 1e−30 to 1e10, means
// spread up to 1e12) and of mixtures whose modes are flat (two components
// of σ = 1 at ±1, where mean-shift crawls and Newton's step is refused,
// so that lanes reach the 100-step limit beside lanes that stop early).
// Four consecutive starts share a batch, so lanes of different rows and
// step counts run together.
func TestModeKernel(t *testing.T) {
	if !cpufeat.HasAVX2FMA {
		t.Skip("!!! the AVX2 mode kernel was not run: this CPU has no AVX2 and FMA")
	}
	flat := Mixture{N: 40, K: 3, D: 1}
	for i := range flat.N {
		off := float32(i%5) * 0.01
		flat.Pi = append(flat.Pi, 0.45, 0.45, 0.1)
		flat.Mu = append(flat.Mu, -1+off, 1, 6+float32(i))
		flat.Sigma = append(flat.Sigma, 1, 1, 0.5)
	}
	mixes := []Mixture{flat}
	for _, mix := range quantTestMixtures() {
		if mix.D == 1 && mix.K <= qMaxK {
			mixes = append(mixes, mix)
		}
	}
	type want struct {
		y, mx, s float64
		steps    int
	}
	var b modeBatch
	var wants [4]want
	lanes, bad, runs := 0, 0, 0
	hist := map[int]int{}
	mixed := 0 // batches whose lanes took different numbers of steps
	check := func(k, n int) {
		modeAVX2(&b, k)
		runs++
		for lane := range n {
			w := wants[lane]
			if math.Float64bits(b.y[lane]) != math.Float64bits(w.y) || math.Float64bits(b.mx[lane]) != math.Float64bits(w.mx) ||
				math.Float64bits(b.s[lane]) != math.Float64bits(w.s) || int(b.steps[lane]) != w.steps {
				if bad++; bad <= 10 {
					t.Errorf("K = %d, lane %d: kernel ends at y = %v, mx = %v, s = %v after %d steps; modeFrom1 at %v, %v, %v after %d",
						k, lane, b.y[lane], b.mx[lane], b.s[lane], b.steps[lane], w.y, w.mx, w.s, w.steps)
				}
			}
			hist[w.steps]++
		}
		if n == 4 && (wants[0].steps != wants[1].steps || wants[1].steps != wants[2].steps || wants[2].steps != wants[3].steps) {
			mixed++
		}
	}
	for _, mix := range mixes {
		k := mix.K
		lw, iv, w := make([]float64, k), make([]float64, k), make([]float64, k)
		for i := range mix.N {
			pi, mu, sg := mix.Pi[i*k:(i+1)*k], mix.Mu[i*k:(i+1)*k], mix.Sigma[i*k:(i+1)*k]
			if modeRowOK(pi, mu, sg) < 0 {
				continue
			}
			modeWeights(pi, sg, 1, lw, iv)
			for start := range k {
				if pi[start] == 0 {
					continue
				}
				y, mx, s, steps := modeFrom1(float64(mu[start]), float64(sg[start]), lw, mu, iv, w)
				wants[lanes] = want{y, mx, s, steps}
				b.fill(lanes, lw, iv, mu, start, sg[start])
				if lanes++; lanes == 4 {
					check(k, 4)
					lanes = 0
				}
			}
		}
		if lanes > 0 {
			check(k, lanes)
			lanes = 0
		}
	}
	if bad > 0 {
		t.Errorf("%d lanes differ", bad)
	}
	t.Logf("%d kernel calls; steps taken: %v; %d batches with lanes of different step counts", runs, hist, mixed)
	if hist[100] == 0 || hist[1] == 0 || mixed < runs/4 {
		t.Errorf("the cases did not reach what they are for: %d lanes at the 100-step limit, %d that stopped after one, %d of %d batches mixed",
			hist[100], hist[1], mixed, runs)
	}
}
