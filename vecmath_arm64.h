// NEON exp, tanh and log, the float32 algorithms of kernels.Exp32,
// kernels.Tanh32 and kernels.Log32 lane by lane: same reduction,
// coefficients, order of operations and special values (see
// kernels/vecmath.go), so results agree bit for bit except where the Go
// code's emulated fused multiply-add rounds twice. The macros work in place
// on fixed registers (EXP2, TANH2: two vectors; EXP1, LOG1: one), so that
// every hand-encoded instruction below has its registers in its mnemonic
// comment; scripts/check-arm64-words.sh checks the encodings.
//
// A Horner step is a DUP of the coefficient into the destination and an
// FMLA (NEON's multiply-add overwrites its addend), where AVX2's
// VFMADD213PS needs one instruction.
//
// Go's assembler lacks the vector float arithmetic (FADD, FMUL, FDIV, FMAX,
// FMIN, FABS, FCMGT, by-element FMLA/FMLS) and SSHR: those are WORDs.

// The constant tables ·vmExpConsts, ·vmTanhConsts and ·vmLogConsts are
// defined in vecmath_arm64.s (with the DATA4 and LANES4 macros of
// asm_arm64.h, which a file including this header includes first); each
// LOAD_*_CONSTS macro loads one into registers, once per call.

// LOAD_EXP_CONSTS loads the exp table into V24-V31 (clobbers R):
//	V24 0xff800000  V25 127<<23  V26 89  V27 -104  V28 1.5·2²³
//	V29 [c2 1 - -]  V30 [c6 c5 c4 c3]  V31 [log2e ln2hi ln2lo -]
#define LOAD_EXP_CONSTS(R) \
	MOVD $·vmExpConsts(SB), R; \
	VLD1.P 64(R), [V24.S4, V25.S4, V26.S4, V27.S4]; \
	VLD1 (R), [V28.S4, V29.S4, V30.S4, V31.S4]

// LOAD_TANH_CONSTS loads the tanh table into V22-V28 (clobbers R):
//	V22 sign bit  V23 0.5  V24 10  V25 1  V26 1.5·2²³+126
//	V27 [c6 −c5 c4 −c3]  V28 [c2 −2log2e ln2hi -]
// V29-V31 are left as they were; callers may keep reserving them.
#define LOAD_TANH_CONSTS(R) \
	MOVD $·vmTanhConsts(SB), R; \
	VLD1.P 64(R), [V22.S4, V23.S4, V24.S4, V25.S4]; \
	VLD1 (R), [V26.S4, V27.S4, V28.S4]

// EXP2 sets V0 = e^V0 and V1 = e^V1 (kernels.Exp32 per lane).
// Needs LOAD_EXP_CONSTS; clobbers V2-V11.
//	lane: x = min(max(x, -104), 89); t = 1.5·2²³ + x·log2e; n = t − 1.5·2²³
//	r = x − n·ln2hi − n·ln2lo; p = expPoly(r); u = n<<23 (from t's bits)
//	u1 = (u>>1) &^ 0x7fffff; e^x = (p·2^(u1)) · 2^(u−u1)
#define EXP2 \
	WORD $0x4e3bf400 /* fmax v0.4s, v0.4s, v27.4s */; \
	WORD $0x4e3bf421 /* fmax v1.4s, v1.4s, v27.4s */; \
	WORD $0x4ebaf400 /* fmin v0.4s, v0.4s, v26.4s */; \
	WORD $0x4ebaf421 /* fmin v1.4s, v1.4s, v26.4s */; \
	VORR V28.B16, V28.B16, V2.B16; \
	VORR V28.B16, V28.B16, V7.B16; \
	WORD $0x4f9f1002 /* fmla v2.4s, v0.4s, v31.s[0] */; \
	WORD $0x4f9f1027 /* fmla v7.4s, v1.4s, v31.s[0] */; \
	WORD $0x4ebcd443 /* fsub v3.4s, v2.4s, v28.4s */; \
	WORD $0x4ebcd4e8 /* fsub v8.4s, v7.4s, v28.4s */; \
	VORR V0.B16, V0.B16, V4.B16; \
	VORR V1.B16, V1.B16, V9.B16; \
	WORD $0x4fbf5064 /* fmls v4.4s, v3.4s, v31.s[1] */; \
	WORD $0x4fbf5109 /* fmls v9.4s, v8.4s, v31.s[1] */; \
	WORD $0x4f9f5864 /* fmls v4.4s, v3.4s, v31.s[2] */; \
	WORD $0x4f9f5909 /* fmls v9.4s, v8.4s, v31.s[2] */; \
	VDUP V30.S[0], V5.S4; \
	VDUP V30.S[0], V10.S4; \
	VDUP V30.S[1], V6.S4; \
	VDUP V30.S[1], V11.S4; \
	VFMLA V4.S4, V5.S4, V6.S4; \
	VFMLA V9.S4, V10.S4, V11.S4; \
	VDUP V30.S[2], V5.S4; \
	VDUP V30.S[2], V10.S4; \
	VFMLA V4.S4, V6.S4, V5.S4; \
	VFMLA V9.S4, V11.S4, V10.S4; \
	VDUP V30.S[3], V6.S4; \
	VDUP V30.S[3], V11.S4; \
	VFMLA V4.S4, V5.S4, V6.S4; \
	VFMLA V9.S4, V10.S4, V11.S4; \
	VDUP V29.S[0], V5.S4; \
	VDUP V29.S[0], V10.S4; \
	VFMLA V4.S4, V6.S4, V5.S4; \
	VFMLA V9.S4, V11.S4, V10.S4; \
	VDUP V29.S[1], V6.S4; \
	VDUP V29.S[1], V11.S4; \
	VFMLA V4.S4, V5.S4, V6.S4; \
	VFMLA V9.S4, V10.S4, V11.S4; \
	VDUP V29.S[1], V5.S4; \
	VDUP V29.S[1], V10.S4; \
	VFMLA V4.S4, V6.S4, V5.S4; \
	VFMLA V9.S4, V11.S4, V10.S4; \
	VSHL $23, V2.S4, V2.S4; \
	VSHL $23, V7.S4, V7.S4; \
	WORD $0x4f3f0443 /* sshr v3.4s, v2.4s, #1 */; \
	WORD $0x4f3f04e8 /* sshr v8.4s, v7.4s, #1 */; \
	VAND V24.B16, V3.B16, V3.B16; \
	VAND V24.B16, V8.B16, V8.B16; \
	VSUB V3.S4, V2.S4, V2.S4; \
	VSUB V8.S4, V7.S4, V7.S4; \
	VADD V25.S4, V3.S4, V3.S4; \
	VADD V25.S4, V8.S4, V8.S4; \
	VADD V25.S4, V2.S4, V2.S4; \
	VADD V25.S4, V7.S4, V7.S4; \
	WORD $0x6e23dca5 /* fmul v5.4s, v5.4s, v3.4s */; \
	WORD $0x6e28dd4a /* fmul v10.4s, v10.4s, v8.4s */; \
	WORD $0x6e22dca0 /* fmul v0.4s, v5.4s, v2.4s */; \
	WORD $0x6e27dd41 /* fmul v1.4s, v10.4s, v7.4s */

// EXP1 sets V0 = e^V0 as EXP2 does, one vector; clobbers V2-V6.
#define EXP1 \
	WORD $0x4e3bf400 /* fmax v0.4s, v0.4s, v27.4s */; \
	WORD $0x4ebaf400 /* fmin v0.4s, v0.4s, v26.4s */; \
	VORR V28.B16, V28.B16, V2.B16; \
	WORD $0x4f9f1002 /* fmla v2.4s, v0.4s, v31.s[0] */; \
	WORD $0x4ebcd443 /* fsub v3.4s, v2.4s, v28.4s */; \
	VORR V0.B16, V0.B16, V4.B16; \
	WORD $0x4fbf5064 /* fmls v4.4s, v3.4s, v31.s[1] */; \
	WORD $0x4f9f5864 /* fmls v4.4s, v3.4s, v31.s[2] */; \
	VDUP V30.S[0], V5.S4; \
	VDUP V30.S[1], V6.S4; \
	VFMLA V4.S4, V5.S4, V6.S4; \
	VDUP V30.S[2], V5.S4; \
	VFMLA V4.S4, V6.S4, V5.S4; \
	VDUP V30.S[3], V6.S4; \
	VFMLA V4.S4, V5.S4, V6.S4; \
	VDUP V29.S[0], V5.S4; \
	VFMLA V4.S4, V6.S4, V5.S4; \
	VDUP V29.S[1], V6.S4; \
	VFMLA V4.S4, V5.S4, V6.S4; \
	VDUP V29.S[1], V5.S4; \
	VFMLA V4.S4, V6.S4, V5.S4; \
	VSHL $23, V2.S4, V2.S4; \
	WORD $0x4f3f0443 /* sshr v3.4s, v2.4s, #1 */; \
	VAND V24.B16, V3.B16, V3.B16; \
	VSUB V3.S4, V2.S4, V2.S4; \
	VADD V25.S4, V3.S4, V3.S4; \
	VADD V25.S4, V2.S4, V2.S4; \
	WORD $0x6e23dca5 /* fmul v5.4s, v5.4s, v3.4s */; \
	WORD $0x6e22dca0 /* fmul v0.4s, v5.4s, v2.4s */

// TANH2 sets V0 = tanh(V0) and V1 = tanh(V1) (kernels.Tanh32 per lane).
// Needs LOAD_TANH_CONSTS; clobbers V2-V15.
//	lane: a = min(|x|, 10); t = (1.5·2²³+126) − a·2log2e;
//	n = t − (1.5·2²³+126); r = 2a + n·ln2hi; p = P(−r) (Horner on
//	c6, −c5, c4, −c3, c2); m = r − r²·p; s = t<<23 (2ⁿ⁻¹);
//	g = s·m + (0.5 − s); y = g/(1 − g); then the sign bit of x goes into y.
#define TANH2 \
	WORD $0x4ea0f802 /* fabs v2.4s, v0.4s */; \
	WORD $0x4ea0f829 /* fabs v9.4s, v1.4s */; \
	WORD $0x4eb8f442 /* fmin v2.4s, v2.4s, v24.4s */; \
	WORD $0x4eb8f529 /* fmin v9.4s, v9.4s, v24.4s */; \
	VORR V26.B16, V26.B16, V3.B16; \
	VORR V26.B16, V26.B16, V10.B16; \
	WORD $0x4fbc1043 /* fmla v3.4s, v2.4s, v28.s[1] */; \
	WORD $0x4fbc112a /* fmla v10.4s, v9.4s, v28.s[1] */; \
	WORD $0x4ebad464 /* fsub v4.4s, v3.4s, v26.4s */; \
	WORD $0x4ebad54b /* fsub v11.4s, v10.4s, v26.4s */; \
	WORD $0x4e22d445 /* fadd v5.4s, v2.4s, v2.4s */; \
	WORD $0x4e29d52c /* fadd v12.4s, v9.4s, v9.4s */; \
	WORD $0x4f9c1885 /* fmla v5.4s, v4.4s, v28.s[2] */; \
	WORD $0x4f9c196c /* fmla v12.4s, v11.4s, v28.s[2] */; \
	WORD $0x6e25dca4 /* fmul v4.4s, v5.4s, v5.4s */; \
	WORD $0x6e2cdd8b /* fmul v11.4s, v12.4s, v12.4s */; \
	VDUP V27.S[0], V6.S4; \
	VDUP V27.S[0], V13.S4; \
	VDUP V27.S[1], V7.S4; \
	VDUP V27.S[1], V14.S4; \
	VFMLA V5.S4, V6.S4, V7.S4; \
	VFMLA V12.S4, V13.S4, V14.S4; \
	VDUP V27.S[2], V6.S4; \
	VDUP V27.S[2], V13.S4; \
	VFMLA V5.S4, V7.S4, V6.S4; \
	VFMLA V12.S4, V14.S4, V13.S4; \
	VDUP V27.S[3], V7.S4; \
	VDUP V27.S[3], V14.S4; \
	VFMLA V5.S4, V6.S4, V7.S4; \
	VFMLA V12.S4, V13.S4, V14.S4; \
	VDUP V28.S[0], V6.S4; \
	VDUP V28.S[0], V13.S4; \
	VFMLA V5.S4, V7.S4, V6.S4; \
	VFMLA V12.S4, V14.S4, V13.S4; \
	VFMLS V4.S4, V6.S4, V5.S4; \
	VFMLS V11.S4, V13.S4, V12.S4; \
	VSHL $23, V3.S4, V3.S4; \
	VSHL $23, V10.S4, V10.S4; \
	WORD $0x4ea3d6e7 /* fsub v7.4s, v23.4s, v3.4s */; \
	WORD $0x4eaad6ee /* fsub v14.4s, v23.4s, v10.4s */; \
	VFMLA V3.S4, V5.S4, V7.S4; \
	VFMLA V10.S4, V12.S4, V14.S4; \
	WORD $0x4ea7d728 /* fsub v8.4s, v25.4s, v7.4s */; \
	WORD $0x4eaed72f /* fsub v15.4s, v25.4s, v14.4s */; \
	WORD $0x6e28fce8 /* fdiv v8.4s, v7.4s, v8.4s */; \
	WORD $0x6e2ffdcf /* fdiv v15.4s, v14.4s, v15.4s */; \
	VBIT V22.B16, V0.B16, V8.B16; \
	VBIT V22.B16, V1.B16, V15.B16; \
	VORR V8.B16, V8.B16, V0.B16; \
	VORR V15.B16, V15.B16, V1.B16

// Log table, loaded into V12-V23 by LOAD_LOG_CONSTS:
//	V12 2^-126  V13 2^23  V14 23  V15 bits(√½)  V16 0x7fffff  V17 1
//	V18 +Inf  V19 -Inf  V20 NaN  V21 [l8 l7 l6 l5]  V22 [l4 l3 l2 l1]
//	V23 [l0 ln2lo ln2hi -]

#define LOAD_LOG_CONSTS(R) \
	MOVD $·vmLogConsts(SB), R; \
	VLD1.P 64(R), [V12.S4, V13.S4, V14.S4, V15.S4]; \
	VLD1.P 64(R), [V16.S4, V17.S4, V18.S4, V19.S4]; \
	VLD1 (R), [V20.S4, V21.S4, V22.S4, V23.S4]

// LOG1 sets V0 = log(V0) (kernels.Log32 per lane). Needs LOAD_LOG_CONSTS;
// clobbers V1-V7.
//	lane: subnormal x: x·2²³, ex = 23; u = bits(x) − bits(√½);
//	e = float(u>>23) − ex; f = bits(u&0x7fffff + bits(√½)) − 1;
//	log = e·ln2hi + (e·ln2lo + (f + f·(f·logPoly(f))));
//	+Inf and NaN pass through, ±0 gives −Inf, x < 0 NaN.
#define LOG1 \
	VORR V0.B16, V0.B16, V7.B16; \
	WORD $0x6ea0e581 /* fcmgt v1.4s, v12.4s, v0.4s */; \
	WORD $0x6e2ddc02 /* fmul v2.4s, v0.4s, v13.4s */; \
	VBIT V1.B16, V2.B16, V0.B16; \
	VAND V14.B16, V1.B16, V1.B16; \
	VSUB V15.S4, V0.S4, V0.S4; \
	WORD $0x4f290404 /* sshr v4.4s, v0.4s, #23 */; \
	WORD $0x4e21d884 /* scvtf v4.4s, v4.4s */; \
	WORD $0x4ea1d484 /* fsub v4.4s, v4.4s, v1.4s */; \
	VAND V16.B16, V0.B16, V0.B16; \
	VADD V15.S4, V0.S4, V0.S4; \
	WORD $0x4eb1d400 /* fsub v0.4s, v0.4s, v17.4s */; \
	VDUP V21.S[0], V2.S4; \
	VDUP V21.S[1], V3.S4; \
	VFMLA V0.S4, V2.S4, V3.S4; \
	VDUP V21.S[2], V2.S4; \
	VFMLA V0.S4, V3.S4, V2.S4; \
	VDUP V21.S[3], V3.S4; \
	VFMLA V0.S4, V2.S4, V3.S4; \
	VDUP V22.S[0], V2.S4; \
	VFMLA V0.S4, V3.S4, V2.S4; \
	VDUP V22.S[1], V3.S4; \
	VFMLA V0.S4, V2.S4, V3.S4; \
	VDUP V22.S[2], V2.S4; \
	VFMLA V0.S4, V3.S4, V2.S4; \
	VDUP V22.S[3], V3.S4; \
	VFMLA V0.S4, V2.S4, V3.S4; \
	VDUP V23.S[0], V2.S4; \
	VFMLA V0.S4, V3.S4, V2.S4; \
	WORD $0x6e20dc42 /* fmul v2.4s, v2.4s, v0.4s */; \
	VORR V0.B16, V0.B16, V5.B16; \
	VFMLA V0.S4, V2.S4, V5.S4; \
	WORD $0x4fb71085 /* fmla v5.4s, v4.4s, v23.s[1] */; \
	WORD $0x4f971885 /* fmla v5.4s, v4.4s, v23.s[2] */; \
	WORD $0x4ea0c8e1 /* fcmgt v1.4s, v7.4s, #0.0 */; \
	WORD $0x6ea7e642 /* fcmgt v2.4s, v18.4s, v7.4s */; \
	VAND V1.B16, V2.B16, V1.B16; \
	WORD $0x4ea0d8e2 /* fcmeq v2.4s, v7.4s, #0.0 */; \
	WORD $0x4ea0e8e3 /* fcmlt v3.4s, v7.4s, #0.0 */; \
	VBIT V2.B16, V19.B16, V7.B16; \
	VBIT V3.B16, V20.B16, V7.B16; \
	VBIT V1.B16, V5.B16, V7.B16; \
	VORR V7.B16, V7.B16, V0.B16

// LANES_IN(lbl) loads the R5 (1-7) values at R4 into V0, V1 lane by lane,
// advancing R4; the other lanes are copies of V20's lane 0 (0 or −Inf, set
// by the caller). LANES_OUT(lbl) stores the first R5 lanes of V0, V1 to R6,
// advancing R6. lbl is a label, unique within the function.
#define LANES_IN(lbl) \
	VDUP V20.S[0], V0.S4; \
	VDUP V20.S[0], V1.S4; \
	VLD1.P 4(R4), V0.S[0]; \
	CMP  $2, R5; \
	BLT  lbl; \
	VLD1.P 4(R4), V0.S[1]; \
	CMP  $3, R5; \
	BLT  lbl; \
	VLD1.P 4(R4), V0.S[2]; \
	CMP  $4, R5; \
	BLT  lbl; \
	VLD1.P 4(R4), V0.S[3]; \
	CMP  $5, R5; \
	BLT  lbl; \
	VLD1.P 4(R4), V1.S[0]; \
	CMP  $6, R5; \
	BLT  lbl; \
	VLD1.P 4(R4), V1.S[1]; \
	CMP  $7, R5; \
	BLT  lbl; \
	VLD1.P 4(R4), V1.S[2]; \
lbl:

#define LANES_OUT(lbl) \
	VST1.P V0.S[0], 4(R6); \
	CMP  $2, R5; \
	BLT  lbl; \
	VST1.P V0.S[1], 4(R6); \
	CMP  $3, R5; \
	BLT  lbl; \
	VST1.P V0.S[2], 4(R6); \
	CMP  $4, R5; \
	BLT  lbl; \
	VST1.P V0.S[3], 4(R6); \
	CMP  $5, R5; \
	BLT  lbl; \
	VST1.P V1.S[0], 4(R6); \
	CMP  $6, R5; \
	BLT  lbl; \
	VST1.P V1.S[1], 4(R6); \
	CMP  $7, R5; \
	BLT  lbl; \
	VST1.P V1.S[2], 4(R6); \
lbl:
