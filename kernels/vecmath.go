package kernels

import "math"

// The scalar float32 algorithms below are the ones every assembly path
// implements lane by lane (vecmath_amd64.h on amd64, the NEON code on arm64):
// same range reduction, same coefficients, same order of operations, same
// special-value handling. A fused multiply-add is written fma32; every other
// product is rounded to float32 on its own (the explicit conversions stop the
// compiler from fusing it into a neighbouring add).
//
// Accuracy against float64 math rounded to float32, over all 2³² inputs
// (cmd/ulpsweep checks it): Exp32 ≤ 1 ULP, subnormal results included;
// Tanh32 ≤ 2 ULP. Log32 ≤ 1 ULP over all positive inputs, subnormals included
// (cmd/ulpsweep -log).

// fma32 returns a*b+c. The product of two float32 values is exact in float64,
// so this is the fused result up to a second rounding to float32 (the result
// can differ from a hardware float32 FMA only when the float64 sum lands on a
// float32 rounding midpoint).
func fma32(a, b, c float32) float32 {
	return float32(float64(a)*float64(b) + float64(c))
}

// Constants shared by exp, tanh and log.
const (
	ln2Hi    = 0x1.62e43p-1   // float32(ln 2)
	ln2Lo    = -0x1.05c61p-29 // ln 2 − ln2Hi, rounded to float32
	log2e    = 0x1.715476p+0  // float32(1/ln 2)
	expShift = 0x1.8p23       // 1.5·2²³: adding it rounds to an integer kept in the low mantissa bits
	expLo    = float32(-104)  // exp(x) rounds to 0 for x ≤ −104 (e^−104 < 2^−150)
	expHi    = float32(89)    // exp(x) overflows for x ≥ 88.72284
	tanhMax  = float32(10)    // tanh(|x|) rounds to 1 for |x| > 9.011
	logSqrtH = 0x3f3504f3     // bits of float32(√½)
	minNorm  = 0x1p-126       // smallest normal float32
	subScale = 0x1p23         // scale applied to subnormal log inputs
)

// expPoly returns e^r for |r| ≤ ln2/2 as 1 + r + r²(c2 + c3 r + … + c6 r⁴),
// evaluated by Horner's rule with one FMA per coefficient. Coefficients are a
// minimax fit of the relative error (≤ 2.3e-9 before rounding in float32).
func expPoly(r float32) float32 {
	p := fma32(0x1.6a241ep-10, r, 0x1.1239e2p-7)
	p = fma32(p, r, 0x1.5558f2p-5)
	p = fma32(p, r, 0x1.555492p-3)
	p = fma32(p, r, 0x1.fffffcp-2)
	p = fma32(p, r, 1)
	return fma32(p, r, 1)
}

// Exp32 returns e^x within 1 ULP of the correctly rounded result.
//
// x is clamped to [−104, 89] (NaN passes through), n = round(x·log₂e) by the
// 1.5·2²³ shift, r = x − n·ln2 in two FMA steps (Cody–Waite, hi part exact),
// e^r by expPoly, and the result p·2ⁿ as (p·2^⌊n/2⌋)·2^(n−⌊n/2⌋) so that
// results in the subnormal range are rounded once, correctly, and are not
// flushed; n = 128 overflows to +Inf in the second product.
func Exp32(x float32) float32 {
	if x < expLo {
		x = expLo
	}
	if x > expHi {
		x = expHi
	}
	t := fma32(x, log2e, expShift)
	n := t - expShift
	r := fma32(n, -ln2Hi, x)
	r = fma32(n, -ln2Lo, r)
	p := expPoly(r)
	u := int32(math.Float32bits(t)) << 23 // n·2²³
	u1 := (u >> 1) &^ 0x7fffff            // ⌊n/2⌋·2²³
	u2 := u - u1                          // (n − ⌊n/2⌋)·2²³
	s1 := math.Float32frombits(uint32(u1 + 127<<23))
	s2 := math.Float32frombits(uint32(u2 + 127<<23))
	return float32(p*s1) * s2
}

// fmaTanh returns a*b+c rounded once to float32, as a hardware FMA does.
// fma32's two roundings differ from one only when the float64 sum lands
// exactly on a float32 rounding midpoint (its 29 low mantissa bits 1 then
// zeros) while the exact sum is not there: then the sum's error, found by
// TwoSum, moves it one float64 ULP towards the exact sum. Tanh32 needs it for
// 1 − e^(−r) = r − r²·P(−r) (the product has 48 bits and r can be tiny).
func fmaTanh(a, b, c float32) float32 {
	p := float64(a) * float64(b)
	s := p + float64(c)
	if u := math.Float64bits(s); u&(1<<29-1) == 1<<28 {
		bb := s - p
		if e := (p - (s - bb)) + (float64(c) - bb); e != 0 {
			if (e > 0) == (s > 0) {
				u++
			} else {
				u--
			}
			s = math.Float64frombits(u)
		}
	}
	return float32(s)
}

// Tanh32 returns tanh(x) within 2 ULP of the correctly rounded result.
//
// One formula for every x, no branch on its size: with a = min(|x|, 10),
// tanh a = g/(1 − g) where g = (1 − e^(−2a))/2 ∈ [0, ½). e^(−2a) = 2ⁿ·e^(−r)
// by the exp reduction of Exp32 (n = round(−2a·log₂e) ≤ 0 by the rounding
// shift, r = 2a + n·ln2Hi ∈ [−ln2/2, ln2/2]), except that the ln2Lo term is
// dropped (its effect on e^(−2a), n·1.9e-9 relative, is damped by the factor
// e^(−2a) and stays below 0.03 ULP). Then m = 1 − e^(−r) = r − r²·P(−r), P
// the coefficients c2–c6 of expPoly, and g = 2ⁿ⁻¹·m + (½ − 2ⁿ⁻¹) in one FMA,
// 2ⁿ⁻¹ taken from the bits of the rounding shift (which adds the exponent
// bias less one). For a < 0.173 (n = 0) g = m/2 with r = 2a exact: nothing
// cancels, |x| ≤ 2⁻²⁵ gives x (above that the rounding of 1 − g can move
// a result that should be x by one ULP), and g ≤ tanh a keeps the rounding
// error of g below ½ ULP of the result (e^(2a) − 1 would exceed tanh a and
// cross its binade).
// With the roundings of 1 − g and of the division, cmd/ulpsweep measures at
// most 2 ULP. Finally the sign bit of x is OR-ed in: tanh(±Inf) = ±1,
// tanh(−0) = −0, NaN gives NaN (x with its quiet bit set).
func Tanh32(x float32) float32 {
	if x != x {
		return math.Float32frombits(math.Float32bits(x) | 1<<22) // x made quiet, as the assembly gives
	}
	sign := math.Float32bits(x) & (1 << 31)
	a := math.Float32frombits(math.Float32bits(x) &^ (1 << 31))
	if a > tanhMax {
		a = tanhMax
	}
	const shift = expShift + 126 // the integer lands in the low bits with the exponent bias, less one, added
	t := fma32(a, -2*log2e, shift)
	n := t - shift            // round(−2a·log₂e) ≤ 0
	r := fma32(n, ln2Hi, a+a) // −(−2a − n·ln2Hi)
	r2 := float32(r * r)
	p := fma32(0x1.6a241ep-10, r, -0x1.1239e2p-7) // P(−r), Horner
	p = fma32(p, r, 0x1.5558f2p-5)
	p = fma32(p, r, -0x1.555492p-3)
	p = fma32(p, r, 0x1.fffffcp-2)
	m := fmaTanh(-r2, p, r)                              // 1 − e^(−r) = r − r²·P(−r)
	s := math.Float32frombits(math.Float32bits(t) << 23) // 2ⁿ⁻¹
	g := fma32(s, m, 0.5-s)                              // (1 − e^(−2a))/2; s·m has 24 bits, so rounds as one FMA
	y := g / (1 - g)
	return math.Float32frombits(math.Float32bits(y) | sign)
}

// logPoly returns (log(1+f) − f)/f² for f ∈ [√½−1, √2−1], a minimax fit
// c0 + c1 f + … + c8 f⁸ of the relative error of log1p (≤ 4.7e-9 in float32).
func logPoly(f float32) float32 {
	p := fma32(-0x1.38312p-4, f, 0x1.084b38p-3)
	p = fma32(p, f, -0x1.0f3892p-3)
	p = fma32(p, f, 0x1.227142p-3)
	p = fma32(p, f, -0x1.542742p-3)
	p = fma32(p, f, 0x1.99a3f6p-3)
	p = fma32(p, f, -0x1.000428p-2)
	p = fma32(p, f, 0x1.55555p-2)
	return fma32(p, f, -0x1.fffff8p-2)
}

// Log32 returns the natural logarithm of x.
//
// x = 2^e·m with m ∈ [√½, √2) taken from the bits (subnormals are first
// scaled by 2²³), f = m − 1 exactly, log(1+f) = f + f²·logPoly(f), and the
// result e·ln2Hi + (e·ln2Lo + log(1+f)). log(+Inf) = +Inf, log(±0) = −Inf,
// log(x < 0) = NaN, NaN gives NaN.
func Log32(x float32) float32 {
	switch {
	case !(x < float32(math.Inf(1))): // +Inf or NaN
		return x
	case x < 0:
		return float32(math.NaN())
	case x == 0:
		return float32(math.Inf(-1))
	}
	var ex float32
	if x < minNorm {
		x *= subScale
		ex = 23
	}
	u := math.Float32bits(x) - logSqrtH
	e := float32(int32(u)>>23) - ex
	m := math.Float32frombits(u&0x7fffff + logSqrtH)
	f := m - 1
	q := float32(logPoly(f) * f)
	r := fma32(q, f, f)
	r = fma32(e, ln2Lo, r)
	return fma32(e, ln2Hi, r)
}

// Tanh sets dst[i] = tanh(x[i]).
func Tanh(dst, x []float32) {
	dst = dst[:len(x)]
	for i, v := range x {
		dst[i] = Tanh32(v)
	}
}

// Exp sets dst[i] = e^x[i].
func Exp(dst, x []float32) {
	dst = dst[:len(x)]
	for i, v := range x {
		dst[i] = Exp32(v)
	}
}

// LogSumExp returns log(Σ e^x[i]) with max subtraction: m + log(Σ e^(x[i]−m)).
// It is −Inf for an empty slice or all −Inf, +Inf if any element is +Inf and
// none is NaN, NaN if any is NaN.
func LogSumExp(x []float32) float32 {
	m := rowMax(x)
	if m != m || math.IsInf(float64(m), 0) {
		return m // NaN, +Inf, or −Inf for empty / all −Inf
	}
	var s float32
	for _, v := range x {
		s += Exp32(v - m)
	}
	return m + Log32(s)
}
