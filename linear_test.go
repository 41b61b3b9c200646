package mdnsimd

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
	"github.com/mdnsimd/mdnsimd/internal/f32test"
	"github.com/mdnsimd/mdnsimd/kernels"
)

// Error bounds. A float32 dot product of K terms plus a start value s0,
// summed in any order (with or without FMA), is within γ·S of the exact sum,
// where S = |s0| + Σ|a_p·b_p| and γ = K'·u/(1−K'·u) ≤ 1.01·K'·u for K' = K+1
// roundings and u = 2⁻²⁴. The assembly and kernels/ each obey that bound, so
// they differ by at most 2·(K+2)·u·S. The tanh variants add the tanh error
// (≤ 2 ULP on each side, |tanh'| ≤ 1 so the sum's error passes through
// unamplified), and dz = dh·(1−h²) may round 1−h² differently (|Δdz| ≤
// 3u·|dh|), which the gradient bound covers by taking S over |dh|.
const unit = 0x1p-24

func dotBound(k int, s float64) float64 { return 2 * float64(k+2) * unit * s }

type linShape struct{ rows, in, out int }

func linShapes() []linShape {
	var s []linShape
	for r := 0; r <= 9; r++ {
		for i := 0; i <= 20; i++ {
			for o := 0; o <= 20; o++ {
				s = append(s, linShape{r, i, o})
			}
		}
	}
	return append(s,
		linShape{1, 1, 1}, linShape{7, 13, 17}, linShape{33, 65, 31}, linShape{13, 7, 33},
		linShape{31, 33, 65}, linShape{61, 29, 47}, linShape{97, 101, 103}, linShape{12, 16, 8},
		linShape{6, 8, 16}, linShape{18, 24, 32}, linShape{37, 257, 23}, linShape{11, 300, 9},
		linShape{300, 19, 7}, linShape{513, 5, 17}, linShape{23, 17, 300}, linShape{5, 3, 513},
		linShape{1000, 1, 20}, linShape{1000, 20, 15}, linShape{1000, 20, 1}, linShape{64, 256, 60},
		linShape{70, 1, 256}, linShape{40, 520, 41}, linShape{37, 1, 63}, linShape{101, 1, 44}, linShape{19, 1, 65},
		linShape{520, 100, 40},
		// A few rows with several chunks of 16 inputs and blocks of 16
		// outputs: the dot-product plan of the avx512 path.
		linShape{1, 65, 49}, linShape{2, 300, 17}, linShape{3, 37, 35},
		// One input, from the flat sweeps' thresholds (oneMinRows512,
		// oneMinRowsAVX2) on, with rows past the last whole period.
		linShape{150, 1, 9}, linShape{180, 1, 44}, linShape{1100, 1, 63},
		// Tall: the blocked forward plan at any cache size (rows ≥
		// 2·mRows, mRows ≤ 1024), in one column block and in three, the
		// last with a narrow panel; with the small blocks of
		// TestLinearSmallBlocks also 300×70→150.
		linShape{2049, 65, 9}, linShape{2049, 65, 141}, linShape{300, 70, 150},
	)
}

// linGuarded returns a guarded slice of n values uniform in [-1, 1) at an offset
// derived from seed, and its guard check.
func linGuarded(r *rand.Rand, n, seed int) ([]float32, func() error) {
	s, check := f32test.Guarded(n, seed%8)
	f32test.Uniform(r, s, -1, 1)
	return s, check
}

func checkGuards(t *testing.T, what string, checks ...func() error) {
	t.Helper()
	for _, c := range checks {
		if err := c(); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
}

func TestLinear(t *testing.T) { forEachPath(t, linearCases) }

func linearCases(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for si, sh := range linShapes() {
		rows, in, out := sh.rows, sh.in, sh.out
		for _, withBias := range []bool{false, true} {
			for _, act := range []string{"identity", "tanh"} {
				name := fmt.Sprintf("%s %dx%d->%d bias=%v", act, rows, in, out, withBias)
				x, cx := linGuarded(rng, rows*in, si)
				w, cw := linGuarded(rng, out*in, si+1)
				var b []float32
				cb := func() error { return nil }
				if withBias {
					b, cb = linGuarded(rng, out, si+2)
				}
				dst, cd := linGuarded(rng, rows*out, si+3)
				want := make([]float32, rows*out)
				if act == "tanh" {
					LinearTanh(dst, x, w, b, rows, in, out)
					kernels.LinearTanh(want, x, w, b, rows, in, out)
				} else {
					Linear(dst, x, w, b, rows, in, out)
					kernels.Linear(want, x, w, b, rows, in, out)
				}
				checkGuards(t, name, cx, cw, cb, cd)
				for r := 0; r < rows; r++ {
					for o := 0; o < out; o++ {
						s := 0.0
						if withBias {
							s = math.Abs(float64(b[o]))
						}
						for j := 0; j < in; j++ {
							s += math.Abs(float64(x[r*in+j]) * float64(w[o*in+j]))
						}
						got, exp := dst[r*out+o], want[r*out+o]
						tol := dotBound(in, s)
						ok := math.Abs(float64(got)-float64(exp)) <= tol
						if act == "tanh" {
							ok = ok || f32test.ULP(got, exp) <= 4 ||
								math.Abs(float64(got)-float64(exp)) <= tol+4*ulpOf(exp)
						}
						if !ok {
							t.Fatalf("%s: dst[%d][%d] = %v, kernels gives %v (bound %.3g)", name, r, o, got, exp, tol)
						}
					}
				}
			}
		}
	}
}

// ulpOf returns the spacing of float32 values at |v|.
func ulpOf(v float32) float64 {
	a := math.Abs(float64(v))
	if a < 0x1p-126 {
		return 0x1p-149
	}
	_, e := math.Frexp(a)
	return math.Ldexp(1, e-24)
}

// TestLinearTanhMatchesTanhLinear checks the fused epilogue against the two
// public kernels run one after the other on the same path: the sums are
// formed in the same order and the tanh is the same code, so the results
// are identical.
func TestLinearTanhMatchesTanhLinear(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(3, 4))
		for _, sh := range []linShape{{1000, 1, 20}, {999, 1, 13}, {31, 1, 7}, {1000, 20, 15}, {33, 65, 31}, {9, 300, 17}, {7, 13, 17}, {5, 1, 300}} {
			rows, in, out := sh.rows, sh.in, sh.out
			x := make([]float32, rows*in)
			w := make([]float32, out*in)
			b := make([]float32, out)
			f32test.Normal(rng, x, 2)
			f32test.Normal(rng, w, 1)
			f32test.Normal(rng, b, 1)
			fused := make([]float32, rows*out)
			two := make([]float32, rows*out)
			LinearTanh(fused, x, w, b, rows, in, out)
			Linear(two, x, w, b, rows, in, out)
			Tanh(two, two)
			for i := range fused {
				if f32test.ULP(fused[i], two[i]) != 0 {
					t.Fatalf("%v: LinearTanh[%d] = %v, Tanh(Linear) = %v", sh, i, fused[i], two[i])
				}
			}
		}
	})
}

func TestLinearGradWeights(t *testing.T) { forEachPath(t, gradWeightsCases) }

// narrowShapes are the small-model shapes the backward kernels special-case:
// one input with every out up to 40 (whole vectors, half vectors, odd),
// and 20 inputs or outputs (the seed's hidden width), with row counts that
// leave every remainder of the row blocks.
func narrowShapes() []linShape {
	var s []linShape
	for _, r := range []int{1, 2, 3, 5, 8, 13, 31, 64, 1000, 1001} {
		for o := 1; o <= 40; o++ {
			s = append(s, linShape{r, 1, o})
		}
		for _, n := range []int{1, 4, 5, 12, 15, 16, 19, 20, 21, 28, 40} {
			s = append(s, linShape{r, 20, n}, linShape{r, n, 20})
		}
	}
	return s
}

func TestLinearGradWeightsNarrow(t *testing.T) {
	forEachPath(t, func(t *testing.T) { gradWeightsShapes(t, narrowShapes()) })
}

func gradWeightsCases(t *testing.T) { gradWeightsShapes(t, linShapes()) }

func gradWeightsShapes(t *testing.T, shapes []linShape) {
	rng := rand.New(rand.NewPCG(5, 6))
	for si, sh := range shapes {
		rows, in, out := sh.rows, sh.in, sh.out
		for _, withBias := range []bool{false, true} {
			for _, act := range []string{"identity", "tanh"} {
				name := fmt.Sprintf("%s %dx%d->%d db=%v", act, rows, in, out, withBias)
				x, cx := linGuarded(rng, rows*in, si)
				dw, cdw := linGuarded(rng, out*in, si+1)
				var db []float32
				cdb := func() error { return nil }
				if withBias {
					db, cdb = linGuarded(rng, out, si+2)
				}
				dz, cdz := linGuarded(rng, rows*out, si+3)
				dh, cdh := linGuarded(rng, rows*out, si+4)
				h, ch := linGuarded(rng, rows*out, si+5)
				wantW := append([]float32(nil), dw...)
				wantB := append([]float32(nil), db...)
				wantZ := make([]float32, rows*out)
				var src []float32 // the |dz| bound source
				if act == "tanh" {
					kernels.LinearTanhGradWeights(wantW, wantB, wantZ, dh, h, x, rows, in, out)
					LinearTanhGradWeights(dw, db, dz, dh, h, x, rows, in, out)
					src = dh
					for i := range dz {
						if d := math.Abs(float64(dz[i]) - float64(wantZ[i])); d > 3*unit*math.Abs(float64(dh[i])) {
							t.Fatalf("%s: dz[%d] = %v, kernels gives %v", name, i, dz[i], wantZ[i])
						}
					}
				} else {
					copy(wantZ, dz)
					kernels.LinearGradWeights(wantW, wantB, wantZ, x, rows, in, out)
					LinearGradWeights(dw, db, dz, x, rows, in, out)
					src = dz
					for i := range dz {
						if dz[i] != wantZ[i] {
							t.Fatalf("%s: dz[%d] changed", name, i)
						}
					}
				}
				checkGuards(t, name, cx, cdw, cdb, cdz, cdh, ch)
				for o := 0; o < out; o++ {
					for j := 0; j < in; j++ {
						s := math.Abs(float64(wantW[o*in+j]))
						for r := 0; r < rows; r++ {
							s += math.Abs(float64(src[r*out+o]) * float64(x[r*in+j]))
						}
						got, exp := dw[o*in+j], wantW[o*in+j]
						if tol := dotBound(rows+2, s); math.Abs(float64(got)-float64(exp)) > tol {
							t.Fatalf("%s: dw[%d][%d] = %v, kernels gives %v (bound %.3g)", name, o, j, got, exp, tol)
						}
					}
					if withBias {
						s := math.Abs(float64(wantB[o]))
						for r := 0; r < rows; r++ {
							s += math.Abs(float64(src[r*out+o]))
						}
						got, exp := db[o], wantB[o]
						if tol := dotBound(rows+2, s); math.Abs(float64(got)-float64(exp)) > tol {
							t.Fatalf("%s: db[%d] = %v, kernels gives %v (bound %.3g)", name, o, got, exp, tol)
						}
					}
				}
			}
		}
	}
}

// TestLinearTanhGradWeightsInPlace checks dz = dh (the aliasing the API allows).
func TestLinearTanhGradWeightsInPlace(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(7, 8))
		rows, in, out := 37, 19, 23
		x := make([]float32, rows*in)
		dh := make([]float32, rows*out)
		h := make([]float32, rows*out)
		f32test.Uniform(rng, x, -1, 1)
		f32test.Uniform(rng, dh, -1, 1)
		f32test.Uniform(rng, h, -1, 1)
		dw, db := make([]float32, out*in), make([]float32, out)
		wantW, wantB, wantZ := make([]float32, out*in), make([]float32, out), make([]float32, rows*out)
		kernels.LinearTanhGradWeights(wantW, wantB, wantZ, dh, h, x, rows, in, out)
		LinearTanhGradWeights(dw, db, dh, dh, h, x, rows, in, out)
		for i := range dh {
			if math.Abs(float64(dh[i])-float64(wantZ[i])) > 3*unit {
				t.Fatalf("dz[%d] = %v, want %v", i, dh[i], wantZ[i])
			}
		}
		for i := range dw {
			if math.Abs(float64(dw[i])-float64(wantW[i])) > dotBound(rows, float64(rows)) {
				t.Fatalf("dw[%d] = %v, want %v", i, dw[i], wantW[i])
			}
		}
	})
}

func TestLinearGradInput(t *testing.T) { forEachPath(t, gradInputCases) }

func TestLinearGradInputNarrow(t *testing.T) {
	forEachPath(t, func(t *testing.T) { gradInputShapes(t, narrowShapes()) })
}

func gradInputCases(t *testing.T) { gradInputShapes(t, linShapes()) }

func gradInputShapes(t *testing.T, shapes []linShape) {
	rng := rand.New(rand.NewPCG(9, 10))
	for si, sh := range shapes {
		rows, in, out := sh.rows, sh.in, sh.out
		name := fmt.Sprintf("%dx%d->%d", rows, in, out)
		dz, cdz := linGuarded(rng, rows*out, si)
		w, cw := linGuarded(rng, out*in, si+1)
		dx, cdx := linGuarded(rng, rows*in, si+2)
		want := make([]float32, rows*in)
		LinearGradInput(dx, dz, w, rows, in, out)
		kernels.LinearGradInput(want, dz, w, rows, in, out)
		checkGuards(t, name, cdz, cw, cdx)
		for r := 0; r < rows; r++ {
			for j := 0; j < in; j++ {
				s := 0.0
				for o := 0; o < out; o++ {
					s += math.Abs(float64(dz[r*out+o]) * float64(w[o*in+j]))
				}
				got, exp := dx[r*in+j], want[r*in+j]
				if tol := dotBound(out, s); math.Abs(float64(got)-float64(exp)) > tol {
					t.Fatalf("%s: dx[%d][%d] = %v, kernels gives %v (bound %.3g)", name, r, j, got, exp, tol)
				}
			}
		}
	}
}

// Benchmark shapes rows×in→out: the seed's layers, the wide model's, and
// square GEMMs.
var linBenchShapes = []linShape{
	{1000, 1, 20}, {1000, 20, 15}, {10000, 1, 256}, {10000, 256, 60}, {10000, 256, 256},
	{32, 32, 32}, {64, 64, 64}, {128, 128, 128}, {256, 256, 256}, {512, 512, 512}, {1024, 1024, 1024},
}

// benchLinear runs f under sub-benchmarks size=RxIxO/impl=P, reporting
// GFLOP/s for the 2·rows·in·out flops of the GEMM.
func benchLinear(b *testing.B, f func(rows, in, out int, bufs [][]float32)) {
	for _, sh := range linBenchShapes {
		rows, in, out := sh.rows, sh.in, sh.out
		rng := rand.New(rand.NewPCG(11, 12))
		// x, w, b, dst, dz, dh, h, dw, db, dx
		sizes := []int{rows * in, out * in, out, rows * out, rows * out, rows * out, rows * out, out * in, out, rows * in}
		bufs := make([][]float32, len(sizes))
		for i, n := range sizes {
			bufs[i] = make([]float32, n)
			f32test.Uniform(rng, bufs[i], -1, 1)
		}
		benchEachPath(b, fmt.Sprintf("size=%dx%dx%d", rows, in, out), func(b *testing.B, path string) {
			// The generic path at 1024³ takes seconds per call.
			if path == cpufeat.Generic && rows*in*out > 1<<28 {
				b.Skip("the generic path takes seconds per call at this size")
			}
			b.ReportAllocs()
			for b.Loop() {
				f(rows, in, out, bufs)
			}
			b.ReportMetric(2*float64(rows*in*out)*float64(b.N)/float64(b.Elapsed().Nanoseconds()), "GFLOP/s")
		})
	}
}

func BenchmarkLinear(b *testing.B) {
	benchLinear(b, func(rows, in, out int, v [][]float32) { Linear(v[3], v[0], v[1], v[2], rows, in, out) })
}

func BenchmarkLinearTanh(b *testing.B) {
	benchLinear(b, func(rows, in, out int, v [][]float32) { LinearTanh(v[3], v[0], v[1], v[2], rows, in, out) })
}

func BenchmarkLinearGradWeights(b *testing.B) {
	benchLinear(b, func(rows, in, out int, v [][]float32) { LinearGradWeights(v[7], v[8], v[4], v[0], rows, in, out) })
}

func BenchmarkLinearTanhGradWeights(b *testing.B) {
	benchLinear(b, func(rows, in, out int, v [][]float32) {
		LinearTanhGradWeights(v[7], v[8], v[4], v[5], v[6], v[0], rows, in, out)
	})
}

func BenchmarkLinearGradInput(b *testing.B) {
	benchLinear(b, func(rows, in, out int, v [][]float32) { LinearGradInput(v[9], v[4], v[1], rows, in, out) })
}

// TestLinearNoAllocs checks that no linear kernel allocates, at sizes past
// 255 (where boxing an int would), on the blocked paths, and with the
// largest scratch (520×260→129 on avx512: rows past a row block, a whole
// column block and k block).
func TestLinearNoAllocs(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		for _, sh := range []linShape{{1000, 1, 20}, {600, 300, 20}, {300, 20, 600}, {520, 260, 129}} {
			rows, in, out := sh.rows, sh.in, sh.out
			x, w, b := make([]float32, rows*in), make([]float32, out*in), make([]float32, out)
			dst, dz, h := make([]float32, rows*out), make([]float32, rows*out), make([]float32, rows*out)
			dw, dx := make([]float32, out*in), make([]float32, rows*in)
			for name, f := range map[string]func(){
				"Linear":                func() { Linear(dst, x, w, b, rows, in, out) },
				"LinearTanh":            func() { LinearTanh(dst, x, w, b, rows, in, out) },
				"LinearGradWeights":     func() { LinearGradWeights(dw, b, dz, x, rows, in, out) },
				"LinearTanhGradWeights": func() { LinearTanhGradWeights(dw, b, dz, dz, h, x, rows, in, out) },
				"LinearGradInput":       func() { LinearGradInput(dx, dz, w, rows, in, out) },
			} {
				if n := testing.AllocsPerRun(3, f); n != 0 {
					t.Errorf("%s %v: %v allocations per call", name, sh, n)
				}
			}
		}
	})
}

// TestLinearSpecials puts NaN and ±Inf into x: they must reach exactly the
// outputs they reach in kernels/ (a NaN or Inf never leaks into a
// neighbouring row or column), and the finite outputs stay within the bound.
func TestLinearSpecials(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(13, 14))
		specials := []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1))}
		for _, sh := range []linShape{{13, 17, 19}, {1000, 1, 20}, {50, 1, 13}, {20, 300, 20}, {7, 16, 16}} {
			rows, in, out := sh.rows, sh.in, sh.out
			x, w, b := make([]float32, rows*in), make([]float32, out*in), make([]float32, out)
			f32test.Uniform(rng, x, -1, 1)
			f32test.Uniform(rng, w, -1, 1)
			f32test.Uniform(rng, b, -1, 1)
			for i := 0; i < 5; i++ {
				x[rng.IntN(len(x))] = specials[i%3]
			}
			dz := make([]float32, rows*out)
			f32test.Uniform(rng, dz, -1, 1)
			dz[rng.IntN(len(dz))] = specials[0]
			dz[rng.IntN(len(dz))] = specials[1]
			for _, k := range []struct {
				name      string
				got, want func(d []float32)
				n         int
			}{
				{"Linear", func(d []float32) { Linear(d, x, w, b, rows, in, out) }, func(d []float32) { kernels.Linear(d, x, w, b, rows, in, out) }, rows * out},
				{"LinearTanh", func(d []float32) { LinearTanh(d, x, w, b, rows, in, out) }, func(d []float32) { kernels.LinearTanh(d, x, w, b, rows, in, out) }, rows * out},
				{"LinearGradInput", func(d []float32) { LinearGradInput(d, dz, w, rows, in, out) }, func(d []float32) { kernels.LinearGradInput(d, dz, w, rows, in, out) }, rows * in},
				{"LinearGradWeights", func(d []float32) { LinearGradWeights(d, nil, dz, x, rows, in, out) }, func(d []float32) { kernels.LinearGradWeights(d, nil, dz, x, rows, in, out) }, out * in},
			} {
				got, want := make([]float32, k.n), make([]float32, k.n)
				k.got(got)
				k.want(want)
				for i := range got {
					g, e := got[i], want[i]
					finite := !math.IsNaN(float64(e)) && !math.IsInf(float64(e), 0)
					// The finite values' sums have at most max(in, out, rows)
					// terms of magnitude ≤ 1, plus a bias ≤ 1.
					terms := max(in, out, rows)
					if finite && math.Abs(float64(g)-float64(e)) > dotBound(terms, float64(terms+1)) ||
						!finite && !f32test.Close(g, e, 0, 0, 0) {
						t.Fatalf("%s %v: [%d] = %v, kernels gives %v", k.name, sh, i, g, e)
					}
				}
			}
		}
	})
}

// TestLinearBackwardSpecials puts NaN and ±Inf into every input of the
// backward kernels on the narrow shapes: each must reach exactly the outputs
// it reaches in kernels/, and no other (the flat one-input sweep and the
// two-row tiles pack lanes of two rows into one vector). The tanh gradient
// runs both with dz apart from dh and in place.
func TestLinearBackwardSpecials(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(15, 16))
		specials := []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1))}
		shapes := []linShape{{1000, 1, 20}, {37, 1, 12}, {9, 1, 4}, {33, 1, 40}, {21, 1, 16}, {1001, 20, 15}, {999, 15, 20}, {13, 20, 12}, {10, 12, 20}}
		for _, sh := range shapes {
			rows, in, out := sh.rows, sh.in, sh.out
			gen := func(n int) []float32 {
				v := make([]float32, n)
				f32test.Uniform(rng, v, -1, 1)
				for i := 0; i < 3 && n > 0; i++ {
					v[rng.IntN(n)] = specials[rng.IntN(3)]
				}
				return v
			}
			x, w, dz, dh, h := gen(rows*in), gen(out*in), gen(rows*out), gen(rows*out), gen(rows*out)
			type res struct{ dw, db, dz, dx []float32 }
			run := func(generic bool, inPlace bool) res {
				r := res{make([]float32, out*in), make([]float32, out), make([]float32, rows*out), make([]float32, rows*in)}
				d := append([]float32(nil), dh...)
				z := r.dz
				if inPlace {
					z = d
				}
				if generic {
					kernels.LinearTanhGradWeights(r.dw, r.db, z, d, h, x, rows, in, out)
					kernels.LinearGradWeights(r.dw, r.db, dz, x, rows, in, out)
					kernels.LinearGradInput(r.dx, dz, w, rows, in, out)
				} else {
					LinearTanhGradWeights(r.dw, r.db, z, d, h, x, rows, in, out)
					LinearGradWeights(r.dw, r.db, dz, x, rows, in, out)
					LinearGradInput(r.dx, dz, w, rows, in, out)
				}
				if inPlace {
					copy(r.dz, d)
				}
				return r
			}
			want := run(true, false)
			for _, inPlace := range []bool{false, true} {
				got := run(false, inPlace)
				// Finite results: at most 2·max(rows, out)+1 terms of magnitude ≤ 1.
				terms := 2*max(rows, out) + 1
				tol := dotBound(terms, float64(terms))
				for _, c := range []struct {
					name      string
					got, want []float32
				}{{"dw", got.dw, want.dw}, {"db", got.db, want.db}, {"dz", got.dz, want.dz}, {"dx", got.dx, want.dx}} {
					for i := range c.got {
						g, e := c.got[i], c.want[i]
						finite := !math.IsNaN(float64(e)) && !math.IsInf(float64(e), 0)
						if finite && math.Abs(float64(g)-float64(e)) > tol || !finite && !f32test.Close(g, e, 0, 0, 0) {
							t.Fatalf("%v in place=%v: %s[%d] = %v, kernels gives %v", sh, inPlace, c.name, i, g, e)
						}
					}
				}
			}
		}
	})
}
