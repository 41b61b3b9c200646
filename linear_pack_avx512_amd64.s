//go:build !purego

#include "textflag.h"
#include "asm_amd64.h"

// T1: transpose step 1, rows 2i and 2i+1 (Z2i, Z2i+1) unpacked into
// t = Z16+2i, Z17+2i.
#define T1(r0, r1, t0, t1) \
	VUNPCKLPS r1, r0, t0; \
	VUNPCKHPS r1, r0, t1

// T2: step 2 for a group of four rows (their step-1 results t0-t3): u0-u3
// hold the group's columns c, c+4, c+8, c+12 for c = 0-3, one per vector.
#define T2(t0, t1, t2, t3, u0, u1, u2, u3) \
	VSHUFPS $0x44, t2, t0, u0; \
	VSHUFPS $0xee, t2, t0, u1; \
	VSHUFPS $0x44, t3, t1, u2; \
	VSHUFPS $0xee, t3, t1, u3

// T34: steps 3 and 4 for the columns c, c+4, c+8, c+12 of all 16 rows
// (u0, u4, u8, u12 of step 2), into those vectors (column c in u0, c+4 in
// u4, c+8 in u8, c+12 in u12), with v0-v3 scratch.
#define T34(u0, u4, u8, u12, v0, v1, v2, v3) \
	VSHUFF32X4 $0x88, u4, u0, v0;  \
	VSHUFF32X4 $0xdd, u4, u0, v1;  \
	VSHUFF32X4 $0x88, u12, u8, v2; \
	VSHUFF32X4 $0xdd, u12, u8, v3; \
	VSHUFF32X4 $0x88, v2, v0, u0;  \
	VSHUFF32X4 $0xdd, v2, v0, u8;  \
	VSHUFF32X4 $0x88, v3, v1, u4;  \
	VSHUFF32X4 $0xdd, v3, v1, u12

// LDROW loads row r of the block (k columns masked by K1) from SI and steps
// SI to the next row; after the block's last row it jumps to transpose.
#define LDROW(r, i) \
	VMOVUPS.Z (SI), K1, r; \
	ADDQ      R8, SI;      \
	CMPQ      BX, $i;      \
	JEQ       transpose

// STROW stores result row r (the block's n columns, masked by K2) at DI
// and steps DI to the next row of p; after the block's last row it jumps
// to stored.
#define STROW(r, i) \
	VMOVUPS r, K2, (DI); \
	ADDQ    R9, DI;      \
	CMPQ    CX, $i;      \
	JEQ     stored

// func packAVX512(p, w []float32, ld, kc, n, ldp int)
// Requires: AVX512F
//
// The contract is packAVX512's declaration in linear_amd64.go. Blocks of 16
// rows of w × 16 of its columns are loaded (masked to the columns below kc,
// the rows past n zero), transposed in registers (unpack, shuffle, two
// 128-bit lane shuffles) and stored as up to 16 rows of p, masked to the
// n columns.
//
// Registers: Z0-Z15 rows, Z16-Z31 scratch; K1 column mask of w (the block's
// k), K2 of p (the block's n); SI w row, DI p row, R8 ld, R9 ldp (bytes),
// R10 w at the block, R11 p at the block, R12 k0, R13 j0, BX rows of the
// block, CX k columns of the block, AX scratch.
TEXT ·packAVX512(SB), NOSPLIT, $0-80
	MOVQ ld+48(FP), R8
	SHLQ $2, R8
	MOVQ ldp+72(FP), R9
	SHLQ $2, R9
	XORQ R13, R13

jblock:
	MOVQ n+64(FP), BX
	SUBQ R13, BX
	JLE  done
	CMPQ BX, $16
	JLE  jmask
	MOVQ $16, BX

jmask:
	MOVQ BX, CX
	MOVL $1, AX
	SHLL CX, AX
	DECL AX
	KMOVW AX, K2
	XORQ R12, R12

kblock:
	MOVQ kc+56(FP), CX
	SUBQ R12, CX
	JLE  jnext
	CMPQ CX, $16
	JLE  kmask
	MOVQ $16, CX

kmask:
	MOVL $1, AX
	SHLL CX, AX
	DECL AX
	KMOVW AX, K1

	// SI = &w[(j0)*ld + k0]
	MOVQ R13, AX
	IMULQ R8, AX
	MOVQ w_base+24(FP), SI
	ADDQ AX, SI
	LEAQ (SI)(R12*4), SI
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	VPXORD Z4, Z4, Z4
	VPXORD Z5, Z5, Z5
	VPXORD Z6, Z6, Z6
	VPXORD Z7, Z7, Z7
	VPXORD Z8, Z8, Z8
	VPXORD Z9, Z9, Z9
	VPXORD Z10, Z10, Z10
	VPXORD Z11, Z11, Z11
	VPXORD Z12, Z12, Z12
	VPXORD Z13, Z13, Z13
	VPXORD Z14, Z14, Z14
	VPXORD Z15, Z15, Z15
	LDROW(Z0, 1)
	LDROW(Z1, 2)
	LDROW(Z2, 3)
	LDROW(Z3, 4)
	LDROW(Z4, 5)
	LDROW(Z5, 6)
	LDROW(Z6, 7)
	LDROW(Z7, 8)
	LDROW(Z8, 9)
	LDROW(Z9, 10)
	LDROW(Z10, 11)
	LDROW(Z11, 12)
	LDROW(Z12, 13)
	LDROW(Z13, 14)
	LDROW(Z14, 15)
	LDROW(Z15, 16)

transpose:
	T1(Z0, Z1, Z16, Z17)
	T1(Z2, Z3, Z18, Z19)
	T1(Z4, Z5, Z20, Z21)
	T1(Z6, Z7, Z22, Z23)
	T1(Z8, Z9, Z24, Z25)
	T1(Z10, Z11, Z26, Z27)
	T1(Z12, Z13, Z28, Z29)
	T1(Z14, Z15, Z30, Z31)
	T2(Z16, Z17, Z18, Z19, Z0, Z1, Z2, Z3)
	T2(Z20, Z21, Z22, Z23, Z4, Z5, Z6, Z7)
	T2(Z24, Z25, Z26, Z27, Z8, Z9, Z10, Z11)
	T2(Z28, Z29, Z30, Z31, Z12, Z13, Z14, Z15)
	T34(Z0, Z4, Z8, Z12, Z16, Z17, Z18, Z19)
	T34(Z1, Z5, Z9, Z13, Z20, Z21, Z22, Z23)
	T34(Z2, Z6, Z10, Z14, Z24, Z25, Z26, Z27)
	T34(Z3, Z7, Z11, Z15, Z28, Z29, Z30, Z31)

	// DI = &p[k0*ldp + j0]
	MOVQ R12, AX
	IMULQ R9, AX
	MOVQ p_base+0(FP), DI
	ADDQ AX, DI
	LEAQ (DI)(R13*4), DI
	STROW(Z0, 1)
	STROW(Z1, 2)
	STROW(Z2, 3)
	STROW(Z3, 4)
	STROW(Z4, 5)
	STROW(Z5, 6)
	STROW(Z6, 7)
	STROW(Z7, 8)
	STROW(Z8, 9)
	STROW(Z9, 10)
	STROW(Z10, 11)
	STROW(Z11, 12)
	STROW(Z12, 13)
	STROW(Z13, 14)
	STROW(Z14, 15)
	STROW(Z15, 16)

stored:
	ADDQ $16, R12
	JMP  kblock

jnext:
	ADDQ $16, R13
	JMP  jblock

done:
	VZEROUPPER
	RET

// func copyPanelAVX512(p, b []float32, ldb, kc, n int)
// Requires: AVX512F
//
// The contract is copyPanelAVX512's declaration in linear_amd64.go: a row of up
// to 32 floats a step, loads and stores masked to the n columns.
//
// Registers: Z0-Z1 row, K1-K2 column masks, SI b, DI p, R8 ldb in bytes,
// CX rows left.
TEXT ·copyPanelAVX512(SB), NOSPLIT, $0-72
	MOVQ p_base+0(FP), DI
	MOVQ b_base+24(FP), SI
	MOVQ ldb+48(FP), R8
	SHLQ $2, R8
	MOVQ n+64(FP), DX
	MOVQ DX, CX
	CMPQ CX, $16
	JLE  clo
	MOVQ $16, CX

clo:
	MOVL $1, AX
	SHLL CX, AX
	DECL AX
	KMOVW AX, K1
	MOVQ DX, CX
	SUBQ $16, CX
	JGE  chi
	XORQ CX, CX

chi:
	MOVL $1, AX
	SHLL CX, AX
	DECL AX
	KMOVW AX, K2
	MOVQ kc+56(FP), CX
	TESTQ CX, CX
	JZ   copied

crow:
	VMOVUPS.Z (SI), K1, Z0
	VMOVUPS.Z 64(SI), K2, Z1
	VMOVUPS Z0, K1, (DI)
	VMOVUPS Z1, K2, 64(DI)
	ADDQ R8, SI
	ADDQ $128, DI
	DECQ CX
	JNZ  crow

copied:
	VZEROUPPER
	RET
