//go:build !purego

#include "textflag.h"
#include "go_asm.h"

// Density on avx2fma (density_amd64.go): math.Exp in four float64 lanes,
// the operations of the FMA branch of its amd64 assembly in their order.

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

// EXP64(x, r, t0, t1, t1x, t2, t3): r = math.Exp(x) lane-wise; t0–t3
// scratch (t1x is t1's low half); R9 holds ·expConst4. x = e·ln 2 + r
// with e = round(x·log₂e) (fused multiply-adds with ln 2 in two parts),
// e^(r/16) − 1 by Taylor's series, squared four times as
// y ← y·(y + 2), plus 1, then scaled by 2^e: in one multiplication where
// 2^e is normal (biased exponent b = e + 1023 in 1 … 0x7fe), in two
// (2^(e+1022), then 2⁻¹⁰²²) where b is in −52 … 0, 0 below, +Inf above or
// where x > 709.78…; a NaN x is returned as it is.
#define EXP64(x, r, t0, t1, t1x, t2, t3) \
	VMULPD       E_LOG2E(R9), x, t0;    \
	VCVTPD2DQY   t0, t1x;               \
	VCVTDQ2PD    t1x, t0;               \
	VMOVAPD      x, r;                  \
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
	VMULPD       t2, r, r;              \
	VPCMPGTQ     E_M53(R9), t1, t0;     \
	VANDPD       t0, r, r;              \
	VPCMPGTQ     E_B7FE(R9), t1, t0;    \
	VCMPPD       $0x1e, E_OVER(R9), x, t2; \
	VORPD        t2, t0, t0;            \
	VBLENDVPD    t0, E_INF(R9), r, r;   \
	VCMPPD       $0x03, x, x, t0;       \
	VBLENDVPD    t0, x, r, r

// func densityAVX2(dst, grid *float32, n int, cs *comp, k, stride int)
//
// Per group of four grid points y: p = Σ_c (w/σ)_c·exp(−½·z²), z =
// (y − μ_c)·(1/σ)_c, then float32(p/√(2π)) to dst, stride floats apart.
TEXT ·densityAVX2(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), DI
	MOVQ grid+8(FP), SI
	MOVQ n+16(FP), DX
	MOVQ cs+24(FP), R8
	MOVQ k+32(FP), R10
	MOVQ stride+40(FP), R11
	SHLQ $2, R11 // the stride in bytes
	LEAQ ·expConst4(SB), R9

points:
	VCVTPS2PD (SI), Y0 // y
	VXORPD    Y1, Y1, Y1 // p
	MOVQ      R8, AX
	MOVQ      R10, CX

comps:
	VBROADCASTSD comp_m(AX), Y2
	VSUBPD       Y2, Y0, Y2         // y − μ
	VBROADCASTSD comp_inv(AX), Y3
	VMULPD       Y3, Y2, Y2         // z
	VMULPD       E_NHALF(R9), Y2, Y4
	VMULPD       Y2, Y4, Y4         // −½·z·z
	EXP64(Y4, Y5, Y6, Y7, X7, Y8, Y9)
	VBROADCASTSD comp_wi(AX), Y3
	VMULPD       Y3, Y5, Y5
	VADDPD       Y5, Y1, Y1
	ADDQ         $comp__size, AX
	DECQ         CX
	JNZ          comps

	VMULPD     E_ISQ2PI(R9), Y1, Y1
	VCVTPD2PSY Y1, X1
	VMOVSS     X1, (DI)
	VEXTRACTPS $1, X1, (DI)(R11*1)
	LEAQ       (DI)(R11*2), BX
	VEXTRACTPS $2, X1, (BX)
	VEXTRACTPS $3, X1, (BX)(R11*1)
	LEAQ       (BX)(R11*2), DI
	ADDQ       $16, SI
	SUBQ       $4, DX
	JNZ        points
	VZEROUPPER
	RET

// func exp64AVX2(dst, x *float64, n int)
TEXT ·exp64AVX2(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	LEAQ ·expConst4(SB), R9

exps:
	VMOVUPD (SI), Y0
	EXP64(Y0, Y1, Y2, Y3, X3, Y4, Y5)
	VMOVUPD Y1, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	SUBQ    $4, CX
	JNZ     exps
	VZEROUPPER
	RET
