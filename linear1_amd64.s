//go:build !purego

#include "textflag.h"
#include "vecmath_amd64.h"

#define gemmTanh 4

// ONE1 computes one vector of a one-input layer from its table entry at BX:
// x[rowA] or x[rowB] per lane (blend on the entry's mask), times the
// entry's weights, plus its biases, into Y3 (one rounding, as gemmAVX2
// rounds b + x·w, so LinearTanh stays tanh of Linear's sums).
#define ONE1 \
	MOVL         96(BX), AX; \
	MOVL         100(BX), DX; \
	VBROADCASTSS (SI)(AX*4), Y0; \
	VBROADCASTSS (SI)(DX*4), Y1; \
	VMOVUPS      64(BX), Y2; \
	VBLENDVPS    Y2, Y1, Y0, Y0; \
	VMOVUPS      32(BX), Y3; \
	VFMADD231PS  (BX), Y0, Y3

// ONE2R is ONE1 for periods of two rows, whose x values are in Y8, Y9,
// from the table entry at off(BX), with registers mask, x and result.
#define ONE2R(off, m, xv, acc) \
	VMOVUPS      off+64(BX), m; \
	VBLENDVPS    m, Y9, Y8, xv; \
	VMOVUPS      off+32(BX), acc; \
	VFMADD231PS  off(BX), xv, acc

#define ONE2 ONE2R(0, Y2, Y0, Y3)

// func linear1AVX2(dst, x, tab []float32, periods, vecs, rowsPer, flags int)
// Requires: AVX, AVX2, FMA
//
// A layer with one input, dst[r*out+o] = act(x[r]·w[o] + b[o]), swept as
// the flat array dst in whole vectors: rowsPer rows (rowsPer·out = 8·vecs
// values) form a period whose vecs vectors follow one pattern; entry t of
// tab (32 floats) holds, for the vector at 8t, the weights and biases of
// its lanes, a mask of the lanes in the next row, and (as int32 at floats
// 24, 25) the row of its first and last lane within the period. With
// gemmTanh the tanh is applied before the store.
//
// Registers: Y0-Y2 x and mask, Y3 result, Y4-Y7 tanh scratch, Y8-Y9 x of a
// two-row period (whose tanh loop does two vectors at a time, the second in
// Y10, Y12, Y13 with scratch Y1, Y11, Y14, Y15); DI dst, SI x
// at the period, BX table entry, AX/DX rows, CX vectors left in the period,
// R8 periods left, R10 rowsPer in bytes.
TEXT ·linear1AVX2(SB), NOSPLIT, $0-104
	MOVQ dst_base+0(FP), DI
	MOVQ x_base+24(FP), SI
	MOVQ periods+72(FP), R8
	MOVQ rowsPer+88(FP), R10
	SHLQ $2, R10
	TESTQ R8, R8
	JZ   one1done
	CMPQ R10, $8
	JEQ  two
	TESTQ $gemmTanh, flags+96(FP)
	JNZ  tperiod

period:
	MOVQ tab_base+48(FP), BX
	MOVQ vecs+80(FP), CX

vec:
	ONE1
	VMOVUPS Y3, (DI)
	ADDQ $32, DI
	ADDQ $128, BX
	DECQ CX
	JNZ  vec
	ADDQ R10, SI
	DECQ R8
	JNZ  period
	JMP  one1done

tperiod:
	MOVQ tab_base+48(FP), BX
	MOVQ vecs+80(FP), CX

tvec:
	ONE1
	TANH_AVX2(Y3, Y4, Y5, Y6, Y7)
	VMOVUPS Y3, (DI)
	ADDQ $32, DI
	ADDQ $128, BX
	DECQ CX
	JNZ  tvec
	ADDQ R10, SI
	DECQ R8
	JNZ  tperiod
	JMP  one1done

// Two rows a period: both x values stay broadcast in Y8, Y9.
two:
	TESTQ $gemmTanh, flags+96(FP)
	JNZ  t2period

period2:
	MOVQ tab_base+48(FP), BX
	MOVQ vecs+80(FP), CX
	VBROADCASTSS (SI), Y8
	VBROADCASTSS 4(SI), Y9

vec2:
	ONE2
	VMOVUPS Y3, (DI)
	ADDQ $32, DI
	ADDQ $128, BX
	DECQ CX
	JNZ  vec2
	ADDQ $8, SI
	DECQ R8
	JNZ  period2
	JMP  one1done

t2period:
	MOVQ tab_base+48(FP), BX
	MOVQ vecs+80(FP), CX
	VBROADCASTSS (SI), Y8
	VBROADCASTSS 4(SI), Y9

t2pair:
	CMPQ CX, $2
	JLT  t2vec
	ONE2R(0, Y2, Y0, Y3)
	ONE2R(128, Y12, Y10, Y13)
	TANH_AVX2(Y3, Y4, Y5, Y6, Y7)
	TANH_AVX2(Y13, Y1, Y11, Y14, Y15)
	VMOVUPS Y3, (DI)
	VMOVUPS Y13, 32(DI)
	ADDQ $64, DI
	ADDQ $256, BX
	SUBQ $2, CX
	JMP  t2pair

t2vec:
	TESTQ CX, CX
	JZ   t2next
	ONE2
	TANH_AVX2(Y3, Y4, Y5, Y6, Y7)
	VMOVUPS Y3, (DI)
	ADDQ $32, DI

t2next:
	ADDQ $8, SI
	DECQ R8
	JNZ  t2period

one1done:
	VZEROUPPER
	RET
