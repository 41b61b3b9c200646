//go:build !purego

#include "textflag.h"
#include "go_asm.h"
#include "exp64_amd64.h"

// Density on avx2fma (density_amd64.go), and math.Exp in four float64
// lanes (EXP64 in exp64_amd64.h).

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
