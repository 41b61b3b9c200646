//go:build !purego

#include "textflag.h"
#include "quant_amd64.h"
#include "quant4_amd64.h"
#include "rows4_amd64.h"

// func cdfAVX2(dst, y, pi, mu, sg []float32, k int) int
// Requires: AVX, AVX2
//
// The contract is cdfAVX2's declaration in cdf_amd64.go. Four rows a
// block in float64 lanes, each row's components loaded into one vector per
// component (ROW4_LOAD). A first pass sums the weights (weightSum) and
// checks the block's components; a block the kernel cannot take ends the
// call. The second pass is mixCDF's loop for F alone, as the quantile
// kernel runs it (quant_amd64.s): z = (y − μ)·(1/σ), F += w where z ≥ 8.5,
// F += w·(c0 + t(c1 + t(c2 + t·c3))) from normPoly's cell where
// −8.5 < z < 8.5, each masked-off lane adding +0 (F starts at +0, so no
// sum here is −0 and +0 changes none).
//
// Registers: DI dst at the block, SI π, R9 μ, R10 σ at the block's first
// row; AX, BX, DX the same at the component, R12 the end of the first
// row's weights; R11 4·k (a row's bytes), R14 3·R11, R8 quantConst4, R13
// normPoly, CX a cell's offset; Y15 y, Y14 1/Σw, Y13 F, Y12 zero, Y11 the
// lanes the kernel takes, Y0-Y10 the components and scratch. Locals: the
// next block's y, and dst's end.
TEXT ·cdfAVX2(SB), NOSPLIT, $16-136
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), AX
	ANDQ $-4, AX
	LEAQ (DI)(AX*4), AX
	MOVQ AX, end-8(SP)
	MOVQ y_base+24(FP), AX
	MOVQ AX, yp-16(SP)
	MOVQ pi_base+48(FP), SI
	MOVQ mu_base+72(FP), R9
	MOVQ sg_base+96(FP), R10
	MOVQ k+120(FP), R11
	SHLQ $2, R11
	LEAQ (R11)(R11*2), R14
	LEAQ ·quantConst4(SB), R8
	LEAQ ·normPoly(SB), R13
	VXORPD Y12, Y12, Y12

cdfblock:
	CMPQ DI, end-8(SP)
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
	LEAQ     (SI)(R11*1), R12

cdfsum:
	ROW4_LOAD(AX, X0, Y0)
	ROW4_LOAD(BX, X2, Y2)
	ROW4_LOAD(DX, X3, Y3)
	VADDPD  Y0, Y1, Y1
	VCMPPD  $GT, Y12, Y0, Y4
	VCMPPD  $LT, D_INF(R8), Y0, Y5
	VANDPD  Y5, Y4, Y4
	VANDPD  D_ABS(R8), Y2, Y5
	VCMPPD  $LT, D_INF(R8), Y5, Y5
	VANDPD  Y5, Y4, Y4
	VCMPPD  $GT, Y12, Y3, Y5
	VANDPD  Y5, Y4, Y4
	VCMPPD  $LT, D_INF(R8), Y3, Y5
	VANDPD  Y5, Y4, Y4
	VCMPPD  $EQ, Y12, Y0, Y5
	VORPD   Y5, Y4, Y4
	VANDPD  Y4, Y11, Y11
	ADDQ    $4, AX
	ADDQ    $4, BX
	ADDQ    $4, DX
	CMPQ    AX, R12
	JNE     cdfsum
	VMOVMSKPD Y11, CX
	CMPL      CX, $15
	JNE       cdfdone

	VMOVUPD D_ONE(R8), Y14
	VDIVPD  Y1, Y14, Y14            // 1/Σw
	MOVQ    yp-16(SP), AX
	VCVTPS2PD (AX), Y15
	VXORPD  Y13, Y13, Y13
	MOVQ    SI, AX
	MOVQ    R9, BX
	MOVQ    R10, DX

cdfcomp:
	ROW4_LOAD(AX, X0, Y0)
	ROW4_LOAD(BX, X2, Y2)
	ROW4_LOAD(DX, X3, Y3)
	VMOVUPD D_ONE(R8), Y4
	VDIVPD  Y3, Y4, Y3              // 1/σ
	VMULPD  Y14, Y0, Y0             // w·(1/Σw)
	VSUBPD  Y2, Y15, Y2             // y − μ
	VMULPD  Y3, Y2, Y2              // z
	VCMPPD  $GT, Y12, Y0, Y4        // w > 0
	VCMPPD  $GE, D_ZMAX(R8), Y2, Y5
	VANDPD  Y4, Y5, Y5              // z ≥ 8.5: F += w
	VANDPD  Y0, Y5, Y6
	VADDPD  Y6, Y13, Y13
	VCMPPD  $GT, D_NZMAX(R8), Y2, Y6
	VANDPD  Y6, Y4, Y4
	VANDNPD Y4, Y5, Y4              // −8.5 < z < 8.5
	VMOVMSKPD Y4, CX
	TESTL   CX, CX
	JZ      cdfnext
	VADDPD  D_ZMAX(R8), Y2, Y7
	VMULPD  D_PERZ(R8), Y7, Y7      // t
	VCVTTPD2DQY Y7, X8              // its cell
	VPMAXSD X12, X8, X8
	VPMINSD D_LASTCELL(R8), X8, X8
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
	ADDQ $4, BX
	ADDQ $4, DX
	CMPQ AX, R12
	JNE  cdfcomp

	VCVTPD2PSY Y13, X13
	VMOVUPS    X13, (DI)
	ADDQ       $16, DI
	ADDQ       $16, yp-16(SP)
	LEAQ       (R14)(R11*1), AX
	ADDQ       AX, SI
	ADDQ       AX, R9
	ADDQ       AX, R10
	JMP        cdfblock

cdfdone:
	SUBQ dst_base+0(FP), DI
	SHRQ $2, DI
	MOVQ DI, ret+128(FP)
	VZEROUPPER
	RET
