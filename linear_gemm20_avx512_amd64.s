//go:build !purego

#include "textflag.h"
#include "asm_amd64.h"
#include "vecmath_avx512_amd64.h"

// GEMM for panels 17 to 20 columns wide (n = 16 + t): a row of C is one
// whole vector (columns 0-15) and t more columns, and the t columns of
// four rows share one vector, four lanes a row (lanes 4i to 4i+t−1 for row
// i of the group), so that a k step of four rows is 5 FMAs instead of the 8
// a two-vector row takes. B's columns 16-19 are broadcast to the four
// 128-bit blocks (VBROADCASTF32X4: B is a packed panel, 20 floats of a row
// readable) and the group's four A broadcasts blended into one vector.

// A rows of a tile: row r at A0..A15 (SI = row 0, DI = row 9; R8 = rsa,
// R9 = 3·rsa, R10 = 5·rsa, R12 = 7·rsa, all in bytes).
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
#define A14 (DI)(R10*1)
#define A15 (DI)(R9*2)

// LDB loads B's row at BX: columns 0-15 into Z28, 16-19 into each block of
// Z29; and steps BX.
#define LDB \
	VMOVUPS         (BX), Z28;   \
	VBROADCASTF32X4 64(BX), Z29; \
	ADDQ            R14, BX

// GRP: one k step of a group of four rows whose A elements are at m0-m3:
// row sums c0-c3 (columns 0-15), the group's shared sum s (columns 16 on).
#define GRP(m0, m1, m2, m3, c0, c1, c2, c3, s) \
	VBROADCASTSS m0, Z20;          \
	VFMADD231PS  Z28, Z20, c0;     \
	VBROADCASTSS m1, Z21;          \
	VFMADD231PS  Z28, Z21, c1;     \
	VBROADCASTSS m2, Z22;          \
	VFMADD231PS  Z28, Z22, c2;     \
	VBROADCASTSS m3, Z23;          \
	VFMADD231PS  Z28, Z23, c3;     \
	VBLENDMPS    Z21, Z20, K1, Z24; \
	VMOVAPS      Z22, K2, Z24;     \
	VMOVAPS      Z23, K3, Z24;     \
	VFMADD231PS  Z29, Z24, s

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

// INIT(c0, c1, c2, c3, s): a group's sums start at the bias (Z26 for
// columns 0-15, Z27 the rest in every block) or 0.
#define INIT(c0, c1, c2, c3, s) \
	VMOVAPS Z26, c0; \
	VMOVAPS Z26, c1; \
	VMOVAPS Z26, c2; \
	VMOVAPS Z26, c3; \
	VMOVAPS Z27, s

// The epilogue's passes over a group of four rows of C from DX (row
// stride R13): GACC adds the old C (the t columns masked by K7, gathered
// into the blocks of Z25), GTANH applies tanh, GST stores.
#define GACC(c0, c1, c2, c3, s) \
	VADDPS       (DX), c0, c0;          \
	VMOVUPS.Z    64(DX), K7, X25;       \
	ADDQ         R13, DX;               \
	VADDPS       (DX), c1, c1;          \
	VMOVUPS.Z    64(DX), K7, X24;       \
	VINSERTF32X4 $1, X24, Z25, Z25;     \
	ADDQ         R13, DX;               \
	VADDPS       (DX), c2, c2;          \
	VMOVUPS.Z    64(DX), K7, X24;       \
	VINSERTF32X4 $2, X24, Z25, Z25;     \
	ADDQ         R13, DX;               \
	VADDPS       (DX), c3, c3;          \
	VMOVUPS.Z    64(DX), K7, X24;       \
	VINSERTF32X4 $3, X24, Z25, Z25;     \
	ADDQ         R13, DX;               \
	VADDPS       Z25, s, s

#define GTANH(c0, c1, c2, c3, s) \
	TANH_AVX512(c0, Z28, Z29, Z30, Z31); \
	TANH_AVX512(c1, Z28, Z29, Z30, Z31); \
	TANH_AVX512(c2, Z28, Z29, Z30, Z31); \
	TANH_AVX512(c3, Z28, Z29, Z30, Z31); \
	TANH_AVX512(s, Z28, Z29, Z30, Z31)

// GST stores the four rows: each one's columns 16 to n−1, lane group i
// of s, are extracted to X24 and stored with K7's mask. A masked
// VEXTRACTF32X4 straight to memory is not enough: Zen 5 faults on its
// masked-off lanes where they cross into an unmapped page, past the end
// of C, where a masked VMOVUPS does not.
#define GST(c0, c1, c2, c3, s) \
	VMOVUPS       c0, (DX);           \
	VEXTRACTF32X4 $0, s, X24;         \
	VMOVUPS       X24, K7, 64(DX);    \
	ADDQ          R13, DX;            \
	VMOVUPS       c1, (DX);           \
	VEXTRACTF32X4 $1, s, X24;         \
	VMOVUPS       X24, K7, 64(DX);    \
	ADDQ          R13, DX;            \
	VMOVUPS       c2, (DX);           \
	VEXTRACTF32X4 $2, s, X24;         \
	VMOVUPS       X24, K7, 64(DX);    \
	ADDQ          R13, DX;            \
	VMOVUPS       c3, (DX);           \
	VEXTRACTF32X4 $3, s, X24;         \
	VMOVUPS       X24, K7, 64(DX);    \
	ADDQ          R13, DX

// GSTC stores the four rows of a group as GST does, where C's rows are 20
// floats and contiguous (n = ldc = 20): the group's 80 floats are five
// whole vectors, c0 then four assembled by VPERMT2PS from the row sums and
// the shared sum s (lane group i of s is row i's columns 16-19), with the
// index vectors of ·g20Pack in Z20-Z25: five full stores instead of four,
// four extracts and four masked stores, which with rows 80 bytes apart
// mostly straddle cache lines. Z30 is scratch.
//
//	v1 = s[0:4]   c1[0:12]             (Z20)
//	v2 = c1[12:16] s[4:8]  c2[0:8]     (Z21, then Z22)
//	v3 = c2[8:16]  s[8:12] c3[0:4]     (Z23, then Z24)
//	v4 = c3[4:16]  s[12:16]            (Z25)
#define GSTC(c0, c1, c2, c3, s) \
	VMOVUPS    c0, (DX);      \
	VMOVAPS    s, Z30;        \
	VPERMT2PS  c1, Z20, Z30;  \
	VMOVUPS    Z30, 64(DX);   \
	VMOVAPS    c1, Z30;       \
	VPERMT2PS  s, Z21, Z30;   \
	VPERMT2PS  c2, Z22, Z30;  \
	VMOVUPS    Z30, 128(DX);  \
	VMOVAPS    c2, Z30;       \
	VPERMT2PS  s, Z23, Z30;   \
	VPERMT2PS  c3, Z24, Z30;  \
	VMOVUPS    Z30, 192(DX);  \
	VMOVAPS    c3, Z30;       \
	VPERMT2PS  s, Z25, Z30;   \
	VMOVUPS    Z30, 256(DX);  \
	LEAQ       (DX)(R13*4), DX

// ·g20Pack: GSTC's index vectors (an index below 16 takes the lane of the
// first table, the one VPERMT2PS overwrites; 16 on, of the second). The
// lanes of Z21 and Z23 that the second permute replaces hold 0.
DATA ·g20Pack+0(SB)/4, $0
DATA ·g20Pack+4(SB)/4, $1
DATA ·g20Pack+8(SB)/4, $2
DATA ·g20Pack+12(SB)/4, $3
DATA ·g20Pack+16(SB)/4, $16
DATA ·g20Pack+20(SB)/4, $17
DATA ·g20Pack+24(SB)/4, $18
DATA ·g20Pack+28(SB)/4, $19
DATA ·g20Pack+32(SB)/4, $20
DATA ·g20Pack+36(SB)/4, $21
DATA ·g20Pack+40(SB)/4, $22
DATA ·g20Pack+44(SB)/4, $23
DATA ·g20Pack+48(SB)/4, $24
DATA ·g20Pack+52(SB)/4, $25
DATA ·g20Pack+56(SB)/4, $26
DATA ·g20Pack+60(SB)/4, $27
DATA ·g20Pack+64(SB)/4, $12
DATA ·g20Pack+68(SB)/4, $13
DATA ·g20Pack+72(SB)/4, $14
DATA ·g20Pack+76(SB)/4, $15
DATA ·g20Pack+80(SB)/4, $20
DATA ·g20Pack+84(SB)/4, $21
DATA ·g20Pack+88(SB)/4, $22
DATA ·g20Pack+92(SB)/4, $23
DATA ·g20Pack+96(SB)/4, $0
DATA ·g20Pack+100(SB)/4, $0
DATA ·g20Pack+104(SB)/4, $0
DATA ·g20Pack+108(SB)/4, $0
DATA ·g20Pack+112(SB)/4, $0
DATA ·g20Pack+116(SB)/4, $0
DATA ·g20Pack+120(SB)/4, $0
DATA ·g20Pack+124(SB)/4, $0
DATA ·g20Pack+128(SB)/4, $0
DATA ·g20Pack+132(SB)/4, $1
DATA ·g20Pack+136(SB)/4, $2
DATA ·g20Pack+140(SB)/4, $3
DATA ·g20Pack+144(SB)/4, $4
DATA ·g20Pack+148(SB)/4, $5
DATA ·g20Pack+152(SB)/4, $6
DATA ·g20Pack+156(SB)/4, $7
DATA ·g20Pack+160(SB)/4, $16
DATA ·g20Pack+164(SB)/4, $17
DATA ·g20Pack+168(SB)/4, $18
DATA ·g20Pack+172(SB)/4, $19
DATA ·g20Pack+176(SB)/4, $20
DATA ·g20Pack+180(SB)/4, $21
DATA ·g20Pack+184(SB)/4, $22
DATA ·g20Pack+188(SB)/4, $23
DATA ·g20Pack+192(SB)/4, $8
DATA ·g20Pack+196(SB)/4, $9
DATA ·g20Pack+200(SB)/4, $10
DATA ·g20Pack+204(SB)/4, $11
DATA ·g20Pack+208(SB)/4, $12
DATA ·g20Pack+212(SB)/4, $13
DATA ·g20Pack+216(SB)/4, $14
DATA ·g20Pack+220(SB)/4, $15
DATA ·g20Pack+224(SB)/4, $24
DATA ·g20Pack+228(SB)/4, $25
DATA ·g20Pack+232(SB)/4, $26
DATA ·g20Pack+236(SB)/4, $27
DATA ·g20Pack+240(SB)/4, $0
DATA ·g20Pack+244(SB)/4, $0
DATA ·g20Pack+248(SB)/4, $0
DATA ·g20Pack+252(SB)/4, $0
DATA ·g20Pack+256(SB)/4, $0
DATA ·g20Pack+260(SB)/4, $1
DATA ·g20Pack+264(SB)/4, $2
DATA ·g20Pack+268(SB)/4, $3
DATA ·g20Pack+272(SB)/4, $4
DATA ·g20Pack+276(SB)/4, $5
DATA ·g20Pack+280(SB)/4, $6
DATA ·g20Pack+284(SB)/4, $7
DATA ·g20Pack+288(SB)/4, $8
DATA ·g20Pack+292(SB)/4, $9
DATA ·g20Pack+296(SB)/4, $10
DATA ·g20Pack+300(SB)/4, $11
DATA ·g20Pack+304(SB)/4, $16
DATA ·g20Pack+308(SB)/4, $17
DATA ·g20Pack+312(SB)/4, $18
DATA ·g20Pack+316(SB)/4, $19
DATA ·g20Pack+320(SB)/4, $4
DATA ·g20Pack+324(SB)/4, $5
DATA ·g20Pack+328(SB)/4, $6
DATA ·g20Pack+332(SB)/4, $7
DATA ·g20Pack+336(SB)/4, $8
DATA ·g20Pack+340(SB)/4, $9
DATA ·g20Pack+344(SB)/4, $10
DATA ·g20Pack+348(SB)/4, $11
DATA ·g20Pack+352(SB)/4, $12
DATA ·g20Pack+356(SB)/4, $13
DATA ·g20Pack+360(SB)/4, $14
DATA ·g20Pack+364(SB)/4, $15
DATA ·g20Pack+368(SB)/4, $28
DATA ·g20Pack+372(SB)/4, $29
DATA ·g20Pack+376(SB)/4, $30
DATA ·g20Pack+380(SB)/4, $31
GLOBL ·g20Pack(SB), RODATA|NOPTR, $384

// PASS(OP, e) applies OP to the tile's CX groups from C's row BX, then e.
#define PASS(OP, e) \
	MOVQ BX, DX;                     \
	OP(Z0, Z1, Z2, Z3, Z16);         \
	CMPQ CX, $1;                     \
	JEQ  e;                          \
	OP(Z4, Z5, Z6, Z7, Z17);         \
	CMPQ CX, $2;                     \
	JEQ  e;                          \
	OP(Z8, Z9, Z10, Z11, Z18);       \
	CMPQ CX, $3;                     \
	JEQ  e;                          \
	OP(Z12, Z13, Z14, Z15, Z19);     \
	JMP  e

// func gemm20AVX512(c []float32, ldc int, a []float32, rsa, csa int, b []float32, ldb int, bias []float32, m, k, n, flags int)
// Requires: AVX512F, AVX512DQ
//
// The contract is gemm20AVX512's declaration in linear_avx512_amd64.go. Tiles of 16
// rows (four groups), then 12, 8 or 4. The t columns of C past the vector
// are read and written 128 bits a row, masked to t lanes (K7).
//
// Registers: Z0-Z15 row sums (columns 0-15), Z16-Z19 the groups' shared
// sums, Z20-Z23 A broadcasts, Z24 their blend (then scratch), Z25 C's t
// columns, Z26/Z27 the start values, Z28/Z29 B (then, with Z30-Z31, tanh
// scratch); K1-K3 the blocks 1-3, K7 t lanes; SI/DI A rows 0/9,
// R8/R9/R10/R12 1/3/5/7 rsa, R11 csa, BX B (then C's tile), R14 ldb, CX k
// left (then the tile's groups), DX C row, R13 ldc (all strides in bytes),
// AX rows left; on the stack the tile's A.
TEXT ·gemm20AVX512(SB), NOSPLIT, $8-160
	MOVQ  m+128(FP), AX
	TESTQ AX, AX
	JZ    done
	MOVL  $0x00f0, CX
	KMOVW CX, K1
	MOVL  $0x0f00, CX
	KMOVW CX, K2
	MOVL  $0xf000, CX
	KMOVW CX, K3
	MOVQ  n+144(FP), CX
	SUBQ  $16, CX
	MOVL  $1, BX
	SHLL  CX, BX
	DECL  BX
	KMOVW BX, K7

	// The start values: the bias (columns 16 on in every block) or 0.
	VPXORD Z26, Z26, Z26
	VPXORD Z27, Z27, Z27
	TESTQ $const_gemmBias, flags+152(FP)
	JZ    nobias
	MOVQ  bias_base+104(FP), BX
	VMOVUPS (BX), Z26
	VMOVUPS.Z 64(BX), K7, X27
	VSHUFF32X4 $0, Z27, Z27, Z27

nobias:
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

tiles:
	CMPQ AX, $16
	JGE  r16
	CMPQ AX, $12
	JGE  r12
	CMPQ AX, $8
	JGE  r8
	CMPQ AX, $4
	JGE  r4
	JMP  done

r16:
	INIT(Z0, Z1, Z2, Z3, Z16)
	INIT(Z4, Z5, Z6, Z7, Z17)
	INIT(Z8, Z9, Z10, Z11, Z18)
	INIT(Z12, Z13, Z14, Z15, Z19)
	KSTART(r16e)

r16k:
	LDB
	GRP(A0, A1, A2, A3, Z0, Z1, Z2, Z3, Z16)
	GRP(A4, A5, A6, A7, Z4, Z5, Z6, Z7, Z17)
	GRP(A8, A9, A10, A11, Z8, Z9, Z10, Z11, Z18)
	GRP(A12, A13, A14, A15, Z12, Z13, Z14, Z15, Z19)
	KNEXT
	DECQ CX
	JNZ  r16k

r16e:
	MOVQ $4, CX
	JMP  epi

r12:
	INIT(Z0, Z1, Z2, Z3, Z16)
	INIT(Z4, Z5, Z6, Z7, Z17)
	INIT(Z8, Z9, Z10, Z11, Z18)
	KSTART(r12e)

r12k:
	LDB
	GRP(A0, A1, A2, A3, Z0, Z1, Z2, Z3, Z16)
	GRP(A4, A5, A6, A7, Z4, Z5, Z6, Z7, Z17)
	GRP(A8, A9, A10, A11, Z8, Z9, Z10, Z11, Z18)
	KNEXT
	DECQ CX
	JNZ  r12k

r12e:
	MOVQ $3, CX
	JMP  epi

r8:
	INIT(Z0, Z1, Z2, Z3, Z16)
	INIT(Z4, Z5, Z6, Z7, Z17)
	KSTART(r8e)

r8k:
	LDB
	GRP(A0, A1, A2, A3, Z0, Z1, Z2, Z3, Z16)
	GRP(A4, A5, A6, A7, Z4, Z5, Z6, Z7, Z17)
	KNEXT
	DECQ CX
	JNZ  r8k

r8e:
	MOVQ $2, CX
	JMP  epi

r4:
	INIT(Z0, Z1, Z2, Z3, Z16)
	KSTART(r4e)

r4k:
	LDB
	GRP(A0, A1, A2, A3, Z0, Z1, Z2, Z3, Z16)
	KNEXT
	DECQ CX
	JNZ  r4k

r4e:
	MOVQ $1, CX

epi:
	MOVQ  DX, BX
	MOVQ  flags+152(FP), SI
	TESTQ $const_gemmAcc, SI
	JZ    epit
	PASS(GACC, epit)

epit:
	TESTQ $const_gemmTanh, SI
	JZ    epis
	PASS(GTANH, epis)

epis:
	CMPQ n+144(FP), $20
	JNE  epiv
	CMPQ R13, $80
	JNE  epiv
	VMOVDQU32 ·g20Pack+0(SB), Z20
	VMOVDQU32 ·g20Pack+64(SB), Z21
	VMOVDQU32 ·g20Pack+128(SB), Z22
	VMOVDQU32 ·g20Pack+192(SB), Z23
	VMOVDQU32 ·g20Pack+256(SB), Z24
	VMOVDQU32 ·g20Pack+320(SB), Z25
	PASS(GSTC, next)

epiv:
	PASS(GST, next)

next:
	SHLQ  $2, CX
	SUBQ  CX, AX
	IMULQ R8, CX
	ADDQ  CX, atile-8(SP)
	JMP   tiles

done:
	VZEROUPPER
	RET
