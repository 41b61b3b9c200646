//go:build !purego

#include "textflag.h"
#include "go_asm.h"

// CRPS on avx512 (crps_amd64.go): crpsAVX2's operations in the eight
// float64 lanes of ZMM registers, its lane masks in mask registers.

// crpsConst4, byte offsets (as in crps_amd64.s; every constant but
// R_ZERO and R_LAST is read broadcast from its first lane)
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

// LOADROWS(x, r0, r0y, r1, r1y): the table rows (32 bytes: Φ and φ at
// both ends of the cell) at the byte offsets in x's four 32-bit lanes, two
// to a register: lanes 0, 1 into r0 and 2, 3 into r1 (r0y, r1y their low
// halves). R9 holds ·normTab; clobbers R10, R12.
#define LOADROWS(x, r0, r0y, r1, r1y) \
	VMOVD        x, R10;                   \
	VPEXTRD      $1, x, R12;               \
	VMOVUPD      (R9)(R10*1), r0y;       \
	VINSERTF64X4 $1, (R9)(R12*1), r0, r0;  \
	VPEXTRD      $2, x, R10;               \
	VPEXTRD      $3, x, R12;               \
	VMOVUPD      (R9)(R10*1), r1y;       \
	VINSERTF64X4 $1, (R9)(R12*1), r1, r1

// ABSMOMENTZ: Z2 = absMoment(Z0, Z1) lane-wise (m, s), crps_amd64.s's
// ABSMOMENT in eight lanes. Each lane's 32 bytes of normTab are loaded as
// a row, two lanes to a register, and transposed (VPERMI2PD with the
// indices in Z20 and Z21, then VSHUFF64X2) to Φ and φ at the cell's two
// ends across the lanes. Clobbers Z3–Z13, K2–K4, R10 and R12; R8 holds
// ·crpsConst4.
#define ABSMOMENTZ \
	VDIVPD       Z1, Z0, Z2              \ // z = m/s
	VADDPD.BCST  R_ZMAX(R8), Z2, Z3      \
	VMULPD.BCST  R_PERZ(R8), Z3, Z3      \ // t
	VCVTTPD2DQ   Z3, Y4                  \ // its cell, clamped within the table
	VPMAXSD      R_ZERO(R8), Y4, Y4      \
	VPMINSD      R_LAST(R8), Y4, Y4      \
	VCVTDQ2PD    Y4, Z5                  \
	VSUBPD       Z5, Z3, Z3              \ // t within the cell
	VMULPD.BCST  R_STEP(R8), Z5, Z5      \
	VADDPD.BCST  R_NZMAX(R8), Z5, Z5     \ // za
	VPSLLD       $4, Y4, Y4              \
	LOADROWS(X4, Z6, Y6, Z7, Y7)                 \
	VEXTRACTI128 $1, Y4, X4              \
	LOADROWS(X4, Z8, Y8, Z9, Y9)                 \
	VMOVDQA64    Z20, Z10                \
	VPERMI2PD    Z7, Z6, Z10             \
	VMOVDQA64    Z21, Z11                \
	VPERMI2PD    Z7, Z6, Z11             \
	VMOVDQA64    Z20, Z12                \
	VPERMI2PD    Z9, Z8, Z12             \
	VMOVDQA64    Z21, Z13                \
	VPERMI2PD    Z9, Z8, Z13             \
	VSHUFF64X2   $0xee, Z12, Z10, Z6     \ // q0 = φ at the cell's start
	VSHUFF64X2   $0x44, Z12, Z10, Z10    \ // p0 = Φ there
	VSHUFF64X2   $0x44, Z13, Z11, Z8     \ // Φ at its end
	VSHUFF64X2   $0xee, Z13, Z11, Z7     \ // φ at its end
	VMULPD.BCST  R_STEP(R8), Z6, Z9      \ // d0
	VMULPD.BCST  R_STEP(R8), Z7, Z11     \ // d1
	VSUBPD       Z10, Z8, Z8             \ // dp
	VMULPD.BCST  R_THREE(R8), Z8, Z12    \
	VADDPD       Z9, Z9, Z13             \
	VSUBPD       Z13, Z12, Z12           \
	VSUBPD       Z11, Z12, Z12           \ // 3dp − 2d0 − d1
	VADDPD       Z11, Z9, Z13            \
	VADDPD       Z8, Z8, Z4              \
	VSUBPD       Z4, Z13, Z13            \ // d0 + d1 − 2dp
	VMULPD       Z3, Z13, Z13            \
	VADDPD       Z13, Z12, Z12           \
	VMULPD       Z3, Z12, Z12            \
	VADDPD       Z12, Z9, Z12            \
	VMULPD       Z3, Z12, Z12            \
	VADDPD       Z12, Z10, Z10           \ // cdf
	VMULPD.BCST  R_MONE(R8), Z5, Z4      \
	VMULPD       Z9, Z4, Z4              \ // e0 = −za·d0
	VADDPD.BCST  R_STEP(R8), Z5, Z5      \
	VMULPD.BCST  R_MONE(R8), Z5, Z5      \
	VMULPD       Z11, Z5, Z5             \ // e1 = −(za + step)·d1
	VSUBPD       Z6, Z7, Z7              \ // dq
	VMULPD.BCST  R_THREE(R8), Z7, Z8     \
	VADDPD       Z4, Z4, Z9              \
	VSUBPD       Z9, Z8, Z8              \
	VSUBPD       Z5, Z8, Z8              \ // 3dq − 2e0 − e1
	VADDPD       Z5, Z4, Z9              \
	VADDPD       Z7, Z7, Z11             \
	VSUBPD       Z11, Z9, Z9             \ // e0 + e1 − 2dq
	VMULPD       Z3, Z9, Z9              \
	VADDPD       Z9, Z8, Z8              \
	VMULPD       Z3, Z8, Z8              \
	VADDPD       Z8, Z4, Z8              \
	VMULPD       Z3, Z8, Z8              \
	VADDPD       Z8, Z6, Z8              \
	VMAXPD.BCST  R_ZERO(R8), Z8, Z8      \ // pdf = max(…, 0)
	VCMPPD.BCST  $0x1e, R_NZMAX(R8), Z2, K2 \ // z > −8.5
	VCMPPD.BCST  $0x11, R_ZMAX(R8), Z2, K2, K2 \ // and z < 8.5
	VCMPPD.BCST  $0x1d, R_ZMAX(R8), Z2, K3 \ // z ≥ 8.5: Φ = 1
	VMOVAPD.Z    Z10, K2, Z10            \ // cdf; 0 below −8.5
	VBROADCASTSD R_ONE(R8), K3, Z10      \
	VMOVAPD.Z    Z8, K2, Z8              \ // pdf; 0 outside
	VADDPD       Z1, Z1, Z11             \
	VMULPD       Z8, Z11, Z11            \ // 2s·pdf
	VADDPD       Z10, Z10, Z10           \
	VSUBPD.BCST  R_ONE(R8), Z10, Z10     \
	VMULPD       Z0, Z10, Z10            \ // m·(2cdf − 1)
	VADDPD       Z10, Z11, Z2            \
	VCMPPD.BCST  $0x00, R_ZERO(R8), Z1, K4 \ // s = 0: |m|
	VANDPD.BCST  R_ABS(R8), Z0, K4, Z2

// func crpsAVX512(b *crpsBatch, k int)
//
// crpsAVX2's sums in eight lanes: Z14 holds a, Z15 b; SI the batch, AX
// component c and BX component e as byte offsets (c·64), R11 the end;
// Z20, Z21 the transposition's indices (·quantPerm).
TEXT ·crpsAVX512(SB), NOSPLIT, $0-16
	MOVQ    b+0(FP), SI
	MOVQ    k+8(FP), R11
	SHLQ    $6, R11
	LEAQ    ·crpsConst4(SB), R8
	LEAQ    ·normTab(SB), R9
	LEAQ    ·quantPerm(SB), R10
	VMOVDQU64 (R10), Z20
	VMOVDQU64 64(R10), Z21
	VXORPD  Z14, Z14, Z14
	VXORPD  Z15, Z15, Z15
	VXORPD  Z22, Z22, Z22
	XORQ    AX, AX

comp:
	VMOVUPD crpsBatch_y(SI), Z0
	VSUBPD  crpsBatch_m(SI)(AX*1), Z0, Z0 // y − μ_c
	VMOVUPD crpsBatch_s(SI)(AX*1), Z1
	ABSMOMENTZ
	VMOVUPD   crpsBatch_w(SI)(AX*1), Z3
	VCMPPD    $0x0c, Z22, Z3, K5           // w_c ≠ 0
	VMULPD.Z  Z3, Z2, K5, Z2
	VADDPD    Z2, Z14, Z14                 // a += w_c·A
	VMULPD    Z3, Z3, Z2
	VMULPD.BCST R_2ISQPI(R8), Z2, Z2
	VMULPD.Z  crpsBatch_s(SI)(AX*1), Z2, K5, Z2
	VADDPD    Z2, Z15, Z15                 // b += w_c²·2/√π·σ_c
	LEAQ      64(AX), BX

pair:
	CMPQ    BX, R11
	JGE     pairsDone
	VMOVUPD crpsBatch_m(SI)(AX*1), Z0
	VSUBPD  crpsBatch_m(SI)(BX*1), Z0, Z0 // μ_c − μ_e
	VMOVUPD crpsBatch_s(SI)(AX*1), Z1
	VMULPD  Z1, Z1, Z1
	VMOVUPD crpsBatch_s(SI)(BX*1), Z2
	VMULPD  Z2, Z2, Z2
	VADDPD  Z2, Z1, Z1
	VSQRTPD Z1, Z1                        // √(σ_c² + σ_e²)
	ABSMOMENTZ
	VMOVUPD  crpsBatch_w(SI)(AX*1), Z3
	VCMPPD   $0x0c, Z22, Z3, K5
	VADDPD   Z3, Z3, Z3
	VMOVUPD  crpsBatch_w(SI)(BX*1), Z5
	VCMPPD   $0x0c, Z22, Z5, K5, K5       // both weights ≠ 0
	VMULPD   Z5, Z3, Z3                   // 2·w_c·w_e
	VMULPD.Z Z3, Z2, K5, Z2
	VADDPD   Z2, Z15, Z15
	ADDQ     $64, BX
	JMP      pair

pairsDone:
	ADDQ $64, AX
	CMPQ AX, R11
	JLT  comp

	VMULPD.BCST R_HALF(R8), Z15, Z15
	VSUBPD      Z15, Z14, Z14
	VMOVUPD     Z14, crpsBatch_out(SI)
	VZEROUPPER
	RET
