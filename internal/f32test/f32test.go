// Package f32test holds the float32 comparison and guard helpers shared by
// the tests of mdnsimd, kernels, mdn and fuzz.
package f32test

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// ULP returns the number of float32 values between a and b (0 when equal).
// +0 and −0 are 0 apart; NaN is 0 from NaN and MaxUint32 from anything else.
func ULP(a, b float32) uint32 {
	if a != a || b != b {
		if a != a && b != b {
			return 0
		}
		return math.MaxUint32
	}
	ia, ib := ordered(a), ordered(b)
	if ia > ib {
		return uint32(ia - ib)
	}
	return uint32(ib - ia)
}

// ordered maps float32 bits onto a line where adjacent floats differ by one.
func ordered(f float32) int64 {
	u := math.Float32bits(f)
	if u&0x80000000 != 0 {
		return -int64(u & 0x7fffffff)
	}
	return int64(u)
}

// Close reports whether got is within tol·max(|want|, floor) of want, or
// within ulps ULP; NaN matches only NaN and infinities only themselves.
func Close(got, want float32, ulps uint32, tol, floor float64) bool {
	if got != got || want != want {
		return got != got && want != want
	}
	if math.IsInf(float64(got), 0) || math.IsInf(float64(want), 0) {
		return got == want
	}
	if ULP(got, want) <= ulps {
		return true
	}
	return math.Abs(float64(got)-float64(want)) <= tol*math.Max(math.Abs(float64(want)), floor)
}

// Guard is the bit pattern written around every guarded slice: a NaN with a
// payload no kernel produces.
const Guard = 0x7fa5a5a5

// Pad is the number of guard values on each side of a guarded slice.
const Pad = 16

// Guarded returns a slice of n float32 starting off elements (0..7) past a
// 32-byte boundary of its backing array, with capacity n, surrounded by Pad
// guard values; check reports the first guard that changed.
func Guarded(n, off int) (s []float32, check func() error) {
	back := make([]float32, n+2*Pad+8)
	for i := range back {
		back[i] = math.Float32frombits(Guard)
	}
	start := Pad + off
	s = back[start : start+n : start+n]
	clear(s)
	check = func() error {
		for i := range back {
			if i >= start && i < start+n {
				continue
			}
			if math.Float32bits(back[i]) != Guard {
				return fmt.Errorf("guard at offset %d (relative to slice start) overwritten with %v", i-start, back[i])
			}
		}
		return nil
	}
	return s, check
}

// Uniform fills s with values uniform in [lo, hi).
func Uniform(r *rand.Rand, s []float32, lo, hi float32) {
	for i := range s {
		s[i] = lo + (hi-lo)*r.Float32()
	}
}

// Normal fills s with N(0, sd²) values.
func Normal(r *rand.Rand, s []float32, sd float32) {
	for i := range s {
		s[i] = sd * float32(r.NormFloat64())
	}
}

// Lengths returns 0..70 and a few larger sizes around 8/16/32-element
// unroll boundaries, for tests that sweep kernel lengths.
func Lengths() []int {
	var ns []int
	for n := 0; n <= 70; n++ {
		ns = append(ns, n)
	}
	return append(ns, 127, 128, 129, 255, 256, 257, 1000, 4096, 4099)
}

// Specials are float32 values every elementwise kernel must handle.
var Specials = []float32{
	0, float32(math.Copysign(0, -1)), 1, -1,
	float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()),
	math.MaxFloat32, -math.MaxFloat32, math.SmallestNonzeroFloat32, -math.SmallestNonzeroFloat32,
	0x1p-126, -0x1p-126, 1e-20, -1e-20, 88.72283, 88.72284, 89, -87.33654, -103.97, -104, -200,
	9.0, 9.1, -9.1, 0.625, -0.625, 0.55, 1e-4, 20, -20, 1e10, -1e10,
}
