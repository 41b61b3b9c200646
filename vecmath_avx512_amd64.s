//go:build !purego

#include "textflag.h"
#include "asm_amd64.h"
#include "vecmath_avx512_amd64.h"

// Constants used only by the AVX-512 macros, four bytes each (read through
// embedded broadcasts). The others are the ·vm* tables of vecmath_amd64.s.

// vzLogFixup: the VFIXUPIMMPS table of LOG_AVX512, one response per class of
// x (QNaN, SNaN, ±0, +1, −Inf, +Inf, <0, >0 from the low nibble up): x, x,
// −Inf, the computed log, the default NaN, +Inf, the default NaN, the
// computed log.
DATA ·vzLogFixup+0(SB)/4, $0x03530411
GLOBL ·vzLogFixup(SB), RODATA|NOPTR, $4

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
	EXP4R(Z0, Z1, Z2, Z3, Z4, Z5, Z6, Z7, Z8, Z9, Z10, Z11)
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
	TANH4R(Z0, Z1, Z2, Z3, Z4, Z5, Z6, Z7, Z8, Z9, Z10, Z11, Z12, Z13, Z14, Z28, Z29, Z30, Z31, Z15)
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

// func lseAVX512(x []float32) (m, s float32)
// Requires: AVX512F
// m = the largest element that is not NaN (−Inf if none); then, if m is
// finite, s = Σ e^(x[i]−m) in 32 interleaved partial sums (else s = 0).
// Register map: SI x, CX elements left, DI and DX x and len(x) again for
// the second pass, AX scratch; pass 1: Z0, Z1 running maxima (x as the first
// source of VMAXPS, so that a NaN element is passed over), Z4, Z5 loads,
// Z8 −Inf; pass 2: Z28 m, Z12, Z13 sums, Z0, Z3, Z6, Z9 values, Z1–Z2,
// Z4–Z5, Z7–Z8, Z10–Z11 scratch, Z16–Z27 the exp constants; K1 tail mask.
TEXT ·lseAVX512(SB), NOSPLIT, $0-32
	MOVQ         x_base+0(FP), SI
	MOVQ         x_len+8(FP), CX
	MOVQ         SI, DI
	MOVQ         CX, DX
	MOVL         $0, s+28(FP)
	VBROADCASTSS ·vmNegInf(SB), Z8
	VMOVAPS      Z8, Z0
	VMOVAPS      Z8, Z1

xloop32:
	CMPQ    CX, $32
	JB      xloop16
	VMOVUPS (SI), Z4
	VMOVUPS 64(SI), Z5
	VMAXPS  Z0, Z4, Z0
	VMAXPS  Z1, Z5, Z1
	ADDQ    $128, SI
	SUBQ    $32, CX
	JMP     xloop32

xloop16:
	CMPQ    CX, $16
	JB      xtail
	VMOVUPS (SI), Z4
	VMAXPS  Z0, Z4, Z0
	ADDQ    $64, SI
	SUBQ    $16, CX

xtail:
	TAIL_K(CX, AX, K1)
	VMOVAPS  Z8, Z4
	VMOVUPS  (SI), K1, Z4
	VMAXPS   Z1, Z4, Z1
	VMAXPS   Z1, Z0, Z0
	CMPQ     DX, $8
	JA       xreduce16
	HREDUCE8(VMAXPS, Z0, Z1) // up to 8 elements: lanes 8–15 are −Inf
	JMP      xreduced

xreduce16:
	HREDUCE(VMAXPS, Z0, Z1)

xreduced:
	VMOVSS   X0, m+24(FP)
	VSUBSS   X0, X0, X1
	VUCOMISS X1, X1
	JPS      done              // m is ±Inf
	VMOVAPS  Z0, Z28
	MOVQ     DI, SI
	MOVQ     DX, CX
	LOAD_EXP_CONSTS
	VXORPS   Z12, Z12, Z12
	VXORPS   Z13, Z13, Z13

sloop64:
	CMPQ    CX, $64
	JB      sloop16
	VMOVUPS (SI), Z0
	VMOVUPS 64(SI), Z3
	VMOVUPS 128(SI), Z6
	VMOVUPS 192(SI), Z9
	VSUBPS  Z28, Z0, Z0
	VSUBPS  Z28, Z3, Z3
	VSUBPS  Z28, Z6, Z6
	VSUBPS  Z28, Z9, Z9
	EXP4R(Z0, Z1, Z2, Z3, Z4, Z5, Z6, Z7, Z8, Z9, Z10, Z11)
	VADDPS  Z0, Z12, Z12
	VADDPS  Z3, Z13, Z13
	VADDPS  Z6, Z12, Z12
	VADDPS  Z9, Z13, Z13
	ADDQ    $256, SI
	SUBQ    $64, CX
	JMP     sloop64

sloop16:
	CMPQ    CX, $16
	JB      stail
	VMOVUPS (SI), Z0
	VSUBPS  Z28, Z0, Z0
	EXPR(Z0, Z1, Z2)
	VADDPS  Z0, Z12, Z12
	ADDQ    $64, SI
	SUBQ    $16, CX
	JMP     sloop16

stail:
	TESTQ     CX, CX
	JZ        sreduce
	TAIL_K(CX, AX, K1)
	VMOVUPS.Z (SI), K1, Z0
	VSUBPS    Z28, Z0, Z0
	EXPR(Z0, Z1, Z2)
	VADDPS    Z0, Z13, K1, Z13

sreduce:
	VADDPS Z13, Z12, Z12
	CMPQ   DX, $8
	JA     sreduce16
	HREDUCE8(VADDPS, Z12, Z13) // up to 8 elements: lanes 8–15 are 0
	JMP    sreduced

sreduce16:
	HREDUCE(VADDPS, Z12, Z13)

sreduced:
	VMOVSS X12, s+28(FP)

done:
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
	EXP_AVX512(Z0, Z1, Z2, K7)
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
	EXP_AVX512(Z0, Z1, Z2, K7)
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
