//go:build !purego

#include "textflag.h"
#include "asm_amd64.h"
#include "vecmath_avx512_amd64.h"

// XWHOLE(off, k, t) loads the vector of x at off(R14) into t; XMASKED
// loads its lanes of k, zeroing the others.
#define XWHOLE(off, k, t) VMOVUPS off(R14), t
#define XMASKED(off, k, t) VMOVUPS.Z off(R14), k, t

// COLSUM4(load, l) forms in Z0, Z5, Z10 and Z15 the sums b + Σ_j x_j·w_j
// of the four vectors of rows from byte offset R12 on: each starts at the
// bias (Z29) and takes one FMA per input in input order, x_j loaded by
// load (with the masks K2–K5) into the vector's first scratch register,
// w_j broadcast from the weight row (BX); l labels the loop. Clobbers
// R13, R14 and AX.
#define COLSUM4(load, l) \
	VMOVAPS Z29, Z0;                 \
	VMOVAPS Z29, Z5;                 \
	VMOVAPS Z29, Z10;                \
	VMOVAPS Z29, Z15;                \
	MOVQ    R11, R13;                \
	LEAQ    (SI)(R12*1), R14;        \
	MOVQ    BX, AX;                  \
l:                                   \
	load(0, K2, Z1);                 \
	load(64, K3, Z6);                \
	load(128, K4, Z11);              \
	load(192, K5, Z16);              \
	VFMADD231PS.BCST (AX), Z1, Z0;   \
	VFMADD231PS.BCST (AX), Z6, Z5;   \
	VFMADD231PS.BCST (AX), Z11, Z10; \
	VFMADD231PS.BCST (AX), Z16, Z15; \
	ADDQ    R8, R14;                 \
	ADDQ    $4, AX;                  \
	DECQ    R13;                     \
	JNZ     l

#define TANHCOL4 TANH4_RES_AVX512(Z0, Z1, Z2, Z3, Z4, Z5, Z6, Z7, Z8, Z9, Z10, Z11, Z12, Z13, Z14, Z15, Z16, Z17, Z18, Z19, Z20, Z21, Z22, Z23, Z24, Z25, Z26, Z27, Z28)

// func linearTanhColsAVX512(dst, x, w, b []float32, n, in, out, ld int)
// Requires: AVX512F, AVX512DQ
//
// LinearTanhCols for in ≥ 1 and n, out ≥ 1: for each output o, one sweep
// over the rows of its column, four vectors of 16 rows at a time (their
// tanh interleaved, TANH4_RES_AVX512), then the n%64 rows left as four
// vectors under masks, which also mask the loads of x (the lanes beyond n
// of x's last column may lie past its end): one group of four interleaved
// chains rather than up to three single ones and a masked one, each a
// long dependency chain of its own. Each sum is the bias (0 without one),
// then one FMA per input in input order.
//
// Registers: DI dst's column o, SI x, BX w's row o, DX b at o, R8 ld in
// bytes, R9 n, R10 outputs left, R11 in, R12 byte offset of the rows,
// CX rows left, R13, R14 and AX the inputs' loop (COLSUM4); Z0, Z5, Z10,
// Z15 the sums, Z1–Z4, Z6–Z9, Z11–Z14, Z16–Z19 their x and tanh scratch,
// Z20–Z28 the tanh constants, Z29 the bias; K2–K5 the masks of the n%64
// rows left (16 bits of (1 << n%64) − 1 each).
TEXT ·linearTanhColsAVX512(SB), NOSPLIT, $0-128
	MOVQ dst_base+0(FP), DI
	MOVQ x_base+24(FP), SI
	MOVQ w_base+48(FP), BX
	MOVQ b_base+72(FP), DX
	MOVQ n+96(FP), R9
	MOVQ in+104(FP), R11
	MOVQ out+112(FP), R10
	MOVQ ld+120(FP), R8
	SHLQ $2, R8
	MOVQ  R9, CX
	ANDQ  $63, CX
	MOVQ  $1, AX
	SHLQ  CX, AX
	DECQ  AX
	KMOVW AX, K2
	SHRQ  $16, AX
	KMOVW AX, K3
	SHRQ  $16, AX
	KMOVW AX, K4
	SHRQ  $16, AX
	KMOVW AX, K5
	LOAD_TANH4_CONSTS

colout:
	VXORPS Z29, Z29, Z29
	CMPQ   b_len+80(FP), $0
	JEQ    colnob
	VBROADCASTSS (DX), Z29
	ADDQ   $4, DX

colnob:
	XORQ R12, R12
	MOVQ R9, CX

col4:
	CMPQ CX, $64
	JLT  colrest
	COLSUM4(XWHOLE, colin4)
	TANHCOL4
	VMOVUPS Z0, (DI)(R12*1)
	VMOVUPS Z5, 64(DI)(R12*1)
	VMOVUPS Z10, 128(DI)(R12*1)
	VMOVUPS Z15, 192(DI)(R12*1)
	ADDQ    $256, R12
	SUBQ    $64, CX
	JMP     col4

colrest:
	TESTQ CX, CX
	JZ    colnext
	COLSUM4(XMASKED, colinrest)
	TANHCOL4
	VMOVUPS Z0, K2, (DI)(R12*1)
	VMOVUPS Z5, K3, 64(DI)(R12*1)
	VMOVUPS Z10, K4, 128(DI)(R12*1)
	VMOVUPS Z15, K5, 192(DI)(R12*1)

colnext:
	ADDQ R8, DI
	LEAQ (BX)(R11*4), BX
	DECQ R10
	JNZ  colout
	VZEROUPPER
	RET
