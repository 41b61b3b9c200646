//go:build !purego

package mdnsimd

import (
	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/mdnsimd/mdnsimd/internal/f32test"
	"github.com/mdnsimd/mdnsimd/kernels"
)

// TestLogAVX2 and TestLogAVX512 check LOG_AVX2 and LOG_AVX512 (used by the
// mixture kernels, not exported on their own) against kernels.Log32 and
// float64 math.Log, with special values in every lane, every length 0..70
// and larger, and guards around the slices.
func TestLogAVX2(t *testing.T) {
	if !cpufeat.HasAVX2FMA {
		t.Skip("no AVX2+FMA on this CPU: logAVX2 was not run")
	}
	testLogKernel(t, logAVX2)
}

func TestLogAVX512(t *testing.T) {
	needAVX512(t)
	testLogKernel(t, logAVX512)
}

func testLogKernel(t *testing.T, logKernel func(dst, x []float32)) {
	r := rand.New(rand.NewPCG(21, 22))
	inf := float32(math.Inf(1))
	specials := []float32{0, float32(math.Copysign(0, -1)), -1, inf, -inf, float32(math.NaN()), 1,
		0x1p-149, 0x1p-127, 0x1.fffffep-127, 0x1p-126, math.MaxFloat32, 0.70710677, 0.7071068, 1.4142135}
	for _, n := range f32test.Lengths() {
		for _, off := range offsetsFor(n) {
			x, checkX := f32test.Guarded(n, off)
			dst, checkD := f32test.Guarded(n, (off+1)%8)
			for i := range x {
				switch r.IntN(4) {
				case 0:
					x[i] = math.Float32frombits(r.Uint32())
				case 1:
					x[i] = float32(r.Float64() * 3)
				case 2:
					x[i] = float32(r.ExpFloat64() * 1e4)
				default:
					x[i] = specials[r.IntN(len(specials))]
				}
			}
			logKernel(dst, x)
			for i, v := range x {
				want := float32(math.Log(float64(v)))
				if f32test.ULP(dst[i], want) > 1 {
					t.Fatalf("n=%d off=%d: log(%g) = %g, want %g", n, off, v, dst[i], want)
				}
				if f32test.ULP(dst[i], kernels.Log32(v)) > twinULP {
					t.Fatalf("n=%d off=%d: log(%g) = %g, kernels gives %g", n, off, v, dst[i], kernels.Log32(v))
				}
				if math.IsInf(float64(want), -1) && math.Float32bits(dst[i]) != math.Float32bits(want) {
					t.Fatalf("log(%g) = %g, want −Inf", v, dst[i])
				}
			}
			for _, c := range []func() error{checkX, checkD} {
				if err := c(); err != nil {
					t.Fatalf("n=%d off=%d: %v", n, off, err)
				}
			}
		}
	}
}
