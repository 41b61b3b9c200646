// NEON exp and tanh, the float32 algorithms of kernels.Exp32 and
// kernels.Tanh32 lane by lane: same reduction, coefficients, order of
// operations and special values (see kernels/vecmath.go). Each macro works
// on two vectors (8 lanes) in place with fixed registers, so that every
// hand-encoded instruction below has its registers in its mnemonic comment;
// scripts/check-arm64-words.sh checks the encodings.
//
// Go's assembler lacks the vector float arithmetic (FADD, FMUL, FDIV, FMAX,
// FMIN, FABS, FCMGT, by-element FMLA/FMLS) and SSHR: those are WORDs.

// Constant tables, one 16-byte vector per row, loaded once per call by
// LOAD_EXP_CONSTS / LOAD_TANH_CONSTS. K rows pack four scalars used by lane.
DATA expconsts<>+0(SB)/4, $0xff800000 // MASK
DATA expconsts<>+4(SB)/4, $0xff800000
DATA expconsts<>+8(SB)/4, $0xff800000
DATA expconsts<>+12(SB)/4, $0xff800000
DATA expconsts<>+16(SB)/4, $0x3f800000 // BIAS
DATA expconsts<>+20(SB)/4, $0x3f800000
DATA expconsts<>+24(SB)/4, $0x3f800000
DATA expconsts<>+28(SB)/4, $0x3f800000
DATA expconsts<>+32(SB)/4, $0x42b20000 // HI
DATA expconsts<>+36(SB)/4, $0x42b20000
DATA expconsts<>+40(SB)/4, $0x42b20000
DATA expconsts<>+44(SB)/4, $0x42b20000
DATA expconsts<>+48(SB)/4, $0xc2d00000 // LO
DATA expconsts<>+52(SB)/4, $0xc2d00000
DATA expconsts<>+56(SB)/4, $0xc2d00000
DATA expconsts<>+60(SB)/4, $0xc2d00000
DATA expconsts<>+64(SB)/4, $0x4b400000 // SHIFT
DATA expconsts<>+68(SB)/4, $0x4b400000
DATA expconsts<>+72(SB)/4, $0x4b400000
DATA expconsts<>+76(SB)/4, $0x4b400000
DATA expconsts<>+80(SB)/4, $0x3efffffe // K2 c2 1
DATA expconsts<>+84(SB)/4, $0x3f800000
DATA expconsts<>+88(SB)/4, $0x00000000
DATA expconsts<>+92(SB)/4, $0x00000000
DATA expconsts<>+96(SB)/4, $0x3ab5120f // K1 c6 c5 c4 c3
DATA expconsts<>+100(SB)/4, $0x3c091cf1
DATA expconsts<>+104(SB)/4, $0x3d2aac79
DATA expconsts<>+108(SB)/4, $0x3e2aaa49
DATA expconsts<>+112(SB)/4, $0x3fb8aa3b // K0 log2e ln2hi ln2lo
DATA expconsts<>+116(SB)/4, $0x3f317218
DATA expconsts<>+120(SB)/4, $0xb102e308
DATA expconsts<>+124(SB)/4, $0x00000000
GLOBL expconsts<>(SB), RODATA|NOPTR, $128

DATA tanhconsts<>+0(SB)/4, $0x80000000 // SIGN
DATA tanhconsts<>+4(SB)/4, $0x80000000
DATA tanhconsts<>+8(SB)/4, $0x80000000
DATA tanhconsts<>+12(SB)/4, $0x80000000
DATA tanhconsts<>+16(SB)/4, $0x3f200000 // THR 0.625
DATA tanhconsts<>+20(SB)/4, $0x3f200000
DATA tanhconsts<>+24(SB)/4, $0x3f200000
DATA tanhconsts<>+28(SB)/4, $0x3f200000
DATA tanhconsts<>+32(SB)/4, $0x41200000 // TEN
DATA tanhconsts<>+36(SB)/4, $0x41200000
DATA tanhconsts<>+40(SB)/4, $0x41200000
DATA tanhconsts<>+44(SB)/4, $0x41200000
DATA tanhconsts<>+48(SB)/4, $0x40000000 // TWO
DATA tanhconsts<>+52(SB)/4, $0x40000000
DATA tanhconsts<>+56(SB)/4, $0x40000000
DATA tanhconsts<>+60(SB)/4, $0x40000000
DATA tanhconsts<>+64(SB)/4, $0x3f800000 // ONE
DATA tanhconsts<>+68(SB)/4, $0x3f800000
DATA tanhconsts<>+72(SB)/4, $0x3f800000
DATA tanhconsts<>+76(SB)/4, $0x3f800000
DATA tanhconsts<>+80(SB)/4, $0x4b40007f // SHIFT+127
DATA tanhconsts<>+84(SB)/4, $0x4b40007f
DATA tanhconsts<>+88(SB)/4, $0x4b40007f
DATA tanhconsts<>+92(SB)/4, $0x4b40007f
DATA tanhconsts<>+96(SB)/4, $0xbd5c1cea // K3 t2 t1 t0
DATA tanhconsts<>+100(SB)/4, $0x3e08838a
DATA tanhconsts<>+104(SB)/4, $0xbeaaaa99
DATA tanhconsts<>+108(SB)/4, $0x00000000
DATA tanhconsts<>+112(SB)/4, $0x3efffffe // K2 c2 1 t4 t3
DATA tanhconsts<>+116(SB)/4, $0x3f800000
DATA tanhconsts<>+120(SB)/4, $0xbbbac8e0
DATA tanhconsts<>+124(SB)/4, $0x3ca90ab3
DATA tanhconsts<>+128(SB)/4, $0x3ab5120f // K1 c6 c5 c4 c3
DATA tanhconsts<>+132(SB)/4, $0x3c091cf1
DATA tanhconsts<>+136(SB)/4, $0x3d2aac79
DATA tanhconsts<>+140(SB)/4, $0x3e2aaa49
DATA tanhconsts<>+144(SB)/4, $0x4038aa3b // K0 2log2e ln2hi ln2lo
DATA tanhconsts<>+148(SB)/4, $0x3f317218
DATA tanhconsts<>+152(SB)/4, $0xb102e308
DATA tanhconsts<>+156(SB)/4, $0x00000000
GLOBL tanhconsts<>(SB), RODATA|NOPTR, $160

// LOAD_EXP_CONSTS loads the exp table into V24-V31 (clobbers R):
//	V24 0xff800000  V25 127<<23  V26 89  V27 -104  V28 1.5·2²³
//	V29 [c2 1 - -]  V30 [c6 c5 c4 c3]  V31 [log2e ln2hi ln2lo -]
#define LOAD_EXP_CONSTS(R) \
	MOVD $expconsts<>(SB), R; \
	VLD1.P 64(R), [V24.S4, V25.S4, V26.S4, V27.S4]; \
	VLD1 (R), [V28.S4, V29.S4, V30.S4, V31.S4]

// LOAD_TANH_CONSTS loads the tanh table into V22-V31 (clobbers R):
//	V22 sign bit  V23 0.625  V24 10  V25 2  V26 1  V27 1.5·2²³+127
//	V28 [t2 t1 t0 -]  V29 [c2 1 t4 t3]  V30 [c6 c5 c4 c3]  V31 [2log2e ln2hi ln2lo -]
#define LOAD_TANH_CONSTS(R) \
	MOVD $tanhconsts<>(SB), R; \
	VLD1.P 64(R), [V22.S4, V23.S4, V24.S4, V25.S4]; \
	VLD1.P 64(R), [V26.S4, V27.S4, V28.S4, V29.S4]; \
	VLD1 (R), [V30.S4, V31.S4]

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

// TANH2 sets V0 = tanh(V0) and V1 = tanh(V1) (kernels.Tanh32 per lane).
// Needs LOAD_TANH_CONSTS; clobbers V2-V15.
//	lane: a = |x|; large: l = min(a, 10); t = (1.5·2²³+127) + l·2log2e;
//	n = t − (1.5·2²³+127); r = 2l − n·ln2hi − n·ln2lo; e = expPoly(r)·(t<<23)
//	y = 1 − 2/(e+1) with the sign of x; small (a < 0.625): x + x³·tanhPoly(x²)
#define TANH2 \
	WORD $0x4ea0f802 /* fabs v2.4s, v0.4s */; \
	WORD $0x4ea0f829 /* fabs v9.4s, v1.4s */; \
	WORD $0x4eb8f443 /* fmin v3.4s, v2.4s, v24.4s */; \
	WORD $0x4eb8f52a /* fmin v10.4s, v9.4s, v24.4s */; \
	VORR V27.B16, V27.B16, V4.B16; \
	VORR V27.B16, V27.B16, V11.B16; \
	WORD $0x4f9f1064 /* fmla v4.4s, v3.4s, v31.s[0] */; \
	WORD $0x4f9f114b /* fmla v11.4s, v10.4s, v31.s[0] */; \
	WORD $0x4ebbd485 /* fsub v5.4s, v4.4s, v27.4s */; \
	WORD $0x4ebbd56c /* fsub v12.4s, v11.4s, v27.4s */; \
	WORD $0x4e23d466 /* fadd v6.4s, v3.4s, v3.4s */; \
	WORD $0x4e2ad54d /* fadd v13.4s, v10.4s, v10.4s */; \
	WORD $0x4fbf50a6 /* fmls v6.4s, v5.4s, v31.s[1] */; \
	WORD $0x4fbf518d /* fmls v13.4s, v12.4s, v31.s[1] */; \
	WORD $0x4f9f58a6 /* fmls v6.4s, v5.4s, v31.s[2] */; \
	WORD $0x4f9f598d /* fmls v13.4s, v12.4s, v31.s[2] */; \
	VDUP V30.S[0], V7.S4; \
	VDUP V30.S[0], V14.S4; \
	VDUP V30.S[1], V8.S4; \
	VDUP V30.S[1], V15.S4; \
	VFMLA V6.S4, V7.S4, V8.S4; \
	VFMLA V13.S4, V14.S4, V15.S4; \
	VDUP V30.S[2], V7.S4; \
	VDUP V30.S[2], V14.S4; \
	VFMLA V6.S4, V8.S4, V7.S4; \
	VFMLA V13.S4, V15.S4, V14.S4; \
	VDUP V30.S[3], V8.S4; \
	VDUP V30.S[3], V15.S4; \
	VFMLA V6.S4, V7.S4, V8.S4; \
	VFMLA V13.S4, V14.S4, V15.S4; \
	VDUP V29.S[0], V7.S4; \
	VDUP V29.S[0], V14.S4; \
	VFMLA V6.S4, V8.S4, V7.S4; \
	VFMLA V13.S4, V15.S4, V14.S4; \
	VDUP V29.S[1], V8.S4; \
	VDUP V29.S[1], V15.S4; \
	VFMLA V6.S4, V7.S4, V8.S4; \
	VFMLA V13.S4, V14.S4, V15.S4; \
	VDUP V29.S[1], V7.S4; \
	VDUP V29.S[1], V14.S4; \
	VFMLA V6.S4, V8.S4, V7.S4; \
	VFMLA V13.S4, V15.S4, V14.S4; \
	VSHL $23, V4.S4, V4.S4; \
	VSHL $23, V11.S4, V11.S4; \
	WORD $0x6e24dce4 /* fmul v4.4s, v7.4s, v4.4s */; \
	WORD $0x6e2bddcb /* fmul v11.4s, v14.4s, v11.4s */; \
	WORD $0x4e3ad484 /* fadd v4.4s, v4.4s, v26.4s */; \
	WORD $0x4e3ad56b /* fadd v11.4s, v11.4s, v26.4s */; \
	WORD $0x6e24ff24 /* fdiv v4.4s, v25.4s, v4.4s */; \
	WORD $0x6e2bff2b /* fdiv v11.4s, v25.4s, v11.4s */; \
	WORD $0x4ea4d744 /* fsub v4.4s, v26.4s, v4.4s */; \
	WORD $0x4eabd74b /* fsub v11.4s, v26.4s, v11.4s */; \
	VBIT V22.B16, V0.B16, V4.B16; \
	VBIT V22.B16, V1.B16, V11.B16; \
	WORD $0x6e20dc03 /* fmul v3.4s, v0.4s, v0.4s */; \
	WORD $0x6e21dc2a /* fmul v10.4s, v1.4s, v1.4s */; \
	VDUP V29.S[2], V5.S4; \
	VDUP V29.S[2], V12.S4; \
	VDUP V29.S[3], V6.S4; \
	VDUP V29.S[3], V13.S4; \
	VFMLA V3.S4, V5.S4, V6.S4; \
	VFMLA V10.S4, V12.S4, V13.S4; \
	VDUP V28.S[0], V5.S4; \
	VDUP V28.S[0], V12.S4; \
	VFMLA V3.S4, V6.S4, V5.S4; \
	VFMLA V10.S4, V13.S4, V12.S4; \
	VDUP V28.S[1], V6.S4; \
	VDUP V28.S[1], V13.S4; \
	VFMLA V3.S4, V5.S4, V6.S4; \
	VFMLA V10.S4, V12.S4, V13.S4; \
	VDUP V28.S[2], V5.S4; \
	VDUP V28.S[2], V12.S4; \
	VFMLA V3.S4, V6.S4, V5.S4; \
	VFMLA V10.S4, V13.S4, V12.S4; \
	WORD $0x6e20dc67 /* fmul v7.4s, v3.4s, v0.4s */; \
	WORD $0x6e21dd4e /* fmul v14.4s, v10.4s, v1.4s */; \
	VORR V0.B16, V0.B16, V8.B16; \
	VORR V1.B16, V1.B16, V15.B16; \
	VFMLA V7.S4, V5.S4, V8.S4; \
	VFMLA V14.S4, V12.S4, V15.S4; \
	WORD $0x6ea2e6e3 /* fcmgt v3.4s, v23.4s, v2.4s */; \
	WORD $0x6ea9e6ea /* fcmgt v10.4s, v23.4s, v9.4s */; \
	VBIT V3.B16, V8.B16, V4.B16; \
	VBIT V10.B16, V15.B16, V11.B16; \
	VORR V4.B16, V4.B16, V0.B16; \
	VORR V11.B16, V11.B16, V1.B16
