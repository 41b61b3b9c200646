//go:build !purego

package mdn

import (
	"math"

	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
)

// CRPS on avx2fma: four (row, dimension) pairs at a time in the float64
// lanes of a YMM register (crps_amd64.s), on avx512 eight in a ZMM
// register (crps_avx512_amd64.s), with crps's operations in its
// order, absMoment's and normBoth's among them, so that every path gives
// the same bits. A component of weight 0 adds +0 where crps skips it,
// which changes no sum (none is −0: every term is a weight times a
// nonnegative absolute moment). Pairs whose components the kernel cannot
// take (see crpsBatch.fill) run crps in Go.

// crpsBatch holds the lanes' components, component-major
// (field[c*L+lane], L = 4 for crpsAVX2, 8 for crpsAVX512), and their y;
// the kernel writes out. The layout is the kernels' (they read the
// offsets from go_asm.h).
type crpsBatch struct {
	w, m, s [qMaxK * 8]float64
	y, out  [8]float64
}

// crpsConst4 holds crps_amd64.s's constants, each in four lanes: 8.5,
// −8.5, 64, 1/64, 3, 1, −1, 0, ½, 2/√π, the mask of all bits but the
// sign, then in 32-bit lanes the last cell of normTab's pairs (its
// offsets are the index·32).
var crpsConst4 = func() (c [12][4]uint64) {
	for i, v := range []float64{normZMax, -normZMax, normPerZ, normStep, 3, 1, -1, 0, 0.5, 2 * invSqrtPi,
		math.Float64frombits(1<<63 - 1)} {
		b := math.Float64bits(v)
		c[i] = [4]uint64{b, b, b, b}
	}
	last := uint64(normNodes - 2)
	c[11] = [4]uint64{last<<32 | last, last<<32 | last, last<<32 | last, last<<32 | last}
	return c
}()

// crpsAVX2 sets b.out to crps of each lane's first k components (1 ≤ k ≤
// qMaxK) at its y, as crps computes it for the gathered components.
//
//go:noescape
func crpsAVX2(b *crpsBatch, k int)

// crpsAVX512 is crpsAVX2 for eight lanes.
//
//go:noescape
func crpsAVX512(b *crpsBatch, k int)

// fill sets lane's (of nl) components and y to those of pair t (row t/D,
// dimension t%D) of mix, the weights divided by their sum as gather does,
// and reports whether the kernel can take them: a positive, finite weight
// sum, and for each component of nonzero weight a positive weight and a
// finite μ and σ ≥ 0. A component of weight 0 gets μ = 0, σ = 1.
func (b *crpsBatch) fill(mix *Mixture, lane, nl, t int, y float64) bool {
	d := mix.D
	pi, mu, sg := mix.marginal(t/d, t%d)
	sum := weightSum(pi)
	norm := 1 / sum
	ok := sum > 0 && sum <= math.MaxFloat64
	for c, w := range pi {
		o := c*nl + lane
		if o >= len(b.w) || c*d >= len(mu) || c*d >= len(sg) {
			return false // never (lets the compiler drop the bounds checks below)
		}
		if w == 0 {
			b.w[o], b.m[o], b.s[o] = 0, 0, 1
			continue
		}
		m, s := float64(mu[c*d]), float64(sg[c*d])
		wn := float64(w) * norm
		ok = ok && wn > 0 && wn <= math.MaxFloat64 && math.Abs(m) <= math.MaxFloat64 && s >= 0 && s <= math.MaxFloat64
		b.w[o], b.m[o], b.s[o] = wn, m, s
	}
	b.y[lane] = y
	return ok
}

// crpsVec is crps for every pair of mix on the kernel, and reports
// whether it ran: on avx2fma and avx512, for K ≤ qMaxK and at least four
// pairs (for fewer, the kernel's four lanes cost more than the pairs in
// Go). On avx512 the eight-lane kernel runs where there are at least
// eight pairs.
func (mix *Mixture) crpsVec(dst, y []float32, s *scratch) bool {
	total := mix.N * mix.D
	if !cpufeat.HasAVX2FMA || mix.K > qMaxK || total < 4 {
		return false
	}
	nl := 4
	if cpufeat.HasAVX512 && total >= 8 {
		nl = 8
	}
	var b crpsBatch
	for t0 := 0; t0 < total; t0 += nl {
		n := min(nl, total-t0)
		var ok [8]bool
		for lane := range nl {
			t := t0 + min(lane, n-1) // lanes past n repeat the last pair
			ok[lane] = b.fill(mix, lane, nl, t, float64(y[t]))
		}
		if nl == 8 {
			crpsAVX512(&b, mix.K)
		} else {
			crpsAVX2(&b, mix.K)
		}
		for lane := range n {
			t := t0 + lane
			if ok[lane] {
				dst[t] = float32(b.out[lane])
			} else {
				dst[t] = float32(crps(mix.gather(s.comps, t/mix.D, t%mix.D), float64(y[t])))
			}
		}
	}
	return true
}
