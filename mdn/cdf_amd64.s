//go:build !purego

#include "textflag.h"
#include "quant_amd64.h"
#include "quant4_amd64.h"
#include "rows4_amd64.h"

// func cdfAVX2(dst, y, pi, mu, sg []float32, n, k, d int) int
// Requires: AVX, AVX2
//
// The contract is cdfAVX2's declaration in cdf_amd64.go. Four rows a
// block in float64 lanes, each row's components loaded into one vector per
// component (ROW4_LOAD, ROW4_LOADS). A first pass sums the weights
// (weightSum) and checks the block's components; a block the kernel cannot
// take ends the call. The second pass is mixCDF's loop for F alone, as the
// quantile kernel runs it (quant_amd64.s): z = (y − μ)·(1/σ), F += w where
// z ≥ 8.5, F += w·(c0 + t(c1 + t(c2 + t·c3))) from normPoly's cell where
// −8.5 < z < 8.5, each masked-off lane adding +0 (F starts at +0, so no
// sum here is −0 and +0 changes none). With d dimensions, μ and σ are
// strided (a component d floats on, a row k·d) and so are y and dst (a
// row d floats on).
//
// Registers: DI dst at the block, SI π, R9 μ, R10 σ at the block's first
// row; AX, BX, DX the same at the component; R11 4·k (a row of π), R14
// 3·R11, R8 4·k·d (a row of μ and σ), R12 3·R8, R13 normPoly, CX a
// cell's offset; Y15 y, Y14 1/Σw, Y13 F, Y12 zero, Y11 the lanes the
// kernel takes, Y0-Y10 the components and scratch. The constants are
// quantConst4's, by address. Locals: the blocks left, the block's y,
// 4·d (a component's step in μ and σ, a row's in y and dst), and the end
// of the block's first row of π.
TEXT ·cdfAVX2(SB), NOSPLIT, $32-152
	MOVQ  n+120(FP), AX
	SHRQ  $2, AX
	MOVQ  AX, blocks-8(SP)
	MOVQ  y_base+24(FP), AX
	MOVQ  AX, yp-16(SP)
	MOVQ  dst_base+0(FP), DI
	MOVQ  pi_base+48(FP), SI
	MOVQ  mu_base+72(FP), R9
	MOVQ  sg_base+96(FP), R10
	MOVQ  k+128(FP), R11
	SHLQ  $2, R11
	MOVQ  d+136(FP), CX
	MOVQ  R11, R8
	IMULQ CX, R8
	SHLQ  $2, CX
	MOVQ  CX, step-24(SP)
	LEAQ  (R11)(R11*2), R14
	LEAQ  (R8)(R8*2), R12
	LEAQ  ·normPoly(SB), R13
	VXORPD Y12, Y12, Y12

cdfblock:
	CMPQ blocks-8(SP), $0
	JEQ  cdfdone

	// Σw in weightSum's order, and the lanes the kernel takes: each
	// component of weight 0, or of a positive, finite weight, a finite μ
	// and a positive, finite σ. (Where all weights are 0, 1/Σw = +Inf makes
	// every w·(1/Σw) NaN, which no mask below lets through: F = 0, as
	// mixCDF gives with no components.)
	VXORPD   Y1, Y1, Y1
	VPCMPEQQ Y11, Y11, Y11
	MOVQ     SI, AX
	MOVQ     R9, BX
	MOVQ     R10, DX
	LEAQ     (SI)(R11*1), CX
	MOVQ     CX, pend-32(SP)

cdfsum:
	ROW4_LOAD(AX, X0, Y0)
	ROW4_LOADS(BX, R8, R12, X2, Y2)
	ROW4_LOADS(DX, R8, R12, X3, Y3)
	VADDPD  Y0, Y1, Y1
	VCMPPD  $GT, Y12, Y0, Y4
	VCMPPD  $LT, ·quantConst4+D_INF(SB), Y0, Y5
	VANDPD  Y5, Y4, Y4
	VANDPD  ·quantConst4+D_ABS(SB), Y2, Y5
	VCMPPD  $LT, ·quantConst4+D_INF(SB), Y5, Y5
	VANDPD  Y5, Y4, Y4
	VCMPPD  $GT, Y12, Y3, Y5
	VANDPD  Y5, Y4, Y4
	VCMPPD  $LT, ·quantConst4+D_INF(SB), Y3, Y5
	VANDPD  Y5, Y4, Y4
	VCMPPD  $EQ, Y12, Y0, Y5
	VORPD   Y5, Y4, Y4
	VANDPD  Y4, Y11, Y11
	ADDQ    $4, AX
	ADDQ    step-24(SP), BX
	ADDQ    step-24(SP), DX
	CMPQ    AX, pend-32(SP)
	JNE     cdfsum
	VMOVMSKPD Y11, CX
	CMPL      CX, $15
	JNE       cdfdone

	VMOVUPD ·quantConst4+D_ONE(SB), Y14
	VDIVPD  Y1, Y14, Y14            // 1/Σw
	MOVQ    yp-16(SP), AX
	MOVQ    step-24(SP), CX
	VMOVSS    (AX), X15             // the block's y
	VINSERTPS $0x10, (AX)(CX*1), X15, X15
	VINSERTPS $0x20, (AX)(CX*2), X15, X15
	LEAQ      (AX)(CX*2), AX
	VINSERTPS $0x30, (AX)(CX*1), X15, X15
	VCVTPS2PD X15, Y15
	VXORPD  Y13, Y13, Y13
	MOVQ    SI, AX
	MOVQ    R9, BX
	MOVQ    R10, DX

cdfcomp:
	ROW4_LOAD(AX, X0, Y0)
	ROW4_LOADS(BX, R8, R12, X2, Y2)
	ROW4_LOADS(DX, R8, R12, X3, Y3)
	VMOVUPD ·quantConst4+D_ONE(SB), Y4
	VDIVPD  Y3, Y4, Y3              // 1/σ
	VMULPD  Y14, Y0, Y0             // w·(1/Σw)
	VSUBPD  Y2, Y15, Y2             // y − μ
	VMULPD  Y3, Y2, Y2              // z
	VCMPPD  $GT, Y12, Y0, Y4        // w > 0
	VCMPPD  $GE, ·quantConst4+D_ZMAX(SB), Y2, Y5
	VANDPD  Y4, Y5, Y5              // z ≥ 8.5: F += w
	VANDPD  Y0, Y5, Y6
	VADDPD  Y6, Y13, Y13
	VCMPPD  $GT, ·quantConst4+D_NZMAX(SB), Y2, Y6
	VANDPD  Y6, Y4, Y4
	VANDNPD Y4, Y5, Y4              // −8.5 < z < 8.5
	VMOVMSKPD Y4, CX
	TESTL   CX, CX
	JZ      cdfnext
	VADDPD  ·quantConst4+D_ZMAX(SB), Y2, Y7
	VMULPD  ·quantConst4+D_PERZ(SB), Y7, Y7      // t
	VCVTTPD2DQY Y7, X8              // its cell
	VPMAXSD X12, X8, X8
	VPMINSD ·quantConst4+D_LASTCELL(SB), X8, X8
	VCVTDQ2PD X8, Y9
	VSUBPD  Y9, Y7, Y7              // t within the cell
	VPSLLD  $2, X8, X8

	// The cells' coefficients, lanes 0 and 2 then 1 and 3 in the halves
	// of four registers, unpacked to c0 … c3 across the lanes. The clamped
	// cell is within normPoly in every lane.
	VMOVD       X8, CX
	VMOVUPD     (R13)(CX*8), X9
	VMOVUPD     16(R13)(CX*8), X10
	VPEXTRD     $2, X8, CX
	VINSERTF128 $1, (R13)(CX*8), Y9, Y9
	VINSERTF128 $1, 16(R13)(CX*8), Y10, Y10
	VPEXTRD     $1, X8, CX
	VMOVUPD     (R13)(CX*8), X3
	VMOVUPD     16(R13)(CX*8), X6
	VPEXTRD     $3, X8, CX
	VINSERTF128 $1, (R13)(CX*8), Y3, Y3
	VINSERTF128 $1, 16(R13)(CX*8), Y6, Y6
	VUNPCKLPD   Y3, Y9, Y8          // c0
	VUNPCKHPD   Y3, Y9, Y9          // c1
	VUNPCKLPD   Y6, Y10, Y3         // c2
	VUNPCKHPD   Y6, Y10, Y10        // c3

	// F += w·(c0 + t(c1 + t(c2 + t·c3)))
	VMULPD Y10, Y7, Y6
	VADDPD Y6, Y3, Y6
	VMULPD Y6, Y7, Y6
	VADDPD Y6, Y9, Y6
	VMULPD Y6, Y7, Y6
	VADDPD Y6, Y8, Y6
	VMULPD Y6, Y0, Y6
	VANDPD Y4, Y6, Y6
	VADDPD Y6, Y13, Y13

cdfnext:
	ADDQ $4, AX
	ADDQ step-24(SP), BX
	ADDQ step-24(SP), DX
	CMPQ AX, pend-32(SP)
	JNE  cdfcomp

	VCVTPD2PSY Y13, X13
	MOVQ       step-24(SP), CX
	VMOVSS     X13, (DI)
	VEXTRACTPS $1, X13, (DI)(CX*1)
	LEAQ       (DI)(CX*2), DI
	VEXTRACTPS $2, X13, (DI)
	VEXTRACTPS $3, X13, (DI)(CX*1)
	LEAQ       (DI)(CX*2), DI
	SHLQ       $2, CX
	ADDQ       CX, yp-16(SP)
	DECQ       blocks-8(SP)
	LEAQ       (R14)(R11*1), AX
	ADDQ       AX, SI
	LEAQ       (R12)(R8*1), AX
	ADDQ       AX, R9
	ADDQ       AX, R10
	JMP        cdfblock

cdfdone:
	MOVQ n+120(FP), AX
	SHRQ $2, AX
	SUBQ blocks-8(SP), AX
	SHLQ $2, AX
	MOVQ AX, ret+144(FP)
	VZEROUPPER
	RET
