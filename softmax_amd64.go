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
