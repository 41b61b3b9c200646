//go:build !purego

#include "textflag.h"
#include "asm_arm64.h"
#include "vecmath_arm64.h"

// The constant tables of vecmath_arm64.h, one 16-byte vector per row: a
// value in all four lanes, or (rows marked K) four scalars used by lane.
DATA4(·vmExpConsts, 0, $0xff800000)  // MASK
DATA4(·vmExpConsts, 16, $0x3f800000) // BIAS
DATA4(·vmExpConsts, 32, $0x42b20000) // HI
DATA4(·vmExpConsts, 48, $0xc2d00000) // LO
DATA4(·vmExpConsts, 64, $0x4b400000) // SHIFT
LANES4(·vmExpConsts, 80, $0x3efffffe, $0x3f800000, $0, $0)                   // K2 c2 1
LANES4(·vmExpConsts, 96, $0x3ab5120f, $0x3c091cf1, $0x3d2aac79, $0x3e2aaa49) // K1 c6 c5 c4 c3
LANES4(·vmExpConsts, 112, $0x3fb8aa3b, $0x3f317218, $0xb102e308, $0)         // K0 log2e ln2hi ln2lo
GLOBL ·vmExpConsts(SB), RODATA|NOPTR, $128

DATA4(·vmTanhConsts, 0, $0x80000000)  // SIGN
DATA4(·vmTanhConsts, 16, $0x3f000000) // HALF
DATA4(·vmTanhConsts, 32, $0x41200000) // TEN
DATA4(·vmTanhConsts, 48, $0x3f800000) // ONE
DATA4(·vmTanhConsts, 64, $0x4b40007e) // SHIFT+126
LANES4(·vmTanhConsts, 80, $0x3ab5120f, $0xbc091cf1, $0x3d2aac79, $0xbe2aaa49) // K1 c6 -c5 c4 -c3
LANES4(·vmTanhConsts, 96, $0x3efffffe, $0xc038aa3b, $0x3f317218, $0)          // K0 c2 -2log2e ln2hi -
GLOBL ·vmTanhConsts(SB), RODATA|NOPTR, $112

DATA4(·vmLogConsts, 0, $0x00800000)   // MINNORM
DATA4(·vmLogConsts, 16, $0x4b000000)  // SCALE 2^23
DATA4(·vmLogConsts, 32, $0x41b80000)  // 23.0
DATA4(·vmLogConsts, 48, $0x3f3504f3)  // sqrt(1/2) bits
DATA4(·vmLogConsts, 64, $0x007fffff)  // MANT
DATA4(·vmLogConsts, 80, $0x3f800000)  // ONE
DATA4(·vmLogConsts, 96, $0x7f800000)  // +INF
DATA4(·vmLogConsts, 112, $0xff800000) // -INF
DATA4(·vmLogConsts, 128, $0x7fc00000) // NAN
LANES4(·vmLogConsts, 144, $0xbd9c1890, $0x3e04259c, $0xbe079c49, $0x3e1138a1) // K l8 l7 l6 l5
LANES4(·vmLogConsts, 160, $0xbe2a13a1, $0x3e4cd1fb, $0xbe800214, $0x3eaaaaa8) // K l4 l3 l2 l1
LANES4(·vmLogConsts, 176, $0xbefffffc, $0xb102e308, $0x3f317218, $0)          // K l0 ln2lo ln2hi
GLOBL ·vmLogConsts(SB), RODATA|NOPTR, $192

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
