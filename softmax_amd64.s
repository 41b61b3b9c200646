//go:build !purego

#include "textflag.h"
#include "asm_amd64.h"
#include "vecmath_amd64.h"

// func softmaxRowsAVX2(dst, x []float32, rows, cols int, log bool)
// Requires: AVX, AVX2, FMA
// For each row: m = max (NaN-aware), then, if m is finite, e = e^(x−m) and
// s = Σe; Softmax: dst = e·(1/s); LogSoftmax: dst = (x − m) − log s. A row
// with NaN, +Inf or only −Inf is set to NaN. Rows are cols floats apart;
// cols%8 tail elements go through masked loads, and are stored by
// tailstore with plain stores of 4, 2 and 1 floats that stay within the
// row: a masked store spans 32 bytes whatever its mask, and in place the
// next row's first load, which overlaps those bytes, would wait until the
// store reached the cache (about 4× slower for rows narrower than 8).
// Register map: SI x row, DI dst row, R8 rows left, R9 cols, R10 log flag,
// R11 cols%8, R12 cols rounded down to 8, CX element index, AX scratch;
// Y0–Y3 values and EXP/LOG scratch, Y4 loads, Y5 NaN flags, Y6 the e^(x−m)
// of the tail (kept in a register, not stored and reloaded), Y10 sum,
// Y12 m, Y13 1/s or log s, Y14 −Inf, Y15 tail mask.
TEXT ·softmaxRowsAVX2(SB), NOSPLIT, $0-65
	MOVQ    dst_base+0(FP), DI
	MOVQ    x_base+24(FP), SI
	MOVQ    rows+48(FP), R8
	MOVQ    cols+56(FP), R9
	MOVBQZX log+64(FP), R10
	MOVQ    R9, R11
	ANDQ    $7, R11
	MOVQ    R9, R12
	SUBQ    R11, R12
	LEAQ    ·vmTailMask(SB), AX
	MOVQ    R11, CX
	NEGQ    CX
	VMOVDQU 32(AX)(CX*4), Y15
	VMOVUPS ·vmNegInf(SB), Y14

row:
	TESTQ R8, R8
	JZ    done

	// Pass 1: maximum and NaN flags.
	VMOVUPS Y14, Y0
	VXORPS  Y5, Y5, Y5
	XORQ    CX, CX

max8:
	CMPQ    CX, R12
	JAE     maxtail
	VMOVUPS (SI)(CX*4), Y4
	VMAXPS  Y4, Y0, Y0
	VCMPPS  $3, Y4, Y4, Y4
	VORPS   Y4, Y5, Y5
	ADDQ    $8, CX
	JMP     max8

maxtail:
	TESTQ      R11, R11
	JZ         maxreduce
	VMASKMOVPS (SI)(CX*4), Y15, Y4
	VBLENDVPS  Y15, Y4, Y14, Y4
	VMAXPS     Y4, Y0, Y0
	VCMPPS     $3, Y4, Y4, Y4
	VORPS      Y4, Y5, Y5

maxreduce:
	VMOVMSKPS    Y5, AX
	TESTL        AX, AX
	JNZ          nanrow
	VEXTRACTF128 $1, Y0, X1
	VMAXPS       X1, X0, X0
	VPERMILPS    $0x4e, X0, X1
	VMAXPS       X1, X0, X0
	VPERMILPS    $0xb1, X0, X1
	VMAXPS       X1, X0, X0
	VBROADCASTSS X0, Y12
	VANDPS       ·vmAbsMask(SB), X0, X1
	VUCOMISS     ·vmPosInf(SB), X1
	JAE          nanrow

	// Pass 2: e = e^(x−m), stored for Softmax, summed.
	VXORPS Y10, Y10, Y10
	XORQ   CX, CX

exp8:
	CMPQ    CX, R12
	JAE     exptail
	VMOVUPS (SI)(CX*4), Y0
	VSUBPS  Y12, Y0, Y0
	EXP_AVX2(Y0, Y1, Y2, Y3)
	VADDPS  Y0, Y10, Y10
	TESTQ   R10, R10
	JNZ     exp8next
	VMOVUPS Y0, (DI)(CX*4)

exp8next:
	ADDQ $8, CX
	JMP  exp8

exptail:
	TESTQ      R11, R11
	JZ         sumreduce
	VMASKMOVPS (SI)(CX*4), Y15, Y0
	VSUBPS     Y12, Y0, Y0
	EXP_AVX2(Y0, Y1, Y2, Y3)
	VANDPS     Y15, Y0, Y6
	VADDPS     Y6, Y10, Y10

sumreduce:
	VEXTRACTF128 $1, Y10, X1
	VADDPS       X1, X10, X0
	VPERMILPS    $0x4e, X0, X1
	VADDPS       X1, X0, X0
	VPERMILPS    $0xb1, X0, X1
	VADDPS       X1, X0, X0
	VBROADCASTSS X0, Y13
	TESTQ        R10, R10
	JNZ          logrow

	// Pass 3, Softmax: dst *= 1/s.
	VMOVUPS ·vmOne(SB), Y0
	VDIVPS  Y13, Y0, Y13
	XORQ    CX, CX

scale8:
	CMPQ    CX, R12
	JAE     scaletail
	VMULPS  (DI)(CX*4), Y13, Y0
	VMOVUPS Y0, (DI)(CX*4)
	ADDQ    $8, CX
	JMP     scale8

scaletail:
	TESTQ  R11, R11
	JZ     nextrow
	VMULPS Y6, Y13, Y0
	JMP    tailstore

	// Pass 3, LogSoftmax: dst = (x − m) − log s.
logrow:
	LOG_AVX2(Y13, Y0, Y1, Y2)
	XORQ CX, CX

sub8:
	CMPQ    CX, R12
	JAE     subtail
	VMOVUPS (SI)(CX*4), Y0
	VSUBPS  Y12, Y0, Y0
	VSUBPS  Y13, Y0, Y0
	VMOVUPS Y0, (DI)(CX*4)
	ADDQ    $8, CX
	JMP     sub8

subtail:
	TESTQ      R11, R11
	JZ         nextrow
	VMASKMOVPS (SI)(CX*4), Y15, Y0
	VSUBPS     Y12, Y0, Y0
	VSUBPS     Y13, Y0, Y0
	JMP        tailstore

nanrow:
	VMOVUPS ·vmQNaN(SB), Y0
	XORQ    CX, CX

nan8:
	CMPQ    CX, R12
	JAE     nantail
	VMOVUPS Y0, (DI)(CX*4)
	ADDQ    $8, CX
	JMP     nan8

nantail:
	TESTQ R11, R11
	JZ    nextrow

	// The first R11 lanes of Y0 to the row's tail, (DI)(R12*4).
tailstore:
	LEAQ (DI)(R12*4), AX
	STORE_PIECES(R11, X0, Y0, AX, tail2, tail1, tailend)

nextrow:
	LEAQ (SI)(R9*4), SI
	LEAQ (DI)(R9*4), DI
	DECQ R8
	JMP  row

done:
	VZEROUPPER
	RET

// ------------------------------------------------------------ 8-row blocks

// softmaxColsAVX2 (softmax_amd64.go) runs Softmax and LogSoftmax over
// blocks of 8 rows of 2 to 8 columns in three passes over a chunk of
// blocks, each a loop whose iterations the core overlaps:
//
//   - softmaxColsMaxAVX2 turns each block's rows into columns (an 8×8
//     transpose: column j of all 8 rows in one register, −Inf past cols),
//     takes the rows' maxima m lane-wise and stores the cols vectors x − m
//     over the block, column after column;
//   - expAVX2 takes e^ of them, a whole vector at a time (in place for
//     Softmax, into scratch for LogSoftmax);
//   - softmaxColsEndAVX2 sums each block's columns of e lane-wise, as
//     softmaxRowsAVX2 reduces its one vector of a row of at most 8 (columns
//     j and j+4, then j and j+2, then j and j+1; the columns past cols are
//     0, as that kernel's masked tail), forms e·(1/Σe) or (x − m) − log Σe,
//     and transposes them back into rows.
//
// The results are softmaxRowsAVX2's bits. A row with NaN, +Inf or only −Inf
// needs no test: x − m is NaN somewhere in it, so its Σe, 1/Σe, log Σe and
// every result are NaN.
//
// Loads of rows are VMASKMOVPS (cols lanes, inside the row). Stores of
// rows go in ascending order: row r as a whole vector where it ends inside
// the block (r·cols + 8 ≤ 8·cols: rows 0–4 for any cols, 5 from 3 columns
// on, 6 from 4, 7 at 8), spilling into the rows after it, which the next
// stores write again; else as pieces of 4, 2 and 1 floats that end at the
// row's end. In place, every row of a block is loaded before the
// block's first store, and no load spans bytes of another block. (A
// VMASKMOVPS store is a long microcoded sequence on AMD cores before Zen
// 4: these kernels have none.)

// SMC_T8 transposes the 8×8 block in Y0–Y7 (row or column r in Yr), with
// Y8–Y11 as scratch, leaving the result for index 0…7 in Y8, Y9, Y10,
// Y11, Y12, Y13, Y0, Y1.
#define SMC_T8 \
	VUNPCKLPS  Y1, Y0, Y8;         \
	VUNPCKHPS  Y1, Y0, Y9;         \
	VUNPCKLPS  Y3, Y2, Y10;        \
	VUNPCKHPS  Y3, Y2, Y11;        \
	VSHUFPS    $0x44, Y10, Y8, Y0; \
	VSHUFPS    $0xee, Y10, Y8, Y1; \
	VSHUFPS    $0x44, Y11, Y9, Y2; \
	VSHUFPS    $0xee, Y11, Y9, Y3; \
	VUNPCKLPS  Y5, Y4, Y8;         \
	VUNPCKHPS  Y5, Y4, Y9;         \
	VUNPCKLPS  Y7, Y6, Y10;        \
	VUNPCKHPS  Y7, Y6, Y11;        \
	VSHUFPS    $0x44, Y10, Y8, Y4; \
	VSHUFPS    $0xee, Y10, Y8, Y5; \
	VSHUFPS    $0x44, Y11, Y9, Y6; \
	VSHUFPS    $0xee, Y11, Y9, Y7; \
	VPERM2F128 $0x20, Y4, Y0, Y8;  \
	VPERM2F128 $0x31, Y4, Y0, Y12; \
	VPERM2F128 $0x20, Y5, Y1, Y9;  \
	VPERM2F128 $0x31, Y5, Y1, Y13; \
	VPERM2F128 $0x20, Y6, Y2, Y10; \
	VPERM2F128 $0x31, Y6, Y2, Y0;  \
	VPERM2F128 $0x20, Y7, Y3, Y11; \
	VPERM2F128 $0x31, Y7, Y3, Y1

// SMC_LOAD(m, y) loads a row's cols floats from m into y, −Inf past them.
#define SMC_LOAD(m, y) \
	VMASKMOVPS m, Y15, y; \
	VORPS      Y14, y, y

// func softmaxColsMaxAVX2(dst, x []float32, blocks, cols int)
// Requires: AVX, AVX2
// Register map: SI x block, DI dst block, CX blocks left, R8 cols·4 (a
// row), R9 32·cols (a block), AX and DX rows of the block, BX cols;
// Y0–Y13 rows, columns and scratch, Y14 −Inf past cols, Y15 the first
// cols lanes.
TEXT ·softmaxColsMaxAVX2(SB), NOSPLIT, $0-64
	MOVQ    dst_base+0(FP), DI
	MOVQ    x_base+24(FP), SI
	MOVQ    blocks+48(FP), CX
	MOVQ    cols+56(FP), BX
	LEAQ    ·vmTailMask(SB), AX
	MOVQ    BX, DX
	NEGQ    DX
	VMOVDQU 32(AX)(DX*4), Y15
	VANDNPS ·vmNegInf(SB), Y15, Y14
	MOVQ    BX, R8
	SHLQ    $2, R8
	MOVQ    R8, R9
	SHLQ    $3, R9
	TESTQ   CX, CX
	JZ      smmdone

smmblock:
	LEAQ (SI)(R8*2), AX
	LEAQ (AX)(R8*1), DX
	SMC_LOAD((SI), Y0)
	SMC_LOAD((SI)(R8*1), Y1)
	SMC_LOAD((AX), Y2)
	SMC_LOAD((DX), Y3)
	SMC_LOAD((AX)(R8*2), Y4)
	SMC_LOAD((DX)(R8*2), Y5)
	LEAQ (DX)(R8*2), AX
	SMC_LOAD((AX)(R8*1), Y6)
	SMC_LOAD((AX)(R8*2), Y7)
	SMC_T8

	// Columns 0–3 in Y8–Y11, 4–7 in Y12, Y13, Y0, Y1; m into Y2; x − m
	// of columns 0 to cols−1 stored.
	VMAXPS  Y12, Y8, Y2
	VMAXPS  Y13, Y9, Y3
	VMAXPS  Y0, Y10, Y4
	VMAXPS  Y1, Y11, Y5
	VMAXPS  Y4, Y2, Y2
	VMAXPS  Y5, Y3, Y3
	VMAXPS  Y3, Y2, Y2
	VSUBPS  Y2, Y8, Y8
	VSUBPS  Y2, Y9, Y9
	VMOVUPS Y8, (DI)
	VMOVUPS Y9, 32(DI)
	CMPQ    BX, $3
	JLT     smmnext
	VSUBPS  Y2, Y10, Y10
	VMOVUPS Y10, 64(DI)
	CMPQ    BX, $4
	JLT     smmnext
	VSUBPS  Y2, Y11, Y11
	VMOVUPS Y11, 96(DI)
	CMPQ    BX, $5
	JLT     smmnext
	VSUBPS  Y2, Y12, Y12
	VMOVUPS Y12, 128(DI)
	CMPQ    BX, $6
	JLT     smmnext
	VSUBPS  Y2, Y13, Y13
	VMOVUPS Y13, 160(DI)
	CMPQ    BX, $7
	JLT     smmnext
	VSUBPS  Y2, Y0, Y0
	VMOVUPS Y0, 192(DI)
	CMPQ    BX, $8
	JLT     smmnext
	VSUBPS  Y2, Y1, Y1
	VMOVUPS Y1, 224(DI)

smmnext:
	ADDQ R9, SI
	ADDQ R9, DI
	DECQ CX
	JNZ  smmblock

smmdone:
	VZEROUPPER
	RET

// SMC_COLS(base, end) loads the block's first cols (BX) column vectors at
// base into Y0–Y7, 0 past them; end is its last label.
#define SMC_COLS(base, end) \
	VMOVUPS (base), Y0;      \
	VMOVUPS 32(base), Y1;    \
	VXORPS  Y2, Y2, Y2;      \
	VXORPS  Y3, Y3, Y3;      \
	VXORPS  Y4, Y4, Y4;      \
	VXORPS  Y5, Y5, Y5;      \
	VXORPS  Y6, Y6, Y6;      \
	VXORPS  Y7, Y7, Y7;      \
	CMPQ    BX, $3;          \
	JLT     end;             \
	VMOVUPS 64(base), Y2;    \
	CMPQ    BX, $4;          \
	JLT     end;             \
	VMOVUPS 96(base), Y3;    \
	CMPQ    BX, $5;          \
	JLT     end;             \
	VMOVUPS 128(base), Y4;   \
	CMPQ    BX, $6;          \
	JLT     end;             \
	VMOVUPS 160(base), Y5;   \
	CMPQ    BX, $7;          \
	JLT     end;             \
	VMOVUPS 192(base), Y6;   \
	CMPQ    BX, $8;          \
	JLT     end;             \
	VMOVUPS 224(base), Y7;   \
end:

// func softmaxColsEndAVX2(dst, e []float32, blocks, cols int, log bool)
// Requires: AVX, AVX2, FMA
// Register map: DI dst block (x − m by columns), SI e block (e^(x−m) by
// columns: dst itself for Softmax), CX blocks left, R8 cols·4 (a row), R9
// 32·cols (a block), R11 log, AX, DX and R10 rows of the block, BX cols;
// Y0–Y13 columns, rows and scratch, Y14 1.
TEXT ·softmaxColsEndAVX2(SB), NOSPLIT, $0-65
	MOVQ    dst_base+0(FP), DI
	MOVQ    e_base+24(FP), SI
	MOVQ    blocks+48(FP), CX
	MOVQ    cols+56(FP), BX
	MOVBQZX log+64(FP), R11
	MOVQ    BX, R8
	SHLQ    $2, R8
	MOVQ    R8, R9
	SHLQ    $3, R9
	VMOVUPS ·vmOne(SB), Y14
	TESTQ   CX, CX
	JZ      smsdone

smsblock:
	SMC_COLS(SI, smse)

	// Σe (j + j+4, then + j+2, then + j+1) into Y8.
	VADDPS Y4, Y0, Y8
	VADDPS Y5, Y1, Y9
	VADDPS Y6, Y2, Y10
	VADDPS Y7, Y3, Y11
	VADDPS Y10, Y8, Y8
	VADDPS Y11, Y9, Y9
	VADDPS Y9, Y8, Y8
	TESTQ  R11, R11
	JNZ    smslog

	// Softmax: e·(1/Σe).
	VDIVPS Y8, Y14, Y9
	VMULPS Y9, Y0, Y0
	VMULPS Y9, Y1, Y1
	VMULPS Y9, Y2, Y2
	VMULPS Y9, Y3, Y3
	VMULPS Y9, Y4, Y4
	VMULPS Y9, Y5, Y5
	VMULPS Y9, Y6, Y6
	VMULPS Y9, Y7, Y7
	JMP    smsrows

smslog:
	// LogSoftmax: (x − m) − log Σe.
	LOG_AVX2(Y8, Y9, Y10, Y11)
	SMC_COLS(DI, smsd)
	VSUBPS Y8, Y0, Y0
	VSUBPS Y8, Y1, Y1
	VSUBPS Y8, Y2, Y2
	VSUBPS Y8, Y3, Y3
	VSUBPS Y8, Y4, Y4
	VSUBPS Y8, Y5, Y5
	VSUBPS Y8, Y6, Y6
	VSUBPS Y8, Y7, Y7

smsrows:
	SMC_T8

	// Rows 0–7 in Y8–Y13, Y0, Y1: rows 0–4 whole, rows 5–7 whole where
	// they end inside the block (8 ≤ (8 − r)·cols), else in pieces.
	LEAQ    (DI)(R8*2), AX
	LEAQ    (AX)(R8*1), DX
	VMOVUPS Y8, (DI)
	VMOVUPS Y9, (DI)(R8*1)
	VMOVUPS Y10, (AX)
	VMOVUPS Y11, (DX)
	VMOVUPS Y12, (AX)(R8*2)
	LEAQ    (DX)(R8*2), R10
	CMPQ    BX, $3
	JLT     smsrow5
	VMOVUPS Y13, (R10)
	JMP     sms5e

smsrow5:
	MOVQ R10, AX
	STORE_PIECES(BX, X13, Y13, AX, sms5p2, sms5p1, sms5e)
	ADDQ R8, R10
	CMPQ BX, $4
	JLT  smsrow6
	VMOVUPS Y0, (R10)
	JMP     sms6e

smsrow6:
	MOVQ R10, AX
	STORE_PIECES(BX, X0, Y0, AX, sms6p2, sms6p1, sms6e)
	ADDQ R8, R10
	CMPQ BX, $8
	JNE  smsrow7
	VMOVUPS Y1, (R10)
	JMP     smsnext

smsrow7:
	MOVQ R10, AX
	STORE_PIECES(BX, X1, Y1, AX, sms7p2, sms7p1, sms7e)

smsnext:
	ADDQ R9, DI
	ADDQ R9, SI
	DECQ CX
	JNZ  smsblock

smsdone:
	VZEROUPPER
	RET
