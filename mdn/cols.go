package mdn

import "fmt"

// The column layout of the small-model training step: activations are
// stored feature-major, the value of feature f for sample r at a[f*ld+r],
// with ld ≥ n so that the samples of a feature are contiguous and fill the
// vector lanes (16 samples a ZMM register). linearCols is the forward
// linear layer (and the input gradient, with the weights read transposed
// through the strides wo and wi), gradCols the weight and bias gradients.
// The assembly (cols_avx512_amd64.s) runs on AVX-512; linearColsGo and
// gradColsGo are the same loops in Go, compiled into every build.

// colsRound returns R = ⌈n/16⌉·16, the samples linearCols computes.
func colsRound(n int) int { return (n + 15) &^ 15 }

// checkLinearCols panics, naming linearCols, unless the arguments fit
// linearCols' contract.
func checkLinearCols(dst, src, w, b, gate []float32, nIn, nOut, wo, wi, n, ld int) {
	bad := ""
	R := colsRound(n)
	switch {
	case nIn < 1 || nOut < 1 || n < 0:
		bad = "nIn, nOut ≥ 1 and n ≥ 0"
	case ld < R:
		bad = "ld ≥ ⌈n/16⌉·16"
	case wo < 0 || wi < 0:
		bad = "wo, wi ≥ 0"
	case len(src) < (nIn-1)*ld+R:
		bad = "len(src) ≥ (nIn−1)·ld+⌈n/16⌉·16"
	case len(dst) < (nOut-1)*ld+R:
		bad = "len(dst) ≥ (nOut−1)·ld+⌈n/16⌉·16"
	case len(gate) != 0 && len(gate) < (nOut-1)*ld+R:
		bad = "len(gate) = 0 or ≥ (nOut−1)·ld+⌈n/16⌉·16"
	case len(b) != 0 && len(b) < nOut:
		bad = "len(b) = 0 or ≥ nOut"
	case len(w) < (nOut-1)*wo+(nIn-1)*wi+1:
		bad = "len(w) ≥ (nOut−1)·wo+(nIn−1)·wi+1"
	default:
		return
	}
	panic(fmt.Sprintf("mdn: linearCols: want %s; have nIn = %d, nOut = %d, wo = %d, wi = %d, n = %d, ld = %d, len(dst) = %d, len(src) = %d, len(w) = %d, len(b) = %d, len(gate) = %d",
		bad, nIn, nOut, wo, wi, n, ld, len(dst), len(src), len(w), len(b), len(gate)))
}

// linearColsGo is linearCols in Go: for o < nOut and r < R = ⌈n/16⌉·16,
//
//	acc := b[o] (0 when len(b) == 0)
//	for i := range nIn { acc = fma32(w[o*wo+i*wi], src[i*ld+r], acc) }
//	if len(gate) > 0 { g := gate[o*ld+r]; t := float32(g*g); acc = fma32(-acc, t, acc) }
//	dst[o*ld+r] = acc
//
// The caller has checked the arguments (checkLinearCols).
func linearColsGo(dst, src, w, b, gate []float32, nIn, nOut, wo, wi, n, ld int) {
	R := colsRound(n)
	for o := range nOut {
		d := dst[o*ld : o*ld+R]
		var bias float32
		if len(b) > 0 {
			bias = b[o]
		}
		for r := range d {
			acc := bias
			for i := range nIn {
				acc = fma32(w[o*wo+i*wi], src[i*ld+r], acc)
			}
			if len(gate) > 0 {
				g := gate[o*ld+r]
				t := float32(g * g)
				acc = fma32(-acc, t, acc)
			}
			d[r] = acc
		}
	}
}

// checkGradCols panics, naming gradCols, unless the arguments fit
// gradCols' contract.
func checkGradCols(gw, gb, a, b []float32, na, nb, n, lda, ldb int) {
	bad := ""
	switch {
	case na < 1 || nb < 1 || n < 0:
		bad = "na, nb ≥ 1 and n ≥ 0"
	case lda < n || ldb < n:
		bad = "lda, ldb ≥ n"
	case len(a) < (na-1)*lda+n:
		bad = "len(a) ≥ (na−1)·lda+n"
	case len(b) < (nb-1)*ldb+n:
		bad = "len(b) ≥ (nb−1)·ldb+n"
	case len(gw) < na*nb:
		bad = "len(gw) ≥ na·nb"
	case len(gb) != 0 && len(gb) < na:
		bad = "len(gb) = 0 or ≥ na"
	default:
		return
	}
	panic(fmt.Sprintf("mdn: gradCols: want %s; have na = %d, nb = %d, n = %d, lda = %d, ldb = %d, len(gw) = %d, len(gb) = %d, len(a) = %d, len(b) = %d",
		bad, na, nb, n, lda, ldb, len(gw), len(gb), len(a), len(b)))
}

// gradColsGo is gradCols in Go, in the kernel's order of operations: each
// sum is taken in 16 lane-wise partial sums, partial l over the samples
// r ≡ l (mod 16) in increasing r (fma32 for Σa·b, a float32 add for Σa),
// then reduced by halving (colsHalve), and the result added to gw[i*nb+j]
// (gb[i]) once.
//
//	for i < na, j < nb:  gw[i*nb+j] += colsHalve(p), p[r%16] = fma32(a[i*lda+r], b[j*ldb+r], p[r%16]) for r < n
//	for i < na (len(gb) > 0):  gb[i] += colsHalve(p), p[r%16] += a[i*lda+r] for r < n
//
// The caller has checked the arguments (checkGradCols).
func gradColsGo(gw, gb, a, b []float32, na, nb, n, lda, ldb int) {
	for i := range na {
		ar := a[i*lda : i*lda+n]
		if len(gb) > 0 {
			var p [16]float32
			for r, x := range ar {
				p[r&15] += x
			}
			gb[i] += colsHalve(&p)
		}
		for j := range nb {
			br := b[j*ldb : j*ldb+n]
			var p [16]float32
			for r, x := range ar {
				p[r&15] = fma32(x, br[r], p[r&15])
			}
			gw[i*nb+j] += colsHalve(&p)
		}
	}
}

// colsHalve returns the sum of the 16 partial sums p by halving:
// p[l] += p[l+h] for l < h, h = 8, 4, 2, 1, then p[0]; that is
// (((p0+p8)+(p4+p12))+((p2+p10)+(p6+p14))) + (((p1+p9)+(p5+p13))+((p3+p11)+(p7+p15))).
// It overwrites p.
func colsHalve(p *[16]float32) float32 {
	for h := 8; h >= 1; h /= 2 {
		for l := range h {
			p[l] += p[l+h]
		}
	}
	return p[0]
}

// fma32 returns a*b+c: the product of two float32 values is exact in
// float64, so this is the fused result up to a second rounding to float32
// (it can differ from a hardware float32 FMA only where the float64 sum
// lands on a float32 rounding midpoint).
func fma32(a, b, c float32) float32 {
	return float32(float64(a)*float64(b) + float64(c))
}

// colsAccLen is the scratch linearColsGradW needs: a 16-lane partial sum
// for each of the nOut·nx weights and nOut biases.
func colsAccLen(nOut, nx int) int { return (nOut*nx + nOut) * 16 }

// colsOnes is the all-ones column colsReduce multiplies by.
var colsOnes = [16]float32{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}

// colsReduce adds the partial sums of acc (linearColsGradW's layout) to gw
// and gb, each by gradCols' halving: gradCols of a partial row against a
// row of ones, over 16 samples, is colsHalve of the row (x·1 + 0 = x).
func colsReduce(gw, gb, acc []float32, nOut, nx int) {
	ones := colsOnes[:]
	gradCols(gw, nil, acc, ones, nOut*nx, 1, 16, 16, 16)
	gradCols(gb, nil, acc[nOut*nx*16:], ones, nOut, 1, 16, 16, 16)
}
