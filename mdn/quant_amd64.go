//go:build !purego

package mdn

import (
	"math"
	"math/bits"

	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
)

// The quantile solver's first two iterations across eight (row,
// dimension) pairs at once, on AVX-512, in float64 lanes:
// quantPrepAVX512 finishes gathering the components (weights normalised,
// 1/σ, the order of the means: gather and cumulate), and for each level
// quantLevelsAVX512 finds the start point and F and its derivatives
// there, takes the Halley step with its error bounds, then evaluates F at
// the next iterate and takes the next step. Both have the operations of
// the Go code in the same order (gather, cumulate, startPoint,
// normQuantileApprox, mixCDF, solve), so that each lane ends with the bits
// the Go solver gives. Most quantiles end there (74% of the 3000 of the
// seed model's 1000 rows at 5%, 50% and 95% in the first iteration, 94%
// by the second); the kernel hands the others to the Go solver with its
// state after the last iteration it finished, or at the start, and rows
// it cannot take (a weight, μ or σ not finite and positive where it must
// be) to the Go code whole.

// On avx2fma the same kernels run in YMM registers, four lanes at a time
// (quant_amd64.s): quantPrep and quantLevels choose.

// quantVec reports whether the quantiles of mix run on the kernel: on
// AVX-512 or AVX2, for K ≤ qMaxK, and at least one batch of lanes.
func quantVec(mix *Mixture) bool {
	return cpufeat.HasAVX2FMA && mix.K <= qMaxK && mix.N*mix.D >= qLanes
}

// quantPrep is quantPrepAVX512, or on avx2fma quantPrepAVX2 on each half
// of the lanes.
func quantPrep(b *qbatch, k int) (ok uint8) {
	if cpufeat.HasAVX512 {
		return quantPrepAVX512(b, k)
	}
	return quantPrepAVX2(b, k, 0) | quantPrepAVX2(b, k, 1)<<4
}

// quantLevels is quantLevelsAVX512, or on avx2fma quantLevelsAVX2 on
// each half of the lanes.
func quantLevels(b *qbatch, k int, lvs *qlevel, outs *qout, nl int) {
	if cpufeat.HasAVX512 {
		quantLevelsAVX512(b, k, lvs, outs, nl)
		return
	}
	quantLevelsAVX2(b, k, lvs, outs, nl, 0)
	quantLevelsAVX2(b, k, lvs, outs, nl, 1)
}

// qbatch holds eight lanes' components in float64, component-major
// (field[c*qLanes+lane]), all K of them: the kernels skip those of weight
// 0, as gather does. The layout is the kernels': see the offsets in
// quant_avx512_amd64.s.
type qbatch struct {
	w, m, s, inv, wi, wi2, below [qMaxK * qLanes]float64
	sums                         [3][qLanes]float64 // cumulate's sums
	iter                         int64              // quantLevelsAVX512's scratch
}

// qlevel is one level as the kernel reads it.
type qlevel struct {
	a       float64 // alpha, or beta = 1 − alpha for an upper level
	sg      float64 // 1, or −1 for an upper level
	tol     float64 // the level's tolerance
	halfTol float64 // 0.5·tol
	upper   int64   // 1 for an upper level
}

// newQLevel returns lv as the kernel reads it.
func newQLevel(lv *level) qlevel {
	if lv.upper {
		return qlevel{a: lv.beta, sg: -1, tol: lv.tol, halfTol: 0.5 * lv.tol, upper: 1}
	}
	return qlevel{a: lv.alpha, sg: 1, tol: lv.tol, halfTol: 0.5 * lv.tol}
}

// qout is the kernel's result for one level. The kernel runs the solver's
// first two iterations: the lanes done (q holds the quantile); those that
// went on after the first (cont) and after the second (cont2) iteration,
// with the solver's state after the last iteration they finished (q the
// next iterate; lo, hi, rLo, rHi, dx1, dx2); and those with a valid start
// (y0, and p, f, fp at float32(y0)), which a lane in none of the others
// starts the Go solver from. A lane in none of these starts over in Go.
// p2, f2, fp2 and act are the kernel's scratch. The layout is the
// kernel's (TestQuantKernelLayout).
type qout struct {
	y0, p, f, fp                  [qLanes]float64
	p2, f2, fp2                   [qLanes]float64
	lo, hi, rLo, rHi, dx1, dx2    [qLanes]float64
	q                             [qLanes]float32
	done, cont, cont2, start, act uint8
}

// quantPerm holds the VPERMI2PD indices that take the coefficients c0, c1
// (then c2, c3) of four lanes out of two registers of two lanes' cells.
var quantPerm = [16]int64{0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15}

// quantConst holds the kernel's constants, at the indices its offsets name
// (quant_avx512_amd64.s): the Go expressions they stand for, evaluated by
// Go, so that both compute with the same values.
var quantConst = [...]float64{
	0.5, 1, 2, -2, -1, normZMax, -normZMax, normPerZ, normPerZ * normPerZ, 3, 6, // 0–10
	math.MaxFloat32, -math.MaxFloat32, math.Inf(1), acklamPLow, 1 - acklamPLow, math.Sqrt2, ln2Hi, ln2Lo, // 11–18
	logLg[0], logLg[1], logLg[2], logLg[3], logLg[4], logLg[5], logLg[6], // 19–25
	acklamA[0], acklamA[1], acklamA[2], acklamA[3], acklamA[4], acklamA[5], // 26–31
	acklamB[0], acklamB[1], acklamB[2], acklamB[3], acklamB[4], // 32–36
	acklamC[0], acklamC[1], acklamC[2], acklamC[3], acklamC[4], acklamC[5], // 37–42
	acklamD[0], acklamD[1], acklamD[2], acklamD[3], // 43–46
	(interpD3 + 64*interpJump2) / 6, 0.5 * interpJump2, 2 * interpJump1, 2 * interpJump0, 0.25, // 47–51
	math.Float64frombits(1<<63 - 1), // 52: the mask of all bits but the sign
}

// quantConst4 holds quantConst's values as the AVX2 kernels read them,
// each in the four lanes of a YMM operand, then their own: the mantissa
// mask, 2⁵² (to which a biased exponent is ORed) and 2⁵² + 1023, the
// least normal float64, the lanes' bits {1, 2, 4, 8}, and in 32-bit lanes
// the last cell of normPoly, 0x7fffffff and 1 (quant_amd64.s names the
// offsets).
var quantConst4 = func() (c [len(quantConst) + 8][4]uint64) {
	for i, v := range quantConst {
		c[i] = [4]uint64{math.Float64bits(v), math.Float64bits(v), math.Float64bits(v), math.Float64bits(v)}
	}
	n := len(quantConst)
	splat := func(u uint64) [4]uint64 { return [4]uint64{u, u, u, u} }
	two32 := func(u uint64) [4]uint64 { return splat(u<<32 | u) }
	c[n] = splat(1<<52 - 1)
	c[n+1] = splat(math.Float64bits(0x1p52))
	c[n+2] = splat(math.Float64bits(0x1p52 + 1023))
	c[n+3] = splat(math.Float64bits(0x1p-1022))
	c[n+4] = [4]uint64{1, 2, 4, 8}
	c[n+5] = two32(uint64(len(normPoly) - 1))
	c[n+6] = two32(0x7fffffff)
	c[n+7] = two32(1)
	return c
}()

// quantPrepAVX512 finishes what gatherBatch began, for b's first k
// components: it normalises the weights by their sum, sets 1/σ, w/σ and
// w/σ², then below and the sums (cumulate), over the components of nonzero
// weight, with gather's and cumulate's operations, and returns the mask of
// the lanes the kernel may solve: a positive, finite weight sum, and for
// each component of nonzero weight a positive, finite weight, a finite
// mean and a positive, finite σ. The others go to the Go solver whole.
//
//go:noescape
func quantPrepAVX512(b *qbatch, k int) (ok uint8)

// quantLevelsAVX512 runs the first two iterations of the levels lvs[:nl]
// on the lanes of b's first k components (1 ≤ k ≤ qMaxK; prepared by
// quantPrepAVX512), into outs[:nl].
//
//go:noescape
func quantLevelsAVX512(b *qbatch, k int, lvs *qlevel, outs *qout, nl int)

// quantPrepAVX2 is quantPrepAVX512 for lanes 4·half to 4·half+3: its
// result's bits 0 to 3 stand for them.
//
//go:noescape
func quantPrepAVX2(b *qbatch, k int, half int) (ok uint8)

// quantLevelsAVX2 is quantLevelsAVX512 for lanes 4·half to 4·half+3 of b
// and of outs' fields; the other lanes, and their bits in outs' masks,
// stay as they are.
//
//go:noescape
func quantLevelsAVX2(b *qbatch, k int, lvs *qlevel, outs *qout, nl int, half int)

// gatherBatch sets b's w, m and s to the weights, means and σ of the
// (row, dimension) pairs t0 … t0+n−1 (t = i·D + j; n ≤ qLanes; the lanes
// past n repeat t0) in float64; quantPrepAVX512 does the rest.
func (mix *Mixture) gatherBatch(b *qbatch, t0, n int) {
	k, d := mix.K, mix.D
	kd := k * d
	for lane := range qLanes {
		t := t0 + lane
		if lane >= n {
			t = t0
		}
		i, j := t, 0
		if d != 1 {
			i, j = t/d, t%d
		}
		pi := mix.Pi[i*k : i*k+k]
		mu := mix.Mu[i*kd+j : i*kd+kd]
		sg := mix.Sigma[i*kd+j : i*kd+kd]
		o := lane
		for c, w := range pi {
			if o >= len(b.w) || c*d >= len(mu) || c*d >= len(sg) {
				break // never (lets the compiler drop the bounds checks below)
			}
			b.w[o], b.m[o], b.s[o] = float64(w), float64(mu[c*d]), float64(sg[c*d])
			o += qLanes
		}
	}
}

// lane returns lane's components from b, cumulated, in cs's memory, and
// their sums: what gather and cumulate give for its (row, dimension).
func (b *qbatch) lane(cs []comp, lane, k int) ([]comp, [3]float64) {
	cs = cs[:k]
	n := 0
	for o := lane; o < k*qLanes && o < len(b.w); o += qLanes {
		if b.w[o] == 0 {
			continue
		}
		e := &cs[n]
		e.w, e.m, e.s, e.inv = b.w[o], b.m[o], b.s[o], b.inv[o]
		e.wi, e.wi2, e.below = b.wi[o], b.wi2[o], b.below[o]
		n++
	}
	return cs[:n], [3]float64{b.sums[0][lane], b.sums[1][lane], b.sums[2][lane]}
}

// quantilesVec is quantiles (dst != nil) or interval (lo and hi) on the
// kernel; quantVec(mix) is true.
//
//go:noinline
func (mix *Mixture) quantilesVec(dst, lo, hi []float32, s *scratch) {
	var b qbatch
	var outs [qGroup]qout
	var qls [qGroup]qlevel
	k, d, nl := mix.K, mix.D, len(s.levels)
	// put stores quantile q of level l for lane (pair t0 + lane), at
	// base[lane] + l·d in dst, or in lo or hi.
	var base [qLanes]int
	put := func(t0, lane, l int, q float32) {
		switch {
		case dst != nil:
			dst[base[lane]+l*d] = q
		case l == 0:
			lo[t0+lane] = q
		default:
			hi[t0+lane] = q
		}
	}
	total := mix.N * d
	for t0 := 0; t0 < total; t0 += qLanes {
		n := min(qLanes, total-t0)
		mix.gatherBatch(&b, t0, n)
		ok := quantPrep(&b, k) & uint8(1<<n-1)
		if dst != nil {
			for lane := range n {
				t := t0 + lane
				base[lane] = t*nl - t%d*(nl-1) // (t/d·nl)·d + t%d
			}
		}
		// The kernel for up to qGroup levels, then their results: the
		// branches on the results, which the CPU cannot predict, come
		// after the kernel calls, so that these overlap.
		for g := 0; g < nl; g += qGroup {
			ng := min(qGroup, nl-g)
			for l := g; l < g+ng; l++ {
				qls[l-g] = newQLevel(&s.levels[l])
			}
			quantLevels(&b, k, &qls[0], &outs[0], ng)
			for l := g; l < g+ng; l++ {
				lv, out := &s.levels[l], &outs[l-g]
				for m := out.done & ok; m != 0; m &= m - 1 {
					lane := bits.TrailingZeros8(m)
					put(t0, lane, l, out.q[lane])
				}
				for m := ^(out.done & ok) & uint8(1<<n-1); m != 0; m &= m - 1 {
					lane := bits.TrailingZeros8(m)
					t := t0 + lane
					bit := uint8(1) << lane
					if ok&bit == 0 {
						// The whole scalar path: gather, cumulate, start.
						cs := mix.gather(s.comps, t/d, t%d)
						sums := cumulate(cs)
						st := startOne(cs, lv)
						q, _ := quantile(cs, lv, &sums, &st)
						put(t0, lane, l, q)
						continue
					}
					cs, sums := b.lane(s.comps, lane, k)
					var q float32
					switch {
					case out.cont&bit != 0:
						qs := qstate{lo: out.lo[lane], hi: out.hi[lane], rLo: out.rLo[lane], rHi: out.rHi[lane],
							dx1: out.dx1[lane], dx2: out.dx2[lane], y: out.q[lane], iter: 1}
						if out.cont2&bit != 0 {
							qs.iter = 2
						}
						q, _ = solve(cs, lv, &sums, qs, nil)
					case out.start&bit != 0:
						st := start{y0: out.y0[lane], p: out.p[lane], f: out.f[lane], fp: out.fp[lane]}
						q, _ = quantile(cs, lv, &sums, &st)
					default:
						st := startOne(cs, lv)
						q, _ = quantile(cs, lv, &sums, &st)
					}
					put(t0, lane, l, q)
				}
			}
		}
	}
}
