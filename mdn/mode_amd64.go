//go:build !purego

package mdn

import (
	"math"

	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
)

// Mode on avx2fma, for one-dimensional mixtures: four starts (of any
// rows) at a time in the float64 lanes of a YMM register (mode_amd64.s),
// each running modeFrom1's iteration with its operations in their order,
// math.Exp's among them, so that every path gives the same bits. A lane
// that has converged keeps its point while the others go on.

// modeBatch holds four lanes' rows, component-major (field[c*4+lane]):
// lw and iv as modeWeights sets them, μ, and w, the kernel's scratch; and
// per lane its start point y and the start component's σ. modeAVX2
// leaves in y the point each lane ends at, and in mx and s responsibilities'
// values there, and in steps the number of steps each took. The layout is the kernel's (it reads the offsets from
// go_asm.h).
type modeBatch struct {
	lw, mu, iv, w [qMaxK * 4]float64
	y, sg, mx, s  [4]float64
	steps         [4]int64
}

// modeAVX2 runs modeFrom1 for each lane of b, whose rows have k
// components (1 ≤ k ≤ qMaxK).
//
//go:noescape
func modeAVX2(b *modeBatch, k int)

// modeVec is mode on the kernel, and reports whether it ran: on avx2fma,
// for D = 1 and K ≤ qMaxK. Rows the kernel does not take (see modeRowOK)
// run modeRow; f is its scratch.
func (mix *Mixture) modeVec(dst []float32, f []float64) bool {
	k := mix.K
	if !cpufeat.HasAVX2FMA || mix.D != 1 || k > qMaxK {
		return false
	}
	lw, iv := f[k:2*k], f[2*k:3*k]
	var b modeBatch
	var laneRow [4]int
	lanes := 0
	// The best start of the row whose lanes run now, as modeRow keeps it.
	row, best, bestY := -1, 0.0, 0.0
	results := func(n int) {
		for lane := range n {
			i, y := laneRow[lane], b.y[lane]
			if i != row {
				row, best = i, math.Inf(-1)
			} else if y == bestY {
				continue // the same point, the same log p: not above best
			}
			if lp := b.mx[lane] + math.Log(b.s[lane]); lp > best {
				best, bestY = lp, y
				dst[i] = float32(y)
			}
		}
	}
	for i := range mix.N {
		pi, mu, sg := mix.Pi[i*k:(i+1)*k], mix.Mu[i*k:(i+1)*k], mix.Sigma[i*k:(i+1)*k]
		first := modeRowOK(pi, mu, sg)
		if first < 0 {
			mix.modeRow(dst[i:i+1], i, f)
			continue
		}
		dst[i] = mu[first]
		modeWeights(pi, sg, 1, lw, iv)
		for start, p := range pi {
			if p == 0 {
				continue
			}
			b.fill(lanes, lw, iv, mu, start, sg[start])
			laneRow[lanes] = i
			if lanes++; lanes == 4 {
				modeAVX2(&b, k)
				results(4)
				lanes = 0
			}
		}
	}
	if lanes > 0 {
		// The lanes past the last hold an earlier batch's rows, or zeros
		// (which stop at once: no component has 1/σ² > 0); their results
		// are not read.
		modeAVX2(&b, k)
		results(lanes)
	}
	return true
}

// fill sets lane to start from component start's mean, σ sg, of the
// row whose components have lw, iv (as modeWeights sets them) and μ.
func (b *modeBatch) fill(lane int, lw, iv []float64, mu []float32, start int, sg float32) {
	for c, v := range lw {
		b.lw[c*4+lane], b.mu[c*4+lane], b.iv[c*4+lane] = v, float64(mu[c]), iv[c]
	}
	b.y[lane], b.sg[lane] = float64(mu[start]), float64(sg)
}

// modeRowOK returns the first component of nonzero weight of a
// one-dimensional row the kernel takes, or −1 for one it does not: every
// weight finite and ≥ 0, one of them > 0, every μ finite and every σ
// finite and > 0. Then every value the iteration computes is finite (in
// float64, |μ − y|²/σ² < 10¹⁷⁰), and modeRow's NaN and atom cases do not
// arise.
func modeRowOK(pi, mu, sg []float32) int {
	first := -1
	for c, p := range pi {
		if !(p >= 0 && p <= math.MaxFloat32) || !(mu[c] >= -math.MaxFloat32 && mu[c] <= math.MaxFloat32) ||
			!(sg[c] > 0 && sg[c] <= math.MaxFloat32) {
			return -1
		}
		if first < 0 && p > 0 {
			first = c
		}
	}
	return first
}
