package mdn

import "math"

// The standard normal distribution as the distribution queries need it:
// Φ and φ many times per row, in float64, to an absolute accuracy far
// below the queries' tolerances, without a call to math.Erfc or math.Exp.
//
// Φ is interpolated from a table of Φ and φ = Φ′ at the nodes
// z_i = −normZMax + i·normStep by the cubic Hermite polynomial through
// (Φ_i, φ_i) and (Φ_i+1, φ_i+1). Its error is at most
// normStep⁴/384 · max|Φ⁽⁴⁾| = (1/64)⁴/384 · 0.55 < 1e-10, and in the tails,
// where Φ⁽⁴⁾(z) ≈ z⁴·Φ(z), at most about normStep⁴/384 · z⁴ ≈ 1.6e-10·z⁴
// relative (7e-7 at |z| = 8.2). φ is the derivative of the same cubic
// (within 2e-8 absolute; Newton's method wants the derivative of the
// function it solves) or, where the value itself matters (CRPS), the
// Hermite cubic of φ with φ′ = −zφ (within 2e-10 absolute).
//
// Beyond ±normZMax, Φ is 0 or 1 and φ is 0: Φ(−8.5) = 9.5e-18.
const (
	normZMax  = 8.5
	normPerZ  = 64 // nodes per unit of z
	normStep  = 1.0 / normPerZ
	normNodes = 2*normZMax*normPerZ + 1
)

// normTab[i] = {Φ(z_i), φ(z_i)}.
var normTab [normNodes][2]float64

// normPoly[i] holds the coefficients of the Hermite cubic of Φ on
// [z_i, z_i+1] in t = (z − z_i)/normStep: Φ ≈ c0 + t(c1 + t(c2 + t·c3)).
var normPoly [normNodes - 1][4]float64

const (
	invSqrt2Pi = 0.398942280401432677939946059934381868 // 1/√(2π)
	sqrt2      = 1.41421356237309504880168872420969808
)

func init() {
	for i := range normTab {
		z := -normZMax + float64(i)*normStep
		normTab[i] = [2]float64{0.5 * math.Erfc(-z/sqrt2), invSqrt2Pi * math.Exp(-0.5*z*z)}
	}
	for i := range normPoly {
		a, b := normTab[i], normTab[i+1]
		p0, d0, d1 := a[0], a[1]*normStep, b[1]*normStep
		dp := b[0] - p0
		normPoly[i] = [4]float64{p0, d0, 3*dp - 2*d0 - d1, d0 + d1 - 2*dp}
	}
}

// normCDF returns Φ(z) and the derivative of the interpolant (≈ φ(z)).
// NaN gives NaN. mixCDF has the same code inline.
func normCDF(z float64) (cdf, pdf float64) {
	if !(z > -normZMax) {
		if z != z {
			return z, z
		}
		return 0, 0
	}
	if z >= normZMax {
		return 1, 0
	}
	t := (z + normZMax) * normPerZ
	i := min(int(t), len(normPoly)-1)
	t -= float64(i)
	c := &normPoly[i]
	cdf = c[0] + t*(c[1]+t*(c[2]+t*c[3]))
	pdf = (c[1] + t*(2*c[2]+t*3*c[3])) * normPerZ
	return cdf, pdf
}

// normBoth returns Φ(z) and φ(z), each from its own Hermite cubic (within
// 1e-10 and 2e-10 absolute). NaN gives NaN.
func normBoth(z float64) (cdf, pdf float64) {
	if !(z > -normZMax) {
		if z != z {
			return z, z
		}
		return 0, 0
	}
	if z >= normZMax {
		return 1, 0
	}
	t := (z + normZMax) * normPerZ
	i := min(int(t), normNodes-2)
	t -= float64(i)
	a, b := normTab[i], normTab[i+1]
	za := -normZMax + mul(float64(i), normStep)
	// Φ with derivatives φ; φ with derivatives −zφ. Each product that
	// feeds a sum is rounded first (mul), as the AVX2 CRPS kernel does.
	p0, d0, d1 := a[0], mul(a[1], normStep), mul(b[1], normStep)
	dp := b[0] - p0
	cdf = p0 + mul(t, d0+mul(t, (mul(3, dp)-mul(2, d0)-d1)+mul(t, d0+d1-mul(2, dp))))
	q0, e0, e1 := a[1], mul(-za, d0), mul(-(za+normStep), d1)
	dq := b[1] - q0
	pdf = q0 + mul(t, e0+mul(t, (mul(3, dq)-mul(2, e0)-e1)+mul(t, e0+e1-mul(2, dq))))
	return cdf, max(pdf, 0)
}

// normQuantileApprox returns Φ⁻¹(p) for 0 < p < 1 within a relative error
// of about 1.2e-9 (Acklam's rational approximation): good enough as a
// starting point, and refined by normQuantile where it must be exact.
// p ≤ 0 gives −Inf, p ≥ 1 gives +Inf. The upper tail takes the logarithm
// of 1 − p, exact for p > ½ (Sterbenz), and the logarithm is startLog, so
// that the quantile kernels, which have the same operations, give the
// same bits.
func normQuantileApprox(p float64) float64 {
	switch {
	case !(p > 0):
		if p != p {
			return p
		}
		return math.Inf(-1)
	case p >= 1:
		return math.Inf(1)
	case p < acklamPLow:
		q := math.Sqrt(-2 * startLog(p))
		return acklamTail(q)
	case p > 1-acklamPLow:
		q := math.Sqrt(-2 * startLog(1-p))
		return -acklamTail(q)
	}
	q := p - 0.5
	r := q * q
	a, b := &acklamA, &acklamB
	num := mul(mul(mul(mul(mul(a[0], r)+a[1], r)+a[2], r)+a[3], r)+a[4], r) + a[5]
	den := mul(mul(mul(mul(mul(b[0], r)+b[1], r)+b[2], r)+b[3], r)+b[4], r) + 1
	return num * q / den
}

// Acklam's coefficients: the central region's numerator (A) and
// denominator (B), the tails' (C, D), and where the tails begin.
const acklamPLow = 0.02425

var (
	acklamA = [6]float64{-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00}
	acklamB = [5]float64{-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01}
	acklamC = [6]float64{-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00}
	acklamD = [4]float64{7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00}
)

// startLog returns ln x for finite x > 0, within about 1 ULP: x = m·2^e
// with m in (√2/2, √2], and ln m = 2·atanh(f/(2+f)), f = m − 1, from the
// minimax series of FreeBSD's e_log.c (coefficients logLg, and ln 2 split
// in two so that e·ln2Hi is exact). The quantile kernels have the same
// operations in the same order (the exponent and mantissa from VGETEXPPD
// and VGETMANTPD on AVX-512, from the bit fields on AVX2, which leaves a
// subnormal x to the Go code).
func startLog(x float64) float64 {
	var m, e float64
	if b := math.Float64bits(x); b >= 1<<52 { // normal: the fields
		m, e = math.Float64frombits(b&(1<<52-1)|1023<<52), float64(int(b>>52)-1023)
	} else { // subnormal: Frexp normalises
		fr, ex := math.Frexp(x)
		m, e = fr*2, float64(ex-1)
	}
	if m > math.Sqrt2 {
		m *= 0.5
		e++
	}
	f := m - 1
	s := f / (2 + f)
	s2 := s * s
	s4 := s2 * s2
	t1 := mul(s2, logLg[0]+mul(s4, logLg[2]+mul(s4, logLg[4]+mul(s4, logLg[6]))))
	t2 := mul(s4, logLg[1]+mul(s4, logLg[3]+mul(s4, logLg[5])))
	r := t1 + t2
	hfsq := mul(0.5*f, f)
	return mul(e, ln2Hi) - ((hfsq - (mul(s, hfsq+r) + mul(e, ln2Lo))) - f)
}

var logLg = [7]float64{
	6.666666666666735130e-01, 3.999999999940941908e-01, 2.857142874366239149e-01, 2.222219843214978396e-01,
	1.818357216161805012e-01, 1.531383769920937332e-01, 1.479819860511658591e-01,
}

const (
	ln2Hi = 6.93147180369123816490e-01
	ln2Lo = 1.90821492927058770002e-10
)

// acklamTail is the lower-tail branch of normQuantileApprox, q = √(−2 log p).
func acklamTail(q float64) float64 {
	c, d := &acklamC, &acklamD
	num := mul(mul(mul(mul(mul(c[0], q)+c[1], q)+c[2], q)+c[3], q)+c[4], q) + c[5]
	den := mul(mul(mul(mul(d[0], q)+d[1], q)+d[2], q)+d[3], q) + 1
	return num / den
}

// normQuantile returns Φ⁻¹(p) to about float64 precision: the
// approximation, then Halley steps on the exact Φ (math.Erfc) from the
// nearer tail, so that levels near 1 keep their relative accuracy in 1 − p.
func normQuantile(p float64) float64 {
	x := normQuantileApprox(p)
	if math.IsInf(x, 0) || x != x {
		return x
	}
	for range 2 {
		// e = Φ(x) − p, from the tail x lies in.
		var e float64
		if x <= 0 {
			e = 0.5*math.Erfc(-x/sqrt2) - p
		} else {
			e = (1 - p) - 0.5*math.Erfc(x/sqrt2)
		}
		u := e / (invSqrt2Pi * math.Exp(-0.5*x*x))
		x -= u / (1 + 0.5*x*u)
	}
	return x
}
