//go:build !purego

#include "textflag.h"
#include "asm_amd64.h"

// DZT forms dz = dh·(1−h²) for the vector at byte offset off (Y13 holds 1.0),
// stores it, and adds it into the bias sum sb and, times the lanes' inputs
// xv, into the weight sum sw. DZN does the same with dz read as given.
#define DZT(off, xv, sb, sw) \
	VMOVUPS      off(DI), Y14; \
	VMOVAPS      Y13, Y15; \
	VFNMADD231PS Y14, Y14, Y15; \
	VMULPS       off(SI), Y15, Y15; \
	VMOVUPS      Y15, off(AX); \
	VADDPS       Y15, sb, sb; \
	VFMADD231PS  xv, Y15, sw

#define DZN(off, xv, sb, sw) \
	VMOVUPS     off(AX), Y15; \
	VADDPS      Y15, sb, sb; \
	VFMADD231PS xv, Y15, sw

// XS loads the period's inputs: Y10 = x of its first row in every lane, Y12
// that of its last row, Y11 the first in lanes 0-3 and the last in 4-7 (the
// lanes of the vector that straddles the two rows of a two-row period).
#define XS \
	VBROADCASTSS (R8), Y10; \
	VBROADCASTSS (R8)(R9*1), Y12; \
	VBLENDPS     $0xf0, Y12, Y10, Y11

#define NEXT \
	ADDQ R10, R8; \
	ADDQ R11, AX; \
	ADDQ R11, SI; \
	ADDQ R11, DI; \
	DECQ CX

// func grad1AVX2(acc, dz, dh, h, x []float32, periods, vecs, rowsPer, flags int)
// Requires: AVX, AVX2, FMA
//
// The contract is grad1AVX2's declaration in linear_amd64.go. dz is swept
// flat in whole vectors, a period (rowsPer rows) at a time, with a sum
// register per vector of the period for the bias and one for the weight;
// with rowsPer 2 the middle vector holds the last 4 columns of the first row
// and the first 4 of the second, and its inputs are blended (XS).
//
// Registers: Y0-Y4 bias sums, Y5-Y9 weight sums, Y10-Y12 inputs, Y13 1.0,
// Y14-Y15 scratch; AX/SI/DI dz/dh/h at the period, R8 x at the period, R9
// (rowsPer−1)·4, R10 rowsPer·4, R11 vecs·32, CX periods left, DX vecs.
TEXT ·grad1AVX2(SB), NOSPLIT, $0-152
	MOVQ  dz_base+24(FP), AX
	MOVQ  dh_base+48(FP), SI
	MOVQ  h_base+72(FP), DI
	MOVQ  x_base+96(FP), R8
	MOVQ  periods+120(FP), CX
	MOVQ  vecs+128(FP), DX
	MOVQ  rowsPer+136(FP), R10
	SHLQ  $2, R10
	LEAQ  -4(R10), R9
	MOVQ  DX, R11
	SHLQ  $5, R11
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	TESTQ CX, CX
	JZ    store
	MOVL  $0x3f800000, BX
	VMOVD BX, X13
	VBROADCASTSS X13, Y13
	MOVQ  flags+144(FP), BX
	TESTQ $const_gemmTanh, BX
	JZ    plain
	CMPQ DX, $1
	JEQ  t1
	CMPQ DX, $2
	JEQ  t2
	CMPQ DX, $3
	JEQ  t3
	CMPQ DX, $4
	JEQ  t4
	CMPQ DX, $5
	JEQ  t5
	JMP  store

t1:
	XS
	DZT(0, Y11, Y0, Y5)
	NEXT
	JNZ  t1
	JMP  store

t2:
	XS
	DZT(0, Y10, Y0, Y5)
	DZT(32, Y10, Y1, Y6)
	NEXT
	JNZ  t2
	JMP  store

t3:
	XS
	DZT(0, Y10, Y0, Y5)
	DZT(32, Y11, Y1, Y6)
	DZT(64, Y12, Y2, Y7)
	NEXT
	JNZ  t3
	JMP  store

t4:
	XS
	DZT(0, Y10, Y0, Y5)
	DZT(32, Y10, Y1, Y6)
	DZT(64, Y10, Y2, Y7)
	DZT(96, Y10, Y3, Y8)
	NEXT
	JNZ  t4
	JMP  store

t5:
	XS
	DZT(0, Y10, Y0, Y5)
	DZT(32, Y10, Y1, Y6)
	DZT(64, Y11, Y2, Y7)
	DZT(96, Y12, Y3, Y8)
	DZT(128, Y12, Y4, Y9)
	NEXT
	JNZ  t5
	JMP  store
plain:
	CMPQ DX, $1
	JEQ  n1
	CMPQ DX, $2
	JEQ  n2
	CMPQ DX, $3
	JEQ  n3
	CMPQ DX, $4
	JEQ  n4
	CMPQ DX, $5
	JEQ  n5
	JMP  store

n1:
	XS
	DZN(0, Y11, Y0, Y5)
	NEXT
	JNZ  n1
	JMP  store

n2:
	XS
	DZN(0, Y10, Y0, Y5)
	DZN(32, Y10, Y1, Y6)
	NEXT
	JNZ  n2
	JMP  store

n3:
	XS
	DZN(0, Y10, Y0, Y5)
	DZN(32, Y11, Y1, Y6)
	DZN(64, Y12, Y2, Y7)
	NEXT
	JNZ  n3
	JMP  store

n4:
	XS
	DZN(0, Y10, Y0, Y5)
	DZN(32, Y10, Y1, Y6)
	DZN(64, Y10, Y2, Y7)
	DZN(96, Y10, Y3, Y8)
	NEXT
	JNZ  n4
	JMP  store

n5:
	XS
	DZN(0, Y10, Y0, Y5)
	DZN(32, Y10, Y1, Y6)
	DZN(64, Y11, Y2, Y7)
	DZN(96, Y12, Y3, Y8)
	DZN(128, Y12, Y4, Y9)
	NEXT
	JNZ  n5
	JMP  store

store:
	MOVQ    acc_base+0(FP), BX
	VMOVUPS Y0, (BX)
	VMOVUPS Y1, 32(BX)
	VMOVUPS Y2, 64(BX)
	VMOVUPS Y3, 96(BX)
	VMOVUPS Y4, 128(BX)
	VMOVUPS Y5, 160(BX)
	VMOVUPS Y6, 192(BX)
	VMOVUPS Y7, 224(BX)
	VMOVUPS Y8, 256(BX)
	VMOVUPS Y9, 288(BX)
	VZEROUPPER
	RET
