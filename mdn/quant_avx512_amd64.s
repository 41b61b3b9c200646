//go:build !purego

#include "textflag.h"

// The quantile kernels (quant_amd64.go): eight (row, dimension) pairs in
// the float64 lanes of a ZMM register, with the Go code's operations in
// its order (no fused multiply-add, since Go rounds each product), so that
// every lane ends with the Go solver's bits.

#include "quant_amd64.h"

// quantConst, byte offsets
#define C_HALF 0
#define C_ONE 8
#define C_TWO 16
#define C_MTWO 24
#define C_MONE 32
#define C_ZMAX 40
#define C_NZMAX 48
#define C_PERZ 56
#define C_PERZ2 64
#define C_THREE 72
#define C_SIX 80
#define C_MAXF 88
#define C_NMAXF 96
#define C_INF 104
#define C_PLOW 112
#define C_PHIGH 120
#define C_SQRT2 128
#define C_LN2HI 136
#define C_LN2LO 144
#define C_LG 152
#define C_A 208
#define C_B 256
#define C_C 296
#define C_D 344
#define C_SB3 376
#define C_SB2 384
#define C_SB1 392
#define C_SB0 400
#define C_QUARTER 408
#define C_ABS 416

// func quantPrepAVX512(b *qbatch, k int) (ok uint8)
TEXT ·quantPrepAVX512(SB), NOSPLIT, $0-17
	MOVQ b+0(FP), SI
	MOVQ k+8(FP), R8
	SHLQ $6, R8 // k·64: the end of a field
	LEAQ ·quantConst(SB), R9

	// The weights' sum, in order; norm = 1/sum. A lane is solved here only
	// if 0 < sum < +Inf.
	VXORPD Z0, Z0, Z0
	XORQ   AX, AX

prepSum:
	VADDPD B_W(SI)(AX*1), Z0, Z0
	ADDQ   $64, AX
	CMPQ   AX, R8
	JLT    prepSum
	VXORPD       Z1, Z1, Z1
	VCMPPD       $GT, Z1, Z0, K1
	VCMPPD.BCST  $LT, C_INF(R9), Z0, K1, K1  // ok so far
	VBROADCASTSD C_ONE(R9), Z2
	VDIVPD       Z0, Z2, Z2                 // norm
	KXORB        K2, K2, K2                 // bad

	// Each component: w·norm, 1/σ, w/σ, w/σ²; one of nonzero weight makes
	// its lane bad unless 0 < w, σ ≤ MaxFloat32 and |μ| ≤ MaxFloat32.
	XORQ AX, AX

prepComp:
	VMOVUPD     B_W(SI)(AX*1), Z3
	VMOVUPD     B_M(SI)(AX*1), Z4
	VMOVUPD     B_S(SI)(AX*1), Z5
	VCMPPD      $0x04, Z1, Z3, K3            // w ≠ 0 (or NaN)
	VCMPPD      $GT, Z1, Z3, K4              // w > 0
	VCMPPD.BCST $LE, C_MAXF(R9), Z3, K4, K4
	VCMPPD      $GT, Z1, Z5, K4, K4          // σ > 0
	VCMPPD.BCST $LE, C_MAXF(R9), Z5, K4, K4
	VCMPPD.BCST $LE, C_MAXF(R9), Z4, K4, K4  // μ
	VCMPPD.BCST $GE, C_NMAXF(R9), Z4, K4, K4
	KANDNB      K3, K4, K3                   // w ≠ 0 and not valid
	KORB        K2, K3, K2
	VBROADCASTSD C_ONE(R9), Z6
	VDIVPD      Z5, Z6, Z6                   // 1/σ
	VMULPD      Z2, Z3, Z3                   // w·norm
	VMULPD      Z6, Z3, Z7                   // w/σ
	VMULPD      Z6, Z7, Z8                   // w/σ²
	VMOVUPD     Z3, B_W(SI)(AX*1)
	VMOVUPD     Z6, B_INV(SI)(AX*1)
	VMOVUPD     Z7, B_WI(SI)(AX*1)
	VMOVUPD     Z8, B_WI2(SI)(AX*1)
	ADDQ        $64, AX
	CMPQ        AX, R8
	JLT         prepComp
	KANDNB      K1, K2, K1
	KMOVB       K1, AX
	MOVB        AX, ok+16(FP)

	// cumulate: below, and the sums over the components of nonzero
	// weight (masked: a component of weight 0 may have any μ and σ, and
	// adds nothing).
	VXORPD Z0, Z0, Z0 // Σ w/σ
	VXORPD Z1, Z1, Z1 // Σ w/σ²
	VXORPD Z2, Z2, Z2 // Σ w/σ³
	VXORPD Z9, Z9, Z9
	XORQ   AX, AX // component c, as a byte offset

cumOuter:
	VMOVUPD B_M(SI)(AX*1), Z3 // m_c
	VXORPD  Z4, Z4, Z4        // below
	XORQ    BX, BX

	// Before c: w_j counts where m_c − m_j has its sign bit clear.
cumBefore:
	CMPQ     BX, AX
	JEQ      cumAfterStart
	VMOVUPD  B_M(SI)(BX*1), Z5
	VSUBPD   Z5, Z3, Z5
	VPMOVQ2M Z5, K1
	KNOTB    K1, K1
	VADDPD   B_W(SI)(BX*1), Z4, K1, Z4
	ADDQ     $64, BX
	JMP      cumBefore

cumAfterStart:
	ADDQ $64, BX

	// After c: w_j counts where m_j − m_c has its sign bit set.
cumAfter:
	CMPQ     BX, R8
	JGE      cumStore
	VMOVUPD  B_M(SI)(BX*1), Z5
	VSUBPD   Z3, Z5, Z5
	VPMOVQ2M Z5, K1
	VADDPD   B_W(SI)(BX*1), Z4, K1, Z4
	ADDQ     $64, BX
	JMP      cumAfter

cumStore:
	VMOVUPD Z4, B_BELOW(SI)(AX*1)
	VMOVUPD B_W(SI)(AX*1), Z5
	VCMPPD  $GT, Z9, Z5, K2           // w > 0
	VADDPD  B_WI(SI)(AX*1), Z0, K2, Z0
	VMOVUPD B_WI2(SI)(AX*1), Z5
	VADDPD  Z5, Z1, K2, Z1
	VMULPD  B_INV(SI)(AX*1), Z5, Z5
	VADDPD  Z5, Z2, K2, Z2
	ADDQ    $64, AX
	CMPQ    AX, R8
	JLT     cumOuter

	VMOVUPD Z0, B_SUMS(SI)
	VMOVUPD Z1, B_SUMS+64(SI)
	VMOVUPD Z2, B_SUMS+128(SI)
	VZEROUPPER
	RET

// func quantLevelsAVX512(b *qbatch, k int, lvs *qlevel, outs *qout, nl int)
//
// In stages, each over all nl levels: the starts, then twice F at the
// iterates and the steps. A stage's levels are independent, so that the
// CPU overlaps their chains of dependent operations; the state between
// stages is in outs.
TEXT ·quantLevelsAVX512(SB), NOSPLIT, $0-40
	MOVQ b+0(FP), SI
	MOVQ k+8(FP), R11
	SHLQ $6, R11 // k·64: the end of a field
	LEAQ ·quantConst(SB), R8
	LEAQ ·normPoly(SB), R9

	VXORPD       Z31, Z31, Z31     // 0
	VBROADCASTSD C_ONE(R8), Z30    // 1
	MOVQ         $1087, AX         // the last cell of normPoly
	VPBROADCASTQ AX, Z28

	MOVQ lvs+16(FP), DX
	MOVQ outs+24(FP), DI
	MOVQ nl+32(FP), R15

startLevel:
	VBROADCASTSD L_SG(DX), Z29     // sg

	// The start (startPoint): the first component whose share holds the
	// level, the components taken in order of their means: x = a − thr,
	// thr = below (lower) or 1 − below − w (upper), 0 ≤ x < w.
	VBROADCASTSD L_A(DX), Z0
	KXORB        K1, K1, K1        // found
	VMOVAPD      Z31, Z1           // its m
	VMOVAPD      Z30, Z2           // its σ
	VMOVAPD      Z31, Z3           // its x
	VMOVAPD      Z30, Z4           // its w
	MOVQ         L_UPPER(DX), R10
	XORQ         AX, AX

startLoop:
	VMOVUPD B_W(SI)(AX*1), Z5
	VMOVUPD B_BELOW(SI)(AX*1), Z6
	TESTQ   R10, R10
	JZ      startLower
	VSUBPD  Z6, Z30, Z6 // 1 − below
	VSUBPD  Z5, Z6, Z6  // − w

startLower:
	VSUBPD  Z6, Z0, Z7             // x
	VCMPPD  $GE, Z31, Z7, K2       // x ≥ 0
	VCMPPD  $LT, Z5, Z7, K2, K2    // x < w
	KANDNB  K2, K1, K2             // and not found before
	VMOVUPD B_M(SI)(AX*1), K2, Z1
	VMOVUPD B_S(SI)(AX*1), K2, Z2
	VMOVAPD Z7, K2, Z3
	VMOVAPD Z5, K2, Z4
	KORB    K1, K2, K1
	ADDQ    $64, AX
	CMPQ    AX, R11
	JLT     startLoop

	VDIVPD Z4, Z3, Z8           // p = x/w
	VCMPPD $GT, Z31, Z8, K1, K3 // found, p > 0
	VCMPPD $LT, Z30, Z8, K3, K3 // p < 1

	// normQuantileApprox(p). The central region:
	VSUBPD.BCST  C_HALF(R8), Z8, Z9 // q = p − 0.5
	VMULPD       Z9, Z9, Z10        // r = q²
	VMULPD.BCST  C_A(R8), Z10, Z11
	VADDPD.BCST  C_A+8(R8), Z11, Z11
	VMULPD       Z10, Z11, Z11
	VADDPD.BCST  C_A+16(R8), Z11, Z11
	VMULPD       Z10, Z11, Z11
	VADDPD.BCST  C_A+24(R8), Z11, Z11
	VMULPD       Z10, Z11, Z11
	VADDPD.BCST  C_A+32(R8), Z11, Z11
	VMULPD       Z10, Z11, Z11
	VADDPD.BCST  C_A+40(R8), Z11, Z11
	VMULPD       Z9, Z11, Z11
	VMULPD.BCST  C_B(R8), Z10, Z12
	VADDPD.BCST  C_B+8(R8), Z12, Z12
	VMULPD       Z10, Z12, Z12
	VADDPD.BCST  C_B+16(R8), Z12, Z12
	VMULPD       Z10, Z12, Z12
	VADDPD.BCST  C_B+24(R8), Z12, Z12
	VMULPD       Z10, Z12, Z12
	VADDPD.BCST  C_B+32(R8), Z12, Z12
	VMULPD       Z10, Z12, Z12
	VADDPD       Z30, Z12, Z12
	VDIVPD       Z12, Z11, Z13      // z, central

	// The tails: q = √(−2·startLog(pt)), pt = p below pLow, 1 − p above.
	VCMPPD.BCST $LT, C_PLOW(R8), Z8, K4
	VCMPPD.BCST $GT, C_PHIGH(R8), Z8, K6
	KORTESTB    K4, K6
	JZ          central                   // no lane in a tail
	VSUBPD      Z8, Z30, Z14
	VMOVAPD     Z8, K4, Z14
	VGETEXPPD   Z14, Z15                  // e
	VGETMANTPD  $0, Z14, Z16              // m in [1, 2)
	VCMPPD.BCST $GT, C_SQRT2(R8), Z16, K5
	VMULPD.BCST C_HALF(R8), Z16, K5, Z16
	VADDPD      Z30, Z15, K5, Z15
	VSUBPD      Z30, Z16, Z16             // f = m − 1
	VADDPD.BCST C_TWO(R8), Z16, Z17
	VDIVPD      Z17, Z16, Z17             // s = f/(2 + f)
	VMULPD      Z17, Z17, Z18             // s²
	VMULPD      Z18, Z18, Z19             // s⁴
	VMULPD.BCST C_LG+48(R8), Z19, Z20
	VADDPD.BCST C_LG+32(R8), Z20, Z20
	VMULPD      Z19, Z20, Z20
	VADDPD.BCST C_LG+16(R8), Z20, Z20
	VMULPD      Z19, Z20, Z20
	VADDPD.BCST C_LG(R8), Z20, Z20
	VMULPD      Z18, Z20, Z20             // t1
	VMULPD.BCST C_LG+40(R8), Z19, Z21
	VADDPD.BCST C_LG+24(R8), Z21, Z21
	VMULPD      Z19, Z21, Z21
	VADDPD.BCST C_LG+8(R8), Z21, Z21
	VMULPD      Z19, Z21, Z21             // t2
	VADDPD      Z21, Z20, Z20             // R
	VMULPD.BCST C_HALF(R8), Z16, Z21
	VMULPD      Z16, Z21, Z21             // hfsq = 0.5·f·f
	VADDPD      Z20, Z21, Z22
	VMULPD      Z22, Z17, Z22             // s·(hfsq + R)
	VMULPD.BCST C_LN2LO(R8), Z15, Z23
	VADDPD      Z23, Z22, Z22
	VSUBPD      Z22, Z21, Z22             // hfsq − (…)
	VSUBPD      Z16, Z22, Z22             // − f
	VMULPD.BCST C_LN2HI(R8), Z15, Z23
	VSUBPD      Z22, Z23, Z22             // ln pt
	VMULPD.BCST C_MTWO(R8), Z22, Z22
	VSQRTPD     Z22, Z22                  // q
	VMULPD.BCST C_C(R8), Z22, Z23
	VADDPD.BCST C_C+8(R8), Z23, Z23
	VMULPD      Z22, Z23, Z23
	VADDPD.BCST C_C+16(R8), Z23, Z23
	VMULPD      Z22, Z23, Z23
	VADDPD.BCST C_C+24(R8), Z23, Z23
	VMULPD      Z22, Z23, Z23
	VADDPD.BCST C_C+32(R8), Z23, Z23
	VMULPD      Z22, Z23, Z23
	VADDPD.BCST C_C+40(R8), Z23, Z23
	VMULPD.BCST C_D(R8), Z22, Z24
	VADDPD.BCST C_D+8(R8), Z24, Z24
	VMULPD      Z22, Z24, Z24
	VADDPD.BCST C_D+16(R8), Z24, Z24
	VMULPD      Z22, Z24, Z24
	VADDPD.BCST C_D+24(R8), Z24, Z24
	VMULPD      Z22, Z24, Z24
	VADDPD      Z30, Z24, Z24
	VDIVPD      Z24, Z23, Z23             // the lower tail's z
	VMULPD.BCST C_MONE(R8), Z23, Z24
	VMOVAPD     Z24, K6, Z13
	VMOVAPD     Z23, K4, Z13              // z

central:

	// y0 = m + σ·(sg·z); a valid start is finite within ±MaxFloat32.
	VMULPD      Z29, Z13, Z13
	VMULPD      Z13, Z2, Z13
	VADDPD      Z13, Z1, Z13
	VMOVUPD     Z13, O_Y0(DI)
	VCMPPD.BCST $LT, C_MAXF(R8), Z13, K3, K3
	VCMPPD.BCST $GT, C_NMAXF(R8), Z13, K3, K3
	KMOVB       K3, O_START(DI)
	VCVTPD2PS   Z13, Y12                  // y

	// The solver's state before its first iteration: y, the bracket
	// (±MaxFloat32, |F − α| = +Inf at both ends), the last step +Inf. The
	// lanes the kernel solves: a valid start.
	VMOVUPS      Y12, O_Q(DI)
	VBROADCASTSD C_NMAXF(R8), Z0
	VMOVUPD      Z0, O_LO(DI)
	VBROADCASTSD C_MAXF(R8), Z0
	VMOVUPD      Z0, O_HI(DI)
	VBROADCASTSD C_INF(R8), Z0
	VMOVUPD      Z0, O_RLO(DI)
	VMOVUPD      Z0, O_RHI(DI)
	VMOVUPD      Z0, O_DX1(DI)
	MOVL         $0, O_DONE(DI) // done, cont, cont2, start
	KMOVB        K3, O_START(DI)
	KMOVB        K3, O_ACT(DI)  // the lanes the next iteration runs on
	ADDQ         $QLEVEL_SIZE, DX
	ADDQ         $QOUT_SIZE, DI
	DECQ         R15
	JNZ          startLevel

	MOVQ $0, B_ITER(SI)

	// An iteration of solve on each level's lanes act, from the state in
	// outs: first F, f and f′ at the iterates (mixCDF), into p, f, fp in
	// the first iteration and p2, f2, fp2 in the second.
iterate:
	MOVQ lvs+16(FP), DX
	MOVQ outs+24(FP), DI
	MOVQ nl+32(FP), R15

cdfLevel:
	MOVBQZX      O_ACT(DI), R14
	TESTQ        R14, R14
	JZ           cdfLevelNext
	VBROADCASTSD L_SG(DX), Z29
	VMOVUPS      O_Q(DI), Y12             // y
	VCVTPS2PD    Y12, Z14                 // y in float64
	KMOVB        R14, K2                  // the lanes F is needed at
	LEAQ      ·quantPerm(SB), BX
	VMOVDQU64 (BX), Z4
	VMOVDQU64 64(BX), Z5
	VXORPD Z15, Z15, Z15
	VXORPD Z16, Z16, Z16
	VXORPD Z17, Z17, Z17
	XORQ   AX, AX

cdfLoop:
	VMOVUPD     B_M(SI)(AX*1), Z18
	VSUBPD      Z18, Z14, Z18               // y − m
	VMULPD      Z29, Z18, Z18               // sg·(y − m)
	VMULPD      B_INV(SI)(AX*1), Z18, Z18   // z
	VMOVUPD     B_W(SI)(AX*1), Z19
	VCMPPD      $GT, Z31, Z19, K2, K4       // w > 0, in the lanes F is needed at
	VCMPPD.BCST $GE, C_ZMAX(R8), Z18, K4, K5
	VADDPD      Z19, Z15, K5, Z15           // z ≥ 8.5: F += w
	VCMPPD.BCST $GT, C_NZMAX(R8), Z18, K4, K4
	KANDNB      K4, K5, K4                  // −8.5 < z < 8.5
	KORTESTB    K4, K4
	JZ          cdfNext
	VADDPD.BCST C_ZMAX(R8), Z18, Z20
	VMULPD.BCST C_PERZ(R8), Z20, Z20        // t
	VCVTTPD2QQ  Z20, Z21                    // its cell
	VPMAXSQ     Z31, Z21, Z21
	VPMINSQ     Z28, Z21, Z21
	VCVTQQ2PD   Z21, Z22
	VSUBPD      Z22, Z20, Z20               // t within the cell
	VPSLLQ      $2, Z21, Z21

	// The cells' coefficients: each lane's four (32 bytes) loaded as a row,
	// two lanes to a register, then transposed (VPERMI2PD, VSHUFF64X2) to
	// c0 … c3 across the lanes; faster here than four VGATHERQPD. The
	// clamped cell is within normPoly in every lane.
	VMOVQ          X21, BX
	VPEXTRQ        $1, X21, R10
	VEXTRACTI64X2  $1, Z21, X0
	VMOVQ          X0, R12
	VPEXTRQ        $1, X0, R13
	VMOVUPD      (R9)(BX*8), Y0
	VINSERTF64X4 $1, (R9)(R10*8), Z0, Z0  // lanes 0, 1
	VMOVUPD      (R9)(R12*8), Y1
	VINSERTF64X4 $1, (R9)(R13*8), Z1, Z1  // lanes 2, 3
	VEXTRACTI64X2  $2, Z21, X2
	VMOVQ          X2, BX
	VPEXTRQ        $1, X2, R10
	VEXTRACTI64X2  $3, Z21, X3
	VMOVQ          X3, R12
	VPEXTRQ        $1, X3, R13
	VMOVUPD      (R9)(BX*8), Y2
	VINSERTF64X4 $1, (R9)(R10*8), Z2, Z2  // lanes 4, 5
	VMOVUPD      (R9)(R12*8), Y3
	VINSERTF64X4 $1, (R9)(R13*8), Z3, Z3  // lanes 6, 7
	VMOVDQA64    Z4, Z6
	VPERMI2PD    Z1, Z0, Z6               // c0, c1 of lanes 0–3
	VMOVDQA64    Z5, Z7
	VPERMI2PD    Z1, Z0, Z7               // c2, c3 of lanes 0–3
	VMOVDQA64    Z4, Z8
	VPERMI2PD    Z3, Z2, Z8               // c0, c1 of lanes 4–7
	VMOVDQA64    Z5, Z9
	VPERMI2PD    Z3, Z2, Z9               // c2, c3 of lanes 4–7
	VSHUFF64X2   $0x44, Z8, Z6, Z22       // c0
	VSHUFF64X2   $0xee, Z8, Z6, Z23       // c1
	VSHUFF64X2   $0x44, Z9, Z7, Z24       // c2
	VSHUFF64X2   $0xee, Z9, Z7, Z25       // c3

	// F += w·(c0 + t(c1 + t(c2 + t·c3)))
	VMULPD Z25, Z20, Z26
	VADDPD Z26, Z24, Z26
	VMULPD Z26, Z20, Z26
	VADDPD Z26, Z23, Z26
	VMULPD Z26, Z20, Z26
	VADDPD Z26, Z22, Z26
	VMULPD Z26, Z19, Z26
	VADDPD Z26, Z15, K4, Z15

	// f += w/σ·(c1 + t(2c2 + 3t·c3))
	VADDPD      Z24, Z24, Z27
	VMULPD.BCST C_THREE(R8), Z20, Z26
	VMULPD      Z25, Z26, Z26
	VADDPD      Z26, Z27, Z26
	VMULPD      Z26, Z20, Z26
	VADDPD      Z26, Z23, Z26
	VMULPD      B_WI(SI)(AX*1), Z26, Z26
	VADDPD      Z26, Z16, K4, Z16

	// f′ += w/σ²·(2c2 + 6t·c3)
	VMULPD.BCST C_SIX(R8), Z20, Z26
	VMULPD      Z25, Z26, Z26
	VADDPD      Z26, Z27, Z26
	VMULPD      B_WI2(SI)(AX*1), Z26, Z26
	VADDPD      Z26, Z17, K4, Z17

cdfNext:
	ADDQ $64, AX
	CMPQ AX, R11
	JLT  cdfLoop

	VMULPD.BCST C_PERZ(R8), Z16, Z16  // f
	VMULPD      Z29, Z17, Z17
	VMULPD.BCST C_PERZ2(R8), Z17, Z17 // f′
	MOVQ        B_ITER(SI), AX
	IMULQ       $192, AX               // p, or p2
	VMOVUPD     Z15, O_P(DI)(AX*1)
	VMOVUPD     Z16, O_F(DI)(AX*1)
	VMOVUPD     Z17, O_FP(DI)(AX*1)

cdfLevelNext:
	ADDQ $QLEVEL_SIZE, DX
	ADDQ $QOUT_SIZE, DI
	DECQ R15
	JNZ  cdfLevel

	// Then the step.
	MOVQ lvs+16(FP), DX
	MOVQ outs+24(FP), DI
	MOVQ nl+32(FP), R15

stepLevel:
	MOVBQZX      O_ACT(DI), R14
	TESTQ        R14, R14
	JZ           stepLevelNext
	VBROADCASTSD L_SG(DX), Z29
	VMOVUPS      O_Q(DI), Y26             // y
	VCVTPS2PD    Y26, Z14                 // y in float64
	KMOVB        R14, K7
	VCMPPD       $NE, Z31, Z14, K7, K7    // the lanes the kernel solves: y ≠ 0
	MOVQ         B_ITER(SI), AX
	IMULQ        $192, AX
	VMOVUPD      O_P(DI)(AX*1), Z15
	VMOVUPD      O_F(DI)(AX*1), Z16
	VMOVUPD      O_FP(DI)(AX*1), Z17

	// r = F − α (sign flipped for an upper level); done at y where
	// |r| ≤ tol.
	VSUBPD.BCST L_A(DX), Z15, Z0
	VMULPD      Z29, Z0, Z0                // r
	VANDPD.BCST C_ABS(R8), Z0, Z1          // |r|
	VCMPPD.BCST $LE, L_TOL(DX), Z1, K7, K1 // done at y
	KANDNB      K7, K1, K2                 // the lanes going on
	VCMPPD      $LT, Z31, Z0, K4           // r < 0
	VCMPPD      $GT, Z31, Z0, K5           // r > 0

	// The bracket: lo = y where r < 0, hi = y where r > 0.
	VMOVUPD      O_LO(DI), Z2
	VMOVAPD      Z14, K4, Z2
	VMOVUPD      O_HI(DI), Z3
	VMOVAPD      Z14, K5, Z3
	VMOVUPD      O_RLO(DI), Z4
	VMULPD.BCST  C_MONE(R8), Z0, Z5
	VMOVAPD      Z5, K4, Z4                // rLo = −r
	VMOVUPD      O_RHI(DI), Z6
	VMOVAPD      Z0, K5, Z6                // rHi = r

	// The Halley step r·f/(f² − ½·r·f′) where the correction factor is in
	// (½, 2), else Newton's r/f.
	VMULPD      Z16, Z16, Z7            // f²
	VMULPD.BCST C_HALF(R8), Z0, Z9
	VMULPD      Z17, Z9, Z9
	VSUBPD      Z9, Z7, Z8              // den
	VMULPD.BCST C_HALF(R8), Z7, Z9
	VCMPPD      $GT, Z9, Z8, K6
	VMULPD.BCST C_TWO(R8), Z7, Z9
	VCMPPD      $LT, Z9, Z8, K6, K6
	VDIVPD      Z16, Z0, Z10            // r/f
	VMULPD      Z16, Z0, Z9
	VDIVPD      Z8, Z9, Z9              // r·f/den
	VMOVAPD     Z9, K6, Z10             // dx
	VSUBPD      Z10, Z14, Z11
	VCVTPD2PS   Z11, Y12                // next = float32(y − dx)

	// newton: f > 0 and dx not NaN (|dx| ≤ ½·dx2 = +Inf).
	VCMPPD       $GT, Z31, Z16, K6
	VANDPD.BCST  C_ABS(R8), Z10, Z9
	VCMPPD.BCST  $LE, C_INF(R8), Z9, K6, K6
	VCVTPS2PD    Y12, Z13
	VCMPPD       $EQ, Z14, Z13, K6, K3  // next = y: take y's neighbour towards the root

	// y's float32 bits as an ordered integer, key = b ^ ((b >> 31) & 0x7fffffff),
	// stepped by ±1 and mapped back (the same map), as Nextafter32 for y ≠ 0.
	MOVL         $0x7fffffff, AX
	VPBROADCASTD AX, Y19
	MOVL         $1, AX
	VPBROADCASTD AX, Y22
	VPSRAD       $31, Y26, Y18
	VPANDD       Y19, Y18, Y18
	VPXORD       Y26, Y18, Y18          // key(y)
	VMOVDQA32    Y18, Y20
	KANDB        K3, K4, K7
	VPADDD       Y22, Y18, K7, Y20      // r < 0: up
	KANDB        K3, K5, K7
	VPSUBD       Y22, Y18, K7, Y20      // r > 0: down
	VPSRAD       $31, Y20, Y21
	VPANDD       Y19, Y21, Y21
	VPXORD       Y20, Y21, Y21
	VMOVDQA32    Y21, K3, Y12
	VCVTPS2PD    Y12, Z13               // next in float64

	// Within the bracket; then st = y − next.
	VCMPPD  $GT, Z2, Z13, K6, K6
	VCMPPD  $LT, Z3, Z13, K6, K6
	KANDB   K2, K6, K6                  // the lanes that step
	VSUBPD  Z13, Z14, Z5                // st

	// Taylor's bound |r − f·st| + ½·curv·st², curv = ¼·Σw/σ².
	VMULPD       Z5, Z16, Z7
	VSUBPD       Z7, Z0, Z7             // r − f·st
	VANDPD.BCST  C_ABS(R8), Z7, Z8
	VMOVUPD      B_SUMS+64(SI), Z9
	VMULPD.BCST  C_QUARTER(R8), Z9, Z9
	VMULPD.BCST  C_HALF(R8), Z9, Z9
	VMULPD       Z5, Z9, Z9
	VMULPD       Z5, Z9, Z9
	VADDPD       Z9, Z8, Z8
	VCMPPD.BCST  $LE, L_HTOL(DX), Z8, K6, K7

	// stepBound(r, f, f′, st): m = r − f·st + ½·f′·st², and the remainder
	// terms B, C, D, E; e = stepBound(0, 0, 0, st) = B + C + D + E.
	VMULPD.BCST C_HALF(R8), Z17, Z9
	VMULPD      Z5, Z9, Z9
	VMULPD      Z5, Z9, Z9
	VADDPD      Z9, Z7, Z9              // m
	VANDPD.BCST C_ABS(R8), Z5, Z11      // |st|
	VMOVUPD     B_SUMS+128(SI), Z18
	VMULPD.BCST C_SB3(R8), Z18, Z18
	VMULPD      Z11, Z18, Z18
	VMULPD      Z11, Z18, Z18
	VMULPD      Z11, Z18, Z18           // B
	VMOVUPD     B_SUMS+64(SI), Z19
	VMULPD.BCST C_SB2(R8), Z19, Z19
	VMULPD      Z11, Z19, Z19
	VMULPD      Z11, Z19, Z19           // C
	VMOVUPD     B_SUMS(SI), Z20
	VMULPD.BCST C_SB1(R8), Z20, Z20
	VMULPD      Z11, Z20, Z20           // D
	VADDPD      Z19, Z18, Z21
	VADDPD      Z20, Z21, Z21
	VADDPD.BCST C_SB0(R8), Z21, Z21     // e
	VANDPD.BCST C_ABS(R8), Z9, Z22
	VADDPD      Z18, Z22, Z22
	VADDPD      Z19, Z22, Z22
	VADDPD      Z20, Z22, Z22
	VADDPD.BCST C_SB0(R8), Z22, Z22     // stepBound
	VCMPPD.BCST $LE, L_HTOL(DX), Z22, K6, K3
	KORB        K3, K7, K7              // done at next
	KANDNB      K6, K7, K3              // the lanes left

	// Where next is y's neighbour and m, beyond e, has the sign opposite
	// to r's, the root lies between them: the one nearer in F.
	// (The bound's terms took Z18 to Z22: key(y) and the integer
	// constants again, in Z15 to Z17, free since F, f and f′ are stored.)
	MOVL         $0x7fffffff, AX
	VPBROADCASTD AX, Y16
	MOVL         $1, AX
	VPBROADCASTD AX, Y17
	VPSRAD       $31, Y26, Y15
	VPANDD       Y16, Y15, Y15
	VPXORD       Y26, Y15, Y15          // key(y)
	VCMPPD      $GT, Z14, Z13, K3, K2   // next > y
	VPSUBD      Y17, Y15, Y24
	VPADDD      Y17, Y15, K2, Y24
	VPSRAD      $31, Y24, Y25
	VPANDD      Y16, Y25, Y25
	VPXORD      Y24, Y25, Y25           // Nextafter32(y, next)
	VCMPPS      $EQ, Y12, Y25, K3, K2
	VMULPD.BCST C_MONE(R8), Z21, Z23    // −e
	VCMPPD      $GT, Z21, Z9, K4, K4    // r < 0, m > e
	VCMPPD      $LT, Z23, Z9, K5, K5    // r > 0, m < −e
	KORB        K4, K5, K4
	KANDB       K4, K2, K2              // done between y and next
	VANDPD.BCST C_ABS(R8), Z9, Z24
	VCMPPD      $LT, Z1, Z24, K2, K4    // |m| < |r|: next
	KANDNB      K3, K2, K5              // continue from next

	// The results: y stays where done at y; next where done at next or
	// continuing. The state of the lanes continuing; the others keep the
	// state they had, so that a lane the Go solver takes over finds the
	// state of the iteration it stopped before.
	KORB        K7, K4, K3
	KORB        K3, K5, K3
	VMOVUPS     Y12, K3, O_Q(DI)
	KORB        K1, K7, K1
	KORB        K1, K2, K1
	KMOVB       K1, AX
	ORB         AX, O_DONE(DI)
	VMOVUPD     Z2, K5, O_LO(DI)
	VMOVUPD     Z3, K5, O_HI(DI)
	VMOVUPD     Z4, K5, O_RLO(DI)
	VMOVUPD     Z6, K5, O_RHI(DI)
	VMOVUPD     O_DX1(DI), Z8
	VMOVUPD     Z8, K5, O_DX2(DI)        // dx2 = the last dx1
	VANDPD.BCST C_ABS(R8), Z10, Z10
	VMOVUPD     Z10, K5, O_DX1(DI)
	KMOVB       K5, O_ACT(DI)
	CMPQ        B_ITER(SI), $0
	JNE         second
	KMOVB       K5, O_CONT(DI)
	JMP         stepLevelNext

second:
	KMOVB K5, O_CONT2(DI)

stepLevelNext:
	ADDQ $QLEVEL_SIZE, DX
	ADDQ $QOUT_SIZE, DI
	DECQ R15
	JNZ  stepLevel

	INCQ B_ITER(SI)
	CMPQ B_ITER(SI), $2
	JLT  iterate
	VZEROUPPER
	RET
