//go:build !purego

package mdnsimd

import (
	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
	"github.com/mdnsimd/mdnsimd/kernels"
)

// linearNEON computes dst = act(x·wᵀ + b), act = tanh when act != 0:
//
//	for r := 0; r < rows; r++ {
//		for o := 0; o < out; o++ {
//			s := b[o] // 0 when len(b) == 0
//			for j := 0; j < in; j++ {
//				s += x[r*in+j] * w[o*in+j]
//			}
//			if act != 0 {
//				s = tanh(s)
//			}
//			dst[r*out+o] = s
//		}
//	}
//
//go:noescape
func linearNEON(dst, x, w, b []float32, rows, in, out, act int)

// linear1NEON is linearNEON for in = 1:
//
//	for r := 0; r < rows; r++ {
//		for o := 0; o < out; o++ {
//			s := b[o] + x[r]*w[o] // b[o] = 0 when len(b) == 0
//			if act != 0 {
//				s = tanh(s)
//			}
//			dst[r*out+o] = s
//		}
//	}
//
//go:noescape
func linear1NEON(dst, x, w, b []float32, rows, out, act int)

// gemmBcastNEON computes c = acc·c + A·bm with A[i][p] = a[i*as+p*ap]:
//
//	for i := 0; i < m; i++ {
//		for j := 0; j < n; j++ {
//			s := float32(0)
//			if acc != 0 {
//				s = c[i*n+j]
//			}
//			for p := 0; p < k; p++ {
//				s += a[i*as+p*ap] * bm[p*n+j]
//			}
//			c[i*n+j] = s
//		}
//	}
//
//go:noescape
func gemmBcastNEON(c, a, bm []float32, m, n, k, as, ap, acc int)

// tanhDerivNEON sets dz = dh ⊙ (1 − h²):
//
//	for i := range dz {
//		dz[i] = dh[i] * (1 - h[i]*h[i])
//	}
//
//go:noescape
func tanhDerivNEON(dz, dh, h []float32)

// one is the all-ones column that turns gemmBcastNEON into a column sum.
var one = []float32{1}

func linear(dst, x, w, b []float32, rows, in, out int) {
	if cpufeat.HasNEON {
		if in == 1 {
			linear1NEON(dst, x, w, b, rows, out, 0)
		} else {
			linearNEON(dst, x, w, b, rows, in, out, 0)
		}
		return
	}
	kernels.Linear(dst, x, w, b, rows, in, out)
}

func linearTanh(dst, x, w, b []float32, rows, in, out int) {
	if cpufeat.HasNEON {
		if in == 1 {
			linear1NEON(dst, x, w, b, rows, out, 1)
		} else {
			linearNEON(dst, x, w, b, rows, in, out, 1)
		}
		return
	}
	kernels.LinearTanh(dst, x, w, b, rows, in, out)
}

func linearGradWeights(dw, db, dz, x []float32, rows, in, out int) {
	if cpufeat.HasNEON {
		// dw (out×in) += dzᵀ (out×rows) · x (rows×in); db (1×out) += 1ᵀ·dz.
		if in == 1 {
			// dw is then also a 1×out row: dwᵀ += xᵀ·dz runs along out,
			// 16 lanes at a time instead of one.
			gemmBcastNEON(dw, x, dz, 1, out, rows, 1, 1, 1)
		} else {
			gemmBcastNEON(dw, dz, x, out, in, rows, 1, out, 1)
		}
		if len(db) > 0 {
			gemmBcastNEON(db, one, dz, 1, out, rows, 0, 0, 1)
		}
		return
	}
	kernels.LinearGradWeights(dw, db, dz, x, rows, in, out)
}

func linearTanhGradWeights(dw, db, dz, dh, h, x []float32, rows, in, out int) {
	if cpufeat.HasNEON {
		tanhDerivNEON(dz, dh, h)
		linearGradWeights(dw, db, dz, x, rows, in, out)
		return
	}
	kernels.LinearTanhGradWeights(dw, db, dz, dh, h, x, rows, in, out)
}

func linearGradInput(dx, dz, w []float32, rows, in, out int) {
	if cpufeat.HasNEON {
		// dx (rows×in) = dz (rows×out) · w (out×in).
		gemmBcastNEON(dx, dz, w, rows, in, out, out, 1, 0)
		return
	}
	kernels.LinearGradInput(dx, dz, w, rows, in, out)
}

func linearTanhCols(dst, x, w, b []float32, n, in, out, ld int) {
	linearTanhColsGo(dst, x, w, b, n, in, out, ld)
}
