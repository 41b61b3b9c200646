// Shared AVX2+FMA vector math: e^x, log x and tanh x on eight float32 lanes.
//
// Include with #include "vecmath_amd64.h" from any .s file of this package.
// Each macro is the lane-wise twin of a scalar function in kernels/vecmath.go
// (Exp32, Log32, Tanh32): same reduction, same coefficients, same operation
// order, so the accuracy proven for the Go code by cmd/ulpsweep carries over.
//
// Register contract (all arguments are YMM registers, all distinct):
//
//   EXP_AVX2(x, t0, t1, t2)       x = e^x          ≤ 1 ULP, subnormals not flushed
//   TANH_AVX2(x, t0, t1, t2, t3)  x = tanh x       ≤ 2 ULP
//   LOG_AVX2(x, t0, t1, t2)       x = log x        ≤ 1 ULP; ±0 → −Inf, <0 → NaN
//
//   x is input and output; the t registers are scratch and are clobbered.
//   No other register (general purpose or vector) is read or written, no flags
//   are changed, and memory is read only from the ·vm* constant tables below.
//   Special values follow the scalar functions: NaN → NaN, exp(+Inf) = +Inf,
//   exp(−Inf) = 0, overflow → +Inf, tanh(±Inf) = ±1, tanh(−0) = −0,
//   log(+Inf) = +Inf.
//
// Constants: 32-byte tables (the value in all eight lanes), defined with
// DATA/GLOBL in vecmath_amd64.s and visible package-wide as ·vm<Name>(SB). They
// can be used directly as the memory operand of an AVX2 instruction, or
// broadcast with VBROADCASTSS ·vm<Name>(SB), Yn.
//
// Cost per 8 lanes (FMA/MUL ops, other ALU ops; constant loads are folded
// into the instructions or plain VMOVUPS): EXP_AVX2 11 + 9; TANH_AVX2 9 +
// 1 VDIVPS + 9; LOG_AVX2 14 + 18.

// EXP_AVX2 — e^x lane-wise (kernels.Exp32).
// Clamp to [−104, 89] (NaN passes: x is the second source of VMAXPS/VMINPS),
// n = round(x·log2e) via the 1.5·2²³ shift, r = x − n·ln2 (hi/lo), e^r by a
// degree-6 polynomial, then the result scaled by 2^⌊n/2⌋ and 2^(n−⌊n/2⌋).
#define EXP_AVX2(x, t0, t1, t2) \
	VMOVUPS      ·vmExpLo(SB), t0;    \
	VMAXPS       x, t0, x;            \
	VMOVUPS      ·vmExpHi(SB), t0;    \
	VMINPS       x, t0, x;            \
	VMOVUPS      ·vmExpShift(SB), t1; \
	VFMADD231PS  ·vmLog2e(SB), x, t1; \
	VSUBPS       ·vmExpShift(SB), t1, t0; \
	VFNMADD231PS ·vmLn2Hi(SB), t0, x; \
	VFNMADD231PS ·vmLn2Lo(SB), t0, x; \
	VMOVUPS      ·vmExpC6(SB), t0;    \
	VFMADD213PS  ·vmExpC5(SB), x, t0; \
	VFMADD213PS  ·vmExpC4(SB), x, t0; \
	VFMADD213PS  ·vmExpC3(SB), x, t0; \
	VFMADD213PS  ·vmExpC2(SB), x, t0; \
	VFMADD213PS  ·vmOne(SB), x, t0;   \
	VFMADD213PS  ·vmOne(SB), x, t0;   \
	VPSLLD       $23, t1, t1;         \
	VPSRAD       $1, t1, t2;          \
	VPAND        ·vmExpFloor(SB), t2, t2; \
	VPSUBD       t2, t1, t1;          \
	VPADDD       ·vmExpBias(SB), t2, t2; \
	VPADDD       ·vmExpBias(SB), t1, t1; \
	VMULPS       t2, t0, t0;          \
	VMULPS       t1, t0, x

// TANH_AVX2 — tanh x lane-wise (kernels.Tanh32).
// a = min(|x|, 10); n = round(−2a·log2e) ≤ 0 via the shift 1.5·2²³ + 126 (its
// low bits shifted left by 23 are then 2ⁿ⁻¹); r = 2a + n·ln2 (hi part only),
// so that e^(−2a) = 2ⁿ·e^(−r); m = 1 − e^(−r) = r − r²·P(−r) (the exp
// coefficients c2–c6, odd ones negated by FMSUB); g = 2ⁿ⁻¹·m + (½ − 2ⁿ⁻¹) =
// (1 − e^(−2a))/2; tanh a = g/(1 − g); then the sign bit of x is OR-ed in
// (which also makes tanh(−0) = −0).
#define TANH_AVX2(x, t0, t1, t2, t3) \
	VANDPS       ·vmAbsMask(SB), x, t0; \
	VMOVUPS      ·vmTanhMax(SB), t1;  \
	VMINPS       t0, t1, t1;          \
	VMOVUPS      ·vmTanhShift(SB), t2; \
	VFMADD231PS  ·vmTanhL2e(SB), t1, t2; \
	VSUBPS       ·vmTanhShift(SB), t2, t3; \
	VADDPS       t1, t1, t1;          \
	VFMADD231PS  ·vmLn2Hi(SB), t3, t1; \
	VMULPS       t1, t1, t0;          \
	VMOVUPS      ·vmExpC6(SB), t3;    \
	VFMSUB213PS  ·vmExpC5(SB), t1, t3; \
	VFMADD213PS  ·vmExpC4(SB), t1, t3; \
	VFMSUB213PS  ·vmExpC3(SB), t1, t3; \
	VFMADD213PS  ·vmExpC2(SB), t1, t3; \
	VFNMADD213PS t1, t0, t3;          \
	VPSLLD       $23, t2, t2;         \
	VSUBPS       ·vmHalf(SB), t2, t1; \
	VFMSUB213PS  t1, t2, t3;          \
	VMOVUPS      ·vmOne(SB), t0;      \
	VSUBPS       t3, t0, t0;          \
	VDIVPS       t0, t3, t1;          \
	VANDPS       ·vmSignMask(SB), x, t0; \
	VORPS        t0, t1, x

// LOG_AVX2 — natural log lane-wise (kernels.Log32).
// Subnormals are scaled by 2²³ first; x = 2^e·m, m ∈ [√½, √2), f = m − 1,
// log(1+f) = f + f²·Q(f) (degree 8), result e·ln2hi + (e·ln2lo + log(1+f));
// then +Inf/NaN lanes give x, −0/+0 give −Inf, negative lanes NaN.
#define LOG_AVX2(x, t0, t1, t2) \
	VCMPPS       $1, ·vmMinNorm(SB), x, t0; \
	VMULPS       ·vmSubScale(SB), x, t1; \
	VBLENDVPS    t0, t1, x, t1;       \
	VANDPS       ·vmF23(SB), t0, t0;  \
	VPSUBD       ·vmSqrtHalf(SB), t1, t1; \
	VPSRAD       $23, t1, t2;         \
	VCVTDQ2PS    t2, t2;              \
	VSUBPS       t0, t2, t2;          \
	VPAND        ·vmMantMask(SB), t1, t1; \
	VPADDD       ·vmSqrtHalf(SB), t1, t1; \
	VSUBPS       ·vmOne(SB), t1, t1;  \
	VMOVUPS      ·vmLogC8(SB), t0;    \
	VFMADD213PS  ·vmLogC7(SB), t1, t0; \
	VFMADD213PS  ·vmLogC6(SB), t1, t0; \
	VFMADD213PS  ·vmLogC5(SB), t1, t0; \
	VFMADD213PS  ·vmLogC4(SB), t1, t0; \
	VFMADD213PS  ·vmLogC3(SB), t1, t0; \
	VFMADD213PS  ·vmLogC2(SB), t1, t0; \
	VFMADD213PS  ·vmLogC1(SB), t1, t0; \
	VFMADD213PS  ·vmLogC0(SB), t1, t0; \
	VMULPS       t1, t0, t0;          \
	VFMADD213PS  t1, t1, t0;          \
	VFMADD231PS  ·vmLn2Lo(SB), t2, t0; \
	VFMADD231PS  ·vmLn2Hi(SB), t2, t0; \
	VCMPPS       $5, ·vmPosInf(SB), x, t1; \
	VBLENDVPS    t1, x, t0, t0;       \
	VXORPS       t2, t2, t2;          \
	VCMPPS       $2, t2, x, t1;       \
	VCMPPS       $1, t2, x, t2;       \
	VANDPS       ·vmQNaNBit(SB), t2, t2; \
	VORPS        ·vmNegInf(SB), t2, t2; \
	VBLENDVPS    t1, t2, t0, x

// ---- Used by the mixture kernels (mixture_amd64.s). ----

// EXP_FTZ_AVX2(x, lo, t0, t1, t2): x = e^x lane-wise for x ≤ 88.3 (and NaN,
// −Inf), with results below 2⁻¹²⁶ flushed to +0: the same reduction and
// polynomial as EXP_AVX2, so the same result wherever e^x is a normal
// float32, but one scaling multiply instead of two and no clamps. lo is a
// 32-byte table of −87.33654 (ln 2⁻¹²⁶): lanes with x < lo give +0; NaN
// gives NaN. Cost per 8 lanes: 9 FMA/MUL + 8 other.
#define EXP_FTZ_AVX2(x, lo, t0, t1, t2) \
	VMOVUPS      ·vmExpShift(SB), t1; \
	VFMADD231PS  ·vmLog2e(SB), x, t1; \
	VSUBPS       ·vmExpShift(SB), t1, t0; \
	VCMPPS       $1, lo, x, t2;       \
	VFNMADD231PS ·vmLn2Hi(SB), t0, x; \
	VFNMADD231PS ·vmLn2Lo(SB), t0, x; \
	VMOVUPS      ·vmExpC6(SB), t0;    \
	VFMADD213PS  ·vmExpC5(SB), x, t0; \
	VFMADD213PS  ·vmExpC4(SB), x, t0; \
	VFMADD213PS  ·vmExpC3(SB), x, t0; \
	VFMADD213PS  ·vmExpC2(SB), x, t0; \
	VFMADD213PS  ·vmOne(SB), x, t0;   \
	VFMADD213PS  ·vmOne(SB), x, t0;   \
	VPSLLD       $23, t1, t1;         \
	VPADDD       ·vmExpBias(SB), t1, t1; \
	VMULPS       t1, t0, x;           \
	VANDNPS      x, t2, x

// ---- Used by the tanh loop (vecmath_amd64.s). ----

// EXP_RES_AVX2(x, t0, t1, t2, lo, hi, shift, l2e, ln2hi, ln2lo, c5, c4, c3,
// c2, one, bias): x = e^x lane-wise with twelve constants resident in
// registers for a loop (the caller loads them once): lo ·vmExpLo, hi
// ·vmExpHi, shift ·vmExpShift, l2e ·vmLog2e, ln2hi ·vmLn2Hi, ln2lo
// ·vmLn2Lo, c5–c2 ·vmExpC5–·vmExpC2, one ·vmOne, bias ·vmExpBias; they are
// only read. Any of them but lo, hi and shift may be the table itself (a
// memory operand) where registers are short. Per lane exactly the operations of EXP_AVX2 in the same order
// (the clamps keep x as their second source, so NaN passes), so the
// results are bit-identical. Cost per 8 lanes: 11 FMA/MUL + 9 other, 2
// constant loads.
#define EXP_RES_AVX2(x, t0, t1, t2, lo, hi, shift, l2e, ln2hi, ln2lo, c5, c4, c3, c2, one, bias) \
	VMAXPS       x, lo, x;               \
	VMINPS       x, hi, x;               \
	VMOVAPS      shift, t1;              \
	VFMADD231PS  l2e, x, t1;             \
	VSUBPS       shift, t1, t0;          \
	VFNMADD231PS ln2hi, t0, x;           \
	VFNMADD231PS ln2lo, t0, x;           \
	VMOVUPS      ·vmExpC6(SB), t0;       \
	VFMADD213PS  c5, x, t0;              \
	VFMADD213PS  c4, x, t0;              \
	VFMADD213PS  c3, x, t0;              \
	VFMADD213PS  c2, x, t0;              \
	VFMADD213PS  one, x, t0;             \
	VFMADD213PS  one, x, t0;             \
	VPSLLD       $23, t1, t1;            \
	VPSRAD       $1, t1, t2;             \
	VPAND        ·vmExpFloor(SB), t2, t2; \
	VPSUBD       t2, t1, t1;             \
	VPADDD       bias, t2, t2;           \
	VPADDD       bias, t1, t1;           \
	VMULPS       t2, t0, t0;             \
	VMULPS       t1, t0, x

// TANH_RES_AVX2(x, t0, t1, t2, t3, one, abs, shift, max, half, l2e, ln2, c5,
// c4, c3, c2): x = tanh x lane-wise with eleven constants resident in
// registers for a loop (the caller loads them once): one ·vmOne, abs
// ·vmAbsMask, shift ·vmTanhShift, max ·vmTanhMax, half ·vmHalf, l2e
// ·vmTanhL2e, ln2 ·vmLn2Hi, c5–c2 ·vmExpC5–·vmExpC2; they are only read.
// Per lane exactly the operations of TANH_AVX2 in the same order (the sign
// bit is taken as x AND NOT abs, the same bits as x AND ·vmSignMask), so the
// results are bit-identical. Cost per 8 lanes: 9 FMA/MUL + 1 VDIVPS + 9
// other, 1 constant load.
#define TANH_RES_AVX2(x, t0, t1, t2, t3, one, abs, shift, max, half, l2e, ln2, c5, c4, c3, c2) \
	VANDPS       abs, x, t0;            \
	VMINPS       t0, max, t1;           \
	VMOVAPS      shift, t2;             \
	VFMADD231PS  l2e, t1, t2;           \
	VSUBPS       shift, t2, t3;         \
	VADDPS       t1, t1, t1;            \
	VFMADD231PS  ln2, t3, t1;           \
	VMULPS       t1, t1, t0;            \
	VMOVUPS      ·vmExpC6(SB), t3;      \
	VFMSUB213PS  c5, t1, t3;            \
	VFMADD213PS  c4, t1, t3;            \
	VFMSUB213PS  c3, t1, t3;            \
	VFMADD213PS  c2, t1, t3;            \
	VFNMADD213PS t1, t0, t3;            \
	VPSLLD       $23, t2, t2;           \
	VSUBPS       half, t2, t1;          \
	VFMSUB213PS  t1, t2, t3;            \
	VSUBPS       t3, one, t0;           \
	VDIVPS       t0, t3, t1;            \
	VANDNPS      x, abs, t0;            \
	VORPS        t0, t1, x
