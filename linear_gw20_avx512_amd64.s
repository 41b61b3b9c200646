//go:build !purego

#include "textflag.h"
#include "asm_amd64.h"
#include "transpose_avx512_amd64.h"

// The weight and bias gradients of a layer of 20 inputs and at most 16
// outputs in one pass over the rows, transposed: a k step is one row of dz
// (one vector, masked to out) times the row's 20 inputs, each broadcast
// into the sums of its input, beside the row's dz formed from dh and h
// (tanh layers) and added into the bias sums.

// GW20FMAS: the row's 20 FMAs, x's row at SI, dz's in Z28. The x of inputs
// 0-11 come from three 128-bit loads of four, each broadcast to the lanes
// by VPERMILPS, those of 12-19 as broadcast memory operands: 11 loads of x
// a row instead of 20, 12 with dz's (loads at two a cycle were the limit;
// the shuffles run beside the FMAs), the same FMAs in the same order.
#define GW20Q(m, q, s0, s1, s2, s3) \
	VBROADCASTF32X4 m, q;       \
	VPERMILPS       $0x00, q, Z24; \
	VFMADD231PS     Z24, Z28, s0; \
	VPERMILPS       $0x55, q, Z25; \
	VFMADD231PS     Z25, Z28, s1; \
	VPERMILPS       $0xaa, q, Z26; \
	VFMADD231PS     Z26, Z28, s2; \
	VPERMILPS       $0xff, q, Z30; \
	VFMADD231PS     Z30, Z28, s3

#define GW20FMAS \
	GW20Q((SI), Z21, Z0, Z1, Z2, Z3);     \
	GW20Q(16(SI), Z22, Z4, Z5, Z6, Z7);   \
	GW20Q(32(SI), Z23, Z8, Z9, Z10, Z11); \
	VFMADD231PS.BCST 48(SI), Z28, Z12; \
	VFMADD231PS.BCST 52(SI), Z28, Z13; \
	VFMADD231PS.BCST 56(SI), Z28, Z14; \
	VFMADD231PS.BCST 60(SI), Z28, Z15; \
	VFMADD231PS.BCST 64(SI), Z28, Z16; \
	VFMADD231PS.BCST 68(SI), Z28, Z17; \
	VFMADD231PS.BCST 72(SI), Z28, Z18; \
	VFMADD231PS.BCST 76(SI), Z28, Z19

// ADDROW(z, o): dw's row o, columns 0-15 (AX = dw), += z (dw the first
// operand, as in dw[i] += s), then the
// epilogue ends at tails when o+1 is out (CX).
#define ADDROW(z, o) \
	VMOVUPS (80*o)(AX), Z30;  \
	VADDPS  z, Z30, z;        \
	VMOVUPS z, (80*o)(AX);    \
	CMPQ    CX, $(o+1);       \
	JEQ     tails

// ADDTAIL(r, k, o): dw's row o, columns 16-19, += the 128-bit block k of
// r (X24, X25 scratch), then the epilogue ends at bias when o+1 is out. The
// store is 16 bytes of row o, unmasked: a masked store of a VEXTRACTF32X4
// would not do (see gemm20AVX512's GST).
#define ADDTAIL(r, k, o) \
	VEXTRACTF32X4 $k, r, X24;            \
	VMOVUPS       (80*o+64)(AX), X25;    \
	VADDPS        X24, X25, X24;         \
	VMOVUPS       X24, (80*o+64)(AX);    \
	CMPQ          CX, $(o+1);            \
	JEQ           bias

// func gw20AVX512(dw, db, dz, dh, h, x []float32, rows, out, flags int)
// Requires: AVX512F
//
// The contract is gw20AVX512's declaration in linear_avx512_amd64.go.
//
// Registers: Z0-Z19 the sums of inputs 0-19 (lanes: outputs), Z20 the bias
// sums, Z21-Z23 x of inputs 0-11 (four a 128-bit block), Z24-Z26 and Z30
// their broadcasts, Z27 1.0, Z28 dz's row, Z29 scratch; K1 the out lanes; SI x's row,
// DI dz's, R8 dh's, R9 h's, R10 dz's row stride in bytes, CX rows left.
// The epilogue adds the sums into dw and db, transposed in registers: the
// sums of inputs 16-19 and of the bias wait in the frame while Z0-Z15 go
// through TRANSPOSE16 (all 32 registers), which leaves in Z_o the sums of
// output o for inputs 0-15, dw's row o; then 4×4 transposes within each
// 128-bit block of the sums of inputs 16-19 give block k of Z_m the four
// columns of row 4k+m.
TEXT ·gw20AVX512(SB), NOSPLIT, $320-168
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
	VMOVUPS Z16, 0(SP)
	VMOVUPS Z17, 64(SP)
	VMOVUPS Z18, 128(SP)
	VMOVUPS Z19, 192(SP)
	VMOVUPS Z20, 256(SP)
	TRANSPOSE16
	MOVQ    dw_base+0(FP), AX
	MOVQ    out+152(FP), CX
	ADDROW(Z0, 0)
	ADDROW(Z1, 1)
	ADDROW(Z2, 2)
	ADDROW(Z3, 3)
	ADDROW(Z4, 4)
	ADDROW(Z5, 5)
	ADDROW(Z6, 6)
	ADDROW(Z7, 7)
	ADDROW(Z8, 8)
	ADDROW(Z9, 9)
	ADDROW(Z10, 10)
	ADDROW(Z11, 11)
	ADDROW(Z12, 12)
	ADDROW(Z13, 13)
	ADDROW(Z14, 14)
	ADDROW(Z15, 15)

tails:
	VMOVUPS   0(SP), Z16
	VMOVUPS   64(SP), Z17
	VMOVUPS   128(SP), Z18
	VMOVUPS   192(SP), Z19
	VUNPCKLPS Z17, Z16, Z20
	VUNPCKHPS Z17, Z16, Z21
	VUNPCKLPS Z19, Z18, Z22
	VUNPCKHPS Z19, Z18, Z23
	VUNPCKLPD Z22, Z20, Z0
	VUNPCKHPD Z22, Z20, Z1
	VUNPCKLPD Z23, Z21, Z2
	VUNPCKHPD Z23, Z21, Z3
	ADDTAIL(Z0, 0, 0)
	ADDTAIL(Z1, 0, 1)
	ADDTAIL(Z2, 0, 2)
	ADDTAIL(Z3, 0, 3)
	ADDTAIL(Z0, 1, 4)
	ADDTAIL(Z1, 1, 5)
	ADDTAIL(Z2, 1, 6)
	ADDTAIL(Z3, 1, 7)
	ADDTAIL(Z0, 2, 8)
	ADDTAIL(Z1, 2, 9)
	ADDTAIL(Z2, 2, 10)
	ADDTAIL(Z3, 2, 11)
	ADDTAIL(Z0, 3, 12)
	ADDTAIL(Z1, 3, 13)
	ADDTAIL(Z2, 3, 14)
	ADDTAIL(Z3, 3, 15)

bias:
	MOVQ      db_len+32(FP), BX
	TESTQ     BX, BX
	JZ        done
	MOVQ      db_base+24(FP), BX
	VMOVUPS.Z (BX), K1, Z1
	VADDPS    256(SP), Z1, Z1
	VMOVUPS   Z1, K1, (BX)

done:
	VZEROUPPER
	RET
