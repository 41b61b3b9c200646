//go:build !purego

package mdn

import (
	"math"

	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
)

// Mode on avx2fma, for one-dimensional mixtures: four starts (of any
// rows) at a time in the float64 lanes of a YMM register (mode_amd64.s),
// on avx512 eight in a ZMM register (mode_avx512_amd64.s), each running modeFrom1's iteration with its operations in their order,
// math.Exp's among them, so that every path gives the same bits. A lane
// that has converged keeps its point while the others go on.

// modeBatch holds the lanes' rows, component-major (field[c*L+lane], L
// = 4 on avx2fma, 8 on avx512):
// lw and iv as modeWeights sets them, μ, and w, the kernel's scratch; and
// per lane its start point y and the start component's σ. modeAVX2
// leaves in y the point each lane ends at, in mx and s modeSums' values
// there and in lp = mx + log s, and in steps the number of steps each
// took. The layout is the kernel's (it reads the offsets from
// go_asm.h).
type modeBatch struct {
	lw, mu, iv, w    [qMaxK * 8]float64
	y, sg, mx, s, lp [8]float64
	steps            [8]int64
}

// modeAVX2 runs modeFrom1 for each of the four lanes of b, whose rows
// have k components (1 ≤ k ≤ qMaxK).
//
//go:noescape
func modeAVX2(b *modeBatch, k int)

// modeAVX512 is modeAVX2 for eight lanes.
//
//go:noescape
func modeAVX512(b *modeBatch, k int)

// modeLanes returns the number of lanes the mode kernel runs: 8 on avx512,
// 4 on avx2fma.
func modeLanes() int {
	if cpufeat.HasAVX512 {
		return 8
	}
	return 4
}

// modeKernel runs the mode kernel of the path in use.
func modeKernel(b *modeBatch, k int) {
	if cpufeat.HasAVX512 {
		modeAVX512(b, k)
	} else {
		modeAVX2(b, k)
	}
}

// modeVec is mode on the kernel, and reports whether it ran: on avx2fma,
// or avx512, for D = 1 and K ≤ qMaxK. Rows the kernel does not take (see modeRowOK)
// run modeRow; f is its scratch.
func (mix *Mixture) modeVec(dst []float32, f []float64) bool {
	k := mix.K
	if !cpufeat.HasAVX2FMA || mix.D != 1 || k > qMaxK {
		return false
	}
	lw, iv := f[k:2*k], f[2*k:3*k]
	var logs [2*qMaxK + 3]float64
	var b modeBatch
	var laneRow [8]int
	lanes, nl := 0, modeLanes()
	// The best start of the row whose lanes run now, as modeRow keeps it.
	row, best := -1, 0.0
	results := func(n int) {
		for lane := range n {
			i := laneRow[lane]
			if i != row {
				row, best = i, math.Inf(-1)
			}
			if lp := b.lp[lane]; lp > best {
				best = lp
				dst[i] = float32(b.y[lane])
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
		modeWeightsVec(pi, sg, lw, iv, logs[:])
		for start, p := range pi {
			if p == 0 {
				continue
			}
			b.fill(lanes, nl, lw, iv, mu, start, sg[start])
			laneRow[lanes] = i
			if lanes++; lanes == nl {
				modeKernel(&b, k)
				results(nl)
				lanes = 0
			}
		}
	}
	if lanes > 0 {
		// The lanes past the last hold an earlier batch's rows, or zeros
		// (which stop at once: no component has 1/σ² > 0); their results
		// are not read.
		modeKernel(&b, k)
		results(lanes)
	}
	return true
}

// modeWeightsVec is modeWeights for a one-dimensional row the kernel takes
// (modeRowOK), with the logarithms four at a time (log64AVX2); buf holds
// at least 2K + 3 values.
func modeWeightsVec(pi, sg []float32, lw, iv, buf []float64) {
	k := len(lw)
	n := (2*k + 3) &^ 3
	buf = buf[:n]
	for c := range k {
		buf[c] = 1 // for π = 0, whose logarithm LOG64 does not take
		if pi[c] != 0 {
			buf[c] = float64(pi[c])
		}
		sd := float64(sg[c])
		buf[k+c] = sd
		iv[c] = 1 / (sd * sd)
	}
	for i := 2 * k; i < n; i++ {
		buf[i] = 1
	}
	log64AVX2(&buf[0], &buf[0], n)
	half := 0.5 * math.Log(2*math.Pi) // modeWeights' (D/2)·log 2π, exact in both
	for c := range k {
		l := math.Inf(-1)
		if pi[c] != 0 {
			l = buf[c] - half
		}
		lw[c] = l - buf[k+c]
	}
}

// log64AVX2 sets dst[i] = math.Log(x[i]) for i < n (a multiple of 4, at
// least 4) and x[i] positive, finite and normal (LOG64 in log64_amd64.h);
// dst may be x.
//
//go:noescape
func log64AVX2(dst, x *float64, n int)

// logConst4 holds log64_amd64.h's constants, each in four lanes: the
// mantissa's mask, ½, 0x3fe and 2⁵² + 2⁵¹ (as an integer, and as a
// float64 for the same bits), √2/2, 1, 2, archLog's L1 … L7, and ln 2 in
// two parts.
var logConst4 = func() (c [16][4]uint64) {
	for i, v := range []uint64{1<<52 - 1, math.Float64bits(0.5), 0x3fe, 0x4338000000000000,
		math.Float64bits(7.07106781186547524401e-01), math.Float64bits(1), math.Float64bits(2),
		math.Float64bits(6.666666666666735130e-01), // L1
		math.Float64bits(3.999999999940941908e-01),
		math.Float64bits(2.857142874366239149e-01),
		math.Float64bits(2.222219843214978396e-01),
		math.Float64bits(1.818357216161805012e-01),
		math.Float64bits(1.531383769920937332e-01),
		math.Float64bits(1.479819860511658591e-01),   // L7
		math.Float64bits(6.93147180369123816490e-01), // ln 2, upper part
		math.Float64bits(1.90821492927058770002e-10), // lower part
	} {
		c[i] = [4]uint64{v, v, v, v}
	}
	return c
}()

// fill sets lane (of nl) to start from component start's mean, σ sg, of
// the row whose components have lw, iv (as modeWeights sets them) and μ.
func (b *modeBatch) fill(lane, nl int, lw, iv []float64, mu []float32, start int, sg float32) {
	for c, v := range lw {
		b.lw[c*nl+lane], b.mu[c*nl+lane], b.iv[c*nl+lane] = v, float64(mu[c]), iv[c]
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
