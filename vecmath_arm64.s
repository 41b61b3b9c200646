//go:build !purego

#include "textflag.h"
#include "vecmath_arm64.h"

// LANES_IN loads the n (1-7, in R2) values at R1 into the lanes of V0, V1
// (the other lanes are zero); LANES_OUT stores them back to R0. Both use
// the label lbl.
#define LANES_IN(lbl) \
	VEOR V0.B16, V0.B16, V0.B16; \
	VEOR V1.B16, V1.B16, V1.B16; \
	VLD1.P 4(R1), V0.S[0]; \
	CMP  $2, R2; \
	BLT  lbl; \
	VLD1.P 4(R1), V0.S[1]; \
	CMP  $3, R2; \
	BLT  lbl; \
	VLD1.P 4(R1), V0.S[2]; \
	CMP  $4, R2; \
	BLT  lbl; \
	VLD1.P 4(R1), V0.S[3]; \
	CMP  $5, R2; \
	BLT  lbl; \
	VLD1.P 4(R1), V1.S[0]; \
	CMP  $6, R2; \
	BLT  lbl; \
	VLD1.P 4(R1), V1.S[1]; \
	CMP  $7, R2; \
	BLT  lbl; \
	VLD1.P 4(R1), V1.S[2]; \
lbl:

#define LANES_OUT(lbl) \
	VST1.P V0.S[0], 4(R0); \
	CMP  $2, R2; \
	BLT  lbl; \
	VST1.P V0.S[1], 4(R0); \
	CMP  $3, R2; \
	BLT  lbl; \
	VST1.P V0.S[2], 4(R0); \
	CMP  $4, R2; \
	BLT  lbl; \
	VST1.P V0.S[3], 4(R0); \
	CMP  $5, R2; \
	BLT  lbl; \
	VST1.P V1.S[0], 4(R0); \
	CMP  $6, R2; \
	BLT  lbl; \
	VST1.P V1.S[1], 4(R0); \
	CMP  $7, R2; \
	BLT  lbl; \
	VST1.P V1.S[2], 4(R0); \
lbl:

// func expNEON(dst, x []float32)
// Requires: ASIMD
//
// Register map: R0 dst  R1 x  R2 remaining  V0, V1 eight lanes  V24-V31 constants
TEXT ·expNEON(SB), NOSPLIT, $0-48
	MOVD dst_base+0(FP), R0
	MOVD x_base+24(FP), R1
	MOVD x_len+32(FP), R2
	LOAD_EXP_CONSTS(R3)

exploop:
	CMP  $8, R2
	BLT  exptail
	VLD1.P 32(R1), [V0.S4, V1.S4]
	EXP2
	VST1.P [V0.S4, V1.S4], 32(R0)
	SUB  $8, R2
	B    exploop

exptail:
	CBZ  R2, expdone
	LANES_IN(expin)
	EXP2
	LANES_OUT(expout)

expdone:
	RET

// func tanhNEON(dst, x []float32)
// Requires: ASIMD
//
// Register map: R0 dst  R1 x  R2 remaining  V0, V1 eight lanes  V22-V31 constants
TEXT ·tanhNEON(SB), NOSPLIT, $0-48
	MOVD dst_base+0(FP), R0
	MOVD x_base+24(FP), R1
	MOVD x_len+32(FP), R2
	LOAD_TANH_CONSTS(R3)

tanhloop:
	CMP  $8, R2
	BLT  tanhtail
	VLD1.P 32(R1), [V0.S4, V1.S4]
	TANH2
	VST1.P [V0.S4, V1.S4], 32(R0)
	SUB  $8, R2
	B    tanhloop

tanhtail:
	CBZ  R2, tanhdone
	LANES_IN(tanhin)
	TANH2
	LANES_OUT(tanhout)

tanhdone:
	RET
