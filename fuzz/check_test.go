package fuzz

import (
	"fmt"
	"math"

	"github.com/mdnsimd/mdnsimd/internal/f32test"
)

// u is the unit roundoff of float32: one rounding to nearest moves a value
// by at most u times its magnitude (half an ULP).
const u = 0x1p-24

// tiny is the spacing of float32 subnormals: a result in the subnormal
// range is rounded with absolute error up to tiny/2 instead of u·|value|.
const tiny = 0x1p-149

const maxF32 = math.MaxFloat32

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }

func isNaN32(v float32) bool { return v != v }

func isInf32(v float32) bool { return math.IsInf(float64(v), 0) }

func finite32(v float32) bool { return !isNaN32(v) && !isInf32(v) }

func allFinite(xs ...[]float32) bool {
	for _, x := range xs {
		for _, v := range x {
			if !finite32(v) {
				return false
			}
		}
	}
	return true
}

// f32s formats a value with its bits, so a failure names NaN payloads and
// signed zeros exactly.
func f32s(v float32) string { return fmt.Sprintf("%v (%#08x)", v, math.Float32bits(v)) }

// fails collects failures and stops after a few, so one broken kernel does
// not print thousands of lines.
type fails struct {
	t reporter
	n int
}

// reporter is the part of testing.T the checks use, so that
// TestChecksCatch can run them against deliberately broken kernels.
type reporter interface {
	Helper()
	Errorf(format string, args ...any)
	FailNow()
}

func (f *fails) add(format string, args ...any) {
	f.t.Helper()
	f.n++
	if f.n <= 8 {
		f.t.Errorf(format, args...)
	}
	if f.n == 8 {
		f.t.FailNow()
	}
}

func (f *fails) err(err error) {
	f.t.Helper()
	if err != nil {
		f.add("%v", err)
	}
}

// acc is the float64 oracle of one float32 sum of products: it takes each
// term exactly (a product of two float32 is exact in float64) and decides
// what a float32 evaluation in any order, with or without FMA, may return.
//
// For n terms the classic bound of a recursive (or blocked, or pairwise)
// float32 sum is |got − Σt| ≤ γ_n·Σ|t|, γ_n = n·u/(1−n·u); the products add
// one more rounding, so (n+1)·u·Σ|t| covers them, and an FMA only removes
// roundings. Each term can also lose up to tiny in gradual underflow. The
// bound used is (n+2)·u·Σ|t|·(1+2⁻¹⁰) + (n+2)·tiny + extra.
//
// Infinities and NaN follow IEEE in any order: a NaN term, Inf·0, or +Inf
// and −Inf together give NaN; infinities of one sign give that infinity.
// A float32 evaluation can also overflow where the float64 oracle did not:
// once Σ|t| (which bounds every partial sum) comes within the rounding
// bound of MaxFloat32, or a caller marks a term risky, any result is
// allowed for finite sums and NaN besides the infinity for infinite ones.
type acc struct {
	n          int
	sum, abs   float64
	extra      float64
	nan        bool
	pinf, ninf bool
	risk       bool
}

func (a *acc) add(t float64) {
	a.n++
	switch {
	case math.IsNaN(t):
		a.nan = true
	case math.IsInf(t, 1):
		a.pinf = true
	case math.IsInf(t, -1):
		a.ninf = true
	default:
		if math.Abs(t) > maxF32 {
			a.risk = true
		}
		a.sum += t
		a.abs += math.Abs(t)
	}
}

func (a *acc) mul(x, y float32) { a.add(float64(x) * float64(y)) }

func (a *acc) bound() float64 {
	n := float64(a.n + 2)
	return n*u*a.abs*(1+0x1p-10) + n*tiny + a.extra
}

// check returns an error if got is not a possible float32 value of the sum.
func (a *acc) check(got float32) error {
	g := float64(got)
	switch {
	case a.nan || a.pinf && a.ninf:
		if !isNaN32(got) {
			return errorf("got %s, want NaN", f32s(got))
		}
	case a.pinf || a.ninf:
		want := math.Inf(1)
		if a.ninf {
			want = math.Inf(-1)
		}
		if g != want && !(a.risk && isNaN32(got)) {
			return errorf("got %s, want %v", f32s(got), want)
		}
	default:
		b := a.bound()
		if a.risk || a.abs+b >= maxF32 {
			return nil // float32 partial sums may overflow: any result
		}
		if !(math.Abs(g-a.sum) <= b) {
			return errorf("got %s, want %.9g ± %.3g (Σ|terms| %.3g, %d terms)", f32s(got), a.sum, b, a.abs, a.n)
		}
	}
	return nil
}

// ulpWithin checks got against the correctly rounded float32 of the float64
// value want: same NaN-ness, infinities only equal to themselves, signed
// zero kept when wantSign, else at most ulps apart.
func ulpWithin(got float32, want float64, ulps uint32) error {
	w := float32(want)
	switch {
	case math.IsNaN(want):
		if !isNaN32(got) {
			return errorf("got %s, want NaN", f32s(got))
		}
		return nil
	case isInf32(w) || isInf32(got):
		if got != w {
			return errorf("got %s, want %s", f32s(got), f32s(w))
		}
		return nil
	}
	if d := f32test.ULP(got, w); d > ulps {
		return errorf("got %s, want %s (float64 %.17g): %d ULP apart, bound %d", f32s(got), f32s(w), want, d, ulps)
	}
	return nil
}

// absWithin checks |got − want| ≤ bound for a finite want; NaN and
// infinities must match exactly.
func absWithin(got float32, want, bound float64) error {
	g := float64(got)
	switch {
	case math.IsNaN(want):
		if !isNaN32(got) {
			return errorf("got %s, want NaN", f32s(got))
		}
	case math.IsInf(want, 0):
		if g != want {
			return errorf("got %s, want %v", f32s(got), want)
		}
	case isInf32(got):
		// Rounding to float32 overflows to ±Inf from MaxFloat32 + ½ULP on.
		if math.Signbit(g) != math.Signbit(want) || math.Abs(want)+bound < maxF32+0x1p103 {
			return errorf("got %s, want %.9g ± %.3g", f32s(got), want, bound)
		}
	case !(math.Abs(g-want) <= bound):
		return errorf("got %s, want %.9g ± %.3g (off by %.3g)", f32s(got), want, bound, math.Abs(g-want))
	}
	return nil
}
