//go:build !purego

#include "textflag.h"
#include "asm_arm64.h"
#include "vecmath_arm64.h"

// func linearNEON(dst, x, w, b []float32, rows, in, out, act int)
// Requires: ASIMD
//
// Register map:
//	R0 x  R1 w  R2 b (0 when empty)  R3 dst  R4 rows  R5 in  R6 out  R7 act
//	R8 r0 (first row of the block)  R19 o (first output of the tile)
//	R20-R23 x rows r0..r0+3 (clamped)  R9-R12, R14-R17 running x and w pointers
//	R13 dst + (r0*out + o)*4  R24-R26 scratch  R25 j counter
//	V0-V3 x, V4-V7 w, V16-V31 accumulators acc[i][q] = V(16+4i+q) for row
//	r0+i and output o+q; after the reduction V16-V19 hold rows r0..r0+3 of
//	the 4-wide output tile.
TEXT ·linearNEON(SB), NOSPLIT, $64-128
	MOVD dst_base+0(FP), R3
	MOVD x_base+24(FP), R0
	MOVD w_base+48(FP), R1
	MOVD b_base+72(FP), R2
	MOVD b_len+80(FP), R24
	CBNZ R24, havebias
	MOVD ZR, R2

havebias:
	MOVD rows+96(FP), R4
	MOVD in+104(FP), R5
	MOVD out+112(FP), R6
	MOVD act+120(FP), R7
	MOVD ZR, R8

rowblock:
	CMP  R4, R8
	BGE  done
	SUB  $1, R4, R24
	MUL  R5, R8, R20
	ADD  R20<<2, R0, R20
	CLAMP(1, R8, R24, R25)
	MUL  R5, R25, R21
	ADD  R21<<2, R0, R21
	CLAMP(2, R8, R24, R25)
	MUL  R5, R25, R22
	ADD  R22<<2, R0, R22
	CLAMP(3, R8, R24, R25)
	MUL  R5, R25, R23
	ADD  R23<<2, R0, R23
	MUL  R6, R8, R13
	ADD  R13<<2, R3, R13
	MOVD ZR, R19

outtile:
	CMP  R6, R19
	BGE  nextrows
	SUB  $1, R6, R24
	MUL  R5, R19, R14
	ADD  R14<<2, R1, R14
	CLAMP(1, R19, R24, R25)
	MUL  R5, R25, R15
	ADD  R15<<2, R1, R15
	CLAMP(2, R19, R24, R25)
	MUL  R5, R25, R16
	ADD  R16<<2, R1, R16
	CLAMP(3, R19, R24, R25)
	MUL  R5, R25, R17
	ADD  R17<<2, R1, R17
	MOVD R20, R9
	MOVD R21, R10
	MOVD R22, R11
	MOVD R23, R12
	VEOR V16.B16, V16.B16, V16.B16
	VEOR V17.B16, V17.B16, V17.B16
	VEOR V18.B16, V18.B16, V18.B16
	VEOR V19.B16, V19.B16, V19.B16
	VEOR V20.B16, V20.B16, V20.B16
	VEOR V21.B16, V21.B16, V21.B16
	VEOR V22.B16, V22.B16, V22.B16
	VEOR V23.B16, V23.B16, V23.B16
	VEOR V24.B16, V24.B16, V24.B16
	VEOR V25.B16, V25.B16, V25.B16
	VEOR V26.B16, V26.B16, V26.B16
	VEOR V27.B16, V27.B16, V27.B16
	VEOR V28.B16, V28.B16, V28.B16
	VEOR V29.B16, V29.B16, V29.B16
	VEOR V30.B16, V30.B16, V30.B16
	VEOR V31.B16, V31.B16, V31.B16
	MOVD R5, R25

dot4:
	CMP  $4, R25
	BLT  dot1
	VLD1.P 16(R9), [V0.S4]
	VLD1.P 16(R10), [V1.S4]
	VLD1.P 16(R11), [V2.S4]
	VLD1.P 16(R12), [V3.S4]
	VLD1.P 16(R14), [V4.S4]
	VLD1.P 16(R15), [V5.S4]
	VLD1.P 16(R16), [V6.S4]
	VLD1.P 16(R17), [V7.S4]
	SUB  $4, R25

dotfma:
	VFMLA V4.S4, V0.S4, V16.S4
	VFMLA V5.S4, V0.S4, V17.S4
	VFMLA V6.S4, V0.S4, V18.S4
	VFMLA V7.S4, V0.S4, V19.S4
	VFMLA V4.S4, V1.S4, V20.S4
	VFMLA V5.S4, V1.S4, V21.S4
	VFMLA V6.S4, V1.S4, V22.S4
	VFMLA V7.S4, V1.S4, V23.S4
	VFMLA V4.S4, V2.S4, V24.S4
	VFMLA V5.S4, V2.S4, V25.S4
	VFMLA V6.S4, V2.S4, V26.S4
	VFMLA V7.S4, V2.S4, V27.S4
	VFMLA V4.S4, V3.S4, V28.S4
	VFMLA V5.S4, V3.S4, V29.S4
	VFMLA V6.S4, V3.S4, V30.S4
	VFMLA V7.S4, V3.S4, V31.S4
	B    dot4

dot1:
	// Remaining in%4 columns one at a time: a scalar load zeroes the
	// upper lanes, which then add 0·0 to the accumulators.
	CBZ  R25, reduce
	FMOVS.P 4(R9), F0
	FMOVS.P 4(R10), F1
	FMOVS.P 4(R11), F2
	FMOVS.P 4(R12), F3
	FMOVS.P 4(R14), F4
	FMOVS.P 4(R15), F5
	FMOVS.P 4(R16), F6
	FMOVS.P 4(R17), F7
	SUB  $1, R25
	B    dotfma

reduce:
	WORD $0x6e31d610 // faddp v16.4s, v16.4s, v17.4s
	WORD $0x6e33d652 // faddp v18.4s, v18.4s, v19.4s
	WORD $0x6e32d610 // faddp v16.4s, v16.4s, v18.4s
	WORD $0x6e35d694 // faddp v20.4s, v20.4s, v21.4s
	WORD $0x6e37d6d6 // faddp v22.4s, v22.4s, v23.4s
	WORD $0x6e36d691 // faddp v17.4s, v20.4s, v22.4s
	WORD $0x6e39d718 // faddp v24.4s, v24.4s, v25.4s
	WORD $0x6e3bd75a // faddp v26.4s, v26.4s, v27.4s
	WORD $0x6e3ad712 // faddp v18.4s, v24.4s, v26.4s
	WORD $0x6e3dd79c // faddp v28.4s, v28.4s, v29.4s
	WORD $0x6e3fd7de // faddp v30.4s, v30.4s, v31.4s
	WORD $0x6e3ed793 // faddp v19.4s, v28.4s, v30.4s

	// Bias, loaded lane by lane at the right edge.
	CBZ  R2, act
	ADD  R19<<2, R2, R24
	SUB  R19, R6, R25
	CMP  $4, R25
	BLT  biasedge
	VLD1 (R24), [V4.S4]
	B    biasadd

biasedge:
	VEOR V4.B16, V4.B16, V4.B16
	VLD1.P 4(R24), V4.S[0]
	CMP  $2, R25
	BLT  biasadd
	VLD1.P 4(R24), V4.S[1]
	CMP  $3, R25
	BLT  biasadd
	VLD1 (R24), V4.S[2]

biasadd:
	WORD $0x4e24d610 // fadd v16.4s, v16.4s, v4.4s
	WORD $0x4e24d631 // fadd v17.4s, v17.4s, v4.4s
	WORD $0x4e24d652 // fadd v18.4s, v18.4s, v4.4s
	WORD $0x4e24d673 // fadd v19.4s, v19.4s, v4.4s

act:
	CBZ  R7, store
	LOAD_TANH_CONSTS(R24)
	VORR V16.B16, V16.B16, V0.B16
	VORR V17.B16, V17.B16, V1.B16
	TANH2
	VORR V0.B16, V0.B16, V16.B16
	VORR V1.B16, V1.B16, V17.B16
	VORR V18.B16, V18.B16, V0.B16
	VORR V19.B16, V19.B16, V1.B16
	TANH2
	VORR V0.B16, V0.B16, V18.B16
	VORR V1.B16, V1.B16, V19.B16

store:
	// Row pointers, clamped like the x rows.
	SUB  $1, R4, R24
	MOVD R13, R9
	CLAMP(1, R8, R24, R25)
	MUL  R6, R25, R10
	ADD  R10<<2, R3, R10
	ADD  R19<<2, R10, R10
	CLAMP(2, R8, R24, R25)
	MUL  R6, R25, R11
	ADD  R11<<2, R3, R11
	ADD  R19<<2, R11, R11
	CLAMP(3, R8, R24, R25)
	MUL  R6, R25, R12
	ADD  R12<<2, R3, R12
	ADD  R19<<2, R12, R12
	SUB  R19, R6, R25
	CMP  $4, R25
	BLT  storeedge
	VST1 [V16.S4], (R9)
	VST1 [V17.S4], (R10)
	VST1 [V18.S4], (R11)
	VST1 [V19.S4], (R12)
	B    nexttile

storeedge:
	// Fewer than four outputs left: copy R25 lanes of each row.
	MOVD $buf-64(SP), R24
	VST1 [V16.S4, V17.S4, V18.S4, V19.S4], (R24)
	MOVD ZR, R26

edgecol:
	LSL  $2, R26, R14
	ADD  R14, R24, R15
	FMOVS (R15), F0
	FMOVS F0, (R9)(R14)
	FMOVS 16(R15), F0
	FMOVS F0, (R10)(R14)
	FMOVS 32(R15), F0
	FMOVS F0, (R11)(R14)
	FMOVS 48(R15), F0
	FMOVS F0, (R12)(R14)
	ADD  $1, R26
	CMP  R25, R26
	BLT  edgecol

nexttile:
	ADD  $4, R19
	ADD  $16, R13
	B    outtile

nextrows:
	ADD  $4, R8
	B    rowblock

done:
	RET

// func gemmBcastNEON(c, a, bm []float32, m, n, k, as, ap, acc int)
// Requires: ASIMD
//
// For i < m, j < n: c[i*n+j] = acc·c[i*n+j] + Σ_{p<k} a[i*as+p*ap]·bm[p*n+j],
// the broadcast-times-row form behind both backward GEMMs. Blocks of four
// rows of c (clamped as in linearNEON), 16, 4 then 1 columns wide; m = 1
// has its own one-row loops.
//
// Register map:
//	R0 c  R1 a  R2 bm  R3 m  R4 n*4  R5 k  R6 as*4  R7 ap*4  R8 acc
//	R9 i0  R10-R13 a rows (clamped)  R14-R17 c rows, advancing with j
//	R19 j*4  R20-R23 running a pointers  R24 running bm pointer
//	R25 p counter / scratch  R26 m-1
//	V0-V3 broadcast a values, V4-V7 bm row, V16-V31 c tile
TEXT ·gemmBcastNEON(SB), NOSPLIT, $0-120
	MOVD c_base+0(FP), R0
	MOVD a_base+24(FP), R1
	MOVD bm_base+48(FP), R2
	MOVD m+72(FP), R3
	MOVD n+80(FP), R4
	LSL  $2, R4, R4
	MOVD k+88(FP), R5
	MOVD as+96(FP), R6
	LSL  $2, R6, R6
	MOVD ap+104(FP), R7
	LSL  $2, R7, R7
	MOVD acc+112(FP), R8
	SUB  $1, R3, R26
	MOVD ZR, R9
	CMP  $1, R3
	BEQ  row1

gblock:
	CMP  R3, R9
	BGE  gdone
	MUL  R6, R9, R10
	ADD  R1, R10, R10
	MUL  R4, R9, R14
	ADD  R0, R14, R14
	CLAMP(1, R9, R26, R25)
	MUL  R6, R25, R11
	ADD  R1, R11, R11
	MUL  R4, R25, R15
	ADD  R0, R15, R15
	CLAMP(2, R9, R26, R25)
	MUL  R6, R25, R12
	ADD  R1, R12, R12
	MUL  R4, R25, R16
	ADD  R0, R16, R16
	CLAMP(3, R9, R26, R25)
	MUL  R6, R25, R13
	ADD  R1, R13, R13
	MUL  R4, R25, R17
	ADD  R0, R17, R17
	MOVD ZR, R19

g16:
	SUB  R19, R4, R25
	CMP  $64, R25
	BLT  g4
	MOVD R10, R20
	MOVD R11, R21
	MOVD R12, R22
	MOVD R13, R23
	ADD  R2, R19, R24
	CBZ  R8, g16zero
	VLD1 (R14), [V16.S4, V17.S4, V18.S4, V19.S4]
	VLD1 (R15), [V20.S4, V21.S4, V22.S4, V23.S4]
	VLD1 (R16), [V24.S4, V25.S4, V26.S4, V27.S4]
	VLD1 (R17), [V28.S4, V29.S4, V30.S4, V31.S4]
	B    g16go

g16zero:
	VEOR V16.B16, V16.B16, V16.B16
	VEOR V17.B16, V17.B16, V17.B16
	VEOR V18.B16, V18.B16, V18.B16
	VEOR V19.B16, V19.B16, V19.B16
	VEOR V20.B16, V20.B16, V20.B16
	VEOR V21.B16, V21.B16, V21.B16
	VEOR V22.B16, V22.B16, V22.B16
	VEOR V23.B16, V23.B16, V23.B16
	VEOR V24.B16, V24.B16, V24.B16
	VEOR V25.B16, V25.B16, V25.B16
	VEOR V26.B16, V26.B16, V26.B16
	VEOR V27.B16, V27.B16, V27.B16
	VEOR V28.B16, V28.B16, V28.B16
	VEOR V29.B16, V29.B16, V29.B16
	VEOR V30.B16, V30.B16, V30.B16
	VEOR V31.B16, V31.B16, V31.B16

g16go:
	MOVD R5, R25

g16loop:
	CBZ  R25, g16store
	VLD1R.P (R20)(R7), [V0.S4]
	VLD1R.P (R21)(R7), [V1.S4]
	VLD1R.P (R22)(R7), [V2.S4]
	VLD1R.P (R23)(R7), [V3.S4]
	VLD1.P (R24)(R4), [V4.S4, V5.S4, V6.S4, V7.S4]
	VFMLA V4.S4, V0.S4, V16.S4
	VFMLA V5.S4, V0.S4, V17.S4
	VFMLA V6.S4, V0.S4, V18.S4
	VFMLA V7.S4, V0.S4, V19.S4
	VFMLA V4.S4, V1.S4, V20.S4
	VFMLA V5.S4, V1.S4, V21.S4
	VFMLA V6.S4, V1.S4, V22.S4
	VFMLA V7.S4, V1.S4, V23.S4
	VFMLA V4.S4, V2.S4, V24.S4
	VFMLA V5.S4, V2.S4, V25.S4
	VFMLA V6.S4, V2.S4, V26.S4
	VFMLA V7.S4, V2.S4, V27.S4
	VFMLA V4.S4, V3.S4, V28.S4
	VFMLA V5.S4, V3.S4, V29.S4
	VFMLA V6.S4, V3.S4, V30.S4
	VFMLA V7.S4, V3.S4, V31.S4
	SUB  $1, R25
	B    g16loop

g16store:
	VST1.P [V16.S4, V17.S4, V18.S4, V19.S4], 64(R14)
	VST1.P [V20.S4, V21.S4, V22.S4, V23.S4], 64(R15)
	VST1.P [V24.S4, V25.S4, V26.S4, V27.S4], 64(R16)
	VST1.P [V28.S4, V29.S4, V30.S4, V31.S4], 64(R17)
	ADD  $64, R19
	B    g16

g4:
	CMP  $16, R25
	BLT  g1
	MOVD R10, R20
	MOVD R11, R21
	MOVD R12, R22
	MOVD R13, R23
	ADD  R2, R19, R24
	VEOR V16.B16, V16.B16, V16.B16
	VEOR V17.B16, V17.B16, V17.B16
	VEOR V18.B16, V18.B16, V18.B16
	VEOR V19.B16, V19.B16, V19.B16
	CBZ  R8, g4go
	VLD1 (R14), [V16.S4]
	VLD1 (R15), [V17.S4]
	VLD1 (R16), [V18.S4]
	VLD1 (R17), [V19.S4]

g4go:
	MOVD R5, R25

g4loop:
	CBZ  R25, g4store
	VLD1R.P (R20)(R7), [V0.S4]
	VLD1R.P (R21)(R7), [V1.S4]
	VLD1R.P (R22)(R7), [V2.S4]
	VLD1R.P (R23)(R7), [V3.S4]
	VLD1.P (R24)(R4), [V4.S4]
	VFMLA V4.S4, V0.S4, V16.S4
	VFMLA V4.S4, V1.S4, V17.S4
	VFMLA V4.S4, V2.S4, V18.S4
	VFMLA V4.S4, V3.S4, V19.S4
	SUB  $1, R25
	B    g4loop

g4store:
	VST1.P [V16.S4], 16(R14)
	VST1.P [V17.S4], 16(R15)
	VST1.P [V18.S4], 16(R16)
	VST1.P [V19.S4], 16(R17)
	ADD  $16, R19
	B    g16

g1:
	// One column at a time; scalar loads zero the upper lanes.
	CBZ  R25, gnext
	MOVD R10, R20
	MOVD R11, R21
	MOVD R12, R22
	MOVD R13, R23
	ADD  R2, R19, R24
	VEOR V16.B16, V16.B16, V16.B16
	VEOR V17.B16, V17.B16, V17.B16
	VEOR V18.B16, V18.B16, V18.B16
	VEOR V19.B16, V19.B16, V19.B16
	CBZ  R8, g1go
	FMOVS (R14), F16
	FMOVS (R15), F17
	FMOVS (R16), F18
	FMOVS (R17), F19

g1go:
	MOVD R5, R25

g1loop:
	CBZ  R25, g1store
	VLD1R.P (R20)(R7), [V0.S4]
	VLD1R.P (R21)(R7), [V1.S4]
	VLD1R.P (R22)(R7), [V2.S4]
	VLD1R.P (R23)(R7), [V3.S4]
	FMOVS (R24), F4
	ADD  R4, R24, R24
	VFMLA V4.S4, V0.S4, V16.S4
	VFMLA V4.S4, V1.S4, V17.S4
	VFMLA V4.S4, V2.S4, V18.S4
	VFMLA V4.S4, V3.S4, V19.S4
	SUB  $1, R25
	B    g1loop

g1store:
	FMOVS.P F16, 4(R14)
	FMOVS.P F17, 4(R15)
	FMOVS.P F18, 4(R16)
	FMOVS.P F19, 4(R17)
	ADD  $4, R19
	SUB  R19, R4, R25
	B    g1

gnext:
	ADD  $4, R9
	B    gblock

gdone:
	RET

	// m == 1 (a bias gradient, or the weight gradient of an in = 1
	// layer): one row of c, without the four-row block's repeats.
	// R14 c, R19 j*4, R20 running a, R24 running bm.
row1:
	MOVD ZR, R19

r16:
	SUB  R19, R4, R25
	CMP  $64, R25
	BLT  r4
	MOVD R1, R20
	ADD  R2, R19, R24
	ADD  R0, R19, R14
	VEOR V16.B16, V16.B16, V16.B16
	VEOR V17.B16, V17.B16, V17.B16
	VEOR V18.B16, V18.B16, V18.B16
	VEOR V19.B16, V19.B16, V19.B16
	CBZ  R8, r16go
	VLD1 (R14), [V16.S4, V17.S4, V18.S4, V19.S4]

r16go:
	MOVD R5, R25

r16loop:
	CBZ  R25, r16store
	VLD1R.P (R20)(R7), [V0.S4]
	VLD1.P (R24)(R4), [V4.S4, V5.S4, V6.S4, V7.S4]
	VFMLA V4.S4, V0.S4, V16.S4
	VFMLA V5.S4, V0.S4, V17.S4
	VFMLA V6.S4, V0.S4, V18.S4
	VFMLA V7.S4, V0.S4, V19.S4
	SUB  $1, R25
	B    r16loop

r16store:
	VST1 [V16.S4, V17.S4, V18.S4, V19.S4], (R14)
	ADD  $64, R19
	B    r16

r4:
	CMP  $16, R25
	BLT  r1
	MOVD R1, R20
	ADD  R2, R19, R24
	ADD  R0, R19, R14
	VEOR V16.B16, V16.B16, V16.B16
	CBZ  R8, r4go
	VLD1 (R14), [V16.S4]

r4go:
	MOVD R5, R25

r4loop:
	CBZ  R25, r4store
	VLD1R.P (R20)(R7), [V0.S4]
	VLD1.P (R24)(R4), [V4.S4]
	VFMLA V4.S4, V0.S4, V16.S4
	SUB  $1, R25
	B    r4loop

r4store:
	VST1 [V16.S4], (R14)
	ADD  $16, R19
	B    r16

r1:
	CBZ  R25, gdone
	MOVD R1, R20
	ADD  R2, R19, R24
	ADD  R0, R19, R14
	VEOR V16.B16, V16.B16, V16.B16
	CBZ  R8, r1go
	FMOVS (R14), F16

r1go:
	MOVD R5, R25

r1loop:
	CBZ  R25, r1store
	VLD1R.P (R20)(R7), [V0.S4]
	FMOVS (R24), F4
	ADD  R4, R24, R24
	VFMLA V4.S4, V0.S4, V16.S4
	SUB  $1, R25
	B    r1loop

r1store:
	FMOVS F16, (R14)
	ADD  $4, R19
	SUB  R19, R4, R25
	B    r1

// func tanhDerivNEON(dz, dh, h []float32)
// Requires: ASIMD
//
// dz[i] = dh[i]·(1 − h[i]·h[i]) for i < len(dz), rounded as the Go loop
// rounds (no fused multiply-add).
//
// Register map: R0 dz  R1 dh  R2 h  R3 count  V0 dh  V1 h  V2 1.0
TEXT ·tanhDerivNEON(SB), NOSPLIT, $0-72
	MOVD dz_base+0(FP), R0
	MOVD dz_len+8(FP), R3
	MOVD dh_base+24(FP), R1
	MOVD h_base+48(FP), R2
	FMOVS $1.0, F2
	VDUP V2.S[0], V2.S4

td4:
	CMP  $4, R3
	BLT  td1
	VLD1.P 16(R1), [V0.S4]
	VLD1.P 16(R2), [V1.S4]
	WORD $0x6e21dc21 // fmul v1.4s, v1.4s, v1.4s
	WORD $0x4ea1d441 // fsub v1.4s, v2.4s, v1.4s
	WORD $0x6e21dc00 // fmul v0.4s, v0.4s, v1.4s
	VST1.P [V0.S4], 16(R0)
	SUB  $4, R3
	B    td4

td1:
	CBZ  R3, tddone
	FMOVS.P 4(R1), F0
	FMOVS.P 4(R2), F1
	FMULS F1, F1, F1
	FSUBS F1, F2, F1
	FMULS F1, F0, F0
	FMOVS.P F0, 4(R0)
	SUB  $1, R3
	B    td1

tddone:
	RET

// func linear1NEON(dst, x, w, b []float32, rows, out, act int)
// Requires: ASIMD
//
// linearNEON for in = 1 (the first layer of a network on scalar input):
// dst[r][o] = act(b[o] + x[r]·w[o]), eight outputs at a time along the row,
// the last 1-7 lane by lane.
//
// Register map:
//	R0 dst  R1 x  R2 w  R3 b (0 when empty)  R7 rows left  R8 out  R9 act
//	R10 outputs left  R11 w, R12 b running  R4/R5/R6 lane source, count,
//	destination  V16 x[r] in all lanes  V17, V18 w lanes of the tail
//	V20 zero (tail fill)  V0, V1 eight outputs  V22-V28 tanh constants
TEXT ·linear1NEON(SB), NOSPLIT, $0-120
	MOVD dst_base+0(FP), R0
	MOVD x_base+24(FP), R1
	MOVD w_base+48(FP), R2
	MOVD b_base+72(FP), R3
	MOVD b_len+80(FP), R10
	CBNZ R10, l1bias
	MOVD ZR, R3

l1bias:
	MOVD rows+96(FP), R7
	MOVD out+104(FP), R8
	MOVD act+112(FP), R9
	LOAD_TANH_CONSTS(R10)
	VEOR V20.B16, V20.B16, V20.B16

l1row:
	CBZ  R7, l1done
	VLD1R.P 4(R1), [V16.S4]
	MOVD R2, R11
	MOVD R3, R12
	MOVD R8, R10

l1o8:
	CMP  $8, R10
	BLT  l1tail
	VEOR V0.B16, V0.B16, V0.B16
	VEOR V1.B16, V1.B16, V1.B16
	CBZ  R3, l1nob
	VLD1.P 32(R12), [V0.S4, V1.S4]

l1nob:
	VLD1.P 32(R11), [V2.S4, V3.S4]
	VFMLA V2.S4, V16.S4, V0.S4
	VFMLA V3.S4, V16.S4, V1.S4
	CBZ  R9, l1st
	TANH2

l1st:
	VST1.P [V0.S4, V1.S4], 32(R0)
	SUB  $8, R10
	B    l1o8

l1tail:
	CBZ  R10, l1next
	MOVD R11, R4
	MOVD R10, R5
	LANES_IN(l1win)
	VORR V0.B16, V0.B16, V17.B16
	VORR V1.B16, V1.B16, V18.B16
	VEOR V0.B16, V0.B16, V0.B16
	VEOR V1.B16, V1.B16, V1.B16
	CBZ  R3, l1tnob
	MOVD R12, R4
	LANES_IN(l1bin)

l1tnob:
	VFMLA V17.S4, V16.S4, V0.S4
	VFMLA V18.S4, V16.S4, V1.S4
	CBZ  R9, l1tst
	TANH2

l1tst:
	MOVD R0, R6
	LANES_OUT(l1out)
	MOVD R6, R0

l1next:
	SUB  $1, R7
	B    l1row

l1done:
	RET
