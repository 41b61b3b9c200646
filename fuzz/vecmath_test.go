package fuzz

import (
	"math"
	"testing"

	"github.com/mdnsimd/mdnsimd"
	"github.com/mdnsimd/mdnsimd/kernels"
)

// elementwise checks one elementwise kernel, dispatched and reference, on n
// values from the fuzz input: each result within ulps of the correctly
// rounded oracle (which also fixes NaN, ±Inf and overflow), −0 kept where
// the oracle keeps it, guards intact, the input untouched unless in place.
// Both paths within ulps of the oracle bounds them 2·ulps from each other.
func elementwise(t reporter, n uint16, mode uint8, data []byte,
	impls map[string]func(dst, x []float32), oracle func(float64) float64, ulps uint32) {
	f := &fails{t: t}
	for name, kern := range impls {
		defer onPath(name)()
		s := newSource(mode, data)
		defer s.release()
		x, xcheck := s.inputOrInPlace(vlen(n))
		snap := snapshot(x)
		dst, dcheck := x, xcheck
		if !s.inPlace() {
			dst, dcheck = garbage(s, len(x))
		}
		kern(dst, x)
		f.err(dcheck())
		if !s.inPlace() {
			f.err(xcheck())
			f.err(unchanged("x", x, snap))
		}
		for i, b := range snap {
			in := math.Float32frombits(b)
			want := oracle(float64(in))
			if err := ulpWithin(dst[i], want, ulps); err != nil {
				f.add("%s(%s) at [%d] of %d: %v", name, f32s(in), i, len(x), err)
			} else if want == 0 && math.Signbit(want) != math.Signbit(float64(dst[i])) {
				f.add("%s(%s) at [%d]: got %s, want the sign of %v", name, f32s(in), i, f32s(dst[i]), want)
			}
		}
	}
}

// FuzzExp: mdnsimd.Exp within 1 ULP of e^x rounded (subnormal results
// included), exp(+Inf)=+Inf, exp(−Inf)=0, overflow +Inf, NaN→NaN.
func FuzzExp(f *testing.F) {
	f.Fuzz(func(t *testing.T, n uint16, mode uint8, data []byte) {
		elementwise(t, n, mode, data, withPaths("mdnsimd.Exp", mdnsimd.Exp, map[string]func(dst, x []float32){
			"kernels.Exp": kernels.Exp,
		}), math.Exp, 1)
	})
}

// FuzzTanh: mdnsimd.Tanh within 2 ULP of tanh x rounded, tanh(±Inf)=±1,
// tanh(−0)=−0, NaN→NaN.
func FuzzTanh(f *testing.F) {
	f.Fuzz(func(t *testing.T, n uint16, mode uint8, data []byte) {
		elementwise(t, n, mode, data, withPaths("mdnsimd.Tanh", mdnsimd.Tanh, map[string]func(dst, x []float32){
			"kernels.Tanh": kernels.Tanh,
		}), math.Tanh, 2)
	})
}

// lseOracle returns log Σ e^x in float64, the max, log of the shifted sum,
// and the special value the contract requires (ok false when it applies).
func lseOracle(x []float32) (lse, m, logS float64, special bool) {
	m = math.Inf(-1)
	nan, pinf := false, false
	for _, v := range x {
		switch {
		case isNaN32(v):
			nan = true
		case math.IsInf(float64(v), 1):
			pinf = true
		default:
			m = math.Max(m, float64(v))
		}
	}
	switch {
	case nan:
		return math.NaN(), m, 0, true
	case pinf:
		return math.Inf(1), m, 0, true
	case math.IsInf(m, -1):
		return m, m, 0, true // empty, or all −Inf
	}
	var s float64
	for _, v := range x {
		s += math.Exp(float64(v) - m)
	}
	logS = math.Log(s)
	return m + logS, m, logS, false
}

// lseBound is the error allowed to a float32 log-sum-exp of n terms with
// max subtraction. Shifted terms e^(x−m) ≤ 1 are each computed with relative
// error ≤ 8u from a ≤ 4-ULP exp (Exp itself promises 1 ULP; kernels may use
// a cheaper inline one) plus u·|x−m| from rounding x−m, and t·|x−m| ≤ 1/e,
// so with the n-term sum the shifted sum S ≥ 1 has relative error at most
// u·(1.4n + 10); log turns that into absolute error, adds ≤ 8u·|log S|, and
// m + log S rounds once more. Doubled for slack.
func lseBound(n int, lse, logS float64) float64 {
	return 2 * u * (1.4*float64(n) + 10 + 8*math.Abs(logS) + math.Abs(lse))
}

// FuzzLogSumExp: LogSumExp within lseBound of the float64 oracle, never
// overflowing for finite input; −Inf for empty or all −Inf, NaN if any NaN,
// else +Inf if any +Inf.
func FuzzLogSumExp(f *testing.F) {
	f.Fuzz(func(t *testing.T, n uint16, mode uint8, data []byte) {
		fl := &fails{t: t}
		s := newSource(mode, data)
		defer s.release()
		x, check := s.input(vlen(n))
		snap := snapshot(x)
		want, _, logS, special := lseOracle(x)
		for name, kern := range withPaths("mdnsimd.LogSumExp", mdnsimd.LogSumExp, map[string]func([]float32) float32{
			"kernels.LogSumExp": kernels.LogSumExp,
		}) {
			defer onPath(name)()
			got := kern(x)
			fl.err(check())
			fl.err(unchanged("x", x, snap))
			var err error
			if special {
				err = absWithin(got, want, 0)
			} else {
				err = absWithin(got, want, lseBound(len(x), want, logS))
			}
			if err != nil {
				fl.add("%s of %d values: %v", name, len(x), err)
			}
		}
	})
}
