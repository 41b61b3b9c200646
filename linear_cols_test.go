package mdnsimd

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"testing"

	"github.com/mdnsimd/mdnsimd/internal/f32test"
	"github.com/mdnsimd/mdnsimd/kernels"
)

// colsOf returns the rows×in matrix a stored by columns of ld lanes, the
// lanes beyond rows set to fill.
func colsOf(a []float32, rows, in, ld int, fill float32) []float32 {
	c := make([]float32, in*ld)
	for i := range c {
		c[i] = fill
	}
	for r := range rows {
		for j := range in {
			c[j*ld+r] = a[r*in+j]
		}
	}
	return c
}

// TestLinearTanhCols holds LinearTanhCols to the Go reference by rows
// (kernels.LinearTanh on the same data) within the bounds of TestLinear,
// on every path; on avx512 and avx2fma with one input, to LinearTanh's
// bits; on avx2fma, to the bits of its documented sums (the bias, then
// one fused multiply-add per input in order, modelled with math.FMA)
// followed by Tanh. The
// lanes beyond n of x hold NaN, which no result may show, and those of dst
// keep their sentinel.
func TestLinearTanhCols(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(31, 32))
		ns := append(f32test.Lengths(), 1000)
		for _, in := range []int{1, 2, 3, 5, 20} {
			for _, out := range []int{1, 3, 20} {
				for ni, n := range ns {
					if n > 1000 || (in > 3 && ni%3 != 0) {
						continue
					}
					ld := n + rng.IntN(20)
					withBias := ni%4 != 1
					what := fmt.Sprintf("n=%d in=%d out=%d ld=%d bias=%v", n, in, out, ld, withBias)
					x, w := make([]float32, n*in), make([]float32, out*in)
					f32test.Normal(rng, x, 1.5)
					f32test.Normal(rng, w, 1)
					var b []float32
					if withBias {
						b = make([]float32, out)
						f32test.Normal(rng, b, 1)
					}
					xc := colsOf(x, n, in, ld, float32(math.NaN()))
					dc := colsOf(nil, 0, out, ld, -7.25)
					LinearTanhCols(dc, xc, w, b, n, in, out, ld)
					want := make([]float32, n*out)
					kernels.LinearTanh(want, x, w, b, n, in, out)
					same := make([]float32, n*out)
					LinearTanh(same, x, w, b, n, in, out)
					chain := make([]float32, ld)
					for o := range out {
						if Impl() == "avx2fma" {
							for r := range n {
								var s float32
								if withBias {
									s = b[o]
								}
								for j := range in {
									s = float32(math.FMA(float64(x[r*in+j]), float64(w[o*in+j]), float64(s)))
								}
								chain[r] = s
							}
							Tanh(chain[:n], chain[:n])
							for r := range n {
								if math.Float32bits(dc[o*ld+r]) != math.Float32bits(chain[r]) {
									t.Fatalf("%s: row %d output %d: %v by columns, Tanh of the FMA chain %v", what, r, o, dc[o*ld+r], chain[r])
								}
							}
						}
						for r := range ld {
							got := dc[o*ld+r]
							if r >= n {
								if got != -7.25 {
									t.Fatalf("%s: dst column %d lane %d beyond n written: %v", what, o, r, got)
								}
								continue
							}
							exp := want[r*out+o]
							if (Impl() == "avx512" || Impl() == "avx2fma") && in == 1 && math.Float32bits(got) != math.Float32bits(same[r*out+o]) {
								t.Fatalf("%s: row %d output %d: %v by columns, LinearTanh %v", what, r, o, got, same[r*out+o])
							}
							s := 0.0
							if withBias {
								s = math.Abs(float64(b[o]))
							}
							for j := range in {
								s += math.Abs(float64(x[r*in+j]) * float64(w[o*in+j]))
							}
							tol := dotBound(in, s)
							if !(f32test.ULP(got, exp) <= 4 || math.Abs(float64(got)-float64(exp)) <= tol+4*ulpOf(exp)) {
								t.Fatalf("%s: row %d output %d: %v by columns, kernels gives %v (bound %.3g)", what, r, o, got, exp, tol)
							}
						}
					}
				}
			}
		}
	})
}

// TestLinearTanhColsFenced runs LinearTanhCols with x and dst against an
// inaccessible page, past their ends and before their starts, with ld = n
// so that the last column ends at the slice's end: a load or store of the
// lanes beyond n of the last column faults. The results must equal those
// on ordinary memory.
func TestLinearTanhColsFenced(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		if e := os.Getenv("MDNSIMD_EMULATED"); e == "qemu-x86_64" && Impl() != "generic" {
			// Tanh's AVX2 tail loads with VMASKMOVPS, whose masked-off
			// lanes qemu faults on and hardware does not (.ci/run says so).
			t.Skipf("MDNSIMD_EMULATED=%s: the emulator's masked loads fault where the CPU's do not", e)
		}
		if _, free := f32test.Fenced(1, false); free == nil {
			t.Skip("no fenced memory on this system")
		} else {
			free()
		}
		rng := rand.New(rand.NewPCG(33, 34))
		for _, sh := range []linShape{{1, 1, 1}, {5, 1, 3}, {17, 2, 2}, {63, 1, 20}, {100, 3, 4}, {1000, 1, 20}, {999, 2, 5}} {
			n, in, out := sh.rows, sh.in, sh.out
			x, w, b := make([]float32, in*n), make([]float32, out*in), make([]float32, out)
			f32test.Uniform(rng, x, -3, 3)
			f32test.Uniform(rng, w, -1, 1)
			f32test.Uniform(rng, b, -1, 1)
			want := make([]float32, out*n)
			LinearTanhCols(want, x, w, b, n, in, out, n)
			for _, atStart := range []bool{false, true} {
				xf, freeX := f32test.Fenced(len(x), atStart)
				df, freeD := f32test.Fenced(len(want), atStart)
				copy(xf, x)
				LinearTanhCols(df, xf, w, b, n, in, out, n)
				if !slices.Equal(df, want) {
					t.Errorf("%v fenced at start=%v: results differ from those on ordinary memory", sh, atStart)
				}
				freeX()
				freeD()
			}
		}
	})
}

func TestLinearTanhColsChecks(t *testing.T) {
	a := make([]float32, 8)
	mustPanic(t, func() { LinearTanhCols(a, a[:5], a[:2], nil, 3, 1, 2, 4) }, "mdnsimd.LinearTanhCols", "len(x) = 5, want 4")
	mustPanic(t, func() { LinearTanhCols(a[:7], a[:4], a[:2], nil, 3, 1, 2, 4) }, "mdnsimd.LinearTanhCols", "len(dst) = 7, want 8")
	mustPanic(t, func() { LinearTanhCols(a, a[:4], a[:2], a[:3], 3, 1, 2, 4) }, "mdnsimd.LinearTanhCols", "len(b) = 3, want 2 or 0")
	mustPanic(t, func() { LinearTanhCols(a, a[:4], a[:3], nil, 3, 1, 2, 4) }, "mdnsimd.LinearTanhCols", "len(w) = 3, want 2")
	mustPanic(t, func() { LinearTanhCols(a, a[:2], a[:2], nil, 3, 1, 2, 2) }, "mdnsimd.LinearTanhCols", "ld is less than")
	mustPanic(t, func() { LinearTanhCols(a, a, a, nil, 1, 1<<62, 4, 1<<62) }, "mdnsimd.LinearTanhCols", "overflows")
	mustPanic(t, func() { LinearTanhCols(a, a, a, nil, -1, 1, 1, 1) }, "mdnsimd.LinearTanhCols", "n = -1")
	forEachPath(t, func(t *testing.T) {
		// Nothing to write: no rows, or no outputs.
		LinearTanhCols(nil, nil, nil, nil, 0, 1<<40, 0, 0)
		LinearTanhCols(nil, make([]float32, 3), nil, nil, 3, 1, 0, 3)
		if a := testing.AllocsPerRun(20, func() { LinearTanhCols(a, a[:4], a[:2], a[:2], 3, 1, 2, 4) }); a != 0 {
			t.Fatalf("%v allocations per call", a)
		}
	})
}

func BenchmarkLinearTanhCols(b *testing.B) {
	for _, sh := range []linShape{{1000, 1, 20}, {1000, 3, 20}, {10000, 1, 256}} {
		n, in, out := sh.rows, sh.in, sh.out
		ld := colsLd(n)
		x, w, bias, dst := make([]float32, in*ld), make([]float32, out*in), make([]float32, out), make([]float32, out*ld)
		rng := rand.New(rand.NewPCG(1, 2))
		f32test.Uniform(rng, x, -3, 3)
		f32test.Uniform(rng, w, -1, 1)
		f32test.Uniform(rng, bias, -1, 1)
		benchEachPath(b, fmt.Sprintf("size=%dx%dx%d", n, in, out), func(b *testing.B, _ string) {
			b.ReportAllocs()
			for b.Loop() {
				LinearTanhCols(dst, x, w, bias, n, in, out, ld)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n*out), "ns/elem")
		})
	}
}

// colsLd is the trainer's lanes per column for n rows (mdn's colLd).
func colsLd(n int) int {
	ld := (n + 15) &^ 15
	if ld%512 == 0 {
		ld += 16
	}
	return ld
}
