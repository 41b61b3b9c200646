//go:build !purego

#include "textflag.h"

// The quantile kernels on avx2fma (quant_amd64.go): the AVX-512 kernels'
// operations (quant_avx512_amd64.s) on four (row, dimension) pairs in the
// float64 lanes of a YMM register, lanes 4·half to 4·half+3 of a qbatch,
// so that two calls take its eight. Where the AVX-512 kernels mask an
// operation, these blend, or AND the addend with the mask: a masked-off
// lane adds +0, which leaves every sum unchanged (no sum here is −0, since
// each starts at +0), so that every lane ends with the Go solver's bits.
// Constants come from quantConst4, each in four lanes.

#include "quant_amd64.h"

#include "quant4_amd64.h"

// NARROW(y, yx, t, x): x gets the 64-bit lane masks of y (yx: its low
// half) as 32-bit lane masks (the low word of each), for the float32
// lanes; t is clobbered.
#define NARROW(y, yx, t, x) \
	VEXTRACTF128 $1, y, t \
	VSHUFPS      $0x88, t, yx, x

// KEY(x, t): x's float32 bits as an ordered integer,
// b ^ ((b >> 31) & 0x7fffffff), in place; the map is its own inverse.
#define KEY(x, t) \
	VPSRAD $31, x, t              \
	VPAND  D_KEYMASK(R8), t, t    \
	VPXOR  x, t, x

// GETNIB(addr, y): AX gets this call's four bits (CX = 4·half) of the
// byte at addr, and y all-ones in the lanes whose bit is set.
#define GETNIB(addr, y) \
	MOVBLZX      addr, AX            \
	SHRL         CX, AX              \
	ANDL         $15, AX             \
	VMOVQ        AX, X0              \
	VPBROADCASTQ X0, y               \
	VPAND        D_LANEBITS(R8), y, y \
	VPCMPEQQ     D_LANEBITS(R8), y, y

// PUTNIB(y, addr): this call's four bits of the byte at addr become the
// sign bits of y's lanes; the other four stay. Clobbers AX, BX, R10.
#define PUTNIB(y, addr) \
	VMOVMSKPD y, AX   \
	SHLL      CX, AX  \
	MOVL      $0xf0, R10 \
	SHRL      CX, R10 \
	MOVBLZX   addr, BX \
	ANDL      R10, BX \
	ORL       BX, AX  \
	MOVB      AX, addr

// func quantPrepAVX2(b *qbatch, k int, half int) (ok uint8)
TEXT ·quantPrepAVX2(SB), NOSPLIT, $0-25
	MOVQ b+0(FP), SI
	MOVQ k+8(FP), R8
	MOVQ half+16(FP), AX
	SHLQ $5, AX
	ADDQ AX, SI  // this call's lanes
	SHLQ $6, R8  // k·64: the end of a field
	LEAQ ·quantConst4(SB), R9

	// The weights' sum, in order; norm = 1/sum. A lane is solved here only
	// if 0 < sum < +Inf.
	VXORPD Y0, Y0, Y0
	XORQ   AX, AX

prepSum:
	VADDPD B_W(SI)(AX*1), Y0, Y0
	ADDQ   $64, AX
	CMPQ   AX, R8
	JLT    prepSum
	VXORPD  Y1, Y1, Y1
	VCMPPD  $GT, Y1, Y0, Y2
	VCMPPD  $LT, D_INF(R9), Y0, Y3
	VANDPD  Y3, Y2, Y2             // ok so far
	VMOVUPD D_ONE(R9), Y3
	VDIVPD  Y0, Y3, Y3             // norm
	VXORPD  Y4, Y4, Y4             // bad

	// Each component: w·norm, 1/σ, w/σ, w/σ²; one of nonzero weight makes
	// its lane bad unless 0 < w, σ ≤ MaxFloat32 and |μ| ≤ MaxFloat32.
	XORQ AX, AX

prepComp:
	VMOVUPD B_W(SI)(AX*1), Y5
	VMOVUPD B_M(SI)(AX*1), Y6
	VMOVUPD B_S(SI)(AX*1), Y7
	VCMPPD  $0x04, Y1, Y5, Y8       // w ≠ 0 (or NaN)
	VCMPPD  $GT, Y1, Y5, Y9         // w > 0
	VCMPPD  $LE, D_MAXF(R9), Y5, Y10
	VANDPD  Y10, Y9, Y9
	VCMPPD  $GT, Y1, Y7, Y10        // σ > 0
	VANDPD  Y10, Y9, Y9
	VCMPPD  $LE, D_MAXF(R9), Y7, Y10
	VANDPD  Y10, Y9, Y9
	VCMPPD  $LE, D_MAXF(R9), Y6, Y10 // μ
	VANDPD  Y10, Y9, Y9
	VCMPPD  $GE, D_NMAXF(R9), Y6, Y10
	VANDPD  Y10, Y9, Y9
	VANDNPD Y8, Y9, Y8              // w ≠ 0 and not valid
	VORPD   Y8, Y4, Y4
	VMOVUPD D_ONE(R9), Y10
	VDIVPD  Y7, Y10, Y10            // 1/σ
	VMULPD  Y3, Y5, Y5              // w·norm
	VMULPD  Y10, Y5, Y11            // w/σ
	VMULPD  Y10, Y11, Y12           // w/σ²
	VMOVUPD Y5, B_W(SI)(AX*1)
	VMOVUPD Y10, B_INV(SI)(AX*1)
	VMOVUPD Y11, B_WI(SI)(AX*1)
	VMOVUPD Y12, B_WI2(SI)(AX*1)
	ADDQ    $64, AX
	CMPQ    AX, R8
	JLT     prepComp
	VANDNPD   Y2, Y4, Y2
	VMOVMSKPD Y2, AX
	MOVB      AX, ok+24(FP)

	// cumulate: below, and the sums over the components of nonzero
	// weight.
	VXORPD Y0, Y0, Y0    // Σ w/σ
	VXORPD Y1, Y1, Y1    // Σ w/σ²
	VXORPD Y2, Y2, Y2    // Σ w/σ³
	VXORPD Y13, Y13, Y13 // 0
	XORQ   AX, AX        // component c, as a byte offset

cumOuter:
	VMOVUPD B_M(SI)(AX*1), Y3 // m_c
	VXORPD  Y4, Y4, Y4        // below
	XORQ    BX, BX

	// Before c: w_j counts where m_c − m_j has its sign bit clear, else
	// +0 (as in cumulate).
cumBefore:
	CMPQ      BX, AX
	JEQ       cumAfterStart
	VMOVUPD   B_M(SI)(BX*1), Y5
	VSUBPD    Y5, Y3, Y5
	VMOVUPD   B_W(SI)(BX*1), Y6
	VBLENDVPD Y5, Y13, Y6, Y6
	VADDPD    Y6, Y4, Y4
	ADDQ      $64, BX
	JMP       cumBefore

cumAfterStart:
	ADDQ $64, BX

	// After c: w_j counts where m_j − m_c has its sign bit set.
cumAfter:
	CMPQ      BX, R8
	JGE       cumStore
	VMOVUPD   B_M(SI)(BX*1), Y5
	VSUBPD    Y3, Y5, Y5
	VBLENDVPD Y5, B_W(SI)(BX*1), Y13, Y6
	VADDPD    Y6, Y4, Y4
	ADDQ      $64, BX
	JMP       cumAfter

cumStore:
	VMOVUPD Y4, B_BELOW(SI)(AX*1)
	VMOVUPD B_W(SI)(AX*1), Y5
	VCMPPD  $GT, Y13, Y5, Y5          // w > 0
	VANDPD  B_WI(SI)(AX*1), Y5, Y6
	VADDPD  Y6, Y0, Y0
	VMOVUPD B_WI2(SI)(AX*1), Y6
	VANDPD  Y5, Y6, Y7
	VADDPD  Y7, Y1, Y1
	VMULPD  B_INV(SI)(AX*1), Y6, Y6
	VANDPD  Y5, Y6, Y6
	VADDPD  Y6, Y2, Y2
	ADDQ    $64, AX
	CMPQ    AX, R8
	JLT     cumOuter

	VMOVUPD Y0, B_SUMS(SI)
	VMOVUPD Y1, B_SUMS+64(SI)
	VMOVUPD Y2, B_SUMS+128(SI)
	VZEROUPPER
	RET

// func quantLevelsAVX2(b *qbatch, k int, lvs *qlevel, outs *qout, nl int, half int)
//
// In stages, each over all nl levels, as quantLevelsAVX512. R12 and R13
// offset outs' float64 and float32 fields to this call's lanes; the frame
// holds the iteration and three vectors of the step.
TEXT ·quantLevelsAVX2(SB), NOSPLIT, $104-48
	MOVQ b+0(FP), SI
	MOVQ half+40(FP), R12
	MOVQ R12, CX
	SHLQ $2, CX  // 4·half: this call's bits of outs' masks
	SHLQ $5, R12 // 32·half
	MOVQ R12, R13
	SHRQ $1, R13 // 16·half
	ADDQ R12, SI // this call's lanes
	MOVQ k+8(FP), R11
	SHLQ $6, R11 // k·64: the end of a field
	LEAQ ·quantConst4(SB), R8
	LEAQ ·normPoly(SB), R9
	VXORPD Y15, Y15, Y15 // 0

	MOVQ lvs+16(FP), DX
	MOVQ outs+24(FP), DI
	MOVQ nl+32(FP), R15

startLevel:
	VBROADCASTSD L_SG(DX), Y13 // sg
	VMOVUPD      D_ONE(R8), Y14

	// The start (startPoint): the first component whose share holds the
	// level, the components taken in order of their means: x = a − thr,
	// thr = below (lower) or 1 − below − w (upper), 0 ≤ x < w.
	VBROADCASTSD L_A(DX), Y0
	VXORPD       Y1, Y1, Y1 // found
	VXORPD       Y2, Y2, Y2 // its m
	VMOVAPD      Y14, Y3    // its σ
	VXORPD       Y4, Y4, Y4 // its x
	VMOVAPD      Y14, Y5    // its w
	MOVQ         L_UPPER(DX), R10
	XORQ         AX, AX

startLoop:
	VMOVUPD B_W(SI)(AX*1), Y6
	VMOVUPD B_BELOW(SI)(AX*1), Y7
	TESTQ   R10, R10
	JZ      startLower
	VSUBPD  Y7, Y14, Y7 // 1 − below
	VSUBPD  Y6, Y7, Y7  // − w

startLower:
	VSUBPD    Y7, Y0, Y8          // x
	VCMPPD    $GE, Y15, Y8, Y9    // x ≥ 0
	VCMPPD    $LT, Y6, Y8, Y10    // x < w
	VANDPD    Y10, Y9, Y9
	VANDNPD   Y9, Y1, Y9          // and not found before
	VBLENDVPD Y9, B_M(SI)(AX*1), Y2, Y2
	VBLENDVPD Y9, B_S(SI)(AX*1), Y3, Y3
	VBLENDVPD Y9, Y8, Y4, Y4
	VBLENDVPD Y9, Y6, Y5, Y5
	VORPD     Y9, Y1, Y1
	ADDQ      $64, AX
	CMPQ      AX, R11
	JLT       startLoop

	VDIVPD Y5, Y4, Y6        // p = x/w
	VCMPPD $GT, Y15, Y6, Y7  // p > 0
	VANDPD Y7, Y1, Y1
	VCMPPD $LT, Y14, Y6, Y7  // p < 1
	VANDPD Y7, Y1, Y1        // a valid start, so far

	// normQuantileApprox(p). The central region:
	VSUBPD D_HALF(R8), Y6, Y7 // q = p − 0.5
	VMULPD Y7, Y7, Y8         // r = q²
	VMULPD D_A(R8), Y8, Y9
	VADDPD D_A+32(R8), Y9, Y9
	VMULPD Y8, Y9, Y9
	VADDPD D_A+64(R8), Y9, Y9
	VMULPD Y8, Y9, Y9
	VADDPD D_A+96(R8), Y9, Y9
	VMULPD Y8, Y9, Y9
	VADDPD D_A+128(R8), Y9, Y9
	VMULPD Y8, Y9, Y9
	VADDPD D_A+160(R8), Y9, Y9
	VMULPD Y7, Y9, Y9
	VMULPD D_B(R8), Y8, Y10
	VADDPD D_B+32(R8), Y10, Y10
	VMULPD Y8, Y10, Y10
	VADDPD D_B+64(R8), Y10, Y10
	VMULPD Y8, Y10, Y10
	VADDPD D_B+96(R8), Y10, Y10
	VMULPD Y8, Y10, Y10
	VADDPD D_B+128(R8), Y10, Y10
	VMULPD Y8, Y10, Y10
	VADDPD Y14, Y10, Y10
	VDIVPD Y10, Y9, Y0        // z, central

	// The tails: q = √(−2·startLog(pt)), pt = p below pLow, 1 − p above.
	VCMPPD    $LT, D_PLOW(R8), Y6, Y4  // lower tail
	VCMPPD    $GT, D_PHIGH(R8), Y6, Y5 // upper tail
	VORPD     Y5, Y4, Y7
	VMOVMSKPD Y7, AX
	TESTL     AX, AX
	JZ        central                  // no lane in a tail
	VSUBPD    Y6, Y14, Y7
	VBLENDVPD Y4, Y6, Y7, Y7           // pt

	// startLog's fields: the exponent e as a float64 (2⁵² + the biased
	// exponent, less 2⁵² + 1023) and the mantissa m in [1, 2). A
	// subnormal pt (Go normalises it with Frexp) leaves the lane to the
	// Go start.
	VCMPPD  $LT, D_MINNORM(R8), Y7, Y8
	VANDNPD Y1, Y8, Y1
	VANDPD  D_MANT(R8), Y7, Y8
	VORPD   Y14, Y8, Y8               // m
	VPSRLQ  $52, Y7, Y9
	VPOR    D_EXPBASE(R8), Y9, Y9
	VSUBPD  D_EXPBIAS(R8), Y9, Y9     // e
	VCMPPD    $GT, D_SQRT2(R8), Y8, Y10
	VMULPD    D_HALF(R8), Y8, Y11
	VBLENDVPD Y10, Y11, Y8, Y8
	VADDPD    Y14, Y9, Y11
	VBLENDVPD Y10, Y11, Y9, Y9
	VSUBPD    Y14, Y8, Y8             // f = m − 1
	VADDPD    D_TWO(R8), Y8, Y10
	VDIVPD    Y10, Y8, Y10            // s = f/(2 + f)
	VMULPD    Y10, Y10, Y11           // s²
	VMULPD    Y11, Y11, Y12           // s⁴
	VMULPD    D_LG+192(R8), Y12, Y6
	VADDPD    D_LG+128(R8), Y6, Y6
	VMULPD    Y12, Y6, Y6
	VADDPD    D_LG+64(R8), Y6, Y6
	VMULPD    Y12, Y6, Y6
	VADDPD    D_LG(R8), Y6, Y6
	VMULPD    Y11, Y6, Y6             // t1
	VMULPD    D_LG+160(R8), Y12, Y7
	VADDPD    D_LG+96(R8), Y7, Y7
	VMULPD    Y12, Y7, Y7
	VADDPD    D_LG+32(R8), Y7, Y7
	VMULPD    Y12, Y7, Y7             // t2
	VADDPD    Y7, Y6, Y6              // R
	VMULPD    D_HALF(R8), Y8, Y7
	VMULPD    Y8, Y7, Y7              // hfsq = 0.5·f·f
	VADDPD    Y6, Y7, Y6
	VMULPD    Y6, Y10, Y6             // s·(hfsq + R)
	VMULPD    D_LN2LO(R8), Y9, Y11
	VADDPD    Y11, Y6, Y6
	VSUBPD    Y6, Y7, Y6              // hfsq − (…)
	VSUBPD    Y8, Y6, Y6              // − f
	VMULPD    D_LN2HI(R8), Y9, Y11
	VSUBPD    Y6, Y11, Y6             // ln pt
	VMULPD    D_MTWO(R8), Y6, Y6
	VSQRTPD   Y6, Y6                  // q
	VMULPD    D_C(R8), Y6, Y7
	VADDPD    D_C+32(R8), Y7, Y7
	VMULPD    Y6, Y7, Y7
	VADDPD    D_C+64(R8), Y7, Y7
	VMULPD    Y6, Y7, Y7
	VADDPD    D_C+96(R8), Y7, Y7
	VMULPD    Y6, Y7, Y7
	VADDPD    D_C+128(R8), Y7, Y7
	VMULPD    Y6, Y7, Y7
	VADDPD    D_C+160(R8), Y7, Y7
	VMULPD    D_D(R8), Y6, Y8
	VADDPD    D_D+32(R8), Y8, Y8
	VMULPD    Y6, Y8, Y8
	VADDPD    D_D+64(R8), Y8, Y8
	VMULPD    Y6, Y8, Y8
	VADDPD    D_D+96(R8), Y8, Y8
	VMULPD    Y6, Y8, Y8
	VADDPD    Y14, Y8, Y8
	VDIVPD    Y8, Y7, Y7              // the lower tail's z
	VMULPD    D_MONE(R8), Y7, Y8
	VBLENDVPD Y5, Y8, Y0, Y0
	VBLENDVPD Y4, Y7, Y0, Y0          // z

central:
	// y0 = m + σ·(sg·z); a valid start is finite within ±MaxFloat32.
	VMULPD     Y13, Y0, Y0
	VMULPD     Y0, Y3, Y0
	VADDPD     Y0, Y2, Y0
	VMOVUPD    Y0, O_Y0(DI)(R12*1)
	VCMPPD     $LT, D_MAXF(R8), Y0, Y4
	VANDPD     Y4, Y1, Y1
	VCMPPD     $GT, D_NMAXF(R8), Y0, Y4
	VANDPD     Y4, Y1, Y1
	VCVTPD2PSY Y0, X5                 // y

	// The solver's state before its first iteration, as on AVX-512.
	VMOVUPS X5, O_Q(DI)(R13*1)
	VMOVUPD D_NMAXF(R8), Y4
	VMOVUPD Y4, O_LO(DI)(R12*1)
	VMOVUPD D_MAXF(R8), Y4
	VMOVUPD Y4, O_HI(DI)(R12*1)
	VMOVUPD D_INF(R8), Y4
	VMOVUPD Y4, O_RLO(DI)(R12*1)
	VMOVUPD Y4, O_RHI(DI)(R12*1)
	VMOVUPD Y4, O_DX1(DI)(R12*1)
	PUTNIB(Y15, O_DONE(DI))
	PUTNIB(Y15, O_CONT(DI))
	PUTNIB(Y15, O_CONT2(DI))
	PUTNIB(Y1, O_START(DI))
	PUTNIB(Y1, O_ACT(DI))       // the lanes the next iteration runs on
	ADDQ    $QLEVEL_SIZE, DX
	ADDQ    $QOUT_SIZE, DI
	DECQ    R15
	JNZ     startLevel

	MOVQ $0, iter-8(SP)

	// An iteration of solve on each level's lanes act, from the state in
	// outs: first F, f and f′ at the iterates (mixCDF), into p, f, fp in
	// the first iteration and p2, f2, fp2 in the second.
iterate:
	MOVQ lvs+16(FP), DX
	MOVQ outs+24(FP), DI
	MOVQ nl+32(FP), R15

cdfLevel:
	GETNIB(O_ACT(DI), Y12)             // the lanes F is needed at
	TESTL        AX, AX
	JZ           cdfLevelNext
	VBROADCASTSD L_SG(DX), Y13
	VMOVUPS      O_Q(DI)(R13*1), X11
	VCVTPS2PD    X11, Y11              // y in float64
	VXORPD       Y8, Y8, Y8            // F
	VXORPD       Y9, Y9, Y9            // f
	VXORPD       Y10, Y10, Y10         // f′
	XORQ         AX, AX

cdfLoop:
	VMOVUPD B_M(SI)(AX*1), Y0
	VSUBPD  Y0, Y11, Y0               // y − m
	VMULPD  Y13, Y0, Y0               // sg·(y − m)
	VMULPD  B_INV(SI)(AX*1), Y0, Y0   // z
	VMOVUPD B_W(SI)(AX*1), Y1
	VCMPPD  $GT, Y15, Y1, Y2          // w > 0
	VANDPD  Y12, Y2, Y2               // in the lanes F is needed at
	VCMPPD  $GE, D_ZMAX(R8), Y0, Y3
	VANDPD  Y2, Y3, Y3                // z ≥ 8.5: F += w
	VANDPD  Y1, Y3, Y4
	VADDPD  Y4, Y8, Y8
	VCMPPD  $GT, D_NZMAX(R8), Y0, Y4
	VANDPD  Y4, Y2, Y2
	VANDNPD Y2, Y3, Y2                // −8.5 < z < 8.5
	VMOVMSKPD Y2, BX
	TESTL   BX, BX
	JZ      cdfNext
	VADDPD  D_ZMAX(R8), Y0, Y3
	VMULPD  D_PERZ(R8), Y3, Y3        // t
	VCVTTPD2DQY Y3, X4                // its cell
	VPMAXSD X15, X4, X4
	VPMINSD D_LASTCELL(R8), X4, X4
	VCVTDQ2PD X4, Y5
	VSUBPD  Y5, Y3, Y3                // t within the cell
	VPSLLD  $2, X4, X4

	// The cells' coefficients: c0, c1 and c2, c3 of lanes 0 and 2, then
	// 1 and 3, in the halves of four registers, unpacked to c0 … c3
	// across the lanes. The clamped cell is within normPoly in every lane.
	VMOVD       X4, BX
	VMOVUPD     (R9)(BX*8), X5
	VMOVUPD     16(R9)(BX*8), X6
	VPEXTRD     $2, X4, BX
	VINSERTF128 $1, (R9)(BX*8), Y5, Y5
	VINSERTF128 $1, 16(R9)(BX*8), Y6, Y6
	VPEXTRD     $1, X4, BX
	VMOVUPD     (R9)(BX*8), X7
	VMOVUPD     16(R9)(BX*8), X0
	VPEXTRD     $3, X4, BX
	VINSERTF128 $1, (R9)(BX*8), Y7, Y7
	VINSERTF128 $1, 16(R9)(BX*8), Y0, Y0
	VUNPCKLPD   Y7, Y5, Y14           // c0
	VUNPCKHPD   Y7, Y5, Y5            // c1
	VUNPCKLPD   Y0, Y6, Y7            // c2
	VUNPCKHPD   Y0, Y6, Y6            // c3

	// F += w·(c0 + t(c1 + t(c2 + t·c3)))
	VMULPD Y6, Y3, Y0
	VADDPD Y0, Y7, Y0
	VMULPD Y0, Y3, Y0
	VADDPD Y0, Y5, Y0
	VMULPD Y0, Y3, Y0
	VADDPD Y0, Y14, Y0
	VMULPD Y0, Y1, Y0
	VANDPD Y2, Y0, Y0
	VADDPD Y0, Y8, Y8

	// f += w/σ·(c1 + t(2c2 + 3t·c3))
	VADDPD Y7, Y7, Y4
	VMULPD D_THREE(R8), Y3, Y0
	VMULPD Y6, Y0, Y0
	VADDPD Y0, Y4, Y0
	VMULPD Y0, Y3, Y0
	VADDPD Y0, Y5, Y0
	VMULPD B_WI(SI)(AX*1), Y0, Y0
	VANDPD Y2, Y0, Y0
	VADDPD Y0, Y9, Y9

	// f′ += w/σ²·(2c2 + 6t·c3)
	VMULPD D_SIX(R8), Y3, Y0
	VMULPD Y6, Y0, Y0
	VADDPD Y0, Y4, Y0
	VMULPD B_WI2(SI)(AX*1), Y0, Y0
	VANDPD Y2, Y0, Y0
	VADDPD Y0, Y10, Y10

cdfNext:
	ADDQ $64, AX
	CMPQ AX, R11
	JLT  cdfLoop

	VMULPD  D_PERZ(R8), Y9, Y9    // f
	VMULPD  Y13, Y10, Y10
	VMULPD  D_PERZ2(R8), Y10, Y10 // f′
	MOVQ    iter-8(SP), AX
	IMULQ   $192, AX              // p, or p2
	ADDQ    R12, AX
	VMOVUPD Y8, O_P(DI)(AX*1)
	VMOVUPD Y9, O_F(DI)(AX*1)
	VMOVUPD Y10, O_FP(DI)(AX*1)

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
	GETNIB(O_ACT(DI), Y10)
	TESTL        AX, AX
	JZ           stepLevelNext
	VBROADCASTSD L_SG(DX), Y13
	VMOVUPS      O_Q(DI)(R13*1), X12      // y
	VCVTPS2PD    X12, Y11                 // y in float64
	VCMPPD       $NE, Y15, Y11, Y9
	VANDPD       Y9, Y10, Y10             // the lanes the kernel solves: y ≠ 0
	MOVQ         iter-8(SP), AX
	IMULQ        $192, AX
	ADDQ         R12, AX
	VMOVUPD      O_P(DI)(AX*1), Y0
	VMOVUPD      O_F(DI)(AX*1), Y1        // f
	VMOVUPD      O_FP(DI)(AX*1), Y2       // f′

	// r = F − α (sign flipped for an upper level); done at y where
	// |r| ≤ tol.
	VBROADCASTSD L_A(DX), Y3
	VSUBPD       Y3, Y0, Y0
	VMULPD       Y13, Y0, Y0              // r
	VANDPD       D_ABS(R8), Y0, Y3        // |r|
	VMOVUPD      Y3, absr-40(SP)
	VBROADCASTSD L_TOL(DX), Y4
	VCMPPD       $LE, Y4, Y3, Y4
	VANDPD       Y10, Y4, Y4              // done at y
	VMOVUPD      Y4, doneY-72(SP)
	VANDNPD      Y10, Y4, Y5              // the lanes going on
	VCMPPD       $LT, Y15, Y0, Y6         // r < 0
	VCMPPD       $GT, Y15, Y0, Y7         // r > 0

	// The Halley step r·f/(f² − ½·r·f′) where the correction factor is in
	// (½, 2), else Newton's r/f.
	VMULPD    Y1, Y1, Y8             // f²
	VMULPD    D_HALF(R8), Y0, Y9
	VMULPD    Y2, Y9, Y9
	VSUBPD    Y9, Y8, Y9             // den
	VMULPD    D_HALF(R8), Y8, Y10
	VCMPPD    $GT, Y10, Y9, Y10
	VMULPD    D_TWO(R8), Y8, Y8
	VCMPPD    $LT, Y8, Y9, Y8
	VANDPD    Y8, Y10, Y10
	VMULPD    Y1, Y0, Y8
	VDIVPD    Y9, Y8, Y8             // r·f/den
	VDIVPD    Y1, Y0, Y9             // r/f
	VBLENDVPD Y10, Y8, Y9, Y9        // dx
	VSUBPD    Y9, Y11, Y8
	VCVTPD2PSY Y8, X8                // next = float32(y − dx)

	// newton: f > 0 and dx not NaN (|dx| ≤ ½·dx2 = +Inf).
	VCMPPD    $GT, Y15, Y1, Y10
	VANDPD    D_ABS(R8), Y9, Y14      // |dx|
	VMOVUPD   Y14, adx-104(SP)
	VCMPPD    $LE, D_INF(R8), Y14, Y9
	VANDPD    Y9, Y10, Y10            // newton
	VCVTPS2PD X8, Y9
	VCMPPD    $EQ, Y11, Y9, Y9
	VANDPD    Y10, Y9, Y9             // next = y: take y's neighbour towards the root

	// y's ordered key stepped by +1 where r < 0, −1 where r > 0 (the
	// masks are −1), and mapped back, as Nextafter32 for y ≠ 0.
	VANDPD     Y9, Y6, Y3
	VANDPD     Y9, Y7, Y4
	NARROW(Y3, X3, X14, X3)
	NARROW(Y4, X4, X14, X4)
	NARROW(Y9, X9, X14, X9)
	VMOVDQA    X12, X14
	KEY(X14, X13)
	VPSUBD     X3, X14, X14
	VPADDD     X4, X14, X14
	KEY(X14, X13)
	VBLENDVPS  X9, X14, X8, X8
	VCVTPS2PD  X8, Y9                 // next in float64

	// Within the bracket, lo = y where r < 0, hi = y where r > 0; then
	// st = y − next.
	VMOVUPD   O_LO(DI)(R12*1), Y3
	VBLENDVPD Y6, Y11, Y3, Y3
	VCMPPD    $GT, Y3, Y9, Y14
	VANDPD    Y14, Y10, Y10
	VMOVUPD   O_HI(DI)(R12*1), Y3
	VBLENDVPD Y7, Y11, Y3, Y3
	VCMPPD    $LT, Y3, Y9, Y14
	VANDPD    Y14, Y10, Y10
	VANDPD    Y5, Y10, Y10            // the lanes that step
	VSUBPD    Y9, Y11, Y5             // st

	// Taylor's bound |r − f·st| + ½·curv·st², curv = ¼·Σw/σ².
	VMULPD       Y5, Y1, Y3
	VSUBPD       Y3, Y0, Y3            // r − f·st
	VANDPD       D_ABS(R8), Y3, Y4
	VMOVUPD      B_SUMS+64(SI), Y13
	VMULPD       D_QUARTER(R8), Y13, Y13
	VMULPD       D_HALF(R8), Y13, Y13
	VMULPD       Y5, Y13, Y13
	VMULPD       Y5, Y13, Y13
	VADDPD       Y13, Y4, Y4
	VBROADCASTSD L_HTOL(DX), Y13
	VCMPPD       $LE, Y13, Y4, Y4
	VANDPD       Y10, Y4, Y4           // done at next, by Taylor

	// stepBound(r, f, f′, st): m = r − f·st + ½·f′·st², and the remainder
	// terms B, C, D, E; e = stepBound(0, 0, 0, st) = B + C + D + E.
	VMULPD  D_HALF(R8), Y2, Y13
	VMULPD  Y5, Y13, Y13
	VMULPD  Y5, Y13, Y13
	VADDPD  Y13, Y3, Y3             // m
	VANDPD  D_ABS(R8), Y5, Y5       // |st|
	VMOVUPD B_SUMS+128(SI), Y13
	VMULPD  D_SB3(R8), Y13, Y13
	VMULPD  Y5, Y13, Y13
	VMULPD  Y5, Y13, Y13
	VMULPD  Y5, Y13, Y13            // B
	VMOVUPD B_SUMS+64(SI), Y14
	VMULPD  D_SB2(R8), Y14, Y14
	VMULPD  Y5, Y14, Y14
	VMULPD  Y5, Y14, Y14            // C
	VMOVUPD B_SUMS(SI), Y2
	VMULPD  D_SB1(R8), Y2, Y2
	VMULPD  Y5, Y2, Y2              // D
	VADDPD  Y14, Y13, Y5
	VADDPD  Y2, Y5, Y5
	VADDPD  D_SB0(R8), Y5, Y5       // e
	VANDPD  D_ABS(R8), Y3, Y1
	VADDPD  Y13, Y1, Y1
	VADDPD  Y14, Y1, Y1
	VADDPD  Y2, Y1, Y1
	VADDPD  D_SB0(R8), Y1, Y1       // stepBound
	VBROADCASTSD L_HTOL(DX), Y13
	VCMPPD  $LE, Y13, Y1, Y1
	VANDPD  Y10, Y1, Y1
	VORPD   Y1, Y4, Y4              // done at next
	VANDNPD Y10, Y4, Y10            // the lanes left

	// Where next is y's neighbour and m, beyond e, has the sign opposite
	// to r's, the root lies between them: the one nearer in F.
	VCMPPD     $GT, Y11, Y9, Y1     // next > y
	NARROW(Y1, X1, X13, X1)
	VMOVDQA    X12, X13
	KEY(X13, X2)
	VPADDD     D_INT1(R8), X13, X14
	VPSUBD     D_INT1(R8), X13, X13
	VBLENDVPS  X1, X14, X13, X13
	KEY(X13, X2)                    // Nextafter32(y, next)
	VCMPPS     $EQ, X8, X13, X13
	VPMOVSXDQ  X13, Y13
	VANDPD     Y10, Y13, Y13        // the lanes left where next is y's neighbour
	VCMPPD     $GT, Y5, Y3, Y1      // m > e
	VANDPD     Y6, Y1, Y1           // and r < 0
	VMULPD     D_MONE(R8), Y5, Y5   // −e
	VCMPPD     $LT, Y5, Y3, Y5      // m < −e
	VANDPD     Y7, Y5, Y5           // and r > 0
	VORPD      Y5, Y1, Y1
	VANDPD     Y13, Y1, Y1          // done between y and next
	VANDPD     D_ABS(R8), Y3, Y3
	VMOVUPD    absr-40(SP), Y5
	VCMPPD     $LT, Y5, Y3, Y3
	VANDPD     Y1, Y3, Y3           // |m| < |r|: next
	VANDNPD    Y10, Y1, Y10         // continue from next

	// The results, as on AVX-512: y stays where done at y; next where
	// done at next or continuing. The state of the lanes continuing; the
	// others keep the state they had.
	VORPD     Y4, Y3, Y3
	VORPD     Y10, Y3, Y3
	NARROW(Y3, X3, X13, X3)
	VBLENDVPS X3, X8, X12, X12
	VMOVUPS   X12, O_Q(DI)(R13*1)
	VMOVUPD   doneY-72(SP), Y3
	VORPD     Y4, Y3, Y3
	VORPD     Y1, Y3, Y3
	VMOVMSKPD Y3, AX
	SHLL      CX, AX
	ORB       AX, O_DONE(DI)
	VANDPD    Y10, Y6, Y6           // continuing, r < 0
	VANDPD    Y10, Y7, Y7           // continuing, r > 0
	VMOVUPD   O_LO(DI)(R12*1), Y1
	VBLENDVPD Y6, Y11, Y1, Y1
	VMOVUPD   Y1, O_LO(DI)(R12*1)
	VMOVUPD   O_HI(DI)(R12*1), Y1
	VBLENDVPD Y7, Y11, Y1, Y1
	VMOVUPD   Y1, O_HI(DI)(R12*1)
	VMULPD    D_MONE(R8), Y0, Y2    // −r
	VMOVUPD   O_RLO(DI)(R12*1), Y1
	VBLENDVPD Y6, Y2, Y1, Y1
	VMOVUPD   Y1, O_RLO(DI)(R12*1)
	VMOVUPD   O_RHI(DI)(R12*1), Y1
	VBLENDVPD Y7, Y0, Y1, Y1
	VMOVUPD   Y1, O_RHI(DI)(R12*1)
	VMOVUPD   O_DX1(DI)(R12*1), Y1
	VMOVUPD   O_DX2(DI)(R12*1), Y2
	VBLENDVPD Y10, Y1, Y2, Y2       // dx2 = the last dx1
	VMOVUPD   Y2, O_DX2(DI)(R12*1)
	VMOVUPD   adx-104(SP), Y2
	VBLENDVPD Y10, Y2, Y1, Y1
	VMOVUPD   Y1, O_DX1(DI)(R12*1)
	PUTNIB(Y10, O_ACT(DI))
	CMPQ      iter-8(SP), $0
	JNE       second
	PUTNIB(Y10, O_CONT(DI))
	JMP       stepLevelNext

second:
	PUTNIB(Y10, O_CONT2(DI))

stepLevelNext:
	ADDQ $QLEVEL_SIZE, DX
	ADDQ $QOUT_SIZE, DI
	DECQ R15
	JNZ  stepLevel

	INCQ iter-8(SP)
	CMPQ iter-8(SP), $2
	JLT  iterate
	VZEROUPPER
	RET
