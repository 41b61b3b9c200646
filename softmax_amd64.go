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
		if cols >= 2 && cols <= 8 && rows >= 8 {
			// Whole blocks of 8 rows by columns; the rest by rows.
			full := rows &^ 7
			softmaxColsAVX2(dst, x, full/8, cols)
			dst, x, rows = dst[full*cols:], x[full*cols:], rows-full
		}
		softmaxRowsAVX2(dst, x, rows, cols, false)
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
		softmaxRowsAVX2(dst, x, rows, cols, true)
		return
	}
	kernels.LogSoftmax(dst, x, rows, cols)
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

// softmaxColsAVX2 is softmaxRowsAVX2 for Softmax (not LogSoftmax) over
// blocks·8 rows of 2 ≤ cols ≤ 8 columns, with the same results: each
// block of 8 rows is transposed so that a register holds one column of all
// 8 rows, and the rows' maxima, exponentials and sums are lane-wise
// operations on columns. It runs chunks of colsChunk blocks (at most 8
// KiB, in L1) in three passes, each a loop whose iterations overlap: the
// columns less their rows' maxima into dst, e^ of them in place, then the
// sums, the products and the transpose back (see the assembly). As one
// pass a block is a chain of some 300 instructions (eight e^ among them)
// too long for the core to overlap the next block with it: 1000×5 took
// 10 µs that way, no faster than by rows.
func softmaxColsAVX2(dst, x []float32, blocks, cols int) {
	const colsChunk = 32
	for b := 0; b < blocks; b += colsChunk {
		nb := min(colsChunk, blocks-b)
		off, n := b*8*cols, nb*8*cols
		d := dst[off : off+n]
		softmaxColsMaxAVX2(d, x[off:off+n], nb, cols)
		expAVX2(d, d)
		softmaxColsScaleAVX2(d, nb, cols)
	}
}

// softmaxColsMaxAVX2 transposes blocks blocks of 8 rows of x (2 ≤ cols ≤
// 8) and stores, for each block, its columns less the rows' maxima into
// the block's 8·cols floats of dst: dst[(8b+j)*8+l] = x[8b+l][j] − m(8b+l)
// for j < cols, l < 8, m(r) the largest x[r][j] (with NaN: some x[r][j]).
//
//go:noescape
func softmaxColsMaxAVX2(dst, x []float32, blocks, cols int)

// softmaxColsScaleAVX2 takes what softmaxColsMaxAVX2 leaves, after e^, and
// sets each row to e·(1/Σe), Σe summed as softmaxRowsAVX2 sums a row of at
// most 8, transposed back into rows.
//
//go:noescape
func softmaxColsScaleAVX2(dst []float32, blocks, cols int)

// softmaxAVX512 runs rows of up to 16 columns through softmaxGroupsAVX512,
// longer rows through softmaxRowsAVX512.
func softmaxAVX512(dst, x []float32, rows, cols int, log bool) {
	if cols == 0 || rows == 0 {
		return
	}
	if cols > 16 {
		softmaxRowsAVX512(dst, x, rows, cols, log)
		return
	}
	if !log && cols >= 5 && rows >= 16 {
		// Whole blocks of 16 rows by columns; the rest as below.
		full := rows &^ 15
		if cols <= 8 {
			softmaxPairsAVX512(dst, x, full/16, cols)
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

// softmaxPairsAVX512 is softmaxGroupsAVX512 for Softmax (not LogSoftmax)
// with groups of 8 lanes (5 ≤ cols ≤ 8), over blocks·16 rows, with the
// same results: each block of 16 rows is transposed so that a register
// holds one column of all 16 rows, and the rows' maxima, exponentials and
// sums are lane-wise operations on eight columns (see the assembly).
//
//go:noescape
func softmaxPairsAVX512(dst, x []float32, blocks, cols int)

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
