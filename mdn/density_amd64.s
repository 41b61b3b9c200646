//go:build !purego

#include "textflag.h"
#include "go_asm.h"
#include "exp64_amd64.h"

// Density on avx2fma (density_amd64.go), and math.Exp in four float64
// lanes (EXP64 and EXP64X2 in exp64_amd64.h).

// DSTORE(y, x): the four points' p = y (x its low half) as
// float32(p/√(2π)) to DI, R11 bytes apart, and DI past them.
#define DSTORE(y, x) \
	VMULPD     E_ISQ2PI(R9), y, y; \
	VCVTPD2PSY y, x;               \
	VMOVSS     x, (DI);            \
	VEXTRACTPS $1, x, (DI)(R11*1); \
	LEAQ       (DI)(R11*2), BX;    \
	VEXTRACTPS $2, x, (BX);        \
	VEXTRACTPS $3, x, (BX)(R11*1); \
	LEAQ       (BX)(R11*2), DI

// func densityAVX2(dst, grid *float32, n int, cs *comp, k, stride int)
//
// Per group of four grid points y: p = Σ_c (w/σ)_c·exp(−½·z²), z =
// (y − μ_c)·(1/σ)_c, then float32(p/√(2π)) to dst, stride floats apart.
// Two groups at a time (their exponentials interleaved, EXP64X2) while
// eight points are left, then one.
TEXT ·densityAVX2(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), DI
	MOVQ grid+8(FP), SI
	MOVQ n+16(FP), DX
	MOVQ cs+24(FP), R8
	MOVQ k+32(FP), R10
	MOVQ stride+40(FP), R11
	SHLQ $2, R11 // the stride in bytes
	LEAQ ·expConst4(SB), R9
	CMPQ DX, $8
	JLT  points

points8:
	VCVTPS2PD (SI), Y0   // y, the first group
	VCVTPS2PD 16(SI), Y12 // the second
	VXORPD    Y1, Y1, Y1 // their p
	VXORPD    Y13, Y13, Y13
	MOVQ      R8, AX
	MOVQ      R10, CX

comps8:
	VBROADCASTSD comp_m(AX), Y5
	VSUBPD       Y5, Y0, Y4
	VSUBPD       Y5, Y12, Y10
	VBROADCASTSD comp_inv(AX), Y5
	VMULPD       Y5, Y4, Y4
	VMULPD       Y5, Y10, Y10
	VMULPD       E_NHALF(R9), Y4, Y6
	VMULPD       E_NHALF(R9), Y10, Y14
	VMULPD       Y4, Y6, Y4
	VMULPD       Y10, Y14, Y10
	EXP64X2(Y4, Y5, Y6, Y7, X7, Y8, Y9, Y10, Y11, Y14, Y15, X15, Y2, Y3)
	VBROADCASTSD comp_wi(AX), Y6
	VMULPD       Y6, Y5, Y5
	VMULPD       Y6, Y11, Y11
	VADDPD       Y5, Y1, Y1
	VADDPD       Y11, Y13, Y13
	ADDQ         $comp__size, AX
	DECQ         CX
	JNZ          comps8

	DSTORE(Y1, X1)
	DSTORE(Y13, X13)
	ADDQ $32, SI
	SUBQ $8, DX
	CMPQ DX, $8
	JGE  points8
	TESTQ DX, DX
	JZ   end

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

	DSTORE(Y1, X1)
	ADDQ       $16, SI
	SUBQ       $4, DX
	JNZ        points

end:
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
