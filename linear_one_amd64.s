//go:build !purego

#include "textflag.h"
#include "asm_amd64.h"
#include "vecmath_amd64.h"

// func linear1AVX2(dst, x, tab []float32, periods, vecs, rowsPer, flags int)
// Requires: AVX, AVX2, FMA
//
// The contract is linear1AVX2's declaration in linear_amd64.go (the table:
// linear1Table). dst is swept flat in whole vectors, each vector's lanes
// taking x of the row of its first or last lane (blended on the entry's
// mask). The sums are formed for a block of up to 64 periods, and with
// gemmTanh the block is then swept again with tanh in place (eleven
// constants resident, TANH_RES_AVX2) while it is still in L1: the tanh loop
// then runs on whole vectors of one stream, as fast as Tanh does, instead of
// waiting on the table and broadcasts of every vector.
//
// Registers: Y0-Y3 sums and scratch, Y4 tanh scratch, Y5-Y15 tanh
// constants; Y8, Y9 x of a two-row period in the sum loop (Y4, Y15 in the
// five-vector loop, whose weights and masks take Y5-Y14); DI dst at the
// block, SI x at the period, BX table entry, AX/DX rows, CX vectors left in
// the period (then in the block), R8 periods left, R9 flags&gemmTanh, R10
// rowsPer in bytes, R11 periods in this block, R12 dst in the block.
TEXT ·linear1AVX2(SB), NOSPLIT, $0-104
	MOVQ  dst_base+0(FP), DI
	MOVQ  x_base+24(FP), SI
	MOVQ  periods+72(FP), R8
	MOVQ  rowsPer+88(FP), R10
	SHLQ  $2, R10
	MOVQ  flags+96(FP), R9
	ANDQ  $const_gemmTanh, R9

block:
	TESTQ R8, R8
	JZ    done
	MOVQ  $64, R11
	CMPQ  R8, R11
	CMOVQLT R8, R11
	SUBQ  R11, R8
	MOVQ  DI, R12
	MOVQ  R11, R13
	CMPQ  R10, $8
	JNE   period
	CMPQ  vecs+80(FP), $5
	JEQ   five

period:
	MOVQ tab_base+48(FP), BX
	MOVQ vecs+80(FP), CX
	CMPQ R10, $8
	JEQ  two

vec:
	// x[rowA] or x[rowB] per lane (blend on the entry's mask), times the
	// weights, plus the biases: one rounding, as gemmAVX2 rounds b + x·w,
	// so LinearTanh stays tanh of Linear's sums.
	MOVL         96(BX), AX
	MOVL         100(BX), DX
	VBROADCASTSS (SI)(AX*4), Y1
	VBROADCASTSS (SI)(DX*4), Y2
	VMOVUPS      64(BX), Y3
	VBLENDVPS    Y3, Y2, Y1, Y1
	VMOVUPS      32(BX), Y0
	VFMADD231PS  (BX), Y1, Y0
	VMOVUPS      Y0, (R12)
	ADDQ         $32, R12
	ADDQ         $128, BX
	DECQ         CX
	JNZ          vec
	JMP          next

two:
	// Two rows a period: both x values stay broadcast in Y8, Y9.
	VBROADCASTSS (SI), Y8
	VBROADCASTSS 4(SI), Y9

vec2:
	VMOVUPS     64(BX), Y3
	VBLENDVPS   Y3, Y9, Y8, Y1
	VMOVUPS     32(BX), Y0
	VFMADD231PS (BX), Y1, Y0
	VMOVUPS     Y0, (R12)
	ADDQ        $32, R12
	ADDQ        $128, BX
	DECQ        CX
	JNZ         vec2

next:
	ADDQ R10, SI
	DECQ R11
	JNZ  period
	JMP  summed

five:
	// Two rows of five vectors a period (out = 20, the seed's width): the
	// weights and masks of all five stay in Y10-Y14 and Y5-Y9 for the
	// block, and each vector is a blend, an FMA with its biases from the
	// table and a store.
	MOVQ    tab_base+48(FP), BX
	VMOVUPS 0(BX), Y10
	VMOVUPS 128(BX), Y11
	VMOVUPS 256(BX), Y12
	VMOVUPS 384(BX), Y13
	VMOVUPS 512(BX), Y14
	VMOVUPS 64(BX), Y5
	VMOVUPS 192(BX), Y6
	VMOVUPS 320(BX), Y7
	VMOVUPS 448(BX), Y8
	VMOVUPS 576(BX), Y9

fiveperiod:
	VBROADCASTSS (SI), Y15
	VBROADCASTSS 4(SI), Y4
	VBLENDVPS    Y5, Y4, Y15, Y0
	VFMADD213PS  32(BX), Y10, Y0
	VBLENDVPS    Y6, Y4, Y15, Y1
	VFMADD213PS  160(BX), Y11, Y1
	VBLENDVPS    Y7, Y4, Y15, Y2
	VFMADD213PS  288(BX), Y12, Y2
	VBLENDVPS    Y8, Y4, Y15, Y3
	VFMADD213PS  416(BX), Y13, Y3
	VMOVUPS      Y0, (R12)
	VMOVUPS      Y1, 32(R12)
	VBLENDVPS    Y9, Y4, Y15, Y0
	VFMADD213PS  544(BX), Y14, Y0
	VMOVUPS      Y2, 64(R12)
	VMOVUPS      Y3, 96(R12)
	VMOVUPS      Y0, 128(R12)
	ADDQ         $160, R12
	ADDQ         $8, SI
	DECQ         R11
	JNZ          fiveperiod

summed:
	// The block's sums are in dst[DI:R12]; tanh them in place.
	TESTQ R9, R9
	JZ    blockdone
	MOVQ  R13, CX
	IMULQ vecs+80(FP), CX
	VMOVUPS ·vmOne(SB), Y5
	VMOVUPS ·vmAbsMask(SB), Y6
	VMOVUPS ·vmTanhShift(SB), Y7
	VMOVUPS ·vmTanhMax(SB), Y8
	VMOVUPS ·vmHalf(SB), Y9
	VMOVUPS ·vmTanhL2e(SB), Y10
	VMOVUPS ·vmLn2Hi(SB), Y11
	VMOVUPS ·vmExpC5(SB), Y12
	VMOVUPS ·vmExpC4(SB), Y13
	VMOVUPS ·vmExpC3(SB), Y14
	VMOVUPS ·vmExpC2(SB), Y15

	CMPQ CX, $2
	JB   tvec

tpair:
	VMOVUPS (DI), Y0
	TANH_RES_AVX2(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7, Y8, Y9, Y10, Y11, Y12, Y13, Y14, Y15)
	VMOVUPS Y0, (DI)
	VMOVUPS 32(DI), Y0
	TANH_RES_AVX2(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7, Y8, Y9, Y10, Y11, Y12, Y13, Y14, Y15)
	VMOVUPS Y0, 32(DI)
	ADDQ    $64, DI
	SUBQ    $2, CX
	CMPQ    CX, $2
	JAE     tpair
	TESTQ   CX, CX
	JZ      blockdone

tvec:
	VMOVUPS (DI), Y0
	TANH_RES_AVX2(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7, Y8, Y9, Y10, Y11, Y12, Y13, Y14, Y15)
	VMOVUPS Y0, (DI)

blockdone:
	MOVQ R12, DI
	JMP  block

done:
	VZEROUPPER
	RET

// func linearRowsOneAVX2(dst, x, w, b []float32, rows, out, flags int)
// Requires: AVX, AVX2, FMA
//
// The contract is linearRowsOneAVX2's declaration in linear_amd64.go. Each
// row of dst is swept in whole vectors of outputs (x broadcast, w and b as
// stored), then the out%8 outputs left under a mask, whose store goes in
// pieces of 4, 2 and 1 floats (a VMASKMOVPS store is a long microcoded
// sequence on AMD cores before Zen 4).
//
// Registers: Y0 the sums, Y1-Y4 tanh scratch and the tail's w, Y8 x, Y15
// the tail mask; SI x, DI dst row, R8 w, R9 b, R10 rows left, R11 out·4,
// R12 the whole vectors' bytes, R13 out%8, CX the offset in the row, DX
// flags, AX the tail's address.
TEXT ·linearRowsOneAVX2(SB), NOSPLIT, $0-120
	MOVQ  dst_base+0(FP), DI
	MOVQ  x_base+24(FP), SI
	MOVQ  w_base+48(FP), R8
	MOVQ  b_base+72(FP), R9
	MOVQ  rows+96(FP), R10
	MOVQ  out+104(FP), R11
	MOVQ  flags+112(FP), DX
	MOVQ  R11, R13
	ANDQ  $7, R13
	MOVQ  R11, R12
	SUBQ  R13, R12
	SHLQ  $2, R12
	SHLQ  $2, R11
	TESTQ R13, R13
	JZ    ororow
	MOVQ  R13, CX
	TAIL_MASK(CX, AX, Y15)

ororow:
	TESTQ R10, R10
	JZ    orodone
	VBROADCASTSS (SI), Y8
	XORQ  CX, CX
	CMPQ  CX, R12
	JAE   orotail
	// One loop for each of the four epilogues: no test in the loops.
	TESTQ $const_gemmTanh, DX
	JNZ   orotanh
	TESTQ $const_gemmBias, DX
	JZ    orolin0

orolinb:
	VMOVUPS     (R9)(CX*1), Y0
	VFMADD231PS (R8)(CX*1), Y8, Y0
	VMOVUPS     Y0, (DI)(CX*1)
	ADDQ        $32, CX
	CMPQ        CX, R12
	JB          orolinb
	JMP         orotail

orolin0:
	VXORPS      Y0, Y0, Y0
	VFMADD231PS (R8)(CX*1), Y8, Y0
	VMOVUPS Y0, (DI)(CX*1)
	ADDQ    $32, CX
	CMPQ    CX, R12
	JB      orolin0
	JMP     orotail

orotanh:
	TESTQ $const_gemmBias, DX
	JZ    orotanh0

orotanhb:
	VMOVUPS     (R9)(CX*1), Y0
	VFMADD231PS (R8)(CX*1), Y8, Y0
	TANH_AVX2(Y0, Y1, Y2, Y3, Y4)
	VMOVUPS     Y0, (DI)(CX*1)
	ADDQ        $32, CX
	CMPQ        CX, R12
	JB          orotanhb
	JMP         orotail

orotanh0:
	VXORPS      Y0, Y0, Y0
	VFMADD231PS (R8)(CX*1), Y8, Y0
	TANH_AVX2(Y0, Y1, Y2, Y3, Y4)
	VMOVUPS Y0, (DI)(CX*1)
	ADDQ    $32, CX
	CMPQ    CX, R12
	JB      orotanh0

orotail:
	TESTQ R13, R13
	JZ    oronext
	VXORPS Y0, Y0, Y0
	TESTQ $const_gemmBias, DX
	JZ    orotfma
	VMASKMOVPS (R9)(CX*1), Y15, Y0

orotfma:
	VMASKMOVPS  (R8)(CX*1), Y15, Y1
	VFMADD231PS Y1, Y8, Y0
	TESTQ $const_gemmTanh, DX
	JZ    orotst
	TANH_AVX2(Y0, Y1, Y2, Y3, Y4)

orotst:
	LEAQ (DI)(CX*1), AX
	STORE_PIECES(R13, X0, Y0, AX, orot2, orot1, orotend)

oronext:
	ADDQ $4, SI
	ADDQ R11, DI
	DECQ R10
	JMP  ororow

orodone:
	VZEROUPPER
	RET
