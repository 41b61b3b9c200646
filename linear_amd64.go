//go:build !purego

package mdnsimd

import (
	"math"

	"github.com/klauspost/cpuid/v2"
	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
	"github.com/mdnsimd/mdnsimd/kernels"
)

// Epilogue flags of gemmAVX2 and the other kernels of the linear family;
// the assembly reads them from go_asm.h as $const_gemmBias and so on.
const (
	gemmBias  = 1 << iota // add bias[j]
	gemmAcc               // add the old c[i*ldc+j]
	gemmTanh              // apply tanh last
	gemmSpill             // a row's last vector may be stored whole (gemmAVX2)
	gemmPadB              // b is a packed panel, rows of 16 floats (gemmAVX2)
	gemmPackB             // pack b into p while the first tile reads it (gemmAVX512)
)

// packAhead is how many rows of b ahead of its loads gemmAVX512 prefetches
// with gemmPackB. 8, 16, 24 and 32 rows measured within 3% of each other
// (weight gradients at 10000×256→60, 10000×256→256 and 512³, AMD EPYC
// Zen 5), 24 and 32 the fastest; without the prefetches 10000×256→60 took
// twice as long.
const packAhead = 24

// gemmAVX2 computes one panel of n ≤ 16 columns of c = act(a·b + bias + c):
//
//	for i := 0; i < m; i++ {
//		for j := 0; j < n; j++ {
//			var s float32
//			for p := 0; p < k; p++ {
//				s += a[i*rsa+p*csa] * b[p*ldb+j]
//			}
//			if flags&gemmBias != 0 {
//				s += bias[j]
//			}
//			if flags&gemmAcc != 0 {
//				s += c[i*ldc+j]
//			}
//			if flags&gemmTanh != 0 {
//				s = tanh(s)
//			}
//			c[i*ldc+j] = s
//		}
//	}
//
// with 1 ≤ n ≤ 16, m, k ≥ 0; the slices hold every element the loop touches.
//
// With gemmSpill (and not gemmAcc) a row's last vector may be stored whole
// where that stays inside c, writing up to 15 values past column n−1; the
// caller must write those elements again later (panelOrder arranges that).
//
// With gemmPadB, b's rows hold 16 readable floats (ldb ≥ 16, the slice long
// enough), so that a panel with n < 16 (or n < 8) loads them whole in its
// main loop instead of masked; the extra lanes reach no stored element.
//
//go:noescape
func gemmAVX2(c []float32, ldc int, a []float32, rsa, csa int, b []float32, ldb int, bias []float32, m, k, n, flags int)

// gradBiasAVX2 forms the pre-activation gradient of a tanh layer and sums it
// over rows into the bias gradient:
//
//	for r := 0; r < rows; r++ {
//		for o := 0; o < out; o++ {
//			if flags&gemmTanh != 0 {
//				dz[r*out+o] = dh[r*out+o] * (1 - h[r*out+o]*h[r*out+o])
//			}
//			if flags&gemmBias != 0 {
//				db[o] += dz[r*out+o]
//			}
//		}
//	}
//
//go:noescape
func gradBiasAVX2(db, dz, dh, h []float32, rows, out, flags int)

// linear1AVX2 computes a layer with one input over whole periods of
// rowsPer rows (see linear1Table for tab):
//
//	for i := 0; i < periods*vecs*8; i++ {
//		e := tab[i%(vecs*8)/8*32:]
//		l := i % 8
//		row := int(math.Float32bits(e[24])) // or e[25] where e[16+l] is set
//		s := x[i/(vecs*8)*rowsPer+row]*e[l] + e[8+l]
//		if flags&gemmTanh != 0 {
//			s = tanh(s)
//		}
//		dst[i] = s
//	}
//
//go:noescape
func linear1AVX2(dst, x, tab []float32, periods, vecs, rowsPer, flags int)

// grad1AVX2 sums, for a layer with one input, the bias and weight
// gradients lane by lane over whole periods of rowsPer rows (vecs ≤ 5
// vectors; rowsPer is 1, or 2 with vecs odd), forming dz on the way with
// gemmTanh. acc (80 floats) is set to the sums: bias sums of the vector at
// 8t in acc[8t:], weight sums in acc[40+8t:]:
//
//	clear(acc)
//	for p := 0; p < periods; p++ {
//		for f := 0; f < vecs*8; f++ {
//			i := p*vecs*8 + f
//			if flags&gemmTanh != 0 {
//				dz[i] = dh[i] * (1 - h[i]*h[i])
//			}
//			acc[f] += dz[i]
//			acc[40+f] += dz[i] * x[p*rowsPer+f*rowsPer/(vecs*8)]
//		}
//	}
//
//go:noescape
func grad1AVX2(acc, dz, dh, h, x []float32, periods, vecs, rowsPer, flags int)

// gemm20AVX2 computes c = a·b (+ c) for results 20 columns wide:
//
//	for i := 0; i < m; i++ {
//		for j := 0; j < 20; j++ {
//			var s float32
//			for p := 0; p < k; p++ {
//				s += a[i*rsa+p*csa] * b[p*ldb+j]
//			}
//			if flags&gemmAcc != 0 {
//				s += c[i*ldc+j]
//			}
//			c[i*ldc+j] = s
//		}
//	}
//
//go:noescape
func gemm20AVX2(c []float32, ldc int, a []float32, rsa, csa int, b []float32, ldb, m, k, flags int)

// packAVX2 transposes 8×8 blocks of w into p (kc and n multiples of 8):
//
//	for k := 0; k < kc; k++ {
//		for j := 0; j < n; j++ {
//			p[k*16+j] = w[j*ld+k]
//		}
//	}
//
//go:noescape
func packAVX2(p, w []float32, ld, kc, n int)

// rowDotAVX2 is the input gradient of a one-input layer:
//
//	for r := 0; r < rows; r++ {
//		var s float32
//		for o := 0; o < out; o++ {
//			s += dz[r*out+o] * w[o]
//		}
//		dx[r] = s
//	}
//
//go:noescape
func rowDotAVX2(dx, dz, w []float32, rows, out int)

// linearDotAVX2 computes dst = act(x·wᵀ + b) a row at a time with w as
// stored: for each block of up to 8 outputs, eight lane-wise sums of w's
// rows times x, 8 inputs a step (the last in%8 under a mask), folded into
// one vector of the block's outputs; then the bias (flags&gemmBias), the
// tanh (flags&gemmTanh, Tanh's on the avx2fma path) and a masked store:
//
//	for r := 0; r < rows; r++ {
//		for o := 0; o < out; o++ {
//			var lane [8]float32
//			for j := 0; j < in; j++ {
//				lane[j%8] += x[r*in+j] * w[o*in+j] // one FMA each
//			}
//			s := fold(lane) // (l0+l1)+(l2+l3), (l4+l5)+(l6+l7), then those two
//			if flags&gemmBias != 0 {
//				s += b[o]
//			}
//			if flags&gemmTanh != 0 {
//				s = tanh(s)
//			}
//			dst[r*out+o] = s
//		}
//	}
//
//go:noescape
func linearDotAVX2(dst, x, w, b []float32, rows, in, out, flags int)

// linearRowsOneAVX2 computes dst = act(x·wᵀ + b) for a layer of one input,
// a row at a time with w and b as stored (out floats each): one FMA per
// output, the bias as its addend (0 without gemmBias), then the tanh
// (flags&gemmTanh, Tanh's on the avx2fma path), the same bits as the
// GEMM's:
//
//	for r := 0; r < rows; r++ {
//		for o := 0; o < out; o++ {
//			s := float32(0)
//			if flags&gemmBias != 0 {
//				s = b[o]
//			}
//			s = fma(x[r], w[o], s)
//			if flags&gemmTanh != 0 {
//				s = tanh(s)
//			}
//			dst[r*out+o] = s
//		}
//	}
//
//go:noescape
func linearRowsOneAVX2(dst, x, w, b []float32, rows, out, flags int)

// copyPanelAVX2 copies a k×n block of b (row stride ldb) into p with row
// stride 16, zero-filling the columns past n:
//
//	for r := 0; r < k; r++ {
//		for j := 0; j < 16; j++ {
//			p[r*16+j] = 0
//			if j < n {
//				p[r*16+j] = b[r*ldb+j]
//			}
//		}
//	}
//
//go:noescape
func copyPanelAVX2(p, b []float32, ldb, k, n int)

// kBlock bounds the depth of one pass of the GEMM: a packed panel of
// kBlock×16 floats (16 KiB) stays in L1 while every row of the other operand
// streams by.
const kBlock = 256

// kDepth (≤ kBlock) and mRows are the k and row blocks used: a kDepth×16
// panel fills at most half of L1d, an mRows×kDepth block of x at most half
// of L2, as the CPU report gives them (256 and 256 for 32 KiB and 512 KiB).
var kDepth, mRows = cacheBlocks(cpuid.CPU.Cache.L1D, cpuid.CPU.Cache.L2)

func cacheBlocks(l1d, l2 int) (k, m int) {
	k, m = kBlock, 256
	if l1d > 0 {
		k = min(kBlock, max(64, l1d/2/64))
	}
	if l2 > 0 {
		m = min(1024, max(64, l2/2/(4*k)))
	}
	return k, m
}

// packRows is the number of rows of the result from which the backward
// GEMMs copy their strided B panel into contiguous scratch first: the copy
// costs about what one row of the result does, and a strided panel (row
// stride a multiple of 1 KiB, say) can thrash L1.
const packRows = 16

// The forward kernels (Linear, LinearTanh) run a shape by one of these
// plans; planLinear chooses, runLinear runs.
type linearPlan uint8

const (
	// linGeneric: no assembly path; kernels.Linear or LinearTanh.
	linGeneric linearPlan = iota
	// linEmpty: rows or out is 0, nothing to write.
	linEmpty
	// linOne: a one-input tanh layer; linearOneAVX2 over whole periods
	// of rows, linearPanelsAVX2 for the rows left.
	linOne
	// linBlocked: a tall layer (at least 2·mRows rows and wideMinIn
	// inputs); gemmBlockedAVX2.
	linBlocked
	// linPanels: everything else; linearPanelsAVX2, the 6×16 GEMM over
	// each packed panel of wᵀ.
	linPanels
	// linGemm512: everything else on the avx512 path; linearAVX512, the
	// 14×32 GEMM over blocks of packed panels of wᵀ.
	linGemm512
	// linOne512: a one-input layer of at most oneMaxOut outputs and at
	// least oneMinRows512 rows on the avx512 path; linear1RunAVX512, swept
	// flat. Fewer rows take linGemm512, which rounds each output the same
	// way (one FMA, x·w + b) without building the sweep's table.
	linOne512
	// linDot512: at most dotMaxRows512 rows of at least two inputs on the
	// avx512 path; linearDotAVX512, dot products with w as stored, where
	// packing wᵀ for the GEMM would cost more than the rows' work.
	linDot512
	// linDot: at most dotMaxRowsAVX2 rows of at least two inputs on the
	// avx2fma path; linearDotAVX2.
	linDot
	// linRowsOne: a one-input layer on the avx2fma path that linOne does
	// not take, of at most rowsOneMaxRows rows or at least rowsOneMinOut
	// outputs, and on the avx512 path one that linOne512 does not take,
	// of at most rowsOneMaxRows512 rows or of at least rowsOneMinOut
	// outputs without tanh; linearRowsOneAVX2, a row at a time with w as
	// stored.
	linRowsOne
)

func (p linearPlan) String() string {
	return [...]string{"generic", "empty", "one", "blocked", "panels", "gemm512", "one512", "dot512", "dot", "rowsone"}[p]
}

// Thresholds of planLinear.
const (
	// oneMaxOut bounds the width of a one-input layer swept flat
	// (linear1AVX2, linear1AVX512, grad1AVX512: their tables hold at most
	// 64 vectors).
	oneMaxOut = 64
	// wideOut is the width of gemmBlockedAVX2's column blocks (every
	// panel of a block's k block packed at once); wideMinIn bounds the
	// depth of the layers it takes (in for the forward GEMM, out for the
	// input gradient), with at least 2·mRows rows.
	wideOut   = 64
	wideMinIn = 64
	// smallPanelIn: layers with at most this many inputs pack their panel
	// into a small array (Go zeroes a stack array where it is declared).
	smallPanelIn = 32
	// dotMaxRows512 and dotMaxRowsAVX2 bound the rows linearDotAVX512
	// and linearDotAVX2 take: up to them the dot products beat the GEMM at
	// every shape BenchmarkLinearPlanThresholds runs, from 2→5 to 256→256
	// (the README has the figures).
	dotMaxRows512  = 3
	dotMaxRowsAVX2 = 5
	// rowsOneMaxRows and rowsOneMinOut bound the one-input layers
	// linearRowsOneAVX2 takes on avx2fma (linOne aside): up to 64 rows
	// it beat the panel GEMM at every width BenchmarkLinearPlanThresholds runs
	// (its packing and 16-column panels cost more than the rows' work:
	// 1×1→20 with tanh 150 against 33 ns), and from 128 outputs on at any
	// rows (each row one stream of stores, where the GEMM's panels write
	// 64 bytes a row a pass: 10000×1→256 without tanh 780 against 280 µs).
	// Between them, with 1000 rows and 16 to 96 outputs, the GEMM was as
	// fast with tanh and up to 2× faster without (AMD EPYC Zen 3). On the
	// avx512 path too the 14×32 GEMM's strided stores lose to the row
	// streams without tanh: 10000×1→256 took 711 µs on it against 408 on
	// linearRowsOneAVX2 (Intel Xeon, family 6 model 207,
	// BenchmarkLinearPlanThresholds, medians of three); with tanh, which
	// the 16-lane kernel computes faster, 1.00 ms on the GEMM against
	// 1.15 ms on the AVX2 rows. One or two rows, too, are faster there
	// than in the GEMM's tiles (1→20: 16 against 33 ns without tanh, 29
	// against 45 with it for two rows; from four rows with tanh and eight
	// without, the GEMM is as fast or faster): the seed model's one-row
	// Mixture query took 200 against 219 ns (same CPU).
	rowsOneMaxRows    = 64
	rowsOneMaxRows512 = 2
	rowsOneMinOut     = 128
)

// planLinear chooses the forward plan for a rows×in→out layer on the
// path the dispatch bools select. A layer of a few rows and more than one
// input (one row of a prediction, say) takes dot products with w as
// stored, where packing wᵀ for a GEMM would cost more than the rows' work.
// A one-input layer up to oneMaxOut wide goes flat from its path's
// threshold (oneMinRows512, oneMinRowsAVX2: where building the sweep's
// table is repaid): on avx2fma a tanh layer whose rows are not whole
// vectors (out%8 != 0), so that no tanh lane is wasted (the tanh is most
// of the work; without it, or with whole vectors, the panel kernel is
// faster), on avx512 any. The other one-input layers of a few rows, and
// the wider ones without tanh, take the row streams of linearRowsOneAVX2
// on both paths. The rest takes gemmAVX512 on avx512, and on avx2fma the
// blocked or the panel GEMM.
func planLinear(rows, in, out int, tanh bool) linearPlan {
	switch {
	case !cpufeat.HasAVX2FMA:
		return linGeneric
	case rows == 0 || out == 0:
		return linEmpty
	case cpufeat.HasAVX512 && in == 1 && out <= oneMaxOut && rows >= oneMinRows512(out):
		return linOne512
	case cpufeat.HasAVX512 && in >= 2 && rows <= dotMaxRows512:
		return linDot512
	case cpufeat.HasAVX512 && in == 1 && (rows <= rowsOneMaxRows512 || out >= rowsOneMinOut && !tanh):
		return linRowsOne
	case cpufeat.HasAVX512:
		return linGemm512
	case in >= 2 && rows <= dotMaxRowsAVX2:
		return linDot
	case in == 1 && tanh && out > 8 && out%8 != 0 && out <= oneMaxOut && rows >= oneMinRowsAVX2(out):
		return linOne
	case in == 1 && (rows <= rowsOneMaxRows || out >= rowsOneMinOut):
		return linRowsOne
	case in >= wideMinIn && rows >= 2*mRows:
		return linBlocked
	}
	return linPanels
}

func linear(dst, x, w, b []float32, rows, in, out int) {
	runLinear(planLinear(rows, in, out, false), dst, x, w, b, rows, in, out, 0)
}

func linearTanh(dst, x, w, b []float32, rows, in, out int) {
	runLinear(planLinear(rows, in, out, true), dst, x, w, b, rows, in, out, gemmTanh)
}

// runLinear runs plan p for dst = act(x·wᵀ + b), act = tanh when act is
// gemmTanh.
func runLinear(p linearPlan, dst, x, w, b []float32, rows, in, out, act int) {
	switch p {
	case linGeneric:
		if act != 0 {
			kernels.LinearTanh(dst, x, w, b, rows, in, out)
		} else {
			kernels.Linear(dst, x, w, b, rows, in, out)
		}
	case linEmpty:
	case linOne:
		r := linearOneAVX2(dst, x, w, b, rows, out, act)
		if r < rows {
			linearPanelsAVX2(dst[r*out:], x[r:], w, b, rows-r, 1, out, act)
		}
	case linBlocked:
		gemmBlockedAVX2(dst, x, w, b, rows, in, out, act, true)
	case linPanels:
		linearPanelsAVX2(dst, x, w, b, rows, in, out, act)
	case linGemm512:
		linearAVX512(dst, x, w, b, rows, in, out, act)
	case linOne512:
		linear1RunAVX512(dst, x, w, b, rows, out, act)
	case linDot512:
		if len(b) > 0 {
			act |= gemmBias
		}
		linearDotAVX512(dst, x, w, b, rows, in, out, act)
	case linDot:
		if len(b) > 0 {
			act |= gemmBias
		}
		linearDotAVX2(dst, x, w, b, rows, in, out, act)
	case linRowsOne:
		if len(b) > 0 {
			act |= gemmBias
		}
		linearRowsOneAVX2(dst, x, w, b, rows, out, act)
	}
}

// oneMinRowsAVX2 is the fewest rows for which a one-input layer of out
// outputs takes linearOneAVX2 (out%8 != 0): 16 rows per vector of its
// table (out/gcd(out, 8) vectors of 32 floats, built at every call; as
// out%8 != 0, gcd(out, 8) = out&-out), as oneMinRows512. Fewer rows do not
// repay building the table: the panel GEMM is as fast or faster there
// (BenchmarkLinearPlanThresholds runs both).
func oneMinRowsAVX2(out int) int { return 16 * out / (out & -out) }

// linearOneAVX2 sweeps dst as one flat array of whole vectors for a layer
// with one input and returns the number of rows done: the whole periods
// of rowsPer rows (rowsPer·out values, a whole number of vectors).
func linearOneAVX2(dst, x, w, b []float32, rows, out, act int) int {
	g := out & -out // gcd(out, 8), as out%8 != 0
	vecs, rowsPer := out/g, 8/g
	periods := rows / rowsPer
	// Go zeroes a stack array where it is declared, so the table's array
	// is only as large as the layer needs (the seed's: 5 vectors).
	if vecs <= 8 {
		var tab [8 * 32]float32
		linear1Table(tab[:vecs*32], w, b, out, rowsPer)
		linear1AVX2(dst, x, tab[:vecs*32], periods, vecs, rowsPer, act)
	} else {
		var tab [64 * 32]float32
		linear1Table(tab[:vecs*32], w, b, out, rowsPer)
		linear1AVX2(dst, x, tab[:vecs*32], periods, vecs, rowsPer, act)
	}
	return periods * rowsPer
}

// linearPanelsAVX2 packs wᵀ kBlock×16 at a time and runs the GEMM over all
// rows for each panel; the bias enters in the first pass over k, the
// activation in the last. A panel holds kc ≤ min(in, kBlock) rows of 16.
func linearPanelsAVX2(dst, x, w, b []float32, rows, in, out, act int) {
	if in <= smallPanelIn {
		var panel [smallPanelIn * 16]float32
		linearPanels(dst, x, w, b, rows, in, out, act, panel[:])
		return
	}
	var panel [kBlock * 16]float32
	linearPanels(dst, x, w, b, rows, in, out, act, panel[:])
}

// linearPanels is linearPanelsAVX2's panel loop: wᵀ packed into panel,
// kDepth (at most len(panel)/16) rows of it at a time.
func linearPanels(dst, x, w, b []float32, rows, in, out, act int, panel []float32) {
	for k0 := 0; ; k0 += kDepth {
		kc := min(kDepth, in-k0)
		flags := linearFlags(k0, kc, in, len(b) > 0, act)
		for p := 0; p < out; p += 16 {
			o0 := panelOrder(p, out)
			n := min(16, out-o0)
			pack(panel, w[o0*in+k0:], in, kc, n)
			var bias []float32
			if flags&gemmBias != 0 {
				bias = b[o0:]
			}
			gemmAVX2(dst[o0:], out, x[k0:], in, 1, panel, 16, bias, rows, kc, n, flags|gemmPadB)
		}
		if k0+kc >= in {
			return
		}
	}
}

// linearFlags returns the gemmAVX2 flags for the pass over k0..k0+kc.
func linearFlags(k0, kc, in int, bias bool, act int) int {
	flags := 0
	if k0 > 0 {
		flags |= gemmAcc
	} else {
		flags |= gemmSpill
		if bias {
			flags |= gemmBias
		}
	}
	if k0+kc >= in {
		flags |= act
	}
	return flags
}

// gemmBlockedAVX2 runs the panel GEMM c = act(a·B + b) for a tall a (rows×k,
// row stride k) and c (rows×n, row stride n), blocked for the caches: the
// columns of c wideOut at a time (the block with the narrow last panel
// first: the spilling stores of that panel's first pass write into the
// next row's first columns, which the first column block then writes
// again), every panel of a column block's k block packed at once, and the
// rows mRows at a time, so that each block of a (mRows×kDepth floats) is
// read from memory once per column block and served from L2 to each of its
// panels (the panel GEMM reads all of a once per panel of 16 columns). B is
// wᵀ for the forward pass (w n×k, wT) and w for the input gradient (w k×n);
// b (n or empty) and act (0 or gemmTanh) as in linearFlags.
func gemmBlockedAVX2(c, a, w, b []float32, rows, k, n, act int, wT bool) {
	var panels [kBlock * wideOut]float32
	last := (n - 1) / wideOut * wideOut
	for cb := 0; cb < n; cb += wideOut {
		c0 := last
		if cb > 0 {
			c0 = cb - wideOut
		}
		cw := min(wideOut, n-c0)
		for k0 := 0; ; k0 += kDepth {
			kc := min(kDepth, k-k0)
			flags := linearFlags(k0, kc, k, len(b) > 0, act)
			for j := 0; j < cw; j += 16 {
				if wT {
					pack(panels[j*kBlock:], w[(c0+j)*k+k0:], k, kc, min(16, cw-j))
				} else {
					copyPanelAVX2(panels[j*kBlock:], w[k0*n+c0+j:], n, kc, min(16, cw-j))
				}
			}
			for r0 := 0; r0 < rows; r0 += mRows {
				mc := min(mRows, rows-r0)
				for p := 0; p < cw; p += 16 {
					j := panelOrder(p, cw)
					var bias []float32
					if flags&gemmBias != 0 {
						bias = b[c0+j:]
					}
					gemmAVX2(c[r0*n+c0+j:], n, a[r0*k+k0:], k, 1, panels[j*kBlock:], 16, bias, mc, kc, min(16, cw-j), flags|gemmPadB)
				}
			}
			if k0+kc >= k {
				break
			}
		}
	}
}

// linear1Table fills the table linear1AVX2 reads: for the t-th vector of a
// period (flat offsets 8t..8t+7 of rows·out), the weights and biases of each
// lane, a mask of the lanes that fall in the row after that of lane 0 (for
// two-row periods: of the lanes in the second row), and the rows (within
// the period) of lane 0 and lane 7.
func linear1Table(tab, w, b []float32, out, rowsPer int) {
	for t := 0; t < len(tab)/32; t++ {
		e := tab[t*32 : t*32+32]
		clear(e)
		rowA := 8 * t / out
		for l := 0; l < 8; l++ {
			row, col := (8*t+l)/out, (8*t+l)%out
			e[l] = w[col]
			if len(b) > 0 {
				e[8+l] = b[col]
			}
			if row != rowA || rowsPer == 2 && row == 1 {
				e[16+l] = math.Float32frombits(^uint32(0))
			}
		}
		e[24] = math.Float32frombits(uint32(rowA))
		e[25] = math.Float32frombits(uint32((8*t + 7) / out))
	}
}

// panelOrder returns the first column of the panel to do at step p (a
// multiple of 16): the narrow last panel first, then the others in order,
// so that whatever a spilling store of the narrow panel writes past the
// end of a row (the start of the next row) is written again afterwards.
func panelOrder(p, n int) int {
	last := (n - 1) &^ 15
	if p == 0 {
		return last
	}
	return p - 16
}

// pack sets p[k*16+j] = w[j*ld+k] for k < kc, j < n: the whole 8×8 blocks
// in assembly, the ragged edges here.
func pack(p, w []float32, ld, kc, n int) {
	k8, n8 := kc&^7, n&^7
	if k8 > 0 && n8 > 0 {
		packAVX2(p, w, ld, k8, n8)
	}
	for j := 0; j < n; j++ {
		wj := w[j*ld:]
		wj = wj[:kc]
		k := k8
		if j >= n8 {
			k = 0
		}
		for ; k < kc; k++ {
			p[k*16+j] = wj[k]
		}
	}
}

// The weight-gradient kernels (LinearGradWeights, LinearTanhGradWeights)
// run a shape by one of these plans; planGradWeights chooses,
// runGradWeights runs.
type gradWeightsPlan uint8

const (
	// gwGeneric: no assembly path; kernels.LinearGradWeights or
	// LinearTanhGradWeights.
	gwGeneric gradWeightsPlan = iota
	// gwEmpty: out is 0, nothing to do.
	gwEmpty
	// gwOne: one input and grad1Out(out) (on the avx512 path, fewer than
	// grad1MinRows512 rows); grad1.
	gwOne
	// gw20: 20 inputs; gradWeights20.
	gw20
	// gwColumn: one input otherwise; dwᵀ += xᵀ·dz straight into dw (a
	// 1×out row), by gradWeightsAVX2.
	gwColumn
	// gwTransposed: a small dw that is cheaper transposed; dwᵀ += xᵀ·dz
	// in scratch, added to dw at the end, by gradWeightsAVX2.
	gwTransposed
	// gwDirect: everything else; dw += dzᵀ·x, 16 columns of dw at a
	// time, by gradWeightsAVX2.
	gwDirect
	// gwGemm512: on the avx512 path, dw += dzᵀ·x by gemmAVX512, rows of dz
	// kBlock512 at a time (gradWeightsAVX512).
	gwGemm512
	// gwOne512: on the avx512 path, one input and at most oneMaxOut
	// outputs, but not a grad1Out width on fewer than grad1MinRows512
	// rows; grad1RunAVX512, swept flat.
	gwOne512
	// gwGemm512T: on the avx512 path, when it is cheaper transposed and
	// dw is small, dwᵀ += xᵀ·dz by gemmAVX512 (gradWeightsAVX512): into dw
	// itself for one input, else into scratch added to dw at the end.
	gwGemm512T
	// gw20x512: on the avx512 path, 20 inputs and at most 16 outputs (the
	// seed's head); gradWeights20AVX512, one pass over the rows that forms
	// dz, sums the bias and the weights' gradient transposed.
	gw20x512
)

func (p gradWeightsPlan) String() string {
	return [...]string{"generic", "empty", "one", "20", "column", "transposed", "direct", "gemm512", "one512", "gemm512T", "20x512"}[p]
}

// grad1MinRows512 is the fewest rows for which a one-input layer of a
// grad1Out width takes grad1RunAVX512 rather than grad1 on the avx512 path.
// Its sweep a period at a time (16 lanes) is faster from there on: at
// 1000×1→20 554 against 742 ns without the tanh (1510 and 1515 ns with it,
// both waiting on L2 for dz, dh and h); at 128 rows the two are within 2%
// at out = 4 and 16, and at 32 rows grad1 takes 32 ns against 45 for out =
// 4 (AMD EPYC Zen 5, throwaway benchmarks).
const grad1MinRows512 = 128

// grad1Out reports whether grad1 takes a one-input layer of out outputs:
// periods of one row of whole vectors (out a multiple of 8 up to 40, at
// most five vectors) or of two rows (out = 4, 12, 20: four times an odd
// number, up to five vectors for two rows).
func grad1Out(out int) bool {
	return out%8 == 0 && out <= 40 || out == 4 || out == 12 || out == 20
}

// transMax bounds dwᵀ's size for the transposed weight gradient, so that
// adding it back to dw stays cheap next to the GEMM.
const transMax = 1024

// gemmCost estimates gemmAVX2's cycles per k step for an m×n result: a
// 6-row tile takes 6 cycles for 16 columns, 4 for 8 or fewer (latency
// bound), a leftover row 2.
func gemmCost(m, n int) int {
	c := 0
	for ; n > 0; n -= 16 {
		t := 6
		if n <= 8 {
			t = 4
		}
		c += m/6*t + m%6*2
	}
	return c
}

// planGradWeights chooses the weight-gradient plan for a rows×in→out
// layer on the path the dispatch bools select.
func planGradWeights(rows, in, out int) gradWeightsPlan {
	switch {
	case !cpufeat.HasAVX2FMA:
		return gwGeneric
	case out == 0:
		return gwEmpty
	case in == 1 && grad1Out(out) && !(cpufeat.HasAVX512 && rows >= grad1MinRows512):
		// On the avx512 path too below grad1MinRows512 rows, where
		// grad1AVX2's smaller fixed cost decides.
		return gwOne
	case cpufeat.HasAVX512 && in == 1 && out <= oneMaxOut:
		return gwOne512
	case cpufeat.HasAVX512 && in == 20 && out <= 16:
		return gw20x512
	case cpufeat.HasAVX512:
		if in*out <= transMax && gemmCostAVX512(in, out) < gemmCostAVX512(out, in) {
			return gwGemm512T
		}
		return gwGemm512
	case in == 20:
		return gw20
	case in == 1:
		return gwColumn
	case in*out <= transMax && gemmCost(in, out) < gemmCost(out, in):
		return gwTransposed
	}
	return gwDirect
}

func linearGradWeights(dw, db, dz, x []float32, rows, in, out int) {
	runGradWeights(planGradWeights(rows, in, out), dw, db, dz, nil, nil, x, rows, in, out, 0)
}

func linearTanhGradWeights(dw, db, dz, dh, h, x []float32, rows, in, out int) {
	runGradWeights(planGradWeights(rows, in, out), dw, db, dz, dh, h, x, rows, in, out, gemmTanh)
}

// runGradWeights runs plan p; act is gemmTanh for a tanh layer (dz formed
// from dh and h), else 0 (dh and h unused).
func runGradWeights(p gradWeightsPlan, dw, db, dz, dh, h, x []float32, rows, in, out, act int) {
	switch p {
	case gwGeneric:
		if act != 0 {
			kernels.LinearTanhGradWeights(dw, db, dz, dh, h, x, rows, in, out)
		} else {
			kernels.LinearGradWeights(dw, db, dz, x, rows, in, out)
		}
	case gwEmpty:
	case gwOne:
		grad1(dw, db, dz, dh, h, x, rows, out, act)
	case gw20:
		gradWeights20(dw, db, dz, dh, h, x, rows, out, act)
	case gwColumn, gwTransposed, gwDirect:
		gradWeightsAVX2(p, dw, db, dz, dh, h, x, rows, in, out, act)
	case gwGemm512, gwGemm512T:
		gradWeightsAVX512(p, dw, db, dz, dh, h, x, rows, in, out, act)
	case gwOne512:
		grad1RunAVX512(dw, db, dz, dh, h, x, rows, out, act)
	case gw20x512:
		gradWeights20AVX512(dw, db, dz, dh, h, x, rows, out, act)
	}
}

// gradWeightsAVX2 runs the plans gwColumn, gwTransposed and gwDirect. It
// walks the rows kDepth at a time: it forms dz for the block (tanh layers)
// and adds it into db while the block is in cache, then adds the block's
// dzᵀ·x into dw, 16 columns of dw at a time (gwDirect), or xᵀ·dz into
// dwᵀ, 16 outputs at a time: dw itself for one input (gwColumn), else
// scratch that is added, transposed, to dw at the end (gwTransposed).
func gradWeightsAVX2(p gradWeightsPlan, dw, db, dz, dh, h, x []float32, rows, in, out, act int) {
	var panel [kBlock * 16]float32
	var t []float32 // dwᵀ, in×out
	switch p {
	case gwColumn:
		t = dw
	case gwTransposed:
		t = panel[:in*out]
		clear(t)
	}
	for r0 := 0; r0 < rows; r0 += kDepth {
		rc := min(kDepth, rows-r0)
		flags := act
		if len(db) > 0 {
			flags |= gemmBias
		}
		zb := dz[r0*out : (r0+rc)*out]
		if flags != 0 {
			if act != 0 {
				gradBiasAVX2(db, zb, dh[r0*out:(r0+rc)*out], h[r0*out:(r0+rc)*out], rc, out, flags)
			} else {
				gradBiasAVX2(db, zb, nil, nil, rc, out, flags)
			}
		}
		if in == 0 {
			continue
		}
		if t != nil {
			for o0 := 0; o0 < out; o0 += 16 {
				gemmAVX2(t[o0:], out, x[r0*in:], 1, in, zb[o0:], out, nil, in, rc, min(16, out-o0), gemmAcc)
			}
			continue
		}
		for j0 := 0; j0 < in; j0 += 16 {
			n := min(16, in-j0)
			if out < packRows {
				gemmAVX2(dw[j0:], in, zb, 1, out, x[r0*in+j0:], in, nil, out, rc, n, gemmAcc)
				continue
			}
			copyPanelAVX2(panel[:], x[r0*in+j0:], in, rc, n)
			gemmAVX2(dw[j0:], in, zb, 1, out, panel[:], 16, nil, out, rc, n, gemmAcc|gemmPadB)
		}
	}
	if p == gwTransposed {
		for j := 0; j < in; j++ {
			tj := t[j*out : (j+1)*out]
			for o, v := range tj {
				dw[o*in+j] += v
			}
		}
	}
}

// grad1 runs the plan gwOne (one input, grad1Out(out)): one pass over dz
// (forming it for a tanh layer) sums db and dw together, lane by lane in
// registers, over periods of one row (or two rows, when out is 4 times an
// odd number) that are whole vectors. The lane
// sums are then added up per column; a last row outside the periods is done
// here.
func grad1(dw, db, dz, dh, h, x []float32, rows, out, act int) {
	rowsPer := 1
	if out%8 != 0 {
		rowsPer = 2
	}
	vecs := rowsPer * out / 8
	periods := rows / rowsPer
	var acc [80]float32
	if act != 0 {
		grad1AVX2(acc[:], dz, dh, h, x, periods, vecs, rowsPer, act)
	} else {
		grad1AVX2(acc[:], dz, nil, nil, x, periods, vecs, rowsPer, act)
	}
	sb, sw := acc[:out], acc[40:40+out]
	if rowsPer == 2 {
		for o := range sb {
			sb[o] += acc[out+o]
			sw[o] += acc[40+out+o]
		}
	}
	if r := periods * rowsPer; r < rows {
		// The row left over when rows is odd in two-row periods.
		xr := x[r]
		for o := range out {
			i := r*out + o
			if act != 0 {
				dz[i] = dh[i] * (1 - h[i]*h[i])
			}
			sb[o] += dz[i]
			sw[o] += dz[i] * xr
		}
	}
	for o, v := range sw {
		dw[o] += v
	}
	if len(db) > 0 {
		for o, v := range sb {
			db[o] += v
		}
	}
}

// rows20 is the row block of the 20-wide weight gradient: the block's
// rows of x (10 KiB) and of dz stay in L1 while the GEMM sweeps them once
// for every 4 rows of dw (from L2 the sweeps would be bandwidth-bound).
const rows20 = 128

// gradWeights20 runs the plan gw20 (20 inputs): after each block's dz
// and db, dw += dzᵀ·x straight into dw with the 20-wide GEMM.
func gradWeights20(dw, db, dz, dh, h, x []float32, rows, out, act int) {
	const in = 20
	flags := act
	if len(db) > 0 {
		flags |= gemmBias
	}
	for r0 := 0; r0 < rows; r0 += rows20 {
		rc := min(rows20, rows-r0)
		zb := dz[r0*out : (r0+rc)*out]
		if act != 0 {
			gradBiasAVX2(db, zb, dh[r0*out:(r0+rc)*out], h[r0*out:(r0+rc)*out], rc, out, flags)
		}
		gemm20AVX2(dw, in, zb, 1, out, x[r0*in:(r0+rc)*in], in, out, rc, gemmAcc)
		if act == 0 && flags != 0 {
			// After the GEMM, which brought the block into L1 while
			// its FMAs ran.
			gradBiasAVX2(db, zb, nil, nil, rc, out, flags)
		}
	}
}

// The input-gradient kernel (LinearGradInput) runs a shape by one of these
// plans; planGradInput chooses, runGradInput runs.
type gradInputPlan uint8

const (
	// giGeneric: no assembly path; kernels.LinearGradInput.
	giGeneric gradInputPlan = iota
	// giEmpty: rows or in is 0, nothing to write.
	giEmpty
	// giZero: out is 0, dx = 0.
	giZero
	// giRowDot: one input; a dot product per row (rowDotAVX2), where a
	// 16-wide panel would waste 15 lanes.
	giRowDot
	// gi20: 20 inputs; gemm20AVX2, two whole vectors and a half per row.
	gi20
	// giPanels: everything else; gradInputPanelsAVX2, the 6×16 GEMM per
	// 16 columns of dx with B = w.
	giPanels
	// giGemm512: everything else on the avx512 path; gemmAVX512 with B = w.
	giGemm512
	// giRowDot512: one input on the avx512 path; linearDotAVX512 with w
	// as its one row of x and the rows of dz as the rows of its weights,
	// so that sixteen rows' dot products are folded into one vector.
	giRowDot512
	// giBlocked: tall, with at least wideMinIn outputs; gemmBlockedAVX2
	// with B = w.
	giBlocked
)

func (p gradInputPlan) String() string {
	return [...]string{"generic", "empty", "zero", "rowdot", "20", "panels", "gemm512", "rowdot512", "blocked"}[p]
}

// planGradInput chooses the input-gradient plan for a rows×in→out layer
// on the path the dispatch bools select.
func planGradInput(rows, in, out int) gradInputPlan {
	switch {
	case !cpufeat.HasAVX2FMA:
		return giGeneric
	case rows == 0 || in == 0:
		return giEmpty
	case out == 0:
		return giZero
	case in == 1 && cpufeat.HasAVX512:
		return giRowDot512
	case in == 1:
		return giRowDot
	case cpufeat.HasAVX512:
		return giGemm512
	case in == 20:
		return gi20
	case out >= wideMinIn && rows >= 2*mRows:
		return giBlocked
	}
	return giPanels
}

func linearGradInput(dx, dz, w []float32, rows, in, out int) {
	runGradInput(planGradInput(rows, in, out), dx, dz, w, rows, in, out)
}

// runGradInput runs plan p for dx = dz·w.
func runGradInput(p gradInputPlan, dx, dz, w []float32, rows, in, out int) {
	switch p {
	case giGeneric:
		kernels.LinearGradInput(dx, dz, w, rows, in, out)
	case giEmpty:
	case giZero:
		clear(dx)
	case giRowDot:
		rowDotAVX2(dx, dz, w, rows, out)
	case gi20:
		gemm20AVX2(dx, in, dz, out, 1, w, in, rows, out, 0)
	case giPanels:
		gradInputPanelsAVX2(dx, dz, w, rows, in, out)
	case giGemm512:
		gemmRunAVX512(dx, in, dz, out, 1, w, in, false, nil, rows, out, in, 0)
	case giRowDot512:
		linearDotAVX512(dx, w, dz, nil, 1, out, rows, 0)
	case giBlocked:
		gemmBlockedAVX2(dx, dz, w, nil, rows, out, in, 0, false)
	}
}

// gradInputPanelsAVX2 runs dx = dz·w as the GEMM with B = w, 16 columns of
// dx at a time, w's panel copied into contiguous scratch once there are
// packRows rows or more.
func gradInputPanelsAVX2(dx, dz, w []float32, rows, in, out int) {
	var panel [kBlock * 16]float32
	for k0 := 0; ; k0 += kDepth {
		kc := min(kDepth, out-k0)
		flags := gemmSpill
		if k0 > 0 {
			flags = gemmAcc
		}
		for p := 0; p < in; p += 16 {
			j0 := panelOrder(p, in)
			n := min(16, in-j0)
			if rows < packRows {
				gemmAVX2(dx[j0:], in, dz[k0:], out, 1, w[k0*in+j0:], in, nil, rows, kc, n, flags)
				continue
			}
			copyPanelAVX2(panel[:], w[k0*in+j0:], in, kc, n)
			gemmAVX2(dx[j0:], in, dz[k0:], out, 1, panel[:], 16, nil, rows, kc, n, flags|gemmPadB)
		}
		if k0+kc >= out {
			return
		}
	}
}

func linearTanhCols(dst, x, w, b []float32, n, in, out, ld int) {
	switch {
	case cpufeat.HasAVX512 && in > 0:
		linearTanhColsAVX512(dst, x, w, b, n, in, out, ld)
	case cpufeat.HasAVX2FMA && in > 0:
		linearTanhColsAVX2(dst, x, w, b, n, in, out, ld)
	default:
		linearTanhColsGo(dst, x, w, b, n, in, out, ld)
	}
}

// linearTanhColsAVX2 is LinearTanhCols for n, in, out ≥ 1
// (linear_cols_amd64.s).
//
//go:noescape
func linearTanhColsAVX2(dst, x, w, b []float32, n, in, out, ld int)
