package mdn

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
)

// ---- float64 references: numerical integration, no erfc

// gaussLegendre returns the nodes and weights of the n-point Gauss–Legendre
// rule on [−1, 1] (Newton's method on the Legendre polynomial).
func gaussLegendre(n int) (x, w []float64) {
	x, w = make([]float64, n), make([]float64, n)
	for i := range n {
		t := math.Cos(math.Pi * (float64(i) + 0.75) / (float64(n) + 0.5))
		var dp float64
		for range 100 {
			p0, p1 := 1.0, t
			for k := 2; k <= n; k++ {
				p0, p1 = p1, ((2*float64(k)-1)*t*p1-(float64(k)-1)*p0)/float64(k)
			}
			dp = float64(n) * (t*p1 - p0) / (t*t - 1)
			dt := p1 / dp
			t -= dt
			if math.Abs(dt) < 1e-16 {
				break
			}
		}
		x[i], w[i] = t, 2/((1-t*t)*dp*dp)
	}
	return x, w
}

var glX, glW = gaussLegendre(10)

// integrate returns ∫_a^b f over panels of width at most h.
func integrate(f func(float64) float64, a, b, h float64) float64 {
	n := max(1, int(math.Ceil((b-a)/h)))
	step := (b - a) / float64(n)
	var s float64
	for p := range n {
		lo := a + float64(p)*step
		mid, half := lo+step/2, step/2
		var q float64
		for i, x := range glX {
			q += glW[i] * f(mid+half*x)
		}
		s += q * half
	}
	return s
}

func stdNormalPDF(u float64) float64 { return math.Exp(-0.5*u*u) / math.Sqrt(2*math.Pi) }

// lowerTail returns ∫_{−∞}^z φ by quadrature over [z − 40, z] (the rest is
// below 1e-300 of the result).
func lowerTail(z float64) float64 {
	switch {
	case math.IsInf(z, -1):
		return 0
	case math.IsInf(z, 1):
		return 1
	case z > 0:
		return 1 - lowerTail(-z)
	}
	return integrate(stdNormalPDF, z-40, z, 0.05)
}

// tails returns F(q) and 1 − F(q) of one row-dimension's components by
// integrating each component's density numerically (in its own standard
// units, so that components of any scale are resolved).
func tails(cs []comp, q float64) (lower, upper float64) {
	for _, c := range cs {
		z := (q - c.m) / c.s
		if c.s == 0 {
			z = math.Inf(int(math.Copysign(1, q-c.m)))
		}
		lower += c.w * lowerTail(z)
		upper += c.w * lowerTail(-z)
	}
	return lower, upper
}

// exactTails is tails with the exact Φ (math.Erfc), for the many-case tests.
func exactTails(cs []comp, q float64) (lower, upper float64) {
	for _, c := range cs {
		z := (q - c.m) / c.s
		lower += c.w * 0.5 * math.Erfc(-z/math.Sqrt2)
		upper += c.w * 0.5 * math.Erfc(z/math.Sqrt2)
	}
	return lower, upper
}

// ---- test mixtures

// testMix is one row's mixture in D dimensions.
type testMix struct {
	name      string
	pi        []float32
	mu, sigma []float32 // K×D, component-major
}

func (t testMix) mixture(rows int) Mixture {
	k, d := len(t.pi), len(t.mu)/len(t.pi)
	m := Mixture{N: rows, K: k, D: d}
	for range rows {
		m.Pi = append(m.Pi, t.pi...)
		m.Mu = append(m.Mu, t.mu...)
		m.Sigma = append(m.Sigma, t.sigma...)
	}
	return m
}

// quadrature reports whether a plain quadrature over the whole mixture
// (panels of a fraction of the smallest σ, out to 40σ) is affordable.
func (t testMix) quadrature() bool {
	lo, hi, s := math.Inf(1), math.Inf(-1), math.Inf(1)
	for i := range t.mu {
		lo, hi = min(lo, float64(t.mu[i]-40*t.sigma[i])), max(hi, float64(t.mu[i]+40*t.sigma[i]))
		s = min(s, float64(t.sigma[i]))
	}
	return (hi-lo)/s < 1e5
}

var testMixes = []testMix{
	{"one Gaussian", []float32{1}, []float32{0.5}, []float32{2}},
	{"two overlapping", []float32{0.3, 0.7}, []float32{-1, 1}, []float32{1, 0.5}},
	{"three branches", []float32{0.2, 0.5, 0.3}, []float32{-6, 0.5, 7}, []float32{0.3, 0.8, 0.4}},
	{"far apart", []float32{0.5, 0.5}, []float32{-1e6, 1e6}, []float32{1, 3}},
	{"near-zero sigma", []float32{0.4, 0.6}, []float32{1, 2}, []float32{1e-30, 0.5}},
	{"both near-zero", []float32{0.5, 0.5}, []float32{3, 3.0000002}, []float32{1e-20, 1e-25}},
	{"tiny weight", []float32{1e-9, 1 - 1e-9}, []float32{100, 0}, []float32{1, 1}},
	{"wide scales", []float32{0.25, 0.25, 0.5}, []float32{1e20, -3e19, 0}, []float32{1e18, 1e-3, 1e10}},
	{"five, K=5", []float32{0.1, 0.2, 0.3, 0.25, 0.15}, []float32{-3, -1, 0, 2, 2.5}, []float32{0.5, 0.2, 1, 0.3, 2}},
	{"D=2", []float32{0.6, 0.4}, []float32{0, 10, 5, -10}, []float32{1, 2, 0.1, 3}},
	// μ + σ·z rounds to μ in float64 for the point mass: its quantiles'
	// bracket must still hold the quantile at 0.999, which is there.
	{"point mass above a wide one", []float32{0.999, 0.001}, []float32{141847.7, 190396.1}, []float32{15081.6, 1e-27}},
}

var testLevels = []float64{1e-12, 1e-6, 0.001, 0.05, 0.25, 0.5, 0.75, 0.95, 0.999, 1 - 1e-6, 1 - 1e-12}

// quantileOK reports whether q meets Quantiles' accuracy for level a of
// the components cs, given F and 1 − F (in the tail of a, where both are
// accurate).
func quantileOK(cs []comp, q float32, a float64, F func([]comp, float64) (float64, float64)) (ok bool, err float64) {
	// tail returns F(y) − a from the tail a lies in.
	tail := func(y float32) float64 {
		lower, upper := F(cs, float64(y))
		if a > 0.5 {
			return (1 - a) - upper
		}
		return lower - a
	}
	err = math.Abs(tail(q))
	if err <= 1e-6*min(a, 1-a)+1e-17 {
		return true, err
	}
	// Else the exact quantile must lie within one float32 step of q.
	below := tail(math.Nextafter32(q, float32(math.Inf(-1))))
	above := tail(math.Nextafter32(q, float32(math.Inf(1))))
	return below <= 0 && above >= 0, err
}

func TestQuantilesAgainstIntegration(t *testing.T) {
	for _, tm := range testMixes {
		mix := tm.mixture(2)
		dst := make([]float32, 2*len(testLevels)*mix.D)
		if err := mix.Quantiles(dst, testLevels); err != nil {
			t.Fatal(err)
		}
		for i := range 2 {
			for j := range mix.D {
				cs := mix.gather(make([]comp, mix.K), i, j)
				for l, a := range testLevels {
					q := dst[(i*len(testLevels)+l)*mix.D+j]
					if ok, e := quantileOK(cs, q, a, tails); !ok {
						t.Errorf("%s, dim %d, level %g: q = %v, |F(q) − α| = %.3g (integrated)", tm.name, j, a, q, e)
					}
				}
			}
		}
	}
}

func TestQuantileOneGaussian(t *testing.T) {
	for _, g := range [][2]float32{{0, 1}, {3, 0.5}, {-1e4, 20}, {1e-3, 1e-5}} {
		mix := Mixture{N: 1, K: 1, D: 1, Pi: []float32{1}, Mu: []float32{g[0]}, Sigma: []float32{g[1]}}
		q := make([]float32, len(testLevels))
		if err := mix.Quantiles(q, testLevels); err != nil {
			t.Fatal(err)
		}
		for l, a := range testLevels {
			want := float64(g[0]) + float64(g[1])*normQuantile(a)
			// The float32 nearest the exact quantile, or its neighbour
			// where both meet the CDF tolerance.
			if d := math.Abs(float64(q[l]) - want); d > float64(ulp32(float32(want))) {
				t.Errorf("N(%v, %v²) at %g: %v, want %v", g[0], g[1], a, q[l], want)
			}
		}
		lo, hi := make([]float32, 1), make([]float32, 1)
		if err := mix.Interval(lo, hi, 0.9); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			got float32
			z   float64
		}{{lo[0], -1.6448536269514722}, {hi[0], 1.6448536269514722}} {
			want := float64(g[0]) + float64(g[1])*c.z
			if d := math.Abs(float64(c.got) - want); d > float64(ulp32(float32(want))) {
				t.Errorf("90%% interval of N(%v, %v²): end %v, want %v", g[0], g[1], c.got, want)
			}
		}
	}
}

func ulp32(f float32) float32 {
	return math.Nextafter32(f, float32(math.Inf(1))) - f
}

// TestQuantilesHostile draws mixtures with weights, means and σ over many
// orders of magnitude and checks every quantile against the exact CDF.
func TestQuantilesHostile(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 1))
	logU := func(lo, hi float64) float64 { return math.Exp(lo + (hi-lo)*rng.Float64()) }
	for _, k := range []int{1, 2, 4, 9} {
		const rows = 600
		mix := Mixture{N: rows, K: k, D: 1}
		ws := make([]float64, k)
		for range rows {
			var sum float64
			for c := range k {
				ws[c] = logU(math.Log(1e-12), 0)
				sum += ws[c]
			}
			spread := logU(math.Log(1e-6), math.Log(1e12))
			for c := range k {
				mix.Pi = append(mix.Pi, float32(ws[c]/sum))
				mix.Mu = append(mix.Mu, float32(spread*rng.NormFloat64()))
				mix.Sigma = append(mix.Sigma, float32(logU(math.Log(1e-30), math.Log(1e10))))
			}
		}
		dst := make([]float32, rows*len(testLevels))
		if err := mix.Quantiles(dst, testLevels); err != nil {
			t.Fatal(err)
		}
		bad := 0
		for i := range rows {
			cs := mix.gather(make([]comp, mix.K), i, 0)
			for l, a := range testLevels {
				q := dst[i*len(testLevels)+l]
				if ok, e := quantileOK(cs, q, a, exactTails); !ok {
					if bad++; bad <= 10 {
						t.Errorf("K=%d row %d %+v, level %g: q = %v, |F(q) − α| = %.3g", k, i, cs, a, q, e)
					}
				}
			}
		}
	}
}

func TestCDFAgainstIntegration(t *testing.T) {
	for _, tm := range testMixes {
		mix := tm.mixture(1)
		d := mix.D
		for _, off := range []float64{-3, -1, -0.1, 0, 0.2, 1, 4} {
			y := make([]float32, d)
			for j := range d {
				// A point around the first component's mean, in its units.
				y[j] = tm.mu[j] + float32(off)*tm.sigma[j]
			}
			got := make([]float32, d)
			if err := mix.CDF(got, y); err != nil {
				t.Fatal(err)
			}
			for j := range d {
				want, _ := tails(mix.gather(make([]comp, mix.K), 0, j), float64(y[j]))
				// float32 output: 1e-10 plus half an ULP of the result.
				if e := math.Abs(float64(got[j]) - want); e > 1e-10+want*0x1p-24 {
					t.Errorf("%s, dim %d: F(%v) = %v, integrated %v", tm.name, j, y[j], got[j], want)
				}
			}
		}
	}
}

func TestNormalTable(t *testing.T) {
	var eCDF, eDeriv, eBothCDF, eBothPDF, tailRel float64
	for z := -9.0; z <= 9; z += 0.0001234 {
		c, p := normCDF(z)
		bc, bp := normBoth(z)
		want, wantP := 0.5*math.Erfc(-z/math.Sqrt2), stdNormalPDF(z)
		eCDF = max(eCDF, math.Abs(c-want))
		eDeriv = max(eDeriv, math.Abs(p-wantP))
		eBothCDF = max(eBothCDF, math.Abs(bc-want))
		eBothPDF = max(eBothPDF, math.Abs(bp-wantP))
		if z < -1 && z > -8.2 {
			tailRel = max(tailRel, math.Abs(c-want)/want)
		}
	}
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"Φ, absolute", eCDF, 1e-10}, {"interpolant's derivative, absolute", eDeriv, 2e-8},
		{"normBoth Φ, absolute", eBothCDF, 1e-10}, {"normBoth φ, absolute", eBothPDF, 2e-10},
		{"Φ in the lower tail to −8.2, relative", tailRel, 7.5e-7},
	} {
		if c.got > c.want {
			t.Errorf("%s error %.3g, bound %.3g", c.name, c.got, c.want)
		}
	}
	for _, z := range []float64{-8.5, -9, math.Inf(-1), 8.5, 100} {
		c, p := normCDF(z)
		if c != math.Round(c) || p != 0 {
			t.Errorf("normCDF(%v) = %v, %v", z, c, p)
		}
	}
	if c, p := normCDF(math.NaN()); !math.IsNaN(c) || !math.IsNaN(p) {
		t.Error("normCDF(NaN) is not NaN")
	}
	var eApprox, eExact float64
	for p := 1e-300; p < 0.9999999; p *= 1.013 {
		for _, a := range []float64{p, 1 - p} {
			x, xe := normQuantileApprox(a), normQuantile(a)
			eApprox = max(eApprox, math.Abs(x-xe)/math.Abs(xe))
			back, tail := 0.5*math.Erfc(-xe/math.Sqrt2), a
			if xe > 0 {
				back, tail = 0.5*math.Erfc(xe/math.Sqrt2), 1-a
			}
			eExact = max(eExact, math.Abs(back-tail)/tail)
		}
	}
	if eApprox > 1.2e-9 || eExact > 1e-12 {
		t.Errorf("Φ⁻¹: approximation relative error %.3g (bound 1.2e-9), refined %.3g in Φ (bound 1e-12)", eApprox, eExact)
	}
}

// crpsIntegral is ∫ (F(z) − 1{z ≥ y})² dz with the exact Φ, by quadrature
// on both sides of y out to 40σ beyond every component.
func crpsIntegral(cs []comp, y float64) float64 {
	lo, hi := y, y
	for _, c := range cs {
		lo, hi = min(lo, c.m-40*c.s), max(hi, c.m+40*c.s)
	}
	F := func(z float64) float64 { l, _ := exactTails(cs, z); return l }
	S := func(z float64) float64 { _, u := exactTails(cs, z); return u }
	h := math.Inf(1)
	for _, c := range cs {
		h = min(h, c.s/8)
	}
	below := integrate(func(z float64) float64 { f := F(z); return f * f }, lo, y, h)
	above := integrate(func(z float64) float64 { s := S(z); return s * s }, y, hi, h)
	return below + above
}

// TestInterpolantBounds holds the interpolated Φ to the constants
// stepBound relies on (its third derivative, the jumps of its second and
// first derivatives and of its value), and checks stepBound itself: on
// random mixtures, points and steps, |G(y − s) − α| for the interpolated
// mixture CDF G never exceeds it.
func TestInterpolantBounds(t *testing.T) {
	h2, h3 := float64(normPerZ*normPerZ), float64(normPerZ*normPerZ*normPerZ)
	var d3, jump2 float64
	for i, c := range normPoly {
		d3 = max(d3, math.Abs(6*c[3])*h3)
		right := (2*c[2] + 6*c[3]) * h2 // G″ at the cell's right end
		next := 0.0                     // beyond the table
		if i+1 < len(normPoly) {
			next = 2 * normPoly[i+1][2] * h2
		}
		jump2 = max(jump2, math.Abs(right-next))
	}
	jump2 = max(jump2, math.Abs(2*normPoly[0][2]*h2))
	jump1 := max(normTab[0][1], normTab[len(normTab)-1][1])
	jump0 := max(normTab[0][0], 1-normTab[len(normTab)-1][0])
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"|third derivative|", d3, interpD3}, {"second derivative's jumps", jump2, interpJump2},
		{"first derivative's jumps", jump1, interpJump1}, {"value's jumps", jump0, interpJump0},
	} {
		if c.got > c.want {
			t.Errorf("interpolated Φ: %s up to %.4g, above the bound %.4g", c.name, c.got, c.want)
		}
	}

	rng := rand.New(rand.NewPCG(31, 32))
	var b stackScratch
	s := b.scratch()
	s.need(6, 0, 0)
	worst := 0.0
	for range 3000 {
		k := 1 + rng.IntN(5)
		mix := Mixture{N: 1, K: k, D: 1, Pi: make([]float32, k), Mu: make([]float32, k), Sigma: make([]float32, k)}
		for c := range k {
			mix.Pi[c] = float32(rng.Float64() + 0.01)
			mix.Mu[c] = float32(3 * rng.NormFloat64())
			mix.Sigma[c] = float32(math.Exp(rng.NormFloat64() - 1))
		}
		cs := mix.gather(s.comps, 0, 0)
		sums := cumulate(cs)
		upper := rng.IntN(2) == 0
		y := 3 * rng.NormFloat64()
		alpha := rng.Float64()
		p, f, fp := mixCDF(cs, y, upper)
		r := p - alpha
		if upper {
			r = alpha - p // solving on 1 − F: r = F(y) − (1 − α)
		}
		st := math.Ldexp(rng.NormFloat64(), -rng.IntN(12)) * float64(mix.Sigma[0]) // steps from σ to σ/4096
		p2, _, _ := mixCDF(cs, y-st, upper)
		r2 := p2 - alpha
		if upper {
			r2 = alpha - p2
		}
		bound := stepBound(r, f, fp, st, &sums)
		if math.Abs(r2) > bound {
			t.Fatalf("mixture %v: |G(y − s) − α| = %.4g at y = %v, s = %v, above stepBound %.4g", mix, math.Abs(r2), y, st, bound)
		}
		if b := bound - math.Abs(r2); b > 0 {
			worst = max(worst, math.Abs(r2)/bound)
		}
	}
	t.Logf("largest |G(y − s) − α| / stepBound: %.3f", worst)
}

func TestCRPS(t *testing.T) {
	// One Gaussian: σ (z(2Φ(z) − 1) + 2φ(z) − 1/√π).
	for _, c := range [][3]float64{{0, 1, 0}, {0, 1, 1.5}, {2, 0.1, 1.7}, {-5, 3, 20}, {1, 1e-3, 1}} {
		mu, s, y := c[0], c[1], c[2]
		mix := Mixture{N: 1, K: 1, D: 1, Pi: []float32{1}, Mu: []float32{float32(mu)}, Sigma: []float32{float32(s)}}
		got := make([]float32, 1)
		if err := mix.CRPS(got, []float32{float32(y)}); err != nil {
			t.Fatal(err)
		}
		s, mu, y = float64(float32(s)), float64(float32(mu)), float64(float32(y))
		z := (y - mu) / s
		want := s * (z*(2*0.5*math.Erfc(-z/math.Sqrt2)-1) + 2*stdNormalPDF(z) - 1/math.Sqrt(math.Pi))
		if math.Abs(float64(got[0])-want) > 1e-6*want {
			t.Errorf("CRPS of N(%v, %v²) at %v = %v, closed form %v", mu, s, y, got[0], want)
		}
	}
	// Mixtures: against the integral of (F − 1{z ≥ y})².
	for _, tm := range testMixes {
		if !tm.quadrature() {
			continue // scales a quadrature cannot span; the closed form is checked on the others
		}
		mix := tm.mixture(1)
		for _, off := range []float64{-2, 0, 0.7, 3} {
			y := make([]float32, mix.D)
			for j := range y {
				y[j] = tm.mu[j] + float32(off)
			}
			got := make([]float32, mix.D)
			if err := mix.CRPS(got, y); err != nil {
				t.Fatal(err)
			}
			for j := range mix.D {
				want := crpsIntegral(mix.gather(make([]comp, mix.K), 0, j), float64(y[j]))
				if math.Abs(float64(got[j])-want) > 1e-6*want {
					t.Errorf("%s dim %d at %v: CRPS %v, integral %v", tm.name, j, y[j], got[j], want)
				}
			}
		}
	}
}

func TestMomentsAndDensity(t *testing.T) {
	for _, tm := range testMixes {
		if !tm.quadrature() || strings.Contains(tm.name, "weight") {
			continue
		}
		mix := tm.mixture(1)
		d := mix.D
		mean, vr, sd := make([]float32, d), make([]float32, d), make([]float32, d)
		if err := errorsJoin(mix.Mean(mean), mix.Variance(vr), mix.Std(sd)); err != nil {
			t.Fatal(err)
		}
		for j := range d {
			cs := mix.gather(make([]comp, mix.K), 0, j)
			lo, hi, h := math.Inf(1), math.Inf(-1), math.Inf(1)
			for _, c := range cs {
				lo, hi, h = min(lo, c.m-40*c.s), max(hi, c.m+40*c.s), min(h, c.s/4)
			}
			dens := func(y float64) float64 {
				var p float64
				for _, c := range cs {
					p += c.w * stdNormalPDF((y-c.m)/c.s) / c.s
				}
				return p
			}
			m1 := integrate(func(y float64) float64 { return y * dens(y) }, lo, hi, h)
			m2 := integrate(func(y float64) float64 { return (y - m1) * (y - m1) * dens(y) }, lo, hi, h)
			if math.Abs(float64(mean[j])-m1) > 1e-6*(1+math.Abs(m1)) || math.Abs(float64(vr[j])-m2) > 1e-6*m2 ||
				math.Abs(float64(sd[j])-math.Sqrt(m2)) > 1e-6*math.Sqrt(m2) {
				t.Errorf("%s dim %d: mean %v var %v std %v, integrated %v %v", tm.name, j, mean[j], vr[j], sd[j], m1, m2)
			}
			// Density on a grid: the formula, and it integrates to 1.
			const g = 2001
			grid := make([]float32, g)
			for i := range grid {
				grid[i] = float32(lo + (hi-lo)*float64(i)/(g-1))
			}
			out := make([]float32, g*d)
			if err := mix.Density(out, grid); err != nil {
				t.Fatal(err)
			}
			for i, y := range grid {
				if want := dens(float64(y)); math.Abs(float64(out[i*d+j])-want) > 1e-6*want+1e-30 {
					t.Fatalf("%s dim %d: density at %v = %v, want %v", tm.name, j, y, out[i*d+j], want)
				}
			}
		}
	}
}

func errorsJoin(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// TestCalibrationOnKnownMixture draws y from known per-row mixtures and
// checks that the PIT values are uniform and the central intervals cover
// what they claim (fixed seed; bounds of about 4 standard errors).
func TestCalibrationOnKnownMixture(t *testing.T) {
	const n = 20000
	rng := rand.New(rand.NewPCG(14, 2))
	mix := Mixture{N: n, K: 3, D: 1}
	y := make([]float32, n)
	for i := range n {
		w := [3]float64{rng.Float64() + 0.1, rng.Float64() + 0.1, rng.Float64() + 0.1}
		s := w[0] + w[1] + w[2]
		for c := range 3 {
			mix.Pi = append(mix.Pi, float32(w[c]/s))
			mix.Mu = append(mix.Mu, float32(5*rng.NormFloat64()))
			mix.Sigma = append(mix.Sigma, float32(0.1+2*rng.Float64()))
		}
		u, c := rng.Float64(), 0
		for c < 2 && u >= float64(mix.Pi[i*3+c]) {
			u -= float64(mix.Pi[i*3+c])
			c++
		}
		y[i] = mix.Mu[i*3+c] + mix.Sigma[i*3+c]*float32(rng.NormFloat64())
	}
	pit := make([]float32, n)
	if err := mix.PIT(pit, y); err != nil {
		t.Fatal(err)
	}
	// Kolmogorov–Smirnov distance to U(0, 1): 1.63/√n is the 1% point.
	s := slices.Clone(pit)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	var ks float64
	for i, v := range s {
		ks = max(ks, math.Abs(float64(v)-float64(i)/n), math.Abs(float64(v)-float64(i+1)/n))
	}
	if ks > 1.63/math.Sqrt(n) {
		t.Errorf("PIT KS distance %.4f, 1%% critical value %.4f", ks, 1.63/math.Sqrt(n))
	}
	for _, c := range []float64{0.5, 0.9, 0.95} {
		lo, hi := make([]float32, n), make([]float32, n)
		if err := mix.Interval(lo, hi, c); err != nil {
			t.Fatal(err)
		}
		in := 0
		for i := range n {
			in += btoi(lo[i] <= y[i] && y[i] <= hi[i])
		}
		got, se := float64(in)/n, math.Sqrt(c*(1-c)/n)
		if math.Abs(got-c) > 4*se {
			t.Errorf("%.0f%% interval covers %.4f of the rows (±%.4f allowed)", 100*c, got, 4*se)
		}
		if fromPIT := Coverage(pit, c); math.Abs(fromPIT-got) > 2.0/n {
			t.Errorf("%.0f%% coverage from the PIT %.4f, from the intervals %.4f", 100*c, fromPIT, got)
		}
	}
}

func TestMixtureQueryErrors(t *testing.T) {
	mix := testMixes[1].mixture(2)
	two, one := make([]float32, 2), make([]float32, 1)
	for _, c := range []struct {
		err  error
		want string
	}{
		{mix.Mean(one), "len(dst) = 1, want 2"},
		{mix.Quantiles(two, []float64{0.5, 0.9}), "len(dst) = 2, want 4"},
		{mix.Quantiles(two, []float64{1}), "level 0 is 1"},
		{mix.Quantiles(two, []float64{math.NaN()}), "level 0 is NaN"},
		{mix.Quantiles(make([]float32, 4), []float64{0.5, -0.1}), "level 1 is -0.1"},
		{mix.Interval(two, two, 1.2), "coverage 1.2"},
		{mix.CDF(two, []float32{0, float32(math.NaN())}), "y row 1, column 0: value NaN"},
		{mix.CRPS(two, one), "len(y) = 1, want 2"},
		{mix.Density(two, []float32{float32(math.Inf(1))}), "grid row 0, column 0: value +Inf"},
		{(&Mixture{N: 2, K: 2, D: 1, Pi: mix.Pi[:3], Mu: mix.Mu, Sigma: mix.Sigma}).Mean(two), "len(Pi) = 3"},
		// N·K·D wraps to 0 in an int: an error, not a slice panic.
		{(&Mixture{N: 1 << 62, K: 4, D: 4}).Mean(nil), "N·K·D overflows an int"},
		{(&Mixture{N: 1 << 61, K: 1, D: 8}).Quantiles(nil, []float64{0.5}), "N·K·D overflows an int"},
	} {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("error %v, want one containing %q", c.err, c.want)
		}
	}
}

// TestMixtureNoAlloc holds the Mixture methods to the package's promise:
// no allocation for K ≤ 64, D ≤ 64 and at most 16 levels, at the corners
// of that range (Mode's scratch, 2K + K·D + 3D floats, grows with both).
func TestMixtureNoAlloc(t *testing.T) {
	for _, kd := range [][2]int{{1, 1}, {5, 1}, {64, 1}, {2, 64}, {64, 64}} {
		k, d := kd[0], kd[1]
		mix := Mixture{N: 2, K: k, D: d, Pi: make([]float32, 2*k), Mu: make([]float32, 2*k*d), Sigma: make([]float32, 2*k*d)}
		for i := range mix.Pi {
			mix.Pi[i] = 1 / float32(k)
		}
		for i := range mix.Mu {
			mix.Mu[i], mix.Sigma[i] = float32(i%7), 0.5+float32(i%3)
		}
		levels := make([]float64, 16)
		for l := range levels {
			levels[l] = (float64(l) + 0.5) / 16
		}
		out, out2, y := make([]float32, 2*d), make([]float32, 2*d), make([]float32, 2*d)
		q, grid := make([]float32, 2*16*d), []float32{-1, 0, 1}
		dens := make([]float32, 2*len(grid)*d)
		for _, c := range []struct {
			name string
			run  func() error
		}{
			{"Mean", func() error { return mix.Mean(out) }},
			{"Variance", func() error { return mix.Variance(out) }},
			{"Std", func() error { return mix.Std(out) }},
			{"Mode", func() error { return mix.Mode(out) }},
			{"CDF", func() error { return mix.CDF(out, y) }},
			{"CRPS", func() error { return mix.CRPS(out, y) }},
			{"Quantiles", func() error { return mix.Quantiles(q, levels) }},
			{"Interval", func() error { return mix.Interval(out, out2, 0.9) }},
			{"Density", func() error { return mix.Density(dens, grid) }},
		} {
			if err := c.run(); err != nil {
				t.Fatalf("K=%d D=%d %s: %v", k, d, c.name, err)
			}
			if a := testing.AllocsPerRun(3, func() { _ = c.run() }); a != 0 {
				t.Errorf("K=%d D=%d %s: %v allocations per call", k, d, c.name, a)
			}
		}
	}
}

// TestQuantilesNaNParameters: a component with a NaN parameter makes the
// quantiles and the mode NaN, as it makes F NaN (CDF), not a finite value
// from the solver's or the mode search's start; a NaN in a component of
// weight 0 changes nothing.
func TestQuantilesNaNParameters(t *testing.T) {
	nan := float32(math.NaN())
	inf := float32(math.Inf(1))
	for _, c := range []struct {
		name             string
		pi, mu, sigma    []float32
		wantNaN, modeNaN bool
	}{
		{"NaN μ", []float32{1}, []float32{nan}, []float32{1}, true, true},
		{"NaN σ", []float32{0.5, 0.5}, []float32{0, 1}, []float32{1, nan}, true, true},
		{"NaN weight", []float32{0.5, nan}, []float32{5, 6}, []float32{1, 1}, true, true},
		// F is ∞·0 there; the density, and so the mode, is not NaN.
		{"infinite μ and σ", []float32{0.5, 0.5}, []float32{0, inf}, []float32{1, inf}, true, false},
		{"NaN μ at weight 0", []float32{1, 0}, []float32{5, nan}, []float32{1, 1}, false, false},
	} {
		mix := Mixture{N: 1, K: len(c.pi), D: 1, Pi: c.pi, Mu: c.mu, Sigma: c.sigma}
		q := make([]float32, 3)
		if err := mix.Quantiles(q, []float64{0.1, 0.5, 0.9}); err != nil {
			t.Fatal(err)
		}
		lo, hi := make([]float32, 1), make([]float32, 1)
		if err := mix.Interval(lo, hi, 0.5); err != nil {
			t.Fatal(err)
		}
		cdf, mode := make([]float32, 1), make([]float32, 1)
		if err := mix.CDF(cdf, []float32{5}); err != nil {
			t.Fatal(err)
		}
		if err := mix.Mode(mode); err != nil {
			t.Fatal(err)
		}
		for i, v := range append(q, lo[0], hi[0], cdf[0]) {
			if isNaN := v != v; isNaN != c.wantNaN {
				t.Errorf("%s: value %d is %v, want NaN: %v", c.name, i, v, c.wantNaN)
			}
		}
		if isNaN := mode[0] != mode[0]; isNaN != c.modeNaN {
			t.Errorf("%s: mode %v, want NaN: %v", c.name, mode[0], c.modeNaN)
		}
	}
}

// TestIntervalCoverageNearOne: a coverage within 2⁻⁵³ of 1, whose upper
// level (1 + c)/2 rounds to 1 in float64, is served: the upper quantile
// solves 1 − F = (1 − c)/2, and the interval is symmetric for a
// symmetric mixture.
func TestIntervalCoverageNearOne(t *testing.T) {
	mix := Mixture{N: 1, K: 2, D: 1, Pi: []float32{0.5, 0.5}, Mu: []float32{-3, 3}, Sigma: []float32{1, 1}}
	c := math.Nextafter(1, 0)
	if (1+c)/2 != 1 {
		t.Fatalf("(1 + c)/2 = %v: the test needs a coverage whose upper level rounds to 1", (1+c)/2)
	}
	lo, hi := make([]float32, 1), make([]float32, 1)
	if err := mix.Interval(lo, hi, c); err != nil {
		t.Fatal(err)
	}
	cs := mix.gather(make([]comp, 2), 0, 0)
	beta := (1 - c) / 2
	if ok, err := quantileOK(cs, lo[0], beta, exactTails); !ok {
		t.Errorf("lower end %v at level %v: |F(q) − α| = %.3g", lo[0], beta, err)
	}
	// The upper end from the upper tail: 1 − F(hi) = β (quantileOK's
	// 1 − α would be 0 here).
	upperErr := func(q float32) float64 { _, u := exactTails(cs, float64(q)); return beta - u }
	if e := upperErr(hi[0]); math.Abs(e) > 1e-6*beta+1e-17 &&
		!(upperErr(math.Nextafter32(hi[0], -1)) <= 0 && upperErr(math.Nextafter32(hi[0], 100)) >= 0) {
		t.Errorf("upper end %v: 1 − F − β = %.3g", hi[0], e)
	}
	if lo[0] != -hi[0] || !(hi[0] > 10) {
		t.Errorf("interval [%v, %v], want symmetric, beyond 10", lo[0], hi[0])
	}
}

// TestModeZeroSigma: a component with σ = 0 is a point of infinite
// density, so the mode is its mean whatever the components' order (the
// heaviest of several such points; the first of equal weights).
func TestModeZeroSigma(t *testing.T) {
	for _, c := range []struct {
		pi, mu, sigma []float32
		d             int
		want          []float32
	}{
		{[]float32{0.7, 0.3}, []float32{6, 5}, []float32{1, 0}, 1, []float32{5}},
		{[]float32{0.3, 0.7}, []float32{5, 6}, []float32{0, 1}, 1, []float32{5}},
		{[]float32{0.2, 0.5, 0.3}, []float32{1, 2, 3}, []float32{0, 1, 0}, 1, []float32{3}},
		{[]float32{0.5, 0.5}, []float32{1, 2}, []float32{0, 0}, 1, []float32{1}},
		{[]float32{0, 1}, []float32{1, 2}, []float32{0, 1}, 1, []float32{2}}, // weight 0: no atom
		{[]float32{0.9, 0.1}, []float32{0, 0, 4, -4}, []float32{1, 1, 2, 0}, 2, []float32{4, -4}},
	} {
		mix := Mixture{N: 1, K: len(c.pi), D: c.d, Pi: c.pi, Mu: c.mu, Sigma: c.sigma}
		got := make([]float32, c.d)
		if err := mix.Mode(got); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("π %v, μ %v, σ %v: mode %v, want %v", c.pi, c.mu, c.sigma, got, c.want)
		}
	}
}
