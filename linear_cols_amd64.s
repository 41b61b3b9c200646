//go:build !purego

#include "textflag.h"
#include "asm_amd64.h"
#include "vecmath_amd64.h"

// TANHCOL(x) is TANH_RES_AVX2 on x with the scratch Y1–Y4 and nine of its
// eleven constants resident (Y7–Y15); l2e and ln2 are read from memory,
// which leaves Y5 and Y6 for a second sum and the bias. The same
// operations in the same order as Tanh's loop, so the same bits.
#define TANHCOL(x) TANH_RES_AVX2(x, Y1, Y2, Y3, Y4, Y7, Y8, Y9, Y10, Y11, ·vmTanhL2e(SB), ·vmLn2Hi(SB), Y12, Y13, Y14, Y15)

// func linearTanhColsAVX2(dst, x, w, b []float32, n, in, out, ld int)
// Requires: AVX, AVX2, FMA
//
// LinearTanhCols for in ≥ 1 and n, out ≥ 1: for each output o, one sweep
// over the rows of its column, two vectors of 8 rows at a time (two
// independent chains), then one vector, then the n%8 rows left under a
// mask, which also masks the loads of x (the lanes beyond n of x's last
// column may lie past its end; VMASKMOVPS does not touch masked-off
// lanes). Each sum is the bias (0 without one), then one FMA per input in
// input order, w's element broadcast.
//
// Registers: DI dst's column o, SI x, BX w's row o, DX b at o, R8 ld in
// bytes, R9 n, R10 outputs left, R11 in, R12 byte offset of the rows,
// CX rows left, R13, R14 and AX the inputs' loop; Y0 and Y5 the sums,
// Y1 the broadcast weight, then with Y2–Y4 the tanh scratch, Y5 also the
// tail's mask, Y6 the bias, Y7–Y15 the tanh constants.
TEXT ·linearTanhColsAVX2(SB), NOSPLIT, $0-128
	MOVQ    dst_base+0(FP), DI
	MOVQ    x_base+24(FP), SI
	MOVQ    w_base+48(FP), BX
	MOVQ    b_base+72(FP), DX
	MOVQ    n+96(FP), R9
	MOVQ    in+104(FP), R11
	MOVQ    out+112(FP), R10
	MOVQ    ld+120(FP), R8
	SHLQ    $2, R8
	VMOVUPS ·vmOne(SB), Y7
	VMOVUPS ·vmAbsMask(SB), Y8
	VMOVUPS ·vmTanhShift(SB), Y9
	VMOVUPS ·vmTanhMax(SB), Y10
	VMOVUPS ·vmHalf(SB), Y11
	VMOVUPS ·vmExpC5(SB), Y12
	VMOVUPS ·vmExpC4(SB), Y13
	VMOVUPS ·vmExpC3(SB), Y14
	VMOVUPS ·vmExpC2(SB), Y15

colout:
	VXORPS Y6, Y6, Y6
	CMPQ   b_len+80(FP), $0
	JEQ    colnob
	VBROADCASTSS (DX), Y6
	ADDQ   $4, DX

colnob:
	XORQ R12, R12
	MOVQ R9, CX

col16:
	CMPQ    CX, $16
	JLT     col8
	VMOVAPS Y6, Y0
	VMOVAPS Y6, Y5
	LEAQ    (SI)(R12*1), R14
	MOVQ    BX, AX
	MOVQ    R11, R13

in16:
	VBROADCASTSS (AX), Y1
	VFMADD231PS  (R14), Y1, Y0
	VFMADD231PS  32(R14), Y1, Y5
	ADDQ         R8, R14
	ADDQ         $4, AX
	DECQ         R13
	JNZ          in16
	TANHCOL(Y0)
	VMOVUPS      Y0, (DI)(R12*1)
	TANHCOL(Y5)
	VMOVUPS      Y5, 32(DI)(R12*1)
	ADDQ         $64, R12
	SUBQ         $16, CX
	JMP          col16

col8:
	CMPQ    CX, $8
	JLT     colrest
	VMOVAPS Y6, Y0
	LEAQ    (SI)(R12*1), R14
	MOVQ    BX, AX
	MOVQ    R11, R13

in8:
	VBROADCASTSS (AX), Y1
	VFMADD231PS  (R14), Y1, Y0
	ADDQ         R8, R14
	ADDQ         $4, AX
	DECQ         R13
	JNZ          in8
	TANHCOL(Y0)
	VMOVUPS      Y0, (DI)(R12*1)
	ADDQ         $32, R12
	SUBQ         $8, CX

colrest:
	TESTQ   CX, CX
	JZ      colnext
	TAIL_MASK(CX, AX, Y5)
	VMOVAPS Y6, Y0
	LEAQ    (SI)(R12*1), R14
	MOVQ    BX, AX
	MOVQ    R11, R13

inrest:
	VMASKMOVPS   (R14), Y5, Y2
	VBROADCASTSS (AX), Y1
	VFMADD231PS  Y2, Y1, Y0
	ADDQ         R8, R14
	ADDQ         $4, AX
	DECQ         R13
	JNZ          inrest
	TANHCOL(Y0)
	VMASKMOVPS   Y0, Y5, (DI)(R12*1)

colnext:
	ADDQ R8, DI
	LEAQ (BX)(R11*4), BX
	DECQ R10
	JNZ  colout
	VZEROUPPER
	RET
