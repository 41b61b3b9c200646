//go:build !purego

package mdnsimd

import (
	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
	"sync"
	"unsafe"

	"github.com/mdnsimd/mdnsimd/kernels"
)

// The AVX2+FMA mixture kernels (mixture_amd64.s, which describes how) work
// on blocks of 8 rows, one row per YMM lane, in float32, with FTZ/DAZ set
// in MXCSR for their duration (subnormal products would cost a microcode
// assist per lane; MXCSR is restored on return). Up to 4 blocks go through
// each stage together, in a scratch buffer that stays in L1. One output
// dimension (d = 1, k ≥ 2), the usual MDN, has a kernel of its own,
// mixture1AVX2.
//
// n ≥ 8 rows: blocks start at rows 0, 8, 16, …; when n is not a multiple of
// 8 the last block starts at n−8 and recomputes up to 7 rows of the block
// before it, writing the same values again, so no load or store leaves the
// slices. 1 ≤ n < 8 rows: the rows are copied into a zero-padded block of
// 8 rows in the buffer and the results copied back.

// mixtureGroup is the number of 8-row blocks the assembly processes
// together: as many as fit in about 16 KiB of scratch, 1 to 4.
func mixtureGroup(k, d int) int {
	return min(4, max(1, 16384/(4*mixtureAreaLen(k, d))))
}

// mixtureAreaLen is the scratch, in float32, of one block: 40 for its sums
// and first row, ½y (d vectors of 8 lanes), the head columns (w vectors,
// reused for the gradient columns) and, per component, a record of 3+2d
// vectors: logit−max, e^(logit−max), lp then e^(lp−max), and z, 2/σ for
// each dimension.
func mixtureAreaLen(k, d int) int { return 40 + 8*(d+MixtureWidth(k, d)+k*(3+2*d)) }

// mixPrefetchBytes is the size of head from which mixtureAVX512 prefetches
// the next group's rows while a group runs: the heads that do not fit in
// L2 (1 MiB on the Zen 5 CPU of the measurements). MixtureNLLGrad at
// K=20, D=4 took 19 to 32% less time for 10,000 rows (a 7.2 MB head) with
// the prefetches, in three runs; for 1000 rows (720 KB, in L2) MixtureNLL
// took 9% more.
const mixPrefetchBytes = 1 << 20

// The float32 at the start of each mixture kernel's scratch, before its
// block areas; the assembly places the areas by these constants (go_asm.h).
const (
	mixtureSharedLen    = 48  // mixtureAVX2
	mixture1SharedLen   = 16  // mixture1AVX2
	mixture512SharedLen = 160 // mixtureAVX512
)

// mixtureScratchLen is the scratch, in float32, that the assembly needs
// for k components and d dimensions: mixtureSharedLen, then one area per
// block of a group (mixture1AVX2 for d = 1, k ≥ 2: mixture1SharedLen, then
// its areas).
func mixtureScratchLen(k, d int) int {
	if mixtureOneDim(k, d) {
		return mixture1SharedLen + mixture1Group(k)*mixture1AreaLen(k)
	}
	return mixtureSharedLen + mixtureGroup(k, d)*mixtureAreaLen(k, d)
}

// mixtureOneDim reports whether mixture1AVX2, the kernel for one output
// dimension, handles k and d.
func mixtureOneDim(k, d int) bool { return d == 1 && k >= 2 }

// mixture1AreaLen is the scratch, in float32, of one block of
// mixture1AVX2: 56 for its sums, max logit, ½y and first row, the 3k head
// columns (the gradient columns after the gradient stage) and 4k vectors:
// e^(logit−max), 2/σ, z, lp then e^(lp−max) for each component.
func mixture1AreaLen(k int) int { return 56 + 56*k }

// mixture1Group is the number of 8-row blocks mixture1AVX2 processes
// together: as many as fit in about 16 KiB of scratch, 1 to 4.
func mixture1Group(k int) int { return min(4, max(1, 16384/(4*mixture1AreaLen(k)))) }

// The scratch (and, for n < 8, the padded block) lives on the stack:
// mixtureSmall floats cover K=5, D=1 (1375 with the alignment, 1631 padded),
// mixtureLarge K=20, D=4 (3335) and K=20, D=1 (3559), mixtureHuge those
// two padded (6255, 4535). Wider mixtures take their buffer from
// mixturePool. Three sizes keep the zeroing of the stack buffer small next
// to the kernel.
const mixtureSmall, mixtureLarge, mixtureHuge = 2048, 4096, 8192

// mixturePool supplies buffers for mixtures too wide for the stack buffers;
// it allocates only when a wider mixture than any before is seen (or after
// a garbage collection emptied it).
var mixturePool = sync.Pool{New: func() any { return new([]float32) }}

func mixtureNLL(nll, head, y []float32, k, d int) {
	switch {
	case len(nll) == 0:
	case cpufeat.HasAVX512:
		mixtureBlocks512(nll, nil, head, y, k, d, 0)
	case cpufeat.HasAVX2FMA:
		mixtureBlocks(nll, nil, head, y, k, d, 0, 0)
	default:
		kernels.MixtureNLL(nll, head, y, k, d)
	}
}

func mixtureNLLGrad(nll, dhead, head, y []float32, k, d int, scale float32) {
	switch {
	case len(nll) == 0:
	case cpufeat.HasAVX512:
		mixtureBlocks512(nll, dhead, head, y, k, d, scale)
	case cpufeat.HasAVX2FMA:
		mixtureBlocks(nll, dhead, head, y, k, d, scale, 0)
	default:
		kernels.MixtureNLLGrad(nll, dhead, head, y, k, d, scale)
	}
}

// mixtureBlocks runs the assembly on n ≥ 1 rows (dhead nil: forward only)
// with a buffer of mixtureBufLen floats. ld = 0: head and dhead are rows
// of MixtureWidth(k, d); ld > 0 (mixtureOneDim(k, d) only): they are its
// columns, ld floats apart (MixtureNLLCols).
func mixtureBlocks(nll, dhead, head, y []float32, k, d int, scale float32, ld int) {
	switch need := mixtureBufLen(len(nll), k, d); {
	case need <= mixtureSmall:
		var buf [mixtureSmall]float32
		mixtureRun(buf[:], nll, dhead, head, y, k, d, scale, ld)
	case need <= mixtureLarge:
		var buf [mixtureLarge]float32
		mixtureRun(buf[:], nll, dhead, head, y, k, d, scale, ld)
	case need <= mixtureHuge:
		mixtureRunHuge(nll, dhead, head, y, k, d, scale, ld)
	default:
		p := mixturePool.Get().(*[]float32)
		if len(*p) < need {
			*p = make([]float32, need)
		}
		mixtureRun(*p, nll, dhead, head, y, k, d, scale, ld)
		mixturePool.Put(p)
	}
}

// mixtureRunHuge is mixtureRun with a mixtureHuge buffer on the stack, in
// a function of its own so that only the calls that need it have its frame.
//
//go:noinline
func mixtureRunHuge(nll, dhead, head, y []float32, k, d int, scale float32, ld int) {
	var buf [mixtureHuge]float32
	mixtureRun(buf[:], nll, dhead, head, y, k, d, scale, ld)
}

// mixtureBufLen is the scratch, 15 floats to align it, plus, for n < 8,
// one padded block of nll (8), head (8w), y (8d) and dhead (8w).
func mixtureBufLen(n, k, d int) int {
	need := 15 + mixtureScratchLen(k, d)
	if n < 8 {
		w := MixtureWidth(k, d)
		need += 8 + 16*w + 8*d
	}
	return need
}

func mixtureRun(buf, nll, dhead, head, y []float32, k, d int, scale float32, ld int) {
	n, w := len(nll), MixtureWidth(k, d)
	// Align the scratch to 64 bytes: its vectors are stored and reloaded at
	// once, and a store split across cache lines forwards slowly.
	buf = buf[(-uintptr(unsafe.Pointer(&buf[0]))/4)%16:]
	scratch := &buf[0]
	if n >= 8 {
		mixtureCall(nll, dhead, head, y, k, d, scale, scratch, ld)
		return
	}
	// n < 8: pad to one block of 8 rows (zero rows are valid input), by
	// rows also for columns.
	buf = buf[mixtureScratchLen(k, d):]
	nll8, buf := buf[:8], buf[8:]
	head8, buf := buf[:8*w], buf[8*w:]
	y8, dhead8 := buf[:8*d], buf[8*d:8*d+8*w]
	if ld == 0 {
		clear(head8[copy(head8, head):])
	} else {
		clear(head8)
		for c := range w {
			for i, v := range head[c*ld : c*ld+n] {
				head8[i*w+c] = v
			}
		}
	}
	clear(y8[copy(y8, y):])
	if dhead == nil {
		mixtureCall(nll8, nil, head8, y8, k, d, scale, scratch, 0)
	} else {
		mixtureCall(nll8, dhead8, head8, y8, k, d, scale, scratch, 0)
		if ld == 0 {
			copy(dhead, dhead8)
		} else {
			for c := range w {
				for i := range dhead[c*ld : c*ld+n] {
					dhead[c*ld+i] = dhead8[i*w+c]
				}
			}
		}
	}
	copy(nll, nll8)
}

// mixtureCall runs the assembly kernel for k and d on n ≥ 8 rows, by
// columns ld floats apart when ld > 0 (mixture1AVX2 only).
func mixtureCall(nll, dhead, head, y []float32, k, d int, scale float32, scratch *float32, ld int) {
	if mixtureOneDim(k, d) {
		mixture1AVX2(nll, dhead, head, y, k, scale, scratch, mixture1Group(k), 4*ld)
		return
	}
	mixtureAVX2(nll, dhead, head, y, k, d, scale, scratch, mixtureGroup(k, d))
}

// mixtureAVX2 computes what kernels.MixtureNLLGrad computes
// (kernels.MixtureNLL when len(dhead) == 0) for n = len(nll) ≥ 8 rows, in
// float32, under the contract of MixtureNLL. scratch points to
// mixtureSharedLen + group·mixtureAreaLen(k, d) float32, 64-byte aligned;
// group (≥ 1) blocks of 8 rows are processed together.
//
//go:noescape
func mixtureAVX2(nll, dhead, head, y []float32, k, d int, scale float32, scratch *float32, group int)

// mixture1AVX2 is mixtureAVX2 for d = 1 and k ≥ 2. scratch points to
// mixture1SharedLen + group·mixture1AreaLen(k) float32, 32-byte aligned.
// ldBytes = 0: head and dhead are rows of 3k; ldBytes = 4·ld > 0: they
// are 3k columns of ld (MixtureNLLCols), which the kernel loads and
// stores whole instead of transposing rows, so the results are the same
// bits either way.
//
//go:noescape
func mixture1AVX2(nll, dhead, head, y []float32, k int, scale float32, scratch *float32, group, ldBytes int)

// The AVX-512 mixture kernels (mixture_avx512_amd64.s, which describes
// how) work on blocks of 16 rows, one row per ZMM lane, in float32, with
// FTZ and DAZ set in MXCSR for their duration, as the AVX2 kernels (MXCSR is
// restored on return): subnormal inputs count as zero and subnormal
// results, e^x below 2⁻¹²⁶ among them, are flushed to +0. On Intel cores a
// VSCALEFPS, multiply or FMA whose result underflows takes a microcode
// assist of about 70 ns for the vector (Xeon family 6 model 207, measured
// with VSCALEFPS; a +0 result counts), and the padding lanes of a block
// and every far component give such results: with IEEE arithmetic
// MixtureNLLGrad at K=5, D=1 took 45.2 µs per 1000 rows there against
// 13.2 µs on avx2fma, and 8.4 µs with FTZ/DAZ. On the Zen 5 CPU of the
// earlier measurements, which has no such assist, FTZ/DAZ took
// MixtureNLLGrad at K=5, D=1 from 5.2 to 4.0 µs per 1000 rows.
//
// A block's head rows go into column vectors by 16 row loads with a column
// mask and a 16×16 transpose in registers, and the gradient columns back
// the same way with masked stores. The last block, of m < 16 rows, reads and writes its
// rows through a table of row offsets that repeats row m−1 in lanes
// m…15 (the repeated lanes compute and store the same values again), so
// every access stays within the slices and n < 16 needs no padded copy.
// Groups of blocks go through each stage together so that their
// dependency chains overlap. k = 5, d = 1, the seed's head, has a kernel
// of its own, mixture5AVX512, which keeps a block's 15 columns in
// registers through each stage; every other k and d runs mixtureAVX512.

// mixtureBlocks512 runs the AVX-512 kernel for k and d on n ≥ 1 rows.
func mixtureBlocks512(nll, dhead, head, y []float32, k, d int, scale float32) {
	if k == 5 && d == 1 {
		var buf [15 + mixture5ScratchLen]float32
		mixture5AVX512(nll, dhead, head, y, scale, align64(buf[:]), mixture5Group, 0)
		return
	}
	switch need := 15 + mixture512ScratchLen(k, d); {
	case need <= mixtureSmall:
		var buf [mixtureSmall]float32
		mixtureAVX512(nll, dhead, head, y, k, d, scale, align64(buf[:]), mixture512Group(k, d))
	case need <= mixtureLarge:
		var buf [mixtureLarge]float32
		mixtureAVX512(nll, dhead, head, y, k, d, scale, align64(buf[:]), mixture512Group(k, d))
	case need <= mixtureHuge:
		mixtureAVX512Huge(nll, dhead, head, y, k, d, scale)
	default:
		p := mixturePool.Get().(*[]float32)
		if len(*p) < need {
			*p = make([]float32, need)
		}
		mixtureAVX512(nll, dhead, head, y, k, d, scale, align64(*p), mixture512Group(k, d))
		mixturePool.Put(p)
	}
}

// mixtureAVX512Huge runs mixtureAVX512 with a mixtureHuge buffer on the
// stack, in a function of its own so that only the calls that need it
// have its frame.
//
//go:noinline
func mixtureAVX512Huge(nll, dhead, head, y []float32, k, d int, scale float32) {
	var buf [mixtureHuge]float32
	mixtureAVX512(nll, dhead, head, y, k, d, scale, align64(buf[:]), mixture512Group(k, d))
}

// align64 returns the first 64-byte aligned element of buf (len(buf) ≥ 16).
func align64(buf []float32) *float32 {
	return &buf[(-uintptr(unsafe.Pointer(&buf[0]))/4)%16]
}

// mixture512AreaLen is the scratch, in float32, of one block of
// mixtureAVX512: 6 vectors of sums and pointers, the y columns (1 vector
// for d = 1, else 16 per 16 dimensions), p and lp/e (k vectors each) and
// the head columns (16 per 16 columns).
func mixture512AreaLen(k, d int) int {
	yv := 1
	if d > 1 {
		yv = 16 * ((d + 15) / 16)
	}
	return 16 * (6 + yv + 2*k + 16*((MixtureWidth(k, d)+15)/16))
}

// mixture512Group is the number of 16-row blocks mixtureAVX512 processes
// together: as many as fit in about 14 KiB of scratch, 1 to 4. (7 KiB,
// one block at K=20, D=1, left each stage's chain exposed: 23.5 µs for
// 1000 rows against 19.5 µs at 14 KiB on the Zen 5 CPU; 28 KiB gained
// nothing more.)
func mixture512Group(k, d int) int { return min(4, max(1, 14336/(4*mixture512AreaLen(k, d)))) }

// mixture512ScratchLen is the scratch, in float32, of mixtureAVX512:
// mixture512SharedLen, then one area per block of a group. The stack buffers cover
// K=20, D=1 (3727 with the alignment), K=20, D=4 (4239) and up to K=42 at
// D=4; wider mixtures take the pooled buffer.
func mixture512ScratchLen(k, d int) int {
	return mixture512SharedLen + mixture512Group(k, d)*mixture512AreaLen(k, d)
}

// mixtureAVX512 computes what kernels.MixtureNLLGrad computes
// (kernels.MixtureNLL when len(dhead) == 0) for n = len(nll) ≥ 1 rows, in
// float32, under the contract of MixtureNLL. scratch points to
// mixture512ScratchLen(k, d) float32, 64-byte aligned; group (≥ 1) blocks
// of 16 rows are processed together.
//
//go:noescape
func mixtureAVX512(nll, dhead, head, y []float32, k, d int, scale float32, scratch *float32, group int)

// mixture5Group is the number of 16-row blocks mixture5AVX512 processes
// together, and mixture5ScratchLen its scratch in float32:
// mixture5SharedLen shared, then mixture5AreaLen per block. The assembly
// takes its offsets from these constants (go_asm.h).
const (
	mixture5Group      = 4
	mixture5SharedLen  = 64
	mixture5AreaLen    = 384
	mixture5ScratchLen = mixture5SharedLen + mixture5Group*mixture5AreaLen
)

// mixture5AVX512 is mixtureAVX512 for k = 5 and d = 1. scratch points to
// mixture5SharedLen + group·mixture5AreaLen float32, 64-byte aligned.
// ldBytes = 0: head and dhead are rows of 15; ldBytes = 4·ld > 0: they are
// 15 columns of ld (MixtureNLLCols).
//
//go:noescape
func mixture5AVX512(nll, dhead, head, y []float32, scale float32, scratch *float32, group, ldBytes int)

// mixtureCols runs MixtureNLLGradCols (MixtureNLLCols when dhead is nil)
// on n ≥ 1 rows: the AVX-512 kernel by columns for k = 5, d = 1; the AVX2
// kernel for one dimension (mixture1AVX2 by columns) for any other k with
// d = 1, on both paths (on avx512 it is the only assembly that reads
// columns for those); the Go reference otherwise (the other kernels read
// rows).
func mixtureCols(nll, dhead, head, y []float32, k, d, ld int, scale float32) {
	switch {
	case cpufeat.HasAVX512 && k == 5 && d == 1:
		var buf [15 + mixture5ScratchLen]float32
		mixture5AVX512(nll, dhead, head, y, scale, align64(buf[:]), mixture5Group, 4*ld)
	case cpufeat.HasAVX2FMA && mixtureOneDim(k, d):
		mixtureBlocks(nll, dhead, head, y, k, d, scale, ld)
	default:
		kernels.MixtureNLLGradCols(nll, dhead, head, y, k, d, ld, scale)
	}
}

// mixExpAVX512 sets dst[i] to the exponential of the AVX-512 mixture
// kernels (EXPB) of x[i], for the tests; len(dst) ≥ len(x).
//
//go:noescape
func mixExpAVX512(dst, x []float32)
