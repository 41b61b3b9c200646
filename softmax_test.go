package mdnsimd

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/mdnsimd/mdnsimd/internal/f32test"
	"github.com/mdnsimd/mdnsimd/kernels"
)

// Softmax element bound against float64: e^(x−m) ≤ 1 ULP, the float32 row
// sum s with n terms in 8 partial sums (≤ (n/8+4)·u relative), 1/s and the
// product (½ ULP each). Row sums: within that of 1.
func softmaxTol(cols int) float64 { return float64(cols/8+8) * 0x1p-24 }

// softmaxOracle returns the float64 result and, per element, |x − m|, whose
// float32 rounding (½ ULP of x − m, relative error |x − m|·2⁻²⁴ after e^)
// the kernels cannot avoid.
func softmaxOracle(x []float32, rows, cols int, log bool) (out, arg []float64) {
	out, arg = make([]float64, len(x)), make([]float64, len(x))
	for r := 0; r < rows; r++ {
		row := x[r*cols : (r+1)*cols]
		m := math.Inf(-1)
		for _, v := range row {
			m = math.Max(m, float64(v))
		}
		var s float64
		for _, v := range row {
			s += math.Exp(float64(v) - m)
		}
		for j, v := range row {
			arg[r*cols+j] = math.Abs(float64(v) - m)
			if log {
				out[r*cols+j] = float64(v) - m - math.Log(s)
			} else {
				out[r*cols+j] = math.Exp(float64(v)-m) / s
			}
		}
	}
	return out, arg
}

type rowKernel struct {
	name string
	f    func(dst, x []float32, rows, cols int)
	twin func(dst, x []float32, rows, cols int)
	log  bool
}

var rowKernels = []rowKernel{
	{"Softmax", Softmax, kernels.Softmax, false},
	{"LogSoftmax", LogSoftmax, kernels.LogSoftmax, true},
}

func TestSoftmaxRows(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(7, 8))
		for _, k := range rowKernels {
			for _, cols := range f32test.Lengths() {
				rowsList := []int{1, 3}
				if cols <= 16 {
					rowsList = append(rowsList, 37) // blocks of rows processed together
				}
				for _, rows := range rowsList {
					for _, off := range offsetsFor(cols) {
						n := rows * cols
						x, checkX := f32test.Guarded(n, off)
						dst, checkD := f32test.Guarded(n, (off+5)%8)
						f32test.Normal(r, x, []float32{1, 10, 100}[r.IntN(3)])
						if n > 0 && r.IntN(2) == 0 {
							x[r.IntN(n)] = float32(math.Inf(-1))
						}
						orig := append([]float32(nil), x...)
						want, arg := softmaxOracle(orig, rows, cols, k.log)
						twin := make([]float32, n)
						k.twin(twin, orig, rows, cols)
						what := fmt.Sprintf("%s rows=%d cols=%d off=%d", k.name, rows, cols, off)
						k.f(dst, x, rows, cols)
						checkRows(t, what, dst, twin, want, arg, rows, cols, k.log)
						k.f(x, x, rows, cols)
						checkRows(t, what+" in place", x, twin, want, arg, rows, cols, k.log)
						for _, c := range []func() error{checkX, checkD} {
							if err := c(); err != nil {
								t.Fatalf("%s: %v", what, err)
							}
						}
					}
				}
			}
		}
	})
}

func checkRows(t *testing.T, what string, got, twin []float32, want, arg []float64, rows, cols int, log bool) {
	t.Helper()
	tol := softmaxTol(cols)
	for i, w := range want {
		if log {
			// Absolute error: that of x − m (½ ULP) plus that of log s.
			if !f32test.Close(got[i], float32(w), 2, tol, 1) {
				t.Fatalf("%s: [%d] = %g, want %g", what, i, got[i], w)
			}
		} else if e, b := math.Abs(float64(got[i])-w), (tol+arg[i]*0x1p-24)*w+0x1p-149; e > b {
			t.Fatalf("%s: [%d] = %g, want %g (err %.3g > %.3g)", what, i, got[i], w, e, b)
		}
		floor := 1e-30 // relative for Softmax, absolute below 1 for LogSoftmax
		if log {
			floor = 1
		}
		if !f32test.Close(got[i], twin[i], 2, tol, floor) {
			t.Fatalf("%s: [%d] = %g, kernels gives %g", what, i, got[i], twin[i])
		}
	}
	if log || cols == 0 {
		return
	}
	for r := 0; r < rows; r++ {
		var s float64
		for _, v := range got[r*cols : (r+1)*cols] {
			s += float64(v)
		}
		if math.Abs(s-1) > tol {
			t.Fatalf("%s: row %d sums to 1%+.3g (> %.3g)", what, r, s-1, tol)
		}
	}
}

// TestSoftmaxSpecialRows: a row with NaN or +Inf, or all −Inf, is NaN; the
// other rows are untouched by it. 37 rows put the bad row in a block of
// several rows processed together where the path has one.
func TestSoftmaxSpecialRows(t *testing.T) {
	inf, nan := float32(math.Inf(1)), float32(math.NaN())
	forEachPath(t, func(t *testing.T) {
		for _, k := range rowKernels {
			for _, cols := range []int{1, 3, 4, 5, 8, 9, 16, 17, 23, 32, 33, 40, 47, 64} {
				for _, sh := range []struct{ rows, bad int }{{3, 1}, {37, 17}, {37, 34}} {
					for _, bad := range []string{"nan", "+inf", "all-inf"} {
						for pos := 0; pos < cols; pos++ {
							x := make([]float32, sh.rows*cols)
							for i := range x {
								x[i] = float32(i%7) - 3
							}
							row := x[sh.bad*cols : (sh.bad+1)*cols]
							switch bad {
							case "nan":
								row[pos] = nan
							case "+inf":
								row[pos] = inf
							case "all-inf":
								for j := range row {
									row[j] = -inf
								}
							}
							dst := make([]float32, len(x))
							k.f(dst, x, sh.rows, cols)
							for i, v := range dst {
								if r := i / cols; (r == sh.bad) != (v != v) {
									t.Fatalf("%s rows=%d cols=%d %s in row %d at %d: row %d [%d] = %g", k.name, sh.rows, cols, bad, sh.bad, pos, r, i%cols, v)
								}
							}
						}
					}
				}
			}
			// −Inf elements in a finite row give 0 (Softmax) and −Inf (LogSoftmax).
			x := []float32{-inf, 2, -inf, -inf, 1, -inf, -inf, -inf, -inf}
			dst := make([]float32, len(x))
			k.f(dst, x, 1, len(x))
			want := float32(0)
			if k.log {
				want = -inf
			}
			if dst[0] != want || dst[8] != want {
				t.Fatalf("%s: −Inf element gave %g, %g, want %g", k.name, dst[0], dst[8], want)
			}
		}
	})
}

// TestSoftmaxInPlaceBits holds in place to the bits out of place gives, on
// every path, for every width to 70 (the AVX-512 short-row groups of 4, 8
// and 16 lanes, the AVX2 and AVX-512 tails of every length) and row counts
// around the four-block steps of the short-row kernel; special values mixed
// in. The kernels store a row's tail, and load the next blocks early, so
// that in place runs as fast as out of place: a store past a row's end
// would overwrite the next row's input before it is read.
func TestSoftmaxInPlaceBits(t *testing.T) {
	special := []float32{float32(math.Inf(-1)), float32(math.Inf(1)), float32(math.NaN()), 0, float32(math.Copysign(0, -1)), -1e38, 1e38}
	forEachPath(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(9, 10))
		for _, k := range rowKernels {
			for cols := 1; cols <= 70; cols++ {
				for _, rows := range []int{1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 17, 37} {
					n := rows * cols
					x, checkX := f32test.Guarded(n, r.IntN(8))
					f32test.Normal(r, x, 10)
					if r.IntN(3) == 0 {
						x[r.IntN(n)] = special[r.IntN(len(special))]
					}
					dst := make([]float32, n)
					k.f(dst, x, rows, cols)
					k.f(x, x, rows, cols)
					for i := range dst {
						if math.Float32bits(x[i]) != math.Float32bits(dst[i]) {
							t.Fatalf("%s rows=%d cols=%d: in place [%d] = %g (%#x), out of place %g (%#x)",
								k.name, rows, cols, i, x[i], math.Float32bits(x[i]), dst[i], math.Float32bits(dst[i]))
						}
					}
					if err := checkX(); err != nil {
						t.Fatalf("%s rows=%d cols=%d in place: %v", k.name, rows, cols, err)
					}
				}
			}
		}
	})
}

func TestSoftmaxNoAlloc(t *testing.T) {
	// 300 rows: int values above 255 would allocate if boxed into an interface.
	x, dst := make([]float32, 300*37), make([]float32, 300*37)
	forEachPath(t, func(t *testing.T) {
		if a := testing.AllocsPerRun(20, func() { Softmax(dst, x, 300, 37); LogSoftmax(dst, x, 300, 37) }); a != 0 {
			t.Fatalf("%v allocations per call", a)
		}
		// Rows of at most 8 (the AVX2 column kernel's scratch).
		if a := testing.AllocsPerRun(20, func() { Softmax(dst[:1500], x[:1500], 300, 5); LogSoftmax(dst[:1500], x[:1500], 300, 5) }); a != 0 {
			t.Fatalf("%v allocations per call, 5 columns", a)
		}
	})
}

func BenchmarkSoftmax(b *testing.B) {
	for _, sh := range []struct{ rows, cols int }{{1, 4096}, {1000, 5}, {256, 64}} {
		n := sh.rows * sh.cols
		x, dst := make([]float32, n), make([]float32, n)
		f32test.Normal(rand.New(rand.NewPCG(1, 1)), x, 3)
		benchVec(b, fmt.Sprintf("%dx%d", sh.rows, sh.cols), n, func() { Softmax(dst, x, sh.rows, sh.cols) })
	}
}

func BenchmarkLogSoftmax(b *testing.B) {
	for _, sh := range []struct{ rows, cols int }{{1, 4096}, {1000, 5}} {
		n := sh.rows * sh.cols
		x, dst := make([]float32, n), make([]float32, n)
		f32test.Normal(rand.New(rand.NewPCG(1, 1)), x, 3)
		benchVec(b, fmt.Sprintf("%dx%d", sh.rows, sh.cols), n, func() { LogSoftmax(dst, x, sh.rows, sh.cols) })
	}
}

// BenchmarkSoftmaxInPlace times Softmax and LogSoftmax with dst = x
// (dst=x) beside a separate dst (dst=other) on rows narrower than a vector
// and rows with a tail: the seed's 1000×5 logits, 1000×12 and the wide
// model's K = 20. Repeated in place, each call takes the last one's output,
// which the softmax maps to itself or to values of the same range.
func BenchmarkSoftmaxInPlace(b *testing.B) {
	for _, k := range rowKernels {
		for _, sh := range []struct{ rows, cols int }{{1000, 5}, {1000, 12}, {1000, 20}} {
			n := sh.rows * sh.cols
			x, dst := make([]float32, n), make([]float32, n)
			f32test.Normal(rand.New(rand.NewPCG(1, 1)), x, 3)
			k.f(x, x, sh.rows, sh.cols)
			size := fmt.Sprintf("%dx%d/kernel=%s", sh.rows, sh.cols, k.name)
			benchVec(b, size+"/dst=x", n, func() { k.f(x, x, sh.rows, sh.cols) })
			benchVec(b, size+"/dst=other", n, func() { k.f(dst, x, sh.rows, sh.cols) })
		}
	}
}
