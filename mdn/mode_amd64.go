//go:build !purego

package mdn

import (
	"math"

	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
)

// Mode on avx2fma, for one-dimensional mixtures: four starts (of any
// rows) at a time in the float64 lanes of a YMM register (mode_amd64.s),
// on avx512 eight in a ZMM register (mode_avx512_amd64.s), each running
// modeFrom1's iteration with its operations in their order, math.Exp's
// among them, so that every path gives the same bits. A lane whose start
// has converged hands its result over and takes the next start from a
// queue, so that no lane idles while another iterates (with four lanes
// that took the seed model's starts 1.6 times the passes of the iteration
// itself, with eight 2.0 times).

// Sizes of a modeQueue: the starts it holds, and the floats for their
// rows' lw, μ and iv (K each).
const (
	modeQStarts = 32
	modeQRows   = 1024
)

// modeStart is a start of the queue: its row's lw, μ and iv at
// rows[row:], its start point y (a component's mean) and that
// component's σ, and an id the caller reads back from its result.
type modeStart struct {
	row, id int64
	y, sg   float64
}

// modeOut is a start's result: the point y it ended at, modeSums' mx and
// s there (log p = mx + log s), the start's id and the steps it took.
type modeOut struct {
	y, mx, s  float64
	id, steps int64
}

// modeQueue holds the starts the kernel takes, in order (next is the
// first it has not taken, n their number), and the results it hands back
// (nout of them). With drain 0 the kernel returns when a lane is free and
// no start is left, for more; with drain 1 it runs every lane to its end.
// The layout is the kernels' (they read the offsets from go_asm.h).
type modeQueue struct {
	rows                 [modeQRows]float64
	starts               [modeQStarts]modeStart
	out                  [modeQStarts + 8]modeOut
	n, next, nout, drain int64
}

// modeBatch holds the kernel's lanes between calls, component-major
// (field[c*L+lane], L = 4 on avx2fma, 8 on avx512): each lane's row (lw
// and iv as modeWeights sets them, μ) and w, the kernel's scratch; per
// lane its point y, its start component's σ, modeSums' mx and s at y, its
// step count and its start's id; and the lanes as bits: active (it
// steps), final (it has stopped: its next pass gives its result) or free
// (it takes the next start). The layout is the kernels'.
type modeBatch struct {
	lw, mu, iv, w       [qMaxK * 8]float64
	y, sg, mx, s        [8]float64
	steps, id           [8]int64
	active, final, free int64
}

// modeRunAVX2 runs the starts of q on the four lanes of b for rows of k
// components (1 ≤ k ≤ qMaxK), as modeFrom1 would, appending each start's
// result to q.out as it stops.
//
//go:noescape
func modeRunAVX2(b *modeBatch, q *modeQueue, k int)

// modeRunAVX512 is modeRunAVX2 on eight lanes.
//
//go:noescape
func modeRunAVX512(b *modeBatch, q *modeQueue, k int)

// modeLanes returns the number of lanes the mode kernel runs for at most
// n starts: 8 on avx512 where n ≥ 16, else 4. With few starts four lanes
// that refill take about as many passes as eight, and cost less (AMD EPYC
// Zen 5, the seed model's one row, five starts: 937 ns on eight lanes,
// 922 on four).
func modeLanes(n int) int {
	if cpufeat.HasAVX512 && n >= 16 {
		return 8
	}
	return 4
}

// modeRun runs the mode kernel with nl lanes.
func modeRun(b *modeBatch, q *modeQueue, k, nl int) {
	if nl == 8 {
		modeRunAVX512(b, q, k)
	} else {
		modeRunAVX2(b, q, k)
	}
}

// modeBest is the best start so far of a row whose starts are running:
// its log p and component.
type modeBest struct {
	lp float64
	c  int
}

// modeWork is modeVec's memory: the queue, the lanes, the best start of
// each row with starts in the queue or the lanes (at most modeQStarts + 8
// rows, in order, by row modulo len(best)), and the logarithms' scratch.
// A Predictor keeps one, since Go zeroes the 20 KB of one declared in a
// call (Mixture.Mode does that).
type modeWork struct {
	q    modeQueue
	b    modeBatch
	best [64]modeBest
	logs [2*qMaxK + 8]float64
}

// modeVec is mode on the kernel, and reports whether it ran: on avx2fma
// or avx512, for D = 1 and K ≤ qMaxK. Rows the kernel does not take (see
// modeRowOK) run modeRow; f is its scratch. The results come back in the
// order the starts stop, so each row's best is the start of highest log p
// and, of equal ones, the first: modeRow's choice. w is the kernel's
// memory (nil: no kernel).
func (mix *Mixture) modeVec(dst []float32, f []float64, w *modeWork) bool {
	k := mix.K
	if !cpufeat.HasAVX2FMA || mix.D != 1 || k > qMaxK || w == nil {
		return false
	}
	lw, iv := f[k:2*k], f[2*k:3*k]
	q, b, best, logs := &w.q, &w.b, w.best[:], w.logs[:]
	nl := modeLanes(mix.N * k)
	b.active, b.final, b.free = 0, 0, 1<<nl-1
	q.drain = 0
	for i := 0; ; {
		q.n, q.next, q.nout = 0, 0, 0
		rows := 0
		for ; i < mix.N; i++ {
			pi, mu, sg := mix.Pi[i*k:(i+1)*k], mix.Mu[i*k:(i+1)*k], mix.Sigma[i*k:(i+1)*k]
			first := modeRowOK(pi, mu, sg)
			if first < 0 {
				mix.modeRow(dst[i:i+1], i, f)
				continue
			}
			starts := 0
			for _, p := range pi {
				if p != 0 {
					starts++
				}
			}
			if int(q.n)+starts > modeQStarts || rows+3*k > modeQRows {
				break
			}
			modeWeightsVec(pi, sg, lw, iv, logs)
			row := q.rows[rows : rows+3*k]
			copy(row, lw)
			for c, m := range mu {
				row[k+c] = float64(m)
			}
			copy(row[2*k:], iv)
			for c, p := range pi {
				if p != 0 {
					q.starts[q.n] = modeStart{row: int64(rows), id: int64(i*qMaxK + c), y: float64(mu[c]), sg: float64(sg[c])}
					q.n++
				}
			}
			rows += 3 * k
			dst[i] = mu[first]
			best[i%len(best)] = modeBest{math.Inf(-1), k}
		}
		if i == mix.N {
			q.drain = 1
		}
		modeRun(b, q, k, nl)
		mix.modeResults(dst, q.out[:q.nout], best, logs)
		if q.drain != 0 {
			return true
		}
	}
}

// modeResults takes the kernel's results into the rows' best starts and
// dst: lp = mx + log s (math.Log's bits, four at a time).
func (mix *Mixture) modeResults(dst []float32, out []modeOut, best []modeBest, logs []float64) {
	n := (len(out) + 3) &^ 3
	if n == 0 {
		return
	}
	for t := range n {
		logs[t] = 1
		if t < len(out) {
			logs[t] = out[t].s
		}
	}
	log64AVX2(&logs[0], &logs[0], n)
	for t, o := range out {
		lp := o.mx + logs[t]
		i, c := int(o.id)/qMaxK, int(o.id)%qMaxK
		bst := &best[i%len(best)]
		if lp > bst.lp || lp == bst.lp && c < bst.c {
			bst.lp, bst.c = lp, c
			dst[i] = float32(o.y)
		}
	}
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
