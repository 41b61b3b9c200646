//go:build !purego

package mdnsimd

import (
	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
	"github.com/mdnsimd/mdnsimd/kernels"
)

func softmax(dst, x []float32, rows, cols int) {
	if cpufeat.HasAVX512 {
		softmaxAVX512(dst, x, rows, cols, false)
		return
	}
	if cpufeat.HasAVX2FMA {
		softmaxAVX2(dst, x, rows, cols, false)
		return
	}
	kernels.Softmax(dst, x, rows, cols)
}

func logSoftmax(dst, x []float32, rows, cols int) {
	if cpufeat.HasAVX512 {
		softmaxAVX512(dst, x, rows, cols, true)
		return
	}
	if cpufeat.HasAVX2FMA {
		softmaxAVX2(dst, x, rows, cols, true)
		return
	}
	kernels.LogSoftmax(dst, x, rows, cols)
}

// softmaxAVX2 runs whole blocks of 8 rows of 2 to 8 columns through
// softmaxColsAVX2, every other row through softmaxRowsAVX2.
func softmaxAVX2(dst, x []float32, rows, cols int, log bool) {
	if cols >= 2 && cols <= 8 && rows >= 8 {
		full := rows &^ 7
		softmaxColsAVX2(dst, x, full/8, cols, log)
		dst, x, rows = dst[full*cols:], x[full*cols:], rows-full
	}
	softmaxRowsAVX2(dst, x, rows, cols, log)
}

// softmaxRowsAVX2 computes kernels.Softmax (log false) or kernels.LogSoftmax
// (log true) over rows × cols, len(dst) and len(x) ≥ rows·cols. Per row, with
// Σ summed in 8 interleaved partial sums:
//
//	m := max(x[r]) // NaN if any element is NaN
//	if m is NaN or ±Inf {
//		dst[r][j] = NaN for every j
//	} else if !log {
//		dst[r][j] = e_j · (1/Σ e), e_j = kernels.Exp32(x[r][j] − m)
//	} else {
//		dst[r][j] = (x[r][j] − m) − kernels.Log32(Σ e)
//	}
//
//go:noescape
func softmaxRowsAVX2(dst, x []float32, rows, cols int, log bool)

// softmaxColsAVX2 is softmaxRowsAVX2 over blocks·8 rows of 2 ≤ cols ≤ 8
// columns, with the same results: each block of 8 rows is transposed so
// that a register holds one column of all 8 rows, and the rows' maxima,
// exponentials and sums are lane-wise operations on columns. It runs
// chunks of colsChunk blocks (at most 8 KiB, in L1) in three passes, each
// a loop whose iterations overlap: the columns less their rows' maxima
// into dst, e^ of them (in place for Softmax, into e for LogSoftmax, which
// needs both), then the sums, e·(1/Σe) or (x − m) − log Σe, and the
// transpose back (see the assembly). As one pass a block is a chain of some
// 300 instructions (eight e^ among them) too long for the core to overlap
// the next block with it: Softmax 1000×5 took 10 µs that way, no faster
// than by rows.
func softmaxColsAVX2(dst, x []float32, blocks, cols int, log bool) {
	const colsChunk = 32
	if log {
		var e [colsChunk * 8 * 8]float32 // Go zeroes it here, so only here
		softmaxColsChunks(dst, x, e[:], blocks, cols, colsChunk, true)
	} else {
		softmaxColsChunks(dst, x, nil, blocks, cols, colsChunk, false)
	}
}

// softmaxColsChunks is softmaxColsAVX2's loop over chunks of chunk blocks;
// scratch (LogSoftmax only) holds a chunk's e^(x−m).
func softmaxColsChunks(dst, x, scratch []float32, blocks, cols, chunk int, log bool) {
	for b := 0; b < blocks; b += chunk {
		nb := min(chunk, blocks-b)
		off, n := b*8*cols, nb*8*cols
		d := dst[off : off+n]
		softmaxColsMaxAVX2(d, x[off:off+n], nb, cols)
		e := d
		if log {
			e = scratch[:n]
		}
		expAVX2(e, d)
		softmaxColsEndAVX2(d, e, nb, cols, log)
	}
}

// softmaxColsMaxAVX2 transposes blocks blocks of 8 rows of x (2 ≤ cols ≤
// 8) and stores, for each block, its columns less the rows' maxima into
// the block's 8·cols floats of dst: dst[b*8*cols+j*8+l] = x[8b+l][j] −
// m(8b+l) for j < cols, l < 8, m(r) the largest x[r][j] (with NaN: some
// x[r][j]).
//
//go:noescape
func softmaxColsMaxAVX2(dst, x []float32, blocks, cols int)

// softmaxColsEndAVX2 takes what softmaxColsMaxAVX2 leaves in dst and its
// e^ in e (dst itself for Softmax), sums each block's columns of e as
// softmaxRowsAVX2 sums a row of at most 8, and sets each row to e·(1/Σe)
// (log false) or (x − m) − log Σe (log true), transposed back into rows.
//
//go:noescape
func softmaxColsEndAVX2(dst, e []float32, blocks, cols int, log bool)

// softmaxAVX512 runs rows of up to 16 columns through softmaxGroupsAVX512,
// longer rows through softmaxRowsAVX512, and whole blocks of 16 rows by
// columns: Softmax over 5 to 16 columns, LogSoftmax over 5 to 8.
func softmaxAVX512(dst, x []float32, rows, cols int, log bool) {
	if cols == 0 || rows == 0 {
		return
	}
	if rows == 1 && (cols <= 8 || cols%8 == 0 && cols <= 64) {
		// One row is latency-bound: the AVX-512 kernels' reductions over
		// 16 lanes cost more than the AVX2 ones over 8 (AMD EPYC Zen 5:
		// 23 against 12 ns at 8 columns, 40 against 21 at 32, 41 against
		// 37 at 5). Where the AVX2 kernel ends in a partial vector, above
		// 8 columns, it is the slower one.
		softmaxRowsAVX2(dst, x, rows, cols, log)
		return
	}
	if cols > 16 {
		softmaxRowsAVX512(dst, x, rows, cols, log)
		return
	}
	if cols >= 5 && rows >= 16 && (!log || cols <= 8) {
		// Whole blocks of 16 rows by columns; the rest as below.
		full := rows &^ 15
		if cols <= 8 {
			softmaxPairsAVX512(dst, x, full/16, cols, log)
		} else {
			softmaxColsAVX512(dst, x, full/16, cols)
		}
		if rows == full {
			return
		}
		dst, x, rows = dst[full*cols:], x[full*cols:], rows-full
	}
	g := 16 // lanes per row: 16, 8 or 4, so R = 16/g rows a vector
	if cols <= 4 {
		g = 4
	} else if cols <= 8 {
		g = 8
	}
	r := 16 / g
	var kin uint16
	for i := range r {
		kin |= uint16(1<<cols-1) << (i * g)
	}
	if full := rows / r; full > 0 {
		softmaxGroupsAVX512(dst, x, full, g, 4*r*cols, kin, uint16(1<<(r*cols)-1), log)
	}
	full := rows / r
	if left := rows % r; left > 0 {
		off := full * r * cols
		softmaxGroupsAVX512(dst[off:], x[off:], 1, g, 4*left*cols, kin&uint16(1<<(left*g)-1), uint16(1<<(left*cols)-1), log)
	}
}

// softmaxGroupsAVX512 is softmaxRowsAVX512 for short rows (cols ≤ group),
// R = 16/group rows a vector, each in a group of group lanes (4, 8 or 16):
// blocks blocks of R rows, R·cols floats each, stride = 4·R·cols bytes
// apart; kin has the low cols bits of each group that holds a row set, kst
// the low R·cols bits. Per row it computes what softmaxRowsAVX512 does, with
// Σ e summed within the group (halves, quarters, pairs, lanes), and without
// a test for the NaN rows: x − m is NaN somewhere in a row whose maximum is
// ±Inf, so its Σ e is NaN and so is every result.
//
//go:noescape
func softmaxGroupsAVX512(dst, x []float32, blocks, group, stride int, kin, kst uint16, log bool)

// softmaxPairsAVX512 is softmaxGroupsAVX512 (Softmax, or LogSoftmax with
// log) with groups of 8 lanes (5 ≤ cols ≤ 8), over blocks·16 rows, with the
// same results: each block of 16 rows is transposed so that a register
// holds one column of all 16 rows, and the rows' maxima, exponentials and
// sums are lane-wise operations on eight columns (see the assembly).
//
//go:noescape
func softmaxPairsAVX512(dst, x []float32, blocks, cols int, log bool)

// softmaxColsAVX512 is softmaxPairsAVX512 for 9 ≤ cols ≤ 16 (groups of
// 16 lanes): a 16×16 transpose of each block of 16 rows.
//
//go:noescape
func softmaxColsAVX512(dst, x []float32, blocks, cols int)

// softmaxRowsAVX512 computes kernels.Softmax (log false) or
// kernels.LogSoftmax (log true) over rows × cols, len(dst) and len(x) ≥
// rows·cols. Per row, with Σ summed in 16 interleaved partial sums (the
// last cols%16 terms in 16 more):
//
//	m := the largest element of x[r] that is not NaN (−Inf if none)
//	if m is ±Inf {
//		dst[r][j] = NaN for every j
//	} else if !log {
//		dst[r][j] = e_j · (1/Σ e), e_j = kernels.Exp32(x[r][j] − m)
//	} else {
//		dst[r][j] = (x[r][j] − m) − kernels.Log32(Σ e)
//	}
//
// A NaN element with m finite makes Σ e, and so the whole row, NaN.
//
//go:noescape
func softmaxRowsAVX512(dst, x []float32, rows, cols int, log bool)
