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

// Tolerances of the mixture tests, with ε = 2⁻²⁴ (half a float32 ULP):
//
//   - The reference (kernels, float64 inside, one rounding at the end) is
//     held to the float64 oracle below within 2 ULP of each result, or
//     1e-9·M absolute where the result cancels (M is the row magnitude:
//     1 + the largest |logit − max logit| + log K + Σ_j (|logσ| + ½z² + 1)
//     over the components, the size of the terms whose sum is the NLL).
//   - The assembly computes in float32. Each component log-likelihood lp_c
//     is a sum of about 3D+3 rounded terms no larger than M, and exp/log add
//     a few ULP, so |Δnll| ≤ E := 16·(D+2)·M·ε (a safety factor of about 4
//     over that count). The responsibilities γ = e^(lp−ll) then carry a
//     relative error ≤ 2E, so per element, with s = scale:
//     dlogit: |s|·(2E·γ + (16+2K)ε·(γ+π)) (π = p/Σp and γ = e/Σe divide
//     by float32 sums of K terms, each rounding adds up to ε);
//     dμ:     |g|·(2E + 16ε) (a product of γ, z and 1/σ, each relative);
//     dlogσ:  |s|·γ·(2E·|1−z²| + 16ε·(1+z²)) (1−z² cancels near |z| = 1).
//     A wrong term, lane or column gives errors of order 1 relative, far
//     above these bounds for the moderate inputs of the sweep (M ≈ 10–200).
//   - Central finite differences of the float64 oracle, step
//     h = 1e-6·max(1,|x|): truncation O(h²) is below 1e-10 here and rounding
//     is about 1e-16·|nll|/h ≤ 1e-10·M; the reference gradient, rounded once
//     to float32 (6e-8 relative), must match within 1e-6·|g| + 1e-9·M.
const mixEps = 0x1p-24

// mixOracle is the float64 oracle for one row: the NLL under the numeric
// contract of MixtureNLL (1/σ = e^−max(logσ, −87), |z| ≤ 2⁶⁰),
// the gradient of the NLL, the responsibilities γ, the mixture weights π,
// z for each component and dimension, and the row magnitude M.
type mixOracle struct {
	nll        float64
	grad       []float64
	gamma, pi  []float64
	z          []float64
	magnitude  float64
	logLikeMax float64
}

func oracleRow(h, y []float64, k, d int) mixOracle {
	w := MixtureWidth(k, d)
	logits, mu, ls := h[:k], h[k:k+k*d], h[k+k*d:w]
	o := mixOracle{grad: make([]float64, w), gamma: make([]float64, k), pi: make([]float64, k), z: make([]float64, k*d)}
	m := math.Inf(-1)
	for _, v := range logits {
		m = math.Max(m, v)
	}
	var sl float64
	for _, v := range logits {
		sl += math.Exp(v - m)
	}
	lp := make([]float64, k)
	o.logLikeMax = math.Inf(-1)
	o.magnitude = 1
	for c := range k {
		lp[c] = logits[c] - m - math.Log(sl)
		mag := math.Abs(logits[c]-m) + math.Log(float64(k))
		for j := range d {
			inv := math.Exp(-math.Max(ls[c*d+j], -87))
			z := math.Max(-0x1p60, math.Min((y[j]-mu[c*d+j])*inv, 0x1p60))
			o.z[c*d+j] = z
			lp[c] += -ls[c*d+j] - 0.5*math.Log(2*math.Pi) - 0.5*z*z
			mag += math.Abs(ls[c*d+j]) + 0.5*z*z + 1
		}
		o.magnitude = math.Max(o.magnitude, 1+mag)
		o.logLikeMax = math.Max(o.logLikeMax, lp[c])
	}
	var s float64
	for c := range k {
		s += math.Exp(lp[c] - o.logLikeMax)
	}
	ll := o.logLikeMax + math.Log(s)
	o.nll = -ll
	for c := range k {
		o.gamma[c] = math.Exp(lp[c] - ll)
		o.pi[c] = math.Exp(logits[c]-m) / sl
		o.grad[c] = o.pi[c] - o.gamma[c]
		for j := range d {
			inv := math.Exp(-math.Max(ls[c*d+j], -87))
			z := o.z[c*d+j]
			o.grad[k+c*d+j] = -o.gamma[c] * z * inv
			o.grad[k+k*d+c*d+j] = o.gamma[c] * (1 - z*z)
		}
	}
	return o
}

func to64(s []float32) []float64 {
	r := make([]float64, len(s))
	for i, v := range s {
		r[i] = float64(v)
	}
	return r
}

// mixtureInputs fills head and y with moderate random values: logits in
// [−3, 3), μ ~ N(0, 2²), logσ in [−2, 1), y ~ N(0, 3²).
func mixtureInputs(r *rand.Rand, head, y []float32, k, d int) {
	w := MixtureWidth(k, d)
	for i := 0; i < len(head)/w; i++ {
		h := head[i*w : (i+1)*w]
		f32test.Uniform(r, h[:k], -3, 3)
		f32test.Normal(r, h[k:k+k*d], 2)
		f32test.Uniform(r, h[k+k*d:], -2, 1)
	}
	f32test.Normal(r, y, 3)
}

// checkMixtureRow compares one row of the kernel under test with the
// oracle within the float32 bounds stated at the top of this file.
func checkMixtureRow(t *testing.T, what string, row int, nll float32, g []float32, o mixOracle, k, d int, scale float32) {
	t.Helper()
	E := 16 * float64(d+2) * o.magnitude * mixEps
	want := max(-math.MaxFloat32, min(o.nll, math.MaxFloat32)) // saturated, as the contract says
	if diff := math.Abs(float64(nll) - want); !(diff <= E) {
		t.Fatalf("%s row %d: nll = %v, oracle %v (|Δ| = %g > %g, M = %g)", what, row, nll, o.nll, diff, E, o.magnitude)
	}
	if g == nil {
		return
	}
	s := math.Abs(float64(scale))
	for c := range k {
		want := float64(scale) * o.grad[c]
		bound := s * (2*E*o.gamma[c] + float64(16+2*k)*mixEps*(o.gamma[c]+o.pi[c]))
		if diff := math.Abs(float64(g[c]) - want); !(diff <= bound) {
			t.Fatalf("%s row %d: dlogit[%d] = %v, oracle %v (|Δ| = %g > %g)", what, row, c, g[c], want, diff, bound)
		}
		for j := range d {
			i := c*d + j
			want := float64(scale) * o.grad[k+i]
			bound := math.Abs(want)*(2*E+16*mixEps) + 1e-30
			if diff := math.Abs(float64(g[k+i]) - want); !(diff <= bound) {
				t.Fatalf("%s row %d: dμ[%d][%d] = %v, oracle %v (|Δ| = %g > %g)", what, row, c, j, g[k+i], want, diff, bound)
			}
			z := o.z[i]
			want = float64(scale) * o.grad[k+k*d+i]
			bound = s*o.gamma[c]*(2*E*math.Abs(1-z*z)+16*mixEps*(1+z*z)) + 1e-30
			if diff := math.Abs(float64(g[k+k*d+i]) - want); !(diff <= bound) {
				t.Fatalf("%s row %d: dlogσ[%d][%d] = %v, oracle %v (|Δ| = %g > %g)", what, row, c, j, g[k+k*d+i], want, diff, bound)
			}
		}
	}
}

// mixtureShapes are the (K, D) of the tests: {1,2,3,5,8,20}×{1,2,4}; rows
// of 48 head values and of 16 and 17 dimensions (the AVX-512 kernel
// transposes head and y rows 16 columns at a time: a multiple of 16, and
// one more); and two wider mixtures that take the other code paths (the
// reference without row buffers, the assembly with a pooled scratch).
var mixtureShapes = func() (s [][2]int) {
	for _, k := range []int{1, 2, 3, 5, 8, 20} {
		for _, d := range []int{1, 2, 4} {
			s = append(s, [2]int{k, d})
		}
	}
	return append(s, [2]int{16, 1}, [2]int{1, 16}, [2]int{3, 17}, [2]int{65, 1}, [2]int{70, 4})
}()

// TestMixtureSweep runs MixtureNLL and MixtureNLLGrad for every shape and
// every n in f32test.Lengths up to 1000, with every slice guarded and at
// varying offsets from a 32-byte boundary, and compares each row with the
// oracle (float32 bounds above) and with the reference kernels.
func TestMixtureSweep(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(1, 2))
		for _, kd := range mixtureShapes {
			k, d := kd[0], kd[1]
			w := MixtureWidth(k, d)
			for _, n := range f32test.Lengths() {
				if n > 1000 || (n > 300 && k*d > 8) || (k*d > 100 && n%8 != 1 && n != 8) {
					continue
				}
				what := fmt.Sprintf("K=%d,D=%d,n=%d", k, d, n)
				head, chk1 := f32test.Guarded(n*w, n%8)
				y, chk2 := f32test.Guarded(n*d, (n+3)%8)
				nll, chk3 := f32test.Guarded(n, (n+5)%8)
				nll2, chk4 := f32test.Guarded(n, (n+1)%8)
				dhead, chk5 := f32test.Guarded(n*w, (n+7)%8)
				mixtureInputs(r, head, y, k, d)
				scale := float32(1)
				switch {
				case n > 0 && n%2 == 1:
					scale = 1 / float32(n)
				case n%4 == 2:
					scale = -2.5 // |scale| > 1 takes the clamped gradient loop
				}
				MixtureNLL(nll2, head, y, k, d)
				MixtureNLLGrad(nll, dhead, head, y, k, d, scale)
				for _, chk := range []func() error{chk1, chk2, chk3, chk4, chk5} {
					if err := chk(); err != nil {
						t.Fatalf("%s: %v", what, err)
					}
				}
				for i := range n {
					o := oracleRow(to64(head[i*w:(i+1)*w]), to64(y[i*d:(i+1)*d]), k, d)
					checkMixtureRow(t, what+" MixtureNLLGrad", i, nll[i], dhead[i*w:(i+1)*w], o, k, d, scale)
					if math.Float32bits(nll[i]) != math.Float32bits(nll2[i]) {
						t.Fatalf("%s row %d: MixtureNLL = %v, MixtureNLLGrad nll = %v (want the same bits)", what, i, nll2[i], nll[i])
					}
				}
			}
		}
	})
}

// TestMixtureReferenceOracle holds the reference kernels (the generic path
// and the yardstick of every other path) to the float64 oracle within 2 ULP.
func TestMixtureReferenceOracle(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	closeTo := func(got float32, want, floor float64) bool {
		return f32test.ULP(got, float32(want)) <= 2 || math.Abs(float64(got)-want) <= 1e-9*floor
	}
	for _, kd := range mixtureShapes {
		k, d := kd[0], kd[1]
		w, n := MixtureWidth(k, d), 50
		head, y := make([]float32, n*w), make([]float32, n*d)
		nll, dhead := make([]float32, n), make([]float32, n*w)
		mixtureInputs(r, head, y, k, d)
		kernels.MixtureNLLGrad(nll, dhead, head, y, k, d, 1)
		for i := range n {
			o := oracleRow(to64(head[i*w:(i+1)*w]), to64(y[i*d:(i+1)*d]), k, d)
			if !closeTo(nll[i], o.nll, o.magnitude) {
				t.Fatalf("K=%d,D=%d row %d: reference nll %v, oracle %v", k, d, i, nll[i], o.nll)
			}
			for j := range w {
				if !closeTo(dhead[i*w+j], o.grad[j], o.magnitude) {
					t.Fatalf("K=%d,D=%d row %d: reference dhead[%d] %v, oracle %v", k, d, i, j, dhead[i*w+j], o.grad[j])
				}
			}
		}
	}
}

// TestMixtureGradFiniteDiff checks the reference gradient (and through the
// oracle bounds, every path) against central finite differences of the
// float64 oracle NLL.
func TestMixtureGradFiniteDiff(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, kd := range mixtureShapes {
		k, d := kd[0], kd[1]
		w, n := MixtureWidth(k, d), 9
		head, y := make([]float32, n*w), make([]float32, n*d)
		mixtureInputs(r, head, y, k, d)
		t.Run(fmt.Sprintf("K=%d,D=%d", k, d), func(t *testing.T) {
			nll, dhead := make([]float32, n), make([]float32, n*w)
			kernels.MixtureNLLGrad(nll, dhead, head, y, k, d, 1)
			for i := range n {
				h, yi := to64(head[i*w:(i+1)*w]), to64(y[i*d:(i+1)*d])
				m := oracleRow(h, yi, k, d).magnitude
				for j := range w {
					x := h[j]
					step := 1e-6 * math.Max(1, math.Abs(x))
					h[j] = x + step
					fp := oracleRow(h, yi, k, d).nll
					h[j] = x - step
					fm := oracleRow(h, yi, k, d).nll
					h[j] = x
					fd := (fp - fm) / (2 * step)
					if got := float64(dhead[i*w+j]); !(math.Abs(got-fd) <= 1e-6*math.Abs(fd)+1e-9*m) {
						t.Fatalf("row %d: reference dhead[%d] = %v, finite difference %v", i, j, got, fd)
					}
				}
			}
			// Every path against the oracle gradient the finite differences
			// just confirmed, within its bound.
			forEachPath(t, func(t *testing.T) {
				nll2, dhead2 := make([]float32, n), make([]float32, n*w)
				MixtureNLLGrad(nll2, dhead2, head, y, k, d, 1)
				for i := range n {
					o := oracleRow(to64(head[i*w:(i+1)*w]), to64(y[i*d:(i+1)*d]), k, d)
					checkMixtureRow(t, "", i, nll2[i], dhead2[i*w:(i+1)*w], o, k, d, 1)
				}
			})
		})
	}
}

// TestMixtureExtremes feeds σ at and beyond the float32 limits, logits far
// apart and y far from μ (y − μ beyond the float32 range too): the NLL and
// the gradient must be finite on every path, and agree with the oracle
// within the stated bounds (M grows with the inputs, so the bound scales
// with them), for K=3 and K=5 with one dimension and K=2 with two (the
// assembly paths have kernels for one dimension, or for K=5 alone, beside
// their general ones).
func TestMixtureExtremes(t *testing.T) {
	logSigmas := []float32{-1e30, -math.MaxFloat32, -104, -88, -87.5, -87, -86.9, -20, 0, 20, 50, 86.9, 87, 87.5, 88, 95, 104, 1e30, math.MaxFloat32}
	logitSets := [][]float32{{0, 0, 0}, {1e4, 0, -1e4}, {-1e4, 2e4, 0}, {1e30, -1e30, 0}, {math.MaxFloat32, -math.MaxFloat32, 0}}
	ys := []float32{0, 1, -1e4, 1e30, -1e30, 0x1p127, math.MaxFloat32, -math.MaxFloat32}
	for _, kd := range [][2]int{{3, 1}, {5, 1}, {2, 2}} {
		k, d := kd[0], kd[1]
		w := MixtureWidth(k, d)
		var head, y []float32
		for _, ls := range logSigmas {
			for _, lg := range logitSets {
				for _, yv := range ys {
					// Component c has μ (0, y/2, −y, y, −y/2)[c mod 5] and
					// logσ (ls, 0, −ls, ls/2, 1)[c mod 5] in every dimension;
					// dimension j has y/2^j.
					mus := []float32{0, yv / 2, -yv, yv, -yv / 2}
					lss := []float32{ls, 0, -ls, ls / 2, 1}
					row := make([]float32, w)
					for c := range k {
						row[c] = lg[c%len(lg)]
						for j := range d {
							row[k+c*d+j] = mus[c%5]
							row[k+k*d+c*d+j] = lss[c%5]
						}
					}
					head = append(head, row...)
					for j := range d {
						y = append(y, yv/float32(int(1)<<j))
					}
				}
			}
		}
		n := len(y) / d
		t.Run(fmt.Sprintf("K=%d,D=%d", k, d), func(t *testing.T) {
			forEachPath(t, func(t *testing.T) {
				// Scales beyond 1 are held to finiteness only: the accuracy
				// bounds hold for |scale| ≤ 1 (see MixtureNLLGrad).
				for _, scale := range []float32{1, 1 / float32(n), 4, -1e30, math.MaxFloat32} {
					nll, dhead := make([]float32, n), make([]float32, n*w)
					MixtureNLLGrad(nll, dhead, head, y, k, d, scale)
					for i := range n {
						h, yi := head[i*w:(i+1)*w], y[i*d:(i+1)*d]
						if math.IsNaN(float64(nll[i])) || math.IsInf(float64(nll[i]), 0) {
							t.Fatalf("row %d %v y=%v: nll = %v", i, h, yi, nll[i])
						}
						for j, g := range dhead[i*w : (i+1)*w] {
							if math.IsNaN(float64(g)) || math.IsInf(float64(g), 0) {
								t.Fatalf("row %d %v y=%v scale=%v: dhead[%d] = %v", i, h, yi, scale, j, g)
							}
						}
						if math.Abs(float64(scale)) > 1 {
							continue
						}
						o := oracleRow(to64(h), to64(yi), k, d)
						if math.Abs(o.logLikeMax) > math.MaxFloat32 && cpufeat.Path() != cpufeat.Generic {
							continue // float32 paths: no accuracy promised (see MixtureNLL)
						}
						checkMixtureRow(t, fmt.Sprintf("%v y=%v", h, yi), i, nll[i], dhead[i*w:(i+1)*w], o, k, d, scale)
					}
				}
			})
		})
	}
}

// TestMixtureNaN puts a NaN in each position of one row: that row's nll
// and gradient must be NaN, the other rows unchanged.
func TestMixtureNaN(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(7, 8))
		for _, kd := range [][2]int{{5, 1}, {3, 2}, {20, 4}} {
			k, d := kd[0], kd[1]
			w, n := MixtureWidth(k, d), 37
			head, y := make([]float32, n*w), make([]float32, n*d)
			mixtureInputs(r, head, y, k, d)
			nll0, dhead0 := make([]float32, n), make([]float32, n*w)
			MixtureNLLGrad(nll0, dhead0, head, y, k, d, 0.5)
			nll, dhead := make([]float32, n), make([]float32, n*w)
			for _, bad := range []int{2, 17, 36} {
				for pos := 0; pos < w+d; pos++ {
					h2, y2 := append([]float32{}, head...), append([]float32{}, y...)
					if pos < w {
						h2[bad*w+pos] = float32(math.NaN())
					} else {
						y2[bad*d+pos-w] = float32(math.NaN())
					}
					MixtureNLLGrad(nll, dhead, h2, y2, k, d, 0.5)
					for i := range n {
						for j := -1; j < w; j++ {
							got, want := nll[i], nll0[i]
							if j >= 0 {
								got, want = dhead[i*w+j], dhead0[i*w+j]
							}
							if i == bad && got == got {
								t.Fatalf("K=%d,D=%d NaN at %d of row %d: element %d = %v, want NaN", k, d, pos, bad, j, got)
							}
							if i != bad && math.Float32bits(got) != math.Float32bits(want) {
								t.Fatalf("K=%d,D=%d NaN at %d of row %d: row %d element %d = %v, want %v", k, d, pos, bad, i, j, got, want)
							}
						}
					}
				}
			}
		}
	})
}

// TestMixtureNoAlloc checks that the kernels allocate nothing per call.
// (Mixtures wider than the 32 KiB stack scratch, beyond K=50 at D=4 for 8
// rows or more and K=26 at D=4 for fewer on the avx2fma path, and beyond
// K=42 at D=4 on the avx512 path, take a pooled buffer, which a garbage
// collection may drop, and which the race detector's sync.Pool drops at
// random; they are left out.)
func TestMixtureNoAlloc(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		for _, kd := range [][2]int{{5, 1}, {20, 1}, {20, 4}, {26, 4}, {3, 2}} {
			for _, n := range []int{3, 1000} {
				k, d := kd[0], kd[1]
				w := MixtureWidth(k, d)
				head, y := make([]float32, n*w), make([]float32, n*d)
				nll, dhead := make([]float32, n), make([]float32, n*w)
				MixtureNLLGrad(nll, dhead, head, y, k, d, 1) // first call may size a buffer
				if a := testing.AllocsPerRun(5, func() { MixtureNLLGrad(nll, dhead, head, y, k, d, 1) }); a != 0 {
					t.Fatalf("K=%d,D=%d,n=%d: %v allocations per call", k, d, n, a)
				}
			}
		}
	})
}

func benchMixture(b *testing.B, grad bool) {
	for _, c := range []struct{ k, d, rows int }{{5, 1, 1000}, {20, 1, 1000}, {20, 4, 1000}, {20, 4, 10000}} {
		w := MixtureWidth(c.k, c.d)
		r := rand.New(rand.NewPCG(9, 10))
		head, y := make([]float32, c.rows*w), make([]float32, c.rows*c.d)
		mixtureInputs(r, head, y, c.k, c.d)
		nll, dhead := make([]float32, c.rows), make([]float32, c.rows*w)
		run := func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if grad {
					MixtureNLLGrad(nll, dhead, head, y, c.k, c.d, 1/float32(c.rows))
				} else {
					MixtureNLL(nll, head, y, c.k, c.d)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*c.rows*c.k), "ns/rowcomp")
		}
		benchEachPath(b, fmt.Sprintf("size=%dx%dx%d", c.rows, c.k, c.d), func(b *testing.B, _ string) { run(b) })
	}
}

// BenchmarkMixtureNLLGrad: sizes are rows×K×D; ns/rowcomp is the time per
// row and component.
func BenchmarkMixtureNLLGrad(b *testing.B) { benchMixture(b, true) }

// BenchmarkMixtureNLL is the forward pass alone.
func BenchmarkMixtureNLL(b *testing.B) { benchMixture(b, false) }
