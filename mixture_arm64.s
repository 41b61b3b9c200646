//go:build !purego

#include "textflag.h"
#include "asm_arm64.h"
#include "vecmath_arm64.h"

// Mixture constants, loaded into V12-V23 by LOAD_MIX_CONSTS (V20 is then
// set to scale):
//	V12 −Inf  V13 LogSigmaMin (−87)  V14 ZMax (2⁶⁰)  V15 −ZMax
//	V16 ½log2π  V17 MaxFloat32  V18 −MaxFloat32  V19 ½  V20 scale
DATA4(mixconsts<>, 0, $0xff800000)
DATA4(mixconsts<>, 16, $0xc2ae0000)
DATA4(mixconsts<>, 32, $0x5d800000)
DATA4(mixconsts<>, 48, $0xdd800000)
DATA4(mixconsts<>, 64, $0x3f6b3f8e)
DATA4(mixconsts<>, 80, $0x7f7fffff)
DATA4(mixconsts<>, 96, $0xff7fffff)
DATA4(mixconsts<>, 112, $0x3f000000)
GLOBL mixconsts<>(SB), RODATA|NOPTR, $128

#define LOAD_MIX_CONSTS(R) \
	MOVD $mixconsts<>(SB), R; \
	VLD1.P 64(R), [V12.S4, V13.S4, V14.S4, V15.S4]; \
	VLD1 (R), [V16.S4, V17.S4, V18.S4, V19.S4]; \
	FMOVS scale+112(FP), F20; \
	VDUP V20.S[0], V20.S4

// SAT clamps V to ±MaxFloat32 (NaN stays NaN).
#define SAT_V0 \
	WORD $0x4eb1f400 /* fmin v0.4s, v0.4s, v17.4s */; \
	WORD $0x4e32f400 /* fmax v0.4s, v0.4s, v18.4s */

// func mixtureNEON(nll, dhead, head, y []float32, k, d int, scale float32, scratch []float32)
// Requires: ASIMD
//
// kernels.MixtureNLLGrad (kernels.MixtureNLL when len(dhead) == 0) in
// float32 under the same numeric contract, on blocks of 4 rows, one row per
// lane; the last block's lanes past row n−1 repeat row n−1. Per block, the
// y and head rows are gathered into column vectors in scratch
// (len ≥ 4·(d + w + k·(2+2d)), w = k+2kd), then, per lane:
//	m = max logit; SL = Σ e^(logit−m); A = m + log SL
//	lp_c = logit_c − A + Σ_j (−logσ − ½log2π − ½z²), saturated at
//	    ±MaxFloat32 after each term, z = clamp((y−μ)·σ⁻¹, ±ZMax) (with
//	    y−μ halved where it overflows), σ⁻¹ = e^−max(logσ, −87)
//	mm = max lp; ss = Σ e^(lp−mm); nll = sat(−(mm + log ss))
//	sγ = e^(lp−mm)·scale/ss, sπ = e^(logit−m)·scale/SL
//	dlogit = sat(sπ − sγ); dμ = sat(−sat(sγ·z)·σ⁻¹); dlogσ = sat(sγ − sat(sγ·z)·z)
// and the gradient columns (written over the head columns) are scattered
// back to the dhead rows.
//
// Scratch layout (16-byte vectors): y columns [0, d), head columns
// [d, d+w), then per component a record of 2+2d vectors:
//	+0 e^(logit−m)  +16 lp, then e^(lp−mm)  +32+32j z_j  +48+32j σ⁻¹_j
//
// Register map:
//	R0 nll  R1 dhead (0: none)  R2 head  R3 y  R4 n  R5 k  R6 d  R7 w·4
//	R8 scratch  R9 first row of the block  R10-R17 row pointers (gather,
//	scatter) or scratch  R19-R26 column pointers and counters
//	V7-V11, V22, V23 per-block state (see each step)  V0-V6 EXP1/LOG1
//	V12-V20 mixture constants (reloaded after each LOG1)  V24-V31 exp constants
TEXT ·mixtureNEON(SB), NOSPLIT, $32-144
	MOVD nll_base+0(FP), R0
	MOVD nll_len+8(FP), R4
	MOVD dhead_base+24(FP), R1
	MOVD dhead_len+32(FP), R10
	CBNZ R10, 2(PC)
	MOVD ZR, R1
	MOVD head_base+48(FP), R2
	MOVD y_base+72(FP), R3
	MOVD k+96(FP), R5
	MOVD d+104(FP), R6
	MOVD scratch_base+120(FP), R8
	// w·4 = 4k(1+2d); offsets of the head columns, the records, the
	// record size and the μ-to-logσ column distance, kept in the frame.
	LSL  $1, R6, R10
	ADD  $1, R10, R10
	MUL  R5, R10, R7
	LSL  $2, R7, R7
	LSL  $4, R6, R10
	MOVD R10, hoff-8(SP)
	LSL  $2, R7, R11
	ADD  R11, R10, R10
	MOVD R10, roff-16(SP)
	LSL  $5, R6, R10
	ADD  $32, R10, R10
	MOVD R10, rsize-24(SP)
	MUL  R5, R6, R10
	LSL  $4, R10, R10
	MOVD R10, kd16-32(SP)
	LOAD_EXP_CONSTS(R10)
	LOAD_MIX_CONSTS(R10)
	MOVD ZR, R9

block:
	CMP  R4, R9
	BGE  done
	SUB  $1, R4, R24
	LSL  $2, R6, R26
	MUL  R7, R9, R10
	ADD  R2, R10, R10
	MUL  R26, R9, R14
	ADD  R3, R14, R14
	CLAMP(1, R9, R24, R25)
	MUL  R7, R25, R11
	ADD  R2, R11, R11
	MUL  R26, R25, R15
	ADD  R3, R15, R15
	CLAMP(2, R9, R24, R25)
	MUL  R7, R25, R12
	ADD  R2, R12, R12
	MUL  R26, R25, R16
	ADD  R3, R16, R16
	CLAMP(3, R9, R24, R25)
	MUL  R7, R25, R13
	ADD  R2, R13, R13
	MUL  R26, R25, R17
	ADD  R3, R17, R17

	// Gather the y and head columns of the 4 rows.
	MOVD R8, R19
	MOVD R6, R20

ygather:
	VLD1.P 4(R14), V0.S[0]
	VLD1.P 4(R15), V0.S[1]
	VLD1.P 4(R16), V0.S[2]
	VLD1.P 4(R17), V0.S[3]
	VST1.P [V0.S4], 16(R19)
	SUB  $1, R20
	CBNZ R20, ygather
	LSR  $2, R7, R20

hgather:
	VLD1.P 4(R10), V0.S[0]
	VLD1.P 4(R11), V0.S[1]
	VLD1.P 4(R12), V0.S[2]
	VLD1.P 4(R13), V0.S[3]
	VST1.P [V0.S4], 16(R19)
	SUB  $1, R20
	CBNZ R20, hgather

	// V9 = m = max logit.
	MOVD hoff-8(SP), R23
	ADD  R8, R23, R23
	VORR V12.B16, V12.B16, V9.B16
	MOVD R23, R19
	MOVD R5, R20

lmax:
	VLD1.P 16(R19), [V0.S4]
	WORD $0x4e20f529 // fmax v9.4s, v9.4s, v0.4s
	SUB  $1, R20
	CBNZ R20, lmax

	// V8 = SL = Σ e^(logit − m), e^(logit − m) to record +0.
	VEOR V8.B16, V8.B16, V8.B16
	MOVD R23, R19
	MOVD roff-16(SP), R21
	ADD  R8, R21, R21
	MOVD rsize-24(SP), R22
	MOVD R5, R20

lexp:
	VLD1.P 16(R19), [V0.S4]
	WORD $0x4ea9d400 // fsub v0.4s, v0.4s, v9.4s
	EXP1
	VST1 [V0.S4], (R21)
	WORD $0x4e20d508 // fadd v8.4s, v8.4s, v0.4s
	ADD  R22, R21, R21
	SUB  $1, R20
	CBNZ R20, lexp

	// V10 = A = m + log SL.
	VORR V8.B16, V8.B16, V0.B16
	LOAD_LOG_CONSTS(R10)
	LOG1
	WORD $0x4e20d52a // fadd v10.4s, v9.4s, v0.4s
	LOAD_MIX_CONSTS(R10)

	// Components: V1 = lp_c, V11 = mm = max lp. R23 logits, R19 μ,
	// R22 logσ columns; R21 the record, R26 its z/σ⁻¹ pairs; R24 y.
	VORR V12.B16, V12.B16, V11.B16
	LSL  $4, R5, R19
	ADD  R23, R19, R19
	MOVD kd16-32(SP), R22
	ADD  R19, R22, R22
	MOVD roff-16(SP), R21
	ADD  R8, R21, R21
	MOVD R5, R20

comp:
	VLD1.P 16(R23), [V1.S4]
	WORD $0x4eaad421 // fsub v1.4s, v1.4s, v10.4s
	MOVD R8, R24
	ADD  $32, R21, R26
	MOVD R6, R25

dim:
	VLD1.P 16(R22), [V22.S4]
	WORD $0x4e2df6c0 // fmax v0.4s, v22.4s, v13.4s
	WORD $0x6ea0f800 // fneg v0.4s, v0.4s
	EXP1
	VLD1.P 16(R24), [V23.S4]
	VLD1.P 16(R19), [V2.S4]
	// z = (y − μ)·σ⁻¹, or (½y − ½μ)·2σ⁻¹ where y − μ overflows (halving
	// first would lose a subnormal difference).
	WORD $0x4ea2d6e4 // fsub v4.4s, v23.4s, v2.4s
	WORD $0x6e20dc83 // fmul v3.4s, v4.4s, v0.4s
	WORD $0x4ea0f884 // fabs v4.4s, v4.4s
	WORD $0x6eb1e484 // fcmgt v4.4s, v4.4s, v17.4s
	WORD $0x6e33def7 // fmul v23.4s, v23.4s, v19.4s
	VFMLS V2.S4, V19.S4, V23.S4
	WORD $0x4e20d405 // fadd v5.4s, v0.4s, v0.4s
	WORD $0x6e25def7 // fmul v23.4s, v23.4s, v5.4s
	VBIF V4.B16, V3.B16, V23.B16
	WORD $0x4eaef6f7 // fmin v23.4s, v23.4s, v14.4s
	WORD $0x4e2ff6f7 // fmax v23.4s, v23.4s, v15.4s
	VST1.P [V23.S4], 16(R26)
	VST1.P [V0.S4], 16(R26)
	WORD $0x4eb6d421 // fsub v1.4s, v1.4s, v22.4s
	WORD $0x4eb0d421 // fsub v1.4s, v1.4s, v16.4s
	WORD $0x6e33dee2 // fmul v2.4s, v23.4s, v19.4s
	VFMLS V2.S4, V23.S4, V1.S4
	WORD $0x4eb1f421 // fmin v1.4s, v1.4s, v17.4s
	WORD $0x4e32f421 // fmax v1.4s, v1.4s, v18.4s
	SUB  $1, R25
	CBNZ R25, dim

	ADD  $16, R21, R26
	VST1 [V1.S4], (R26)
	WORD $0x4e21f56b // fmax v11.4s, v11.4s, v1.4s
	MOVD rsize-24(SP), R26
	ADD  R26, R21, R21
	SUB  $1, R20
	CBNZ R20, comp

	// V9 = ss = Σ e^(lp − mm), e^(lp − mm) to record +16.
	VEOR V9.B16, V9.B16, V9.B16
	MOVD roff-16(SP), R21
	ADD  R8, R21, R21
	ADD  $16, R21, R21
	MOVD rsize-24(SP), R22
	MOVD R5, R20

lse:
	VLD1 (R21), [V0.S4]
	WORD $0x4eabd400 // fsub v0.4s, v0.4s, v11.4s
	EXP1
	VST1 [V0.S4], (R21)
	WORD $0x4e20d529 // fadd v9.4s, v9.4s, v0.4s
	ADD  R22, R21, R21
	SUB  $1, R20
	CBNZ R20, lse

	// nll = sat(−(mm + log ss)), stored lane by lane.
	VORR V9.B16, V9.B16, V0.B16
	LOAD_LOG_CONSTS(R10)
	LOG1
	WORD $0x4e2bd400 // fadd v0.4s, v0.4s, v11.4s
	WORD $0x6ea0f800 // fneg v0.4s, v0.4s
	LOAD_MIX_CONSTS(R10)
	SAT_V0
	SUB  $1, R4, R24
	ADD  R9<<2, R0, R14
	CLAMP(1, R9, R24, R25)
	ADD  R25<<2, R0, R15
	CLAMP(2, R9, R24, R25)
	ADD  R25<<2, R0, R16
	CLAMP(3, R9, R24, R25)
	ADD  R25<<2, R0, R17
	VST1 V0.S[0], (R14)
	VST1 V0.S[1], (R15)
	VST1 V0.S[2], (R16)
	VST1 V0.S[3], (R17)
	CBZ  R1, next

	// Gradient columns over the head columns. V10 = scale/ss,
	// V11 = scale/SL; V1 = sγ for the component.
	WORD $0x6e29fe8a // fdiv v10.4s, v20.4s, v9.4s
	WORD $0x6e28fe8b // fdiv v11.4s, v20.4s, v8.4s
	MOVD hoff-8(SP), R23
	ADD  R8, R23, R23
	LSL  $4, R5, R19
	ADD  R23, R19, R19
	MOVD kd16-32(SP), R22
	ADD  R19, R22, R22
	MOVD roff-16(SP), R21
	ADD  R8, R21, R21
	MOVD R5, R20

gcomp:
	VLD1 (R21), [V2.S4, V3.S4]
	WORD $0x6e2adc61 // fmul v1.4s, v3.4s, v10.4s
	WORD $0x6e2bdc42 // fmul v2.4s, v2.4s, v11.4s
	WORD $0x4ea1d440 // fsub v0.4s, v2.4s, v1.4s
	SAT_V0
	VST1.P [V0.S4], 16(R23)
	ADD  $32, R21, R26
	MOVD R6, R25

gdim:
	VLD1.P 32(R26), [V3.S4, V4.S4]
	WORD $0x6e23dc20 // fmul v0.4s, v1.4s, v3.4s
	SAT_V0
	VORR V1.B16, V1.B16, V5.B16
	VFMLS V0.S4, V3.S4, V5.S4
	WORD $0x6e24dc00 // fmul v0.4s, v0.4s, v4.4s
	WORD $0x6ea0f800 // fneg v0.4s, v0.4s
	SAT_V0
	VST1.P [V0.S4], 16(R19)
	VORR V5.B16, V5.B16, V0.B16
	SAT_V0
	VST1.P [V0.S4], 16(R22)
	SUB  $1, R25
	CBNZ R25, gdim

	MOVD rsize-24(SP), R26
	ADD  R26, R21, R21
	SUB  $1, R20
	CBNZ R20, gcomp

	// Scatter the gradient columns to the dhead rows.
	SUB  $1, R4, R24
	MUL  R7, R9, R10
	ADD  R1, R10, R10
	CLAMP(1, R9, R24, R25)
	MUL  R7, R25, R11
	ADD  R1, R11, R11
	CLAMP(2, R9, R24, R25)
	MUL  R7, R25, R12
	ADD  R1, R12, R12
	CLAMP(3, R9, R24, R25)
	MUL  R7, R25, R13
	ADD  R1, R13, R13
	MOVD hoff-8(SP), R19
	ADD  R8, R19, R19
	LSR  $2, R7, R20

gscatter:
	VLD1.P 16(R19), [V0.S4]
	VST1.P V0.S[0], 4(R10)
	VST1.P V0.S[1], 4(R11)
	VST1.P V0.S[2], 4(R12)
	VST1.P V0.S[3], 4(R13)
	SUB  $1, R20
	CBNZ R20, gscatter

next:
	ADD  $4, R9
	B    block

done:
	RET
