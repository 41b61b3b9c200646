package fuzz

import (
	"math"
	"os"
	"strconv"
	"testing"

	"github.com/mdnsimd/mdnsimd"
	"github.com/mdnsimd/mdnsimd/kernels"
)

// mixShape: n rows 0..69 (crossing 8-row vector blocks), k 1..40, d 1..20,
// at most 1<<16 head values.
func mixShape(nv, kv, dv uint16) (n, k, d int) {
	n, k, d = int(nv%70), 1+int(kv%40), 1+int(dv%20)
	if n*mdnsimd.MixtureWidth(k, d) > 1<<16 {
		n = 1 + n%3
	}
	return n, k, d
}

// mixRow is the float64 oracle of one mixture row with the clamps of the
// kernels/ contract (σ⁻¹ = e^−max(logσ, LogSigmaMin), |z| ≤ ZMax), and the
// error a float32 evaluation may make, derived term by term:
//
//   - lseL, the log-sum-exp of the logits: lseBound.
//   - z = (y−μ)·σ⁻¹: one rounding of y−μ, σ⁻¹ from a ≤ 4-ULP exp (8u), one
//     product: ≤ 10u relative; ½z² then ≤ 21u relative.
//   - lp_c = logit_c − lseL + Σ_d(−logσ − ½log2π − ½z²) is a sum of 3d+2
//     terms: (3d+3)·u·M_c with M_c the sum of their magnitudes, plus the
//     errors of its terms: errC_c ≤ err(lseL) + (3d+25)·u·M_c.
//   - ll = LSE_c(lp_c): LSE is monotone, so perturbing each lp_c by at most
//     errC_c moves it by at most max(LSE(lp+err) − ll, ll − LSE(lp−err)),
//     computed exactly here; then its own float32 error (lseBound).
//
// The checks allow twice these bounds.
type mixRow struct {
	k, d              int
	lseL, ll          float64
	errL, errLL       float64
	lp, errC, pi, gam []float64
	z, invSig         []float64
	finite            bool // every input of the row is finite
	exact             bool // and σ ≥ e^LogSigmaMin, |z| ≤ ZMax: accuracy promised
}

func lse64(v []float64) float64 {
	m := math.Inf(-1)
	for _, x := range v {
		m = math.Max(m, x)
	}
	if math.IsInf(m, 0) || math.IsNaN(m) {
		return m
	}
	var s float64
	for _, x := range v {
		s += math.Exp(x - m)
	}
	return m + math.Log(s)
}

// flushModel is how a path's mixture kernels flush subnormals (FTZ/DAZ),
// as mixture.go's contract says.
type flushModel int

const (
	noFlush     flushModel = iota // gradual underflow: the exact oracle alone
	flushHalves                   // avx2fma: y − μ formed as ½y − ½μ
	flushDirect                   // avx512: y − μ formed as it is
)

// mixtureFlushes gives the flush model of a path's mixture kernels: the
// avx2fma and avx512 paths run with FTZ/DAZ; the neon and generic paths
// compute with gradual underflow and are held to the exact oracle alone.
func mixtureFlushes(path string) flushModel {
	switch path {
	case "avx2fma":
		return flushHalves
	case "avx512":
		return flushDirect
	}
	return noFlush
}

// flushed is the mixture contract's FTZ/DAZ model: inputs below 2⁻¹²⁶ in
// magnitude read as zero; the AVX2+FMA path forms y − μ as ½y − ½μ with
// each half and their difference flushed below 2⁻¹²⁶, the AVX-512 path
// flushes y − μ itself; σ⁻¹ too small for a normal float32 is zero (see
// newMixRowFTZ).
func flushed(v float64) float64 {
	if math.Abs(v) < 0x1p-126 {
		return 0
	}
	return v
}

func newMixRow(head, y []float32, k, d int) *mixRow { return newMixRowFTZ(head, y, k, d, noFlush) }

// newMixRowFTZ is newMixRow, with the inputs and y − μ flushed as a
// FTZ/DAZ path of model ftz does.
func newMixRowFTZ(head, y []float32, k, d int, ftz flushModel) *mixRow {
	r := &mixRow{k: k, d: d, finite: allFinite(head, y)}
	r.exact = r.finite
	if ftz != noFlush {
		head, y = append([]float32(nil), head...), append([]float32(nil), y...)
		for _, s := range [][]float32{head, y} {
			for i, v := range s {
				s[i] = float32(flushed(float64(v)))
			}
		}
	}
	logits, mu, ls := head[:k], head[k:k+k*d], head[k+k*d:]
	lg := make([]float64, k)
	for c, v := range logits {
		lg[c] = float64(v)
	}
	r.lseL = lse64(lg)
	r.errL = lseBound(k, r.lseL, r.lseL-maxOf(lg))
	r.lp, r.errC, r.pi, r.gam = make([]float64, k), make([]float64, k), make([]float64, k), make([]float64, k)
	r.z, r.invSig = make([]float64, k*d), make([]float64, k*d)
	for c := 0; c < k; c++ {
		t := lg[c] - r.lseL
		m := math.Abs(lg[c]) + math.Abs(r.lseL)
		for j := 0; j < d; j++ {
			e := c*d + j
			r.invSig[e] = math.Exp(-math.Max(float64(ls[e]), kernels.LogSigmaMin))
			diff := float64(y[j]) - float64(mu[e])
			switch ftz {
			case flushHalves:
				diff = 2 * flushed(flushed(0.5*float64(y[j]))-flushed(0.5*float64(mu[e])))
				// σ⁻¹ below 2⁻¹²⁶ (logσ > 87.3) is flushed, and so is
				// 2σ⁻¹ below it in the one-dimension kernel: up to 2⁻¹²⁵
				// either may happen, and the exact row covers the other.
				if r.invSig[e] < 0x1p-125 {
					r.invSig[e] = 0
				}
			case flushDirect:
				diff = flushed(diff)
				if r.invSig[e] < 0x1p-126 {
					r.invSig[e] = 0
				}
			}
			z := diff * r.invSig[e]
			if float64(ls[e]) < kernels.LogSigmaMin || math.Abs(z) > kernels.ZMax {
				r.exact = false
			}
			r.z[e] = math.Max(-kernels.ZMax, math.Min(z, kernels.ZMax))
			q := 0.5 * r.z[e] * r.z[e]
			t += -float64(ls[e]) - kernels.HalfLog2Pi - q
			m += math.Abs(float64(ls[e])) + kernels.HalfLog2Pi + q
		}
		r.lp[c] = t
		r.errC[c] = r.errL + float64(3*d+25)*u*m
		r.pi[c] = math.Exp(lg[c] - r.lseL)
	}
	r.ll = lse64(r.lp)
	up, dn := make([]float64, k), make([]float64, k)
	for c := range up {
		up[c], dn[c] = r.lp[c]+r.errC[c], r.lp[c]-r.errC[c]
	}
	r.errLL = math.Max(lse64(up)-r.ll, r.ll-lse64(dn)) + lseBound(k, r.ll, r.ll-maxOf(r.lp))
	for c := range r.gam {
		r.gam[c] = math.Exp(r.lp[c] - r.ll)
	}
	return r
}

func maxOf(v []float64) float64 {
	m := math.Inf(-1)
	for _, x := range v {
		m = math.Max(m, x)
	}
	return m
}

func sat64(v float64) float64 { return math.Max(-maxF32, math.Min(v, maxF32)) }

// checkNLL: nll finite, and within 2·(errLL + u·|ll|) of the saturated −ll
// in the exact domain.
func (r *mixRow) checkNLL(got float32) error {
	if !finite32(got) {
		return errorf("got %s for finite input, want finite", f32s(got))
	}
	if !r.exact {
		return nil
	}
	return absWithin(got, sat64(-r.ll), 2*(r.errLL+u*math.Abs(r.ll))+2*tiny)
}

// checkGrad checks one row of dhead = scale·∂nll/∂head. A responsibility
// γ_c = e^(lp_c−ll) moves by γ_c·(e^E − 1) for E = errC_c + errLL + 8u,
// π_c by π_c·(e^(errL+8u) − 1); the gradient terms then add their own
// roundings (14u relative for z·σ⁻¹ products, 24u·(1+z²) for 1−z²); π_c,
// γ_c, intermediate products and results below 2⁻¹²⁶ may be flushed to
// zero, as the mixture contract allows.
func (r *mixRow) checkGrad(who string, g []float32, scale float32) (msgs []string) {
	k, d := r.k, r.d
	s := math.Abs(float64(scale))
	for c := 0; c < k; c++ {
		dg := r.gam[c] * (math.Expm1(r.errC[c]+r.errLL+8*u) + 8*u)
		dp := r.pi[c] * (math.Expm1(r.errL+8*u) + 8*u)
		want := float64(scale) * (r.pi[c] - r.gam[c])
		// A float32 kernel may flush a responsibility or weight below the
		// smallest normal float32 (2⁻¹²⁶) to zero; what that costs is
		// allowed too (flush times the factor γ multiplies).
		// The AVX2 path also flushes the products scale·γ, ½·scale·γ and
		// ½·scale·γ·z when they fall below 2⁻¹²⁶ (FTZ), whatever scale is,
		// so the loss is at most 2·2⁻¹²⁶ times the factors that follow.
		flush := math.Max(s, 2) * flushBelow
		check := func(what string, e int, got float32, want, b float64) {
			if !finite32(got) {
				msgs = append(msgs, errorf("%s: %s[%d]: got %s for finite input, want finite", who, what, e, f32s(got)).Error())
				return
			}
			b = 2 * (b + 2*u*math.Abs(want) + 4*tiny)
			if !r.exact || math.IsNaN(b) || s > 1 {
				// No accuracy promised (outside the accurate region, or
				// |scale| > 1, where float32 products of scale, γ, z and
				// σ⁻¹ may overflow or flush before saturating; see
				// mdnsimd.MixtureNLLGrad), or an unbounded error (∞·0).
				return
			}
			if got == 0 && math.Abs(want) < 0x1p-126 {
				return // a result below 2⁻¹²⁶ flushed (FTZ)
			}
			if err := absWithin(got, sat64(want), b); err != nil {
				msgs = append(msgs, errorf("%s: %s[%d] (γ=%.3g z=%.3g): %v", who, what, e, r.gam[c], r.z[min(c*d, len(r.z)-1)], err).Error())
			}
		}
		check("dlogit", c, g[c], want, s*(dp+dg)+2*flush)
		for j := 0; j < d; j++ {
			e := c*d + j
			z := r.z[e]
			q := math.Abs(z * r.invSig[e])
			// ½·scale·γ·z may flush before the 2/σ factor: flush·σ⁻¹.
			check("dmu", e, g[k+e], -float64(scale)*r.gam[c]*z*r.invSig[e], s*(dg*q+r.gam[c]*q*14*u)+flush*(q+1+r.invSig[e]))
			check("dlogsigma", e, g[k+k*d+e], float64(scale)*r.gam[c]*(1-z*z), s*(dg*math.Abs(1-z*z)+r.gam[c]*(1+z*z)*24*u)+flush*(math.Abs(1-z*z)+1))
		}
	}
	return msgs
}

// flushBelow is the level below which a float32 kernel may flush π_c or
// γ_c to zero: the smallest normal float32. MDNSIMD_FLUSH_BELOW overrides
// it, so that a long fuzz run can look past a known flushing finding.
var flushBelow = envFloat("MDNSIMD_FLUSH_BELOW", 0x1p-126)

func envFloat(name string, def float64) float64 {
	if v, err := strconv.ParseFloat(os.Getenv(name), 64); err == nil && v > 0 {
		return v
	}
	return def
}

// rowMsgs checks row i's nll and, with grad, its gradient.
func (r *mixRow) rowMsgs(who string, nll float32, dhead []float32, i int, scale float32, grad bool) []string {
	var msgs []string
	if err := r.checkNLL(nll); err != nil {
		msgs = append(msgs, errorf("%s: nll (ll=%.6g ± %.3g): %v", who, r.ll, r.errLL, err).Error())
	}
	if grad && finite32(scale) {
		w := len(r.lp) + 2*len(r.z)
		msgs = append(msgs, r.checkGrad(who, dhead[i*w:(i+1)*w], scale)...)
	}
	return msgs
}

type mixFunc func(nll, dhead, head, y []float32, k, d int, scale float32)

func mixtureCase(t reporter, nv, kv, dv uint16, mode uint8, scale float32, data []byte, grad bool, impls map[string]mixFunc) {
	f := &fails{t: t}
	switch {
	case impls != nil:
	case !grad:
		impls = withPaths("mdnsimd.MixtureNLL", mixFunc(func(nll, _, head, y []float32, k, d int, _ float32) { mdnsimd.MixtureNLL(nll, head, y, k, d) }), map[string]mixFunc{
			"kernels.MixtureNLL": func(nll, _, head, y []float32, k, d int, _ float32) { kernels.MixtureNLL(nll, head, y, k, d) },
		})
	default:
		impls = withPaths("mdnsimd.MixtureNLLGrad", mixFunc(mdnsimd.MixtureNLLGrad), map[string]mixFunc{"kernels.MixtureNLLGrad": kernels.MixtureNLLGrad})
	}
	var rows []*mixRow
	ftzRows := map[flushModel][]*mixRow{}
	for name, kern := range impls {
		defer onPath(name)()
		s := newSource(mode, data)
		n, k, d := mixShape(nv, kv, dv)
		w := mdnsimd.MixtureWidth(k, d)
		defer s.release()
		head, hc := s.input(n * w)
		y, yc := s.input(n * d)
		nll, nc := garbage(s, n)
		var dhead []float32
		dc := func() error { return nil }
		if grad {
			dhead, dc = garbage(s, n*w)
		}
		hs, ys := snapshot(head), snapshot(y)
		kern(nll, dhead, head, y, k, d, scale)
		for _, c := range []func() error{hc, yc, nc, dc} {
			f.err(c())
		}
		f.err(unchanged("head", head, hs))
		f.err(unchanged("y", y, ys))
		if rows == nil {
			rows = make([]*mixRow, n)
			for i := range rows {
				rows[i] = newMixRow(head[i*w:(i+1)*w], y[i*d:(i+1)*d], k, d)
			}
		}
		// A path that flushes subnormals (documented in mixture.go): a row
		// passes against the exact oracle or the flushed one.
		ftz := mixtureFlushes(pathOf(name))
		if ftz != noFlush && ftzRows[ftz] == nil {
			fr := make([]*mixRow, n)
			for i := range fr {
				fr[i] = newMixRowFTZ(head[i*w:(i+1)*w], y[i*d:(i+1)*d], k, d, ftz)
			}
			ftzRows[ftz] = fr
		}
		for i, r := range rows {
			if !r.finite {
				continue // the contract is silent on non-finite input
			}
			who := name + " n=" + itoa(n) + " k=" + itoa(k) + " d=" + itoa(d) + " row " + itoa(i)
			msgs := r.rowMsgs(who, nll[i], dhead, i, scale, grad)
			if len(msgs) > 0 && ftz != noFlush {
				if alt := ftzRows[ftz][i].rowMsgs(who, nll[i], dhead, i, scale, grad); len(alt) == 0 {
					msgs = nil
				}
			}
			for _, m := range msgs {
				f.add("%s", m)
			}
		}
	}
}

// FuzzMixtureNLL: nll finite for finite input and, where the contract
// promises accuracy (σ ≥ e^LogSigmaMin, |z| ≤ ZMax), within the mixRow
// bound of the float64 oracle; rows independent (a NaN row leaves the others
// exact); guards intact; inputs untouched.
func FuzzMixtureNLL(f *testing.F) {
	f.Fuzz(func(t *testing.T, n, k, d uint16, mode uint8, data []byte) {
		mixtureCase(t, n, k, d, mode, 0, data, false, nil)
	})
}

// FuzzMixtureNLLGrad: as FuzzMixtureNLL, and dhead finite for finite input
// (and finite scale) and within the checkGrad bound of the float64 oracle.
func FuzzMixtureNLLGrad(f *testing.F) {
	f.Fuzz(func(t *testing.T, n, k, d uint16, mode uint8, scale float32, data []byte) {
		mixtureCase(t, n, k, d, mode, scale, data, true, nil)
	})
}

// FuzzMixtureNLLGradCols: FuzzMixtureNLLGrad's checks on
// mdnsimd.MixtureNLLGradCols (every path) and kernels.MixtureNLLGradCols,
// the rows stored by columns with a fuzzed leading dimension ld ≥ n (lanes
// beyond n hold NaN, which no result may show), and the lanes beyond n of
// dhead left as they were.
func FuzzMixtureNLLGradCols(f *testing.F) {
	f.Fuzz(func(t *testing.T, n, k, d uint16, mode uint8, scale float32, pad uint8, data []byte) {
		cols := func(kern func(nll, dhead, head, y []float32, k, d, ld int, scale float32)) mixFunc {
			return func(nll, dhead, head, y []float32, k, d int, scale float32) {
				rows := len(nll)
				w := mdnsimd.MixtureWidth(k, d)
				ld := rows + int(pad%40)
				hc, dc := make([]float32, w*ld), make([]float32, w*ld)
				for i := range hc {
					hc[i] = float32(math.NaN())
					dc[i] = -7.25
				}
				for i := range rows {
					for c := range w {
						hc[c*ld+i] = head[i*w+c]
					}
				}
				kern(nll, dc, hc, y, k, d, ld, scale)
				for c := range w {
					for i := range ld {
						switch {
						case i < rows:
							dhead[i*w+c] = dc[c*ld+i]
						case dc[c*ld+i] != -7.25:
							t.Errorf("n=%d k=%d d=%d ld=%d: dhead column %d lane %d beyond n written", rows, k, d, ld, c, i)
						}
					}
				}
			}
		}
		mixtureCase(t, n, k, d, mode, scale, data, true,
			withPaths("mdnsimd.MixtureNLLGradCols", cols(mdnsimd.MixtureNLLGradCols), map[string]mixFunc{
				"kernels.MixtureNLLGradCols": cols(kernels.MixtureNLLGradCols),
			}))
	})
}

// nll64 is −log p(y|head) for one row in float64, without clamps: the
// function the gradient must be the derivative of, away from the clamps.
func nll64(head []float64, y []float32, k, d int) float64 {
	lg := head[:k]
	lseL := lse64(lg)
	lp := make([]float64, k)
	for c := 0; c < k; c++ {
		t := lg[c] - lseL
		for j := 0; j < d; j++ {
			mu, ls := head[k+c*d+j], head[k+k*d+c*d+j]
			z := (float64(y[j]) - mu) / math.Exp(ls)
			t += -ls - kernels.HalfLog2Pi - 0.5*z*z
		}
		lp[c] = t
	}
	return -lse64(lp)
}

// FuzzMixtureGradFD holds MixtureNLLGrad (scale 1) to central differences
// of nll64 at tame points: logits in ±4, μ and y in ±3, logσ in [−2, 1.5],
// far from every clamp. Each derivative is the Richardson extrapolation
// R = D(h/2) + (D(h/2) − D(h))/3 of central differences D, whose error is
// O(h⁴) and far below |D(h/2) − D(h)|, the O(h²) truncation error of D(h/2);
// that, plus float64 round-off (1e-9·(1+|R|) covers ε64·|nll|/h for h ≥ 1e-4
// and |nll| < 1e3), plus the float32 kernel's own mixRow bound, is the
// tolerance. h is 1e-3, times σ for μ (the scale on which nll varies in μ).
func FuzzMixtureGradFD(f *testing.F) {
	f.Fuzz(func(t *testing.T, nv, kv, dv uint16, data []byte) {
		fl := &fails{t: t}
		s := newSource(1|8*12, data) // tame decoder, scale 1: values in ±1
		n, k, d := int(1+nv%9), 1+int(kv%8), 1+int(dv%4)
		w := mdnsimd.MixtureWidth(k, d)
		head, y := make([]float32, n*w), make([]float32, n*d)
		for i := 0; i < n; i++ {
			h := head[i*w : (i+1)*w]
			for e := range h {
				v := s.f32()
				switch {
				case e < k:
					h[e] = 4 * v
				case e < k+k*d:
					h[e] = 3 * v
				default:
					h[e] = -0.25 + 1.75*v
				}
			}
		}
		for e := range y {
			y[e] = 3 * s.f32()
		}
		nll, dhead := make([]float32, n), make([]float32, n*w)
		for name, kern := range withPaths("mdnsimd.MixtureNLLGrad", mixFunc(mdnsimd.MixtureNLLGrad), map[string]mixFunc{"kernels.MixtureNLLGrad": kernels.MixtureNLLGrad}) {
			defer onPath(name)()
			kern(nll, dhead, head, y, k, d, 1)
			for i := 0; i < n; i++ {
				hi, yi := head[i*w:(i+1)*w], y[i*d:(i+1)*d]
				r := newMixRow(hi, yi, k, d)
				p := make([]float64, w)
				for e, v := range hi {
					p[e] = float64(v)
				}
				for e := 0; e < w; e++ {
					h := 1e-3
					if e >= k && e < k+k*d {
						h *= math.Exp(p[k+k*d+e-k])
					}
					central := func(h float64) float64 {
						x := p[e]
						p[e] = x + h
						a := nll64(p, yi, k, d)
						p[e] = x - h
						b := nll64(p, yi, k, d)
						p[e] = x
						return (a - b) / (2 * h)
					}
					d1, d2 := central(h), central(h/2)
					fd := d2 + (d2-d1)/3
					tol := math.Abs(d2-d1) + 1e-9*(1+math.Abs(fd)) + kernelGradBound(r, e)
					if got := float64(dhead[i*w+e]); !(math.Abs(got-fd) <= tol) {
						fl.add("%s k=%d d=%d row %d: dhead[%d] = %.9g, finite differences %.9g ± %.3g", name, k, d, i, e, got, fd, tol)
					}
				}
			}
		}
	})
}

// kernelGradBound is checkGrad's bound for element e of a row at scale 1.
func kernelGradBound(r *mixRow, e int) float64 {
	k, d := r.k, r.d
	var c int
	switch {
	case e < k:
		c = e
	case e < k+k*d:
		c = (e - k) / d
	default:
		c = (e - k - k*d) / d
	}
	dg := r.gam[c] * (math.Expm1(r.errC[c]+r.errLL+8*u) + 8*u)
	switch {
	case e < k:
		return 2 * (r.pi[c]*(math.Expm1(r.errL+8*u)+8*u) + dg + 2*u)
	case e < k+k*d:
		q := math.Abs(r.z[e-k] * r.invSig[e-k])
		return 2 * (dg*q + r.gam[c]*q*16*u)
	default:
		z := r.z[e-k-k*d]
		return 2 * (dg*math.Abs(1-z*z) + r.gam[c]*(1+z*z)*26*u)
	}
}
