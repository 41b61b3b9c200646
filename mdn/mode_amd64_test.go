//go:build !purego

package mdn

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
)

// TestModeKernel holds each start the mode kernels run to modeFrom1: the
// same end point, mx and s bits and the same number of steps, for every
// start of every row the kernel takes of the quantile tests'
// one-dimensional mixtures (K from 1 to 32, σ from 1e−30 to 1e10, means
// spread up to 1e12) and of mixtures whose modes are flat (two components
// of σ = 1 at ±1, where mean-shift crawls and Newton's step is refused,
// so that lanes reach the 100-step limit beside lanes that stop early).
// The starts go in through queues of 1 to 10 (so that the kernel returns
// for more with lanes still running, and lanes of different starts and
// step counts run together), then one that drains the lanes; each start
// must come back once, and the lanes must end empty. The AVX-512 kernel
// is held to the same, where the CPU has it.
func TestModeKernel(t *testing.T) {
	if !cpufeat.HasAVX2FMA {
		t.Skip("!!! the AVX2 mode kernel was not run: this CPU has no AVX2 and FMA")
	}
	t.Run("avx2fma", func(t *testing.T) { modeKernelBits(t, modeRunAVX2, 4) })
	t.Run("avx512", func(t *testing.T) {
		if !cpufeat.HasAVX512 {
			t.Skip("!!! the AVX-512 mode kernel was not run: this CPU has no AVX-512")
		}
		modeKernelBits(t, modeRunAVX512, 8)
	})
}

func modeKernelBits(t *testing.T, kernel func(*modeBatch, *modeQueue, int), nl int) {
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
	type start struct {
		row       []float64 // lw, μ, iv
		y, sg     float64
		want      modeOut
		wantSteps int
	}
	bad, calls, returns, inflight := 0, 0, 0, 0
	hist := map[int]int{}
	for _, mix := range mixes {
		k := mix.K
		var all []start
		lw, iv, w := make([]float64, k), make([]float64, k), make([]float64, k)
		for i := range mix.N {
			pi, mu, sg := mix.Pi[i*k:(i+1)*k], mix.Mu[i*k:(i+1)*k], mix.Sigma[i*k:(i+1)*k]
			if modeRowOK(pi, mu, sg) < 0 {
				continue
			}
			modeWeights(pi, sg, 1, lw, iv)
			row := append(append([]float64(nil), lw...), make([]float64, k)...)
			for c, m := range mu {
				row[k+c] = float64(m)
			}
			row = append(row, iv...)
			for c := range k {
				if pi[c] == 0 {
					continue
				}
				y, mx, s, steps := modeFrom1(float64(mu[c]), float64(sg[c]), lw, mu, iv, w)
				all = append(all, start{row, float64(mu[c]), float64(sg[c]), modeOut{y: y, mx: mx, s: s, steps: int64(steps)}, steps})
				hist[steps]++
			}
		}
		var b modeBatch
		var q modeQueue
		b.free = 1<<nl - 1
		seen := make([]bool, len(all))
		for pos := 0; ; calls++ {
			q.n, q.next, q.nout = 0, 0, 0
			rows := 0
			for take := 1 + calls%10; pos < len(all) && int(q.n) < take; pos++ {
				copy(q.rows[rows:], all[pos].row)
				q.starts[q.n] = modeStart{row: int64(rows), id: int64(pos), y: all[pos].y, sg: all[pos].sg}
				q.n++
				rows += 3 * k
			}
			if pos == len(all) {
				q.drain = 1
			}
			kernel(&b, &q, k)
			if q.next != q.n {
				t.Fatalf("K = %d: the kernel returned with %d of %d starts not taken", k, q.n-q.next, q.n)
			}
			for _, o := range q.out[:q.nout] {
				if o.id < 0 || int(o.id) >= len(all) || seen[o.id] {
					t.Fatalf("K = %d: a result for start %d, which has one or does not exist", k, o.id)
				}
				seen[o.id] = true
				want := all[o.id].want
				if math.Float64bits(o.y) != math.Float64bits(want.y) || math.Float64bits(o.mx) != math.Float64bits(want.mx) ||
					math.Float64bits(o.s) != math.Float64bits(want.s) || o.steps != want.steps {
					if bad++; bad <= 10 {
						t.Errorf("K = %d, start %d: kernel ends at y = %v, mx = %v, s = %v after %d steps; modeFrom1 at %v, %v, %v after %d",
							k, o.id, o.y, o.mx, o.s, o.steps, want.y, want.mx, want.s, want.steps)
					}
				}
			}
			if q.drain != 0 {
				break
			}
			returns++
			if b.active|b.final != 0 {
				inflight++ // returned for more starts with lanes still running
			}
		}
		for id, ok := range seen {
			if !ok {
				t.Fatalf("K = %d: start %d gave no result", k, id)
			}
		}
		if b.active != 0 || b.final != 0 || b.free != 1<<nl-1 {
			t.Fatalf("K = %d: lanes left active %b, final %b, free %b", k, b.active, b.final, b.free)
		}
	}
	if bad > 0 {
		t.Errorf("%d starts differ", bad)
	}
	t.Logf("%d kernel calls, %d of them returning for more starts (%d with lanes running); steps taken: %v", calls+len(mixes), returns, inflight, hist)
	if hist[100] == 0 || hist[1] == 0 || returns < 100 || inflight < returns/2 {
		t.Errorf("the cases did not reach what they are for: %d starts at the 100-step limit, %d that stopped after one, %d returns for more, %d of them with lanes running",
			hist[100], hist[1], returns, inflight)
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
