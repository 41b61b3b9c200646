//go:build !purego

package mdn

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
)

// TestModeKernel holds each lane of the AVX2 mode kernel to modeFrom1:
// the same end point, mx and s bits, lp = mx + math.Log(s), and the same
// number of steps, for
// every start of every row the kernel takes of the quantile tests'
// one-dimensional mixtures (K from 1 to 32, σ from 1e−30 to 1e10, means
// spread up to 1e12) and of mixtures whose modes are flat (two components
// of σ = 1 at ±1, where mean-shift crawls and Newton's step is refused,
// so that lanes reach the 100-step limit beside lanes that stop early).
// Four (eight on avx512) consecutive starts share a batch, so lanes of
// different rows and step counts run together. The AVX-512 kernel is
// held to the same, where the CPU has it.
func TestModeKernel(t *testing.T) {
	if !cpufeat.HasAVX2FMA {
		t.Skip("!!! the AVX2 mode kernel was not run: this CPU has no AVX2 and FMA")
	}
	t.Run("avx2fma", func(t *testing.T) { modeKernelBits(t, modeAVX2, 4) })
	t.Run("avx512", func(t *testing.T) {
		if !cpufeat.HasAVX512 {
			t.Skip("!!! the AVX-512 mode kernel was not run: this CPU has no AVX-512")
		}
		modeKernelBits(t, modeAVX512, 8)
	})
}

func modeKernelBits(t *testing.T, kernel func(*modeBatch, int), nl int) {
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
		y, mx, s, lp float64
		steps        int
	}
	var b modeBatch
	var wants [8]want
	lanes, bad, runs := 0, 0, 0
	hist := map[int]int{}
	mixed := 0 // batches whose lanes took different numbers of steps
	check := func(k, n int) {
		kernel(&b, k)
		runs++
		for lane := range n {
			w := wants[lane]
			if math.Float64bits(b.y[lane]) != math.Float64bits(w.y) || math.Float64bits(b.mx[lane]) != math.Float64bits(w.mx) ||
				math.Float64bits(b.s[lane]) != math.Float64bits(w.s) || math.Float64bits(b.lp[lane]) != math.Float64bits(w.lp) ||
				int(b.steps[lane]) != w.steps {
				if bad++; bad <= 10 {
					t.Errorf("K = %d, lane %d: kernel ends at y = %v, mx = %v, s = %v, lp = %v after %d steps; modeFrom1 at %v, %v, %v, %v after %d",
						k, lane, b.y[lane], b.mx[lane], b.s[lane], b.lp[lane], b.steps[lane], w.y, w.mx, w.s, w.lp, w.steps)
				}
			}
			hist[w.steps]++
		}
		for lane := 1; lane < n && n == nl; lane++ {
			if wants[lane].steps != wants[0].steps {
				mixed++
				break
			}
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
				wants[lanes] = want{y, mx, s, mx + math.Log(s), steps}
				b.fill(lanes, nl, lw, iv, mu, start, sg[start])
				if lanes++; lanes == nl {
					check(k, nl)
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

// TestLog64AVX2 holds the mode kernel's logarithm to math.Log's bits on
// positive, finite, normal arguments (the only ones it takes): powers of
// two and their neighbours, √2/2 (where the reduction switches) times
// powers of two and its neighbours, the float32 range's ends, arguments
// near 1, and a million random ones, half with random bits, half
// log-uniform over the float32 range.
func TestLog64AVX2(t *testing.T) {
	if !cpufeat.HasAVX2FMA {
		t.Skip("!!! the AVX2 float64 logarithm was not run: this CPU has no AVX2 and FMA")
	}
	xs := []float64{1, 2, 0.5, 3, 10, math.E, math.Pi, math.MaxFloat64, 0x1p-1022, math.MaxFloat32,
		math.SmallestNonzeroFloat32, 0x1p-126, 1 + 0x1p-52, 1 - 0x1p-53, 1 + 1e-9, 1 - 1e-9, 1.5, 0.75}
	for e := -1022; e <= 1023; e++ {
		for _, m := range []float64{1, math.Sqrt2 / 2 * 2} {
			v := math.Ldexp(m, e)
			xs = append(xs, v, math.Nextafter(v, 0), math.Nextafter(v, math.Inf(1)))
		}
	}
	rng := rand.New(rand.NewPCG(11, 13))
	for range 1 << 20 {
		var v float64
		if rng.IntN(2) == 0 {
			v = math.Float64frombits(rng.Uint64() >> 1) // positive, any exponent
		} else {
			v = math.Exp(-103.3 + 191.8*rng.Float64()) // 1.4e−45 … 3.4e38
		}
		if !(v >= 0x1p-1022 && v <= math.MaxFloat64) { // subnormal, Inf or NaN
			v = 1
		}
		xs = append(xs, v)
	}
	for len(xs)%4 != 0 {
		xs = append(xs, 1)
	}
	got := make([]float64, len(xs))
	log64AVX2(&got[0], &xs[0], len(xs))
	bad := 0
	for i, x := range xs {
		if want := math.Log(x); math.Float64bits(got[i]) != math.Float64bits(want) {
			if bad++; bad <= 10 {
				t.Errorf("log(%v) (%#x) = %v, math.Log %v", x, math.Float64bits(x), got[i], want)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d values differ", bad, len(xs))
	}
}

// TestModeWeightsVec holds modeWeightsVec to modeWeights' bits on every
// row the kernel takes of the quantile tests' one-dimensional mixtures
// (weights of 0 among them, σ from 1e−30 to 1e10).
func TestModeWeightsVec(t *testing.T) {
	if !cpufeat.HasAVX2FMA {
		t.Skip("!!! the AVX2 float64 logarithm was not run: this CPU has no AVX2 and FMA")
	}
	rows, zeros := 0, 0
	for _, mix := range quantTestMixtures() {
		if mix.D != 1 || mix.K > qMaxK {
			continue
		}
		k := mix.K
		lw, iv, lw2, iv2 := make([]float64, k), make([]float64, k), make([]float64, k), make([]float64, k)
		buf := make([]float64, 2*k+3)
		for i := range mix.N {
			pi, mu, sg := mix.Pi[i*k:(i+1)*k], mix.Mu[i*k:(i+1)*k], mix.Sigma[i*k:(i+1)*k]
			if modeRowOK(pi, mu, sg) < 0 {
				continue
			}
			rows++
			modeWeights(pi, sg, 1, lw, iv)
			modeWeightsVec(pi, sg, lw2, iv2, buf)
			for c := range k {
				if pi[c] == 0 {
					zeros++
				}
				if math.Float64bits(lw[c]) != math.Float64bits(lw2[c]) || math.Float64bits(iv[c]) != math.Float64bits(iv2[c]) {
					t.Fatalf("row %d (K = %d), component %d: lw, iv = %v, %v; modeWeights gives %v, %v", i, k, c, lw2[c], iv2[c], lw[c], iv[c])
				}
			}
		}
	}
	if rows < 500 || zeros == 0 {
		t.Fatalf("%d rows, %d weights of 0: the cases do not reach what they are for", rows, zeros)
	}
}
