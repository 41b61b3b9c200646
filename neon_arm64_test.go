//go:build !purego

package mdnsimd

import (
	"fmt"
	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/mdnsimd/mdnsimd/internal/f32test"
	"github.com/mdnsimd/mdnsimd/kernels"
)

// These tests call the NEON kernels directly, whatever dispatch chose, and
// compare them with float64 sums over every block edge (rows, outputs and
// the reduction length around the 4-row, 4-column and 16-column blocks),
// with guard values around every slice.

func requireNEON(t *testing.T) {
	t.Helper()
	if !cpufeat.HasNEON {
		t.Skip("no ASIMD (GODEBUG=cpu.asimd=off?)")
	}
}

var gemmSizes = []int{0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 20, 33}

// linear1Sizes are the output counts linear1NEON is tried on (8 lanes and
// the 1-7 tail).
var linear1Sizes = []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 13, 15, 16, 17, 20, 23, 24, 31, 33, 65}

// guarded returns a guarded slice of n values filled by fill.
func guarded(t *testing.T, n, off int, fill func([]float32)) ([]float32, func()) {
	s, check := f32test.Guarded(n, off)
	if fill != nil {
		fill(s)
	}
	return s, func() {
		t.Helper()
		if err := check(); err != nil {
			t.Fatal(err)
		}
	}
}

// closeSum checks got against want with an error bound scaled by the sum of
// the magnitudes of the terms (mag), as reassociated float32 sums allow.
func closeSum(got float32, want, mag float64, terms int) bool {
	if math.IsNaN(want) {
		return got != got
	}
	bound := 4 * float64(terms+2) * 0x1p-24 * (mag + math.Abs(want))
	return math.Abs(float64(got)-want) <= bound
}

func TestNEONLinear(t *testing.T) {
	requireNEON(t)
	r := rand.New(rand.NewPCG(1, 2))
	for _, act := range []int{0, 1} {
		for _, rows := range gemmSizes {
			for _, in := range gemmSizes {
				for _, out := range gemmSizes {
					for _, bias := range []bool{true, false} {
						name := fmt.Sprintf("act=%d/%dx%d->%d/bias=%v", act, rows, in, out, bias)
						uni := func(s []float32) { f32test.Uniform(r, s, -1, 1) }
						x, cx := guarded(t, rows*in, 1, uni)
						w, cw := guarded(t, out*in, 2, uni)
						var b []float32
						cb := func() {}
						if bias {
							b, cb = guarded(t, out, 3, uni)
						}
						dst, cd := guarded(t, rows*out, 5, nil)
						linearNEON(dst, x, w, b, rows, in, out, act)
						cx()
						cw()
						cb()
						cd()
						for i := 0; i < rows; i++ {
							for o := 0; o < out; o++ {
								var s, mag float64
								if bias {
									s, mag = float64(b[o]), math.Abs(float64(b[o]))
								}
								for j := 0; j < in; j++ {
									p := float64(x[i*in+j]) * float64(w[o*in+j])
									s += p
									mag += math.Abs(p)
								}
								got := dst[i*out+o]
								if act != 0 {
									// tanh is 1-Lipschitz: the sum's bound carries over, plus 2 ULP.
									if !closeSum(got, math.Tanh(s), mag, in) && f32test.ULP(got, float32(math.Tanh(s))) > 2 {
										t.Fatalf("%s: dst[%d][%d] = %v, want %v", name, i, o, got, math.Tanh(s))
									}
									continue
								}
								if !closeSum(got, s, mag, in) {
									t.Fatalf("%s: dst[%d][%d] = %v, want %v", name, i, o, got, s)
								}
							}
						}
					}
				}
			}
		}
	}
}

func TestNEONLinear1(t *testing.T) {
	requireNEON(t)
	r := rand.New(rand.NewPCG(15, 16))
	for _, act := range []int{0, 1} {
		for _, rows := range gemmSizes {
			for _, out := range linear1Sizes {
				for _, bias := range []bool{true, false} {
					name := fmt.Sprintf("act=%d/%dx1->%d/bias=%v", act, rows, out, bias)
					uni := func(s []float32) { f32test.Uniform(r, s, -3, 3) }
					x, cx := guarded(t, rows, 1, uni)
					w, cw := guarded(t, out, 2, uni)
					var b []float32
					cb := func() {}
					if bias {
						b, cb = guarded(t, out, 3, uni)
					}
					dst, cd := guarded(t, rows*out, 5, nil)
					linear1NEON(dst, x, w, b, rows, out, act)
					cx()
					cw()
					cb()
					cd()
					for i := 0; i < rows; i++ {
						for o := 0; o < out; o++ {
							s := float64(x[i]) * float64(w[o])
							if bias {
								s += float64(b[o])
							}
							want := float32(s) // one fused rounding
							if act != 0 {
								want = kernels.Tanh32(want)
							}
							if got := dst[i*out+o]; f32test.ULP(got, want) > 1 {
								t.Fatalf("%s: dst[%d][%d] = %v, want %v", name, i, o, got, want)
							}
						}
					}
				}
			}
		}
	}
}

func TestNEONGemmBcast(t *testing.T) {
	requireNEON(t)
	r := rand.New(rand.NewPCG(3, 4))
	for _, acc := range []int{0, 1} {
		for _, m := range gemmSizes {
			for _, n := range gemmSizes {
				for _, k := range gemmSizes {
					for _, trans := range []bool{false, true} {
						// A is m×k read either row-major (as=k, ap=1) or
						// column-major (as=1, ap=m), the two ways the
						// backward GEMMs read dz.
						as, ap := k, 1
						if trans {
							as, ap = 1, m
						}
						name := fmt.Sprintf("acc=%d/m=%d/n=%d/k=%d/trans=%v", acc, m, n, k, trans)
						uni := func(s []float32) { f32test.Uniform(r, s, -1, 1) }
						a, ca := guarded(t, m*k, 1, uni)
						bm, cbm := guarded(t, k*n, 2, uni)
						c, cc := guarded(t, m*n, 3, uni)
						c0 := append([]float32(nil), c...)
						gemmBcastNEON(c, a, bm, m, n, k, as, ap, acc)
						ca()
						cbm()
						cc()
						for i := 0; i < m; i++ {
							for j := 0; j < n; j++ {
								var s, mag float64
								if acc != 0 {
									s, mag = float64(c0[i*n+j]), math.Abs(float64(c0[i*n+j]))
								}
								for p := 0; p < k; p++ {
									v := float64(a[i*as+p*ap]) * float64(bm[p*n+j])
									s += v
									mag += math.Abs(v)
								}
								if got := c[i*n+j]; !closeSum(got, s, mag, k) {
									t.Fatalf("%s: c[%d][%d] = %v, want %v", name, i, j, got, s)
								}
							}
						}
					}
				}
			}
		}
	}
}

// TestNEONColumnSum checks the bias-gradient use of gemmBcastNEON, which
// adds in the same order as the Go loop and so matches it bit for bit.
func TestNEONColumnSum(t *testing.T) {
	requireNEON(t)
	r := rand.New(rand.NewPCG(5, 6))
	for _, rows := range gemmSizes {
		for _, out := range f32test.Lengths() {
			dz := make([]float32, rows*out)
			f32test.Normal(r, dz, 1)
			db, check := guarded(t, out, 1, func(s []float32) { f32test.Uniform(r, s, -1, 1) })
			want := append([]float32(nil), db...)
			for i := 0; i < rows; i++ {
				for o := range want {
					want[o] += dz[i*out+o]
				}
			}
			gemmBcastNEON(db, one, dz, 1, out, rows, 0, 0, 1)
			check()
			for o := range want {
				if math.Float32bits(db[o]) != math.Float32bits(want[o]) {
					t.Fatalf("rows=%d out=%d: db[%d] = %v, want %v", rows, out, o, db[o], want[o])
				}
			}
		}
	}
}

func TestNEONTanhDeriv(t *testing.T) {
	requireNEON(t)
	r := rand.New(rand.NewPCG(7, 8))
	for _, n := range f32test.Lengths() {
		for _, inPlace := range []bool{false, true} {
			dh, cdh := guarded(t, n, 1, func(s []float32) { f32test.Normal(r, s, 1) })
			h, ch := guarded(t, n, 2, func(s []float32) { f32test.Uniform(r, s, -1, 1) })
			copy(h, f32test.Specials)
			want := make([]float32, n)
			for i := range want {
				hh := float32(h[i] * h[i]) // the conversion forbids a fused multiply-add
				want[i] = dh[i] * (1 - hh)
			}
			dz, cdz := dh, cdh
			if !inPlace {
				dz, cdz = guarded(t, n, 3, nil)
			}
			tanhDerivNEON(dz, dh, h)
			cdh()
			ch()
			cdz()
			for i := range want {
				if f32test.ULP(dz[i], want[i]) != 0 {
					t.Fatalf("n=%d in place=%v: dz[%d] = %v, want %v", n, inPlace, i, dz[i], want[i])
				}
			}
		}
	}
}

// keep the reference import used when only some kernels are tested here.
var _ = kernels.Linear

// vecmathCases returns inputs for the elementwise kernels: the specials,
// random bit patterns (every exponent, NaN payloads, subnormals) and values
// dense around the thresholds of the algorithms.
func vecmathCases(n int) []float32 {
	r := rand.New(rand.NewPCG(9, 10))
	xs := append([]float32(nil), f32test.Specials...)
	for i := 0; i < n; i++ {
		xs = append(xs, math.Float32frombits(r.Uint32()))
	}
	for _, c := range []float32{0.625, 9, 10, 88.72, -87.33, -103.9, -104, 89, 0.01} {
		for i := -64; i <= 64; i++ {
			v := math.Float32frombits(math.Float32bits(c) + uint32(i))
			xs = append(xs, v, -v)
		}
	}
	for i := 0; i < n; i++ {
		xs = append(xs, 20*(r.Float32()-0.5), 200*(r.Float32()-0.5))
	}
	return xs
}

func checkElementwise(t *testing.T, name string, f func(dst, x []float32), ref func(float32) float32, exact func(float64) float64, maxULP uint32) {
	requireNEON(t)
	xs := vecmathCases(200000)
	got := make([]float32, len(xs))
	f(got, xs)
	worst := uint32(0)
	for i, x := range xs {
		want := float32(exact(float64(x)))
		u := f32test.ULP(got[i], want)
		if u > maxULP {
			t.Fatalf("%s(%v [%#08x]) = %v, want %v (%d ULP)", name, x, math.Float32bits(x), got[i], want, u)
		}
		worst = max(worst, u)
		if r := ref(x); f32test.ULP(got[i], r) > 1 {
			t.Fatalf("%s(%v) = %v, the Go algorithm gives %v", name, x, got[i], r)
		}
	}
	t.Logf("%s: %d inputs, worst %d ULP", name, len(xs), worst)
	// Every length and alignment, in place and not, with guards.
	r := rand.New(rand.NewPCG(11, 12))
	for _, n := range f32test.Lengths() {
		for off := 0; off < 4; off++ {
			x, cx := guarded(t, n, off, func(s []float32) { f32test.Uniform(r, s, -12, 12) })
			want := make([]float32, n)
			for i, v := range x {
				want[i] = ref(v)
			}
			dst, cd := guarded(t, n, 3-off, nil)
			f(dst, x)
			cx()
			cd()
			f(x, x)
			cx()
			for i := range want {
				if f32test.ULP(dst[i], want[i]) > 1 || f32test.ULP(x[i], want[i]) > 1 {
					t.Fatalf("%s n=%d off=%d: [%d] = %v (in place %v), want %v", name, n, off, i, dst[i], x[i], want[i])
				}
			}
		}
	}
}

func TestNEONExp(t *testing.T) {
	checkElementwise(t, "expNEON", expNEON, kernels.Exp32, math.Exp, 1)
}

func TestNEONTanh(t *testing.T) {
	checkElementwise(t, "tanhNEON", tanhNEON, kernels.Tanh32, math.Tanh, 2)
}

func TestNEONLog(t *testing.T) {
	requireNEON(t)
	xs := vecmathCases(200000)
	for i := 0; i < 200000; i++ { // dense in the subnormals and around 1
		xs = append(xs, math.Float32frombits(uint32(i)*41), 1+float32(i-100000)*0x1p-20)
	}
	got := make([]float32, len(xs))
	logNEON(got, xs)
	worst := uint32(0)
	for i, x := range xs {
		want := kernels.Log32(x)
		u := f32test.ULP(got[i], want)
		if u > 1 {
			t.Fatalf("logNEON(%v [%#08x]) = %v, kernels.Log32 gives %v", x, math.Float32bits(x), got[i], want)
		}
		if e := float32(math.Log(float64(x))); f32test.ULP(got[i], e) > 4 {
			t.Fatalf("logNEON(%v) = %v, want %v", x, got[i], e)
		}
		worst = max(worst, f32test.ULP(got[i], float32(math.Log(float64(x)))))
	}
	t.Logf("logNEON: %d inputs, worst %d ULP against float64 log", len(xs), worst)
}

// TestNEONSoftmaxRows compares the three row modes with the Go kernels on
// every column count 0..70 and special rows.
func TestNEONSoftmaxRows(t *testing.T) {
	requireNEON(t)
	r := rand.New(rand.NewPCG(13, 14))
	inf := float32(math.Inf(1))
	nan := float32(math.NaN())
	for _, cols := range f32test.Lengths() {
		rows := 3
		if cols > 300 {
			rows = 1
		}
		x, cx := guarded(t, rows*cols, 1, func(s []float32) { f32test.Normal(r, s, 10) })
		if cols > 2 {
			x[1] = -inf // row 0: one −Inf
		}
		for mode := 0; mode < 2; mode++ {
			want := make([]float32, len(x))
			if mode == 0 {
				kernels.Softmax(want, x, rows, cols)
			} else {
				kernels.LogSoftmax(want, x, rows, cols)
			}
			dst, cd := guarded(t, rows*cols, 2, nil)
			softmaxNEON(dst, x, rows, cols, mode)
			cx()
			cd()
			// Sums added in another order: relative 1e-6 for Softmax, absolute
			// 1e-6·max(1, |value|) for LogSoftmax, where (x−m) − log s cancels.
			floor := 1e-30
			if mode == 1 {
				floor = 1
			}
			for i := range want {
				if !f32test.Close(dst[i], want[i], 4, 1e-6, floor) {
					t.Fatalf("mode %d cols=%d: dst[%d] = %v, want %v", mode, cols, i, dst[i], want[i])
				}
			}
		}
		for rr := 0; rr < rows; rr++ {
			row := x[rr*cols : (rr+1)*cols]
			got, want := softmaxNEON(nil, row, 1, cols, 2), kernels.LogSumExp(row)
			if !f32test.Close(got, want, 4, 1e-6, 1e-30) {
				t.Fatalf("LogSumExp cols=%d row %d = %v, want %v", cols, rr, got, want)
			}
		}
	}
	for _, row := range [][]float32{
		{}, {-inf}, {-inf, -inf, -inf, -inf, -inf, -inf, -inf, -inf, -inf}, {1, inf, 2}, {1, nan, inf},
		{3e38, 3e38, 3e38}, {-3e38, 0}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11},
	} {
		for mode := 0; mode < 2; mode++ {
			want, dst := make([]float32, len(row)), make([]float32, len(row))
			if mode == 0 {
				kernels.Softmax(want, row, 1, len(row))
			} else {
				kernels.LogSoftmax(want, row, 1, len(row))
			}
			softmaxNEON(dst, row, 1, len(row), mode)
			for i := range want {
				if !f32test.Close(dst[i], want[i], 4, 1e-6, float64(mode)) {
					t.Fatalf("mode %d row %v: dst[%d] = %v, want %v", mode, row, i, dst[i], want[i])
				}
			}
		}
		if got, want := softmaxNEON(nil, row, 1, len(row), 2), kernels.LogSumExp(row); !f32test.Close(got, want, 2, 0, 0) {
			t.Fatalf("LogSumExp(%v) = %v, want %v", row, got, want)
		}
	}
}
