//go:build !purego

#include "textflag.h"
#include "asm_arm64.h"
#include "vecmath_arm64.h"

// func softmaxNEON(dst, x []float32, rows, cols, mode int) float32
// Requires: ASIMD
//
// For each row (rows × cols, row-major), with m the row max (NaN if any
// element is NaN, −Inf for an empty row) and s = Σ_j Exp32(x_j − m):
//	mode 0 (Softmax):    dst_j = Exp32(x_j − m) · (1/s)
//	mode 1 (LogSoftmax): dst_j = (x_j − m) − Log32(s)
//	mode 2 (LogSumExp, rows = 1, dst unused): returns m + Log32(s), or m
//	                     itself when m is ±Inf or NaN
// Each pass runs eight lanes at a time; the last 1-7 values of a row are
// loaded lane by lane with −Inf in the unused lanes, which is neutral for
// the max and adds e^−Inf = 0 to the sum.
//
// Register map:
//	R0 dst row  R1 x row  R2 rows left  R3 cols  R7 mode  R8 −Inf bits
//	R9 m bits across LOG1  R4/R5/R6 lane source, count, destination
//	V12 m  V13, V14 sums  V15 1/s or Log32(s)  V16, V17 maxima
//	V20 tail fill  V24-V31 exp constants (V12-V23 hold log constants
//	during LOG1)
TEXT ·softmaxNEON(SB), NOSPLIT, $0-76
	MOVD dst_base+0(FP), R0
	MOVD x_base+24(FP), R1
	MOVD rows+48(FP), R2
	MOVD cols+56(FP), R3
	MOVD mode+64(FP), R7
	MOVW $0xff800000, R8
	LOAD_EXP_CONSTS(R10)

row:
	CBZ  R2, done

	// m = max of the row.
	VDUP R8, V16.S4
	VDUP R8, V17.S4
	MOVD R1, R4
	MOVD R3, R5

max8:
	CMP  $8, R5
	BLT  maxtail
	VLD1.P 32(R4), [V0.S4, V1.S4]
	WORD $0x4e20f610 // fmax v16.4s, v16.4s, v0.4s
	WORD $0x4e21f631 // fmax v17.4s, v17.4s, v1.4s
	SUB  $8, R5
	B    max8

maxtail:
	CBZ  R5, maxred
	VDUP R8, V20.S4
	LANES_IN(maxin)
	WORD $0x4e20f610 // fmax v16.4s, v16.4s, v0.4s
	WORD $0x4e21f631 // fmax v17.4s, v17.4s, v1.4s

maxred:
	WORD $0x4e31f610 // fmax v16.4s, v16.4s, v17.4s
	WORD $0x6e30f610 // fmaxp v16.4s, v16.4s, v16.4s
	WORD $0x6e30f610 // fmaxp v16.4s, v16.4s, v16.4s
	VDUP V16.S[0], V12.S4

	// s = Σ Exp32(x − m); mode 0 stores the exponentials in dst.
	VEOR V13.B16, V13.B16, V13.B16
	VEOR V14.B16, V14.B16, V14.B16
	MOVD R1, R4
	MOVD R0, R6
	MOVD R3, R5

exp8:
	CMP  $8, R5
	BLT  exptail
	VLD1.P 32(R4), [V0.S4, V1.S4]
	WORD $0x4eacd400 // fsub v0.4s, v0.4s, v12.4s
	WORD $0x4eacd421 // fsub v1.4s, v1.4s, v12.4s
	EXP2
	CBNZ R7, exp8sum
	VST1.P [V0.S4, V1.S4], 32(R6)

exp8sum:
	WORD $0x4e20d5ad // fadd v13.4s, v13.4s, v0.4s
	WORD $0x4e21d5ce // fadd v14.4s, v14.4s, v1.4s
	SUB  $8, R5
	B    exp8

exptail:
	CBZ  R5, sumred
	VDUP R8, V20.S4
	LANES_IN(expin)
	WORD $0x4eacd400 // fsub v0.4s, v0.4s, v12.4s
	WORD $0x4eacd421 // fsub v1.4s, v1.4s, v12.4s
	EXP2
	WORD $0x4e20d5ad // fadd v13.4s, v13.4s, v0.4s
	WORD $0x4e21d5ce // fadd v14.4s, v14.4s, v1.4s
	CBNZ R7, sumred
	LANES_OUT(expout)

sumred:
	WORD $0x4e2ed5ad // fadd v13.4s, v13.4s, v14.4s
	WORD $0x6e2dd5ad // faddp v13.4s, v13.4s, v13.4s
	WORD $0x6e2dd5ad // faddp v13.4s, v13.4s, v13.4s
	CBNZ R7, logpart

	// Softmax: dst *= 1/s.
	FMOVS $1.0, F15
	FDIVS F13, F15, F15
	VDUP V15.S[0], V15.S4
	MOVD R0, R4
	MOVD R0, R6
	MOVD R3, R5

scale8:
	CMP  $8, R5
	BLT  scaletail
	VLD1.P 32(R4), [V0.S4, V1.S4]
	WORD $0x6e2fdc00 // fmul v0.4s, v0.4s, v15.4s
	WORD $0x6e2fdc21 // fmul v1.4s, v1.4s, v15.4s
	VST1.P [V0.S4, V1.S4], 32(R6)
	SUB  $8, R5
	B    scale8

scaletail:
	CBZ  R5, nextrow
	LANES_IN(scalein)
	WORD $0x6e2fdc00 // fmul v0.4s, v0.4s, v15.4s
	WORD $0x6e2fdc21 // fmul v1.4s, v1.4s, v15.4s
	LANES_OUT(scaleout)
	B    nextrow

logpart:
	CMP  $2, R7
	BNE  logs
	// LogSumExp: m itself when it is not finite (m − m is then NaN).
	FSUBS F12, F12, F0
	FCMPS $(0.0), F0
	BEQ  logs
	FMOVS F12, ret+72(FP)
	RET

logs:
	FMOVS F12, R9
	VORR V13.B16, V13.B16, V0.B16
	LOAD_LOG_CONSTS(R10)
	LOG1
	FMOVS R9, F12
	CMP  $2, R7
	BNE  logsoftmax
	FADDS F0, F12, F0
	FMOVS F0, ret+72(FP)
	RET

logsoftmax:
	VDUP V0.S[0], V15.S4
	VDUP V12.S[0], V12.S4
	MOVD R1, R4
	MOVD R0, R6
	MOVD R3, R5

sub8:
	CMP  $8, R5
	BLT  subtail
	VLD1.P 32(R4), [V0.S4, V1.S4]
	WORD $0x4eacd400 // fsub v0.4s, v0.4s, v12.4s
	WORD $0x4eacd421 // fsub v1.4s, v1.4s, v12.4s
	WORD $0x4eafd400 // fsub v0.4s, v0.4s, v15.4s
	WORD $0x4eafd421 // fsub v1.4s, v1.4s, v15.4s
	VST1.P [V0.S4, V1.S4], 32(R6)
	SUB  $8, R5
	B    sub8

subtail:
	CBZ  R5, nextrow
	LANES_IN(subin)
	WORD $0x4eacd400 // fsub v0.4s, v0.4s, v12.4s
	WORD $0x4eacd421 // fsub v1.4s, v1.4s, v12.4s
	WORD $0x4eafd400 // fsub v0.4s, v0.4s, v15.4s
	WORD $0x4eafd421 // fsub v1.4s, v1.4s, v15.4s
	LANES_OUT(subout)

nextrow:
	LSL  $2, R3, R9
	ADD  R9, R0, R0
	ADD  R9, R1, R1
	SUB  $1, R2
	B    row

done:
	FMOVS F12, ret+72(FP)
	RET
