//go:build !purego

#include "textflag.h"
#include "asm_amd64.h"

// The weight and bias gradients of a layer of 20 inputs and at most 16
// outputs in one pass over the rows, transposed: a k step is one row of dz
// (one vector, masked to out) times the row's 20 inputs, each broadcast
// into the sums of its input, beside the row's dz formed from dh and h
// (tanh layers) and added into the bias sums.

// GW20FMAS: the row's 20 FMAs, x's row at SI, dz's in Z28.
#define GW20FMAS \
	VFMADD231PS.BCST (SI), Z28, Z0;   \
	VFMADD231PS.BCST 4(SI), Z28, Z1;  \
	VFMADD231PS.BCST 8(SI), Z28, Z2;  \
	VFMADD231PS.BCST 12(SI), Z28, Z3; \
	VFMADD231PS.BCST 16(SI), Z28, Z4; \
	VFMADD231PS.BCST 20(SI), Z28, Z5; \
	VFMADD231PS.BCST 24(SI), Z28, Z6; \
	VFMADD231PS.BCST 28(SI), Z28, Z7; \
	VFMADD231PS.BCST 32(SI), Z28, Z8; \
	VFMADD231PS.BCST 36(SI), Z28, Z9; \
	VFMADD231PS.BCST 40(SI), Z28, Z10; \
	VFMADD231PS.BCST 44(SI), Z28, Z11; \
	VFMADD231PS.BCST 48(SI), Z28, Z12; \
	VFMADD231PS.BCST 52(SI), Z28, Z13; \
	VFMADD231PS.BCST 56(SI), Z28, Z14; \
	VFMADD231PS.BCST 60(SI), Z28, Z15; \
	VFMADD231PS.BCST 64(SI), Z28, Z16; \
	VFMADD231PS.BCST 68(SI), Z28, Z17; \
	VFMADD231PS.BCST 72(SI), Z28, Z18; \
	VFMADD231PS.BCST 76(SI), Z28, Z19

// func gw20AVX512(t, sb, dz, dh, h, x []float32, rows, out, flags int)
// Requires: AVX512F
//
// The contract is gw20AVX512's declaration in linear_avx512_amd64.go.
//
// Registers: Z0-Z19 the sums of inputs 0-19 (lanes: outputs), Z20 the bias
// sums, Z27 1.0, Z28 dz's row, Z29 scratch; K1 the out lanes; SI x's row,
// DI dz's, R8 dh's, R9 h's, R10 dz's row stride in bytes, CX rows left.
TEXT ·gw20AVX512(SB), NOSPLIT, $0-168
	MOVQ  out+152(FP), CX
	MOVL  $1, AX
	SHLL  CX, AX
	DECL  AX
	KMOVW AX, K1
	MOVQ  CX, R10
	SHLQ  $2, R10
	MOVQ  x_base+120(FP), SI
	MOVQ  dz_base+48(FP), DI
	MOVQ  dh_base+72(FP), R8
	MOVQ  h_base+96(FP), R9
	MOVQ  rows+144(FP), CX
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
	VPXORD Z16, Z16, Z16
	VPXORD Z17, Z17, Z17
	VPXORD Z18, Z18, Z18
	VPXORD Z19, Z19, Z19
	VPXORD Z20, Z20, Z20
	TESTQ CX, CX
	JZ    store
	TESTQ $const_gemmTanh, flags+160(FP)
	JNZ   tanhrows

rows:
	VMOVUPS.Z (DI), K1, Z28
	VADDPS    Z28, Z20, Z20
	GW20FMAS
	ADDQ      $80, SI
	ADDQ      R10, DI
	DECQ      CX
	JNZ       rows
	JMP       store

	// dz = dh·(1 − h²), 1 − h² one FMA (as gradBiasAVX512 forms it),
	// stored to dz's row before its FMAs.
tanhrows:
	VBROADCASTSS ·vmOne(SB), Z27

trow:
	VMOVUPS.Z    (R9), K1, Z29
	VMOVAPS      Z27, Z28
	VFNMADD231PS Z29, Z29, Z28
	VMULPS.Z     (R8), Z28, K1, Z28
	VMOVUPS      Z28, K1, (DI)
	VADDPS       Z28, Z20, Z20
	GW20FMAS
	ADDQ         $80, SI
	ADDQ         R10, DI
	ADDQ         R10, R8
	ADDQ         R10, R9
	DECQ         CX
	JNZ          trow

store:
	MOVQ    t_base+0(FP), AX
	VMOVUPS Z0, (AX)
	VMOVUPS Z1, 64(AX)
	VMOVUPS Z2, 128(AX)
	VMOVUPS Z3, 192(AX)
	VMOVUPS Z4, 256(AX)
	VMOVUPS Z5, 320(AX)
	VMOVUPS Z6, 384(AX)
	VMOVUPS Z7, 448(AX)
	VMOVUPS Z8, 512(AX)
	VMOVUPS Z9, 576(AX)
	VMOVUPS Z10, 640(AX)
	VMOVUPS Z11, 704(AX)
	VMOVUPS Z12, 768(AX)
	VMOVUPS Z13, 832(AX)
	VMOVUPS Z14, 896(AX)
	VMOVUPS Z15, 960(AX)
	VMOVUPS Z16, 1024(AX)
	VMOVUPS Z17, 1088(AX)
	VMOVUPS Z18, 1152(AX)
	VMOVUPS Z19, 1216(AX)
	MOVQ    sb_base+24(FP), AX
	VMOVUPS Z20, (AX)
	VZEROUPPER
	RET
