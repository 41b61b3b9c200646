//go:build !purego

package mdn

import "github.com/mdnsimd/mdnsimd/internal/cpufeat"

// linearCols sets, for o < nOut and the first R = ⌈n/16⌉·16 samples r,
//
//	acc = b[o] (0 when len(b) == 0)
//	acc = fma(w[o*wo+i*wi], src[i*ld+r], acc) for i = 0, 1, …, nIn−1 in that order (float32 fused multiply-add)
//	if len(gate) > 0: t = g·g (rounded), acc = acc − acc·t (one fused op), g = gate[o*ld+r]
//	dst[o*ld+r] = acc
//
// Lanes n…R−1 are computed from whatever src (and gate) hold there; the
// caller pads ld to at least R. Weights are addressed through the element
// strides wo and wi, so that w may be read as [out][in] (wo = nIn, wi = 1)
// or transposed (wo = 1, wi = nOut). dst must not overlap src or gate. It
// panics, naming linearCols, if the lengths do not fit (checkLinearCols).
func linearCols(dst, src, w, b, gate []float32, nIn, nOut, wo, wi, n, ld int) {
	checkLinearCols(dst, src, w, b, gate, nIn, nOut, wo, wi, n, ld)
	if cpufeat.HasAVX512 {
		linearColsAVX512(dst, src, w, b, gate, nIn, nOut, wo, wi, n, ld, nil, nil, 0, 0)
		return
	}
	linearColsGo(dst, src, w, b, gate, nIn, nOut, wo, wi, n, ld)
}

// linearColsGradW adds to gw (nOut×nx) and gb (nOut) the weight and bias
// gradients of a layer whose input is x (nx rows of ld) and whose output
// gradient is what linearCols(dz, src, w, nil, gate, nIn, nOut, wo, wi,
// n, ld) would write, without writing it: the results are those of that
// call followed by gradCols(gw, gb, dz, x, nOut, nx, n, ld, ld), bit for
// bit (see gradCols for the order of the sums). acc is scratch of at least
// colsAccLen(nOut, nx) floats. On AVX-512 with nOut ≥ 5 and n > 48 the
// tiles of linearCols add their results to the sums instead of storing
// them; otherwise it makes the two calls, with dz its scratch (at least
// (nOut−1)·ld + ⌈n/16⌉·16 floats).
func linearColsGradW(gw, gb, acc, dz, src, w, gate, x []float32, nIn, nOut, wo, wi, nx, n, ld int) {
	checkLinearCols(dz, src, w, nil, gate, nIn, nOut, wo, wi, n, ld)
	checkGradCols(gw, gb, dz, x, nOut, nx, n, ld, ld)
	switch {
	case !cpufeat.HasAVX512:
		linearColsGo(dz, src, w, nil, gate, nIn, nOut, wo, wi, n, ld)
		gradColsGo(gw, gb, dz, x, nOut, nx, n, ld, ld)
		return
	case nOut < 5 || colsRound(n) < 64:
		linearColsAVX512(dz, src, w, nil, gate, nIn, nOut, wo, wi, n, ld, nil, nil, 0, 0)
		gradColsAVX512(gw, gb, dz, x, nOut, nx, n, ld, ld)
		return
	}
	acc = acc[:colsAccLen(nOut, nx)]
	clear(acc)
	linearColsAVX512(nil, src, w, nil, gate, nIn, nOut, wo, wi, n, ld, acc, x, nx, (5-nOut%5)%5)
	colsReduce(gw, gb, acc, nOut, nx)
}

// gradCols adds, for i < na and j < nb, Σ_{r<n} a[i*lda+r]·b[j*ldb+r] to
// gw[i*nb+j], and, when len(gb) > 0, Σ_{r<n} a[i*lda+r] to gb[i]. It reads
// exactly n samples of each row. Each sum is taken in the order
// gradColsGo documents (16 lane-wise partial sums, then halving), so the
// result is deterministic, the same bits on every path up to fma32's
// rare double rounding. It panics, naming gradCols, if the lengths do not
// fit (checkGradCols).
func gradCols(gw, gb, a, b []float32, na, nb, n, lda, ldb int) {
	checkGradCols(gw, gb, a, b, na, nb, n, lda, ldb)
	if cpufeat.HasAVX512 {
		gradColsAVX512(gw, gb, a, b, na, nb, n, lda, ldb)
		return
	}
	gradColsGo(gw, gb, a, b, na, nb, n, lda, ldb)
}

// linearColsAVX512 is linearColsGo on AVX-512 (F, DQ), for checked
// arguments: tiles of 5 outputs × 64 samples (cols_avx512_amd64.s).
//
// With len(acc) > 0 (nOut ≥ 5, ⌈n/16⌉·16 ≥ 64) it stores nothing to dst
// and adds to acc instead (see linearColsGradW and the assembly); skip is
// then the units of the last output tile that the tile before it also
// holds, (5 − nOut%5)%5.
//
//go:noescape
func linearColsAVX512(dst, src, w, b, gate []float32, nIn, nOut, wo, wi, n, ld int, acc, x []float32, nx, skip int)

// gradColsAVX512 is gradColsGo on AVX-512 (F, DQ), for checked arguments:
// tiles of 3 rows of a × 5 rows of b (cols_avx512_amd64.s).
//
//go:noescape
func gradColsAVX512(gw, gb, a, b []float32, na, nb, n, lda, ldb int)
