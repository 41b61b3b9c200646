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

// EXP64X2(xa, ra, …, xb, rb, …): EXP64 twice, on independent registers,
// the two sequences' instructions interleaved one by one. On AMD's Zen 3
// a loop of it ran 17% faster than one of EXP64 (11.8 against 14.1 ns a
// vector of four), where placing the two sequences one after the other
// gained nothing: presumably its small floating-point scheduler fills
// with one exponential's chain of dependent operations, and holds two
// chains' ready ones only when they come interleaved.
#define EXP64X2(xa, ra, t0a, t1a, t1xa, t2a, t3a, xb, rb, t0b, t1b, t1xb, t2b, t3b) \
	VMAXPD       E_XMIN(R9), xa, ra; \
	VMAXPD       E_XMIN(R9), xb, rb; \
	VMINPD       E_XMAX(R9), ra, ra; \
	VMINPD       E_XMAX(R9), rb, rb; \
	VMULPD       E_LOG2E(R9), ra, t0a; \
	VMULPD       E_LOG2E(R9), rb, t0b; \
	VCVTPD2DQY   t0a, t1xa; \
	VCVTPD2DQY   t0b, t1xb; \
	VCVTDQ2PD    t1xa, t0a; \
	VCVTDQ2PD    t1xb, t0b; \
	VFNMADD231PD E_LN2U(R9), t0a, ra; \
	VFNMADD231PD E_LN2U(R9), t0b, rb; \
	VFNMADD231PD E_LN2L(R9), t0a, ra; \
	VFNMADD231PD E_LN2L(R9), t0b, rb; \
	VMULPD       E_SIXTEENTH(R9), ra, ra; \
	VMULPD       E_SIXTEENTH(R9), rb, rb; \
	VMOVUPD      E_T8(R9), t0a; \
	VMOVUPD      E_T8(R9), t0b; \
	VFMADD213PD  E_T7(R9), ra, t0a; \
	VFMADD213PD  E_T7(R9), rb, t0b; \
	VFMADD213PD  E_T6(R9), ra, t0a; \
	VFMADD213PD  E_T6(R9), rb, t0b; \
	VFMADD213PD  E_T5(R9), ra, t0a; \
	VFMADD213PD  E_T5(R9), rb, t0b; \
	VFMADD213PD  E_T4(R9), ra, t0a; \
	VFMADD213PD  E_T4(R9), rb, t0b; \
	VFMADD213PD  E_T3(R9), ra, t0a; \
	VFMADD213PD  E_T3(R9), rb, t0b; \
	VFMADD213PD  E_HALF(R9), ra, t0a; \
	VFMADD213PD  E_HALF(R9), rb, t0b; \
	VFMADD213PD  E_ONE(R9), ra, t0a; \
	VFMADD213PD  E_ONE(R9), rb, t0b; \
	VMULPD       t0a, ra, ra; \
	VMULPD       t0b, rb, rb; \
	VADDPD       E_TWO(R9), ra, t0a; \
	VADDPD       E_TWO(R9), rb, t0b; \
	VMULPD       t0a, ra, ra; \
	VMULPD       t0b, rb, rb; \
	VADDPD       E_TWO(R9), ra, t0a; \
	VADDPD       E_TWO(R9), rb, t0b; \
	VMULPD       t0a, ra, ra; \
	VMULPD       t0b, rb, rb; \
	VADDPD       E_TWO(R9), ra, t0a; \
	VADDPD       E_TWO(R9), rb, t0b; \
	VMULPD       t0a, ra, ra; \
	VMULPD       t0b, rb, rb; \
	VADDPD       E_TWO(R9), ra, t0a; \
	VADDPD       E_TWO(R9), rb, t0b; \
	VFMADD213PD  E_ONE(R9), t0a, ra; \
	VFMADD213PD  E_ONE(R9), t0b, rb; \
	VPMOVSXDQ    t1xa, t1a; \
	VPMOVSXDQ    t1xb, t1b; \
	VPADDQ       E_B1023(R9), t1a, t1a; \
	VPADDQ       E_B1023(R9), t1b, t1b; \
	VPSLLQ       $52, t1a, t2a; \
	VPSLLQ       $52, t1b, t2b; \
	VPADDQ       E_B3FE(R9), t1a, t3a; \
	VPADDQ       E_B3FE(R9), t1b, t3b; \
	VPSLLQ       $52, t3a, t3a; \
	VPSLLQ       $52, t3b, t3b; \
	VPXOR        t0a, t0a, t0a; \
	VPXOR        t0b, t0b, t0b; \
	VPCMPGTQ     t0a, t1a, t0a; \
	VPCMPGTQ     t0b, t1b, t0b; \
	VBLENDVPD    t0a, t2a, t3a, t2a; \
	VBLENDVPD    t0b, t2b, t3b, t2b; \
	VMULPD       t2a, ra, ra; \
	VMULPD       t2b, rb, rb; \
	VMOVUPD      E_TINY(R9), t2a; \
	VMOVUPD      E_TINY(R9), t2b; \
	VBLENDVPD    t0a, E_ONE(R9), t2a, t2a; \
	VBLENDVPD    t0b, E_ONE(R9), t2b, t2b; \
	VMOVDQU      E_M52(R9), t3a; \
	VMOVDQU      E_M52(R9), t3b; \
	VPCMPGTQ     t1a, t3a, t3a; \
	VPCMPGTQ     t1b, t3b, t3b; \
	VBLENDVPD    t3a, E_ONE(R9), t2a, t2a; \
	VBLENDVPD    t3b, E_ONE(R9), t2b, t2b; \
	VMULPD       t2a, ra, ra; \
	VMULPD       t2b, rb, rb; \
	VPCMPGTQ     E_M53(R9), t1a, t0a; \
	VPCMPGTQ     E_M53(R9), t1b, t0b; \
	VANDPD       t0a, ra, ra; \
	VANDPD       t0b, rb, rb; \
	VPCMPGTQ     E_B7FE(R9), t1a, t0a; \
	VPCMPGTQ     E_B7FE(R9), t1b, t0b; \
	VCMPPD       $0x1e, E_OVER(R9), xa, t2a; \
	VCMPPD       $0x1e, E_OVER(R9), xb, t2b; \
	VORPD        t2a, t0a, t0a; \
	VORPD        t2b, t0b, t0b; \
	VBLENDVPD    t0a, E_INF(R9), ra, ra; \
	VBLENDVPD    t0b, E_INF(R9), rb, rb; \
	VCMPPD       $0x03, xa, xa, t0a; \
	VCMPPD       $0x03, xb, xb, t0b; \
	VBLENDVPD    t0a, xa, ra, ra; \
	VBLENDVPD    t0b, xb, rb, rb
