//go:build !purego

#include "textflag.h"
#include "rows4_amd64.h"

// The trainer's vector loops (see vec_amd64.go): the optimizers' updates,
// 8 parameters per iteration, with operands in the order of the Go loops of
// optimizer.update and one rounding per operation (no FMA except the exact
// p·0 check); and the float64 sum of the per-row losses.

// HSUM reduces y (x its low half) to its lane sum in the low lane of x; t is
// clobbered.
#define HSUM(y, x, t) \
	VEXTRACTF128 $1, y, t; \
	VADDPS       t, x, x;  \
	VHADDPS      x, x, x;  \
	VHADDPS      x, x, x

// RMSV is the start of an RMSprop step: Y0 = g; v = v·α + ((1−α)·g)·g,
// stored; Y3 = a = √v + ε.
#define RMSV \
	VMOVUPS (SI)(BX*1), Y0;     \
	VMULPS  (R8)(BX*1), Y10, Y3; \
	VMULPS  Y0, Y11, Y4;        \
	VMULPS  Y0, Y4, Y4;         \
	VADDPS  Y4, Y3, Y3;         \
	VMOVUPS Y3, (R8)(BX*1);     \
	VSQRTPS Y3, Y3;             \
	VADDPS  Y12, Y3, Y3

// PSTEP ends an Adam or RMSprop step: p = p + Y1, stored, Σp·0 in Y8;
// then the next 8 parameters (the caller's JNZ tests CX).
#define PSTEP \
	VADDPS      (DI)(BX*1), Y1, Y1; \
	VMOVUPS     Y1, (DI)(BX*1);     \
	VFMADD231PS Y9, Y1, Y8;         \
	ADDQ        $32, BX;            \
	DECQ        CX

// SSTEP ends an SGD step: the new p in Y0 stored, Σp·0 in Y8; then the
// next 8 parameters.
#define SSTEP \
	VMOVUPS     Y0, (DI)(BX*1); \
	VFMADD231PS Y9, Y0, Y8;     \
	ADDQ        $32, BX;        \
	DECQ        CX

// func adamAVX2(p, g, m, v []float32, k *[6]float32) float32
// Requires: AVX, FMA
//
// DI p, SI g, R8 m, R9 v, BX byte offset, CX blocks left; Y8 Σp·0, Y9 0,
// Y10 −step, Y11 bc2, Y12 1−β1, Y13 β2, Y14 1−β2, Y15 ε.
TEXT ·adamAVX2(SB), NOSPLIT, $0-108
	MOVQ         p_base+0(FP), DI
	MOVQ         p_len+8(FP), CX
	MOVQ         g_base+24(FP), SI
	MOVQ         m_base+48(FP), R8
	MOVQ         v_base+72(FP), R9
	MOVQ         k+96(FP), AX
	VBROADCASTSS 0(AX), Y10
	VBROADCASTSS 4(AX), Y11
	VBROADCASTSS 8(AX), Y12
	VBROADCASTSS 12(AX), Y13
	VBROADCASTSS 16(AX), Y14
	VBROADCASTSS 20(AX), Y15
	VXORPS       Y8, Y8, Y8
	VXORPS       Y9, Y9, Y9
	XORQ         BX, BX
	SHRQ         $3, CX
	JZ           adone

aloop:
	VMOVUPS     (SI)(BX*1), Y0  // g
	VMOVUPS     (R8)(BX*1), Y1  // m
	VSUBPS      Y1, Y0, Y2      // g − m
	VMULPS      Y2, Y12, Y2     // (1−β1)·(g − m)
	VADDPS      Y2, Y1, Y1      // m
	VMOVUPS     Y1, (R8)(BX*1)
	VMULPS      (R9)(BX*1), Y13, Y3 // v·β2
	VMULPS      Y0, Y14, Y4     // (1−β2)·g
	VMULPS      Y0, Y4, Y4      // ·g
	VADDPS      Y4, Y3, Y3      // v
	VMOVUPS     Y3, (R9)(BX*1)
	VSQRTPS     Y3, Y3
	VDIVPS      Y11, Y3, Y3     // √v/bc2
	VADDPS      Y15, Y3, Y3     // + ε
	VMULPS      Y1, Y10, Y1     // −step·m
	VDIVPS      Y3, Y1, Y1
	PSTEP
	JNZ         aloop

adone:
	HSUM(Y8, X8, X0)
	VMOVSS X8, ret+104(FP)
	VZEROUPPER
	RET

// func rmspropAVX2(p, g, v, b []float32, k *[5]float32) float32
// Requires: AVX, FMA
//
// DI p, SI g, R8 v, R9 b, BX byte offset, CX blocks left; Y8 Σp·0, Y9 0,
// Y10 α, Y11 1−α, Y12 ε, Y13 −lr, Y14 μ.
TEXT ·rmspropAVX2(SB), NOSPLIT, $0-108
	MOVQ         p_base+0(FP), DI
	MOVQ         p_len+8(FP), CX
	MOVQ         g_base+24(FP), SI
	MOVQ         v_base+48(FP), R8
	MOVQ         b_base+72(FP), R9
	MOVQ         k+96(FP), AX
	VBROADCASTSS 0(AX), Y10
	VBROADCASTSS 4(AX), Y11
	VBROADCASTSS 8(AX), Y12
	VBROADCASTSS 12(AX), Y13
	VBROADCASTSS 16(AX), Y14
	VXORPS       Y8, Y8, Y8
	VXORPS       Y9, Y9, Y9
	XORQ         BX, BX
	SHRQ         $3, CX
	JZ           rdone
	CMPQ         b_len+80(FP), $0
	JNE          rmloop

rloop:
	RMSV
	VMULPS      Y0, Y13, Y1     // −lr·g
	VDIVPS      Y3, Y1, Y1      // /a
	PSTEP
	JNZ         rloop
	JMP         rdone

rmloop:
	RMSV
	VDIVPS      Y3, Y0, Y0      // g/a
	VMULPS      (R9)(BX*1), Y14, Y1 // b·μ
	VADDPS      Y0, Y1, Y1      // b
	VMOVUPS     Y1, (R9)(BX*1)
	VMULPS      Y1, Y13, Y1     // −lr·b
	PSTEP
	JNZ         rmloop

rdone:
	HSUM(Y8, X8, X0)
	VMOVSS X8, ret+104(FP)
	VZEROUPPER
	RET

// func sgdAVX2(p, g, b []float32, k *[2]float32) float32
// Requires: AVX, FMA
//
// DI p, SI g, R8 b, BX byte offset, CX blocks left; Y8 Σp·0, Y9 0, Y10 lr,
// Y11 μ.
TEXT ·sgdAVX2(SB), NOSPLIT, $0-84
	MOVQ         p_base+0(FP), DI
	MOVQ         p_len+8(FP), CX
	MOVQ         g_base+24(FP), SI
	MOVQ         b_base+48(FP), R8
	MOVQ         k+72(FP), AX
	VBROADCASTSS 0(AX), Y10
	VBROADCASTSS 4(AX), Y11
	VXORPS       Y8, Y8, Y8
	VXORPS       Y9, Y9, Y9
	XORQ         BX, BX
	SHRQ         $3, CX
	JZ           sdone
	CMPQ         b_len+56(FP), $0
	JNE          smloop

sloop:
	VMULPS      (SI)(BX*1), Y10, Y1 // lr·g
	VMOVUPS     (DI)(BX*1), Y0
	VSUBPS      Y1, Y0, Y0      // p − lr·g
	SSTEP
	JNZ         sloop
	JMP         sdone

smloop:
	VMULPS      (R8)(BX*1), Y11, Y1 // b·μ
	VADDPS      (SI)(BX*1), Y1, Y1  // b = g + b·μ
	VMOVUPS     Y1, (R8)(BX*1)
	VMULPS      Y1, Y10, Y1     // lr·b
	VMOVUPS     (DI)(BX*1), Y0
	VSUBPS      Y1, Y0, Y0      // p − lr·b
	SSTEP
	JNZ         smloop

sdone:
	HSUM(Y8, X8, X0)
	VMOVSS X8, ret+80(FP)
	VZEROUPPER
	RET

// func sumAVX2(s []float32) float64
// Requires: AVX
//
// SI s, CX blocks of 16 left; Y0-Y3 the partial sums of lanes 0-3, 4-7,
// 8-11, 12-15 (as float64), Y4-Y7 the block converted.
TEXT ·sumAVX2(SB), NOSPLIT, $0-32
	MOVQ   s_base+0(FP), SI
	MOVQ   s_len+8(FP), CX
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	SHRQ   $4, CX
	JZ     sumdone

sumloop:
	VCVTPS2PD (SI), Y4
	VCVTPS2PD 16(SI), Y5
	VCVTPS2PD 32(SI), Y6
	VCVTPS2PD 48(SI), Y7
	VADDPD    Y4, Y0, Y0
	VADDPD    Y5, Y1, Y1
	VADDPD    Y6, Y2, Y2
	VADDPD    Y7, Y3, Y3
	ADDQ      $64, SI
	DECQ      CX
	JNZ       sumloop

sumdone:
	// ((p0..3 + p4..7) + (p8..11 + p12..15)), then lanes (0 + 2) + (1 + 3).
	VADDPD       Y1, Y0, Y0
	VADDPD       Y3, Y2, Y2
	VADDPD       Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPD       X1, X0, X0
	VHADDPD      X0, X0, X0
	VMOVSD       X0, ret+24(FP)
	VZEROUPPER
	RET

DATA splitIota<>+0(SB)/4, $0
DATA splitIota<>+4(SB)/4, $1
DATA splitIota<>+8(SB)/4, $2
DATA splitIota<>+12(SB)/4, $3
DATA splitIota<>+16(SB)/4, $4
DATA splitIota<>+20(SB)/4, $5
DATA splitIota<>+24(SB)/4, $6
DATA splitIota<>+28(SB)/4, $7
GLOBL splitIota<>(SB), RODATA|NOPTR, $32

// func splitHeadAVX2(lg, mu, ls, head []float32, n, whole, k, kd int)
// Requires: AVX, AVX2
//
// splitHeadAVX2 (see vec_amd64.go): each part of a row, at most 8 floats,
// with one load and one store of a whole vector for the first whole rows
// (each store's lanes past the part are written again by the next row's
// store), then with VMASKMOVPS, which stays inside the slices.
// SI head row, DI lg row, R8 mu row, R9 ls row, CX rows left in the
// loop, DX rows after it, R10 k·4, R11 kd·4, R12 (k+kd)·4, R13 hw·4; Y3
// the first k lanes, Y4 the first kd.
TEXT ·splitHeadAVX2(SB), NOSPLIT, $0-128
	MOVQ         lg_base+0(FP), DI
	MOVQ         mu_base+24(FP), R8
	MOVQ         ls_base+48(FP), R9
	MOVQ         head_base+72(FP), SI
	MOVQ         n+96(FP), DX
	MOVQ         whole+104(FP), CX
	SUBQ         CX, DX
	MOVQ         k+112(FP), R10
	SHLQ         $2, R10
	MOVQ         kd+120(FP), R11
	SHLQ         $2, R11
	LEAQ         (R10)(R11*1), R12
	LEAQ         (R12)(R11*1), R13
	TESTQ        CX, CX
	JZ           splitmasked

splitwhole:
	VMOVUPS (SI), Y0
	VMOVUPS (SI)(R10*1), Y1
	VMOVUPS (SI)(R12*1), Y2
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, (R8)
	VMOVUPS Y2, (R9)
	ADDQ    R13, SI
	ADDQ    R10, DI
	ADDQ    R11, R8
	ADDQ    R11, R9
	DECQ    CX
	JNZ     splitwhole

splitmasked:
	TESTQ        DX, DX
	JZ           splitdone
	VMOVDQU      splitIota<>(SB), Y5
	VPBROADCASTD k+112(FP), Y3
	VPCMPGTD     Y5, Y3, Y3
	VPBROADCASTD kd+120(FP), Y4
	VPCMPGTD     Y5, Y4, Y4

splitrow:
	VMASKMOVPS (SI), Y3, Y0
	VMASKMOVPS (SI)(R10*1), Y4, Y1
	VMASKMOVPS (SI)(R12*1), Y4, Y2
	VMASKMOVPS Y0, Y3, (DI)
	VMASKMOVPS Y1, Y4, (R8)
	VMASKMOVPS Y2, Y4, (R9)
	ADDQ       R13, SI
	ADDQ       R10, DI
	ADDQ       R11, R8
	ADDQ       R11, R9
	DECQ       DX
	JNZ        splitrow

splitdone:
	VZEROUPPER
	RET

// func addAVX2(dst, src []float32)
// Requires: AVX
//
// dst[i] = dst[i] + src[i] for i < len(dst), a multiple of 8 (len(src) ≥
// len(dst)): DI dst, SI src, BX byte offset, CX blocks of 8 left.
TEXT ·addAVX2(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), CX
	MOVQ src_base+24(FP), SI
	XORQ BX, BX
	SHRQ $3, CX
	JZ   adone

aloop:
	VMOVUPS (DI)(BX*1), Y0
	VADDPS  (SI)(BX*1), Y0, Y0
	VMOVUPS Y0, (DI)(BX*1)
	ADDQ    $32, BX
	DECQ    CX
	JNZ     aloop

adone:
	VZEROUPPER
	RET

// func pickAVX2(comp []int32, pi []float32, bits []uint64, k int)
// Requires: AVX, AVX2
//
// The contract is pickAVX2's declaration in vec_amd64.go. Four rows a
// block in float64 lanes: u from the word's top 53 bits, split at bit 32
// so that each half converts exactly by the 2⁵² exponent trick; then for
// each component the four rows' weights loaded into one vector and
// widened (ROW4_LOAD), added to the running sums, and the sign bit of
// u − sum counted.
//
// Registers: DI comp, SI pi at the block's first row (then at the
// component), BX bits, CX blocks left, DX components left, R8 k, R11 4·k
// (bytes of a row's weights), R14 3·R11; X9 k, Y10 2⁵² (bits and
// value), Y11 2⁻⁵³, Y12 2³², Y14 zero; Y1 u, Y3 sums, Y4 negative counts,
// X7 the weights.
TEXT ·pickAVX2(SB), NOSPLIT, $0-80
	MOVQ comp_base+0(FP), DI
	MOVQ comp_len+8(FP), CX
	SHRQ $2, CX
	JZ   pickdone
	MOVQ pi_base+24(FP), SI
	MOVQ bits_base+48(FP), BX
	MOVQ k+72(FP), R8
	LEAQ (R8*4), R11
	LEAQ (R11)(R11*2), R14
	VMOVD        R8, X9
	VPBROADCASTD X9, X9
	VBROADCASTSD ·pickTwo52(SB), Y10
	VBROADCASTSD ·pickTwoM53(SB), Y11
	VBROADCASTSD ·pickTwo32(SB), Y12
	VPXOR        Y14, Y14, Y14

pickblock:
	VMOVDQU  (BX), Y0
	VPSRLQ   $11, Y0, Y0
	VPSRLQ   $32, Y0, Y1
	VPBLENDD $0xaa, Y14, Y0, Y2
	VPOR     Y10, Y1, Y1
	VSUBPD   Y10, Y1, Y1
	VPOR     Y10, Y2, Y2
	VSUBPD   Y10, Y2, Y2
	VMULPD   Y12, Y1, Y1
	VADDPD   Y2, Y1, Y1
	VMULPD   Y11, Y1, Y1
	VXORPD   Y3, Y3, Y3
	VPXOR    Y4, Y4, Y4
	MOVQ     R8, DX

pickcomp:
	ROW4_LOAD(SI, X7, Y7)
	VADDPD     Y7, Y3, Y3
	VSUBPD     Y3, Y1, Y7
	VPSRLQ     $63, Y7, Y7
	VPADDQ     Y7, Y4, Y4
	ADDQ       $4, SI
	DECQ       DX
	JNZ        pickcomp

	// comp = k − the negative differences, the counts' low dwords packed;
	// SI has moved one row on, to the next block's after three more.
	VEXTRACTI128 $1, Y4, X7
	VSHUFPS      $0x88, X7, X4, X4
	VPSUBD       X4, X9, X4
	VMOVDQU      X4, (DI)
	ADDQ         $16, DI
	ADDQ         $32, BX
	LEAQ         (SI)(R11*2), SI
	ADDQ         R11, SI
	DECQ         CX
	JNZ          pickblock

pickdone:
	VZEROUPPER
	RET

DATA ·pickTwo52(SB)/8, $0x4330000000000000
GLOBL ·pickTwo52(SB), RODATA|NOPTR, $8

DATA ·pickTwoM53(SB)/8, $0x3ca0000000000000
GLOBL ·pickTwoM53(SB), RODATA|NOPTR, $8

DATA ·pickTwo32(SB)/8, $0x41f0000000000000
GLOBL ·pickTwo32(SB), RODATA|NOPTR, $8

// func momentsAVX2(dst, pi, mu, sg []float32, n, k, d, q int)
// Requires: AVX, AVX2
//
// The contract is momentsAVX2's declaration in vec_amd64.go. Four rows a
// block in float64 lanes, each row's components loaded into one vector
// per component; the mean's sum first, then, for the variance, the second
// pass over the components, each product rounded before its sum. With d
// dimensions, μ and σ are strided: a component d floats on, a row k·d.
//
// Registers: DI dst at the block, CX blocks left, SI π, R9 μ, R10 σ at
// the block's first row; AX, BX, DX the same at the component, R12 the end
// of the first row's weights; R11 4·k (a row of π), R14 3·R11, R8 4·k·d (a
// row of μ and σ), R15 3·R8, R13 4·d (a component's step in μ and σ, a
// row's in dst); q read from the frame; Y0 the means, Y3 the variances,
// Y1, Y2, Y4-Y6 the components. (R15 is safe here: the function reads no
// global.)
TEXT ·momentsAVX2(SB), NOSPLIT, $0-128
	MOVQ  dst_base+0(FP), DI
	MOVQ  n+96(FP), CX
	SHRQ  $2, CX
	JZ    momdone
	MOVQ  pi_base+24(FP), SI
	MOVQ  mu_base+48(FP), R9
	MOVQ  sg_base+72(FP), R10
	MOVQ  k+104(FP), R11
	SHLQ  $2, R11
	MOVQ  d+112(FP), R13
	MOVQ  R11, R8
	IMULQ R13, R8
	SHLQ  $2, R13
	LEAQ  (R11)(R11*2), R14
	LEAQ  (R8)(R8*2), R15

momblock:
	VXORPD Y0, Y0, Y0
	MOVQ   SI, AX
	MOVQ   R9, BX
	LEAQ   (SI)(R11*1), R12

mommean:
	ROW4_LOAD(AX, X1, Y1)
	ROW4_LOADS(BX, R8, R15, X2, Y2)
	VMULPD Y2, Y1, Y1
	VADDPD Y1, Y0, Y0
	ADDQ   $4, AX
	ADDQ   R13, BX
	CMPQ   AX, R12
	JNE    mommean
	CMPQ   q+120(FP), $0
	JEQ    momstore

	VXORPD Y3, Y3, Y3
	MOVQ   SI, AX
	MOVQ   R9, BX
	MOVQ   R10, DX

momvar:
	ROW4_LOADS(DX, R8, R15, X4, Y4)
	ROW4_LOADS(BX, R8, R15, X5, Y5)
	ROW4_LOAD(AX, X6, Y6)
	VSUBPD Y0, Y5, Y5
	VMULPD Y4, Y4, Y4
	VMULPD Y5, Y5, Y5
	VADDPD Y5, Y4, Y4
	VMULPD Y4, Y6, Y6
	VADDPD Y6, Y3, Y3
	ADDQ   $4, AX
	ADDQ   R13, BX
	ADDQ   R13, DX
	CMPQ   AX, R12
	JNE    momvar
	VMOVAPD Y3, Y0
	CMPQ    q+120(FP), $2
	JNE     momstore
	VSQRTPD Y0, Y0

momstore:
	VCVTPD2PSY Y0, X0
	CMPQ       R13, $4
	JNE        momstrided
	VMOVUPS    X0, (DI) // one dimension: the four rows' values side by side
	ADDQ       $16, DI
	JMP        momnext

momstrided:
	VMOVSS     X0, (DI)
	VEXTRACTPS $1, X0, (DI)(R13*1)
	LEAQ       (DI)(R13*2), DI
	VEXTRACTPS $2, X0, (DI)
	VEXTRACTPS $3, X0, (DI)(R13*1)
	LEAQ       (DI)(R13*2), DI

momnext:
	LEAQ       (R14)(R11*1), AX
	ADDQ       AX, SI
	LEAQ       (R15)(R8*1), AX
	ADDQ       AX, R9
	ADDQ       AX, R10
	DECQ       CX
	JNZ        momblock

momdone:
	VZEROUPPER
	RET
