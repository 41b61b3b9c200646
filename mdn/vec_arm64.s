//go:build !purego

#include "textflag.h"

// The trainer's vector loops (see vec_amd64.go and vec_arm64.go): the
// optimizers' updates, 4 parameters per iteration, with operands in the
// order of the Go loops of optimizer.update and one rounding per operation
// (no fused multiply-add); and the float64 sum of the per-row losses. The
// vector arithmetic is hand-encoded (WORD, checked by
// scripts/check-arm64-words.sh).

// LANESUM reduces V8 to its lane sum in F0.
#define LANESUM \
	WORD $0x6e28d500 /* faddp v0.4s, v8.4s, v8.4s */; \
	WORD $0x7e30d800 /* faddp s0, v0.2s */

// PSTORE stores the new p (V7), adds p·0 into V8 and counts the block.
#define PSTORE \
	VST1.P [V7.S4], 16(R0);                       \
	WORD   $0x6e29dce4 /* fmul v4.4s, v7.4s, v9.4s */; \
	WORD   $0x4e24d508 /* fadd v8.4s, v8.4s, v4.4s */; \
	SUB    $1, R1

// PADD ends an Adam or RMSprop step: p = p + V6, then PSTORE.
#define PADD \
	VLD1 (R0), [V7.S4];                           \
	WORD $0x4e26d4e7 /* fadd v7.4s, v7.4s, v6.4s */; \
	PSTORE

// RMSV is the start of an RMSprop step: V0 = g; v = v·α + ((1−α)·g)·g,
// stored; V5 = a = √v + ε.
#define RMSV \
	VLD1.P 16(R2), [V0.S4];                        \
	VLD1   (R3), [V3.S4];                          \
	WORD   $0x6e2adc63 /* fmul v3.4s, v3.4s, v10.4s */; \
	WORD   $0x6e2bdc04 /* fmul v4.4s, v0.4s, v11.4s */; \
	WORD   $0x6e20dc84 /* fmul v4.4s, v4.4s, v0.4s */;  \
	WORD   $0x4e24d463 /* fadd v3.4s, v3.4s, v4.4s */;  \
	VST1.P [V3.S4], 16(R3);                        \
	WORD   $0x6ea1f865 /* fsqrt v5.4s, v3.4s */;        \
	WORD   $0x4e2cd4a5 /* fadd v5.4s, v5.4s, v12.4s */

// func adamVec(p, g, m, v []float32, k *[6]float32) float32
// Requires: ASIMD
//
// R0 p, R1 blocks left, R2 g, R3 m, R4 v; V8 Σp·0, V9 0, V10 −step, V11 bc2,
// V12 1−β1, V13 β2, V14 1−β2, V15 ε.
TEXT ·adamVec(SB), NOSPLIT, $0-108
	MOVD    p_base+0(FP), R0
	MOVD    p_len+8(FP), R1
	MOVD    g_base+24(FP), R2
	MOVD    m_base+48(FP), R3
	MOVD    v_base+72(FP), R4
	MOVD    k+96(FP), R5
	VLD1R.P 4(R5), [V10.S4]
	VLD1R.P 4(R5), [V11.S4]
	VLD1R.P 4(R5), [V12.S4]
	VLD1R.P 4(R5), [V13.S4]
	VLD1R.P 4(R5), [V14.S4]
	VLD1R   (R5), [V15.S4]
	VEOR    V8.B16, V8.B16, V8.B16
	VEOR    V9.B16, V9.B16, V9.B16
	LSR     $2, R1
	CBZ     R1, adone

aloop:
	VLD1.P 16(R2), [V0.S4] // g
	VLD1   (R3), [V1.S4]   // m
	WORD   $0x4ea1d402     // fsub v2.4s, v0.4s, v1.4s
	WORD   $0x6e2cdc42     // fmul v2.4s, v2.4s, v12.4s
	WORD   $0x4e22d421     // fadd v1.4s, v1.4s, v2.4s
	VST1.P [V1.S4], 16(R3)
	VLD1   (R4), [V3.S4]   // v
	WORD   $0x6e2ddc63     // fmul v3.4s, v3.4s, v13.4s
	WORD   $0x6e2edc04     // fmul v4.4s, v0.4s, v14.4s
	WORD   $0x6e20dc84     // fmul v4.4s, v4.4s, v0.4s
	WORD   $0x4e24d463     // fadd v3.4s, v3.4s, v4.4s
	VST1.P [V3.S4], 16(R4)
	WORD   $0x6ea1f865     // fsqrt v5.4s, v3.4s
	WORD   $0x6e2bfca5     // fdiv v5.4s, v5.4s, v11.4s
	WORD   $0x4e2fd4a5     // fadd v5.4s, v5.4s, v15.4s
	WORD   $0x6e2adc26     // fmul v6.4s, v1.4s, v10.4s
	WORD   $0x6e25fcc6     // fdiv v6.4s, v6.4s, v5.4s
	PADD
	CBNZ   R1, aloop

adone:
	LANESUM
	FMOVS F0, ret+104(FP)
	RET

// func rmspropVec(p, g, v, b []float32, k *[5]float32) float32
// Requires: ASIMD
//
// R0 p, R1 blocks left, R2 g, R3 v, R4 b; V8 Σp·0, V9 0, V10 α, V11 1−α,
// V12 ε, V13 −lr, V14 μ.
TEXT ·rmspropVec(SB), NOSPLIT, $0-108
	MOVD    p_base+0(FP), R0
	MOVD    p_len+8(FP), R1
	MOVD    g_base+24(FP), R2
	MOVD    v_base+48(FP), R3
	MOVD    b_base+72(FP), R4
	MOVD    b_len+80(FP), R6
	MOVD    k+96(FP), R5
	VLD1R.P 4(R5), [V10.S4]
	VLD1R.P 4(R5), [V11.S4]
	VLD1R.P 4(R5), [V12.S4]
	VLD1R.P 4(R5), [V13.S4]
	VLD1R   (R5), [V14.S4]
	VEOR    V8.B16, V8.B16, V8.B16
	VEOR    V9.B16, V9.B16, V9.B16
	LSR     $2, R1
	CBZ     R1, rdone
	CBNZ    R6, rmloop

rloop:
	RMSV
	WORD   $0x6e2ddc06     // fmul v6.4s, v0.4s, v13.4s
	WORD   $0x6e25fcc6     // fdiv v6.4s, v6.4s, v5.4s
	PADD
	CBNZ   R1, rloop
	B      rdone

rmloop:
	RMSV
	WORD   $0x6e25fc00     // fdiv v0.4s, v0.4s, v5.4s
	VLD1   (R4), [V1.S4]   // b
	WORD   $0x6e2edc21     // fmul v1.4s, v1.4s, v14.4s
	WORD   $0x4e20d421     // fadd v1.4s, v1.4s, v0.4s
	VST1.P [V1.S4], 16(R4)
	WORD   $0x6e2ddc26     // fmul v6.4s, v1.4s, v13.4s
	PADD
	CBNZ   R1, rmloop

rdone:
	LANESUM
	FMOVS F0, ret+104(FP)
	RET

// func sgdVec(p, g, b []float32, k *[2]float32) float32
// Requires: ASIMD
//
// R0 p, R1 blocks left, R2 g, R3 b; V8 Σp·0, V9 0, V10 lr, V11 μ.
TEXT ·sgdVec(SB), NOSPLIT, $0-84
	MOVD    p_base+0(FP), R0
	MOVD    p_len+8(FP), R1
	MOVD    g_base+24(FP), R2
	MOVD    b_base+48(FP), R3
	MOVD    b_len+56(FP), R6
	MOVD    k+72(FP), R5
	VLD1R.P 4(R5), [V10.S4]
	VLD1R   (R5), [V11.S4]
	VEOR    V8.B16, V8.B16, V8.B16
	VEOR    V9.B16, V9.B16, V9.B16
	LSR     $2, R1
	CBZ     R1, sdone
	CBNZ    R6, smloop

sloop:
	VLD1.P 16(R2), [V0.S4] // g
	WORD   $0x6e2adc00     // fmul v0.4s, v0.4s, v10.4s
	VLD1   (R0), [V7.S4]   // p
	WORD   $0x4ea0d4e7     // fsub v7.4s, v7.4s, v0.4s
	PSTORE
	CBNZ   R1, sloop
	B      sdone

smloop:
	VLD1.P 16(R2), [V0.S4] // g
	VLD1   (R3), [V1.S4]   // b
	WORD   $0x6e2bdc21     // fmul v1.4s, v1.4s, v11.4s
	WORD   $0x4e21d401     // fadd v1.4s, v0.4s, v1.4s
	VST1.P [V1.S4], 16(R3)
	WORD   $0x6e2adc20     // fmul v0.4s, v1.4s, v10.4s
	VLD1   (R0), [V7.S4]   // p
	WORD   $0x4ea0d4e7     // fsub v7.4s, v7.4s, v0.4s
	PSTORE
	CBNZ   R1, smloop

sdone:
	LANESUM
	FMOVS F0, ret+80(FP)
	RET

// func sumVec(s []float32) float64
// Requires: ASIMD
//
// R0 s, R1 blocks of 16 left; V0-V7 the partial sums of lanes 0-1, 2-3, …,
// 14-15 (as float64), V16-V19 the block, V20-V27 it converted.
TEXT ·sumVec(SB), NOSPLIT, $0-32
	MOVD s_base+0(FP), R0
	MOVD s_len+8(FP), R1
	VEOR V0.B16, V0.B16, V0.B16
	VEOR V1.B16, V1.B16, V1.B16
	VEOR V2.B16, V2.B16, V2.B16
	VEOR V3.B16, V3.B16, V3.B16
	VEOR V4.B16, V4.B16, V4.B16
	VEOR V5.B16, V5.B16, V5.B16
	VEOR V6.B16, V6.B16, V6.B16
	VEOR V7.B16, V7.B16, V7.B16
	LSR  $4, R1
	CBZ  R1, sumdone

sumloop:
	VLD1.P 64(R0), [V16.S4, V17.S4, V18.S4, V19.S4]
	WORD   $0x0e617a14 // fcvtl v20.2d, v16.2s
	WORD   $0x4e617a15 // fcvtl2 v21.2d, v16.4s
	WORD   $0x0e617a36 // fcvtl v22.2d, v17.2s
	WORD   $0x4e617a37 // fcvtl2 v23.2d, v17.4s
	WORD   $0x0e617a58 // fcvtl v24.2d, v18.2s
	WORD   $0x4e617a59 // fcvtl2 v25.2d, v18.4s
	WORD   $0x0e617a7a // fcvtl v26.2d, v19.2s
	WORD   $0x4e617a7b // fcvtl2 v27.2d, v19.4s
	WORD   $0x4e74d400 // fadd v0.2d, v0.2d, v20.2d
	WORD   $0x4e75d421 // fadd v1.2d, v1.2d, v21.2d
	WORD   $0x4e76d442 // fadd v2.2d, v2.2d, v22.2d
	WORD   $0x4e77d463 // fadd v3.2d, v3.2d, v23.2d
	WORD   $0x4e78d484 // fadd v4.2d, v4.2d, v24.2d
	WORD   $0x4e79d4a5 // fadd v5.2d, v5.2d, v25.2d
	WORD   $0x4e7ad4c6 // fadd v6.2d, v6.2d, v26.2d
	WORD   $0x4e7bd4e7 // fadd v7.2d, v7.2d, v27.2d
	SUB    $1, R1
	CBNZ   R1, sumloop

sumdone:
	// (((p0,1 + p2,3) + (p4,5 + p6,7)) + ((p8,9 + p10,11) + (p12,13 + p14,15))),
	// then lane 0 + lane 1.
	WORD  $0x4e61d400 // fadd v0.2d, v0.2d, v1.2d
	WORD  $0x4e63d442 // fadd v2.2d, v2.2d, v3.2d
	WORD  $0x4e65d484 // fadd v4.2d, v4.2d, v5.2d
	WORD  $0x4e67d4c6 // fadd v6.2d, v6.2d, v7.2d
	WORD  $0x4e62d400 // fadd v0.2d, v0.2d, v2.2d
	WORD  $0x4e66d484 // fadd v4.2d, v4.2d, v6.2d
	WORD  $0x4e64d400 // fadd v0.2d, v0.2d, v4.2d
	WORD  $0x7e70d800 // faddp d0, v0.2d
	FMOVD F0, ret+24(FP)
	RET

// func addVec(dst, src []float32)
// Requires: ASIMD
//
// dst[i] = dst[i] + src[i] for i < len(dst), a multiple of 4 (len(src) ≥
// len(dst)): R0 dst, R2 src, R1 blocks of 4 left.
TEXT ·addVec(SB), NOSPLIT, $0-48
	MOVD dst_base+0(FP), R0
	MOVD dst_len+8(FP), R1
	MOVD src_base+24(FP), R2
	LSR  $2, R1
	CBZ  R1, adone

aloop:
	VLD1   (R0), [V0.S4]
	VLD1.P 16(R2), [V1.S4]
	WORD   $0x4e21d400 // fadd v0.4s, v0.4s, v1.4s
	VST1.P [V0.S4], 16(R0)
	SUB    $1, R1
	CBNZ   R1, aloop

adone:
	RET
