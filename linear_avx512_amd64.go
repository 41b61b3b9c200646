//go:build !purego

package mdnsimd

import (
	"math"
	"unsafe"
)

// The AVX-512 kernels of the linear family and the Go code that blocks and
// runs them; the plans in linear_amd64.go choose them on the avx512 path.

// gemmAVX512 is gemmAVX2 for panels of up to 32 columns, on AVX-512: the same
// loop with 1 ≤ n ≤ 32 and the flags gemmBias, gemmAcc and gemmTanh; the
// columns past n are never loaded or stored (masked), and the tanh is
// Tanh's on the avx512 path.
//
// With gemmPackB, m ≥ 14 and n > 16, the first tile of rows also copies
// B into p as copyPanelAVX512 would, row stride 32, the columns past n
// zero (len(p) ≥ 32·k), and the later tiles read p instead of b: the copy
// runs beside the first tile's FMAs instead of before them. The results
// are the same bits either way. Otherwise p is unused (nil).
//
//go:noescape
func gemmAVX512(c []float32, ldc int, a []float32, rsa, csa int, b []float32, ldb int, bias []float32, m, k, n, flags int, p []float32)

// gradBiasAVX512 is gradBiasAVX2 on AVX-512: the same loop, dz formed the
// same way (1 − h² one FMA), the column sums in another order.
//
//go:noescape
func gradBiasAVX512(db, dz, dh, h []float32, rows, out, flags int)

// gemm20AVX512 is gemmAVX512 for panels of 17 to 20 columns (16 < n ≤ 20) and
// m a multiple of 4, with B a packed panel whose rows hold 20 readable
// floats: the same loop, the same flags, the same tanh.
//
//go:noescape
func gemm20AVX512(c []float32, ldc int, a []float32, rsa, csa int, b []float32, ldb int, bias []float32, m, k, n, flags int)

// packAVX512 transposes w's columns into rows of p, whose row stride is ldp
// (n ≤ ldp):
//
//	for k := 0; k < kc; k++ {
//		for j := 0; j < n; j++ {
//			p[k*ldp+j] = w[j*ld+k]
//		}
//	}
//
//go:noescape
func packAVX512(p, w []float32, ld, kc, n, ldp int)

// copyPanelAVX512 copies a kc×n block of b (row stride ldb, n ≤ 32) into p with
// row stride 32:
//
//	for k := 0; k < kc; k++ {
//		for j := 0; j < n; j++ {
//			p[k*32+j] = b[k*ldb+j]
//		}
//	}
//
//go:noescape
func copyPanelAVX512(p, b []float32, ldb, kc, n int)

// linearDotAVX512 computes dst = act(x·wᵀ + b) a row at a time with w as
// stored: for each block of up to 16 outputs, sixteen lane-wise sums of
// w's rows times x, 16 inputs a step (the last step masked), folded into
// one vector of the block's outputs; then the bias (flags&gemmBias), the
// tanh (flags&gemmTanh, Tanh's on the avx512 path) and a masked store. No
// packing, no scratch:
//
//	for r := 0; r < rows; r++ {
//		for o := 0; o < out; o++ {
//			var lane [16]float32
//			for j := 0; j < in; j++ {
//				lane[j%16] += x[r*in+j] * w[o*in+j] // one FMA each
//			}
//			s := fold(lane) // pairs of lanes added within 128-bit blocks twice, then across blocks
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
func linearDotAVX512(dst, x, w, b []float32, rows, in, out, flags int)

// linear1AVX512 computes a layer with one input, swept flat over dst: rows
// of out values in periods of rowsPer rows (rowsPer·out = 16·vecs values,
// rowsPer ≤ 16), whose vecs vectors of 16 follow the pattern of tab
// (linear1TableAVX512); rem rows (< rowsPer) follow the whole periods:
//
//	for i := 0; i < (periods*rowsPer+rem)*vecs*16/rowsPer; i++ {
//		e := tab[i%(vecs*16)/16*48:]
//		l := i % 16
//		row := int(math.Float32bits(e[l]))
//		s := x[i/(vecs*16)*rowsPer+row]*e[16+l] + e[32+l] // one rounding
//		if flags&gemmTanh != 0 {
//			s = tanh(s)
//		}
//		dst[i] = s
//	}
//
// The tanh is Tanh's on the avx512 path.
//
//go:noescape
func linear1AVX512(dst, x, tab []float32, periods, rem, rowsPer, vecs, flags int)

// grad1AVX512 sums, for a layer with one input, the bias and weight
// gradients lane by lane, swept flat over dz as linear1AVX512 sweeps dst
// (periods of rowsPer rows, vecs vectors of 16; rem rows after them; the
// lanes' rows in tab, see grad1TableAVX512), forming dz with gemmTanh. acc
// (2·vecs·16 floats) is set to the sums, bias sums of vector t at 16t,
// weight sums at 16(vecs+t):
//
//	clear(acc)
//	for i := 0; i < (periods*rowsPer+rem)*vecs*16/rowsPer; i++ {
//		f := i % (vecs * 16)
//		if flags&gemmTanh != 0 {
//			dz[i] = dh[i] * (1 - h[i]*h[i]) // 1 − h² one FMA
//		}
//		acc[f] += dz[i]
//		acc[vecs*16+f] += dz[i] * x[i/(vecs*16)*rowsPer+int(math.Float32bits(tab[f]))]
//	}
//
//go:noescape
func grad1AVX512(acc, dz, dh, h, x, tab []float32, periods, rem, rowsPer, vecs, flags int)

// grad1PeriodsAVX512 is grad1AVX512 for whole periods only (rem = 0) and vecs ≤ 5,
// with acc's sums from those periods and the lane rows of the table worked
// out from out (vecs·16 = rowsPer·out, out ≤ oneMaxOut):
//
//	grad1AVX512(acc, dz, dh, h, x, tab, periods, 0, rowsPer, vecs, flags)
//
//go:noescape
func grad1PeriodsAVX512(acc, dz, dh, h, x []float32, periods, rowsPer, vecs, out, flags int)

// linear1RunAVX512 runs the plan linOne512: a period is 16/g rows of out
// values, g = gcd(out, 16), that is out/g vectors.
func linear1RunAVX512(dst, x, w, b []float32, rows, out, act int) {
	rowsPer := onePeriod512(out)
	vecs := rowsPer * out / 16
	// Go zeroes a stack array where it is declared, so the table's array
	// is only as large as the layer needs (the seed's: 5 vectors).
	if vecs <= 8 {
		var tab [8 * 48]float32
		linear1TableAVX512(tab[:vecs*48], w, b, out)
		linear1AVX512(dst, x, tab[:vecs*48], rows/rowsPer, rows%rowsPer, rowsPer, vecs, act)
	} else {
		var tab [oneMaxOut * 48]float32
		linear1TableAVX512(tab[:vecs*48], w, b, out)
		linear1AVX512(dst, x, tab[:vecs*48], rows/rowsPer, rows%rowsPer, rowsPer, vecs, act)
	}
}

// linear1TableAVX512 fills linear1AVX512's table: for the t-th vector of a
// period (flat offsets 16t..16t+15), each lane's row within the period (as
// an int32), weight and bias.
func linear1TableAVX512(tab, w, b []float32, out int) {
	row, col := 0, 0
	for t := 0; t < len(tab)/48; t++ {
		e := tab[t*48 : t*48+48]
		for l := 0; l < 16; l++ {
			e[l] = math.Float32frombits(uint32(row))
			e[16+l] = w[col]
			e[32+l] = 0
			if len(b) > 0 {
				e[32+l] = b[col]
			}
			if col++; col == out {
				row, col = row+1, 0
			}
		}
	}
}

// Blocking of gemmBlocksAVX512: k blocks of kBlock512; rows in blocks of
// rowBlock512, for each of which the panels of colBlock512 columns are
// packed at once (fewer rows take one block, and one panel is packed at a
// time); B is copied into contiguous panels as copyBAVX512 says.
var (
	kBlock512   = 256
	colBlock512 = 128
	rowBlock512 = 512
)

const packRows512 = 16

// maxColBlock512 bounds colBlock512.
const maxColBlock512 = 256

// copyBAVX512 reports whether gemmBlocksAVX512 copies a B that needs no
// transpose into contiguous panels: when there are packRows512 rows of C
// or more to serve, and B's rows are further apart than a panel's (a
// strided panel, row stride a multiple of 1 KiB say, can thrash L1).
func copyBAVX512(m, ldb int) bool { return m >= packRows512 && ldb > 32 }

// maxScratch512 bounds gemmBlocksAVX512's scratch: 128 KiB, the most Go
// keeps on the stack (a larger array would be allocated on the heap at
// every call).
const maxScratch512 = 128 << 10 / 4

// linearAVX512 runs the plan linGemm512: dst = act(x·wᵀ + b). With one
// input, wᵀ is w as stored (one row of out values), used without packing.
func linearAVX512(dst, x, w, b []float32, rows, in, out, act int) {
	flags := act
	if len(b) > 0 {
		flags |= gemmBias
	}
	if in == 1 {
		if rows <= rowBlock512 && !copyBAVX512(rows, out) {
			// gemmBlocksAVX512's calls for one k block of a B used in
			// place, made directly: on a few rows its blocking costs
			// as much as the work.
			for j := 0; j < out; j += 32 {
				gemmPanelAVX512(dst[j:], out, x, 1, 1, w[j:], out, out == 32, biasFrom(b, j, flags), rows, 1, min(32, out-j), flags)
			}
			return
		}
		gemmRunAVX512(dst, out, x, 1, 1, w, out, false, b, rows, 1, out, flags)
		return
	}
	gemmRunAVX512(dst, out, x, in, 1, w, in, true, b, rows, in, out, flags)
}

// onePeriod512 is the period of linear1AVX512's flat sweep of out values a
// row: 16/gcd(out, 16) rows, a whole number of vectors.
func onePeriod512(out int) int { return 16 / min(out&-out, 16) }

// oneMinRows512 is the fewest rows for which a one-input layer of out
// outputs takes the flat sweep: 16 rows per vector of the sweep's table
// (period·out/16 vectors of 48 floats, built at every call), so
// period·out: below it the table does not repay its cost. Where the sweep
// overtakes the GEMM beyond it depends on the width and the CPU;
// BenchmarkLinearPlanThresholds runs both (the README has the figures).
func oneMinRows512(out int) int { return onePeriod512(out) * out }

// gemmRunAVX512 runs gemmBlocksAVX512 with scratch sized to what its
// blocking needs, in powers of two of panel rows: Go zeroes a stack array
// where it is declared (REP STOSQ), and zeroing the 32 KiB of the next size
// up made Linear 64³ and its two gradient kernels 6–8% slower (AMD EPYC
// Zen 5). Each size is a function of its own, so that a call grows the
// goroutine's stack by the array it uses, not by all five.
func gemmRunAVX512(c []float32, ldc int, a []float32, rsa, csa int, b []float32, ldb int, transB bool, bias []float32, m, k, n, flags int) {
	need := 0
	if transB || copyBAVX512(m, ldb) {
		need = min(k, kBlock512) * 32
		if m > rowBlock512 {
			need = min(k, kBlock512) * ((min(n, colBlock512) + 31) &^ 31)
		}
	}
	// The arrays have 16 floats more, for cacheAligned, but the largest, which
	// takes a narrower column block instead (see blocks512).
	switch {
	case need == 0:
		gemmBlocksAVX512(c, ldc, a, rsa, csa, b, ldb, transB, bias, m, k, n, flags, nil)
	case need <= 32*32:
		gemmScratch32(c, ldc, a, rsa, csa, b, ldb, transB, bias, m, k, n, flags)
	case need <= 64*32:
		gemmScratch64(c, ldc, a, rsa, csa, b, ldb, transB, bias, m, k, n, flags)
	case need <= 128*32:
		gemmScratch128(c, ldc, a, rsa, csa, b, ldb, transB, bias, m, k, n, flags)
	case need <= 256*32:
		gemmScratch256(c, ldc, a, rsa, csa, b, ldb, transB, bias, m, k, n, flags)
	default:
		gemmScratchMax(c, ldc, a, rsa, csa, b, ldb, transB, bias, m, k, n, flags)
	}
}

// gemmScratchN runs gemmBlocksAVX512 with a scratch of N panel rows (and
// the 16 floats cacheAligned may skip); gemmScratchMax with maxScratch512.

//go:noinline
func gemmScratch32(c []float32, ldc int, a []float32, rsa, csa int, b []float32, ldb int, transB bool, bias []float32, m, k, n, flags int) {
	var s [32*32 + 16]float32
	gemmBlocksAVX512(c, ldc, a, rsa, csa, b, ldb, transB, bias, m, k, n, flags, cacheAligned(s[:]))
}

//go:noinline
func gemmScratch64(c []float32, ldc int, a []float32, rsa, csa int, b []float32, ldb int, transB bool, bias []float32, m, k, n, flags int) {
	var s [64*32 + 16]float32
	gemmBlocksAVX512(c, ldc, a, rsa, csa, b, ldb, transB, bias, m, k, n, flags, cacheAligned(s[:]))
}

//go:noinline
func gemmScratch128(c []float32, ldc int, a []float32, rsa, csa int, b []float32, ldb int, transB bool, bias []float32, m, k, n, flags int) {
	var s [128*32 + 16]float32
	gemmBlocksAVX512(c, ldc, a, rsa, csa, b, ldb, transB, bias, m, k, n, flags, cacheAligned(s[:]))
}

//go:noinline
func gemmScratch256(c []float32, ldc int, a []float32, rsa, csa int, b []float32, ldb int, transB bool, bias []float32, m, k, n, flags int) {
	var s [256*32 + 16]float32
	gemmBlocksAVX512(c, ldc, a, rsa, csa, b, ldb, transB, bias, m, k, n, flags, cacheAligned(s[:]))
}

//go:noinline
func gemmScratchMax(c []float32, ldc int, a []float32, rsa, csa int, b []float32, ldb int, transB bool, bias []float32, m, k, n, flags int) {
	var s [maxScratch512]float32
	gemmBlocksAVX512(c, ldc, a, rsa, csa, b, ldb, transB, bias, m, k, n, flags, cacheAligned(s[:]))
}

// cacheAligned returns s from its first element on a 64-byte boundary (up to
// 15 elements in): a packed panel's rows (32 floats) are then whole cache
// lines, and gemmAVX512's loads of them never straddle two.
func cacheAligned(s []float32) []float32 {
	off := int(uintptr(unsafe.Pointer(unsafe.SliceData(s)))&63) / 4
	return s[(16-off)&15:]
}

// gemmBlocksAVX512 computes c = act(A·B + bias (+ c)) for an m×n c (row
// stride ldc), A(i, p) = a[i*rsa+p*csa] (m×k), and B = bᵀ (b n×k, row
// stride ldb) when transB, else b (k×n, row stride ldb). The flags are
// gemmAVX512's: the bias enters with the first block of k, the tanh with the
// last, and gemmAcc adds c's old values. It packs the panels of B (32
// columns, kBlock512 rows) for a block of k and of columns into scratch,
// then runs gemmAVX512 over each row block for every panel, so that a row
// block of A is read from memory once and served from L2 to every panel,
// and each panel from L1 to every tile of rows. B that needs no transpose
// is used in place unless copyBAVX512.
func gemmBlocksAVX512(c []float32, ldc int, a []float32, rsa, csa int, b []float32, ldb int, transB bool, bias []float32, m, k, n, flags int, scratch []float32) {
	if m == 0 || n == 0 {
		return
	}
	// panel returns the B panel of columns j..j+nn−1 for k0..k0+kc−1 and
	// its row stride, packed into p when that is needed.
	panel := func(p []float32, k0, kc, j, nn int) ([]float32, int) {
		switch {
		case kc == 0:
			return nil, 0
		case transB:
			packAVX512(p, b[j*ldb+k0:], ldb, kc, nn, 32)
			return p, 32
		case copyBAVX512(m, ldb):
			copyPanelAVX512(p, b[k0*ldb+j:], ldb, kc, nn)
			return p, 32
		}
		return b[k0*ldb+j:], ldb
	}
	kb, cb := blocks512(m, k, n, len(scratch), scratch != nil)
	for k0 := 0; ; k0 += kb {
		kc := min(kb, k-k0)
		f := flags & gemmAcc
		switch {
		case k0 == 0:
			f |= flags & gemmBias
		default:
			f |= gemmAcc
		}
		if k0+kc >= k {
			f |= flags & gemmTanh
		}
		ak := a[k0*csa:]
		if m <= rowBlock512 {
			for j := 0; j < n; j += 32 {
				nn := min(32, n-j)
				if packFirst512(transB, m, ldb, kc, nn) {
					_ = scratch[32*kc-1] // gemmAVX512 writes 32·kc floats
					gemmAVX512(c[j:], ldc, ak, rsa, csa, b[k0*ldb+j:], ldb, biasFrom(bias, j, f), m, kc, nn, f|gemmPackB, scratch)
					continue
				}
				bp, lp := panel(scratch, k0, kc, j, nn)
				gemmPanelAVX512(c[j:], ldc, ak, rsa, csa, bp, lp, lp == 32, biasFrom(bias, j, f), m, kc, nn, f)
			}
		} else {
			for c0 := 0; c0 < n; c0 += cb {
				cc := min(cb, n-c0)
				var bps [maxColBlock512 / 32][]float32
				var lps [maxColBlock512 / 32]int
				for j := 0; j < cc; j += 32 {
					bps[j/32], lps[j/32] = panel(scratch[j*kc:], k0, kc, c0+j, min(32, cc-j))
				}
				for r0 := 0; r0 < m; r0 += rowBlock512 {
					mc := min(rowBlock512, m-r0)
					for j := 0; j < cc; j += 32 {
						gemmPanelAVX512(c[r0*ldc+c0+j:], ldc, ak[r0*rsa:], rsa, csa, bps[j/32], lps[j/32], lps[j/32] == 32, biasFrom(bias, c0+j, f), mc, kc, min(32, cc-j), f)
					}
				}
			}
		}
		if k0+kc >= k {
			return
		}
	}
}

// blocks512 returns gemmBlocksAVX512's k block and column block for an
// m×k by k×n product whose panels go to a scratch of room floats (packed
// is false where B is used in place). Over more than rowBlock512 rows every
// panel of a column block is packed at once, kb rows each: where
// kBlock512×colBlock512 do not fit, the column block narrows first, a
// panel (32 columns) at a time, and the k block only below one panel. The
// largest scratch is up to 15 floats short of 256×128 once aligned: shortening
// the k block to 255 instead would leave, for k = 256, a second pass over
// all of c for one row of B (Linear and LinearTanh 10000×256→256 took
// 7% longer so, AMD EPYC Zen 5).
func blocks512(m, k, n, room int, packed bool) (kb, cb int) {
	kb, cb = kBlock512, colBlock512
	if !packed || m <= rowBlock512 {
		return kb, cb
	}
	w := (min(n, cb) + 31) &^ 31
	for w > 32 && min(k, kb)*w > room {
		w -= 32
	}
	return max(1, min(kb, room/w)), w
}

// packFirst512 reports whether gemmBlocksAVX512 has gemmAVX512 copy a
// panel of nn columns and kc rows of a B that needs no transpose while
// its first tile of 14 rows reads it (gemmPackB), instead of copying it
// first: where copyBAVX512 copies, with two vectors a row but not a
// gemm20AVX512 width.
func packFirst512(transB bool, m, ldb, kc, nn int) bool {
	return !transB && copyBAVX512(m, ldb) && m >= 14 && kc > 0 && nn > 20
}

// gemmPanelAVX512 runs gemmAVX512 for one panel, or gemm20AVX512 for the rows in
// groups of four of a panel of 17 to 20 columns when B's rows hold 20
// readable floats (a packed panel, or 20 columns).
func gemmPanelAVX512(c []float32, ldc int, a []float32, rsa, csa int, b []float32, ldb int, packed bool, bias []float32, m, k, n, flags int) {
	if n > 16 && n <= 20 && m >= 4 && (packed || n == 20) {
		m4 := m &^ 3
		gemm20AVX512(c, ldc, a, rsa, csa, b, ldb, bias, m4, k, n, flags)
		if m4 == m {
			return
		}
		c, a, m = c[m4*ldc:], a[m4*rsa:], m-m4
	}
	gemmAVX512(c, ldc, a, rsa, csa, b, ldb, bias, m, k, n, flags, nil)
}

// biasFrom returns bias[j:] when the flags add the bias, else nil.
func biasFrom(bias []float32, j, flags int) []float32 {
	if flags&gemmBias == 0 {
		return nil
	}
	return bias[j:]
}

// gw20AVX512 adds the weight and bias gradients of a layer of 20 inputs
// and 1 ≤ out ≤ 16 outputs, summed over all its rows in one pass, into dw
// (out×20, row-major) and db (out; not touched when len(db) == 0):
//
//	var t [20][16]float32 // the sums, in registers
//	var sb [16]float32
//	for r := 0; r < rows; r++ {
//		for o := 0; o < out; o++ {
//			if flags&gemmTanh != 0 {
//				dz[r*out+o] = dh[r*out+o] * (1 - h[r*out+o]*h[r*out+o]) // 1 − h² one FMA
//			}
//			for i := 0; i < 20; i++ {
//				t[i][o] += x[r*20+i] * dz[r*out+o] // one FMA each
//			}
//			sb[o] += dz[r*out+o]
//		}
//	}
//	for o := 0; o < out; o++ {
//		for i := 0; i < 20; i++ {
//			dw[o*20+i] += t[i][o]
//		}
//		db[o] += sb[o]
//	}
//
// dh and h are read only with gemmTanh. It needs len(dw) ≥ 20·out and
// len(db) ≥ out or 0 (gradWeights20AVX512 checks): the sums are added into
// dw a row at a time (64 bytes, then 16) and into db with the out lanes'
// mask.
//
//go:noescape
func gw20AVX512(dw, db, dz, dh, h, x []float32, rows, out, flags int)

// gradWeights20AVX512 runs the plan gw20x512.
func gradWeights20AVX512(dw, db, dz, dh, h, x []float32, rows, out, act int) {
	_ = dw[20*out-1]
	if len(db) > 0 {
		_ = db[out-1]
	}
	gw20AVX512(dw, db, dz, dh, h, x, rows, out, act)
}

// grad1RunAVX512 runs the plan gwOne512: grad1AVX512's lane sums, added up
// per column (lane f of a period holds column f%out) into dw and db.
func grad1RunAVX512(dw, db, dz, dh, h, x []float32, rows, out, act int) {
	rowsPer := onePeriod512(out)
	vecs := rowsPer * out / 16
	if act == 0 {
		dh, h = nil, nil
	}
	// Go zeroes a stack array where it is declared: arrays sized to the
	// layer (the seed's: 5 vectors).
	if vecs <= 5 {
		// A period at a time (grad1PeriodsAVX512, which works out the lane
		// rows itself), the rows left by grad1AVX512 with the table.
		var acc [2 * 5 * 16]float32
		periods := rows / rowsPer
		if periods > 0 {
			grad1PeriodsAVX512(acc[:2*vecs*16], dz, dh, h, x, periods, rowsPer, vecs, out, act)
			grad1AddAVX512(dw, db, acc[:2*vecs*16], out)
		}
		if r := periods * rowsPer; r < rows {
			var tab [5 * 16]float32
			grad1TableAVX512(tab[:vecs*16], out)
			n := r * out
			if act != 0 {
				dh, h = dh[n:], h[n:]
			}
			grad1AVX512(acc[:2*vecs*16], dz[n:], dh, h, x[r:], tab[:vecs*16], 0, rows-r, rowsPer, vecs, act)
			grad1AddAVX512(dw, db, acc[:2*vecs*16], out)
		}
		return
	}
	if vecs <= 8 {
		var tab [8 * 16]float32
		var acc [2 * 8 * 16]float32
		grad1TableAVX512(tab[:vecs*16], out)
		grad1AVX512(acc[:2*vecs*16], dz, dh, h, x, tab[:vecs*16], rows/rowsPer, rows%rowsPer, rowsPer, vecs, act)
		grad1AddAVX512(dw, db, acc[:2*vecs*16], out)
	} else {
		var tab [oneMaxOut * 16]float32
		var acc [2 * oneMaxOut * 16]float32
		grad1TableAVX512(tab[:vecs*16], out)
		grad1AVX512(acc[:2*vecs*16], dz, dh, h, x, tab[:vecs*16], rows/rowsPer, rows%rowsPer, rowsPer, vecs, act)
		grad1AddAVX512(dw, db, acc[:2*vecs*16], out)
	}
}

// grad1TableAVX512 fills grad1AVX512's table: the row within the period (as
// an int32) of each lane of the period's vectors. A period's len(tab) lanes
// are whole rows of out lanes (the callers' tables: vecs·16 = rowsPer·out).
func grad1TableAVX512(tab []float32, out int) {
	for r := 0; len(tab) > 0; r++ {
		v := math.Float32frombits(uint32(r))
		row := tab[:min(out, len(tab))]
		for i := range row {
			row[i] = v
		}
		tab = tab[len(row):]
	}
}

// grad1FoldAVX512 adds grad1AVX512's lane sums into dw and db (when
// len(db) > 0), column by column. acc's halves (bias sums, then weight sums)
// are rowsPer whole rows of out columns each (len(acc) = 2·rowsPer·out):
//
//	n := len(acc) / 2
//	for o := 0; o < out; o++ {
//		var sb, sw float32
//		for r := 0; r < rowsPer; r++ {
//			sb += acc[r*out+o]
//			sw += acc[n+r*out+o]
//		}
//		dw[o] += sw
//		if len(db) > 0 {
//			db[o] += sb
//		}
//	}
//
// It reads and writes dw and db 16 columns at a time with the columns' mask
// (len(dw) and len(db) at least out; grad1AddAVX512 checks).
//
//go:noescape
func grad1FoldAVX512(dw, db, acc []float32, out, rowsPer int)

// grad1AddAVX512 adds grad1AVX512's lane sums (bias sums, then weight sums)
// into db (when given) and dw, column by column: the lanes of each half of
// acc are whole rows of out columns.
func grad1AddAVX512(dw, db, acc []float32, out int) {
	_ = dw[out-1]
	if len(db) > 0 {
		_ = db[out-1]
	}
	if len(acc) == 0 || len(acc)%(2*out) != 0 {
		panic("mdnsimd: grad1AddAVX512: lane sums not whole rows")
	}
	grad1FoldAVX512(dw, db, acc, out, len(acc)/(2*out))
}

// gemmCostAVX512 estimates gemmAVX512's cycles per k step for an m×n result:
// its tiles of 14, 8, 4, 2 and 1 rows, each FMA-bound (two a cycle) but a
// cycle at least, on panels of 32 columns (two vectors a row) or 16 (one).
func gemmCostAVX512(m, n int) int {
	c := 0
	for ; n > 0; n -= 32 {
		v := 1
		if n > 16 {
			v = 2
		}
		c += m / 14 * 7 * v
		r := m % 14
		for _, t := range [...]int{8, 4, 2, 1} {
			if r >= t {
				c += max(1, t*v/2)
				r -= t
			}
		}
	}
	return c
}

// gradWeightsAVX512 runs the plans gwGemm512 and gwGemm512T: for each block
// of kBlock512 rows it forms the block's dz (tanh layers) and adds it
// into db (gradBiasAVX512), then adds the block's dzᵀ·x into dw, or xᵀ·dz
// into dwᵀ, by gemmAVX512 while the block is in cache.
func gradWeightsAVX512(p gradWeightsPlan, dw, db, dz, dh, h, x []float32, rows, in, out, act int) {
	var scratch [transMax]float32
	t := dw // dwᵀ for gwGemm512T, in×out
	if p == gwGemm512T && in > 1 {
		t = scratch[:in*out]
	}
	flags := act
	if len(db) > 0 {
		flags |= gemmBias
	}
	for r0 := 0; r0 < rows; r0 += kBlock512 {
		rc := min(kBlock512, rows-r0)
		zb := dz[r0*out : (r0+rc)*out]
		if flags != 0 {
			if act != 0 {
				gradBiasAVX512(db, zb, dh[r0*out:(r0+rc)*out], h[r0*out:(r0+rc)*out], rc, out, flags)
			} else {
				gradBiasAVX512(db, zb, nil, nil, rc, out, flags)
			}
		}
		if in == 0 {
			continue
		}
		xb := x[r0*in : (r0+rc)*in]
		if p == gwGemm512T {
			gemmRunAVX512(t, out, xb, 1, in, zb, out, false, nil, in, rc, out, gemmAcc)
		} else {
			gemmRunAVX512(dw, in, zb, 1, out, xb, in, false, nil, out, rc, in, gemmAcc)
		}
	}
	if p == gwGemm512T && in > 1 {
		for j := 0; j < in; j++ {
			tj := t[j*out : (j+1)*out]
			for o, v := range tj {
				dw[o*in+j] += v
			}
		}
	}
}

// linearTanhColsAVX512 is LinearTanhCols for n, in, out ≥ 1.
//
//go:noescape
func linearTanhColsAVX512(dst, x, w, b []float32, n, in, out, ld int)
