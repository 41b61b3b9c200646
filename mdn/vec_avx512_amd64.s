//go:build !purego

#include "textflag.h"

// The trainer's vector loops on AVX-512 (see vec_amd64.go): the loops of
// vec_amd64.s, 16 parameters per iteration, the same operations in the same
// order, and the last len(p)%16 through masked loads and stores, so that
// they take the whole of p.

// TAILK sets K1 to the first CX lanes (CX < 16) and CX to 1, for one more
// masked iteration; it clobbers AX.
#define TAILK \
	MOVL  $1, AX; \
	SHLL  CX, AX; \
	DECL  AX;     \
	KMOVW AX, K1; \
	MOVL  $1, CX

// HSUM16 reduces z (y its low half, x its low quarter) to its lane sum in
// the low lane of x; t (with its halves ty, tx) is clobbered.
#define HSUM16(z, y, x, t, ty, tx) \
	VEXTRACTF64X4 $1, z, ty; \
	VADDPS        ty, y, y;  \
	VEXTRACTF128  $1, y, tx; \
	VADDPS        tx, x, x;  \
	VHADDPS       x, x, x;   \
	VHADDPS       x, x, x

// PSTEP16 ends an Adam or RMSprop step: p = p + Z1, stored, Σp·0 in Z8
// (masked by K1); then the next 16 parameters (the caller's JNZ tests CX).
#define PSTEP16 \
	VMOVUPS.Z   (DI)(BX*1), K1, Z2; \
	VADDPS      Z2, Z1, Z1;         \
	VMOVUPS     Z1, K1, (DI)(BX*1); \
	VFMADD231PS Z9, Z1, K1, Z8;     \
	ADDQ        $64, BX;            \
	DECQ        CX

// RMSV16 is the start of an RMSprop step: Z0 = g; v = v·α + ((1−α)·g)·g,
// stored; Z3 = a = √v + ε.
#define RMSV16 \
	VMOVUPS.Z (SI)(BX*1), K1, Z0; \
	VMOVUPS.Z (R8)(BX*1), K1, Z3; \
	VMULPS    Z3, Z10, Z3;        \
	VMULPS    Z0, Z11, Z4;        \
	VMULPS    Z0, Z4, Z4;         \
	VADDPS    Z4, Z3, Z3;         \
	VMOVUPS   Z3, K1, (R8)(BX*1); \
	VSQRTPS   Z3, Z3;             \
	VADDPS    Z12, Z3, Z3

// SSTEP16 ends an SGD step: the new p in Z0 stored, Σp·0 in Z8.
#define SSTEP16 \
	VMOVUPS     Z0, K1, (DI)(BX*1); \
	VFMADD231PS Z9, Z0, K1, Z8;     \
	ADDQ        $64, BX;            \
	DECQ        CX

// Each loop runs CX = len(p)/16 full iterations with K1 all ones, then, if
// len(p)%16 ≠ 0, one more with K1 set by TAILK (R10 = len(p)%16, and R11
// flags that the tail is done).

// func adamAVX512(p, g, m, v []float32, k *[6]float32) float32
// Requires: AVX512F
//
// DI p, SI g, R8 m, R9 v, BX byte offset, CX iterations left, R10 tail
// length, R11 tail done; Z8 Σp·0, Z9 0, Z10 −step, Z11 bc2, Z12 1−β1,
// Z13 β2, Z14 1−β2, Z15 ε; K1 lane mask.
TEXT ·adamAVX512(SB), NOSPLIT, $0-108
	MOVQ         p_base+0(FP), DI
	MOVQ         p_len+8(FP), CX
	MOVQ         g_base+24(FP), SI
	MOVQ         m_base+48(FP), R8
	MOVQ         v_base+72(FP), R9
	MOVQ         k+96(FP), AX
	VBROADCASTSS 0(AX), Z10
	VBROADCASTSS 4(AX), Z11
	VBROADCASTSS 8(AX), Z12
	VBROADCASTSS 12(AX), Z13
	VBROADCASTSS 16(AX), Z14
	VBROADCASTSS 20(AX), Z15
	VXORPS       Z8, Z8, Z8
	VXORPS       Z9, Z9, Z9
	XORQ         BX, BX
	XORQ         R11, R11
	MOVQ         CX, R10
	ANDQ         $15, R10
	SHRQ         $4, CX
	KXNORW       K1, K1, K1
	JNZ          aloop

atail:
	TESTQ R11, R11
	JNZ   adone
	TESTQ R10, R10
	JZ    adone
	MOVQ  R10, CX
	TAILK
	MOVQ  $1, R11

aloop:
	VMOVUPS.Z   (SI)(BX*1), K1, Z0 // g
	VMOVUPS.Z   (R8)(BX*1), K1, Z1 // m
	VSUBPS      Z1, Z0, Z2         // g − m
	VMULPS      Z2, Z12, Z2        // (1−β1)·(g − m)
	VADDPS      Z2, Z1, Z1         // m
	VMOVUPS     Z1, K1, (R8)(BX*1)
	VMOVUPS.Z   (R9)(BX*1), K1, Z3
	VMULPS      Z3, Z13, Z3        // v·β2
	VMULPS      Z0, Z14, Z4        // (1−β2)·g
	VMULPS      Z0, Z4, Z4         // ·g
	VADDPS      Z4, Z3, Z3         // v
	VMOVUPS     Z3, K1, (R9)(BX*1)
	VSQRTPS     Z3, Z3
	VDIVPS      Z11, Z3, Z3        // √v/bc2
	VADDPS      Z15, Z3, Z3        // + ε
	VMULPS      Z1, Z10, Z1        // −step·m
	VDIVPS      Z3, Z1, Z1
	PSTEP16
	JNZ         aloop
	JMP         atail

adone:
	HSUM16(Z8, Y8, X8, Z0, Y0, X0)
	VMOVSS X8, ret+104(FP)
	VZEROUPPER
	RET

// func rmspropAVX512(p, g, v, b []float32, k *[5]float32) float32
// Requires: AVX512F
//
// DI p, SI g, R8 v, R9 b, BX byte offset, CX iterations left, R10 tail
// length, R11 tail done; Z8 Σp·0, Z9 0, Z10 α, Z11 1−α, Z12 ε, Z13 −lr,
// Z14 μ; K1 lane mask.
TEXT ·rmspropAVX512(SB), NOSPLIT, $0-108
	MOVQ         p_base+0(FP), DI
	MOVQ         p_len+8(FP), CX
	MOVQ         g_base+24(FP), SI
	MOVQ         v_base+48(FP), R8
	MOVQ         b_base+72(FP), R9
	MOVQ         k+96(FP), AX
	VBROADCASTSS 0(AX), Z10
	VBROADCASTSS 4(AX), Z11
	VBROADCASTSS 8(AX), Z12
	VBROADCASTSS 12(AX), Z13
	VBROADCASTSS 16(AX), Z14
	VXORPS       Z8, Z8, Z8
	VXORPS       Z9, Z9, Z9
	XORQ         BX, BX
	XORQ         R11, R11
	MOVQ         CX, R10
	ANDQ         $15, R10
	SHRQ         $4, CX
	KXNORW       K1, K1, K1
	CMPQ         b_len+80(FP), $0
	JNE          rmstart
	TESTQ        CX, CX
	JNZ          rloop

rtail:
	TESTQ R11, R11
	JNZ   rdone
	TESTQ R10, R10
	JZ    rdone
	MOVQ  R10, CX
	TAILK
	MOVQ  $1, R11

rloop:
	RMSV16
	VMULPS      Z0, Z13, Z1     // −lr·g
	VDIVPS      Z3, Z1, Z1      // /a
	PSTEP16
	JNZ         rloop
	JMP         rtail

rmstart:
	TESTQ CX, CX
	JNZ   rmloop

rmtail:
	TESTQ R11, R11
	JNZ   rdone
	TESTQ R10, R10
	JZ    rdone
	MOVQ  R10, CX
	TAILK
	MOVQ  $1, R11

rmloop:
	RMSV16
	VDIVPS      Z3, Z0, Z0      // g/a
	VMOVUPS.Z   (R9)(BX*1), K1, Z1
	VMULPS      Z1, Z14, Z1     // b·μ
	VADDPS      Z0, Z1, Z1      // b
	VMOVUPS     Z1, K1, (R9)(BX*1)
	VMULPS      Z1, Z13, Z1     // −lr·b
	PSTEP16
	JNZ         rmloop
	JMP         rmtail

rdone:
	HSUM16(Z8, Y8, X8, Z0, Y0, X0)
	VMOVSS X8, ret+104(FP)
	VZEROUPPER
	RET

// func sgdAVX512(p, g, b []float32, k *[2]float32) float32
// Requires: AVX512F
//
// DI p, SI g, R8 b, BX byte offset, CX iterations left, R10 tail length,
// R11 tail done; Z8 Σp·0, Z9 0, Z10 lr, Z11 μ; K1 lane mask.
TEXT ·sgdAVX512(SB), NOSPLIT, $0-84
	MOVQ         p_base+0(FP), DI
	MOVQ         p_len+8(FP), CX
	MOVQ         g_base+24(FP), SI
	MOVQ         b_base+48(FP), R8
	MOVQ         k+72(FP), AX
	VBROADCASTSS 0(AX), Z10
	VBROADCASTSS 4(AX), Z11
	VXORPS       Z8, Z8, Z8
	VXORPS       Z9, Z9, Z9
	XORQ         BX, BX
	XORQ         R11, R11
	MOVQ         CX, R10
	ANDQ         $15, R10
	SHRQ         $4, CX
	KXNORW       K1, K1, K1
	CMPQ         b_len+56(FP), $0
	JNE          smstart
	TESTQ        CX, CX
	JNZ          sloop

stail:
	TESTQ R11, R11
	JNZ   sdone
	TESTQ R10, R10
	JZ    sdone
	MOVQ  R10, CX
	TAILK
	MOVQ  $1, R11

sloop:
	VMOVUPS.Z   (SI)(BX*1), K1, Z1
	VMULPS      Z1, Z10, Z1     // lr·g
	VMOVUPS.Z   (DI)(BX*1), K1, Z0
	VSUBPS      Z1, Z0, Z0      // p − lr·g
	SSTEP16
	JNZ         sloop
	JMP         stail

smstart:
	TESTQ CX, CX
	JNZ   smloop

smtail:
	TESTQ R11, R11
	JNZ   sdone
	TESTQ R10, R10
	JZ    sdone
	MOVQ  R10, CX
	TAILK
	MOVQ  $1, R11

smloop:
	VMOVUPS.Z   (R8)(BX*1), K1, Z1
	VMULPS      Z1, Z11, Z1     // b·μ
	VMOVUPS.Z   (SI)(BX*1), K1, Z2
	VADDPS      Z2, Z1, Z1      // b = g + b·μ
	VMOVUPS     Z1, K1, (R8)(BX*1)
	VMULPS      Z1, Z10, Z1     // lr·b
	VMOVUPS.Z   (DI)(BX*1), K1, Z0
	VSUBPS      Z1, Z0, Z0      // p − lr·b
	SSTEP16
	JNZ         smloop
	JMP         smtail

sdone:
	HSUM16(Z8, Y8, X8, Z0, Y0, X0)
	VMOVSS X8, ret+80(FP)
	VZEROUPPER
	RET

// func sumAVX512(s []float32) float64
// Requires: AVX512F
//
// SI s, CX blocks of 16 left; Z0 the partial sums of lanes 0-7, Z1 of
// lanes 8-15 (as float64), Z4, Z5 the block converted. The reduction is
// sumAVX2's, in the same order: ((0-3 + 4-7) + (8-11 + 12-15)), then
// (0 + 2) + (1 + 3).
TEXT ·sumAVX512(SB), NOSPLIT, $0-32
	MOVQ   s_base+0(FP), SI
	MOVQ   s_len+8(FP), CX
	VXORPD Z0, Z0, Z0
	VXORPD Z1, Z1, Z1
	SHRQ   $4, CX
	JZ     sumdone

sumloop:
	VCVTPS2PD (SI), Z4
	VCVTPS2PD 32(SI), Z5
	VADDPD    Z4, Z0, Z0
	VADDPD    Z5, Z1, Z1
	ADDQ      $64, SI
	DECQ      CX
	JNZ       sumloop

sumdone:
	VEXTRACTF64X4 $1, Z0, Y2
	VADDPD        Y2, Y0, Y0
	VEXTRACTF64X4 $1, Z1, Y3
	VADDPD        Y3, Y1, Y1
	VADDPD        Y1, Y0, Y0
	VEXTRACTF128  $1, Y0, X1
	VADDPD        X1, X0, X0
	VHADDPD       X0, X0, X0
	VMOVSD        X0, ret+24(FP)
	VZEROUPPER
	RET
