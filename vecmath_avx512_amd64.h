// Shared AVX-512 vector math: e^x, log x and tanh x on sixteen float32 lanes.
//
// Include with #include "vecmath_avx512_amd64.h" from any .s file of this
// package, after asm_amd64.h (whose TAIL_K makes the opmask of a tail).
// Each macro computes, lane by lane, the same float32 operations as
// the scalar function in kernels/vecmath.go (Exp32, Tanh32, Log32) and as the
// AVX2 macro of vecmath_amd64.h (EXP_AVX2, TANH_AVX2, LOG_AVX2): the same
// reduction, coefficients and rounding of every step, so the results are the
// AVX2 results bit for bit and the accuracy cmd/ulpsweep proves for one holds
// for the other. AVX-512 shortens the sequences, not the arithmetic:
//
//   - EXP: the result p·2ⁿ is one VSCALEFPS, which rounds once, as the AVX2
//     code's two products p·2^⌊n/2⌋·2^(n−⌊n/2⌋) do (the first is exact), so
//     subnormal results are rounded correctly, not flushed, and overflow gives
//     +Inf; six integer instructions and a product fewer. The lower clamp
//     (x < −104 gives +0, as the scalar code's clamp to −104 does) is an
//     opmask instead of a VMAXPS: the VSCALEFPS of those lanes is masked
//     off and zeroes them. On Intel cores (Xeon, family 6 model 207,
//     measured) a VSCALEFPS whose result underflows takes a microcode
//     assist of about 70 ns for the whole vector, even when the result is
//     +0, and a masked-off lane takes none: the softmax kernels' padding
//     lanes (−Inf) and Exp of very negative arguments are such lanes. Their
//     other steps compute on the unclamped x, and their values (NaN, or
//     large, for −Inf and huge arguments) are discarded. Subnormal
//     results, from x in [−104, −87.34), still take the assist, as the
//     AVX2 products do.
//   - TANH: the sign of x goes back in with one VPTERNLOGD.
//   - LOG: the subnormal scaling is a masked multiply and subtract, and the
//     special values (NaN, ±0, negatives, ±Inf) one VFIXUPIMMPS, instead of
//     four compares and three blends.
//
// Register contract (x and the t registers are ZMM registers, k an opmask
// register K1–K7, all distinct):
//
//   EXP_AVX512(x, t0, t1, k)         x = e^x      ≤ 1 ULP, subnormals not flushed
//   TANH_AVX512(x, t0, t1, t2, t3)   x = tanh x   ≤ 2 ULP
//   LOG_AVX512(x, t0, t1, t2, k)     x = log x    ≤ 1 ULP; ±0 → −Inf, <0 → NaN
//
//   x is input and output; the t registers and k are scratch and are
//   clobbered (for EXP, k holds the lanes that are not clamped to +0). No
//   other register is read or written, no flags are changed, and memory is read only from the constants named below, four bytes each
//   (the first lane of the ·vm* tables of vecmath_amd64.s, and the ·vz*
//   constants of vecmath_avx512_amd64.s), through embedded broadcasts, which
//   never split a cache line. Special values as the AVX2 macros: NaN → NaN,
//   exp(+Inf) = +Inf, exp(−Inf) = 0, overflow → +Inf, tanh(±Inf) = ±1,
//   tanh(−0) = −0, log(+Inf) = +Inf.
//
// A loop that can spare the registers keeps the constants resident instead:
// EXP_RES_AVX512 and TANH_RES_AVX512 take them as register operands (loaded
// once by the caller with VBROADCASTSS from the same tables) and compute the
// same operations in the same order.
//
// Cost per 16 lanes (FMA/MUL-class ops + other ops; broadcasts and register
// moves not counted): EXP 9 + 4 (VSCALEFPS among the others); TANH 9 +
// 1 VDIVPS + 8; LOG 13 + 9.

// EXP_CORE_AVX512 is EXP_RES_AVX512 after the clamp: n = round(x·log2e) by
// the 1.5·2²³ shift, r = x − n·ln2 (hi, lo), e^r by the degree-6 polynomial,
// then x = p·2ⁿ in the lanes of k and +0 in the others; constants in
// registers, as EXP_RES_AVX512 names them.
#define EXP_CORE_AVX512(x, t0, t1, k, shift, l2e, ln2hi, ln2lo, c6, c5, c4, c3, c2, one) \
	VMOVAPS      shift, t1;         \
	VFMADD231PS  l2e, x, t1;        \
	VSUBPS       shift, t1, t0;     \
	VFNMADD231PS ln2hi, t0, x;      \
	VFNMADD231PS ln2lo, t0, x;      \
	VMOVAPS      c6, t1;            \
	VFMADD213PS  c5, x, t1;         \
	VFMADD213PS  c4, x, t1;         \
	VFMADD213PS  c3, x, t1;         \
	VFMADD213PS  c2, x, t1;         \
	VFMADD213PS  one, x, t1;        \
	VFMADD213PS  one, x, t1;        \
	VSCALEFPS.Z  t0, t1, k, x

// EXP_AVX512 — e^x lane-wise (kernels.Exp32), constants from memory.
// k = the lanes where x ≥ −104 or is NaN (predicate NLT_UQ); x ≤ 89 with x
// as the second source of VMINPS, so that NaN passes; then
// EXP_CORE_AVX512's steps.
#define EXP_AVX512(x, t0, t1, k) \
	VCMPPS.BCST       $0x15, ·vmExpLo(SB), x, k; \
	VBROADCASTSS      ·vmExpHi(SB), t0;       \
	VMINPS            x, t0, x;               \
	VBROADCASTSS      ·vmExpShift(SB), t1;    \
	VFMADD231PS.BCST  ·vmLog2e(SB), x, t1;    \
	VSUBPS.BCST       ·vmExpShift(SB), t1, t0; \
	VFNMADD231PS.BCST ·vmLn2Hi(SB), t0, x;    \
	VFNMADD231PS.BCST ·vmLn2Lo(SB), t0, x;    \
	VBROADCASTSS      ·vmExpC6(SB), t1;       \
	VFMADD213PS.BCST  ·vmExpC5(SB), x, t1;    \
	VFMADD213PS.BCST  ·vmExpC4(SB), x, t1;    \
	VFMADD213PS.BCST  ·vmExpC3(SB), x, t1;    \
	VFMADD213PS.BCST  ·vmExpC2(SB), x, t1;    \
	VFMADD213PS.BCST  ·vmOne(SB), x, t1;      \
	VFMADD213PS.BCST  ·vmOne(SB), x, t1;      \
	VSCALEFPS.Z       t0, t1, k, x

// EXP_RES_AVX512(x, t0, t1, k, lo, hi, shift, l2e, ln2hi, ln2lo, c6, c5, c4,
// c3, c2, one): EXP_AVX512 with its twelve constants in registers (·vmExpLo,
// ·vmExpHi, ·vmExpShift, ·vmLog2e, ·vmLn2Hi, ·vmLn2Lo, ·vmExpC6–C2, ·vmOne
// broadcast), which are only read.
#define EXP_RES_AVX512(x, t0, t1, k, lo, hi, shift, l2e, ln2hi, ln2lo, c6, c5, c4, c3, c2, one) \
	VCMPPS $0x15, lo, x, k; \
	VMINPS x, hi, x;        \
	EXP_CORE_AVX512(x, t0, t1, k, shift, l2e, ln2hi, ln2lo, c6, c5, c4, c3, c2, one)

// EXP4_RES_AVX512 is EXP_RES_AVX512 on four vectors (x, y, z and w, each
// with its own two t registers and opmask), their operations interleaved a
// step at a time, as TANH4_RES_AVX512: the same bits, the four dependency
// chains side by side.
#define EXP4_RES_AVX512(x, x0, x1, xk, y, y0, y1, yk, z, z0, z1, zk, w, w0, w1, wk, lo, hi, shift, l2e, ln2hi, ln2lo, c6, c5, c4, c3, c2, one) \
	VCMPPS $0x15, lo, x, xk; VCMPPS $0x15, lo, y, yk; VCMPPS $0x15, lo, z, zk; VCMPPS $0x15, lo, w, wk; \
	VMINPS x, hi, x; VMINPS y, hi, y; VMINPS z, hi, z; VMINPS w, hi, w; \
	VMOVAPS shift, x1; VMOVAPS shift, y1; VMOVAPS shift, z1; VMOVAPS shift, w1; \
	VFMADD231PS l2e, x, x1; VFMADD231PS l2e, y, y1; VFMADD231PS l2e, z, z1; VFMADD231PS l2e, w, w1; \
	VSUBPS shift, x1, x0; VSUBPS shift, y1, y0; VSUBPS shift, z1, z0; VSUBPS shift, w1, w0; \
	VFNMADD231PS ln2hi, x0, x; VFNMADD231PS ln2hi, y0, y; VFNMADD231PS ln2hi, z0, z; VFNMADD231PS ln2hi, w0, w; \
	VFNMADD231PS ln2lo, x0, x; VFNMADD231PS ln2lo, y0, y; VFNMADD231PS ln2lo, z0, z; VFNMADD231PS ln2lo, w0, w; \
	VMOVAPS c6, x1; VMOVAPS c6, y1; VMOVAPS c6, z1; VMOVAPS c6, w1; \
	VFMADD213PS c5, x, x1; VFMADD213PS c5, y, y1; VFMADD213PS c5, z, z1; VFMADD213PS c5, w, w1; \
	VFMADD213PS c4, x, x1; VFMADD213PS c4, y, y1; VFMADD213PS c4, z, z1; VFMADD213PS c4, w, w1; \
	VFMADD213PS c3, x, x1; VFMADD213PS c3, y, y1; VFMADD213PS c3, z, z1; VFMADD213PS c3, w, w1; \
	VFMADD213PS c2, x, x1; VFMADD213PS c2, y, y1; VFMADD213PS c2, z, z1; VFMADD213PS c2, w, w1; \
	VFMADD213PS one, x, x1; VFMADD213PS one, y, y1; VFMADD213PS one, z, z1; VFMADD213PS one, w, w1; \
	VFMADD213PS one, x, x1; VFMADD213PS one, y, y1; VFMADD213PS one, z, z1; VFMADD213PS one, w, w1; \
	VSCALEFPS.Z x0, x1, xk, x; VSCALEFPS.Z y0, y1, yk, y; VSCALEFPS.Z z0, z1, zk, z; VSCALEFPS.Z w0, w1, wk, w

// TANH_CORE_AVX512 is TANH_AVX512 after a = min(|x|, 10), which the caller
// leaves in t1 (x still holds the input): the operations of TANH_AVX2 from
// its rounding shift on, then the sign bit of x OR-ed into g/(1 − g):
// VPTERNLOGD $0xdc computes t1 | (x AND NOT abs), abs the ·vmAbsMask word.
#define TANH_CORE_AVX512(x, t0, t1, t2, t3, abs, shift, l2e, ln2, c6, c5, c4, c3, c2, half, one) \
	VMOVAPS      shift, t2;       \
	VFMADD231PS  l2e, t1, t2;     \
	VSUBPS       shift, t2, t3;   \
	VADDPS       t1, t1, t1;      \
	VFMADD231PS  ln2, t3, t1;     \
	VMULPS       t1, t1, t0;      \
	VMOVAPS      c6, t3;          \
	VFMSUB213PS  c5, t1, t3;      \
	VFMADD213PS  c4, t1, t3;      \
	VFMSUB213PS  c3, t1, t3;      \
	VFMADD213PS  c2, t1, t3;      \
	VFNMADD213PS t1, t0, t3;      \
	VPSLLD       $23, t2, t2;     \
	VSUBPS       half, t2, t1;    \
	VFMSUB213PS  t1, t2, t3;      \
	VMOVAPS      one, t0;         \
	VSUBPS       t3, t0, t0;      \
	VDIVPS       t0, t3, t1;      \
	VPTERNLOGD   $0xdc, abs, t1, x

// TANH_AVX512 — tanh x lane-wise (kernels.Tanh32), constants from memory.
// a = min(|x|, 10) with |x| as the second source of VMINPS, so that NaN
// passes; then TANH_CORE_AVX512.
#define TANH_AVX512(x, t0, t1, t2, t3) \
	VPANDD.BCST       ·vmAbsMask(SB), x, t0;    \
	VBROADCASTSS      ·vmTanhMax(SB), t1;       \
	VMINPS            t0, t1, t1;               \
	VBROADCASTSS      ·vmTanhShift(SB), t2;     \
	VFMADD231PS.BCST  ·vmTanhL2e(SB), t1, t2;   \
	VSUBPS.BCST       ·vmTanhShift(SB), t2, t3; \
	VADDPS            t1, t1, t1;               \
	VFMADD231PS.BCST  ·vmLn2Hi(SB), t3, t1;     \
	VMULPS            t1, t1, t0;               \
	VBROADCASTSS      ·vmExpC6(SB), t3;         \
	VFMSUB213PS.BCST  ·vmExpC5(SB), t1, t3;     \
	VFMADD213PS.BCST  ·vmExpC4(SB), t1, t3;     \
	VFMSUB213PS.BCST  ·vmExpC3(SB), t1, t3;     \
	VFMADD213PS.BCST  ·vmExpC2(SB), t1, t3;     \
	VFNMADD213PS      t1, t0, t3;               \
	VPSLLD            $23, t2, t2;              \
	VSUBPS.BCST       ·vmHalf(SB), t2, t1;      \
	VFMSUB213PS       t1, t2, t3;               \
	VBROADCASTSS      ·vmOne(SB), t0;           \
	VSUBPS            t3, t0, t0;               \
	VDIVPS            t0, t3, t1;               \
	VPTERNLOGD.BCST   $0xdc, ·vmAbsMask(SB), t1, x

// TANH_RES_AVX512(x, t0, t1, t2, t3, abs, max, shift, l2e, ln2, c6, c5, c4,
// c3, c2, half, one): TANH_AVX512 with its twelve constants in registers
// (·vmAbsMask, ·vmTanhMax, ·vmTanhShift, ·vmTanhL2e, ·vmLn2Hi, ·vmExpC6–C2,
// ·vmHalf, ·vmOne broadcast), which are only read.
#define TANH_RES_AVX512(x, t0, t1, t2, t3, abs, max, shift, l2e, ln2, c6, c5, c4, c3, c2, half, one) \
	VPANDD abs, x, t0;  \
	VMINPS t0, max, t1; \
	TANH_CORE_AVX512(x, t0, t1, t2, t3, abs, shift, l2e, ln2, c6, c5, c4, c3, c2, half, one)

// TANH4_RES_AVX512 is TANH_RES_AVX512 on four vectors (x, y, z and w,
// each with its own four t registers, all twenty distinct), their
// operations interleaved a step of the sequence at a time: each vector
// gets the same operations in the same order, so the same bits. Four tanh
// chains written one after the other leave the out-of-order core little
// more than the next chain's start to overlap with each chain's long
// dependency (some 60 cycles); interleaved, the four run side by side:
// Tanh on 4096 elements takes 10% less time so (AMD EPYC Zen 5). Three of
// the twelve constants, the ones only copied or subtracted (c6, one, ½),
// are broadcast from memory instead, so that a loop can keep the twenty
// registers of its vectors and the other nine constants resident; that
// measured as fast as all twelve in registers.
#define TANH4_RES_AVX512(x, x0, x1, x2, x3, y, y0, y1, y2, y3, z, z0, z1, z2, z3, w, w0, w1, w2, w3, abs, max, shift, l2e, ln2, c5, c4, c3, c2) \
	VPANDD abs, x, x0; VPANDD abs, y, y0; VPANDD abs, z, z0; VPANDD abs, w, w0; \
	VMINPS x0, max, x1; VMINPS y0, max, y1; VMINPS z0, max, z1; VMINPS w0, max, w1; \
	VMOVAPS shift, x2; VMOVAPS shift, y2; VMOVAPS shift, z2; VMOVAPS shift, w2; \
	VFMADD231PS l2e, x1, x2; VFMADD231PS l2e, y1, y2; VFMADD231PS l2e, z1, z2; VFMADD231PS l2e, w1, w2; \
	VSUBPS shift, x2, x3; VSUBPS shift, y2, y3; VSUBPS shift, z2, z3; VSUBPS shift, w2, w3; \
	VADDPS x1, x1, x1; VADDPS y1, y1, y1; VADDPS z1, z1, z1; VADDPS w1, w1, w1; \
	VFMADD231PS ln2, x3, x1; VFMADD231PS ln2, y3, y1; VFMADD231PS ln2, z3, z1; VFMADD231PS ln2, w3, w1; \
	VMULPS x1, x1, x0; VMULPS y1, y1, y0; VMULPS z1, z1, z0; VMULPS w1, w1, w0; \
	VBROADCASTSS ·vmExpC6(SB), x3; VBROADCASTSS ·vmExpC6(SB), y3; VBROADCASTSS ·vmExpC6(SB), z3; VBROADCASTSS ·vmExpC6(SB), w3; \
	VFMSUB213PS c5, x1, x3; VFMSUB213PS c5, y1, y3; VFMSUB213PS c5, z1, z3; VFMSUB213PS c5, w1, w3; \
	VFMADD213PS c4, x1, x3; VFMADD213PS c4, y1, y3; VFMADD213PS c4, z1, z3; VFMADD213PS c4, w1, w3; \
	VFMSUB213PS c3, x1, x3; VFMSUB213PS c3, y1, y3; VFMSUB213PS c3, z1, z3; VFMSUB213PS c3, w1, w3; \
	VFMADD213PS c2, x1, x3; VFMADD213PS c2, y1, y3; VFMADD213PS c2, z1, z3; VFMADD213PS c2, w1, w3; \
	VFNMADD213PS x1, x0, x3; VFNMADD213PS y1, y0, y3; VFNMADD213PS z1, z0, z3; VFNMADD213PS w1, w0, w3; \
	VPSLLD $23, x2, x2; VPSLLD $23, y2, y2; VPSLLD $23, z2, z2; VPSLLD $23, w2, w2; \
	VSUBPS.BCST ·vmHalf(SB), x2, x1; VSUBPS.BCST ·vmHalf(SB), y2, y1; VSUBPS.BCST ·vmHalf(SB), z2, z1; VSUBPS.BCST ·vmHalf(SB), w2, w1; \
	VFMSUB213PS x1, x2, x3; VFMSUB213PS y1, y2, y3; VFMSUB213PS z1, z2, z3; VFMSUB213PS w1, w2, w3; \
	VBROADCASTSS ·vmOne(SB), x0; VBROADCASTSS ·vmOne(SB), y0; VBROADCASTSS ·vmOne(SB), z0; VBROADCASTSS ·vmOne(SB), w0; \
	VSUBPS x3, x0, x0; VSUBPS y3, y0, y0; VSUBPS z3, z0, z0; VSUBPS w3, w0, w0; \
	VDIVPS x0, x3, x1; VDIVPS y0, y3, y1; VDIVPS z0, z3, z1; VDIVPS w0, w3, w1; \
	VPTERNLOGD $0xdc, abs, x1, x; VPTERNLOGD $0xdc, abs, y1, y; VPTERNLOGD $0xdc, abs, z1, z; VPTERNLOGD $0xdc, abs, w1, w

// LOG_AVX512 — natural log lane-wise (kernels.Log32).
// Lanes below 2⁻¹²⁶ (subnormals; zeros and negatives too, which the fix-up
// replaces) are scaled by 2²³ and their exponent lowered by 23; x = 2^e·m,
// m ∈ [√½, √2), f = m − 1, log(1+f) = f + f²·Q(f) (degree 8), result
// e·ln2hi + (e·ln2lo + log(1+f)). VFIXUPIMMPS then classifies x with the
// ·vzLogFixup table: NaN → x, ±0 → −Inf, +Inf → +Inf, −Inf and negatives →
// the default NaN (0xffc00000), as LOG_AVX2 gives.
#define LOG_AVX512(x, t0, t1, t2, k) \
	VCMPPS.BCST       $1, ·vmMinNorm(SB), x, k; \
	VMOVAPS           x, t1;                    \
	VMULPS.BCST       ·vmSubScale(SB), x, k, t1; \
	VPSUBD.BCST       ·vmSqrtHalf(SB), t1, t1;  \
	VPSRAD            $23, t1, t2;              \
	VCVTDQ2PS         t2, t2;                   \
	VSUBPS.BCST       ·vmF23(SB), t2, k, t2;    \
	VPANDD.BCST       ·vmMantMask(SB), t1, t1;  \
	VPADDD.BCST       ·vmSqrtHalf(SB), t1, t1;  \
	VSUBPS.BCST       ·vmOne(SB), t1, t1;       \
	VBROADCASTSS      ·vmLogC8(SB), t0;         \
	VFMADD213PS.BCST  ·vmLogC7(SB), t1, t0;     \
	VFMADD213PS.BCST  ·vmLogC6(SB), t1, t0;     \
	VFMADD213PS.BCST  ·vmLogC5(SB), t1, t0;     \
	VFMADD213PS.BCST  ·vmLogC4(SB), t1, t0;     \
	VFMADD213PS.BCST  ·vmLogC3(SB), t1, t0;     \
	VFMADD213PS.BCST  ·vmLogC2(SB), t1, t0;     \
	VFMADD213PS.BCST  ·vmLogC1(SB), t1, t0;     \
	VFMADD213PS.BCST  ·vmLogC0(SB), t1, t0;     \
	VMULPS            t1, t0, t0;               \
	VFMADD213PS       t1, t1, t0;               \
	VFMADD231PS.BCST  ·vmLn2Lo(SB), t2, t0;     \
	VFMADD231PS.BCST  ·vmLn2Hi(SB), t2, t0;     \
	VFIXUPIMMPS.BCST  $0, ·vzLogFixup(SB), x, t0; \
	VMOVAPS           t0, x

// ---- Loop helpers for the kernels' .s files. ----

// LOAD_EXP_CONSTS broadcasts EXP_RES_AVX512's constants into Z16–Z27, and
// EXPR(x, t0, t1) is EXP_RES_AVX512 with them and K7 as its opmask.
#define LOAD_EXP_CONSTS \
	VBROADCASTSS ·vmExpLo(SB), Z16;    \
	VBROADCASTSS ·vmExpHi(SB), Z17;    \
	VBROADCASTSS ·vmExpShift(SB), Z18; \
	VBROADCASTSS ·vmLog2e(SB), Z19;    \
	VBROADCASTSS ·vmLn2Hi(SB), Z20;    \
	VBROADCASTSS ·vmLn2Lo(SB), Z21;    \
	VBROADCASTSS ·vmExpC6(SB), Z22;    \
	VBROADCASTSS ·vmExpC5(SB), Z23;    \
	VBROADCASTSS ·vmExpC4(SB), Z24;    \
	VBROADCASTSS ·vmExpC3(SB), Z25;    \
	VBROADCASTSS ·vmExpC2(SB), Z26;    \
	VBROADCASTSS ·vmOne(SB), Z27

#define EXPR(x, t0, t1) EXP_RES_AVX512(x, t0, t1, K7, Z16, Z17, Z18, Z19, Z20, Z21, Z22, Z23, Z24, Z25, Z26, Z27)

// EXP4R is EXP4_RES_AVX512 with the constants of LOAD_EXP_CONSTS and the
// opmasks K4–K7.
#define EXP4R(x, x0, x1, y, y0, y1, z, z0, z1, w, w0, w1) EXP4_RES_AVX512(x, x0, x1, K4, y, y0, y1, K5, z, z0, z1, K6, w, w0, w1, K7, Z16, Z17, Z18, Z19, Z20, Z21, Z22, Z23, Z24, Z25, Z26, Z27)

// LOAD_TANH_CONSTS broadcasts TANH_RES_AVX512's constants into Z16–Z27, and
// TANHR(x, t0, t1, t2, t3) is TANH_RES_AVX512 with them.
#define LOAD_TANH_CONSTS \
	VBROADCASTSS ·vmAbsMask(SB), Z16;   \
	VBROADCASTSS ·vmTanhMax(SB), Z17;   \
	VBROADCASTSS ·vmTanhShift(SB), Z18; \
	VBROADCASTSS ·vmTanhL2e(SB), Z19;   \
	VBROADCASTSS ·vmLn2Hi(SB), Z20;     \
	VBROADCASTSS ·vmExpC6(SB), Z21;     \
	VBROADCASTSS ·vmExpC5(SB), Z22;     \
	VBROADCASTSS ·vmExpC4(SB), Z23;     \
	VBROADCASTSS ·vmExpC3(SB), Z24;     \
	VBROADCASTSS ·vmExpC2(SB), Z25;     \
	VBROADCASTSS ·vmHalf(SB), Z26;      \
	VBROADCASTSS ·vmOne(SB), Z27

#define TANHR(x, t0, t1, t2, t3) TANH_RES_AVX512(x, t0, t1, t2, t3, Z16, Z17, Z18, Z19, Z20, Z21, Z22, Z23, Z24, Z25, Z26, Z27)

// LOAD_TANH4_CONSTS broadcasts the nine register constants of
// TANH4_RES_AVX512 (abs … c2, in its order) into Z20–Z28, for loops that
// keep Z0–Z19 for four vectors and their scratch.
#define LOAD_TANH4_CONSTS \
	VBROADCASTSS ·vmAbsMask(SB), Z20;   \
	VBROADCASTSS ·vmTanhMax(SB), Z21;   \
	VBROADCASTSS ·vmTanhShift(SB), Z22; \
	VBROADCASTSS ·vmTanhL2e(SB), Z23;   \
	VBROADCASTSS ·vmLn2Hi(SB), Z24;     \
	VBROADCASTSS ·vmExpC5(SB), Z25;     \
	VBROADCASTSS ·vmExpC4(SB), Z26;     \
	VBROADCASTSS ·vmExpC3(SB), Z27;     \
	VBROADCASTSS ·vmExpC2(SB), Z28

// TANH4R is TANH4_RES_AVX512 with the constants of LOAD_TANH_CONSTS.
#define TANH4R(x, x0, x1, x2, x3, y, y0, y1, y2, y3, z, z0, z1, z2, z3, w, w0, w1, w2, w3) TANH4_RES_AVX512(x, x0, x1, x2, x3, y, y0, y1, y2, y3, z, z0, z1, z2, z3, w, w0, w1, w2, w3, Z16, Z17, Z18, Z19, Z20, Z22, Z23, Z24, Z25)

// HREDUCE(op, z, t) sets every lane of z to the op (VMAXPS or VADDPS) of
// its sixteen lanes: 256-bit halves, 128-bit quarters, then pairs and
// lanes within each 128 bits (the same order in every lane). Clobbers t.
#define HREDUCE(op, z, t) \
	VSHUFF32X4 $0x4e, z, z, t; \
	op         t, z, z;        \
	HREDUCE8(op, z, t)

// HREDUCE8 is HREDUCE without its first step: it reduces lanes 0–7 (and
// 8–15 apart). For a z whose lanes 8–15 hold op's identity (−Inf for
// VMAXPS, 0 for VADDPS of non-negative lanes) that is what HREDUCE gives,
// the same bits, in one dependent step fewer.
#define HREDUCE8(op, z, t) \
	VSHUFF32X4 $0xb1, z, z, t; \
	op         t, z, z;        \
	VPERMILPS  $0x4e, z, t;    \
	op         t, z, z;        \
	VPERMILPS  $0xb1, z, t;    \
	op         t, z, z
