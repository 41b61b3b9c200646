//go:build !purego

#include "textflag.h"
#include "go_asm.h"

// CRPS on avx2fma (crps_amd64.go): crps, absMoment and normBoth in four
// float64 lanes, their operations in their order.

// crpsConst4, byte offsets
#define R_ZMAX 0
#define R_NZMAX 32
#define R_PERZ 64
#define R_STEP 96
#define R_THREE 128
#define R_ONE 160
#define R_MONE 192
#define R_ZERO 224
#define R_HALF 256
#define R_2ISQPI 288
#define R_ABS 320
#define R_LAST 352

// ABSMOMENT: Y2 = absMoment(Y0, Y1) lane-wise (m, s), normBoth's Hermite
// cubics from normTab (R9): each lane's pair of table rows, Φ and φ at
// both ends of its cell, loaded in 128-bit halves and unpacked across the
// lanes. Clobbers Y3–Y13 and R10; R8 holds ·crpsConst4.
#define ABSMOMENT \
	VDIVPD      Y1, Y0, Y2              \ // z = m/s
	VADDPD      R_ZMAX(R8), Y2, Y3      \
	VMULPD      R_PERZ(R8), Y3, Y3      \ // t
	VCVTTPD2DQY Y3, X4                  \ // its cell, clamped within the table
	VPMAXSD     R_ZERO(R8), X4, X4      \
	VPMINSD     R_LAST(R8), X4, X4      \
	VCVTDQ2PD   X4, Y5                  \
	VSUBPD      Y5, Y3, Y3              \ // t within the cell
	VMULPD      R_STEP(R8), Y5, Y5      \
	VADDPD      R_NZMAX(R8), Y5, Y5     \ // za
	VPSLLD      $4, X4, X4              \
	VMOVD       X4, R10                 \
	VMOVUPD     (R9)(R10*1), X6         \
	VMOVUPD     16(R9)(R10*1), X7       \
	VPEXTRD     $2, X4, R10             \
	VINSERTF128 $1, (R9)(R10*1), Y6, Y6 \
	VINSERTF128 $1, 16(R9)(R10*1), Y7, Y7 \
	VPEXTRD     $1, X4, R10             \
	VMOVUPD     (R9)(R10*1), X8         \
	VMOVUPD     16(R9)(R10*1), X9       \
	VPEXTRD     $3, X4, R10             \
	VINSERTF128 $1, (R9)(R10*1), Y8, Y8 \
	VINSERTF128 $1, 16(R9)(R10*1), Y9, Y9 \
	VUNPCKLPD   Y8, Y6, Y10             \ // p0 = Φ at the cell's start
	VUNPCKHPD   Y8, Y6, Y6              \ // q0 = φ there
	VUNPCKLPD   Y9, Y7, Y8              \ // Φ at its end
	VUNPCKHPD   Y9, Y7, Y7              \ // φ at its end
	VMULPD      R_STEP(R8), Y6, Y9      \ // d0
	VMULPD      R_STEP(R8), Y7, Y11     \ // d1
	VSUBPD      Y10, Y8, Y8             \ // dp
	VMULPD      R_THREE(R8), Y8, Y12    \
	VADDPD      Y9, Y9, Y13             \
	VSUBPD      Y13, Y12, Y12           \
	VSUBPD      Y11, Y12, Y12           \ // 3dp − 2d0 − d1
	VADDPD      Y11, Y9, Y13            \
	VADDPD      Y8, Y8, Y4              \
	VSUBPD      Y4, Y13, Y13            \ // d0 + d1 − 2dp
	VMULPD      Y3, Y13, Y13            \
	VADDPD      Y13, Y12, Y12           \
	VMULPD      Y3, Y12, Y12            \
	VADDPD      Y12, Y9, Y12            \
	VMULPD      Y3, Y12, Y12            \
	VADDPD      Y12, Y10, Y10           \ // cdf
	VMULPD      R_MONE(R8), Y5, Y4      \
	VMULPD      Y9, Y4, Y4              \ // e0 = −za·d0
	VADDPD      R_STEP(R8), Y5, Y5      \
	VMULPD      R_MONE(R8), Y5, Y5      \
	VMULPD      Y11, Y5, Y5             \ // e1 = −(za + step)·d1
	VSUBPD      Y6, Y7, Y7              \ // dq
	VMULPD      R_THREE(R8), Y7, Y8     \
	VADDPD      Y4, Y4, Y9              \
	VSUBPD      Y9, Y8, Y8              \
	VSUBPD      Y5, Y8, Y8              \ // 3dq − 2e0 − e1
	VADDPD      Y5, Y4, Y9              \
	VADDPD      Y7, Y7, Y11             \
	VSUBPD      Y11, Y9, Y9             \ // e0 + e1 − 2dq
	VMULPD      Y3, Y9, Y9              \
	VADDPD      Y9, Y8, Y8              \
	VMULPD      Y3, Y8, Y8              \
	VADDPD      Y8, Y4, Y8              \
	VMULPD      Y3, Y8, Y8              \
	VADDPD      Y8, Y6, Y8              \
	VMAXPD      R_ZERO(R8), Y8, Y8      \ // pdf = max(…, 0)
	VCMPPD      $0x1e, R_NZMAX(R8), Y2, Y9 \ // z > −8.5
	VCMPPD      $0x11, R_ZMAX(R8), Y2, Y11 \ // z < 8.5
	VANDPD      Y11, Y9, Y9             \
	VCMPPD      $0x1d, R_ZMAX(R8), Y2, Y11 \ // z ≥ 8.5: Φ = 1
	VANDPD      R_ONE(R8), Y11, Y11     \
	VBLENDVPD   Y9, Y10, Y11, Y10       \ // cdf; 0 below −8.5
	VANDPD      Y9, Y8, Y8              \ // pdf; 0 outside
	VADDPD      Y1, Y1, Y11             \
	VMULPD      Y8, Y11, Y11            \ // 2s·pdf
	VADDPD      Y10, Y10, Y10           \
	VSUBPD      R_ONE(R8), Y10, Y10     \
	VMULPD      Y0, Y10, Y10            \ // m·(2cdf − 1)
	VADDPD      Y10, Y11, Y2            \
	VCMPPD      $0x00, R_ZERO(R8), Y1, Y9 \ // s = 0: |m|
	VANDPD      R_ABS(R8), Y0, Y11      \
	VBLENDVPD   Y9, Y11, Y2, Y2

// func crpsAVX2(b *crpsBatch, k int)
//
// a = Σ_c w_c·A(y − μ_c, σ_c), b = Σ_c (w_c²·2/√π·σ_c + Σ_e>c 2·w_c·w_e·
// A(μ_c − μ_e, √(σ_c² + σ_e²))), out = a − ½·b, the terms of a component
// of weight 0 masked to +0. Y14 holds a, Y15 b; SI the batch, AX
// component c and BX component e as byte offsets (c·32), R11 the end.
TEXT ·crpsAVX2(SB), NOSPLIT, $0-16
	MOVQ   b+0(FP), SI
	MOVQ   k+8(FP), R11
	SHLQ   $5, R11
	LEAQ   ·crpsConst4(SB), R8
	LEAQ   ·normTab(SB), R9
	VXORPD Y14, Y14, Y14
	VXORPD Y15, Y15, Y15
	XORQ   AX, AX

comp:
	VMOVUPD crpsBatch_y(SI), Y0
	VSUBPD  crpsBatch_m(SI)(AX*1), Y0, Y0 // y − μ_c
	VMOVUPD crpsBatch_s(SI)(AX*1), Y1
	ABSMOMENT
	VMOVUPD crpsBatch_w(SI)(AX*1), Y3
	VCMPPD  $0x0c, R_ZERO(R8), Y3, Y4    // w_c ≠ 0
	VMULPD  Y3, Y2, Y2
	VANDPD  Y4, Y2, Y2
	VADDPD  Y2, Y14, Y14                 // a += w_c·A
	VMULPD  Y3, Y3, Y2
	VMULPD  R_2ISQPI(R8), Y2, Y2
	VMULPD  crpsBatch_s(SI)(AX*1), Y2, Y2
	VANDPD  Y4, Y2, Y2
	VADDPD  Y2, Y15, Y15                 // b += w_c²·2/√π·σ_c
	LEAQ    32(AX), BX

pair:
	CMPQ    BX, R11
	JGE     pairsDone
	VMOVUPD crpsBatch_m(SI)(AX*1), Y0
	VSUBPD  crpsBatch_m(SI)(BX*1), Y0, Y0 // μ_c − μ_e
	VMOVUPD crpsBatch_s(SI)(AX*1), Y1
	VMULPD  Y1, Y1, Y1
	VMOVUPD crpsBatch_s(SI)(BX*1), Y2
	VMULPD  Y2, Y2, Y2
	VADDPD  Y2, Y1, Y1
	VSQRTPD Y1, Y1                        // √(σ_c² + σ_e²)
	ABSMOMENT
	VMOVUPD crpsBatch_w(SI)(AX*1), Y3
	VCMPPD  $0x0c, R_ZERO(R8), Y3, Y4
	VADDPD  Y3, Y3, Y3
	VMOVUPD crpsBatch_w(SI)(BX*1), Y5
	VCMPPD  $0x0c, R_ZERO(R8), Y5, Y6
	VANDPD  Y6, Y4, Y4                    // both weights ≠ 0
	VMULPD  Y5, Y3, Y3                    // 2·w_c·w_e
	VMULPD  Y3, Y2, Y2
	VANDPD  Y4, Y2, Y2
	VADDPD  Y2, Y15, Y15
	ADDQ    $32, BX
	JMP     pair

pairsDone:
	ADDQ $32, AX
	CMPQ AX, R11
	JLT  comp

	VMULPD  R_HALF(R8), Y15, Y15
	VSUBPD  Y15, Y14, Y14
	VMOVUPD Y14, crpsBatch_out(SI)
	VZEROUPPER
	RET
