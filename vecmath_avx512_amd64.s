//go:build !purego

#include "textflag.h"
#include "vecmath_avx512_amd64.h"

// Constants used only by the AVX-512 macros, four bytes each (read through
// embedded broadcasts). The others are the ·vm* tables of vecmath_amd64.s.

// vzLogFixup: the VFIXUPIMMPS table of LOG_AVX512, one response per class of
// x (QNaN, SNaN, ±0, +1, −Inf, +Inf, <0, >0 from the low nibble up): x, x,
// −Inf, the computed log, the default NaN, +Inf, the default NaN, the
// computed log.
DATA ·vzLogFixup+0(SB)/4, $0x03530411
GLOBL ·vzLogFixup(SB), RODATA|NOPTR, $4

// TAIL_K(n, tmp, k) sets the opmask k to the first n lanes, 0 ≤ n < 16 (of
// sixteen float32 lanes). Clobbers tmp and flags; n is only read.
#define TAIL_K(n, tmp, k) \
	MOVL  $1, tmp; \
	SHLL  n, tmp;  \
	DECL  tmp;     \
	KMOVW tmp, k

// LOAD_EXP_CONSTS broadcasts EXP_RES_AVX512's constants into Z16–Z27.
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

#define EXPR(x, t0, t1) EXP_RES_AVX512(x, t0, t1, Z16, Z17, Z18, Z19, Z20, Z21, Z22, Z23, Z24, Z25, Z26, Z27)

// func expAVX512(dst, x []float32)
// Requires: AVX512F
// Register map: SI x, DI dst, CX elements left, AX scratch; Z0, Z3, Z6, Z9
// values, Z1–Z2, Z4–Z5, Z7–Z8, Z10–Z11 scratch; Z16–Z27 the constants
// (LOAD_EXP_CONSTS); K1 tail mask.
TEXT ·expAVX512(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ x_base+24(FP), SI
	MOVQ x_len+32(FP), CX
	LOAD_EXP_CONSTS

loop64:
	CMPQ    CX, $64
	JB      loop16
	VMOVUPS (SI), Z0
	VMOVUPS 64(SI), Z3
	VMOVUPS 128(SI), Z6
	VMOVUPS 192(SI), Z9
	EXPR(Z0, Z1, Z2)
	EXPR(Z3, Z4, Z5)
	EXPR(Z6, Z7, Z8)
	EXPR(Z9, Z10, Z11)
	VMOVUPS Z0, (DI)
	VMOVUPS Z3, 64(DI)
	VMOVUPS Z6, 128(DI)
	VMOVUPS Z9, 192(DI)
	ADDQ    $256, SI
	ADDQ    $256, DI
	SUBQ    $64, CX
	JMP     loop64

loop16:
	CMPQ    CX, $16
	JB      tail
	VMOVUPS (SI), Z0
	EXPR(Z0, Z1, Z2)
	VMOVUPS Z0, (DI)
	ADDQ    $64, SI
	ADDQ    $64, DI
	SUBQ    $16, CX
	JMP     loop16

tail:
	TESTQ     CX, CX
	JZ        done
	TAIL_K(CX, AX, K1)
	VMOVUPS.Z (SI), K1, Z0
	EXPR(Z0, Z1, Z2)
	VMOVUPS   Z0, K1, (DI)

done:
	VZEROUPPER
	RET

// LOAD_TANH_CONSTS broadcasts TANH_RES_AVX512's constants into Z16–Z27.
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

// func tanhAVX512(dst, x []float32)
// Requires: AVX512F
// Register map: SI x, DI dst, CX elements left, AX scratch; Z0, Z5, Z10, Z28
// values, Z1–Z4, Z6–Z9, Z11–Z14, Z29–Z31 and Z15 scratch; Z16–Z27 the
// constants (LOAD_TANH_CONSTS); K1 tail mask.
TEXT ·tanhAVX512(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ x_base+24(FP), SI
	MOVQ x_len+32(FP), CX
	LOAD_TANH_CONSTS

tloop64:
	CMPQ    CX, $64
	JB      tloop16
	VMOVUPS (SI), Z0
	VMOVUPS 64(SI), Z5
	VMOVUPS 128(SI), Z10
	VMOVUPS 192(SI), Z28
	TANHR(Z0, Z1, Z2, Z3, Z4)
	TANHR(Z5, Z6, Z7, Z8, Z9)
	TANHR(Z10, Z11, Z12, Z13, Z14)
	TANHR(Z28, Z29, Z30, Z31, Z15)
	VMOVUPS Z0, (DI)
	VMOVUPS Z5, 64(DI)
	VMOVUPS Z10, 128(DI)
	VMOVUPS Z28, 192(DI)
	ADDQ    $256, SI
	ADDQ    $256, DI
	SUBQ    $64, CX
	JMP     tloop64

tloop16:
	CMPQ    CX, $16
	JB      ttail
	VMOVUPS (SI), Z0
	TANHR(Z0, Z1, Z2, Z3, Z4)
	VMOVUPS Z0, (DI)
	ADDQ    $64, SI
	ADDQ    $64, DI
	SUBQ    $16, CX
	JMP     tloop16

ttail:
	TESTQ     CX, CX
	JZ        tdone
	TAIL_K(CX, AX, K1)
	VMOVUPS.Z (SI), K1, Z0
	TANHR(Z0, Z1, Z2, Z3, Z4)
	VMOVUPS   Z0, K1, (DI)

tdone:
	VZEROUPPER
	RET

// func expMemAVX512(dst, x []float32)
// EXP_AVX512 (memory constants) over x, 16 lanes a step: the macro's test.
TEXT ·expMemAVX512(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ x_base+24(FP), SI
	MOVQ x_len+32(FP), CX

mloop16:
	CMPQ    CX, $16
	JB      mtail
	VMOVUPS (SI), Z0
	EXP_AVX512(Z0, Z1, Z2)
	VMOVUPS Z0, (DI)
	ADDQ    $64, SI
	ADDQ    $64, DI
	SUBQ    $16, CX
	JMP     mloop16

mtail:
	TESTQ     CX, CX
	JZ        mdone
	TAIL_K(CX, AX, K1)
	VMOVUPS.Z (SI), K1, Z0
	EXP_AVX512(Z0, Z1, Z2)
	VMOVUPS   Z0, K1, (DI)

mdone:
	VZEROUPPER
	RET

// func tanhMemAVX512(dst, x []float32)
TEXT ·tanhMemAVX512(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ x_base+24(FP), SI
	MOVQ x_len+32(FP), CX

mtloop16:
	CMPQ    CX, $16
	JB      mttail
	VMOVUPS (SI), Z0
	TANH_AVX512(Z0, Z1, Z2, Z3, Z4)
	VMOVUPS Z0, (DI)
	ADDQ    $64, SI
	ADDQ    $64, DI
	SUBQ    $16, CX
	JMP     mtloop16

mttail:
	TESTQ     CX, CX
	JZ        mtdone
	TAIL_K(CX, AX, K1)
	VMOVUPS.Z (SI), K1, Z0
	TANH_AVX512(Z0, Z1, Z2, Z3, Z4)
	VMOVUPS   Z0, K1, (DI)

mtdone:
	VZEROUPPER
	RET

// func logAVX512(dst, x []float32)
TEXT ·logAVX512(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ x_base+24(FP), SI
	MOVQ x_len+32(FP), CX

lloop16:
	CMPQ    CX, $16
	JB      ltail
	VMOVUPS (SI), Z0
	LOG_AVX512(Z0, Z1, Z2, Z3, K2)
	VMOVUPS Z0, (DI)
	ADDQ    $64, SI
	ADDQ    $64, DI
	SUBQ    $16, CX
	JMP     lloop16

ltail:
	TESTQ     CX, CX
	JZ        ldone
	TAIL_K(CX, AX, K1)
	VMOVUPS.Z (SI), K1, Z0
	LOG_AVX512(Z0, Z1, Z2, Z3, K2)
	VMOVUPS   Z0, K1, (DI)

ldone:
	VZEROUPPER
	RET
