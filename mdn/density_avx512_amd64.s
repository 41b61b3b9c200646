//go:build !purego

#include "textflag.h"
#include "go_asm.h"
#include "exp64_amd64.h"

// Density on avx512 (density_amd64.go), and math.Exp in eight float64
// lanes (EXP64Z in exp64_amd64.h).

// DSTORE4(x): four float32 values in x to DI, R11 bytes apart, and DI
// past them.
#define DSTORE4(x) \
	VMOVSS     x, (DI);            \
	VEXTRACTPS $1, x, (DI)(R11*1); \
	LEAQ       (DI)(R11*2), BX;    \
	VEXTRACTPS $2, x, (BX);        \
	VEXTRACTPS $3, x, (BX)(R11*1); \
	LEAQ       (BX)(R11*2), DI

// DSTORE8(z, y, x, t): the eight points' p = z (y, x its low parts) as
// float32(p/√(2π)) to DI, R11 bytes apart, and DI past them; t scratch
// (an X register).
#define DSTORE8(z, y, x, t) \
	VMULPD.BCST  E_ISQ2PI(R9), z, z; \
	VCVTPD2PS    z, y;               \
	VEXTRACTF128 $1, y, t;           \
	DSTORE4(x);                      \
	DSTORE4(t)

// func densityAVX512(dst, grid *float32, n int, cs *comp, k, stride int)
//
// densityAVX2's loop with eight grid points a group: two groups at a time
// while sixteen points are left, then one.
TEXT ·densityAVX512(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), DI
	MOVQ grid+8(FP), SI
	MOVQ n+16(FP), DX
	MOVQ cs+24(FP), R8
	MOVQ k+32(FP), R10
	MOVQ stride+40(FP), R11
	SHLQ $2, R11 // the stride in bytes
	LEAQ ·expConst4(SB), R9
	CMPQ DX, $32
	JLT  below32

points32:
	VCVTPS2PD (SI), Z0
	VCVTPS2PD 32(SI), Z12
	VCVTPS2PD 64(SI), Z16
	VCVTPS2PD 96(SI), Z22
	VXORPD    Z1, Z1, Z1
	VXORPD    Z13, Z13, Z13
	VXORPD    Z17, Z17, Z17
	VXORPD    Z23, Z23, Z23
	MOVQ      R8, AX
	MOVQ      R10, CX

comps32:
	VBROADCASTSD comp_m(AX), Z2
	VBROADCASTSD comp_inv(AX), Z3
	VSUBPD       Z2, Z0, Z4
	VSUBPD       Z2, Z12, Z10
	VSUBPD       Z2, Z16, Z18
	VSUBPD       Z2, Z22, Z24
	VMULPD       Z3, Z4, Z4
	VMULPD       Z3, Z10, Z10
	VMULPD       Z3, Z18, Z18
	VMULPD       Z3, Z24, Z24
	VMULPD.BCST  E_NHALF(R9), Z4, Z6
	VMULPD.BCST  E_NHALF(R9), Z10, Z14
	VMULPD.BCST  E_NHALF(R9), Z18, Z20
	VMULPD.BCST  E_NHALF(R9), Z24, Z26
	VMULPD       Z4, Z6, Z4
	VMULPD       Z10, Z14, Z10
	VMULPD       Z18, Z20, Z18
	VMULPD       Z24, Z26, Z24
	EXP64ZX4(Z4, Z5, Z6, Y6, Z7, K1, K5, Z10, Z11, Z14, Y14, Z15, K2, K6, Z18, Z19, Z20, Y20, Z21, K3, K7, Z24, Z25, Z26, Y26, Z27, K4, K0)
	VBROADCASTSD comp_wi(AX), Z8
	VMULPD       Z8, Z5, Z5
	VMULPD       Z8, Z11, Z11
	VMULPD       Z8, Z19, Z19
	VMULPD       Z8, Z25, Z25
	VADDPD       Z5, Z1, Z1
	VADDPD       Z11, Z13, Z13
	VADDPD       Z19, Z17, Z17
	VADDPD       Z25, Z23, Z23
	ADDQ         $comp__size, AX
	DECQ         CX
	JNZ          comps32

	DSTORE8(Z1, Y1, X1, X2)
	DSTORE8(Z13, Y13, X13, X2)
	VMOVAPD Z17, Z3
	DSTORE8(Z3, Y3, X3, X2)
	VMOVAPD Z23, Z3
	DSTORE8(Z3, Y3, X3, X2)
	ADDQ $128, SI
	SUBQ $32, DX
	CMPQ DX, $32
	JGE  points32

below32:
	CMPQ DX, $16
	JLT  points

points16:
	VCVTPS2PD (SI), Z0    // y, the first group
	VCVTPS2PD 32(SI), Z12 // the second
	VXORPD    Z1, Z1, Z1  // their p
	VXORPD    Z13, Z13, Z13
	MOVQ      R8, AX
	MOVQ      R10, CX

comps16:
	VBROADCASTSD comp_m(AX), Z2
	VBROADCASTSD comp_inv(AX), Z3
	VSUBPD       Z2, Z0, Z4
	VSUBPD       Z2, Z12, Z10
	VMULPD       Z3, Z4, Z4
	VMULPD       Z3, Z10, Z10
	VMULPD.BCST  E_NHALF(R9), Z4, Z6
	VMULPD.BCST  E_NHALF(R9), Z10, Z14
	VMULPD       Z4, Z6, Z4
	VMULPD       Z10, Z14, Z10
	EXP64ZX2(Z4, Z5, Z6, Y6, Z7, K1, K2, Z10, Z11, Z14, Y14, Z15, K3, K4)
	VBROADCASTSD comp_wi(AX), Z8
	VMULPD       Z8, Z5, Z5
	VMULPD       Z8, Z11, Z11
	VADDPD       Z5, Z1, Z1
	VADDPD       Z11, Z13, Z13
	ADDQ         $comp__size, AX
	DECQ         CX
	JNZ          comps16

	DSTORE8(Z1, Y1, X1, X2)
	DSTORE8(Z13, Y13, X13, X2)
	ADDQ $64, SI
	SUBQ $16, DX
	CMPQ DX, $16
	JGE  points16
	TESTQ DX, DX
	JZ   end

points:
	VCVTPS2PD (SI), Z0 // y
	VXORPD    Z1, Z1, Z1 // p
	MOVQ      R8, AX
	MOVQ      R10, CX

comps:
	VBROADCASTSD comp_m(AX), Z2
	VSUBPD       Z2, Z0, Z2         // y − μ
	VBROADCASTSD comp_inv(AX), Z3
	VMULPD       Z3, Z2, Z2         // z
	VMULPD.BCST  E_NHALF(R9), Z2, Z4
	VMULPD       Z2, Z4, Z4         // −½·z·z
	EXP64Z(Z4, Z5, Z6, Y6, Z7, K1, K2)
	VBROADCASTSD comp_wi(AX), Z3
	VMULPD       Z3, Z5, Z5
	VADDPD       Z5, Z1, Z1
	ADDQ         $comp__size, AX
	DECQ         CX
	JNZ          comps

	DSTORE8(Z1, Y1, X1, X2) // the last group: n is a multiple of 8

end:
	VZEROUPPER
	RET

// func exp64AVX512(dst, x *float64, n int)
TEXT ·exp64AVX512(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	LEAQ ·expConst4(SB), R9

exps:
	VMOVUPD (SI), Z0
	EXP64Z(Z0, Z1, Z2, Y2, Z3, K1, K2)
	VMOVUPD Z1, (DI)
	ADDQ    $64, SI
	ADDQ    $64, DI
	SUBQ    $8, CX
	JNZ     exps
	VZEROUPPER
	RET
