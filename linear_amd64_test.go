//go:build !purego

package mdnsimd

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
	"github.com/mdnsimd/mdnsimd/internal/f32test"
	"github.com/mdnsimd/mdnsimd/kernels"
)

// TestLinearSmallBlocks reruns the linear cases on the assembly path with
// the blocking a CPU with an 8 KiB L1d and a 32 KiB L2 would get (k blocks
// of 64, row blocks of 64), so that block edges fall inside many of the test
// shapes.
func TestLinearSmallBlocks(t *testing.T) {
	if !cpufeat.HasAVX2FMA {
		t.Skip("no AVX2+FMA")
	}
	defer setBlocks(cacheBlocks(8<<10, 32<<10))()
	if kDepth != 64 || mRows != 64 {
		t.Fatalf("cacheBlocks(8 KiB, 32 KiB) = %d, %d, want 64, 64", kDepth, mRows)
	}
	t.Run("Linear", linearCases)
	t.Run("GradWeights", gradWeightsCases)
	t.Run("GradInput", gradInputCases)
}

// setBlocks sets the cache blocking and returns a function that restores it.
func setBlocks(k, m int) (restore func()) {
	k0, m0 := kDepth, mRows
	kDepth, mRows = k, m
	return func() { kDepth, mRows = k0, m0 }
}

// TestLinearPlans checks that the shapes the linear tests run reach every
// plan of each operation on every path, and no plan outside the path's
// list, under the host's cache blocking and under the smallest and largest
// blocking cacheBlocks gives (so that no plan is tested only on hosts with
// some cache size).
func TestLinearPlans(t *testing.T) {
	forward := linShapes()                             // TestLinear
	backward := append(linShapes(), narrowShapes()...) // the gradient tests
	wantLinear := map[string][]linearPlan{
		cpufeat.Generic: {linGeneric},
		cpufeat.AVX2FMA: {linEmpty, linOne, linBlocked, linPanels, linDot, linRowsOne},
		cpufeat.AVX512:  {linEmpty, linOne512, linGemm512, linDot512, linRowsOne},
	}
	wantGradWeights := map[string][]gradWeightsPlan{
		cpufeat.Generic: {gwGeneric},
		cpufeat.AVX2FMA: {gwEmpty, gwOne, gw20, gwColumn, gwTransposed, gwDirect},
		cpufeat.AVX512:  {gwEmpty, gwOne, gwOne512, gwGemm512, gwGemm512T, gw20x512},
	}
	wantGradInput := map[string][]gradInputPlan{
		cpufeat.Generic: {giGeneric},
		cpufeat.AVX2FMA: {giEmpty, giZero, giRowDot, gi20, giPanels, giBlocked},
		cpufeat.AVX512:  {giEmpty, giZero, giRowDot512, giGemm512},
	}
	type blocking struct {
		name string
		k, m int
	}
	blockings := []blocking{{"host", kDepth, mRows}}
	k, m := cacheBlocks(1, 1)
	blockings = append(blockings, blocking{"smallest", k, m})
	k, m = cacheBlocks(1<<30, 1<<40)
	blockings = append(blockings, blocking{"largest", k, m})
	for _, blocks := range blockings {
		restore := setBlocks(blocks.k, blocks.m)
		t.Run(blocks.name, func(t *testing.T) {
			forEachPath(t, func(t *testing.T) {
				p := cpufeat.Path()
				checkPlans(t, "linear", wantLinear[p], forward, func(s linShape) linearPlan {
					return planLinear(s.rows, s.in, s.out, true)
				}, func(s linShape) linearPlan {
					return planLinear(s.rows, s.in, s.out, false)
				})
				checkPlans(t, "grad weights", wantGradWeights[p], backward, func(s linShape) gradWeightsPlan {
					return planGradWeights(s.rows, s.in, s.out)
				})
				checkPlans(t, "grad input", wantGradInput[p], backward, func(s linShape) gradInputPlan {
					return planGradInput(s.rows, s.in, s.out)
				})
			})
		})
		restore()
	}
}

// checkPlans checks that the plans the functions give for the shapes are
// exactly the set want.
func checkPlans[P interface {
	comparable
	String() string
}](t *testing.T, what string, want []P, shapes []linShape, plans ...func(linShape) P) {
	t.Helper()
	if len(want) == 0 {
		t.Fatalf("%s: no plans listed for path %s", what, cpufeat.Path())
	}
	reached := map[P]linShape{}
	for _, s := range shapes {
		for _, plan := range plans {
			p := plan(s)
			if !slices.Contains(want, p) {
				t.Errorf("%s: shape %v gets plan %v, not one of %v", what, s, p, want)
			}
			if _, ok := reached[p]; !ok {
				reached[p] = s
			}
		}
	}
	for _, p := range want {
		s, ok := reached[p]
		if !ok {
			t.Errorf("%s: no test shape reaches plan %v", what, p)
			continue
		}
		t.Logf("%s: plan %v first reached by %v", what, p, s)
	}
}

// gemmKernel is the signature of gemmAVX2 and gemmAVX512.
type gemmKernel func(c []float32, ldc int, a []float32, rsa, csa int, b []float32, ldb int, bias []float32, m, k, n, flags int)

// TestGemmAVX512 runs the AVX-512 micro-kernel directly over every row count
// up to 31 (every tile size and remainder), every panel width up to 32 and
// depths around its unrolling, with A in both layouts the linear kernels
// use (rows contiguous, as x; columns contiguous, as dzᵀ), every slice
// guarded and C's cells between rows checked unchanged. Sums are held to
// the dot-product bound; with gemmTanh the result must be, bit for bit,
// kernels.Tanh32 of the same call without it.
func TestGemmAVX512(t *testing.T) {
	if !cpufeat.HasAVX512 {
		t.Skip("no AVX-512: gemmAVX512 not run")
	}
	gemmKernelCases(t, func(c []float32, ldc int, a []float32, rsa, csa int, b []float32, ldb int, bias []float32, m, k, n, flags int) {
		gemmAVX512(c, ldc, a, rsa, csa, b, ldb, bias, m, k, n, flags, nil)
	}, 32)
}

func gemmKernelCases(t *testing.T, kern gemmKernel, maxN int) {
	rng := rand.New(rand.NewPCG(21, 22))
	for m := 0; m <= 31; m++ {
		for n := 1; n <= maxN; n++ {
			for _, k := range []int{0, 1, 3, 4, 9, 17} {
				for _, flags := range []int{0, gemmBias, gemmAcc, gemmBias | gemmAcc | gemmTanh, gemmTanh} {
					for _, transA := range []bool{false, true} {
						gemmKernelCase(t, rng, kern, m, n, k, flags, transA, n)
					}
				}
			}
		}
	}
}

// gemmKernelCase runs one call of a GEMM kernel with every slice guarded;
// B's rows hold at least padB readable floats.
func gemmKernelCase(t *testing.T, rng *rand.Rand, kern gemmKernel, m, n, k, flags int, transA bool, padB int) {
	t.Helper()
	name := fmt.Sprintf("m=%d n=%d k=%d flags=%d transA=%v", m, n, k, flags, transA)
	rsa, csa := k, 1
	if transA {
		rsa, csa = 1, m
	}
	ldb, ldc := padB+rng.IntN(3), n+rng.IntN(3)
	span := func(rows, ld, cols int) int {
		if rows == 0 || cols == 0 {
			return 0
		}
		return (rows-1)*ld + cols
	}
	na := 0
	if m > 0 && k > 0 {
		na = (m-1)*rsa + (k-1)*csa + 1
	}
	a, ca := linGuarded(rng, na, m)
	b, cb := linGuarded(rng, span(k, ldb, padB), n)
	bias, cbias := linGuarded(rng, n, k)
	c, cc := linGuarded(rng, span(m, ldc, n), m+n)
	c0 := append([]float32(nil), c...)
	var z []float32 // the same call without the tanh
	if flags&gemmTanh != 0 {
		z = append([]float32(nil), c...)
		kern(z, ldc, a, rsa, csa, b, ldb, bias, m, k, n, flags&^gemmTanh)
	}
	kern(c, ldc, a, rsa, csa, b, ldb, bias, m, k, n, flags)
	checkGuards(t, name, ca, cb, cbias, cc)
	for i := 0; i < m; i++ {
		for j := 0; j < ldc && i*ldc+j < len(c); j++ {
			got := c[i*ldc+j]
			if j >= n {
				if math.Float32bits(got) != math.Float32bits(c0[i*ldc+j]) {
					t.Fatalf("%s: c[%d][%d] past n changed", name, i, j)
				}
				continue
			}
			if z != nil {
				if want := kernels.Tanh32(z[i*ldc+j]); math.Float32bits(got) != math.Float32bits(want) {
					t.Fatalf("%s: c[%d][%d] = %v, want Tanh32(%v) = %v", name, i, j, got, z[i*ldc+j], want)
				}
				got = z[i*ldc+j]
			}
			var s, abs float64
			for p := 0; p < k; p++ {
				v := float64(a[i*rsa+p*csa]) * float64(b[p*ldb+j])
				s += v
				abs += math.Abs(v)
			}
			if flags&gemmBias != 0 {
				s += float64(bias[j])
				abs += math.Abs(float64(bias[j]))
			}
			if flags&gemmAcc != 0 {
				s += float64(c0[i*ldc+j])
				abs += math.Abs(float64(c0[i*ldc+j]))
			}
			if d := math.Abs(float64(got) - s); d > dotBound(k+2, abs) {
				t.Fatalf("%s: c[%d][%d] = %v, want %v (bound %.3g)", name, i, j, got, s, dotBound(k+2, abs))
			}
		}
	}
}

// TestGemmPackAVX512 runs gemmAVX512 with gemmPackB over the shapes it
// takes (m ≥ 14, 16 < n ≤ 32; m up to 31 for every tile after the first,
// and the gradient's 60), depths on both sides of packAhead (where the
// prefetching loop hands over to the last rows), A in both layouts, every
// slice guarded: C must be, bit for bit, C of the same call without the
// flag, and p must be B's rows copied with stride 32, zero past n.
func TestGemmPackAVX512(t *testing.T) {
	if !cpufeat.HasAVX512 {
		t.Skip("no AVX-512: gemmAVX512 with gemmPackB not run")
	}
	rng := rand.New(rand.NewPCG(29, 30))
	for _, m := range []int{14, 15, 21, 27, 28, 29, 31, 60} {
		for n := 17; n <= 32; n++ {
			for _, k := range []int{0, 1, 3, 17, packAhead, packAhead + 1, 2*packAhead + 3} {
				for _, flags := range []int{0, gemmBias, gemmAcc, gemmBias | gemmAcc | gemmTanh} {
					for _, transA := range []bool{false, true} {
						name := fmt.Sprintf("m=%d n=%d k=%d flags=%d transA=%v", m, n, k, flags, transA)
						rsa, csa := k, 1
						if transA {
							rsa, csa = 1, m
						}
						ldb, ldc := n+rng.IntN(40), n+rng.IntN(3)
						na, nb := 0, 0
						if k > 0 {
							na, nb = (m-1)*rsa+(k-1)*csa+1, (k-1)*ldb+n
						}
						a, ca := linGuarded(rng, na, m)
						b, cb := linGuarded(rng, nb, n)
						bias, cbias := linGuarded(rng, n, k)
						c, cc := linGuarded(rng, (m-1)*ldc+n, m+n)
						p, cp := linGuarded(rng, 32*k, k)
						want := append([]float32(nil), c...)
						gemmAVX512(want, ldc, a, rsa, csa, b, ldb, bias, m, k, n, flags, nil)
						gemmAVX512(c, ldc, a, rsa, csa, b, ldb, bias, m, k, n, flags|gemmPackB, p)
						checkGuards(t, name, ca, cb, cbias, cc, cp)
						for i, v := range c {
							if math.Float32bits(v) != math.Float32bits(want[i]) {
								t.Fatalf("%s: c[%d] = %v with gemmPackB, %v without", name, i, v, want[i])
							}
						}
						for r := 0; r < k; r++ {
							for j := 0; j < 32; j++ {
								w := float32(0)
								if j < n {
									w = b[r*ldb+j]
								}
								if got := p[r*32+j]; math.Float32bits(got) != math.Float32bits(w) {
									t.Fatalf("%s: p[%d][%d] = %v, want %v", name, r, j, got, w)
								}
							}
						}
					}
				}
			}
		}
	}
}

// TestGemm20AVX512 runs the 20-column kernel directly over every width it
// takes (17 to 20), row counts in fours up to 36 (every tile size and
// remainder), depths around its loop, A in both layouts, every slice
// guarded, B's rows 20 readable floats as the packed panels give them.
func TestGemm20AVX512(t *testing.T) {
	if !cpufeat.HasAVX512 {
		t.Skip("no AVX-512: gemm20AVX512 not run")
	}
	rng := rand.New(rand.NewPCG(27, 28))
	for m := 0; m <= 36; m += 4 {
		for n := 17; n <= 20; n++ {
			for _, k := range []int{0, 1, 3, 4, 9, 17} {
				for _, flags := range []int{0, gemmBias, gemmAcc, gemmBias | gemmAcc | gemmTanh, gemmTanh} {
					for _, transA := range []bool{false, true} {
						gemmKernelCase(t, rng, gemm20AVX512, m, n, k, flags, transA, 20)
					}
				}
			}
		}
	}
}

// TestPackAVX512 checks the AVX-512 panel packing for every kc up to 40 and n
// up to 32 (block edges at 16 both ways), with guards around both slices.
func TestPackAVX512(t *testing.T) {
	if !cpufeat.HasAVX512 {
		t.Skip("no AVX-512: packAVX512 not run")
	}
	rng := rand.New(rand.NewPCG(23, 24))
	for kc := 0; kc <= 40; kc++ {
		for n := 1; n <= 32; n++ {
			for _, ldp := range []int{n, 32} {
				ld := kc + rng.IntN(3)
				w, cw := linGuarded(rng, max(0, (n-1)*ld+kc), kc)
				np := 0
				if kc > 0 {
					np = (kc-1)*ldp + n
				}
				p, cp := linGuarded(rng, np, n)
				p0 := append([]float32(nil), p...)
				packAVX512(p, w, ld, kc, n, ldp)
				name := fmt.Sprintf("kc=%d n=%d ld=%d ldp=%d", kc, n, ld, ldp)
				checkGuards(t, name, cw, cp)
				for k := 0; k < kc; k++ {
					for j := 0; j < ldp && k*ldp+j < len(p); j++ {
						want := p0[k*ldp+j]
						if j < n {
							want = w[j*ld+k]
						}
						if math.Float32bits(p[k*ldp+j]) != math.Float32bits(want) {
							t.Fatalf("%s: p[%d][%d] = %v, want %v", name, k, j, p[k*ldp+j], want)
						}
					}
				}
			}
		}
	}
}

// TestLinear1AVX512 runs the flat one-input kernel directly for every width
// up to oneMaxOut and row counts around its periods (up to 16 rows), with
// guards around every slice: each sum within the dot-product bound of
// b + x·w, and with gemmTanh, bit for bit kernels.Tanh32 of the sum.
func TestLinear1AVX512(t *testing.T) {
	if !cpufeat.HasAVX512 {
		t.Skip("no AVX-512: linear1AVX512 not run")
	}
	rng := rand.New(rand.NewPCG(25, 26))
	for out := 1; out <= oneMaxOut; out++ {
		for _, rows := range []int{0, 1, 2, 3, 5, 15, 16, 17, 31, 33, 47, 64, 100} {
			for _, withBias := range []bool{false, true} {
				name := fmt.Sprintf("rows=%d out=%d bias=%v", rows, out, withBias)
				x, cx := linGuarded(rng, rows, rows)
				w, cw := linGuarded(rng, out, out)
				var b []float32
				cb := func() error { return nil }
				if withBias {
					b, cb = linGuarded(rng, out, out+1)
				}
				z, cz := linGuarded(rng, rows*out, rows+out)
				h, ch := linGuarded(rng, rows*out, rows+out+1)
				linear1RunAVX512(z, x, w, b, rows, out, 0)
				linear1RunAVX512(h, x, w, b, rows, out, gemmTanh)
				checkGuards(t, name, cx, cw, cb, cz, ch)
				for r := 0; r < rows; r++ {
					for o := 0; o < out; o++ {
						s := float64(x[r]) * float64(w[o])
						abs := math.Abs(s)
						if withBias {
							s += float64(b[o])
							abs += math.Abs(float64(b[o]))
						}
						got := z[r*out+o]
						if math.Abs(float64(got)-s) > dotBound(1, abs) {
							t.Fatalf("%s: [%d][%d] = %v, want %v", name, r, o, got, s)
						}
						if want := kernels.Tanh32(got); math.Float32bits(h[r*out+o]) != math.Float32bits(want) {
							t.Fatalf("%s: tanh [%d][%d] = %v, want Tanh32(%v) = %v", name, r, o, h[r*out+o], got, want)
						}
					}
				}
			}
		}
	}
}

// oneInputLayer returns normal weights and biases for a one-input layer
// of out outputs, every third bias and every fifth weight a zero of
// either sign.
func oneInputLayer(rng *rand.Rand, out int) (w, b []float32) {
	zeros := []float32{0, float32(math.Copysign(0, -1))}
	w, b = make([]float32, out), make([]float32, out)
	for i := range w {
		w[i], b[i] = float32(rng.NormFloat64()), float32(rng.NormFloat64())
		if i%3 == 0 {
			b[i] = zeros[rng.IntN(2)]
		}
		if i%5 == 0 {
			w[i] = zeros[rng.IntN(2)]
		}
	}
	return w, b
}

// TestLinearRowsOne holds linearRowsOneAVX2 (the avx2fma plan of the
// one-input layers linOne does not take) to the bits of the panel GEMM
// (what those layers ran before, one FMA per output with the bias as its
// addend, then the tanh), with and without tanh and bias, for every width
// to 70 (whole vectors and tails of 1 to 7) and rows around a vector;
// zeros of both signs and values past tanh's saturation included, and
// dst guarded.
func TestLinearRowsOne(t *testing.T) {
	if !cpufeat.HasAVX2FMA {
		t.Skip("no AVX2+FMA: linearRowsOneAVX2 not run")
	}
	rng := rand.New(rand.NewPCG(29, 30))
	zeros := []float32{0, float32(math.Copysign(0, -1))}
	for out := 1; out <= 70; out++ {
		for _, rows := range []int{1, 2, 5, 9, 17} {
			x := make([]float32, rows)
			for i := range x {
				x[i] = float32(rng.NormFloat64() * 4)
			}
			w, b := oneInputLayer(rng, out)
			x[0] = zeros[1]
			for _, act := range []int{0, gemmTanh} {
				for _, bias := range [][]float32{nil, b} {
					want := make([]float32, rows*out)
					runLinear(linPanels, want, x, w, bias, rows, 1, out, act)
					got, check := f32test.Guarded(rows*out, rng.IntN(8))
					runLinear(linRowsOne, got, x, w, bias, rows, 1, out, act)
					for i := range want {
						if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
							t.Fatalf("out=%d rows=%d act=%d bias=%v: [%d] = %v (%#x), the GEMM gives %v (%#x)",
								out, rows, act, bias != nil, i, got[i], math.Float32bits(got[i]), want[i], math.Float32bits(want[i]))
						}
					}
					if err := check(); err != nil {
						t.Fatalf("out=%d rows=%d act=%d bias=%v: %v", out, rows, act, bias != nil, err)
					}
				}
			}
		}
	}
}

// TestLinearOneFewRows holds a one-input layer's calls of fewer rows than
// the flat sweep's threshold (oneMinRows512 on avx512, oneMinRowsAVX2 on
// avx2fma; such calls take linearRowsOneAVX2 up to rowsOneMaxRows rows,
// rowsOneMaxRows512 on avx512, and the GEMM beyond) to the flat sweep's
// bits: each row of
// such a call, with and without tanh and bias, equals the same row
// computed by the sweep in a call of more rows, so that a row's result
// does not depend on how many rows its call holds. The inputs include
// zeros of both signs.
func TestLinearOneFewRows(t *testing.T) {
	type sweep struct {
		path          string
		flat          linearPlan
		few           []linearPlan // the plans of fewer rows, each reached
		period, least func(out int) int
		tanhOnly      bool // the sweep takes tanh layers of out%8 != 0 only
	}
	sweeps := []sweep{
		{cpufeat.AVX512, linOne512, []linearPlan{linRowsOne, linGemm512}, onePeriod512, oneMinRows512, false},
		// Past rowsOneMaxRows rows (below rowsOneMinOut outputs) avx2fma
		// takes the GEMM.
		{cpufeat.AVX2FMA, linOne, []linearPlan{linRowsOne, linPanels}, func(out int) int { return 8 / (out & -out) }, oneMinRowsAVX2, true},
	}
	for _, sw := range sweeps {
		t.Run(sw.path, func(t *testing.T) {
			if !slices.Contains(cpufeat.Paths(), sw.path) {
				t.Skipf("PATH NOT RUN: this CPU cannot run %s", sw.path)
			}
			defer cpufeat.Force(sw.path)()
			rng := rand.New(rand.NewPCG(27, 28))
			zeros := []float32{0, float32(math.Copysign(0, -1))}
			reached := map[linearPlan]bool{}
			defer func() {
				for _, p := range sw.few {
					if !reached[p] && !t.Failed() {
						t.Errorf("plan %v of fewer rows never reached", p)
					}
				}
			}()
			for out := 1; out <= oneMaxOut; out++ {
				if sw.tanhOnly && (out <= 8 || out%8 == 0) {
					continue
				}
				period, least := sw.period(out), sw.least(out)
				many := least + period + 3
				x := make([]float32, many)
				for i := range x {
					x[i] = float32(rng.NormFloat64())
				}
				w, b := oneInputLayer(rng, out)
				x[1] = zeros[1]
				for _, act := range []int{0, gemmTanh} {
					if sw.tanhOnly && act == 0 {
						continue
					}
					for _, bias := range [][]float32{nil, b} {
						if p := planLinear(least, 1, out, act != 0); p != sw.flat {
							t.Fatalf("out=%d: %d rows take plan %v, want %v", out, least, p, sw.flat)
						}
						all := make([]float32, many*out)
						runLinear(sw.flat, all, x, w, bias, many, 1, out, act)
						for _, rows := range []int{1, 2, 3, period - 1, period, period + 1, least / 2, least - 1} {
							if rows < 1 || rows >= least {
								continue
							}
							few := planLinear(rows, 1, out, act != 0)
							if !slices.Contains(sw.few, few) {
								t.Fatalf("out=%d rows=%d: plan %v, want one of %v", out, rows, few, sw.few)
							}
							reached[few] = true
							for r0 := 0; r0+rows <= many; r0 += rows {
								got := make([]float32, rows*out)
								runLinear(few, got, x[r0:r0+rows], w, bias, rows, 1, out, act)
								for i, v := range got {
									if want := all[r0*out+i]; math.Float32bits(v) != math.Float32bits(want) {
										t.Fatalf("out=%d act=%d bias=%v: row %d of a %d-row call [%d] = %v, the %d-row call gives %v",
											out, act, bias != nil, r0+i/out, rows, i%out, v, many, want)
									}
								}
							}
						}
					}
				}
			}
		})
	}
}

// TestGrad1AVX512 runs the weight gradients of one-input layers of every
// width up to oneMaxOut on the avx512 path (grad1AVX512 and
// grad1PeriodsAVX512), with row counts around its periods (up to 16 rows;
// from grad1MinRows512 for grad1's widths), guards around every slice, against
// kernels/ (dz apart from dh; TestLinearBackwardSpecials runs it in place).
func TestGrad1AVX512(t *testing.T) {
	if !cpufeat.HasAVX512 {
		t.Skip("no AVX-512: grad1AVX512 not run")
	}
	defer cpufeat.Force(cpufeat.AVX512)()
	var shapes []linShape
	for out := 1; out <= oneMaxOut; out++ {
		rows := []int{0, 1, 2, 3, 5, 15, 16, 17, 31, 33, 47, 64, 100}
		if grad1Out(out) {
			// grad1 below grad1MinRows512 rows, on every path
			rows = []int{grad1MinRows512, grad1MinRows512 + 1, grad1MinRows512 + 3, 250, 1001}
		}
		for _, r := range rows {
			shapes = append(shapes, linShape{r, 1, out})
		}
	}
	for _, s := range shapes {
		if p := planGradWeights(s.rows, s.in, s.out); p != gwOne512 {
			t.Fatalf("%v: plan %v, want %v", s, p, gwOne512)
		}
	}
	gradWeightsShapes(t, shapes)
}

// TestGradBiasAVX512 runs the AVX-512 bias gradient directly over row
// counts 0-9 and 33 and widths 1-140 (its one-vector rows, its chunks of
// 64 columns and their edges), with guards around every slice: dz bit for
// bit gradBiasAVX2's (the same operations), db within the bound of a sum.
func TestGradBiasAVX512(t *testing.T) {
	if !cpufeat.HasAVX512 {
		t.Skip("no AVX-512: gradBiasAVX512 not run")
	}
	rng := rand.New(rand.NewPCG(29, 30))
	for _, rows := range []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 33} {
		for out := 1; out <= 140; out++ {
			for _, flags := range []int{gemmBias, gemmTanh, gemmBias | gemmTanh} {
				name := fmt.Sprintf("rows=%d out=%d flags=%d", rows, out, flags)
				n := rows * out
				dh, cdh := linGuarded(rng, n, rows)
				h, ch := linGuarded(rng, n, out)
				dz, cdz := linGuarded(rng, n, rows+out)
				db, cdb := linGuarded(rng, out, rows+1)
				wantZ, wantB := append([]float32(nil), dz...), append([]float32(nil), db...)
				if flags&gemmTanh != 0 {
					gradBiasAVX2(wantB, wantZ, dh, h, rows, out, flags)
					gradBiasAVX512(db, dz, dh, h, rows, out, flags)
				} else {
					gradBiasAVX2(wantB, wantZ, nil, nil, rows, out, flags)
					gradBiasAVX512(db, dz, nil, nil, rows, out, flags)
				}
				checkGuards(t, name, cdh, ch, cdz, cdb)
				for i := range dz {
					if math.Float32bits(dz[i]) != math.Float32bits(wantZ[i]) {
						t.Fatalf("%s: dz[%d] = %v, gradBiasAVX2 gives %v", name, i, dz[i], wantZ[i])
					}
				}
				for o := range db {
					s := math.Abs(float64(wantB[o]))
					for r := 0; r < rows; r++ {
						s += math.Abs(float64(dz[r*out+o]))
					}
					if d := math.Abs(float64(db[o]) - float64(wantB[o])); d > dotBound(rows+1, s) {
						t.Fatalf("%s: db[%d] = %v, gradBiasAVX2 gives %v", name, o, db[o], wantB[o])
					}
				}
			}
		}
	}
}

// TestCopyPanelAVX512 checks the AVX-512 panel copy for every kc up to 40
// and n up to 32, with guards around both slices and p's columns past n
// left as they were.
func TestCopyPanelAVX512(t *testing.T) {
	if !cpufeat.HasAVX512 {
		t.Skip("no AVX-512: copyPanelAVX512 not run")
	}
	rng := rand.New(rand.NewPCG(31, 32))
	for kc := 0; kc <= 40; kc++ {
		for n := 1; n <= 32; n++ {
			ldb := n + rng.IntN(40)
			b, cb := linGuarded(rng, max(0, (kc-1)*ldb+n), kc)
			np := 0
			if kc > 0 {
				np = (kc-1)*32 + n
			}
			p, cp := linGuarded(rng, np, n)
			p0 := append([]float32(nil), p...)
			copyPanelAVX512(p, b, ldb, kc, n)
			name := fmt.Sprintf("kc=%d n=%d ldb=%d", kc, n, ldb)
			checkGuards(t, name, cb, cp)
			for k := 0; k < kc; k++ {
				for j := 0; j < 32 && k*32+j < len(p); j++ {
					want := p0[k*32+j]
					if j < n {
						want = b[k*ldb+j]
					}
					if math.Float32bits(p[k*32+j]) != math.Float32bits(want) {
						t.Fatalf("%s: p[%d][%d] = %v, want %v", name, k, j, p[k*32+j], want)
					}
				}
			}
		}
	}
}

// TestGemmBlocksAVX512 runs gemmRunAVX512's blocking over more rows than a
// row block with the largest scratch (a whole column block of packed or
// copied panels, narrowed to fit), B transposed (the forward
// pass) and not (the input gradient), with bias, accumulation and tanh.
func TestGemmBlocksAVX512(t *testing.T) {
	if !cpufeat.HasAVX512 {
		t.Skip("no AVX-512: gemmBlocksAVX512 not run")
	}
	rng := rand.New(rand.NewPCG(33, 34))
	m, k, n := rowBlock512+3, kBlock512+44, colBlock512+2
	for _, transB := range []bool{true, false} {
		for _, flags := range []int{gemmBias, gemmAcc | gemmTanh} {
			name := fmt.Sprintf("transB=%v flags=%d", transB, flags)
			a, ca := linGuarded(rng, m*k, 1)
			b, cb := linGuarded(rng, k*n, 2)
			bias, cbias := linGuarded(rng, n, 3)
			c, cc := linGuarded(rng, m*n, 4)
			c0 := append([]float32(nil), c...)
			ldb := n // b is k×n
			if transB {
				ldb = k // b is n×k
			}
			bAt := func(p, j int) float64 {
				if transB {
					return float64(b[j*ldb+p])
				}
				return float64(b[p*ldb+j])
			}
			z := append([]float32(nil), c...)
			gemmRunAVX512(z, n, a, k, 1, b, ldb, transB, bias, m, k, n, flags&^gemmTanh)
			gemmRunAVX512(c, n, a, k, 1, b, ldb, transB, bias, m, k, n, flags)
			checkGuards(t, name, ca, cb, cbias, cc)
			for i := 0; i < m; i++ {
				for j := 0; j < n; j++ {
					var s, abs float64
					for p := 0; p < k; p++ {
						v := float64(a[i*k+p]) * bAt(p, j)
						s += v
						abs += math.Abs(v)
					}
					if flags&gemmBias != 0 {
						s += float64(bias[j])
						abs += math.Abs(float64(bias[j]))
					}
					if flags&gemmAcc != 0 {
						s += float64(c0[i*n+j])
						abs += math.Abs(float64(c0[i*n+j]))
					}
					got := z[i*n+j]
					if d := math.Abs(float64(got) - s); d > dotBound(k+2, abs) {
						t.Fatalf("%s: c[%d][%d] = %v, want %v", name, i, j, got, s)
					}
					if flags&gemmTanh != 0 && math.Float32bits(c[i*n+j]) != math.Float32bits(kernels.Tanh32(got)) {
						t.Fatalf("%s: tanh c[%d][%d] = %v, want Tanh32(%v)", name, i, j, c[i*n+j], got)
					}
				}
			}
		}
	}
}

// BenchmarkLinearPlanThresholds runs the plans that compete at planLinear's
// row thresholds side by side, each forced, with tanh, so that the
// thresholds can be measured again on another CPU: the dot products
// against the GEMM at a few rows (dotMaxRows512, dotMaxRowsAVX2), and the
// one-input flat sweep against the GEMM around oneMinRows512 and
// oneMinRowsAVX2; and, with and without tanh (suffix /tanh=<bool>), the
// one-input rows of linearRowsOneAVX2 against the GEMM around
// rowsOneMaxRows and rowsOneMinOut. Sub-benchmarks
// size=<rows>x<in>x<out>/plan=<plan>/impl=<path>.
func BenchmarkLinearPlanThresholds(b *testing.B) {
	type race struct {
		path   string
		shapes []linShape
		plans  []linearPlan
		both   bool // without tanh too
	}
	var few, one []linShape
	for _, s := range [][2]int{{2, 5}, {20, 15}, {20, 20}, {64, 64}, {100, 40}, {256, 60}, {256, 256}} {
		for _, rows := range []int{1, 2, 3, 4, 5, 6, 8} {
			few = append(few, linShape{rows, s[0], s[1]})
		}
	}
	for _, out := range []int{9, 12, 20, 33, 44, 63} {
		for _, rows := range []int{1, 4, 16, 64, 128, 256, 1024} {
			one = append(one, linShape{rows, 1, out})
		}
	}
	var rowsOne []linShape
	for _, s := range [][2]int{{1, 20}, {2, 20}, {4, 20}, {8, 20}, {16, 20}, {64, 20}, {64, 64}, {1000, 16}, {1000, 64}, {1000, 96}, {1000, 128}, {100, 256}, {10000, 256}} {
		rowsOne = append(rowsOne, linShape{s[0], 1, s[1]})
	}
	races := []race{
		{cpufeat.AVX512, few, []linearPlan{linDot512, linGemm512}, false},
		{cpufeat.AVX2FMA, few, []linearPlan{linDot, linPanels}, false},
		{cpufeat.AVX512, one, []linearPlan{linOne512, linGemm512}, false},
		{cpufeat.AVX2FMA, one, []linearPlan{linOne, linPanels}, false},
		{cpufeat.AVX2FMA, rowsOne, []linearPlan{linRowsOne, linPanels}, true},
		{cpufeat.AVX512, rowsOne, []linearPlan{linRowsOne, linGemm512}, true},
	}
	rng := rand.New(rand.NewPCG(7, 8))
	for _, rc := range races {
		if !slices.Contains(cpufeat.Paths(), rc.path) {
			b.Logf("PATH NOT RUN: this CPU cannot run %s", rc.path)
			continue
		}
		for _, s := range rc.shapes {
			x, w, bias := make([]float32, s.rows*s.in), make([]float32, s.out*s.in), make([]float32, s.out)
			f32test.Uniform(rng, x, -1, 1)
			f32test.Uniform(rng, w, -1, 1)
			f32test.Uniform(rng, bias, -1, 1)
			dst := make([]float32, s.rows*s.out)
			acts := []int{gemmTanh}
			if rc.both {
				acts = append(acts, 0)
			}
			for _, act := range acts {
				for _, p := range rc.plans {
					name := fmt.Sprintf("size=%dx%dx%d/plan=%v/impl=%s", s.rows, s.in, s.out, p, rc.path)
					if rc.both {
						name += fmt.Sprintf("/tanh=%v", act != 0)
					}
					b.Run(name, func(b *testing.B) {
						defer cpufeat.Force(rc.path)()
						for b.Loop() {
							runLinear(p, dst, x, w, bias, s.rows, s.in, s.out, act)
						}
					})
				}
			}
		}
	}
}

// TestGw20AVX512 runs the 20-input gradient kernel directly for every out
// up to 16, rows around nothing, one and a few hundred, with and without
// the tanh, every slice guarded: the sums are held to the dot-product
// bound against float64, and the dz it forms must be, bit for bit, the dz
// gradBiasAVX512 forms.
func TestGw20AVX512(t *testing.T) {
	if !cpufeat.HasAVX512 {
		t.Skip("no AVX-512: gw20AVX512 not run")
	}
	rng := rand.New(rand.NewPCG(31, 32))
	for _, rows := range []int{0, 1, 3, 17, 300} {
		for out := 1; out <= 16; out++ {
			for _, act := range []int{0, gemmTanh} {
				for _, withDB := range []bool{true, false} {
					name := fmt.Sprintf("rows=%d out=%d act=%d db=%v", rows, out, act, withDB)
					x, cx := linGuarded(rng, rows*20, rows)
					dz, cdz := linGuarded(rng, rows*out, out)
					dh, cdh := linGuarded(rng, rows*out, out+1)
					h, ch := linGuarded(rng, rows*out, out+2)
					dw, cdw := linGuarded(rng, out*20, 3)
					db, cdb := linGuarded(rng, out, 4)
					dw0, db0 := append([]float32(nil), dw...), append([]float32(nil), db...)
					if !withDB {
						db = db[:0]
					}
					wantZ := append([]float32(nil), dz...)
					if act != 0 {
						gradBiasAVX512(nil, wantZ, dh, h, rows, out, gemmTanh)
					}
					dh0, h0 := append([]float32(nil), dh...), append([]float32(nil), h...)
					gw20AVX512(dw, db, dz, dh, h, x, rows, out, act)
					checkGuards(t, name, cx, cdz, cdh, ch, cdw, cdb)
					for i := range dz {
						if math.Float32bits(dz[i]) != math.Float32bits(wantZ[i]) {
							t.Fatalf("%s: dz[%d] = %v, want %v", name, i, dz[i], wantZ[i])
						}
						if math.Float32bits(dh[i]) != math.Float32bits(dh0[i]) || math.Float32bits(h[i]) != math.Float32bits(h0[i]) {
							t.Fatalf("%s: dh or h changed at %d", name, i)
						}
					}
					// Each result is the old value plus a sum over the rows:
					// the sum within the dot-product bound, the addition
					// rounded once more.
					check := func(what string, got, old float32, s, abs float64) {
						t.Helper()
						want := float64(old) + s
						if d := math.Abs(float64(got) - want); !(d <= dotBound(rows, abs)+unit*(math.Abs(float64(old))+abs)) {
							t.Fatalf("%s: %s = %v, want %v (old %v)", name, what, got, want, old)
						}
					}
					for o := range out {
						var s, abs float64
						for r := range rows {
							s += float64(dz[r*out+o])
							abs += math.Abs(float64(dz[r*out+o]))
						}
						if withDB {
							check(fmt.Sprintf("db[%d]", o), db[o], db0[o], s, abs)
						} else if v := db[:out][o]; math.Float32bits(v) != math.Float32bits(db0[o]) {
							t.Fatalf("%s: db[%d] written with len(db) = 0", name, o)
						}
						for i := range 20 {
							var s, abs float64
							for r := range rows {
								v := float64(x[r*20+i]) * float64(dz[r*out+o])
								s += v
								abs += math.Abs(v)
							}
							check(fmt.Sprintf("dw[%d][%d]", o, i), dw[o*20+i], dw0[o*20+i], s, abs)
						}
					}
				}
			}
		}
	}
}

// TestBlocks512 holds gemmBlocksAVX512's blocking to one pass over k where
// kBlock512 rows of a panel fit the scratch, with the largest scratch as
// gemmRunAVX512 aligns it (up to 15 floats short of maxScratch512), and
// checks that the k block and column block fit the scratch given.
func TestBlocks512(t *testing.T) {
	for _, c := range []struct{ m, k, n int }{
		{10000, 256, 256}, {10000, 256, 60}, {10000, 256, 128}, {10000, 64, 1024},
		{rowBlock512 + 1, 1024, 1024}, {2000, 512, 512}, {rowBlock512 + 3, kBlock512 + 44, colBlock512 + 2},
	} {
		for room := maxScratch512 - 15; room <= maxScratch512; room++ {
			kb, cb := blocks512(c.m, c.k, c.n, room, true)
			if kb*cb > room || cb%32 != 0 || cb > colBlock512 || kb > kBlock512 {
				t.Fatalf("%dx%dx%d, room %d: k block %d, column block %d", c.m, c.k, c.n, room, kb, cb)
			}
			if want := min(c.k, kBlock512); min(kb, c.k) != want {
				t.Errorf("%dx%dx%d, room %d: k block %d, want %d (one pass per %d rows of B)", c.m, c.k, c.n, room, kb, want, kBlock512)
			}
		}
	}
	if kb, cb := blocks512(rowBlock512, 256, 256, 0, true); kb != kBlock512 || cb != colBlock512 {
		t.Errorf("one row block: blocks %d, %d, want %d, %d", kb, cb, kBlock512, colBlock512)
	}
}
