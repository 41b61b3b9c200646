package mdn

import (
	"fmt"
	"math"
	"slices"
)

// Distribution queries on a predicted mixture, in the units of its
// parameters. Every query works per row and per output dimension on the
// marginal mixture of that dimension, Σ_k π_k N(μ_kj, σ_kj²), computes in
// float64 and writes float32 into a slice the caller owns: dst has one
// value per row and dimension, dst[i*D+j], except where a method says
// otherwise. The methods allocate nothing for K ≤ 64 components, D ≤ 64
// dimensions and at most 16 levels (above that, a small scratch per call);
// a Predictor runs the same queries on the rows of x without allocating at
// any size.

// check validates the mixture's shape.
func (mix *Mixture) check() error {
	if mix.N < 0 || mix.K < 1 || mix.D < 1 {
		return fmt.Errorf("mdn: Mixture with N = %d, K = %d, D = %d: want N ≥ 0, K ≥ 1, D ≥ 1", mix.N, mix.K, mix.D)
	}
	nk, ok := mulInt(mix.N, mix.K)
	nkd, ok2 := mulInt(nk, mix.D)
	if !ok || !ok2 {
		return fmt.Errorf("mdn: Mixture with N = %d, K = %d, D = %d: N·K·D overflows an int", mix.N, mix.K, mix.D)
	}
	if len(mix.Pi) != nk || len(mix.Mu) != nkd || len(mix.Sigma) != nkd {
		return fmt.Errorf("mdn: Mixture of %d rows, K = %d, D = %d has len(Pi) = %d, len(Mu) = %d, len(Sigma) = %d; want %d, %d, %d",
			mix.N, mix.K, mix.D, len(mix.Pi), len(mix.Mu), len(mix.Sigma), nk, nkd, nkd)
	}
	return nil
}

// mulInt returns a·b for a, b ≥ 0, and whether it fits in an int.
func mulInt(a, b int) (int, bool) {
	if a == 0 || b == 0 {
		return 0, true
	}
	c := a * b
	return c, c/b == a && c > 0
}

// checkOut returns an error unless len(s) = n·per·d; name and unit say
// what the slice holds.
func checkOut(name string, s []float32, n, per, d int, unit string) error {
	want, ok := mulInt(n, per)
	want, ok2 := mulInt(want, d)
	if !ok || !ok2 {
		return fmt.Errorf("mdn: len(%s) = %d, want %d rows × %d %s × %d outputs, more values than an int counts", name, len(s), n, per, unit, d)
	}
	if len(s) != want {
		if per == 1 {
			return fmt.Errorf("mdn: len(%s) = %d, want %d (%d rows × %d outputs)", name, len(s), want, n, d)
		}
		return fmt.Errorf("mdn: len(%s) = %d, want %d (%d rows × %d %s × %d outputs)", name, len(s), want, n, per, unit, d)
	}
	return nil
}

// checkFinite returns an error naming the first value of s (rows of cols
// values) that is NaN or infinite.
func checkFinite(s []float32, cols int, what string) error {
	if allFinite(s) {
		return nil
	}
	for i, v := range s {
		if v-v != 0 {
			return fmt.Errorf("mdn: %s row %d, column %d: value %v is not finite", what, i/cols, i%cols, v)
		}
	}
	return nil
}

// allFinite reports whether every value of s is finite, in one pass
// without branches on the values: v·0 is ±0 for finite v and NaN for NaN
// or ±Inf, so four running sums of them end at 0 exactly when all are
// finite. (A loop that tests each value took 0.67 µs of a 13.3 µs
// Mixture of the seed's 1000 rows, in a CPU profile; this one takes 0.23
// µs for 1000 values.)
func allFinite(s []float32) bool {
	var a0, a1, a2, a3 float32
	for len(s) >= 4 {
		a0 += s[0] * 0
		a1 += s[1] * 0
		a2 += s[2] * 0
		a3 += s[3] * 0
		s = s[4:]
	}
	for _, v := range s {
		a0 += v * 0
	}
	return a0+a1+a2+a3 == 0
}

// comp is one mixture component in one dimension, in float64.
type comp struct {
	w, m, s, inv float64 // weight, mean, σ, 1/σ (1e300 for σ = 0)
	wi, wi2      float64 // w/σ, w/σ²
	below        float64 // the weight of the components with lower means (see cumulate)
}

// mul returns a·b rounded to float64. The code the quantile kernels
// repeat (cumulate, startPoint, normQuantileApprox, startLog,
// mixCDF, solve's step and its bounds) writes every product that feeds a
// sum as mul(a, b): Go may fuse a·b + c into one multiply-add (it does for
// GOAMD64=v3 and above, and on arm64), which rounds once instead of
// twice, and the kernels do not fuse. The explicit conversion forbids
// the fusion (the spec's rule for conversions), so every build rounds as
// the kernels do.
func mul(a, b float64) float64 { return float64(a * b) }

// level is one requested quantile level, prepared once per call.
type level struct {
	alpha float64 // the level, 0 < alpha < 1
	beta  float64 // 1 − alpha, kept apart where alpha rounds to 1 (Interval)
	z     float64 // Φ⁻¹(alpha)
	tol   float64 // the solver's tolerance on |F(q) − alpha|
	upper bool    // solve on 1 − F (alpha > ½), so that beta keeps its precision
}

// scratch is the per-row working memory of the queries.
type scratch struct {
	comps  []comp
	levels []level
	starts []start
	f      []float64
	mode   *modeWork // the mode kernel's memory, where it runs
}

// start is a quantile's start point y0 and, when y0 is finite, the first
// evaluation of F there (at float32(y0)): the quantiles of a row take
// these for all their levels first, so that the levels' independent
// computations overlap.
type start struct {
	y0, p, f, fp float64
}

// stackScratch backs a scratch with fixed arrays, for the Mixture methods:
// declared in the method, it stays on the stack.
type stackScratch struct {
	comps  [64]comp
	levels [16]level
	starts [16]start
	f      [192]float64
}

func (b *stackScratch) scratch() scratch {
	return scratch{comps: b.comps[:0], levels: b.levels[:0], starts: b.starts[:0], f: b.f[:0]}
}

// need grows the scratch for K components, L levels and nf floats.
func (s *scratch) need(k, l, nf int) {
	if cap(s.comps) < k {
		s.comps = make([]comp, 0, k)
	}
	if cap(s.levels) < l {
		s.levels = make([]level, 0, l)
		s.starts = make([]start, 0, l)
	}
	if cap(s.f) < nf {
		s.f = make([]float64, 0, nf)
	}
}

// gather returns the components of row i in dimension j with nonzero
// weight, in float64, in cs's memory. The weights are divided by their sum,
// so that F rises to 1 exactly (softmax's float32 weights sum to 1 only
// within a few ULP), which keeps both tails consistent.
func (mix *Mixture) gather(cs []comp, i, j int) []comp {
	k, d := mix.K, mix.D
	pi, mu, sg := mix.marginal(i, j)
	norm := 1 / weightSum(pi)
	cs = cs[:k]
	n := 0
	for c, w := range pi {
		if w == 0 {
			continue
		}
		s := float64(sg[c*d])
		inv := 1 / s
		if s == 0 {
			inv = 1e300
		}
		wn := float64(w) * norm
		e := &cs[n]
		e.w, e.m, e.s, e.inv, e.wi, e.wi2 = wn, float64(mu[c*d]), s, inv, wn*inv, wn*inv*inv
		n++
	}
	return cs[:n]
}

// marginal returns row i's weights and its means and σ from dimension j
// on: component c's are mu[c*D] and sg[c*D].
func (mix *Mixture) marginal(i, j int) (pi, mu, sg []float32) {
	k, d := mix.K, mix.D
	return mix.Pi[i*k : (i+1)*k], mix.Mu[i*k*d+j : (i+1)*k*d], mix.Sigma[i*k*d+j : (i+1)*k*d]
}

// weightSum returns the sum of the weights pi in float64, in order: what
// gather and the kernels' batches divide the weights by.
func weightSum(pi []float32) float64 {
	var sum float64
	for _, w := range pi {
		sum += float64(w)
	}
	return sum
}

// Mean sets dst[i*D+j] to the mean of row i's mixture in dimension j,
// Σ_k π_k μ_kj.
func (mix *Mixture) Mean(dst []float32) error {
	if err := mix.check(); err != nil {
		return err
	}
	if err := checkOut("dst", dst, mix.N, 1, mix.D, ""); err != nil {
		return err
	}
	mix.mean(dst)
	return nil
}

func (mix *Mixture) mean(dst []float32) { mix.moments(dst, qMean) }

// Variance sets dst[i*D+j] to the variance of row i's mixture in dimension
// j, by the law of total variance: the mean of the components' variances
// plus the variance of their means, Σ_k π_k σ_kj² + Σ_k π_k (μ_kj − m_j)²
// with m_j the mixture mean.
func (mix *Mixture) Variance(dst []float32) error {
	if err := mix.check(); err != nil {
		return err
	}
	if err := checkOut("dst", dst, mix.N, 1, mix.D, ""); err != nil {
		return err
	}
	mix.variance(dst, false)
	return nil
}

// Std sets dst to the standard deviations, the square roots of Variance.
func (mix *Mixture) Std(dst []float32) error {
	if err := mix.check(); err != nil {
		return err
	}
	if err := checkOut("dst", dst, mix.N, 1, mix.D, ""); err != nil {
		return err
	}
	mix.variance(dst, true)
	return nil
}

func (mix *Mixture) variance(dst []float32, std bool) {
	if std {
		mix.moments(dst, qStd)
	} else {
		mix.moments(dst, qVariance)
	}
}

// moments sets dst to the mean (qMean), the variance (qVariance) or the
// standard deviation (qStd) of every row and dimension: the mean Σ π·μ,
// then Σ π·(σ² + (μ − mean)²), each product rounded before its sum (mul;
// π·μ and σ² are exact in float64, the products of two float32).
// The vector kernel takes the rows it can first (momentsVec, the same
// bits), and Go the rest.
func (mix *Mixture) moments(dst []float32, q query) {
	k, d := mix.K, mix.D
	for i := momentsVec(mix, dst, q); i < mix.N; i++ {
		pi := mix.Pi[i*k : (i+1)*k]
		mu := mix.Mu[i*k*d : (i+1)*k*d]
		sg := mix.Sigma[i*k*d : (i+1)*k*d]
		out := dst[i*d : (i+1)*d]
		for j := range out {
			var m float64
			for c, w := range pi {
				m += mul(float64(w), float64(mu[c*d+j]))
			}
			if q == qMean {
				out[j] = float32(m)
				continue
			}
			var v float64
			for c, w := range pi {
				s, e := float64(sg[c*d+j]), float64(mu[c*d+j])-m
				v += mul(float64(w), mul(s, s)+mul(e, e))
			}
			if q == qStd {
				v = math.Sqrt(v)
			}
			out[j] = float32(v)
		}
	}
}

// CDF sets dst[i*D+j] to F_ij(y[i*D+j]), the marginal cumulative
// distribution of row i's mixture in dimension j at y, within 1e-10 of the
// exact value. At observed targets these are the PIT values (see PIT).
func (mix *Mixture) CDF(dst, y []float32) error {
	if err := mix.checkY(dst, y); err != nil {
		return err
	}
	var b stackScratch
	s := b.scratch()
	mix.cdf(dst, y, &s)
	return nil
}

// PIT is CDF at observed targets: the probability integral transform
// F(y), uniform on (0, 1) when y is drawn from the predicted distribution.
func (mix *Mixture) PIT(dst, y []float32) error { return mix.CDF(dst, y) }

// checkY validates the mixture, dst and y for a query at one y per row and
// dimension.
func (mix *Mixture) checkY(dst, y []float32) error {
	if err := mix.check(); err != nil {
		return err
	}
	if err := checkOut("y", y, mix.N, 1, mix.D, ""); err != nil {
		return err
	}
	if err := checkOut("dst", dst, mix.N, 1, mix.D, ""); err != nil {
		return err
	}
	return checkFinite(y, mix.D, "y")
}

// cdf is CDF after the checks: the rows the vector kernel takes first
// (cdfVec, the same bits), then each (row, dimension) pair in Go.
func (mix *Mixture) cdf(dst, y []float32, s *scratch) {
	s.need(mix.K, 0, 0)
	d := mix.D
	for i := cdfVec(mix, dst, y, s); i < mix.N; i++ {
		for j := range d {
			dst[i*d+j] = mix.cdfPair(i, j, y[i*d+j], s)
		}
	}
}

// cdfPair is F(y) of row i's mixture in dimension j, in Go.
func (mix *Mixture) cdfPair(i, j int, y float32, s *scratch) float32 {
	p, _, _ := mixCDF(mix.gather(s.comps, i, j), float64(y), false)
	return float32(p)
}

// mixCDF returns F(y), or 1 − F(y) when upper, of the components, the
// density f(y) and its derivative f′(y), from the interpolated Φ (normCDF,
// written out here: this loop is most of the quantile solver's time).
func mixCDF(cs []comp, y float64, upper bool) (p, f, fp float64) {
	sg := 1.0
	if upper {
		sg = -1
	}
	for i := range cs {
		c := &cs[i]
		z := sg * (y - c.m) * c.inv
		if !(z > -normZMax) {
			if z != z {
				return z, z, z
			}
			continue
		}
		if z >= normZMax {
			p += c.w
			continue
		}
		t := mul(z+normZMax, normPerZ)
		j := int(t)
		if j > len(normPoly)-1 {
			j = len(normPoly) - 1
		}
		t -= float64(j)
		q := &normPoly[j]
		p += mul(c.w, q[0]+mul(t, q[1]+mul(t, q[2]+mul(t, q[3]))))
		f += mul(c.wi, q[1]+mul(t, 2*q[2]+mul(t*3, q[3])))
		fp += mul(c.wi2, 2*q[2]+mul(t*6, q[3]))
	}
	return p, f * normPerZ, sg * fp * (normPerZ * normPerZ)
}

// Accuracy of Quantiles: the returned q satisfies
//
//	|F(q) − α| ≤ 1e-6·min(α, 1 − α) + 1e-17
//
// (F exact, in float64), or, where F rises so steeply that no float32
// does, q is within one float32 step of the exact quantile.
const quantileRelTol = 2.5e-7 // the solver's share; the interpolated Φ adds < 7.5e-7 relative

// maxQuantileIter bounds the solver's steps; bisection alone needs at most
// about 280 to bring any float32 bracket down to adjacent values.
const maxQuantileIter = 400

// prepareLevels validates levels and returns them prepared, in dst's
// memory (returned, not stored through a pointer, so that a caller's
// stack scratch stays on the stack).
func prepareLevels(dst []level, levels []float64) ([]level, error) {
	dst = dst[:0]
	for i, a := range levels {
		if !(a > 0 && a < 1) {
			return dst, fmt.Errorf("mdn: level %d is %v, want a value in (0, 1)", i, a)
		}
		dst = append(dst, newLevel(a, 1-a))
	}
	return dst, nil
}

// newLevel prepares the level a, with b = 1 − a computed by the caller
// (0 < b < 1): a itself may round to 1 when b is tiny.
func newLevel(a, b float64) level {
	z := normQuantile(a)
	if a >= 1 {
		z = -normQuantile(b)
	}
	return level{alpha: a, beta: b, z: z, tol: quantileRelTol * min(a, b), upper: a > 0.5}
}

// intervalLevels returns the levels of the central interval of the given
// coverage, 0 < coverage < 1: (1 − coverage)/2 and (1 + coverage)/2, the
// upper one with 1 − α = (1 − coverage)/2 exactly, which (1 + coverage)/2
// cannot keep when coverage is within 2⁻⁵³ of 1.
func intervalLevels(dst []level, coverage float64) ([]level, error) {
	if !(coverage > 0 && coverage < 1) {
		return dst[:0], fmt.Errorf("mdn: interval coverage %v, want a value in (0, 1)", coverage)
	}
	b := (1 - coverage) / 2
	return append(dst[:0], newLevel(b, 1-b), newLevel((1+coverage)/2, b)), nil
}

// Quantiles sets dst[(i*L+l)*D+j] to the quantile at levels[l] (L =
// len(levels)) of row i's marginal mixture in dimension j: the q with
// F(q) = levels[l]. Levels must lie in (0, 1). The result satisfies
// |F(q) − α| ≤ 1e-6·min(α, 1 − α) + 1e-17 for F the exact marginal CDF, or,
// where the CDF rises more steeply than float32 can resolve, q is within
// one float32 step of the exact quantile. The solver brackets q between
// the components' own quantiles, starts from the quantile of the component
// the level falls in, and takes safeguarded Newton steps, bisecting when a
// step leaves the bracket or shrinks it too slowly, so far-apart and
// near-zero-σ components converge as well. A quantile beyond ±MaxFloat32
// (a component of σ near MaxFloat32 can put it there) is ±Inf. A NaN
// parameter of a component with nonzero weight (μ, σ or the weight) makes
// the quantiles NaN, as it makes F. On avx512 and avx2fma the solver's
// first two iterations run eight rows at a time in float64 vectors (four
// at a time on avx2fma), with the Go solver's operations in its order, so
// that every path gives the same bits.
func (mix *Mixture) Quantiles(dst []float32, levels []float64) error {
	if err := mix.check(); err != nil {
		return err
	}
	if err := checkOut("dst", dst, mix.N, len(levels), mix.D, "levels"); err != nil {
		return err
	}
	var b stackScratch
	s := b.scratch()
	s.need(mix.K, len(levels), 0)
	var err error
	if s.levels, err = prepareLevels(s.levels, levels); err != nil {
		return err
	}
	mix.quantiles(dst, &s)
	return nil
}

// Interval sets lo and hi to the central interval holding the fraction
// coverage (0 < coverage < 1) of each marginal: the quantiles at
// (1 − coverage)/2 and (1 + coverage)/2, with Quantiles' accuracy.
func (mix *Mixture) Interval(lo, hi []float32, coverage float64) error {
	if err := mix.check(); err != nil {
		return err
	}
	if err := checkOut("lo", lo, mix.N, 1, mix.D, ""); err != nil {
		return err
	}
	if err := checkOut("hi", hi, mix.N, 1, mix.D, ""); err != nil {
		return err
	}
	var b stackScratch
	s := b.scratch()
	s.need(mix.K, 2, 0)
	var err error
	if s.levels, err = intervalLevels(s.levels, coverage); err != nil {
		return err
	}
	mix.interval(lo, hi, &s)
	return nil
}

func (mix *Mixture) quantiles(dst []float32, s *scratch) {
	if quantVec(mix) {
		mix.quantilesVec(dst, nil, nil, s)
		return
	}
	d, nl := mix.D, len(s.levels)
	for i := range mix.N {
		for j := range d {
			cs := mix.gather(s.comps, i, j)
			sums := cumulate(cs)
			starts := startAll(cs, s.levels, s.starts[:nl])
			for l := range s.levels {
				dst[(i*nl+l)*d+j], _ = quantile(cs, &s.levels[l], &sums, &starts[l])
			}
		}
	}
}

func (mix *Mixture) interval(lo, hi []float32, s *scratch) {
	if quantVec(mix) {
		mix.quantilesVec(nil, lo, hi, s)
		return
	}
	d := mix.D
	for i := range mix.N {
		for j := range d {
			cs := mix.gather(s.comps, i, j)
			sums := cumulate(cs)
			starts := startAll(cs, s.levels, s.starts[:2])
			lo[i*d+j], _ = quantile(cs, &s.levels[0], &sums, &starts[0])
			hi[i*d+j], _ = quantile(cs, &s.levels[1], &sums, &starts[1])
		}
	}
}

// cumulate sets each component's below to the weight of the components
// whose means are lower (ties broken by index), so that the components,
// taken in order of their means, cover [below, below + w) of the
// probability: K² steps without branches, cheaper than sorting small K. It returns the sums of the
// components' w/σ, w/σ² and w/σ³, which bound the derivatives of the
// interpolated F (see stepBound).
func cumulate(cs []comp) (sums [3]float64) {
	var s1, s2, s3 float64
	for k := range cs {
		mk := cs[k].m
		// The sign of a difference of means masks each weight: before k a
		// mean ≤ mk counts, after k a mean < mk (−0 below +0, so that of
		// any two components exactly one counts below the other).
		var b float64
		for j := range k {
			neg := math.Float64bits(mk-cs[j].m) >> 63
			b += math.Float64frombits(math.Float64bits(cs[j].w) &^ -neg)
		}
		for j := k + 1; j < len(cs); j++ {
			neg := math.Float64bits(cs[j].m-mk) >> 63
			b += math.Float64frombits(math.Float64bits(cs[j].w) & -neg)
		}
		cs[k].below = b
		s1 += cs[k].wi
		s2 += cs[k].wi2
		s3 += mul(cs[k].wi2, cs[k].inv)
	}
	return [3]float64{s1, s2, s3}
}

// startAll sets starts[l] for each level: the start point (startPoint)
// and, where it is finite, F and its derivatives there, all start points
// first, then all evaluations.
func startAll(cs []comp, levels []level, starts []start) []start {
	if len(cs) == 0 {
		return starts
	}
	for l := range starts {
		starts[l].y0 = startPoint(cs, &levels[l])
	}
	for l := range starts {
		st := &starts[l]
		if math.Abs(st.y0) < math.MaxFloat32 {
			st.p, st.f, st.fp = mixCDF(cs, float64(float32(st.y0)), levels[l].upper)
		}
	}
	return starts
}

// startOne is startAll for one level.
func startOne(cs []comp, lv *level) start {
	var st start
	if len(cs) == 0 {
		return st
	}
	st.y0 = startPoint(cs, lv)
	if math.Abs(st.y0) < math.MaxFloat32 {
		st.p, st.f, st.fp = mixCDF(cs, float64(float32(st.y0)), lv.upper)
	}
	return st
}

// quantile solves F(q) = lv.alpha for the components cs (cumulated, with
// cumulate's sums) from the start st (startAll); see Quantiles for the
// accuracy. It returns the quantile and the solver's steps (see solve).
func quantile(cs []comp, lv *level, sums *[3]float64, st *start) (float32, int) {
	return solve(cs, lv, sums, qstateStart, st)
}

// qstateStart is the solver's state before its first iteration: the
// bracket ±MaxFloat32 with its ends not evaluated (narrowed to the
// components' quantiles, bracket, when a Newton step is not taken, which
// most quantiles never need), no step taken, and y the start's y0
// (fresh).
var qstateStart = qstate{lo: -math.MaxFloat32, hi: math.MaxFloat32, rLo: math.Inf(1), rHi: math.Inf(1),
	dx1: math.Inf(1), dx2: math.Inf(1), fresh: true}

// The quantile kernels (quant_amd64.go): their batch's width in lanes, the
// most components it takes, and the levels it runs at once.
const (
	qLanes = 8
	qMaxK  = 32
	qGroup = 4
)

// qstate is the quantile solver's state between iterations: the iterate
// y, the bracket (lo, hi), the ends evaluated so far within ±MaxFloat32,
// with |F − α| at its ends (+Inf where not evaluated), the last two
// steps' sizes, whether the bracket has been narrowed to the components'
// quantiles, and the iterations done.
type qstate struct {
	lo, hi, rLo, rHi, dx1, dx2 float64
	y                          float32
	bracketed                  bool
	fresh                      bool // y is st.y0, bracketed first where it is not finite
	iter                       int
}

// solve runs the quantile solver from qs, with F, f and f′ at qs.y from st
// where st is not nil. It returns the quantile and the steps taken: the
// iterations, plus one where it ends by choosing between the bracket's
// ends (for the tests, which hold the quantile kernels to the iterations
// that end on a Halley step).
func solve(cs []comp, lv *level, sums *[3]float64, qs qstate, st *start) (float32, int) {
	if len(cs) == 0 {
		return float32(math.NaN()), 0
	}
	target := lv.alpha
	if lv.upper {
		target = lv.beta
	}
	lo64, hi64, rLo, rHi := qs.lo, qs.hi, qs.rLo, qs.rHi
	bracketed := qs.bracketed
	y := qs.y
	if qs.fresh {
		y = float32(st.y0)
	}
	if qs.fresh && !(math.Abs(st.y0) < math.MaxFloat32) {
		// The start: the quantile of the component the level falls in, as
		// if the components did not overlap, where F has been evaluated
		// already, unless it is not finite: then a point of the bracket.
		lo64, hi64 = bracket(cs, lv, lo64, hi64, &rLo, &rHi)
		bracketed = true
		y0 := min(max(st.y0, lo64), hi64)
		if y0 != y0 {
			y0 = lo64 + 0.5*(hi64-lo64)
		}
		y, st = float32(y0), nil
	}
	evaluated := st != nil

	// dx1, dx2: the last two steps' sizes. A Newton step that does not
	// halve the step of two iterations ago is replaced by bisection.
	dx1, dx2 := qs.dx1, qs.dx2
	// curv bounds |F″| everywhere: Σ_k π_k·max|φ′|/σ_k², with max|φ′| =
	// φ(1) < 0.25 (the interpolant's exceeds it by far less than the
	// margin).
	curv := 0.25 * sums[1]
	it := qs.iter
	for it < maxQuantileIter {
		it++
		yf := float64(y)
		var p, f, fp float64
		if evaluated {
			p, f, fp = st.p, st.f, st.fp
		} else {
			p, f, fp = mixCDF(cs, yf, lv.upper)
		}
		evaluated = false
		r := p - target // F(y) − α
		if lv.upper {
			r = -r
		}
		if math.Abs(r) <= lv.tol {
			return y, it
		}
		if r < 0 {
			lo64, rLo = yf, -r
		} else if r > 0 {
			hi64, rHi = yf, r
		} else {
			// r is NaN: so is a parameter of the components (μ, σ or
			// a weight, or σ = +Inf beside an infinite μ), and the
			// quantile, like F, is NaN.
			return float32(math.NaN()), it
		}
		// A Halley step, or the neighbouring float32 towards the root when
		// the step is below float32 resolution, or bisection.
		// Halley: dx = r·f/(f² − ½·r·f′), one division; Newton's r/f where
		// the correction factor is outside (½, 2).
		var dx float64
		f2 := mul(f, f)
		if den := f2 - mul(0.5*r, fp); den > 0.5*f2 && den < 2*f2 {
			dx = r * f / den
		} else {
			dx = r / f
		}
		next := float32(yf - dx)
		newton := f > 0 && math.Abs(dx) <= 0.5*dx2
		if newton && next == y {
			if r < 0 {
				next = math.Nextafter32(y, float32(math.Inf(1)))
			} else {
				next = math.Nextafter32(y, float32(math.Inf(-1)))
			}
		}
		if !newton || !(float64(next) > lo64 && float64(next) < hi64) {
			if !bracketed {
				lo64, hi64 = bracket(cs, lv, lo64, hi64, &rLo, &rHi)
				bracketed = true
			}
			if !newton || !(float64(next) > lo64 && float64(next) < hi64) {
				dx = 0.5 * (hi64 - lo64)
				next = float32(lo64 + dx)
				if !(float64(next) > lo64 && float64(next) < hi64) {
					break // lo and hi are adjacent float32 values
				}
			}
		}
		dx2, dx1 = dx1, math.Abs(dx)
		// If Taylor's bound |F(next) − α| ≤ |r − f·s| + ½·curv·s², s the
		// step to next, or stepBound's, is within the tolerance, next is
		// the answer.
		st := yf - float64(next)
		if math.Abs(r-mul(f, st))+mul(0.5*curv*st, st) <= 0.5*lv.tol || stepBound(r, f, fp, st, sums) <= 0.5*lv.tol {
			return next, it
		}
		// If next is y's neighbour and F(next) − α, within stepBound's
		// remainder, has the sign opposite to r, the root lies between
		// them: both are within one float32 step of it, and the one nearer
		// in F (by the expansion) is the answer.
		if math.Nextafter32(y, next) == next {
			m := r - mul(f, st) + mul(0.5*fp*st, st)
			e := stepBound(0, 0, 0, st, sums)
			if (r < 0 && m > e) || (r > 0 && m < -e) {
				if math.Abs(m) < math.Abs(r) {
					return next, it
				}
				return y, it
			}
		}
		y = next
	}
	return solveEnd(cs, lv, target, lo64, hi64, rLo, rHi, it)
}

// solveEnd ends solve where the root lies between lo and hi, adjacent
// float32 values, or the iterations ran out: the end nearer in F. An end
// at ±MaxFloat32 not evaluated yet is evaluated first: where F there has
// not reached α, the quantile lies beyond the float32 range, and is ±Inf,
// as a value beyond it rounds. Kept out of solve, which most quantiles
// leave from its loop.
//
//go:noinline
func solveEnd(cs []comp, lv *level, target, lo64, hi64, rLo, rHi float64, it int) (float32, int) {
	for _, end := range [2]float64{-math.MaxFloat32, math.MaxFloat32} {
		if (end == lo64 && math.IsInf(rLo, 1)) || (end == hi64 && math.IsInf(rHi, 1)) {
			p, _, _ := mixCDF(cs, end, lv.upper)
			r := p - target
			if lv.upper {
				r = -r
			}
			if r < 0 {
				lo64, rLo = end, -r
			} else if r > 0 {
				hi64, rHi = end, r
			}
		}
	}
	if lo64 == math.MaxFloat32 {
		return float32(math.Inf(1)), it + 1
	}
	if hi64 == -math.MaxFloat32 {
		return float32(math.Inf(-1)), it + 1
	}
	if rLo < rHi {
		return float32(lo64), it + 1
	}
	return float32(hi64), it + 1
}

// The interpolated Φ (normPoly) is a cubic on each cell: its first
// derivative is continuous, its second jumps at the nodes by at most
// interpJump2 (3.1e-7 on the table) and its third is at most interpD3 in
// magnitude (0.39890, below max|φ″| = φ(0) = 0.39894); at ±normZMax, where
// it meets the constants 0 and 1, its value jumps by Φ(−normZMax) < 1e-17
// and its derivative by φ(normZMax) < interpJump1. TestInterpolantBounds
// holds the table to these constants.
const (
	interpD3    = 0.399
	interpJump2 = 4e-7
	interpJump1 = 2e-16
	interpJump0 = 1e-17
)

// stepBound bounds |G(y − s) − α| for G the mixture's interpolated CDF,
// given r = G(y) − α, f = G′(y) and fp = G″(y) (mixCDF's derivatives of
// the interpolant at y) and sums from cumulate: Taylor's expansion to the
// second order, whose remainder the bounds on each component's third
// derivative (w/σ³·interpD3) and on the jumps of its second derivative
// (w/σ²·interpJump2 at each of the at most 64·|s|/σ + 1 nodes the step
// crosses) and of its first derivative and value at the table's ends hold:
//
//	|r − f·s + ½·fp·s²| + (interpD3 + 64·interpJump2)·Σw/σ³·|s|³/6
//	    + interpJump2·Σw/σ²·s²/2 + 2·interpJump1·Σw/σ·|s| + 2·interpJump0
//
// After a Halley step from a start within a few thousandths of σ of the
// quantile this is far below the tolerance, where the first-order bound
// with a global bound on |G″| is not, so that the step is taken without
// evaluating G again.
func stepBound(r, f, fp, s float64, sums *[3]float64) float64 {
	a := math.Abs(s)
	return math.Abs(r-mul(f, s)+mul(0.5*fp*s, s)) + mul((interpD3+64*interpJump2)/6*sums[2]*a*a, a) +
		mul(0.5*interpJump2*sums[1]*a, a) + mul(2*interpJump1*sums[0], a) + 2*interpJump0
}

// bracket narrows the bracket (lo, hi) to bounds of the quantile:
// F(min_k q_k) ≤ α ≤ F(max_k q_k) for q_k the components' own quantiles,
// rounded outward to float32 and widened by one float32 step for the
// rounding of μ + σ·z in float64 (which can drop a tiny σ·z). An end it
// moves has not been evaluated: its |F − α| (rLo, rHi) becomes +Inf.
func bracket(cs []comp, lv *level, lo, hi float64, rLo, rHi *float64) (float64, float64) {
	l, h := math.Inf(1), math.Inf(-1)
	for _, c := range cs {
		q := c.m + c.s*lv.z
		if q != q { // σ = +Inf at the median
			return lo, hi
		}
		if q < l {
			l = q
		}
		if q > h {
			h = q
		}
	}
	if bl := float64(nextDown32(roundDown32(l))); bl > lo {
		lo, *rLo = bl, math.Inf(1)
	}
	if bh := float64(-nextDown32(-roundUp32(h))); bh < hi {
		hi, *rHi = bh, math.Inf(1)
	}
	return lo, hi
}

// startPoint returns the quantile of the component that level lv falls in
// when the components are taken as disjoint, in order of their means (see
// cumulate).
func startPoint(cs []comp, lv *level) float64 {
	if !lv.upper {
		for i := range cs {
			c := &cs[i]
			if a := lv.alpha - c.below; a >= 0 && a < c.w {
				return c.m + mul(c.s, normQuantileApprox(a/c.w))
			}
		}
	} else {
		// 1 − alpha from the top: the components above c hold
		// 1 − below − w.
		beta := lv.beta
		for i := range cs {
			c := &cs[i]
			if b := beta - (1 - c.below - c.w); b >= 0 && b < c.w {
				return c.m - mul(c.s, normQuantileApprox(b/c.w))
			}
		}
	}
	// Rounding left the level outside every component's share.
	return cs[0].m + mul(cs[0].s, lv.z)
}

// roundDown32 returns the largest float32 ≤ v, roundUp32 the smallest ≥ v,
// both clamped to ±MaxFloat32 (v is not NaN).
func roundDown32(v float64) float32 {
	if v <= -math.MaxFloat32 {
		return -math.MaxFloat32
	}
	if v >= math.MaxFloat32 {
		return math.MaxFloat32
	}
	f := float32(v)
	if float64(f) > v {
		f = nextDown32(f)
	}
	return f
}

func roundUp32(v float64) float32 {
	if v >= math.MaxFloat32 {
		return math.MaxFloat32
	}
	if v <= -math.MaxFloat32 {
		return -math.MaxFloat32
	}
	f := float32(v)
	if float64(f) < v {
		f = -nextDown32(-f)
	}
	return f
}

// nextDown32 returns the float32 below the finite f.
func nextDown32(f float32) float32 {
	b := math.Float32bits(f)
	switch {
	case b == 0: // +0
		return -math.SmallestNonzeroFloat32
	case b>>31 == 0:
		return math.Float32frombits(b - 1)
	}
	return math.Float32frombits(b + 1)
}

// Density sets dst[(i*G+g)*D+j] to the marginal density of row i's mixture
// in dimension j at grid[g] (G = len(grid)), Σ_k π_k φ((y − μ)/σ)/σ in
// float64 with math.Exp, for plots of p(y|x). On avx2fma four grid points
// run at a time in float64 vectors (eight on avx512), with the Go loop's
// operations and math.Exp's in their order, so that every path on a CPU
// gives the same bits.
func (mix *Mixture) Density(dst, grid []float32) error {
	if err := mix.check(); err != nil {
		return err
	}
	if err := checkOut("dst", dst, mix.N, len(grid), mix.D, "grid points"); err != nil {
		return err
	}
	if err := checkFinite(grid, 1, "grid"); err != nil {
		return err
	}
	var b stackScratch
	s := b.scratch()
	mix.density(dst, grid, &s)
	return nil
}

func (mix *Mixture) density(dst, grid []float32, s *scratch) {
	s.need(mix.K, 0, 0)
	d, ng := mix.D, len(grid)
	for i := range mix.N {
		for j := range d {
			cs := mix.gather(s.comps, i, j)
			if len(cs) == 0 {
				for g := range grid {
					dst[(i*ng+g)*d+j] = 0
				}
				continue
			}
			base := i*ng*d + j
			for g := densityVec(dst[base:], grid, cs, d); g < ng; g++ {
				var p float64
				for _, c := range cs {
					z := (float64(grid[g]) - c.m) * c.inv
					p += mul(c.wi, math.Exp(-0.5*z*z))
				}
				dst[base+g*d] = float32(p * invSqrt2Pi)
			}
		}
	}
}

// CRPS sets dst[i*D+j] to the continuous ranked probability score of row
// i's marginal mixture in dimension j at the observed y[i*D+j],
// ∫ (F(z) − 1{z ≥ y})² dz, in closed form for a Gaussian mixture (Grimit et
// al., 2006):
//
//	CRPS = Σ_k π_k A(y − μ_k, σ_k²) − ½ Σ_k Σ_l π_k π_l A(μ_k − μ_l, σ_k² + σ_l²)
//
// with A(m, s²) = E|X| for X ~ N(m, s²) = 2s φ(m/s) + m (2Φ(m/s) − 1). It
// is in the units of y (lower is better); for one Gaussian it is
// σ (z(2Φ(z) − 1) + 2φ(z) − 1/√π), z = (y − μ)/σ. The float64 value is
// within about 1e-8 relative of the exact one (the difference of the two
// sums cancels where components are sharp against their spread), below
// the float32 rounding of dst.
func (mix *Mixture) CRPS(dst, y []float32) error {
	if err := mix.checkY(dst, y); err != nil {
		return err
	}
	var b stackScratch
	s := b.scratch()
	mix.crps(dst, y, &s)
	return nil
}

func (mix *Mixture) crps(dst, y []float32, s *scratch) {
	s.need(mix.K, 0, 0)
	if mix.crpsVec(dst, y, s) {
		return
	}
	d := mix.D
	for i := range mix.N {
		for j := range d {
			cs := mix.gather(s.comps, i, j)
			dst[i*d+j] = float32(crps(cs, float64(y[i*d+j])))
		}
	}
}

const invSqrtPi = 0.564189583547756286948079451560772586 // 1/√π

// crps is the closed form for the components cs (gathered); each product
// that feeds a sum is rounded first (mul), as the AVX2 kernel does.
func crps(cs []comp, y float64) float64 {
	var a, b float64
	for k, c := range cs {
		a += mul(c.w, absMoment(y-c.m, c.s))
		// A(0, 2σ²) = 2σ/√π
		b += mul(c.w*c.w*(2*invSqrtPi), c.s)
		for _, e := range cs[k+1:] {
			b += mul(2*c.w*e.w, absMoment(c.m-e.m, math.Sqrt(mul(c.s, c.s)+mul(e.s, e.s))))
		}
	}
	return a - mul(0.5, b)
}

// absMoment returns E|X| for X ~ N(m, s²).
func absMoment(m, s float64) float64 {
	if s == 0 {
		return math.Abs(m)
	}
	cdf, pdf := normBoth(m / s)
	return mul(2*s, pdf) + mul(m, 2*cdf-1)
}

// Mode sets dst to the highest mode found of each row's mixture density
// (jointly over the D dimensions): a fixed-point (mean-shift) iteration is
// started from each component mean (with Newton's steps on log p where
// D = 1 and log p is concave) and the point of highest density is kept.
// For a mixture whose components overlap little this is the mean of the
// dominant component, moved slightly by its neighbours. A component of
// nonzero weight with σ = 0 in some dimension is a point of infinite
// density: the mode is then the mean of the heaviest such component. A
// NaN weight, or a NaN μ or σ of a component of nonzero weight, makes the
// row's mode NaN.
func (mix *Mixture) Mode(dst []float32) error {
	if err := mix.check(); err != nil {
		return err
	}
	if err := checkOut("dst", dst, mix.N, 1, mix.D, ""); err != nil {
		return err
	}
	if modeFloats(mix.K, mix.D) > len(stackScratch{}.f) {
		mix.modeWide(dst)
		return nil
	}
	var b stackScratch
	var w modeWork
	s := b.scratch()
	s.mode = &w
	mix.mode(dst, &s)
	return nil
}

// modeFloats is the float64 scratch mode needs for K components in D
// dimensions.
func modeFloats(k, d int) int { return 2*k + k*d + 3*d }

// modeWide runs mode on a stack array large enough for K, D ≤ 64 (35 KB,
// zeroed at every call, which is why the common small case has its own;
// not inlined, so that Mode's own frame stays small).
//
//go:noinline
func (mix *Mixture) modeWide(dst []float32) {
	var f [2*64 + 64*64 + 3*64]float64
	s := scratch{f: f[:0]}
	mix.mode(dst, &s)
}

func (mix *Mixture) mode(dst []float32, s *scratch) {
	k, d := mix.K, mix.D
	n := modeFloats(k, d)
	s.need(0, 0, n)
	f := s.f[:n]
	if mix.modeVec(dst, f, s.mode) {
		return
	}
	for i := range mix.N {
		mix.modeRow(dst[i*d:(i+1)*d], i, f)
	}
}

// modeRow sets out to the mode of row i, with f (modeFloats(K, D) floats)
// as its scratch.
func (mix *Mixture) modeRow(out []float32, i int, f []float64) {
	k, d := mix.K, mix.D
	w, lw, iv := f[:k], f[k:2*k], f[2*k:2*k+k*d]
	cur, num, den := f[2*k+k*d:2*k+k*d+d], f[2*k+k*d+d:2*k+k*d+2*d], f[2*k+k*d+2*d:]
	pi := mix.Pi[i*k : (i+1)*k]
	mu := mix.Mu[i*k*d : (i+1)*k*d]
	sg := mix.Sigma[i*k*d : (i+1)*k*d]
	if hasNaN(pi, mu, sg, d) {
		for j := range out {
			out[j] = float32(math.NaN())
		}
		return
	}
	if a := heaviestAtom(pi, sg, d); a >= 0 {
		copy(out, mu[a*d:(a+1)*d])
		return
	}
	modeWeights(pi, sg, d, lw, iv)
	best := math.Inf(-1)
	first := max(0, slices.IndexFunc(pi, func(v float32) bool { return v != 0 }))
	for j := range d {
		out[j] = mu[first*d+j]
	}
	for start := range k {
		if pi[start] == 0 {
			continue
		}
		if d == 1 {
			y, mx, s, _ := modeFrom1(float64(mu[start]), float64(sg[start]), lw, mu, iv, w)
			if lp := mx + math.Log(s); lp > best {
				best = lp
				out[0] = float32(y)
			}
			continue
		}
		for j := range d {
			cur[j] = float64(mu[start*d+j])
		}
		for range 100 {
			responsibilities(cur, lw, mu, iv, w)
			clear(num)
			clear(den)
			for c, wc := range w {
				for j := range d {
					num[j] += mul(wc*float64(mu[c*d+j]), iv[c*d+j])
					den[j] += mul(wc, iv[c*d+j])
				}
			}
			moved := 0.0
			for j := range d {
				if den[j] > 0 {
					nv := num[j] / den[j]
					moved = math.Max(moved, math.Abs(nv-cur[j])/(float64(sg[start*d+j])+math.Abs(cur[j])))
					cur[j] = nv
				}
			}
			if moved < 1e-9 {
				break
			}
		}
		if lp := logDensity(cur, lw, mu, iv, w); lp > best {
			best = lp
			for j := range d {
				out[j] = float32(cur[j])
			}
		}
	}
}

// modeWeights sets, per component c of a row, lw[c] = log π − Σ log σ −
// (D/2) log 2π and iv[c*d+j] = 1/σ².
func modeWeights(pi, sg []float32, d int, lw, iv []float64) {
	for c := range lw {
		lw[c] = math.Log(float64(pi[c])) - float64(d)*0.5*math.Log(2*math.Pi)
		for j := range d {
			sd := float64(sg[c*d+j])
			lw[c] -= math.Log(sd)
			iv[c*d+j] = 1 / (sd * sd)
		}
	}
}

// modeFrom1 is the mode's iteration for a one-dimensional mixture (lw,
// iv per component as modeWeights sets them, w scratch for K values) from
// y, the mean of a component of σ sg, until a step moves y by less than
// 1e−9·(sg + |y|), or 100 steps. Each step goes to the mean-shift point
// num/den, or takes Newton's step on log p where log p is concave at y and
// that step goes the mean-shift step's way (it always does then: both
// follow the gradient) no more than 8 times as far: near a mode mean-shift
// converges linearly, at a rate close to 1 where components overlap, and
// Newton quadratically. modeSums gives the sums both need. It returns the
// point it ends at, modeSums' mx and s there (log p = mx + log s) and the
// number of steps it took. The AVX2 kernel (mode_amd64.s) repeats its
// operations in their order.
func modeFrom1(y, sg float64, lw []float64, mu []float32, iv, w []float64) (end, mx, s float64, steps int) {
	for stop := false; ; {
		var num, den, g, s2 float64
		mx, s, num, den, g, s2 = modeSums(y, lw, mu, iv, w)
		if stop {
			return y, mx, s, steps
		}
		steps++
		if !(den > 0) {
			stop = true
			continue
		}
		// With u_c = (μ_c − y)/σ_c² and the responsibilities e_c/s, the
		// derivatives of log p are g/s and s2/s − (g/s)².
		q := num / den
		g, s2 = g/s, s2/s
		h := s2 - mul(g, g)
		step := q - y
		nv := q
		if !(h >= 0) && step != 0 {
			if nt := -g / h; nt*step > 0 && math.Abs(nt) <= 8*math.Abs(step) {
				nv = y + nt
			}
		}
		moved := math.Abs(nv-y) / (sg + math.Abs(y))
		y = nv
		stop = moved < 1e-9 || steps == 100
	}
}

// modeSums returns, at y, for the terms t_c = lw_c − ½(y − μ_c)²·iv_c of a
// one-dimensional mixture: mx = max_c t_c, and over e_c = exp(t_c − mx),
// s = Σ e_c, num = Σ e_c·μ_c·iv_c, den = Σ e_c·iv_c, g = Σ e_c·u_c and
// s2 = Σ e_c·(u_c² − iv_c), u_c = (μ_c − y)·iv_c. The mean-shift point is
// num/den, and log p(y) = mx + log s. w is scratch for the K terms; the
// exponentials run on expVec (a vector kernel on avx2fma and avx512, with
// math.Exp's bits).
func modeSums(y float64, lw []float64, mu []float32, iv, w []float64) (mx, s, num, den, g, s2 float64) {
	mx = math.Inf(-1)
	for c, l := range lw {
		e := y - float64(mu[c])
		w[c] = l - mul(0.5*e*e, iv[c])
		mx = max(mx, w[c])
	}
	for c := range w {
		w[c] -= mx
	}
	for c := expVec(w); c < len(w); c++ {
		w[c] = math.Exp(w[c])
	}
	for c, e := range w {
		m := float64(mu[c])
		u := (m - y) * iv[c]
		s += e
		num += mul(e*m, iv[c])
		den += mul(e, iv[c])
		g += mul(e, u)
		s2 += mul(e, mul(u, u)-iv[c])
	}
	return mx, s, num, den, g, s2
}

// hasNaN reports whether a weight is NaN, or a μ or σ of a component of
// nonzero weight.
func hasNaN(pi, mu, sg []float32, d int) bool {
	for c, v := range pi {
		if v != v {
			return true
		}
		if v == 0 {
			continue
		}
		for j := c * d; j < (c+1)*d; j++ {
			if mu[j] != mu[j] || sg[j] != sg[j] {
				return true
			}
		}
	}
	return false
}

// heaviestAtom returns the component of largest weight (the first of
// equal ones) among those of nonzero weight with σ = 0 in some dimension,
// points of infinite density, or −1 when there is none.
func heaviestAtom(pi, sg []float32, d int) int {
	a := -1
	for c, v := range pi {
		if v == 0 || (a >= 0 && !(v > pi[a])) {
			continue
		}
		if slices.Contains(sg[c*d:(c+1)*d], 0) {
			a = c
		}
	}
	return a
}

// logDensity returns log p(y) for one row's mixture, given per component
// lw = log π − Σ log σ − (D/2) log 2π and iv = 1/σ², and leaves in w the
// responsibilities p(component c | y), normalised to sum to 1.
func logDensity(y, lw []float64, mu []float32, iv, w []float64) float64 {
	mx, s := responsibilities(y, lw, mu, iv, w)
	return mx + math.Log(s)
}

// responsibilities is logDensity without the logarithm, which the mode's
// iterations do not need: it leaves the responsibilities in w and returns
// the largest log term mx and s = Σ_c exp(t_c − mx), log p(y) = mx + log s.
// The exponentials run on expVec (a vector kernel on avx2fma and avx512,
// with math.Exp's bits).
func responsibilities(y, lw []float64, mu []float32, iv, w []float64) (mx, s float64) {
	d := len(y)
	mx = math.Inf(-1)
	for c := range w {
		t := lw[c]
		for j, v := range y {
			e := v - float64(mu[c*d+j])
			t -= mul(0.5*e*e, iv[c*d+j])
		}
		w[c] = t
		mx = max(mx, t)
	}
	for c := range w {
		w[c] -= mx
	}
	for c := expVec(w); c < len(w); c++ {
		w[c] = math.Exp(w[c])
	}
	for _, v := range w {
		s += v
	}
	for c := range w {
		w[c] /= s
	}
	return mx, s
}

// Coverage returns the fraction of the PIT values pit that fall in the
// central interval of probability c, (1 − c)/2 ≤ u ≤ (1 + c)/2: the share
// of observations the c central prediction intervals hold, which is c for
// a calibrated model. It is NaN for no values.
func Coverage(pit []float32, c float64) float64 {
	lo, hi := (1-c)/2, (1+c)/2
	in := 0
	for _, u := range pit {
		if float64(u) >= lo && float64(u) <= hi {
			in++
		}
	}
	return float64(in) / float64(len(pit))
}
