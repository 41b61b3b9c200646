//go:build !purego

package mdn

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
)

// TestExp64AVX2 holds the density kernel's exponential to math.Exp's
// bits: special values, the ends of the range (the overflow threshold,
// the subnormal results, the last nonzero one), integers and their
// neighbours, and a million random arguments spread over the whole range
// and concentrated on the density's (−½·z², z up to 40).
func TestExp64AVX2(t *testing.T) {
	if !cpufeat.HasAVX2FMA {
		t.Skip("!!! the AVX2 float64 exponential was not run: this CPU has no AVX2 and FMA")
	}
	exp64Bits(t, exp64AVX2, 4)
}

// TestExp64AVX512 holds EXP64Z to math.Exp's bits on TestExp64AVX2's
// arguments.
func TestExp64AVX512(t *testing.T) {
	if !cpufeat.HasAVX512 {
		t.Skip("!!! the AVX-512 float64 exponential was not run: this CPU has no AVX-512")
	}
	exp64Bits(t, exp64AVX512, 8)
}

func exp64Bits(t *testing.T, exp func(dst, x *float64, n int), w int) {
	xs := []float64{0, math.Copysign(0, -1), 1, -1, 0.5, -0.5, math.Inf(1), math.Inf(-1), math.NaN(),
		-math.NaN(), math.Float64frombits(0x7ff8000000000123), math.MaxFloat64, -math.MaxFloat64,
		math.SmallestNonzeroFloat64, -math.SmallestNonzeroFloat64, 7.09782712893384e+02,
		math.Nextafter(7.09782712893384e+02, 1000), math.Nextafter(7.09782712893384e+02, 0), 709.436, 709.437,
		-708.39, -708.40, -709, -720, -744.44, -744.45, -745.13, -745.14, -746, -1e10, -1e300, 1e-300,
		-0x1p-1022, 0x1p-1074, 2.5e-17, -2.5e-17}
	for k := -760; k <= 720; k++ {
		v := float64(k)
		xs = append(xs, v, math.Nextafter(v, math.Inf(1)), math.Nextafter(v, math.Inf(-1)), v*math.Ln2, v*math.Ln2+0.5*math.Ln2)
	}
	rng := rand.New(rand.NewPCG(3, 5))
	for range 1 << 20 {
		var v float64
		switch rng.IntN(3) {
		case 0:
			v = -1520 + 2240*rng.Float64()
		case 1:
			z := 40 * rng.Float64()
			v = -0.5 * z * z
		default:
			v = math.Float64frombits(rng.Uint64()) // any bits, mostly huge
		}
		xs = append(xs, v)
	}
	for len(xs)%w != 0 {
		xs = append(xs, 0)
	}
	got := make([]float64, len(xs))
	exp(&got[0], &xs[0], len(xs))
	bad := 0
	for i, x := range xs {
		want := math.Exp(x)
		if math.Float64bits(got[i]) != math.Float64bits(want) {
			if bad++; bad <= 10 {
				t.Errorf("exp(%v) (%#x) = %v (%#x), math.Exp %v (%#x)", x, math.Float64bits(x), got[i],
					math.Float64bits(got[i]), want, math.Float64bits(want))
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d values differ", bad, len(xs))
	}
}
