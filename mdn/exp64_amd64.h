// math.Exp in the four float64 lanes of a YMM register (EXP64), the
// operations of the FMA branch of its amd64 assembly in their order, for
// the density kernel, expVec (density_amd64.s) and the mode kernel
// (mode_amd64.s); the same in the eight lanes of a ZMM register (EXP64Z,
// density_avx512_amd64.s); and the offsets of the constants they read
// from expConst4 (density_amd64.go).

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
#define E_F1023 928
#define E_C100 960
#define E_LANEBIT 992
#define E_FM1076 1024

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

// EXP64Z(x, r, e, ey, t, ka, kb): r = math.Exp(x) in the eight float64
// lanes of ZMM registers; e and t scratch (ey is e's low half), and the
// mask registers ka and kb; R9
// holds ·expConst4, whose constants it broadcasts. The operations are
// EXP64's up to e^r, then one VSCALEFPD (r·2^e, rounded once) in place of
// its one or two multiplications and its zeroing: the bits are the same,
// since r·2^(e+1022) is exact where EXP64 takes two steps, so its second
// is the only rounding, and for e ≤ −1076 (b ≤ −53) r·2^e is below half
// the smallest subnormal number, so it rounds to 0: those lanes are masked
// off the VSCALEFPD (ka) and zeroed instead, as an underflowing VSCALEFPD
// takes a microcode assist of the whole vector on Intel cores (about 70
// ns for VSCALEFPS, measured on a Xeon of family 6 model 207), and the
// density's far grid points and the mode's far components are such
// lanes. Subnormal results (e from −1075 to −1023) still take it. +Inf
// where e > 1023 or x > 709.78…, and a NaN x is returned as it is, as in
// EXP64.
#define EXP64Z(x, r, e, ey, t, ka, kb) \
	VMAXPD.BCST       E_XMIN(R9), x, r;        \
	VMINPD.BCST       E_XMAX(R9), r, r;        \
	VMULPD.BCST       E_LOG2E(R9), r, e;       \
	VCVTPD2DQ         e, ey;                   \
	VCVTDQ2PD         ey, e;                   \
	VFNMADD231PD.BCST E_LN2U(R9), e, r;        \
	VFNMADD231PD.BCST E_LN2L(R9), e, r;        \
	VMULPD.BCST       E_SIXTEENTH(R9), r, r;   \
	VBROADCASTSD      E_T8(R9), t;             \
	VFMADD213PD.BCST  E_T7(R9), r, t;          \
	VFMADD213PD.BCST  E_T6(R9), r, t;          \
	VFMADD213PD.BCST  E_T5(R9), r, t;          \
	VFMADD213PD.BCST  E_T4(R9), r, t;          \
	VFMADD213PD.BCST  E_T3(R9), r, t;          \
	VFMADD213PD.BCST  E_HALF(R9), r, t;        \
	VFMADD213PD.BCST  E_ONE(R9), r, t;         \
	VMULPD            t, r, r;                 \
	VADDPD.BCST       E_TWO(R9), r, t;         \
	VMULPD            t, r, r;                 \
	VADDPD.BCST       E_TWO(R9), r, t;         \
	VMULPD            t, r, r;                 \
	VADDPD.BCST       E_TWO(R9), r, t;         \
	VMULPD            t, r, r;                 \
	VADDPD.BCST       E_TWO(R9), r, t;         \
	VFMADD213PD.BCST  E_ONE(R9), t, r;         \
	VCMPPD.BCST       $0x1e, E_FM1076(R9), e, ka; \
	VSCALEFPD.Z       e, r, ka, r;             \
	VCMPPD.BCST       $0x1e, E_F1023(R9), e, ka; \
	VCMPPD.BCST       $0x1e, E_OVER(R9), x, kb;  \
	KORB              ka, kb, ka;              \
	VBROADCASTSD      E_INF(R9), ka, r;        \
	VCMPPD            $0x03, x, x, ka;         \
	VMOVAPD           x, ka, r

// EXP64ZX2(xa, ra, …, xb, rb, …): EXP64Z twice, on independent registers,
// the two sequences' instructions interleaved one by one.
#define EXP64ZX2(xa, ra, ea, eya, ta, kaa, kba, xb, rb, eb, eyb, tb, kab, kbb) \
	VMAXPD.BCST       E_XMIN(R9), xa, ra \
	VMAXPD.BCST       E_XMIN(R9), xb, rb \
	VMINPD.BCST       E_XMAX(R9), ra, ra \
	VMINPD.BCST       E_XMAX(R9), rb, rb \
	VMULPD.BCST       E_LOG2E(R9), ra, ea \
	VMULPD.BCST       E_LOG2E(R9), rb, eb \
	VCVTPD2DQ         ea, eya \
	VCVTPD2DQ         eb, eyb \
	VCVTDQ2PD         eya, ea \
	VCVTDQ2PD         eyb, eb \
	VFNMADD231PD.BCST E_LN2U(R9), ea, ra \
	VFNMADD231PD.BCST E_LN2U(R9), eb, rb \
	VFNMADD231PD.BCST E_LN2L(R9), ea, ra \
	VFNMADD231PD.BCST E_LN2L(R9), eb, rb \
	VMULPD.BCST       E_SIXTEENTH(R9), ra, ra \
	VMULPD.BCST       E_SIXTEENTH(R9), rb, rb \
	VBROADCASTSD      E_T8(R9), ta \
	VBROADCASTSD      E_T8(R9), tb \
	VFMADD213PD.BCST  E_T7(R9), ra, ta \
	VFMADD213PD.BCST  E_T7(R9), rb, tb \
	VFMADD213PD.BCST  E_T6(R9), ra, ta \
	VFMADD213PD.BCST  E_T6(R9), rb, tb \
	VFMADD213PD.BCST  E_T5(R9), ra, ta \
	VFMADD213PD.BCST  E_T5(R9), rb, tb \
	VFMADD213PD.BCST  E_T4(R9), ra, ta \
	VFMADD213PD.BCST  E_T4(R9), rb, tb \
	VFMADD213PD.BCST  E_T3(R9), ra, ta \
	VFMADD213PD.BCST  E_T3(R9), rb, tb \
	VFMADD213PD.BCST  E_HALF(R9), ra, ta \
	VFMADD213PD.BCST  E_HALF(R9), rb, tb \
	VFMADD213PD.BCST  E_ONE(R9), ra, ta \
	VFMADD213PD.BCST  E_ONE(R9), rb, tb \
	VMULPD            ta, ra, ra \
	VMULPD            tb, rb, rb \
	VADDPD.BCST       E_TWO(R9), ra, ta \
	VADDPD.BCST       E_TWO(R9), rb, tb \
	VMULPD            ta, ra, ra \
	VMULPD            tb, rb, rb \
	VADDPD.BCST       E_TWO(R9), ra, ta \
	VADDPD.BCST       E_TWO(R9), rb, tb \
	VMULPD            ta, ra, ra \
	VMULPD            tb, rb, rb \
	VADDPD.BCST       E_TWO(R9), ra, ta \
	VADDPD.BCST       E_TWO(R9), rb, tb \
	VMULPD            ta, ra, ra \
	VMULPD            tb, rb, rb \
	VADDPD.BCST       E_TWO(R9), ra, ta \
	VADDPD.BCST       E_TWO(R9), rb, tb \
	VFMADD213PD.BCST  E_ONE(R9), ta, ra \
	VFMADD213PD.BCST  E_ONE(R9), tb, rb \
	VCMPPD.BCST       $0x1e, E_FM1076(R9), ea, kaa \
	VCMPPD.BCST       $0x1e, E_FM1076(R9), eb, kab \
	VSCALEFPD.Z       ea, ra, kaa, ra \
	VSCALEFPD.Z       eb, rb, kab, rb \
	VCMPPD.BCST       $0x1e, E_F1023(R9), ea, kaa \
	VCMPPD.BCST       $0x1e, E_F1023(R9), eb, kab \
	VCMPPD.BCST       $0x1e, E_OVER(R9), xa, kba \
	VCMPPD.BCST       $0x1e, E_OVER(R9), xb, kbb \
	KORB              kaa, kba, kaa \
	KORB              kab, kbb, kab \
	VBROADCASTSD      E_INF(R9), kaa, ra \
	VBROADCASTSD      E_INF(R9), kab, rb \
	VCMPPD            $0x03, xa, xa, kaa \
	VCMPPD            $0x03, xb, xb, kab \
	VMOVAPD           xa, kaa, ra \
	VMOVAPD           xb, kab, rb

#define EXP64ZX4(xa, ra, ea, eya, ta, kaa, kba, xb, rb, eb, eyb, tb, kab, kbb, xc, rc, ec, eyc, tc, kac, kbc, xd, rd, ed, eyd, td, kad, kbd) \
	VMAXPD.BCST       E_XMIN(R9), xa, ra \
	VMAXPD.BCST       E_XMIN(R9), xb, rb \
	VMAXPD.BCST       E_XMIN(R9), xc, rc \
	VMAXPD.BCST       E_XMIN(R9), xd, rd \
	VMINPD.BCST       E_XMAX(R9), ra, ra \
	VMINPD.BCST       E_XMAX(R9), rb, rb \
	VMINPD.BCST       E_XMAX(R9), rc, rc \
	VMINPD.BCST       E_XMAX(R9), rd, rd \
	VMULPD.BCST       E_LOG2E(R9), ra, ea \
	VMULPD.BCST       E_LOG2E(R9), rb, eb \
	VMULPD.BCST       E_LOG2E(R9), rc, ec \
	VMULPD.BCST       E_LOG2E(R9), rd, ed \
	VCVTPD2DQ         ea, eya \
	VCVTPD2DQ         eb, eyb \
	VCVTPD2DQ         ec, eyc \
	VCVTPD2DQ         ed, eyd \
	VCVTDQ2PD         eya, ea \
	VCVTDQ2PD         eyb, eb \
	VCVTDQ2PD         eyc, ec \
	VCVTDQ2PD         eyd, ed \
	VFNMADD231PD.BCST E_LN2U(R9), ea, ra \
	VFNMADD231PD.BCST E_LN2U(R9), eb, rb \
	VFNMADD231PD.BCST E_LN2U(R9), ec, rc \
	VFNMADD231PD.BCST E_LN2U(R9), ed, rd \
	VFNMADD231PD.BCST E_LN2L(R9), ea, ra \
	VFNMADD231PD.BCST E_LN2L(R9), eb, rb \
	VFNMADD231PD.BCST E_LN2L(R9), ec, rc \
	VFNMADD231PD.BCST E_LN2L(R9), ed, rd \
	VMULPD.BCST       E_SIXTEENTH(R9), ra, ra \
	VMULPD.BCST       E_SIXTEENTH(R9), rb, rb \
	VMULPD.BCST       E_SIXTEENTH(R9), rc, rc \
	VMULPD.BCST       E_SIXTEENTH(R9), rd, rd \
	VBROADCASTSD      E_T8(R9), ta \
	VBROADCASTSD      E_T8(R9), tb \
	VBROADCASTSD      E_T8(R9), tc \
	VBROADCASTSD      E_T8(R9), td \
	VFMADD213PD.BCST  E_T7(R9), ra, ta \
	VFMADD213PD.BCST  E_T7(R9), rb, tb \
	VFMADD213PD.BCST  E_T7(R9), rc, tc \
	VFMADD213PD.BCST  E_T7(R9), rd, td \
	VFMADD213PD.BCST  E_T6(R9), ra, ta \
	VFMADD213PD.BCST  E_T6(R9), rb, tb \
	VFMADD213PD.BCST  E_T6(R9), rc, tc \
	VFMADD213PD.BCST  E_T6(R9), rd, td \
	VFMADD213PD.BCST  E_T5(R9), ra, ta \
	VFMADD213PD.BCST  E_T5(R9), rb, tb \
	VFMADD213PD.BCST  E_T5(R9), rc, tc \
	VFMADD213PD.BCST  E_T5(R9), rd, td \
	VFMADD213PD.BCST  E_T4(R9), ra, ta \
	VFMADD213PD.BCST  E_T4(R9), rb, tb \
	VFMADD213PD.BCST  E_T4(R9), rc, tc \
	VFMADD213PD.BCST  E_T4(R9), rd, td \
	VFMADD213PD.BCST  E_T3(R9), ra, ta \
	VFMADD213PD.BCST  E_T3(R9), rb, tb \
	VFMADD213PD.BCST  E_T3(R9), rc, tc \
	VFMADD213PD.BCST  E_T3(R9), rd, td \
	VFMADD213PD.BCST  E_HALF(R9), ra, ta \
	VFMADD213PD.BCST  E_HALF(R9), rb, tb \
	VFMADD213PD.BCST  E_HALF(R9), rc, tc \
	VFMADD213PD.BCST  E_HALF(R9), rd, td \
	VFMADD213PD.BCST  E_ONE(R9), ra, ta \
	VFMADD213PD.BCST  E_ONE(R9), rb, tb \
	VFMADD213PD.BCST  E_ONE(R9), rc, tc \
	VFMADD213PD.BCST  E_ONE(R9), rd, td \
	VMULPD            ta, ra, ra \
	VMULPD            tb, rb, rb \
	VMULPD            tc, rc, rc \
	VMULPD            td, rd, rd \
	VADDPD.BCST       E_TWO(R9), ra, ta \
	VADDPD.BCST       E_TWO(R9), rb, tb \
	VADDPD.BCST       E_TWO(R9), rc, tc \
	VADDPD.BCST       E_TWO(R9), rd, td \
	VMULPD            ta, ra, ra \
	VMULPD            tb, rb, rb \
	VMULPD            tc, rc, rc \
	VMULPD            td, rd, rd \
	VADDPD.BCST       E_TWO(R9), ra, ta \
	VADDPD.BCST       E_TWO(R9), rb, tb \
	VADDPD.BCST       E_TWO(R9), rc, tc \
	VADDPD.BCST       E_TWO(R9), rd, td \
	VMULPD            ta, ra, ra \
	VMULPD            tb, rb, rb \
	VMULPD            tc, rc, rc \
	VMULPD            td, rd, rd \
	VADDPD.BCST       E_TWO(R9), ra, ta \
	VADDPD.BCST       E_TWO(R9), rb, tb \
	VADDPD.BCST       E_TWO(R9), rc, tc \
	VADDPD.BCST       E_TWO(R9), rd, td \
	VMULPD            ta, ra, ra \
	VMULPD            tb, rb, rb \
	VMULPD            tc, rc, rc \
	VMULPD            td, rd, rd \
	VADDPD.BCST       E_TWO(R9), ra, ta \
	VADDPD.BCST       E_TWO(R9), rb, tb \
	VADDPD.BCST       E_TWO(R9), rc, tc \
	VADDPD.BCST       E_TWO(R9), rd, td \
	VFMADD213PD.BCST  E_ONE(R9), ta, ra \
	VFMADD213PD.BCST  E_ONE(R9), tb, rb \
	VFMADD213PD.BCST  E_ONE(R9), tc, rc \
	VFMADD213PD.BCST  E_ONE(R9), td, rd \
	VCMPPD.BCST       $0x1e, E_FM1076(R9), ea, kaa \
	VCMPPD.BCST       $0x1e, E_FM1076(R9), eb, kab \
	VCMPPD.BCST       $0x1e, E_FM1076(R9), ec, kac \
	VCMPPD.BCST       $0x1e, E_FM1076(R9), ed, kad \
	VSCALEFPD.Z       ea, ra, kaa, ra \
	VSCALEFPD.Z       eb, rb, kab, rb \
	VSCALEFPD.Z       ec, rc, kac, rc \
	VSCALEFPD.Z       ed, rd, kad, rd \
	VCMPPD.BCST       $0x1e, E_F1023(R9), ea, kaa \
	VCMPPD.BCST       $0x1e, E_F1023(R9), eb, kab \
	VCMPPD.BCST       $0x1e, E_F1023(R9), ec, kac \
	VCMPPD.BCST       $0x1e, E_F1023(R9), ed, kad \
	VCMPPD.BCST       $0x1e, E_OVER(R9), xa, kba \
	VCMPPD.BCST       $0x1e, E_OVER(R9), xb, kbb \
	VCMPPD.BCST       $0x1e, E_OVER(R9), xc, kbc \
	VCMPPD.BCST       $0x1e, E_OVER(R9), xd, kbd \
	KORB              kaa, kba, kaa \
	KORB              kab, kbb, kab \
	KORB              kac, kbc, kac \
	KORB              kad, kbd, kad \
	VBROADCASTSD      E_INF(R9), kaa, ra \
	VBROADCASTSD      E_INF(R9), kab, rb \
	VBROADCASTSD      E_INF(R9), kac, rc \
	VBROADCASTSD      E_INF(R9), kad, rd \
	VCMPPD            $0x03, xa, xa, kaa \
	VCMPPD            $0x03, xb, xb, kab \
	VCMPPD            $0x03, xc, xc, kac \
	VCMPPD            $0x03, xd, xd, kad \
	VMOVAPD           xa, kaa, ra \
	VMOVAPD           xb, kab, rb \
	VMOVAPD           xc, kac, rc \
	VMOVAPD           xd, kad, rd
