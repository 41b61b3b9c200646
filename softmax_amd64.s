//go:build !purego

#include "textflag.h"
#include "vecmath_amd64.h"

// Row pieces of Softmax and LogSoftmax; the row loop, the max (maxAVX2 in
// vecmath_amd64.s) and the special rows are in softmax_amd64.go.

// func expSubSumAVX2(dst, x []float32, m float32) float32
// Requires: AVX, AVX2, FMA
// Register map: SI x, DI dst, CX elements left, AX scratch; Y12 m;
// Y10, Y11 sums; Y0, Y4 values; Y1–Y3, Y5–Y7 scratch; Y15 tail mask.
TEXT ·expSubSumAVX2(SB), NOSPLIT, $0-60
	MOVQ         dst_base+0(FP), DI
	MOVQ         x_base+24(FP), SI
	MOVQ         x_len+32(FP), CX
	VBROADCASTSS m+48(FP), Y12
	VXORPS       Y10, Y10, Y10
	VXORPS       Y11, Y11, Y11

loop16:
	CMPQ    CX, $16
	JB      one8
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y4
	VSUBPS  Y12, Y0, Y0
	VSUBPS  Y12, Y4, Y4
	EXP_AVX2(Y0, Y1, Y2, Y3)
	EXP_AVX2(Y4, Y5, Y6, Y7)
	VMOVUPS Y0, (DI)
	VMOVUPS Y4, 32(DI)
	VADDPS  Y0, Y10, Y10
	VADDPS  Y4, Y11, Y11
	ADDQ    $64, SI
	ADDQ    $64, DI
	SUBQ    $16, CX
	JMP     loop16

one8:
	CMPQ    CX, $8
	JB      tail
	VMOVUPS (SI), Y0
	VSUBPS  Y12, Y0, Y0
	EXP_AVX2(Y0, Y1, Y2, Y3)
	VMOVUPS Y0, (DI)
	VADDPS  Y0, Y10, Y10
	ADDQ    $32, SI
	ADDQ    $32, DI
	SUBQ    $8, CX

tail:
	TESTQ      CX, CX
	JZ         reduce
	LEAQ       ·vmTailMask(SB), AX
	NEGQ       CX
	VMOVDQU    32(AX)(CX*4), Y15
	VMASKMOVPS (SI), Y15, Y0
	VSUBPS     Y12, Y0, Y0
	EXP_AVX2(Y0, Y1, Y2, Y3)
	VANDPS     Y15, Y0, Y0
	VMASKMOVPS Y0, Y15, (DI)
	VADDPS     Y0, Y11, Y11

reduce:
	VADDPS       Y11, Y10, Y10
	VEXTRACTF128 $1, Y10, X1
	VADDPS       X1, X10, X0
	VPERMILPS    $0x4e, X0, X1
	VADDPS       X1, X0, X0
	VPERMILPS    $0xb1, X0, X1
	VADDPS       X1, X0, X0
	VMOVSS       X0, ret+56(FP)
	VZEROUPPER
	RET

// func scaleAVX2(dst []float32, s float32)
// Requires: AVX
// Register map: DI dst, CX elements left, AX scratch; Y12 s; Y0–Y3 values;
// Y15 tail mask.
TEXT ·scaleAVX2(SB), NOSPLIT, $0-28
	MOVQ         dst_base+0(FP), DI
	MOVQ         dst_len+8(FP), CX
	VBROADCASTSS s+24(FP), Y12

loop32:
	CMPQ    CX, $32
	JB      one8
	VMULPS  (DI), Y12, Y0
	VMULPS  32(DI), Y12, Y1
	VMULPS  64(DI), Y12, Y2
	VMULPS  96(DI), Y12, Y3
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, 64(DI)
	VMOVUPS Y3, 96(DI)
	ADDQ    $128, DI
	SUBQ    $32, CX
	JMP     loop32

one8:
	CMPQ    CX, $8
	JB      tail
	VMULPS  (DI), Y12, Y0
	VMOVUPS Y0, (DI)
	ADDQ    $32, DI
	SUBQ    $8, CX
	JMP     one8

tail:
	TESTQ      CX, CX
	JZ         done
	LEAQ       ·vmTailMask(SB), AX
	NEGQ       CX
	VMOVDQU    32(AX)(CX*4), Y15
	VMASKMOVPS (DI), Y15, Y0
	VMULPS     Y0, Y12, Y0
	VMASKMOVPS Y0, Y15, (DI)

done:
	VZEROUPPER
	RET

// func subSubAVX2(dst, x []float32, m, l float32)
// Requires: AVX
// Register map: SI x, DI dst, CX elements left, AX scratch; Y12 m, Y13 l;
// Y0–Y3 values; Y15 tail mask.
TEXT ·subSubAVX2(SB), NOSPLIT, $0-56
	MOVQ         dst_base+0(FP), DI
	MOVQ         x_base+24(FP), SI
	MOVQ         x_len+32(FP), CX
	VBROADCASTSS m+48(FP), Y12
	VBROADCASTSS l+52(FP), Y13

loop32:
	CMPQ    CX, $32
	JB      one8
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y1
	VMOVUPS 64(SI), Y2
	VMOVUPS 96(SI), Y3
	VSUBPS  Y12, Y0, Y0
	VSUBPS  Y12, Y1, Y1
	VSUBPS  Y12, Y2, Y2
	VSUBPS  Y12, Y3, Y3
	VSUBPS  Y13, Y0, Y0
	VSUBPS  Y13, Y1, Y1
	VSUBPS  Y13, Y2, Y2
	VSUBPS  Y13, Y3, Y3
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, 64(DI)
	VMOVUPS Y3, 96(DI)
	ADDQ    $128, SI
	ADDQ    $128, DI
	SUBQ    $32, CX
	JMP     loop32

one8:
	CMPQ    CX, $8
	JB      tail
	VMOVUPS (SI), Y0
	VSUBPS  Y12, Y0, Y0
	VSUBPS  Y13, Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	SUBQ    $8, CX
	JMP     one8

tail:
	TESTQ      CX, CX
	JZ         done
	LEAQ       ·vmTailMask(SB), AX
	NEGQ       CX
	VMOVDQU    32(AX)(CX*4), Y15
	VMASKMOVPS (SI), Y15, Y0
	VSUBPS     Y12, Y0, Y0
	VSUBPS     Y13, Y0, Y0
	VMASKMOVPS Y0, Y15, (DI)

done:
	VZEROUPPER
	RET
