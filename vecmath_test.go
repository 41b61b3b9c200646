package mdnsimd

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/mdnsimd/mdnsimd/internal/f32test"
	"github.com/mdnsimd/mdnsimd/kernels"
)

// Accuracy bounds against float64 math rounded to float32 (the exhaustive
// proof is cmd/ulpsweep; these tests sample). Against the pure-Go twins the
// assembly may differ by 1 ULP (the twins emulate a float32 FMA through
// float64, which can round differently on a midpoint).
const (
	expULP   = 1
	tanhULP  = 2
	twinULP  = 1
	sumRelTo = 1e-6 // LogSumExp: |got − want| ≤ sumRelTo·max(|want|, 1) or 4 ULP
)

// vecInput fills x with a mix that reaches every branch of exp and tanh:
// small, medium and huge magnitudes, the subnormal-result range of exp,
// both sides of the tanh threshold, and the special values.
func vecInput(r *rand.Rand, x []float32) {
	for i := range x {
		switch r.IntN(6) {
		case 0:
			x[i] = math.Float32frombits(r.Uint32())
		case 1:
			x[i] = float32(r.Float64()*2 - 1)
		case 2:
			x[i] = float32(r.Float64()*24 - 12)
		case 3:
			x[i] = float32(r.Float64()*200 - 110)
		case 4:
			x[i] = float32(r.Float64()*1.4 - 0.7)
		default:
			x[i] = f32test.Specials[r.IntN(len(f32test.Specials))]
		}
	}
}

type unary struct {
	name  string
	f     func(dst, x []float32)
	twin  func(float32) float32
	exact func(float64) float64
	ulp   uint32
}

var unaries = []unary{
	{"Tanh", Tanh, kernels.Tanh32, math.Tanh, tanhULP},
	{"Exp", Exp, kernels.Exp32, math.Exp, expULP},
}

func offsetsFor(n int) []int {
	if n <= 70 {
		return []int{0, 1, 2, 3, 4, 5, 6, 7}
	}
	return []int{0, 3, 5}
}

func TestUnaryKernels(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(3, 4))
		for _, u := range unaries {
			for _, n := range f32test.Lengths() {
				for _, off := range offsetsFor(n) {
					x, checkX := f32test.Guarded(n, off)
					dst, checkD := f32test.Guarded(n, (off+3)%8)
					vecInput(r, x)
					orig := append([]float32(nil), x...)
					u.f(dst, x)
					checkUnary(t, u, fmt.Sprintf("n=%d off=%d", n, off), dst, orig)
					for i := range x {
						if math.Float32bits(x[i]) != math.Float32bits(orig[i]) {
							t.Fatalf("%s n=%d: x[%d] changed", u.name, n, i)
						}
					}
					// In place.
					u.f(x, x)
					checkUnary(t, u, fmt.Sprintf("in place n=%d off=%d", n, off), x, orig)
					for _, c := range []func() error{checkX, checkD} {
						if err := c(); err != nil {
							t.Fatalf("%s n=%d off=%d: %v", u.name, n, off, err)
						}
					}
				}
			}
		}
	})
}

func checkUnary(t *testing.T, u unary, what string, got, x []float32) {
	t.Helper()
	for i, v := range x {
		want := float32(u.exact(float64(v)))
		if d := f32test.ULP(got[i], want); d > u.ulp {
			t.Fatalf("%s %s: %s(%g) = %g (0x%08x), want %g: %d ULP > %d", u.name, what, u.name, v, got[i],
				math.Float32bits(got[i]), want, d, u.ulp)
		}
		if d := f32test.ULP(got[i], u.twin(v)); d > twinULP {
			t.Fatalf("%s %s: %s(%g) = %g, kernels gives %g: %d ULP", u.name, what, u.name, v, got[i], u.twin(v), d)
		}
	}
}

// TestUnarySpecials checks the documented special values bit for bit.
func TestUnarySpecials(t *testing.T) {
	inf, nan := float32(math.Inf(1)), float32(math.NaN())
	negZero := float32(math.Copysign(0, -1))
	cases := []struct {
		f       func(dst, x []float32)
		name    string
		in, out float32
	}{
		{Exp, "Exp", inf, inf}, {Exp, "Exp", -inf, 0}, {Exp, "Exp", nan, nan}, {Exp, "Exp", 0, 1},
		{Exp, "Exp", negZero, 1}, {Exp, "Exp", 88.72284, inf}, {Exp, "Exp", 89, inf}, {Exp, "Exp", 1e30, inf},
		{Exp, "Exp", -104, 0}, {Exp, "Exp", -1e30, 0}, {Exp, "Exp", -103.97, 0x1p-149},
		{Exp, "Exp", 88.72283, 0x1.ffff08p+127}, {Exp, "Exp", -87.33654, 0x1.00004cp-126},
		{Exp, "Exp", -100, 0x1.bp-145}, {Exp, "Exp", -90, 0x1.1d85p-130},
		{Tanh, "Tanh", inf, 1}, {Tanh, "Tanh", -inf, -1}, {Tanh, "Tanh", nan, nan}, {Tanh, "Tanh", 0, 0},
		{Tanh, "Tanh", negZero, negZero}, {Tanh, "Tanh", 10, 1}, {Tanh, "Tanh", -9.1, -1},
		{Tanh, "Tanh", 1e-30, 1e-30}, {Tanh, "Tanh", -0x1p-149, -0x1p-149},
	}
	forEachPath(t, func(t *testing.T) {
		for _, c := range cases {
			// Every position of a 19-element vector, so each lane of the main
			// loop, the single-vector step and the masked tail sees the value.
			for pos := 0; pos < 19; pos++ {
				x := make([]float32, 19)
				x[pos] = c.in
				dst := make([]float32, 19)
				c.f(dst, x)
				got := dst[pos]
				if math.Float32bits(got) != math.Float32bits(c.out) && !(got != got && c.out != c.out) {
					t.Fatalf("%s(%g) at %d = %g (0x%08x), want %g (0x%08x)", c.name, c.in, pos, got,
						math.Float32bits(got), c.out, math.Float32bits(c.out))
				}
			}
		}
	})
}

func lseOracle(x []float32) float64 {
	m := math.Inf(-1)
	for _, v := range x {
		m = math.Max(m, float64(v))
	}
	if math.IsInf(m, 0) || m != m {
		return m
	}
	var s float64
	for _, v := range x {
		s += math.Exp(float64(v) - m)
	}
	return m + math.Log(s)
}

func TestLogSumExp(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(5, 6))
		for _, n := range f32test.Lengths() {
			for _, off := range offsetsFor(n) {
				for _, scale := range []float32{1, 30, 1e4, 1e30} {
					x, check := f32test.Guarded(n, off)
					f32test.Normal(r, x, scale)
					if n > 0 && r.IntN(3) == 0 {
						x[r.IntN(n)] = float32(math.Inf(-1))
					}
					got := LogSumExp(x)
					want := float32(lseOracle(x))
					if !f32test.Close(got, want, 4, sumRelTo, 1) {
						t.Fatalf("n=%d off=%d scale=%g: LogSumExp = %g, want %g", n, off, scale, got, want)
					}
					if w := kernels.LogSumExp(x); !f32test.Close(got, w, 4, sumRelTo, 1) {
						t.Fatalf("n=%d off=%d: LogSumExp = %g, kernels gives %g", n, off, got, w)
					}
					if err := check(); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
		// Special values, each at every position of vectors that exercise the
		// main loop, the single-vector step and the masked tail.
		inf, nan := float32(math.Inf(1)), float32(math.NaN())
		for _, n := range []int{1, 7, 8, 9, 16, 17, 31, 40} {
			all := func(v float32) []float32 {
				x := make([]float32, n)
				for i := range x {
					x[i] = v
				}
				return x
			}
			if got := LogSumExp(all(-inf)); !math.IsInf(float64(got), -1) {
				t.Fatalf("n=%d all −Inf: %g, want −Inf", n, got)
			}
			if got, want := LogSumExp(all(-50)), float32(-50+math.Log(float64(n))); !f32test.Close(got, want, 2, 0, 0) {
				t.Fatalf("n=%d all −50: %g, want %g", n, got, want)
			}
			for pos := 0; pos < n; pos++ {
				x := all(-3)
				x[pos] = inf
				if got := LogSumExp(x); !math.IsInf(float64(got), 1) {
					t.Fatalf("n=%d +Inf at %d: %g, want +Inf", n, pos, got)
				}
				x[(pos+1)%n] = nan
				if got := LogSumExp(x); got == got && n > 1 {
					t.Fatalf("n=%d +Inf and NaN: %g, want NaN", n, got)
				}
				x = all(-inf)
				x[pos] = nan
				if got := LogSumExp(x); got == got {
					t.Fatalf("n=%d NaN at %d: %g, want NaN", n, pos, got)
				}
				x = all(-inf)
				x[pos] = 1e38
				if got := LogSumExp(x); got != 1e38 {
					t.Fatalf("n=%d single 1e38 at %d: %g", n, pos, got)
				}
			}
		}
		if got := LogSumExp(nil); !math.IsInf(float64(got), -1) {
			t.Fatalf("empty: %g, want −Inf", got)
		}
		if got, want := LogSumExp([]float32{math.MaxFloat32, math.MaxFloat32}), float32(math.MaxFloat32); got != want {
			t.Fatalf("LogSumExp(max, max) = %g, want %g (no overflow)", got, want)
		}
	})
}

func TestVecmathNoAlloc(t *testing.T) {
	x, dst := make([]float32, 100), make([]float32, 100)
	forEachPath(t, func(t *testing.T) {
		if a := testing.AllocsPerRun(20, func() { Tanh(dst, x); Exp(dst, x); _ = LogSumExp(x) }); a != 0 {
			t.Fatalf("%v allocations per call", a)
		}
	})
}

func benchUnary(b *testing.B, f func(dst, x []float32), lo, hi float32) {
	for _, n := range []int{64, 4096} {
		x, dst := make([]float32, n), make([]float32, n)
		f32test.Uniform(rand.New(rand.NewPCG(1, 1)), x, lo, hi)
		benchVec(b, strconv.Itoa(n), n, func() { f(dst, x) })
	}
}

// benchVec runs fn, which processes n elements, as the sub-benchmarks
// size=<size>/impl=<path> on every path, reporting ns/elem.
func benchVec(b *testing.B, size string, n int, fn func()) {
	run := func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(4 * n))
		for b.Loop() {
			fn()
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/elem")
	}
	benchEachPath(b, "size="+size, func(b *testing.B, _ string) { run(b) })
}

func BenchmarkTanh(b *testing.B) { benchUnary(b, Tanh, -5, 5) }
func BenchmarkExp(b *testing.B)  { benchUnary(b, Exp, -20, 20) }

// BenchmarkExpSubnormal times Exp on inputs in [−103, −88], whose results
// are all subnormal: the AVX2 code's last product then takes a microcode
// assist on some CPUs (AMD's among them), AVX-512's VSCALEFPS does not.
func BenchmarkExpSubnormal(b *testing.B) {
	n := 1024
	x, dst := make([]float32, n), make([]float32, n)
	f32test.Uniform(rand.New(rand.NewPCG(1, 1)), x, -103, -88)
	benchVec(b, strconv.Itoa(n), n, func() { Exp(dst, x) })
}

func BenchmarkLogSumExp(b *testing.B) {
	for _, n := range []int{64, 4096} {
		x := make([]float32, n)
		f32test.Normal(rand.New(rand.NewPCG(1, 1)), x, 3)
		var sink float32
		benchVec(b, strconv.Itoa(n), n, func() { sink += LogSumExp(x) })
		_ = sink
	}
}
