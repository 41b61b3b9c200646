//go:build !purego

package mdn

import (
	"fmt"

	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
)

// vecLoops reports whether the trainer runs the vector loops below
// (optimizer updates, loss sums). It follows the kernels' dispatch, so
// -tags purego, GODEBUG=cpu.avx2=off and a test's cpufeat.Force leave them
// on their Go loops too.
func vecLoops() bool { return cpufeat.HasAVX2FMA }

// vecLen returns how many of n parameters the vector update loops take: all
// of them on AVX-512 (masked loads and stores for the last n%16), the first
// 8·⌊n/8⌋ on AVX2. The loops use the same float32 operations in the same
// order as the Go loops of update (IEEE square root and division are
// correctly rounded in both), so the results are the same bits; update does
// the rest with the Go loop. Each returns the sum over the new parameters of
// p·0: 0 while they are all finite, NaN otherwise. The caller checks that g,
// m, v and b are at least as long as p.
func vecLen(n int) int {
	if cpufeat.HasAVX512 {
		return n
	}
	return n &^ 7
}

// adamVec is, for i < len(p) (a multiple of 8 unless on AVX-512), with
// k = [−step, bc2, 1−β1, β2, 1−β2, ε]:
//
//	m[i] = m[i] + (1−β1)·(g[i] − m[i])
//	v[i] = v[i]·β2 + ((1−β2)·g[i])·g[i]
//	p[i] = p[i] + (−step·m[i]) / (√v[i]/bc2 + ε)
func adamVec(p, g, m, v []float32, k *[6]float32) float32 {
	if cpufeat.HasAVX512 {
		return adamAVX512(p, g, m, v, k)
	}
	return adamAVX2(p, g, m, v, k)
}

// rmspropVec is, for i < len(p) (a multiple of 8 unless on AVX-512), with
// k = [α, 1−α, ε, −lr, μ]:
//
//	v[i] = v[i]·α + ((1−α)·g[i])·g[i];  a = √v[i] + ε
//	len(b) == 0: p[i] = p[i] + (−lr·g[i])/a
//	otherwise:   b[i] = b[i]·μ + g[i]/a;  p[i] = p[i] + (−lr)·b[i]
func rmspropVec(p, g, v, b []float32, k *[5]float32) float32 {
	if cpufeat.HasAVX512 {
		return rmspropAVX512(p, g, v, b, k)
	}
	return rmspropAVX2(p, g, v, b, k)
}

// sgdVec is, for i < len(p) (a multiple of 8 unless on AVX-512), with
// k = [lr, μ]:
//
//	len(b) == 0: p[i] = p[i] − lr·g[i]
//	otherwise:   b[i] = g[i] + b[i]·μ;  p[i] = p[i] − lr·b[i]
func sgdVec(p, g, b []float32, k *[2]float32) float32 {
	if cpufeat.HasAVX512 {
		return sgdAVX512(p, g, b, k)
	}
	return sgdAVX2(p, g, b, k)
}

// addLen returns how many of n floats addVec takes: 8·⌊n/8⌋.
func addLen(n int) int { return n &^ 7 }

// addVec sets dst[i] = dst[i] + src[i] for i < len(dst), a multiple of 8
// (len(src) ≥ len(dst)): the Go loop's additions, eight at a time.
func addVec(dst, src []float32) { addAVX2(dst, src) }

// sumVec returns Σ s in float64 for len(s) a multiple of 16: 16 partial
// sums (partial j takes s[16i+j] in order of i), then added in a fixed
// order, ((0..3 + 4..7) + (8..11 + 12..15)), then (0 + 2) + (1 + 3); the
// same bits on AVX-512 and AVX2.
func sumVec(s []float32) float64 {
	if cpufeat.HasAVX512 {
		return sumAVX512(s)
	}
	return sumAVX2(s)
}

// The loops: AVX2 (vec_amd64.s) takes len(p) a multiple of 8, AVX-512
// (vec_avx512_amd64.s) any len(p).

//go:noescape
func adamAVX2(p, g, m, v []float32, k *[6]float32) float32

//go:noescape
func rmspropAVX2(p, g, v, b []float32, k *[5]float32) float32

//go:noescape
func sgdAVX2(p, g, b []float32, k *[2]float32) float32

//go:noescape
func sumAVX2(s []float32) float64

//go:noescape
func addAVX2(dst, src []float32)

//go:noescape
func adamAVX512(p, g, m, v []float32, k *[6]float32) float32

//go:noescape
func rmspropAVX512(p, g, v, b []float32, k *[5]float32) float32

//go:noescape
func sgdAVX512(p, g, b []float32, k *[2]float32) float32

//go:noescape
func sumAVX512(s []float32) float64

// splitHead copies the n head rows [logits K | μ K·D | log σ K·D] into
// the three row-major blocks lg (n×K), mu and ls (n×K·D). Where K and K·D
// are at most 8 (the seed's 5 and 5), the vector loop moves each part of a
// row with one load and one store of 8 floats: whole vectors while they
// stay inside the slices (a store's lanes past its part are written again
// by the next row's), VMASKMOVPS for the last rows. AMD's cores before Zen 4
// take a VMASKMOVPS store as a long microcoded sequence: on a Zen 3 the
// seed's 1000 rows took 15.3 µs with three masked stores a row and 2.4 µs
// with whole vectors (BenchmarkSplitHead). Wider heads take splitHeadGo,
// beside a GEMM whose time dwarfs either.
func splitHead(lg, mu, ls, head []float32, n, k, kd int) {
	if !cpufeat.HasAVX2FMA || k > 8 || kd > 8 {
		splitHeadGo(lg, mu, ls, head, n, k, kd)
		return
	}
	hw := k + 2*kd
	if n < 0 || k < 1 || kd < 1 || len(lg) < n*k || len(mu) < n*kd || len(ls) < n*kd || len(head) < n*hw {
		panic(fmt.Sprintf("mdn: splitHead: n = %d, k = %d, kd = %d with len(lg) = %d, len(mu) = %d, len(ls) = %d, len(head) = %d",
			n, k, kd, len(lg), len(mu), len(ls), len(head)))
	}
	// whole: the leading rows whose 8-float loads (the last at offset
	// k+kd of a head row) and stores all end inside their slices.
	whole := min(n, wholeRows(len(lg), 0, k), wholeRows(len(mu), 0, kd), wholeRows(len(ls), 0, kd), wholeRows(len(head), k+kd, hw))
	splitHeadAVX2(lg, mu, ls, head, n, whole, k, kd)
}

// wholeRows returns the number of rows r ≥ 0 for which 8 floats from
// r·stride + off end inside a slice of length l.
func wholeRows(l, off, stride int) int {
	if l < off+8 {
		return 0
	}
	return (l-off-8)/stride + 1
}

// splitHeadAVX2 is, for r < n and hw = k + 2·kd, 1 ≤ k, kd ≤ 8, 0 ≤ whole
// ≤ n, the whole rows as splitHead computes them:
//
//	copy(lg[r*k:(r+1)*k], head[r*hw:])
//	copy(mu[r*kd:(r+1)*kd], head[r*hw+k:])
//	copy(ls[r*kd:(r+1)*kd], head[r*hw+k+kd:])
//
//go:noescape
func splitHeadAVX2(lg, mu, ls, head []float32, n, whole, k, kd int)

// pickCounts sets comp[i] for every row to the count pick forms before its
// fix-up (see pick): on avx2fma the first 4·⌊len(comp)/4⌋ rows by
// pickAVX2, the rest in Go.
func pickCounts(comp []int32, pi []float32, bits []uint64, k int) {
	n := len(comp)
	if len(pi) < n*k || len(bits) < n || k < 1 {
		panic(fmt.Sprintf("mdn: pickCounts: len(comp) = %d, k = %d with len(pi) = %d, len(bits) = %d", n, k, len(pi), len(bits)))
	}
	done := 0
	if cpufeat.HasAVX2FMA {
		pickAVX2(comp, pi, bits, k)
		done = n &^ 3
	}
	pickCountsGo(comp[done:], pi[done*k:], bits[done:], k)
}

// pickAVX2 is, for the rows i < 4·⌊len(comp)/4⌋ (len(pi) ≥ len(comp)·k,
// len(bits) ≥ len(comp), k ≥ 1), comp[i] = pickCount(pi[i*k:(i+1)*k],
// uniform(bits[i])): the same float64 operations in the same order, so the
// same counts. It reads only those rows' weights and words.
//
//go:noescape
func pickAVX2(comp []int32, pi []float32, bits []uint64, k int)

// momentsVec computes Mixture.moments (q: qMean, qVariance or qStd) for
// the leading rows of mix that the vector kernel takes, every dimension,
// and returns how many: on avx2fma (and avx512) the first 4·⌊N/4⌋, each
// dimension one call of momentsAVX2; otherwise none. dst holds N·D values.
func momentsVec(mix *Mixture, dst []float32, q query) int {
	if !cpufeat.HasAVX2FMA {
		return 0
	}
	n, k, d := mix.N&^3, mix.K, mix.D
	if n == 0 {
		return 0
	}
	if k < 1 || d < 1 || len(dst) < n*d || len(mix.Pi) < n*k || len(mix.Mu) < n*k*d || len(mix.Sigma) < n*k*d {
		panic(fmt.Sprintf("mdn: momentsVec: %d rows of %d components in %d dimensions with len(dst) = %d, len(Pi) = %d, len(Mu) = %d, len(Sigma) = %d",
			n, k, d, len(dst), len(mix.Pi), len(mix.Mu), len(mix.Sigma)))
	}
	for j := range d {
		momentsAVX2(dst[j:], mix.Pi, mix.Mu[j:], mix.Sigma[j:], n, k, d, int(q))
	}
	return n
}

// momentsAVX2 is, for the rows i < 4·⌊n/4⌋ of k components (k ≥ 1) in d
// dimensions (d ≥ 1), Mixture.moments of the dimension whose first value
// of μ and σ is at mu[0] and sg[0], into dst[i·d]: m = Σ_c π_ic·μ_ic (π_ic
// = pi[i·k+c], μ_ic = mu[(i·k+c)·d]), then for q ≠ qMean
// v = Σ_c π_ic·(σ_ic² + (μ_ic − m)²) and for qStd √v, each product
// rounded before its sum, in component order: the same bits. It reads only
// those values of those rows (σ not for qMean), so len(dst) > (4·⌊n/4⌋ −
// 1)·d, len(pi) ≥ 4·⌊n/4⌋·k and len(mu), len(sg) > ((4·⌊n/4⌋ − 1)·k +
// k − 1)·d suffice.
//
//go:noescape
func momentsAVX2(dst, pi, mu, sg []float32, n, k, d, q int)
