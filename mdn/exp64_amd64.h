// math.Exp in the four float64 lanes of a YMM register (EXP64), the
// operations of the FMA branch of its amd64 assembly in their order, for
// the density kernel, expVec (density_amd64.s) and the mode kernel
// (mode_amd64.s), and the offsets of the constants they read from
// expConst4 (density_amd64.go).

// expConst4, byte offsets
#define E_LOG2E 0
#define E_LN2U 32
#define E_LN2L 64
#define E_SIXTEENTH 96
#define E_T8 128
#define E_T7 160
#define E_T6 192
#define E_T5 224
#define E_T4 256
#define E_T3 288
#define E_HALF 320
#define E_ONE 352
#define E_TWO 384
#define E_OVER 416
#define E_TINY 448
#define E_INF 480
#define E_NHALF 512
#define E_ISQ2PI 544
#define E_B1023 576
#define E_B3FE 608
#define E_B7FE 640
#define E_M53 672
#define E_XMIN 704
#define E_XMAX 736
#define E_M52 768
#define E_EIGHT 800
#define E_MOVED 832
#define E_ABS 864
#define E_SIGN 896

// EXP64(x, r, t0, t1, t1x, t2, t3): r = math.Exp(x) lane-wise; t0–t3
// scratch (t1x is t1's low half); R9 holds ·expConst4. x = e·ln 2 + r
// with e = round(x·log₂e) (fused multiply-adds with ln 2 in two parts),
// e^(r/16) − 1 by Taylor's series, squared four times as
// y ← y·(y + 2), plus 1, then scaled by 2^e: in one multiplication where
// 2^e is normal (biased exponent b = e + 1023 in 1 … 0x7fe), in two
// (2^(e+1022), then 2⁻¹⁰²²) where b is in −52 … 0, 0 below, +Inf above or
// where x > 709.78…; a NaN x is returned as it is. The computation runs on
// x clamped to [−746, 710], and the lanes it sets to 0 skip the second
// multiplication: both change no result (every x below −746 gives 0, and
// every x above 709.78… +Inf), but keep subnormal numbers out of the
// lanes whose result is 0 or +Inf. An operation with a subnormal operand
// or result can take a hundred cycles or more (on AMD's Zen 3 the
// exponential of arguments below −746 took 1.7 times as long as of those
// in −50 … 0); a subnormal result itself, for x in −745.13… … −708.40…,
// still does.
#define EXP64(x, r, t0, t1, t1x, t2, t3) \
	VMAXPD       E_XMIN(R9), x, r;      \
	VMINPD       E_XMAX(R9), r, r;      \
	VMULPD       E_LOG2E(R9), r, t0;    \
	VCVTPD2DQY   t0, t1x;               \
	VCVTDQ2PD    t1x, t0;               \
	VFNMADD231PD E_LN2U(R9), t0, r;     \
	VFNMADD231PD E_LN2L(R9), t0, r;     \
	VMULPD       E_SIXTEENTH(R9), r, r; \
	VMOVUPD      E_T8(R9), t0;          \
	VFMADD213PD  E_T7(R9), r, t0;       \
	VFMADD213PD  E_T6(R9), r, t0;       \
	VFMADD213PD  E_T5(R9), r, t0;       \
	VFMADD213PD  E_T4(R9), r, t0;       \
	VFMADD213PD  E_T3(R9), r, t0;       \
	VFMADD213PD  E_HALF(R9), r, t0;     \
	VFMADD213PD  E_ONE(R9), r, t0;      \
	VMULPD       t0, r, r;              \
	VADDPD       E_TWO(R9), r, t0;      \
	VMULPD       t0, r, r;              \
	VADDPD       E_TWO(R9), r, t0;      \
	VMULPD       t0, r, r;              \
	VADDPD       E_TWO(R9), r, t0;      \
	VMULPD       t0, r, r;              \
	VADDPD       E_TWO(R9), r, t0;      \
	VFMADD213PD  E_ONE(R9), t0, r;      \
	VPMOVSXDQ    t1x, t1;               \
	VPADDQ       E_B1023(R9), t1, t1;   \
	VPSLLQ       $52, t1, t2;           \
	VPADDQ       E_B3FE(R9), t1, t3;    \
	VPSLLQ       $52, t3, t3;           \
	VPXOR        t0, t0, t0;            \
	VPCMPGTQ     t0, t1, t0;            \
	VBLENDVPD    t0, t2, t3, t2;        \
	VMULPD       t2, r, r;              \
	VMOVUPD      E_TINY(R9), t2;        \
	VBLENDVPD    t0, E_ONE(R9), t2, t2; \
	VMOVDQU      E_M52(R9), t3;         \
	VPCMPGTQ     t1, t3, t3;            \
	VBLENDVPD    t3, E_ONE(R9), t2, t2; \
	VMULPD       t2, r, r;              \
	VPCMPGTQ     E_M53(R9), t1, t0;     \
	VANDPD       t0, r, r;              \
	VPCMPGTQ     E_B7FE(R9), t1, t0;    \
	VCMPPD       $0x1e, E_OVER(R9), x, t2; \
	VORPD        t2, t0, t0;            \
	VBLENDVPD    t0, E_INF(R9), r, r;   \
	VCMPPD       $0x03, x, x, t0;       \
	VBLENDVPD    t0, x, r, r
