// AVX-512 GEMM macro-kernel behind the linear layer kernels.
//
// Outer-product form, as gemmAVX2: each k step broadcasts one element of A
// per row of the tile and multiplies it into one row of B, here 32 columns
// (two ZMM vectors) or 16 (one), so that a 14-row tile of C is 28 (or 14)
// accumulators and a k step is 14 broadcasts, 2 loads and 28 FMAs. The
// columns past n are masked (K1, K2) on every load and store of B, C and
// the bias: nothing outside the slices is touched, and no lane is spilled.
// The bias is the accumulators' start value, so that a sum is rounded as
// b + Σ a·b; the old C (gemmAcc) and the tanh (gemmTanh) are applied while
// the tile is in registers.

//go:build !purego

#include "textflag.h"
#include "asm_amd64.h"
#include "vecmath_avx512_amd64.h"

// A rows of a tile: row r of the tile at A0..A13 (SI = row 0, DI = row 9;
// R8 = rsa, R9 = 3·rsa, R10 = 5·rsa, R12 = 7·rsa, all in bytes).
#define A0 (SI)
#define A1 (SI)(R8*1)
#define A2 (SI)(R8*2)
#define A3 (SI)(R9*1)
#define A4 (SI)(R8*4)
#define A5 (SI)(R10*1)
#define A6 (SI)(R9*2)
#define A7 (SI)(R12*1)
#define A8 (SI)(R8*8)
#define A9 (DI)
#define A10 (DI)(R8*1)
#define A11 (DI)(R8*2)
#define A12 (DI)(R9*1)
#define A13 (DI)(R8*4)

// Rows 14-27 of the one-vector tiles of 20 and 28 rows: DI = row 9, DX =
// row 18, R13 = row 27 (C's row and ldc wait on the stack meanwhile).
#define A14 (DI)(R10*1)
#define A15 (DI)(R9*2)
#define A16 (DI)(R12*1)
#define A17 (DI)(R8*8)
#define A18 (DX)
#define A19 (DX)(R8*1)
#define A20 (DX)(R8*2)
#define A21 (DX)(R9*1)
#define A22 (DX)(R8*4)
#define A23 (DX)(R10*1)
#define A24 (DX)(R9*2)
#define A25 (DX)(R12*1)
#define A26 (DX)(R8*8)
#define A27 (R13)

// LDB2/LDB1 load the B row at BX into Z28 (and Z29), the columns past n
// zeroed, and step BX to the next row.
#define LDB2 \
	VMOVUPS.Z (BX), K1, Z28;   \
	VMOVUPS.Z 64(BX), K2, Z29; \
	ADDQ      R14, BX

#define LDB1 \
	VMOVUPS.Z (BX), K1, Z28; \
	ADDQ      R14, BX

// FMA2/FMA1: one k step of a row whose A element is at m.
#define FMA2(m, s0, s1) \
	VBROADCASTSS m, Z30;       \
	VFMADD231PS  Z28, Z30, s0; \
	VFMADD231PS  Z29, Z30, s1

#define FMA1(m, s0) \
	VFMADD231PS.BCST m, Z28, s0

// BIAS2/BIAS1 load the start value of a row (the bias, or 0 when K5, K6 are
// clear) into s0 (and s1).
#define BIAS2(s0, s1) \
	MOVQ      biasp-16(SP), BX; \
	VMOVUPS.Z (BX), K5, s0;     \
	VMOVUPS.Z 64(BX), K6, s1

#define BIAS1(s0) \
	MOVQ      biasp-16(SP), BX; \
	VMOVUPS.Z (BX), K5, s0

// NEGZ sets r to −0 in every lane: the start of the extra sums of a tile
// that splits k, so that a −0 result stays −0.
#define NEGZ(r) VBROADCASTSS ·vmSignMask(SB), r

// PREFC14 prefetches the 14 rows of the tile's C (two lines a row) when
// the epilogue will add them (gemmAcc), so that they arrive while the k
// loop runs instead of after it. Clobbers BX.
#define PREFC14(l) \
	TESTQ $const_gemmAcc, flags+152(FP); \
	JZ    l;                  \
	MOVQ  DX, BX;             \
	PREFETCHT0 (BX);          \
	PREFETCHT0 64(BX);        \
	PREFETCHT0 (BX)(R13*1);   \
	PREFETCHT0 64(BX)(R13*1); \
	PREFETCHT0 (BX)(R13*2);   \
	PREFETCHT0 64(BX)(R13*2); \
	LEAQ  (BX)(R13*2), BX;    \
	ADDQ  R13, BX;            \
	PREFETCHT0 (BX);          \
	PREFETCHT0 64(BX);        \
	PREFETCHT0 (BX)(R13*1);   \
	PREFETCHT0 64(BX)(R13*1); \
	PREFETCHT0 (BX)(R13*2);   \
	PREFETCHT0 64(BX)(R13*2); \
	LEAQ  (BX)(R13*2), BX;    \
	ADDQ  R13, BX;            \
	PREFETCHT0 (BX);          \
	PREFETCHT0 64(BX);        \
	PREFETCHT0 (BX)(R13*1);   \
	PREFETCHT0 64(BX)(R13*1); \
	PREFETCHT0 (BX)(R13*2);   \
	PREFETCHT0 64(BX)(R13*2); \
	LEAQ  (BX)(R13*2), BX;    \
	ADDQ  R13, BX;            \
	PREFETCHT0 (BX);          \
	PREFETCHT0 64(BX);        \
	PREFETCHT0 (BX)(R13*1);   \
	PREFETCHT0 64(BX)(R13*1); \
	PREFETCHT0 (BX)(R13*2);   \
	PREFETCHT0 64(BX)(R13*2); \
	LEAQ  (BX)(R13*2), BX;    \
	ADDQ  R13, BX;            \
	PREFETCHT0 (BX);          \
	PREFETCHT0 64(BX);        \
	PREFETCHT0 (BX)(R13*1);   \
	PREFETCHT0 64(BX)(R13*1); \
l:

// PREFC28 is PREFC14 for the one-vector tiles of 28 rows (a line a row).
#define PREFC28(l) \
	TESTQ $const_gemmAcc, flags+152(FP); \
	JZ    l;                  \
	MOVQ  DX, BX;             \
	PREFETCHT0 (BX);          \
	PREFETCHT0 (BX)(R13*1);   \
	PREFETCHT0 (BX)(R13*2);   \
	LEAQ  (BX)(R13*2), BX;    \
	ADDQ  R13, BX;            \
	PREFETCHT0 (BX);          \
	PREFETCHT0 (BX)(R13*1);   \
	PREFETCHT0 (BX)(R13*2);   \
	LEAQ  (BX)(R13*2), BX;    \
	ADDQ  R13, BX;            \
	PREFETCHT0 (BX);          \
	PREFETCHT0 (BX)(R13*1);   \
	PREFETCHT0 (BX)(R13*2);   \
	LEAQ  (BX)(R13*2), BX;    \
	ADDQ  R13, BX;            \
	PREFETCHT0 (BX);          \
	PREFETCHT0 (BX)(R13*1);   \
	PREFETCHT0 (BX)(R13*2);   \
	LEAQ  (BX)(R13*2), BX;    \
	ADDQ  R13, BX;            \
	PREFETCHT0 (BX);          \
	PREFETCHT0 (BX)(R13*1);   \
	PREFETCHT0 (BX)(R13*2);   \
	LEAQ  (BX)(R13*2), BX;    \
	ADDQ  R13, BX;            \
	PREFETCHT0 (BX);          \
	PREFETCHT0 (BX)(R13*1);   \
	PREFETCHT0 (BX)(R13*2);   \
	LEAQ  (BX)(R13*2), BX;    \
	ADDQ  R13, BX;            \
	PREFETCHT0 (BX);          \
	PREFETCHT0 (BX)(R13*1);   \
	PREFETCHT0 (BX)(R13*2);   \
	LEAQ  (BX)(R13*2), BX;    \
	ADDQ  R13, BX;            \
	PREFETCHT0 (BX);          \
	PREFETCHT0 (BX)(R13*1);   \
	PREFETCHT0 (BX)(R13*2);   \
	LEAQ  (BX)(R13*2), BX;    \
	ADDQ  R13, BX;            \
	PREFETCHT0 (BX);          \
	PREFETCHT0 (BX)(R13*1);   \
	PREFETCHT0 (BX)(R13*2);   \
	LEAQ  (BX)(R13*2), BX;    \
	ADDQ  R13, BX;            \
	PREFETCHT0 (BX);          \
l:

// KSTART points SI (and DI) at the tile's A rows, BX at B, CX at k, and
// jumps to e when k is 0.
#define KSTART(e) \
	MOVQ  atile-8(SP), SI;   \
	LEAQ  (SI)(R8*8), DI;    \
	ADDQ  R8, DI;            \
	MOVQ  b_base+72(FP), BX; \
	MOVQ  k+136(FP), CX;     \
	TESTQ CX, CX;            \
	JZ    e

#define KNEXT \
	ADDQ R11, SI; \
	ADDQ R11, DI

// KSTART28 is KSTART for the tiles of 20 and 28 rows, which take DX and
// R13 for A's rows 18-27; KNEXT28 steps all four row pointers.
#define KSTART28(e) \
	MOVQ  DX, ctile-24(SP);  \
	MOVQ  atile-8(SP), SI;   \
	LEAQ  (SI)(R8*8), DI;    \
	ADDQ  R8, DI;            \
	LEAQ  (DI)(R8*8), DX;    \
	ADDQ  R8, DX;            \
	LEAQ  (DX)(R8*8), R13;   \
	ADDQ  R8, R13;           \
	MOVQ  b_base+72(FP), BX; \
	MOVQ  k+136(FP), CX;     \
	TESTQ CX, CX;            \
	JZ    e

#define KNEXT28 \
	ADDQ R11, SI; \
	ADDQ R11, DI; \
	ADDQ R11, DX; \
	ADDQ R11, R13

// KEND28 puts C's row and ldc back.
#define KEND28 \
	MOVQ ctile-24(SP), DX; \
	MOVQ ldc+24(FP), R13;  \
	SHLQ $2, R13

// The epilogue works in passes over the tile's CX rows (1, 2, 4, 8 or
// 14), C's row r at BX + r·ldc (DX walks): the old C added to every row
// first (gemmAcc), then the tanh (gemmTanh), then the stores, so that no
// load of C follows a store whose vector reaches into the row it reads
// (with ldc not a multiple of 16 a row's masked store and the next row's
// load overlap, and the load waits for the store).
#define ACC2(s0, s1) \
	VADDPS (DX), s0, K1, s0;   \
	VADDPS 64(DX), s1, K2, s1; \
	ADDQ   R13, DX

#define ST2(s0, s1) \
	VMOVUPS s0, K1, (DX);   \
	VMOVUPS s1, K2, 64(DX); \
	ADDQ    R13, DX

#define TANH2(s0, s1) \
	TANH_AVX512(s0, Z28, Z29, Z30, Z31); \
	TANH_AVX512(s1, Z28, Z29, Z30, Z31)

#define ACC1(s0) \
	VADDPS (DX), s0, K1, s0; \
	ADDQ   R13, DX

#define ST1(s0) \
	VMOVUPS s0, K1, (DX); \
	ADDQ    R13, DX

#define TANH1(s0) TANH_AVX512(s0, Z28, Z29, Z30, Z31)

// PASS2/PASS1 apply the row macro OP to the tile's CX rows, then go to e.
#define PASS2(OP, e) \
	MOVQ BX, DX;    \
	OP(Z0, Z1);     \
	CMPQ CX, $1;    \
	JEQ  e;         \
	OP(Z2, Z3);     \
	CMPQ CX, $2;    \
	JEQ  e;         \
	OP(Z4, Z5);     \
	OP(Z6, Z7);     \
	CMPQ CX, $4;    \
	JEQ  e;         \
	OP(Z8, Z9);     \
	OP(Z10, Z11);   \
	OP(Z12, Z13);   \
	OP(Z14, Z15);   \
	CMPQ CX, $8;    \
	JEQ  e;         \
	OP(Z16, Z17);   \
	OP(Z18, Z19);   \
	OP(Z20, Z21);   \
	OP(Z22, Z23);   \
	OP(Z24, Z25);   \
	OP(Z26, Z27);   \
	JMP  e

#define PASS1(OP, e) \
	MOVQ BX, DX;  \
	OP(Z0);       \
	CMPQ CX, $1;  \
	JEQ  e;       \
	OP(Z1);       \
	CMPQ CX, $2;  \
	JEQ  e;       \
	OP(Z2);       \
	OP(Z3);       \
	CMPQ CX, $4;  \
	JEQ  e;       \
	OP(Z4);       \
	OP(Z5);       \
	OP(Z6);       \
	OP(Z7);       \
	CMPQ CX, $8;  \
	JEQ  e;       \
	OP(Z8);       \
	OP(Z9);       \
	OP(Z10);      \
	OP(Z11);      \
	OP(Z12);      \
	OP(Z13);      \
	CMPQ CX, $14; \
	JEQ  e;       \
	OP(Z14);      \
	OP(Z15);      \
	OP(Z16);      \
	OP(Z17);      \
	OP(Z18);      \
	OP(Z19);      \
	CMPQ CX, $20; \
	JEQ  e;       \
	OP(Z20);      \
	OP(Z21);      \
	OP(Z22);      \
	OP(Z23);      \
	OP(Z24);      \
	OP(Z25);      \
	OP(Z26);      \
	OP(Z27);      \
	JMP  e

// PACKSTEP is a k step of the 14-row tile with gemmPackB: the B row at BX
// loaded as LDB2 does and stored whole into p at AX (row stride 32 floats),
// then the tile's FMAs; CX counts down.
#define PACKSTEP \
	LDB2;                     \
	VMOVUPS Z28, (AX);        \
	VMOVUPS Z29, 64(AX);      \
	ADDQ    $128, AX;         \
	FMA2(A0, Z0, Z1);         \
	FMA2(A1, Z2, Z3);         \
	FMA2(A2, Z4, Z5);         \
	FMA2(A3, Z6, Z7);         \
	FMA2(A4, Z8, Z9);         \
	FMA2(A5, Z10, Z11);       \
	FMA2(A6, Z12, Z13);       \
	FMA2(A7, Z14, Z15);       \
	FMA2(A8, Z16, Z17);       \
	FMA2(A9, Z18, Z19);       \
	FMA2(A10, Z20, Z21);      \
	FMA2(A11, Z22, Z23);      \
	FMA2(A12, Z24, Z25);      \
	FMA2(A13, Z26, Z27);      \
	KNEXT;                    \
	DECQ    CX

// func gemmAVX512(c []float32, ldc int, a []float32, rsa, csa int, b []float32, ldb int, bias []float32, m, k, n, flags int, p []float32)
// Requires: AVX512F, AVX512DQ
//
// The contract is gemmAVX512's declaration in linear_avx512_amd64.go. Panels of
// n > 16 columns take two vectors a row, n ≤ 16 one. Rows go in tiles of
// 14 (with one vector: 28, then 20, then 14), then 8, 4, 2 and 1 for the
// rest; the tiles of 2 and 1 rows (and of 4 with one vector) split k into
// 2 or 4 interleaved sums, to keep at least 8 FMAs in flight. Every tile
// size ends in one epilogue per width, which finishes the tile's CX rows
// (accumulator of row r: Z2r, Z2r+1, or Zr).
//
// Registers: Z0-Z27 sums, Z28-Z29 B row, Z30 broadcast A, Z28-Z31 tanh
// scratch; K1, K2 column masks, K5, K6 the same or clear (gemmBias); SI/DI
// A rows 0/9, R8/R9/R10/R12 1/3/5/7 rsa, R11 csa, BX B (then C's tile),
// R14 ldb, CX k left (then the tile's rows), DX C row, R13 ldc (all strides
// in bytes; DX and R13 A rows 18 and 27 in the tiles of 20 and 28 rows), AX
// rows left; on the stack the tile's A, the bias (or, without one, any
// address the masks keep unread) and C's row. The first tile with
// gemmPackB keeps AX (p's row) and DX (the prefetches' row of b) for
// itself, rows left and C's row on the stack.
TEXT ·gemmAVX512(SB), NOSPLIT, $32-184
	MOVQ m+128(FP), AX
	TESTQ AX, AX
	JZ   done

	// Column masks: K1 = lanes below min(n, 16), K2 = lanes below n−16.
	MOVQ n+144(FP), DX
	MOVQ DX, CX
	CMPQ CX, $16
	JLE  mlo
	MOVQ $16, CX

mlo:
	MOVL $1, BX
	SHLL CX, BX
	DECL BX
	KMOVW BX, K1
	MOVQ DX, CX
	SUBQ $16, CX
	JGE  mhi
	XORQ CX, CX

mhi:
	MOVL $1, BX
	SHLL CX, BX
	DECL BX
	KMOVW BX, K2

	MOVQ flags+152(FP), BX
	KXORW K5, K5, K5
	KXORW K6, K6, K6
	MOVQ c_base+0(FP), CX
	TESTQ $const_gemmBias, BX
	JZ   nobias
	KMOVW K1, K5
	KMOVW K2, K6
	MOVQ bias_base+104(FP), CX

nobias:
	MOVQ CX, biasp-16(SP)
	MOVQ a_base+32(FP), SI
	MOVQ SI, atile-8(SP)
	MOVQ rsa+56(FP), R8
	SHLQ $2, R8
	LEAQ (R8)(R8*2), R9
	LEAQ (R8)(R8*4), R10
	LEAQ (R9)(R8*4), R12
	MOVQ csa+64(FP), R11
	SHLQ $2, R11
	MOVQ ldb+96(FP), R14
	SHLQ $2, R14
	MOVQ c_base+0(FP), DX
	MOVQ ldc+24(FP), R13
	SHLQ $2, R13
	CMPQ n+144(FP), $16
	JLE  w1

w2:
	CMPQ AX, $14
	JGE  w2r14
	CMPQ AX, $8
	JGE  w2r8
	CMPQ AX, $4
	JGE  w2r4
	CMPQ AX, $2
	JGE  w2r2
	TESTQ AX, AX
	JNZ  w2r1
	JMP  done

w2r14:
	BIAS2(Z0, Z1)
	VMOVAPS Z0, Z2
	VMOVAPS Z1, Z3
	VMOVAPS Z0, Z4
	VMOVAPS Z1, Z5
	VMOVAPS Z0, Z6
	VMOVAPS Z1, Z7
	VMOVAPS Z0, Z8
	VMOVAPS Z1, Z9
	VMOVAPS Z0, Z10
	VMOVAPS Z1, Z11
	VMOVAPS Z0, Z12
	VMOVAPS Z1, Z13
	VMOVAPS Z0, Z14
	VMOVAPS Z1, Z15
	VMOVAPS Z0, Z16
	VMOVAPS Z1, Z17
	VMOVAPS Z0, Z18
	VMOVAPS Z1, Z19
	VMOVAPS Z0, Z20
	VMOVAPS Z1, Z21
	VMOVAPS Z0, Z22
	VMOVAPS Z1, Z23
	VMOVAPS Z0, Z24
	VMOVAPS Z1, Z25
	VMOVAPS Z0, Z26
	VMOVAPS Z1, Z27
	PREFC14(w2r14p)
	TESTQ $const_gemmPackB, flags+152(FP)
	JNZ   w2r14pack
	KSTART(w2r14e)

w2r14k:
	LDB2
	FMA2(A0, Z0, Z1)
	FMA2(A1, Z2, Z3)
	FMA2(A2, Z4, Z5)
	FMA2(A3, Z6, Z7)
	FMA2(A4, Z8, Z9)
	FMA2(A5, Z10, Z11)
	FMA2(A6, Z12, Z13)
	FMA2(A7, Z14, Z15)
	FMA2(A8, Z16, Z17)
	FMA2(A9, Z18, Z19)
	FMA2(A10, Z20, Z21)
	FMA2(A11, Z22, Z23)
	FMA2(A12, Z24, Z25)
	FMA2(A13, Z26, Z27)
	KNEXT
	DECQ CX
	JNZ  w2r14k

w2r14e:
	MOVQ $14, CX
	JMP  epi2

	// The first tile with gemmPackB: each B row is also stored, 32 floats
	// (the lanes past n zero), into p, which every later tile then reads
	// instead of b (b_base and R14 changed, the flag cleared). b is read
	// from memory, often at a row stride that defeats the hardware's
	// prefetchers, and the copy runs beside the tile's FMAs only if its
	// rows arrive in time: DX, C's row meanwhile on the stack, runs
	// packAhead rows ahead of BX for prefetches of columns 0 and 16 (both
	// inside b, as n > 20), in a loop that runs while more than packAhead
	// rows are left, so that they end at the panel's last row.
w2r14pack:
	MOVQ AX, rows-32(SP)
	MOVQ DX, ctile-24(SP)
	MOVQ p_base+160(FP), AX
	KSTART(w2r14pe)
	IMUL3Q $const_packAhead, R14, DX
	ADDQ BX, DX
	CMPQ CX, $const_packAhead
	JLE  w2r14pt

w2r14pk:
	PREFETCHT0 (DX)
	PREFETCHT0 64(DX)
	ADDQ R14, DX
	PACKSTEP
	CMPQ CX, $const_packAhead
	JG   w2r14pk

w2r14pt:
	PACKSTEP
	TESTQ CX, CX
	JNZ  w2r14pt

w2r14pe:
	MOVQ  ctile-24(SP), DX
	MOVQ  rows-32(SP), AX
	MOVQ  p_base+160(FP), BX
	MOVQ  BX, b_base+72(FP)
	MOVQ  $128, R14
	ANDQ  $~const_gemmPackB, flags+152(FP)
	MOVQ  $14, CX
	JMP   epi2

w2r8:
	BIAS2(Z0, Z1)
	VMOVAPS Z0, Z2
	VMOVAPS Z1, Z3
	VMOVAPS Z0, Z4
	VMOVAPS Z1, Z5
	VMOVAPS Z0, Z6
	VMOVAPS Z1, Z7
	VMOVAPS Z0, Z8
	VMOVAPS Z1, Z9
	VMOVAPS Z0, Z10
	VMOVAPS Z1, Z11
	VMOVAPS Z0, Z12
	VMOVAPS Z1, Z13
	VMOVAPS Z0, Z14
	VMOVAPS Z1, Z15
	KSTART(w2r8e)

w2r8k:
	LDB2
	FMA2(A0, Z0, Z1)
	FMA2(A1, Z2, Z3)
	FMA2(A2, Z4, Z5)
	FMA2(A3, Z6, Z7)
	FMA2(A4, Z8, Z9)
	FMA2(A5, Z10, Z11)
	FMA2(A6, Z12, Z13)
	FMA2(A7, Z14, Z15)
	KNEXT
	DECQ CX
	JNZ  w2r8k

w2r8e:
	MOVQ $8, CX
	JMP  epi2

w2r4:
	BIAS2(Z0, Z1)
	VMOVAPS Z0, Z2
	VMOVAPS Z1, Z3
	VMOVAPS Z0, Z4
	VMOVAPS Z1, Z5
	VMOVAPS Z0, Z6
	VMOVAPS Z1, Z7
	KSTART(w2r4e)

w2r4k:
	LDB2
	FMA2(A0, Z0, Z1)
	FMA2(A1, Z2, Z3)
	FMA2(A2, Z4, Z5)
	FMA2(A3, Z6, Z7)
	KNEXT
	DECQ CX
	JNZ  w2r4k

w2r4e:
	MOVQ $4, CX
	JMP  epi2

	// Two rows: even k steps into Z0-Z3, odd ones into Z4-Z7.
w2r2:
	BIAS2(Z0, Z1)
	VMOVAPS Z0, Z2
	VMOVAPS Z1, Z3
	NEGZ(Z4)
	VMOVAPS Z4, Z5
	VMOVAPS Z4, Z6
	VMOVAPS Z4, Z7
	KSTART(w2r2e)
	SHRQ $1, CX
	JZ   w2r2o

w2r2k:
	LDB2
	FMA2(A0, Z0, Z1)
	FMA2(A1, Z2, Z3)
	KNEXT
	LDB2
	FMA2(A0, Z4, Z5)
	FMA2(A1, Z6, Z7)
	KNEXT
	DECQ CX
	JNZ  w2r2k

w2r2o:
	TESTQ $1, k+136(FP)
	JZ   w2r2e
	LDB2
	FMA2(A0, Z0, Z1)
	FMA2(A1, Z2, Z3)

w2r2e:
	VADDPS Z4, Z0, Z0
	VADDPS Z5, Z1, Z1
	VADDPS Z6, Z2, Z2
	VADDPS Z7, Z3, Z3
	MOVQ $2, CX
	JMP  epi2

	// One row: k step i into sums i%4 (Z0-Z1, Z2-Z3, Z4-Z5, Z6-Z7).
w2r1:
	BIAS2(Z0, Z1)
	NEGZ(Z2)
	VMOVAPS Z2, Z3
	VMOVAPS Z2, Z4
	VMOVAPS Z2, Z5
	VMOVAPS Z2, Z6
	VMOVAPS Z2, Z7
	KSTART(w2r1e)
	SHRQ $2, CX
	JZ   w2r1o

w2r1k:
	LDB2
	FMA2(A0, Z0, Z1)
	KNEXT
	LDB2
	FMA2(A0, Z2, Z3)
	KNEXT
	LDB2
	FMA2(A0, Z4, Z5)
	KNEXT
	LDB2
	FMA2(A0, Z6, Z7)
	KNEXT
	DECQ CX
	JNZ  w2r1k

w2r1o:
	MOVQ k+136(FP), CX
	ANDQ $3, CX
	JZ   w2r1e

w2r1r:
	LDB2
	FMA2(A0, Z0, Z1)
	KNEXT
	DECQ CX
	JNZ  w2r1r

w2r1e:
	VADDPS Z2, Z0, Z0
	VADDPS Z6, Z4, Z4
	VADDPS Z4, Z0, Z0
	VADDPS Z3, Z1, Z1
	VADDPS Z7, Z5, Z5
	VADDPS Z5, Z1, Z1
	MOVQ $1, CX
	JMP  epi2

	// The epilogue of a two-vector tile of CX rows.
epi2:
	MOVQ  DX, BX
	MOVQ  flags+152(FP), SI
	TESTQ $const_gemmAcc, SI
	JZ    epi2t
	PASS2(ACC2, epi2t)

epi2t:
	TESTQ $const_gemmTanh, SI
	JZ    epi2s
	PASS2(TANH2, epi2s)

epi2s:
	PASS2(ST2, next2)

next2:
	SUBQ  CX, AX
	IMULQ R8, CX
	ADDQ  CX, atile-8(SP)
	JMP   w2

w1:
	CMPQ AX, $28
	JGE  w1r28
	CMPQ AX, $20
	JGE  w1r20
	CMPQ AX, $14
	JGE  w1r14
	CMPQ AX, $8
	JGE  w1r8
	CMPQ AX, $4
	JGE  w1r4
	CMPQ AX, $2
	JGE  w1r2
	TESTQ AX, AX
	JNZ  w1r1
	JMP  done

w1r28:
	BIAS1(Z0)
	VMOVAPS Z0, Z1
	VMOVAPS Z0, Z2
	VMOVAPS Z0, Z3
	VMOVAPS Z0, Z4
	VMOVAPS Z0, Z5
	VMOVAPS Z0, Z6
	VMOVAPS Z0, Z7
	VMOVAPS Z0, Z8
	VMOVAPS Z0, Z9
	VMOVAPS Z0, Z10
	VMOVAPS Z0, Z11
	VMOVAPS Z0, Z12
	VMOVAPS Z0, Z13
	VMOVAPS Z0, Z14
	VMOVAPS Z0, Z15
	VMOVAPS Z0, Z16
	VMOVAPS Z0, Z17
	VMOVAPS Z0, Z18
	VMOVAPS Z0, Z19
	VMOVAPS Z0, Z20
	VMOVAPS Z0, Z21
	VMOVAPS Z0, Z22
	VMOVAPS Z0, Z23
	VMOVAPS Z0, Z24
	VMOVAPS Z0, Z25
	VMOVAPS Z0, Z26
	VMOVAPS Z0, Z27
	PREFC28(w1r28p)
	KSTART28(w1r28e)

w1r28k:
	LDB1
	FMA1(A0, Z0)
	FMA1(A1, Z1)
	FMA1(A2, Z2)
	FMA1(A3, Z3)
	FMA1(A4, Z4)
	FMA1(A5, Z5)
	FMA1(A6, Z6)
	FMA1(A7, Z7)
	FMA1(A8, Z8)
	FMA1(A9, Z9)
	FMA1(A10, Z10)
	FMA1(A11, Z11)
	FMA1(A12, Z12)
	FMA1(A13, Z13)
	FMA1(A14, Z14)
	FMA1(A15, Z15)
	FMA1(A16, Z16)
	FMA1(A17, Z17)
	FMA1(A18, Z18)
	FMA1(A19, Z19)
	FMA1(A20, Z20)
	FMA1(A21, Z21)
	FMA1(A22, Z22)
	FMA1(A23, Z23)
	FMA1(A24, Z24)
	FMA1(A25, Z25)
	FMA1(A26, Z26)
	FMA1(A27, Z27)
	KNEXT28
	DECQ CX
	JNZ  w1r28k

w1r28e:
	KEND28
	MOVQ $28, CX
	JMP  epi1

w1r20:
	BIAS1(Z0)
	VMOVAPS Z0, Z1
	VMOVAPS Z0, Z2
	VMOVAPS Z0, Z3
	VMOVAPS Z0, Z4
	VMOVAPS Z0, Z5
	VMOVAPS Z0, Z6
	VMOVAPS Z0, Z7
	VMOVAPS Z0, Z8
	VMOVAPS Z0, Z9
	VMOVAPS Z0, Z10
	VMOVAPS Z0, Z11
	VMOVAPS Z0, Z12
	VMOVAPS Z0, Z13
	VMOVAPS Z0, Z14
	VMOVAPS Z0, Z15
	VMOVAPS Z0, Z16
	VMOVAPS Z0, Z17
	VMOVAPS Z0, Z18
	VMOVAPS Z0, Z19
	KSTART28(w1r20e)

w1r20k:
	LDB1
	FMA1(A0, Z0)
	FMA1(A1, Z1)
	FMA1(A2, Z2)
	FMA1(A3, Z3)
	FMA1(A4, Z4)
	FMA1(A5, Z5)
	FMA1(A6, Z6)
	FMA1(A7, Z7)
	FMA1(A8, Z8)
	FMA1(A9, Z9)
	FMA1(A10, Z10)
	FMA1(A11, Z11)
	FMA1(A12, Z12)
	FMA1(A13, Z13)
	FMA1(A14, Z14)
	FMA1(A15, Z15)
	FMA1(A16, Z16)
	FMA1(A17, Z17)
	FMA1(A18, Z18)
	FMA1(A19, Z19)
	KNEXT28
	DECQ CX
	JNZ  w1r20k

w1r20e:
	KEND28
	MOVQ $20, CX
	JMP  epi1

w1r14:
	BIAS1(Z0)
	VMOVAPS Z0, Z1
	VMOVAPS Z0, Z2
	VMOVAPS Z0, Z3
	VMOVAPS Z0, Z4
	VMOVAPS Z0, Z5
	VMOVAPS Z0, Z6
	VMOVAPS Z0, Z7
	VMOVAPS Z0, Z8
	VMOVAPS Z0, Z9
	VMOVAPS Z0, Z10
	VMOVAPS Z0, Z11
	VMOVAPS Z0, Z12
	VMOVAPS Z0, Z13
	KSTART(w1r14e)

w1r14k:
	LDB1
	FMA1(A0, Z0)
	FMA1(A1, Z1)
	FMA1(A2, Z2)
	FMA1(A3, Z3)
	FMA1(A4, Z4)
	FMA1(A5, Z5)
	FMA1(A6, Z6)
	FMA1(A7, Z7)
	FMA1(A8, Z8)
	FMA1(A9, Z9)
	FMA1(A10, Z10)
	FMA1(A11, Z11)
	FMA1(A12, Z12)
	FMA1(A13, Z13)
	KNEXT
	DECQ CX
	JNZ  w1r14k

w1r14e:
	MOVQ $14, CX
	JMP  epi1

w1r8:
	BIAS1(Z0)
	VMOVAPS Z0, Z1
	VMOVAPS Z0, Z2
	VMOVAPS Z0, Z3
	VMOVAPS Z0, Z4
	VMOVAPS Z0, Z5
	VMOVAPS Z0, Z6
	VMOVAPS Z0, Z7
	KSTART(w1r8e)

w1r8k:
	LDB1
	FMA1(A0, Z0)
	FMA1(A1, Z1)
	FMA1(A2, Z2)
	FMA1(A3, Z3)
	FMA1(A4, Z4)
	FMA1(A5, Z5)
	FMA1(A6, Z6)
	FMA1(A7, Z7)
	KNEXT
	DECQ CX
	JNZ  w1r8k

w1r8e:
	MOVQ $8, CX
	JMP  epi1

	// Four rows: even k steps into Z0-Z3, odd ones into Z4-Z7.
w1r4:
	BIAS1(Z0)
	VMOVAPS Z0, Z1
	VMOVAPS Z0, Z2
	VMOVAPS Z0, Z3
	NEGZ(Z4)
	VMOVAPS Z4, Z5
	VMOVAPS Z4, Z6
	VMOVAPS Z4, Z7
	KSTART(w1r4e)
	SHRQ $1, CX
	JZ   w1r4o

w1r4k:
	LDB1
	FMA1(A0, Z0)
	FMA1(A1, Z1)
	FMA1(A2, Z2)
	FMA1(A3, Z3)
	KNEXT
	LDB1
	FMA1(A0, Z4)
	FMA1(A1, Z5)
	FMA1(A2, Z6)
	FMA1(A3, Z7)
	KNEXT
	DECQ CX
	JNZ  w1r4k

w1r4o:
	TESTQ $1, k+136(FP)
	JZ   w1r4e
	LDB1
	FMA1(A0, Z0)
	FMA1(A1, Z1)
	FMA1(A2, Z2)
	FMA1(A3, Z3)

w1r4e:
	VADDPS Z4, Z0, Z0
	VADDPS Z5, Z1, Z1
	VADDPS Z6, Z2, Z2
	VADDPS Z7, Z3, Z3
	MOVQ $4, CX
	JMP  epi1

	// Two rows: k step i into sums i%4 (Z0-Z1, Z2-Z3, Z4-Z5, Z6-Z7).
w1r2:
	BIAS1(Z0)
	VMOVAPS Z0, Z1
	NEGZ(Z2)
	VMOVAPS Z2, Z3
	VMOVAPS Z2, Z4
	VMOVAPS Z2, Z5
	VMOVAPS Z2, Z6
	VMOVAPS Z2, Z7
	KSTART(w1r2e)
	SHRQ $2, CX
	JZ   w1r2o

w1r2k:
	LDB1
	FMA1(A0, Z0)
	FMA1(A1, Z1)
	KNEXT
	LDB1
	FMA1(A0, Z2)
	FMA1(A1, Z3)
	KNEXT
	LDB1
	FMA1(A0, Z4)
	FMA1(A1, Z5)
	KNEXT
	LDB1
	FMA1(A0, Z6)
	FMA1(A1, Z7)
	KNEXT
	DECQ CX
	JNZ  w1r2k

w1r2o:
	MOVQ k+136(FP), CX
	ANDQ $3, CX
	JZ   w1r2e

w1r2r:
	LDB1
	FMA1(A0, Z0)
	FMA1(A1, Z1)
	KNEXT
	DECQ CX
	JNZ  w1r2r

w1r2e:
	VADDPS Z2, Z0, Z0
	VADDPS Z6, Z4, Z4
	VADDPS Z4, Z0, Z0
	VADDPS Z3, Z1, Z1
	VADDPS Z7, Z5, Z5
	VADDPS Z5, Z1, Z1
	MOVQ $2, CX
	JMP  epi1

	// One row: k step i into sums i%4 (Z0, Z1, Z2, Z3).
w1r1:
	BIAS1(Z0)
	NEGZ(Z1)
	VMOVAPS Z1, Z2
	VMOVAPS Z1, Z3
	KSTART(w1r1e)
	SHRQ $2, CX
	JZ   w1r1o

w1r1k:
	LDB1
	FMA1(A0, Z0)
	KNEXT
	LDB1
	FMA1(A0, Z1)
	KNEXT
	LDB1
	FMA1(A0, Z2)
	KNEXT
	LDB1
	FMA1(A0, Z3)
	KNEXT
	DECQ CX
	JNZ  w1r1k

w1r1o:
	MOVQ k+136(FP), CX
	ANDQ $3, CX
	JZ   w1r1e

w1r1r:
	LDB1
	FMA1(A0, Z0)
	KNEXT
	DECQ CX
	JNZ  w1r1r

w1r1e:
	VADDPS Z1, Z0, Z0
	VADDPS Z3, Z2, Z2
	VADDPS Z2, Z0, Z0
	MOVQ $1, CX
	JMP  epi1

	// The epilogue of a one-vector tile of CX rows.
epi1:
	MOVQ  DX, BX
	MOVQ  flags+152(FP), SI
	TESTQ $const_gemmAcc, SI
	JZ    epi1t
	PASS1(ACC1, epi1t)

epi1t:
	TESTQ $const_gemmTanh, SI
	JZ    epi1s
	PASS1(TANH1, epi1s)

epi1s:
	PASS1(ST1, next1)

next1:
	SUBQ  CX, AX
	IMULQ R8, CX
	ADDQ  CX, atile-8(SP)
	JMP   w1

done:
	VZEROUPPER
	RET
