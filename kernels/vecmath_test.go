package kernels

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/mdnsimd/mdnsimd/internal/f32test"
)

// Bounds against float64 math rounded to float32. cmd/ulpsweep proves the
// Exp32 and Tanh32 bounds over all 2³² inputs; these tests sample densely.
const (
	expBound  = 1
	tanhBound = 2
	logBound  = 1
)

// sampleInputs returns every 2039th bit pattern (all signs, exponents and
// mantissa patterns, ~2.1M values), plus dense random values in the ranges
// where the algorithms switch branch, plus the specials.
func sampleInputs() []float32 {
	var xs []float32
	for u := uint64(0); u < 1<<32; u += 2039 {
		xs = append(xs, math.Float32frombits(uint32(u)))
	}
	r := rand.New(rand.NewPCG(11, 12))
	for range 1 << 18 {
		xs = append(xs,
			float32(r.Float64()*2-1)*0.75,          // tanh: n = 0, 1, 2 of the reduction
			float32(r.Float64()*24-12),             // tanh saturation
			float32(r.Float64()*200-110),           // exp over/underflow, subnormal results
			float32(r.Float64()*2+0.5),             // log near 1
			math.Float32frombits(r.Uint32()>>9<<9)) // short mantissas
	}
	return append(xs, f32test.Specials...)
}

func TestScalarAccuracy(t *testing.T) {
	xs := sampleInputs()
	for _, c := range []struct {
		name  string
		f     func(float32) float32
		exact func(float64) float64
		bound uint32
	}{
		{"Exp32", Exp32, math.Exp, expBound},
		{"Tanh32", Tanh32, math.Tanh, tanhBound},
		{"Log32", Log32, math.Log, logBound},
	} {
		var worst uint32
		var at float32
		for _, x := range xs {
			want := float32(c.exact(float64(x)))
			got := c.f(x)
			if u := f32test.ULP(got, want); u > worst {
				worst, at = u, x
			}
		}
		t.Logf("%s: max %d ULP at %g over %d inputs", c.name, worst, at, len(xs))
		if worst > c.bound {
			t.Errorf("%s: %d ULP at %g (0x%08x): got %g, want %g", c.name, worst, at, math.Float32bits(at),
				c.f(at), float32(c.exact(float64(at))))
		}
	}
}

func TestScalarSpecials(t *testing.T) {
	inf, nan := float32(math.Inf(1)), float32(math.NaN())
	negZero := float32(math.Copysign(0, -1))
	for _, c := range []struct {
		name    string
		f       func(float32) float32
		in, out float32
	}{
		{"Exp32", Exp32, inf, inf}, {"Exp32", Exp32, -inf, 0}, {"Exp32", Exp32, nan, nan},
		{"Exp32", Exp32, 0, 1}, {"Exp32", Exp32, negZero, 1}, {"Exp32", Exp32, 88.72284, inf},
		{"Exp32", Exp32, 88.72283, 0x1.ffff08p+127}, {"Exp32", Exp32, -103.97, 0x1p-149},
		{"Exp32", Exp32, -104, 0}, {"Exp32", Exp32, -100, 0x1.bp-145}, {"Exp32", Exp32, 1, 0x1.5bf0a8p+1},
		{"Tanh32", Tanh32, inf, 1}, {"Tanh32", Tanh32, -inf, -1}, {"Tanh32", Tanh32, nan, nan},
		{"Tanh32", Tanh32, 0, 0}, {"Tanh32", Tanh32, negZero, negZero}, {"Tanh32", Tanh32, 9.1, 1},
		{"Tanh32", Tanh32, -1e30, -1}, {"Tanh32", Tanh32, 0x1p-149, 0x1p-149},
		{"Log32", Log32, inf, inf}, {"Log32", Log32, -inf, nan}, {"Log32", Log32, nan, nan},
		{"Log32", Log32, 0, -inf}, {"Log32", Log32, negZero, -inf}, {"Log32", Log32, -1, nan},
		{"Log32", Log32, 1, 0}, {"Log32", Log32, 0x1p-149, -0x1.9d1dap+6},
		{"Log32", Log32, math.MaxFloat32, 0x1.62e43p+6},
	} {
		got := c.f(c.in)
		if math.Float32bits(got) != math.Float32bits(c.out) && !(got != got && c.out != c.out) {
			t.Errorf("%s(%g) = %g (0x%08x), want %g (0x%08x)", c.name, c.in, got, math.Float32bits(got),
				c.out, math.Float32bits(c.out))
		}
	}
}

func TestSliceKernels(t *testing.T) {
	xs := sampleInputs()[:5000]
	dst := make([]float32, len(xs))
	Exp(dst, xs)
	for i, x := range xs {
		if math.Float32bits(dst[i]) != math.Float32bits(Exp32(x)) {
			t.Fatalf("Exp[%d] = %g, Exp32 = %g", i, dst[i], Exp32(x))
		}
	}
	Tanh(dst, xs)
	for i, x := range xs {
		if math.Float32bits(dst[i]) != math.Float32bits(Tanh32(x)) {
			t.Fatalf("Tanh[%d] = %g, Tanh32 = %g", i, dst[i], Tanh32(x))
		}
	}
}
