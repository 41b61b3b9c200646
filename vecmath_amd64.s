//go:build !purego

#include "textflag.h"
#include "asm_amd64.h"
#include "vecmath_amd64.h"

// Constant tables for vecmath_amd64.h: each value in all eight lanes, 32
// bytes, package-visible so that every .s file including the header can use
// them. Values are the float32 bit patterns of the constants in
// kernels/vecmath.go.
SPLAT(·vmOne, $0x3f800000)
SPLAT(·vmExpLo, $0xc2d00000)
SPLAT(·vmExpHi, $0x42b20000)
SPLAT(·vmExpShift, $0x4b400000)
SPLAT(·vmLog2e, $0x3fb8aa3b)
SPLAT(·vmLn2Hi, $0x3f317218)
SPLAT(·vmLn2Lo, $0xb102e308)
SPLAT(·vmExpC2, $0x3efffffe)
SPLAT(·vmExpC3, $0x3e2aaa49)
SPLAT(·vmExpC4, $0x3d2aac79)
SPLAT(·vmExpC5, $0x3c091cf1)
SPLAT(·vmExpC6, $0x3ab5120f)
SPLAT(·vmExpFloor, $0xff800000)
SPLAT(·vmExpBias, $0x3f800000)
SPLAT(·vmAbsMask, $0x7fffffff)
SPLAT(·vmSignMask, $0x80000000)
SPLAT(·vmTanhMax, $0x41200000)
SPLAT(·vmTanhShift, $0x4b40007e)
SPLAT(·vmTanhL2e, $0xc038aa3b)
SPLAT(·vmHalf, $0x3f000000)
SPLAT(·vmMinNorm, $0x00800000)
SPLAT(·vmSubScale, $0x4b000000)
SPLAT(·vmF23, $0x41b80000)
SPLAT(·vmSqrtHalf, $0x3f3504f3)
SPLAT(·vmMantMask, $0x007fffff)
SPLAT(·vmLogC0, $0xbefffffc)
SPLAT(·vmLogC1, $0x3eaaaaa8)
SPLAT(·vmLogC2, $0xbe800214)
SPLAT(·vmLogC3, $0x3e4cd1fb)
SPLAT(·vmLogC4, $0xbe2a13a1)
SPLAT(·vmLogC5, $0x3e1138a1)
SPLAT(·vmLogC6, $0xbe079c49)
SPLAT(·vmLogC7, $0x3e04259c)
SPLAT(·vmLogC8, $0xbd9c1890)
SPLAT(·vmPosInf, $0x7f800000)
SPLAT(·vmNegInf, $0xff800000)
SPLAT(·vmQNaNBit, $0x00400000)
SPLAT(·vmQNaN, $0x7fc00000)

// The tail-mask table described in asm_amd64.h.
DATA8(·vmTailMask, 0, $0xffffffff)
DATA8(·vmTailMask, 32, $0)
GLOBL ·vmTailMask(SB), RODATA|NOPTR, $64

// func expAVX2(dst, x []float32)
// Requires: AVX, AVX2, FMA
// Register map: SI x, DI dst, CX elements left, AX/BX scratch;
// Y0 values; Y1–Y3 scratch; Y4–Y15 resident constants of EXP_RES_AVX2 in
// the 16-lane loop; Y15 tail mask after it.
TEXT ·expAVX2(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ x_base+24(FP), SI
	MOVQ x_len+32(FP), CX

	CMPQ    CX, $16
	JB      one8
	VMOVUPS ·vmExpLo(SB), Y4
	VMOVUPS ·vmExpHi(SB), Y5
	VMOVUPS ·vmExpShift(SB), Y6
	VMOVUPS ·vmLog2e(SB), Y7
	VMOVUPS ·vmLn2Hi(SB), Y8
	VMOVUPS ·vmLn2Lo(SB), Y9
	VMOVUPS ·vmExpC5(SB), Y10
	VMOVUPS ·vmExpC4(SB), Y11
	VMOVUPS ·vmExpC3(SB), Y12
	VMOVUPS ·vmExpC2(SB), Y13
	VMOVUPS ·vmOne(SB), Y14
	VMOVUPS ·vmExpBias(SB), Y15

loop16:
	VMOVUPS (SI), Y0
	EXP_RES_AVX2(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7, Y8, Y9, Y10, Y11, Y12, Y13, Y14, Y15)
	VMOVUPS Y0, (DI)
	VMOVUPS 32(SI), Y0
	EXP_RES_AVX2(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7, Y8, Y9, Y10, Y11, Y12, Y13, Y14, Y15)
	VMOVUPS Y0, 32(DI)
	ADDQ    $64, SI
	ADDQ    $64, DI
	SUBQ    $16, CX
	CMPQ    CX, $16
	JAE     loop16

one8:
	CMPQ    CX, $8
	JB      tail
	VMOVUPS (SI), Y0
	EXP_AVX2(Y0, Y1, Y2, Y3)
	VMOVUPS Y0, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	SUBQ    $8, CX

tail:
	TESTQ      CX, CX
	JZ         done
	TAIL_MASK(CX, AX, Y15)
	VMASKMOVPS (SI), Y15, Y0
	EXP_AVX2(Y0, Y1, Y2, Y3)
	VMASKMOVPS Y0, Y15, (DI)

done:
	VZEROUPPER
	RET

// func tanhAVX2(dst, x []float32)
// Requires: AVX, AVX2, FMA
// Register map: SI x, DI dst, CX elements left, AX scratch;
// Y0 values; Y1–Y4 scratch; Y5–Y15 resident constants of TANH_RES_AVX2
// in the 16-lane loop; Y15 tail mask after it.
TEXT ·tanhAVX2(SB), NOSPLIT, $0-48
	MOVQ    dst_base+0(FP), DI
	MOVQ    x_base+24(FP), SI
	MOVQ    x_len+32(FP), CX
	CMPQ    CX, $16
	JB      one8
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

loop16:
	VMOVUPS (SI), Y0
	TANH_RES_AVX2(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7, Y8, Y9, Y10, Y11, Y12, Y13, Y14, Y15)
	VMOVUPS Y0, (DI)
	VMOVUPS 32(SI), Y0
	TANH_RES_AVX2(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7, Y8, Y9, Y10, Y11, Y12, Y13, Y14, Y15)
	VMOVUPS Y0, 32(DI)
	ADDQ    $64, SI
	ADDQ    $64, DI
	SUBQ    $16, CX
	CMPQ    CX, $16
	JAE     loop16

one8:
	CMPQ    CX, $8
	JB      tail
	VMOVUPS (SI), Y0
	TANH_AVX2(Y0, Y1, Y2, Y3, Y4)
	VMOVUPS Y0, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	SUBQ    $8, CX

tail:
	TESTQ      CX, CX
	JZ         done
	TAIL_MASK(CX, AX, Y15)
	VMASKMOVPS (SI), Y15, Y0
	TANH_AVX2(Y0, Y1, Y2, Y3, Y4)
	VMASKMOVPS Y0, Y15, (DI)

done:
	VZEROUPPER
	RET

// func logAVX2(dst, x []float32)
// Requires: AVX, AVX2, FMA
// Register map: SI x, DI dst, CX elements left, AX scratch;
// Y0, Y4 values; Y1–Y3, Y5–Y7 scratch; Y15 tail mask.
TEXT ·logAVX2(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ x_base+24(FP), SI
	MOVQ x_len+32(FP), CX

loop16:
	CMPQ    CX, $16
	JB      one8
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y4
	LOG_AVX2(Y0, Y1, Y2, Y3)
	LOG_AVX2(Y4, Y5, Y6, Y7)
	VMOVUPS Y0, (DI)
	VMOVUPS Y4, 32(DI)
	ADDQ    $64, SI
	ADDQ    $64, DI
	SUBQ    $16, CX
	JMP     loop16

one8:
	CMPQ    CX, $8
	JB      tail
	VMOVUPS (SI), Y0
	LOG_AVX2(Y0, Y1, Y2, Y3)
	VMOVUPS Y0, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	SUBQ    $8, CX

tail:
	TESTQ      CX, CX
	JZ         done
	TAIL_MASK(CX, AX, Y15)
	VMASKMOVPS (SI), Y15, Y0
	LOG_AVX2(Y0, Y1, Y2, Y3)
	VMASKMOVPS Y0, Y15, (DI)

done:
	VZEROUPPER
	RET

// func maxAVX2(x []float32) float32
// Requires: AVX
// Register map: SI x, CX elements left, AX scratch; Y0, Y1 running maxima;
// Y2, Y3 NaN flags (unordered compares OR-ed); Y4, Y5 loads; Y8 −Inf;
// Y15 tail mask.
TEXT ·maxAVX2(SB), NOSPLIT, $0-28
	MOVQ    x_base+0(FP), SI
	MOVQ    x_len+8(FP), CX
	VMOVUPS ·vmNegInf(SB), Y8
	VMOVUPS Y8, Y0
	VMOVUPS Y8, Y1
	VXORPS  Y2, Y2, Y2
	VXORPS  Y3, Y3, Y3

loop16:
	CMPQ    CX, $16
	JB      one8
	VMOVUPS (SI), Y4
	VMOVUPS 32(SI), Y5
	VMAXPS  Y4, Y0, Y0
	VMAXPS  Y5, Y1, Y1
	VCMPPS  $3, Y4, Y4, Y4
	VCMPPS  $3, Y5, Y5, Y5
	VORPS   Y4, Y2, Y2
	VORPS   Y5, Y3, Y3
	ADDQ    $64, SI
	SUBQ    $16, CX
	JMP     loop16

one8:
	CMPQ    CX, $8
	JB      tail
	VMOVUPS (SI), Y4
	VMAXPS  Y4, Y0, Y0
	VCMPPS  $3, Y4, Y4, Y4
	VORPS   Y4, Y2, Y2
	ADDQ    $32, SI
	SUBQ    $8, CX

tail:
	TESTQ      CX, CX
	JZ         reduce
	TAIL_MASK(CX, AX, Y15)
	VMASKMOVPS (SI), Y15, Y4
	VBLENDVPS  Y15, Y4, Y8, Y4
	VMAXPS     Y4, Y1, Y1
	VCMPPS     $3, Y4, Y4, Y4
	VORPS      Y4, Y3, Y3

reduce:
	VORPS        Y3, Y2, Y2
	VMOVMSKPS    Y2, AX
	TESTL        AX, AX
	JNZ          nan
	VMAXPS       Y1, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VMAXPS       X1, X0, X0
	VPERMILPS    $0x4e, X0, X1
	VMAXPS       X1, X0, X0
	VPERMILPS    $0xb1, X0, X1
	VMAXPS       X1, X0, X0
	VMOVSS       X0, ret+24(FP)
	VZEROUPPER
	RET

nan:
	MOVL $0x7fc00000, AX
	MOVL AX, ret+24(FP)
	VZEROUPPER
	RET

// func sumExpAVX2(x []float32, m float32) float32
// Requires: AVX, AVX2, FMA
// Register map: SI x, CX elements left, AX scratch; Y12 m; Y10, Y11 sums;
// Y0 values; Y1–Y3 scratch; in the 16-lane loop Y4–Y9, Y13–Y15 nine
// constants of EXP_RES_AVX2 (c4, c3 and c2 from memory), Y15 the tail
// mask after it.
TEXT ·sumExpAVX2(SB), NOSPLIT, $0-36
	MOVQ         x_base+0(FP), SI
	MOVQ         x_len+8(FP), CX
	VBROADCASTSS m+24(FP), Y12
	VXORPS       Y10, Y10, Y10
	VXORPS       Y11, Y11, Y11
	CMPQ         CX, $16
	JB           one8
	VMOVUPS      ·vmExpLo(SB), Y4
	VMOVUPS      ·vmExpHi(SB), Y5
	VMOVUPS      ·vmExpShift(SB), Y6
	VMOVUPS      ·vmLog2e(SB), Y7
	VMOVUPS      ·vmLn2Hi(SB), Y8
	VMOVUPS      ·vmLn2Lo(SB), Y9
	VMOVUPS      ·vmExpC5(SB), Y13
	VMOVUPS      ·vmOne(SB), Y14
	VMOVUPS      ·vmExpBias(SB), Y15

loop16:
	VMOVUPS (SI), Y0
	VSUBPS  Y12, Y0, Y0
	EXP_RES_AVX2(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7, Y8, Y9, Y13, ·vmExpC4(SB), ·vmExpC3(SB), ·vmExpC2(SB), Y14, Y15)
	VADDPS  Y0, Y10, Y10
	VMOVUPS 32(SI), Y0
	VSUBPS  Y12, Y0, Y0
	EXP_RES_AVX2(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7, Y8, Y9, Y13, ·vmExpC4(SB), ·vmExpC3(SB), ·vmExpC2(SB), Y14, Y15)
	VADDPS  Y0, Y11, Y11
	ADDQ    $64, SI
	SUBQ    $16, CX
	CMPQ    CX, $16
	JAE     loop16

one8:
	CMPQ    CX, $8
	JB      tail
	VMOVUPS (SI), Y0
	VSUBPS  Y12, Y0, Y0
	EXP_AVX2(Y0, Y1, Y2, Y3)
	VADDPS  Y0, Y10, Y10
	ADDQ    $32, SI
	SUBQ    $8, CX

tail:
	TESTQ      CX, CX
	JZ         reduce
	TAIL_MASK(CX, AX, Y15)
	VMASKMOVPS (SI), Y15, Y0
	VSUBPS     Y12, Y0, Y0
	EXP_AVX2(Y0, Y1, Y2, Y3)
	VANDPS     Y15, Y0, Y0
	VADDPS     Y0, Y11, Y11

reduce:
	VADDPS       Y11, Y10, Y10
	VEXTRACTF128 $1, Y10, X1
	VADDPS       X1, X10, X0
	VPERMILPS    $0x4e, X0, X1
	VADDPS       X1, X0, X0
	VPERMILPS    $0xb1, X0, X1
	VADDPS       X1, X0, X0
	VMOVSS       X0, ret+32(FP)
	VZEROUPPER
	RET
