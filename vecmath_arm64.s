//go:build !purego

#include "textflag.h"
#include "vecmath_arm64.h"

// func expNEON(dst, x []float32)
// Requires: ASIMD
//
// Register map: R4 x  R5 remaining  R6 dst  V0, V1 eight lanes
//	V20 tail fill (0)  V24-V31 constants
TEXT ·expNEON(SB), NOSPLIT, $0-48
	MOVD dst_base+0(FP), R6
	MOVD x_base+24(FP), R4
	MOVD x_len+32(FP), R5
	LOAD_EXP_CONSTS(R3)

exploop:
	CMP  $8, R5
	BLT  exptail
	VLD1.P 32(R4), [V0.S4, V1.S4]
	EXP2
	VST1.P [V0.S4, V1.S4], 32(R6)
	SUB  $8, R5
	B    exploop

exptail:
	CBZ  R5, expdone
	VEOR V20.B16, V20.B16, V20.B16
	LANES_IN(expin)
	EXP2
	LANES_OUT(expout)

expdone:
	RET

// func tanhNEON(dst, x []float32)
// Requires: ASIMD
//
// Register map: R4 x  R5 remaining  R6 dst  V0, V1 eight lanes
//	V20 tail fill (0)  V22-V28 constants
TEXT ·tanhNEON(SB), NOSPLIT, $0-48
	MOVD dst_base+0(FP), R6
	MOVD x_base+24(FP), R4
	MOVD x_len+32(FP), R5
	LOAD_TANH_CONSTS(R3)

tanhloop:
	CMP  $8, R5
	BLT  tanhtail
	VLD1.P 32(R4), [V0.S4, V1.S4]
	TANH2
	VST1.P [V0.S4, V1.S4], 32(R6)
	SUB  $8, R5
	B    tanhloop

tanhtail:
	CBZ  R5, tanhdone
	VEOR V20.B16, V20.B16, V20.B16
	LANES_IN(tanhin)
	TANH2
	LANES_OUT(tanhout)

tanhdone:
	RET

// func logNEON(dst, x []float32)
// Requires: ASIMD
//
// Register map: R4 x  R5 remaining  R6 dst  V0 four lanes  V12-V23 constants
TEXT ·logNEON(SB), NOSPLIT, $0-48
	MOVD dst_base+0(FP), R6
	MOVD x_base+24(FP), R4
	MOVD x_len+32(FP), R5
	LOAD_LOG_CONSTS(R3)

logloop:
	CMP  $4, R5
	BLT  logtail
	VLD1.P 16(R4), [V0.S4]
	LOG1
	VST1.P [V0.S4], 16(R6)
	SUB  $4, R5
	B    logloop

logtail:
	CBZ  R5, logdone
	FMOVS.P 4(R4), F0
	LOG1
	FMOVS.P F0, 4(R6)
	SUB  $1, R5
	B    logtail

logdone:
	RET
