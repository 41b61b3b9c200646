//go:build !purego

#include "textflag.h"
#include "go_asm.h"
#include "exp64_amd64.h"
#include "log64_amd64.h"
#include "mode_run_amd64.h"

// Mode on avx2fma (mode_amd64.go): modeFrom1 and modeSums in four float64
// lanes, their operations in their order, and math.Log for modeWeights.

// func modeRunAVX2(b *modeBatch, q *modeQueue, k int)
//
// At top the lanes' state is in b. Free lanes take starts (REFILL); a
// free lane with no start left returns for more, unless q.drain; with no
// lane active or stopped it returns. A pass: modeSums at every lane's y
// (Y15), its mx into Y0 and s into Y1, num Y2, den Y3, g Y4, s2 Y5 (Y1–Y12
// are the exponentials' while they run); the lanes that stopped a pass
// ago hand their results over (EMIT); the active lanes (the mask Y14, from
// b.active) take a step, Y13 their start components' σ, their step
// counts in b.steps, and those that stop become final; the state goes
// back to b.
TEXT ·modeRunAVX2(SB), NOSPLIT, $0-24
	MOVQ b+0(FP), DI
	MOVQ q+8(FP), SI
	MOVQ k+16(FP), DX
	LEAQ ·expConst4(SB), R9

top:
	MOVQ  modeBatch_free(DI), R12
	TESTQ R12, R12
	JZ    run
	REFILL(32)
	TESTQ R12, R12
	JZ    run
	CMPQ  modeQueue_drain(SI), $0
	JEQ   ret

run:
	MOVQ         modeBatch_active(DI), AX
	MOVQ         modeBatch_final(DI), CX
	ORQ          AX, CX
	JZ           ret
	VMOVQ        AX, X14
	VPBROADCASTQ X14, Y14
	VPAND        E_LANEBIT(R9), Y14, Y14
	VPCMPEQQ     E_LANEBIT(R9), Y14, Y14 // the active lanes' mask
	VMOVUPD      modeBatch_y(DI), Y15
	VMOVUPD      modeBatch_sg(DI), Y13

	// modeSums: t_c = lw_c − ((½·e)·e)·iv_c with e = y − μ_c into b.w,
	// mx = max_c t_c,
	MOVQ    DI, AX
	MOVQ    DX, CX
	VMOVUPD E_INF(R9), Y0
	VXORPD  E_SIGN(R9), Y0, Y0

terms:
	VMOVUPD modeBatch_mu(AX), Y6
	VSUBPD  Y6, Y15, Y6
	VMULPD  E_HALF(R9), Y6, Y7
	VMULPD  Y6, Y7, Y7
	VMULPD  modeBatch_iv(AX), Y7, Y7
	VMOVUPD modeBatch_lw(AX), Y8
	VSUBPD  Y7, Y8, Y8
	VMOVUPD Y8, modeBatch_w(AX)
	VMAXPD  Y8, Y0, Y0
	ADDQ    $32, AX
	DECQ    CX
	JNZ     terms

	// then e_c = exp(t_c − mx) into b.w, two components at a time (their
	// exponentials interleaved), then the last one if K is odd,
	MOVQ DI, AX
	MOVQ DX, CX
	SHRQ $1, CX
	JZ   oddexp

exps:
	VMOVUPD modeBatch_w(AX), Y1
	VSUBPD  Y0, Y1, Y1
	VMOVUPD modeBatch_w+32(AX), Y7
	VSUBPD  Y0, Y7, Y7
	EXP64X2(Y1, Y2, Y3, Y4, X4, Y5, Y6, Y7, Y8, Y9, Y10, X10, Y11, Y12)
	VMOVUPD Y2, modeBatch_w(AX)
	VMOVUPD Y8, modeBatch_w+32(AX)
	ADDQ    $64, AX
	DECQ    CX
	JNZ     exps

oddexp:
	TESTQ $1, DX
	JZ    sumsinit
	VMOVUPD modeBatch_w(AX), Y1
	VSUBPD  Y0, Y1, Y1
	EXP64(Y1, Y2, Y3, Y4, X4, Y5, Y6)
	VMOVUPD Y2, modeBatch_w(AX)

sumsinit:
	// and over them and u_c = (μ_c − y)·iv_c the sums s += e_c,
	// num += (e_c·μ_c)·iv_c, den += e_c·iv_c, g += e_c·u_c and
	// s2 += e_c·(u_c·u_c − iv_c).
	MOVQ   DI, AX
	MOVQ   DX, CX
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5

sums:
	VMOVUPD modeBatch_w(AX), Y7
	VADDPD  Y7, Y1, Y1
	VMOVUPD modeBatch_mu(AX), Y6
	VMOVUPD modeBatch_iv(AX), Y8
	VMULPD  Y6, Y7, Y9
	VMULPD  Y8, Y9, Y9
	VADDPD  Y9, Y2, Y2
	VMULPD  Y8, Y7, Y9
	VADDPD  Y9, Y3, Y3
	VSUBPD  Y15, Y6, Y6
	VMULPD  Y8, Y6, Y6
	VMULPD  Y6, Y7, Y9
	VADDPD  Y9, Y4, Y4
	VMULPD  Y6, Y6, Y9
	VSUBPD  Y8, Y9, Y9
	VMULPD  Y9, Y7, Y9
	VADDPD  Y9, Y5, Y5
	ADDQ    $32, AX
	DECQ    CX
	JNZ     sums

	// The lanes that stopped a pass ago hand over their results.
	MOVQ  modeBatch_final(DI), R12
	TESTQ R12, R12
	JZ    step
	VMOVUPD Y0, modeBatch_mx(DI)
	VMOVUPD Y1, modeBatch_s(DI)
	EMIT

step:
	VMOVMSKPD Y14, AX
	TESTL     AX, AX
	JZ        save
	VMOVDQU   modeBatch_steps(DI), Y6 // a step for each active lane (−1 in Y14)
	VPSUBQ    Y14, Y6, Y6
	VMOVDQU   Y6, modeBatch_steps(DI)

	// The step: q = num/den, g ← g/s, s2 ← s2/s, h = s2 − g·g,
	// step = q − y, nt = −g/h; nv = y + nt where !(h ≥ 0) and step ≠ 0
	// and nt·step > 0 and |nt| ≤ 8·|step|, else q.
	VDIVPD    Y3, Y2, Y6
	VDIVPD    Y1, Y4, Y4
	VDIVPD    Y1, Y5, Y5
	VMULPD    Y4, Y4, Y7
	VSUBPD    Y7, Y5, Y5
	VSUBPD    Y15, Y6, Y7
	VXORPD    E_SIGN(R9), Y4, Y8
	VDIVPD    Y5, Y8, Y8
	VXORPD    Y12, Y12, Y12
	VMULPD    Y7, Y8, Y9
	VCMPPD    $0x1e, Y12, Y9, Y9 // nt·step > 0
	VANDPD    E_ABS(R9), Y8, Y10
	VANDPD    E_ABS(R9), Y7, Y11
	VMULPD    E_EIGHT(R9), Y11, Y11
	VCMPPD    $0x12, Y11, Y10, Y10 // |nt| ≤ 8·|step|
	VANDPD    Y10, Y9, Y9
	VCMPPD    $0x1d, Y12, Y5, Y10 // h ≥ 0
	VCMPPD    $0x00, Y12, Y7, Y11 // step = 0
	VORPD     Y11, Y10, Y10
	VANDNPD   Y9, Y10, Y9
	VADDPD    Y8, Y15, Y8
	VBLENDVPD Y9, Y8, Y6, Y6

	// Where den > 0 (else the lane stops where it is) the active lane
	// moves to nv; it stops there if |nv − y|/(σ + |y|) < 1e−9 or after
	// its 100th step.
	VCMPPD    $0x1e, Y12, Y3, Y3 // den > 0
	VANDPD    Y14, Y3, Y3
	VSUBPD    Y15, Y6, Y7
	VANDPD    E_ABS(R9), Y7, Y7
	VANDPD    E_ABS(R9), Y15, Y8
	VADDPD    Y8, Y13, Y8
	VDIVPD    Y8, Y7, Y7
	VBLENDVPD Y3, Y6, Y15, Y15
	VCMPPD    $0x11, E_MOVED(R9), Y7, Y7 // moved < 1e−9
	VMOVDQU   modeBatch_steps(DI), Y8
	VPCMPEQQ  E_C100(R9), Y8, Y8         // the 100th step
	VORPD     Y8, Y7, Y7
	VANDNPD   Y3, Y7, Y3                 // still active
	VANDNPD   Y14, Y3, Y8                // stopped now
	VMOVAPD   Y3, Y14
	VMOVMSKPD Y8, AX
	MOVQ      AX, modeBatch_final(DI)

save:
	VMOVUPD   Y15, modeBatch_y(DI)
	VMOVMSKPD Y14, AX
	MOVQ      AX, modeBatch_active(DI)
	JMP       top

ret:
	VZEROUPPER
	RET

// func log64AVX2(dst, x *float64, n int)
TEXT ·log64AVX2(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	LEAQ ·logConst4(SB), R8

logs:
	VMOVUPD (SI), Y0
	LOG64(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7)
	VMOVUPD Y1, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	SUBQ    $4, CX
	JNZ     logs
	VZEROUPPER
	RET
