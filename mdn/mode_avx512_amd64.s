//go:build !purego

#include "textflag.h"
#include "go_asm.h"
#include "exp64_amd64.h"
#include "mode_run_amd64.h"

// Mode on avx512 (mode_amd64.go): modeRunAVX2's loop in the eight
// float64 lanes of ZMM registers, its lane masks in mask registers.

// func modeRunAVX512(b *modeBatch, q *modeQueue, k int)
//
// At top the lanes' state is in b. Free lanes take starts (REFILL); a
// free lane with no start left returns for more, unless q.drain; with no
// lane active or stopped it returns. A pass: modeSums at every lane's y
// (Z15), its mx into Z0 and s into Z1, num Z2, den Z3, g Z4, s2 Z5 (Z1–Z10
// and K2–K5 are the exponentials' while they run); the lanes that stopped
// a pass ago hand their results over (EMIT); the active lanes (K1) take a
// step, Z14 their step counts, Z13 their start components' σ, and those
// that stop become final; the state goes back to b.
TEXT ·modeRunAVX512(SB), NOSPLIT, $0-24
	MOVQ       b+0(FP), DI
	MOVQ       q+8(FP), SI
	MOVQ       k+16(FP), DX
	LEAQ       ·expConst4(SB), R9
	VPTERNLOGQ $0xff, Z12, Z12, Z12 // −1 in every integer lane

top:
	MOVQ  modeBatch_free(DI), R12
	TESTQ R12, R12
	JZ    run
	REFILL(64)
	TESTQ R12, R12
	JZ    run
	CMPQ  modeQueue_drain(SI), $0
	JEQ   ret

run:
	MOVQ      modeBatch_active(DI), AX
	MOVQ      modeBatch_final(DI), CX
	ORQ       AX, CX
	JZ        ret
	KMOVB     AX, K1
	VMOVUPD   modeBatch_y(DI), Z15
	VMOVUPD   modeBatch_sg(DI), Z13
	VMOVDQU64 modeBatch_steps(DI), Z14

	// modeSums: t_c = lw_c − ((½·e)·e)·iv_c with e = y − μ_c into b.w,
	// mx = max_c t_c,
	MOVQ         DI, AX
	MOVQ         DX, CX
	VBROADCASTSD E_INF(R9), Z0
	VXORPD.BCST  E_SIGN(R9), Z0, Z0

terms:
	VMOVUPD     modeBatch_mu(AX), Z6
	VSUBPD      Z6, Z15, Z6
	VMULPD.BCST E_HALF(R9), Z6, Z7
	VMULPD      Z6, Z7, Z7
	VMULPD      modeBatch_iv(AX), Z7, Z7
	VMOVUPD     modeBatch_lw(AX), Z8
	VSUBPD      Z7, Z8, Z8
	VMOVUPD     Z8, modeBatch_w(AX)
	VMAXPD      Z8, Z0, Z0
	ADDQ        $64, AX
	DECQ        CX
	JNZ         terms

	// then e_c = exp(t_c − mx) into b.w, two components at a time (their
	// exponentials interleaved), then the last one if K is odd,
	MOVQ DI, AX
	MOVQ DX, CX
	SHRQ $1, CX
	JZ   oddexp

exps:
	VMOVUPD modeBatch_w(AX), Z1
	VSUBPD  Z0, Z1, Z1
	VMOVUPD modeBatch_w+64(AX), Z7
	VSUBPD  Z0, Z7, Z7
	EXP64ZX2(Z1, Z2, Z3, Y3, Z4, K2, K3, Z7, Z8, Z9, Y9, Z10, K4, K5)
	VMOVUPD Z2, modeBatch_w(AX)
	VMOVUPD Z8, modeBatch_w+64(AX)
	ADDQ    $128, AX
	DECQ    CX
	JNZ     exps

oddexp:
	TESTQ $1, DX
	JZ    sumsinit
	VMOVUPD modeBatch_w(AX), Z1
	VSUBPD  Z0, Z1, Z1
	EXP64Z(Z1, Z2, Z3, Y3, Z4, K2, K3)
	VMOVUPD Z2, modeBatch_w(AX)

sumsinit:
	// and over them and u_c = (μ_c − y)·iv_c the sums s += e_c,
	// num += (e_c·μ_c)·iv_c, den += e_c·iv_c, g += e_c·u_c and
	// s2 += e_c·(u_c·u_c − iv_c).
	MOVQ   DI, AX
	MOVQ   DX, CX
	VXORPD Z1, Z1, Z1
	VXORPD Z2, Z2, Z2
	VXORPD Z3, Z3, Z3
	VXORPD Z4, Z4, Z4
	VXORPD Z5, Z5, Z5

sums:
	VMOVUPD modeBatch_w(AX), Z7
	VADDPD  Z7, Z1, Z1
	VMOVUPD modeBatch_mu(AX), Z6
	VMOVUPD modeBatch_iv(AX), Z8
	VMULPD  Z6, Z7, Z9
	VMULPD  Z8, Z9, Z9
	VADDPD  Z9, Z2, Z2
	VMULPD  Z8, Z7, Z9
	VADDPD  Z9, Z3, Z3
	VSUBPD  Z15, Z6, Z6
	VMULPD  Z8, Z6, Z6
	VMULPD  Z6, Z7, Z9
	VADDPD  Z9, Z4, Z4
	VMULPD  Z6, Z6, Z9
	VSUBPD  Z8, Z9, Z9
	VMULPD  Z9, Z7, Z9
	VADDPD  Z9, Z5, Z5
	ADDQ    $64, AX
	DECQ    CX
	JNZ     sums

	// The lanes that stopped a pass ago hand over their results.
	MOVQ  modeBatch_final(DI), R12
	TESTQ R12, R12
	JZ    step
	VMOVUPD Z0, modeBatch_mx(DI)
	VMOVUPD Z1, modeBatch_s(DI)
	EMIT

step:
	KORTESTB K1, K1
	JZ       save
	VPSUBQ   Z12, Z14, K1, Z14 // a step for each active lane

	// The step: q = num/den, g ← g/s, s2 ← s2/s, h = s2 − g·g,
	// step = q − y, nt = −g/h; nv = y + nt where !(h ≥ 0) and step ≠ 0
	// and nt·step > 0 and |nt| ≤ 8·|step|, else q.
	VDIVPD      Z3, Z2, Z6
	VDIVPD      Z1, Z4, Z4
	VDIVPD      Z1, Z5, Z5
	VMULPD      Z4, Z4, Z7
	VSUBPD      Z7, Z5, Z5
	VSUBPD      Z15, Z6, Z7
	VXORPD.BCST E_SIGN(R9), Z4, Z8
	VDIVPD      Z5, Z8, Z8
	VPXORQ      Z11, Z11, Z11
	VMULPD      Z7, Z8, Z9
	VCMPPD      $0x1e, Z11, Z9, K2 // nt·step > 0
	VANDPD.BCST E_ABS(R9), Z8, Z10
	VANDPD.BCST E_ABS(R9), Z7, Z9
	VMULPD.BCST E_EIGHT(R9), Z9, Z9
	VCMPPD      $0x12, Z9, Z10, K2, K2 // and |nt| ≤ 8·|step|
	VCMPPD      $0x1d, Z11, Z5, K3     // h ≥ 0
	VCMPPD      $0x00, Z11, Z7, K4     // step = 0
	KORB        K4, K3, K3
	KANDNB      K2, K3, K2
	VADDPD      Z8, Z15, K2, Z6

	// Where den > 0 (else the lane stops where it is) the active lane
	// moves to nv; it stops there if |nv − y|/(σ + |y|) < 1e−9 or after
	// its 100th step.
	VCMPPD      $0x1e, Z11, Z3, K1, K3 // den > 0, active
	VSUBPD      Z15, Z6, Z7
	VANDPD.BCST E_ABS(R9), Z7, Z7
	VANDPD.BCST E_ABS(R9), Z15, Z8
	VADDPD      Z8, Z13, Z8
	VDIVPD      Z8, Z7, Z7
	VMOVAPD     Z6, K3, Z15
	VCMPPD.BCST $0x11, E_MOVED(R9), Z7, K4 // moved < 1e−9
	VPCMPEQQ.BCST E_C100(R9), Z14, K5      // the 100th step
	KORB        K5, K4, K4
	KANDNB      K3, K4, K3                 // still active
	KANDNB      K1, K3, K2                 // stopped now
	KMOVB       K3, K1
	KMOVB       K2, AX
	MOVQ        AX, modeBatch_final(DI)

save:
	VMOVUPD   Z15, modeBatch_y(DI)
	VMOVDQU64 Z14, modeBatch_steps(DI)
	KMOVB     K1, AX
	MOVQ      AX, modeBatch_active(DI)
	JMP       top

ret:
	VZEROUPPER
	RET
