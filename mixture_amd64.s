//go:build !purego

#include "textflag.h"
#include "asm_amd64.h"
#include "vecmath_amd64.h"

// Constants of the mixture kernel, each value in all eight lanes.
SPLAT(·mixLogSigmaMin, $0xc2ae0000) // −87 = kernels.LogSigmaMin
SPLAT(·mixZMax, $0x5d800000)        // 2⁶⁰ = kernels.ZMax
SPLAT(·mixNegZMax, $0xdd800000)     // −2⁶⁰
SPLAT(·mixMax, $0x7f7fffff)         // MaxFloat32
SPLAT(·mixNegMax, $0xff7fffff)      // −MaxFloat32
SPLAT(·mixHalfLog2Pi, $0x3f6b3f8e)  // ½·log(2π)
SPLAT(mixHalf<>, $0x3f000000)        // 0.5
SPLAT(mixExpMin<>, $0xc2aeac50)      // −87.33654 = ln 2⁻¹²⁶, for EXP_FTZ_AVX2

// Scratch layout: byte offsets from R12 (see mixtureScratchLen). First the
// values shared by all blocks:
#define S_IDXH 0    // 8 × int32: lane·w, gather offsets of the head rows (w < 4)
#define S_IDXY 32   // 8 × int32: lane·d, gather offsets of the y rows
#define S_DC 64     // d·½log2π
#define S_W 128     // int64: w = k + 2kd
#define S_KD32 136  // int64: 32·k·d, from a μ column to its logσ column
#define S_REC 144   // int64: bytes per component record, 96 + 64·d
#define S_HOFF 152  // int64: offset of the head columns in a block area
#define S_ROFF 160  // int64: offset of the component records in a block area
#define S_MXCSR 168 // uint32: the caller's MXCSR, restored on return
#define S_MXFTZ 172 // uint32: the MXCSR used inside, with FTZ and DAZ set
#define S_BSIZE 176 // int64: bytes per block area
#define S_GEND 184  // int64: address of the end of the group's last block area
#define S_AREA (4*const_mixtureSharedLen) // the block areas, S_BSIZE bytes each:
#define B_LMAX 0    //   max_c logit_c
#define B_SL 32     //   Σ_c e^(logit_c − max)
#define B_MM 64     //   max_c lp_c
#define B_S 96      //   Σ_c e^(lp_c − max)
#define B_ROW 128   //   int64: the block's first row
#define B_Y 160     //   d vectors ½·y_j
// then (S_HOFF) w vectors, the head columns (the gradient columns after
// the gradient stage), then (S_ROFF) k component records of 3+2d vectors:
//   0: unused   32: e^(logit − max)   64: lp, then e^(lp − max)
//   96 + 64j: z_j    128 + 64j: 2/σ_j

// CLAMP sets v to min(max(v, lo), hi) with lo, hi registers; NaN stays NaN
// (v is the second source, which VMINPS/VMAXPS return when either is NaN).
#define CLAMP(v, lo, hi) \
	VMINPS v, hi, v; \
	VMAXPS v, lo, v

// TRANSPOSE4 transposes the 4×4 blocks in each 128-bit lane of a0…a3 into
// a0…a3, with t0…t3 scratch: row i of a block becomes column i.
#define TRANSPOSE4(a0, a1, a2, a3, t0, t1, t2, t3) \
	VUNPCKLPS a1, a0, t0;        \
	VUNPCKHPS a1, a0, t1;        \
	VUNPCKLPS a3, a2, t2;        \
	VUNPCKHPS a3, a2, t3;        \
	VSHUFPS   $0x44, t2, t0, a0; \
	VSHUFPS   $0xEE, t2, t0, a1; \
	VSHUFPS   $0x44, t3, t1, a2; \
	VSHUFPS   $0xEE, t3, t1, a3

// COLS4_IN loads 4 consecutive columns of the 8 rows at b (rows 0–3) and
// b4 = b + 4·w4 (rows 4–7), row stride R11, 3·stride R13, and stores them
// as 4 column vectors at p. Clobbers Y0–Y7.
#define COLS4_IN(b, b4, p) \
	VMOVUPS     (b), X0;                  \
	VINSERTF128 $1, (b4), Y0, Y0;         \
	VMOVUPS     (b)(R11*1), X1;           \
	VINSERTF128 $1, (b4)(R11*1), Y1, Y1;  \
	VMOVUPS     (b)(R11*2), X2;           \
	VINSERTF128 $1, (b4)(R11*2), Y2, Y2;  \
	VMOVUPS     (b)(R13*1), X3;           \
	VINSERTF128 $1, (b4)(R13*1), Y3, Y3;  \
	TRANSPOSE4(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7); \
	VMOVUPS     Y0, (p);                  \
	VMOVUPS     Y1, 32(p);                \
	VMOVUPS     Y2, 64(p);                \
	VMOVUPS     Y3, 96(p)

// COLS4_OUT is the inverse of COLS4_IN: 4 column vectors at p to 4
// consecutive columns of the 8 rows at b and b4.
#define COLS4_OUT(p, b, b4) \
	VMOVUPS      (p), Y0;                 \
	VMOVUPS      32(p), Y1;               \
	VMOVUPS      64(p), Y2;               \
	VMOVUPS      96(p), Y3;               \
	TRANSPOSE4(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7); \
	VMOVUPS      X0, (b);                 \
	VEXTRACTF128 $1, Y0, (b4);            \
	VMOVUPS      X1, (b)(R11*1);          \
	VEXTRACTF128 $1, Y1, (b4)(R11*1);     \
	VMOVUPS      X2, (b)(R11*2);          \
	VEXTRACTF128 $1, Y2, (b4)(R11*2);     \
	VMOVUPS      X3, (b)(R13*1);          \
	VEXTRACTF128 $1, Y3, (b4)(R13*1)

// COLS8_OUT is COLS4_OUT for 8 consecutive columns (8 vectors at p), with
// one 32-byte store per row: two in-lane 4×4 transposes, then VPERM2F128
// joins the halves of each row. Clobbers Y0–Y11.
#define COLS8_OUT(p, b, b4) \
	VMOVUPS    (p), Y0;                      \
	VMOVUPS    32(p), Y1;                    \
	VMOVUPS    64(p), Y2;                    \
	VMOVUPS    96(p), Y3;                    \
	TRANSPOSE4(Y0, Y1, Y2, Y3, Y8, Y9, Y10, Y11); \
	VMOVUPS    128(p), Y4;                   \
	VMOVUPS    160(p), Y5;                   \
	VMOVUPS    192(p), Y6;                   \
	VMOVUPS    224(p), Y7;                   \
	TRANSPOSE4(Y4, Y5, Y6, Y7, Y8, Y9, Y10, Y11); \
	VPERM2F128 $0x20, Y4, Y0, Y8;            \
	VPERM2F128 $0x31, Y4, Y0, Y9;            \
	VMOVUPS    Y8, (b);                      \
	VMOVUPS    Y9, (b4);                     \
	VPERM2F128 $0x20, Y5, Y1, Y10;           \
	VPERM2F128 $0x31, Y5, Y1, Y11;           \
	VMOVUPS    Y10, (b)(R11*1);              \
	VMOVUPS    Y11, (b4)(R11*1);             \
	VPERM2F128 $0x20, Y6, Y2, Y8;            \
	VPERM2F128 $0x31, Y6, Y2, Y9;            \
	VMOVUPS    Y8, (b)(R11*2);               \
	VMOVUPS    Y9, (b4)(R11*2);              \
	VPERM2F128 $0x20, Y7, Y3, Y10;           \
	VPERM2F128 $0x31, Y7, Y3, Y11;           \
	VMOVUPS    Y10, (b)(R13*1);              \
	VMOVUPS    Y11, (b4)(R13*1)

// STORE8 writes the 8 lanes of y (x its low half) to (b), (b)+R11, …,
// (b)+7·R11; t is clobbered and so is x.
#define STORE8(y, x, b, t) \
	VMOVSS       x, (b);            \
	VEXTRACTPS   $1, x, (b)(R11*1); \
	VEXTRACTPS   $2, x, (b)(R11*2); \
	LEAQ         (b)(R11*2), t;     \
	VEXTRACTPS   $3, x, (t)(R11*1); \
	VEXTRACTF128 $1, y, x;          \
	LEAQ         (b)(R11*4), t;     \
	VMOVSS       x, (t);            \
	VEXTRACTPS   $1, x, (t)(R11*1); \
	VEXTRACTPS   $2, x, (t)(R11*2); \
	LEAQ         (t)(R11*2), t;     \
	VEXTRACTPS   $3, x, (t)(R11*1)

// GATHER8 loads into dst the 8 values at b + 4·idx (all lanes).
#define GATHER8(b, idx, dst, mask) \
	VPCMPEQD   mask, mask, mask; \
	VGATHERDPS mask, (b)(idx*4), dst

// func mixtureAVX2(nll, dhead, head, y []float32, k, d int, scale float32, scratch *float32, group int)
// Requires: AVX, AVX2, FMA
//
// Blocks of 8 rows, one row per lane; n = len(nll) ≥ 8 and the last block
// starts at n−8. len(dhead) == 0 computes nll only. Up to group blocks are
// processed together, stage by stage (columns in, logit max, softmax
// weights and component log-likelihoods, LSE, gradient, columns out), so
// that the dependency chain of one block (exp → exp → log) overlaps with
// the other blocks of its group. Each block's head rows are transposed
// into column vectors in its scratch area (4 columns at a time with
// 128-bit loads, VINSERTF128 and an in-lane 4×4 transpose; the last 4
// columns overlap the ones before when 4 ∤ w; a gather per column when
// w < 4); the gradient columns go back the same way. Per row: 2k + k·d
// exponentials (softmax weights, 1/σ, responsibilities) and one log.
// MXCSR has FTZ and DAZ set inside.
//
// Registers:
//	BX  first row of the group       R12 scratch
//	R8  block area                   R11 row stride w·4 in bytes (in, out)
//	AX, CX, DX, SI, DI, R9, R10, R13, R14: loops, rows and columns
//	Y15 −MaxFloat32                  Y14 MaxFloat32
//	Y13 d·½log2π (components)
//	Y12 max over components          Y0–Y11 work
TEXT ·mixtureAVX2(SB), NOSPLIT, $0-136
	MOVQ     scratch+120(FP), R12
	FTZ_ON(S_MXCSR(R12), S_MXFTZ(R12))
	MOVQ     k+96(FP), R9
	MOVQ     d+104(FP), R10

	// w = k + 2kd, the gather offsets lane·w and lane·d, the layout.
	MOVQ  R9, AX
	IMULQ R10, AX
	MOVQ  AX, CX
	SHLQ  $5, CX
	MOVQ  CX, S_KD32(R12)
	LEAQ  (R9)(AX*2), R11
	MOVQ  R11, S_W(R12)
	XORQ  CX, CX
	XORQ  R13, R13

offsets:
	MOVL  CX, S_IDXH(R12)(R13*4)
	MOVL  R13, AX
	IMULL R10, AX
	MOVL  AX, S_IDXY(R12)(R13*4)
	ADDL  R11, CX
	INCQ  R13
	CMPQ  R13, $8
	JLT   offsets

	MOVQ  R10, AX
	SHLQ  $6, AX
	ADDQ  $96, AX
	MOVQ  AX, S_REC(R12)
	MOVQ  R10, CX
	SHLQ  $5, CX
	ADDQ  $B_Y, CX
	MOVQ  CX, S_HOFF(R12)
	MOVQ  R11, DX
	SHLQ  $5, DX
	ADDQ  DX, CX
	MOVQ  CX, S_ROFF(R12)
	IMULQ R9, AX
	ADDQ  CX, AX
	MOVQ  AX, S_BSIZE(R12)

	VCVTSI2SSQ   R10, X0, X0
	VMULSS       ·mixHalfLog2Pi(SB), X0, X0
	VBROADCASTSS X0, Y0
	VMOVUPS      Y0, S_DC(R12)

	VMOVUPS ·mixMax(SB), Y14
	VMOVUPS ·mixNegMax(SB), Y15
	XORQ    BX, BX

group:
	// Blocks in this group: min(group, ⌈(n − BX)/8⌉).
	MOVQ    nll_len+8(FP), AX
	SUBQ    BX, AX
	ADDQ    $7, AX
	SHRQ    $3, AX
	MOVQ    group+128(FP), CX
	CMPQ    AX, CX
	CMOVQGT CX, AX
	IMULQ   S_BSIZE(R12), AX
	LEAQ    S_AREA(R12)(AX*1), AX
	MOVQ    AX, S_GEND(R12)

	// Stage 1: the block's first row min(BX + 8b, n − 8), ½·y, head columns.
	LEAQ S_AREA(R12), R8
	MOVQ BX, DX

in:
	MOVQ    nll_len+8(FP), AX
	SUBQ    $8, AX
	MOVQ    DX, R9
	CMPQ    R9, AX
	CMOVQGT AX, R9
	MOVQ    R9, B_ROW(R8)
	MOVQ    S_W(R12), R11
	SHLQ    $2, R11
	MOVQ    R9, AX
	IMULQ   R11, AX
	MOVQ    head_base+48(FP), SI
	ADDQ    AX, SI
	MOVQ    d+104(FP), AX
	IMULQ   R9, AX
	MOVQ    y_base+72(FP), DI
	LEAQ    (DI)(AX*4), DI

	VMOVUPS mixHalf<>(SB), Y7
	MOVQ    d+104(FP), CX
	LEAQ    B_Y(R8), R13
	CMPQ    CX, $1
	JNE     ygather
	VMULPS  (DI), Y7, Y1
	VMOVUPS Y1, (R13)
	JMP     hin

ygather:
	VMOVDQU S_IDXY(R12), Y9

ycols:
	GATHER8(DI, Y9, Y1, Y8)
	VMULPS  Y7, Y1, Y1
	VMOVUPS Y1, (R13)
	ADDQ    $4, DI
	ADDQ    $32, R13
	DECQ    CX
	JNZ     ycols

hin:
	MOVQ S_HOFF(R12), R14
	ADDQ R8, R14
	MOVQ S_W(R12), R10
	CMPQ R10, $4
	JLT  hgather
	LEAQ (R11)(R11*2), R13
	SUBQ $4, R10
	XORQ R9, R9

hcols:
	CMPQ    R9, R10
	CMOVQGT R10, R9
	LEAQ    (SI)(R9*4), AX
	LEAQ    (AX)(R11*4), CX
	MOVQ    R9, DI
	SHLQ    $5, DI
	ADDQ    R14, DI
	COLS4_IN(AX, CX, DI)
	CMPQ    R9, R10
	JGE     innext
	ADDQ    $4, R9
	JMP     hcols

hgather:
	VMOVDQU S_IDXH(R12), Y9
	MOVQ    SI, AX
	MOVQ    R14, CX

hgcols:
	GATHER8(AX, Y9, Y1, Y8)
	VMOVUPS Y1, (CX)
	ADDQ    $4, AX
	ADDQ    $32, CX
	DECQ    R10
	JNZ     hgcols

innext:
	ADDQ $8, DX
	ADDQ S_BSIZE(R12), R8
	CMPQ R8, S_GEND(R12)
	JLT  in

	// Stage 2: max over the logits.
	LEAQ S_AREA(R12), R8

logits:
	MOVQ         k+96(FP), CX
	MOVQ         S_HOFF(R12), AX
	ADDQ         R8, AX
	VBROADCASTSS ·vmNegInf(SB), Y0

lmax:
	VMAXPS (AX), Y0, Y0
	ADDQ   $32, AX
	DECQ   CX
	JNZ    lmax

	VMOVUPS Y0, B_LMAX(R8)
	ADDQ    S_BSIZE(R12), R8
	CMPQ    R8, S_GEND(R12)
	JLT     logits

	// Stage 3: per component, p = e^(logit − max) (and Σp), then
	// lp_c = logit_c − max + Σ_j (−logσ − ½log2π − ½z²), the component
	// log-likelihood up to the log-softmax normaliser log Σp, with
	// z = (½y − ½μ)·(2/σ) and 1/σ = e^(−max(logσ, −87)). SI walks the
	// logit columns, AX the μ columns, the logσ column is DI bytes further.
	LEAQ    S_AREA(R12), R8
	MOVQ    S_KD32(R12), DI
	VMOVUPS S_DC(R12), Y13
	VMOVUPS ·mixLogSigmaMin(SB), Y8
	VMOVUPS mixHalf<>(SB), Y9
	VMOVUPS ·mixZMax(SB), Y10
	VMOVUPS ·mixNegZMax(SB), Y11

comps:
	MOVQ         S_ROFF(R12), R14
	ADDQ         R8, R14
	MOVQ         S_HOFF(R12), SI
	ADDQ         R8, SI
	MOVQ         k+96(FP), CX
	MOVQ         CX, AX
	SHLQ         $5, AX
	ADDQ         SI, AX
	VBROADCASTSS ·vmNegInf(SB), Y12
	VXORPS       Y7, Y7, Y7

comp:
	VMOVUPS (SI), Y0
	VSUBPS  B_LMAX(R8), Y0, Y0
	VMOVAPS Y0, Y1
	EXP_FTZ_AVX2(Y1, mixExpMin<>(SB), Y3, Y4, Y5)
	VMOVUPS Y1, 32(R14)
	VADDPS  Y1, Y7, Y7
	VSUBPS  Y13, Y0, Y0
	ADDQ    $32, SI
	LEAQ    96(R14), R11
	LEAQ    B_Y(R8), R13
	MOVQ    d+104(FP), R10

dim:
	VMOVUPS      (AX), Y1                  // μ
	VMOVUPS      (AX)(DI*1), Y2            // logσ
	VMAXPS       Y2, Y8, Y3
	VXORPS       ·vmSignMask(SB), Y3, Y3
	EXP_FTZ_AVX2(Y3, mixExpMin<>(SB), Y4, Y5, Y6)
	VADDPS       Y3, Y3, Y3                // 2/σ
	VMOVUPS      Y3, 32(R11)
	VMOVUPS      (R13), Y4
	VFNMADD231PS Y9, Y1, Y4                // ½y − ½μ
	VMULPS       Y3, Y4, Y4                // z
	CLAMP(Y4, Y11, Y10)
	VMOVUPS      Y4, (R11)
	VSUBPS       Y2, Y0, Y0
	VMULPS       Y9, Y4, Y5
	VFNMADD231PS Y4, Y5, Y0
	CLAMP(Y0, Y15, Y14)
	ADDQ         $32, AX
	ADDQ         $32, R13
	ADDQ         $64, R11
	DECQ         R10
	JNZ          dim

	VMOVUPS Y0, 64(R14)
	VMAXPS  Y0, Y12, Y12
	MOVQ    R11, R14
	DECQ    CX
	JNZ     comp

	VMOVUPS Y12, B_MM(R8)
	VMOVUPS Y7, B_SL(R8)
	ADDQ    S_BSIZE(R12), R8
	CMPQ    R8, S_GEND(R12)
	JLT     comps

	// Stage 4: LSE over the components, nll = −(max + log(Σe/Σp)) with
	// one log; e = e^(lp − max) kept for the responsibilities.
	LEAQ S_AREA(R12), R8

lses:
	VMOVUPS B_MM(R8), Y12
	MOVQ    S_ROFF(R12), R14
	ADDQ    R8, R14
	MOVQ    k+96(FP), CX
	MOVQ    S_REC(R12), R10
	VXORPS  Y1, Y1, Y1

lse:
	VMOVUPS 64(R14), Y0
	VSUBPS  Y12, Y0, Y0
	EXP_FTZ_AVX2(Y0, mixExpMin<>(SB), Y3, Y4, Y5)
	VMOVUPS Y0, 64(R14)
	VADDPS  Y0, Y1, Y1
	ADDQ    R10, R14
	DECQ    CX
	JNZ     lse

	VMOVUPS Y1, B_S(R8)
	VDIVPS  B_SL(R8), Y1, Y1
	LOG_AVX2(Y1, Y3, Y4, Y5)
	VADDPS  Y12, Y1, Y1
	VXORPS  ·vmSignMask(SB), Y1, Y1
	CLAMP(Y1, Y15, Y14)
	MOVQ    B_ROW(R8), AX
	MOVQ    nll_base+0(FP), CX
	VMOVUPS Y1, (CX)(AX*4)

	ADDQ S_BSIZE(R12), R8
	CMPQ R8, S_GEND(R12)
	JLT  lses

	MOVQ  dhead_len+32(FP), AX
	TESTQ AX, AX
	JZ    next

	// Stage 5: gradient columns, over the head columns: scale·γ =
	// e·scale/Σe, scale·π = p·scale/Σp. AX walks the logit columns, R9
	// the μ columns, the logσ column is DI bytes further.
	LEAQ    S_AREA(R12), R8
	VMOVUPS mixHalf<>(SB), Y9

grads:
	VBROADCASTSS scale+112(FP), Y3
	VDIVPS       B_S(R8), Y3, Y10
	VDIVPS       B_SL(R8), Y3, Y11
	MOVQ         S_ROFF(R12), R14
	ADDQ         R8, R14
	MOVQ         S_HOFF(R12), AX
	ADDQ         R8, AX
	MOVQ         k+96(FP), CX
	MOVQ         CX, R9
	SHLQ         $5, R9
	ADDQ         AX, R9

gcomp:
	VMULPS  64(R14), Y10, Y6           // scale·γ
	VMULPS  32(R14), Y11, Y7           // scale·π
	VSUBPS  Y6, Y7, Y7
	CLAMP(Y7, Y15, Y14)
	VMOVUPS Y7, (AX)
	ADDQ    $32, AX
	VMULPS  Y9, Y6, Y8                 // ½·scale·γ
	LEAQ    96(R14), SI
	MOVQ    d+104(FP), R10

gdim:
	VMOVUPS      (SI), Y0              // z
	VMULPS       Y0, Y8, Y1
	CLAMP(Y1, Y15, Y14)
	VMULPS       32(SI), Y1, Y1        // ½·scale·γ·z·2/σ
	VXORPS       ·vmSignMask(SB), Y1, Y1
	CLAMP(Y1, Y15, Y14)
	VMOVUPS      Y1, (R9)
	VMULPS       Y0, Y6, Y2            // scale·γ·z
	VMOVAPS      Y6, Y1
	VFNMADD231PS Y0, Y2, Y1            // scale·γ·(1 − z²)
	CLAMP(Y1, Y15, Y14)
	VMOVUPS      Y1, (R9)(DI*1)
	ADDQ         $32, R9
	ADDQ         $64, SI
	DECQ         R10
	JNZ          gdim

	MOVQ SI, R14
	DECQ CX
	JNZ  gcomp

	ADDQ S_BSIZE(R12), R8
	CMPQ R8, S_GEND(R12)
	JLT  grads

	// Stage 6: gradient columns to the dhead rows.
	LEAQ S_AREA(R12), R8
	MOVQ S_W(R12), R11
	SHLQ $2, R11
	LEAQ (R11)(R11*2), R13

out:
	MOVQ  B_ROW(R8), DX
	IMULQ R11, DX
	ADDQ  dhead_base+24(FP), DX
	MOVQ  S_HOFF(R12), R14
	ADDQ  R8, R14
	MOVQ  S_W(R12), R10
	CMPQ  R10, $4
	JLT   gscatter
	SUBQ  $4, R10
	XORQ  R9, R9

gcols:
	CMPQ    R9, R10
	CMOVQGT R10, R9
	LEAQ    (DX)(R9*4), AX
	LEAQ    (AX)(R11*4), CX
	MOVQ    R9, DI
	SHLQ    $5, DI
	ADDQ    R14, DI
	COLS4_OUT(DI, AX, CX)
	CMPQ    R9, R10
	JGE     outnext
	ADDQ    $4, R9
	JMP     gcols

gscatter:
	VMOVUPS (R14), Y0
	STORE8(Y0, X0, DX, SI)
	ADDQ    $4, DX
	ADDQ    $32, R14
	DECQ    R10
	JNZ     gscatter

outnext:
	ADDQ S_BSIZE(R12), R8
	CMPQ R8, S_GEND(R12)
	JLT  out

next:
	MOVQ  group+128(FP), AX
	SHLQ  $3, AX
	ADDQ  AX, BX
	CMPQ  BX, nll_len+8(FP)
	JLT   group
	FTZ_OFF(S_MXCSR(R12))
	VZEROUPPER
	RET

// ---- One output dimension (d = 1): mixture1AVX2 ----

SPLAT(mixExpShiftBias<>, $0x4b40007f)  // 1.5·2²³ + 127: round(x·log2e) + 127 in the low bits
SPLAT(mixExpShiftBias2<>, $0x4b400080) // 1.5·2²³ + 128: the same for 2·e^x
SPLAT(mixExpClamp<>, $0xc2af0000)      // −87.5: e^x < 2⁻¹²⁶ below −87.3365
SPLAT(mixExpClamp2<>, $0xc2b06666)     // −88.2: 2·e^x < 2⁻¹²⁶ below −88.0297
SPLAT(mixSigmaMax<>, $0x42ae0000)      // 87 = −kernels.LogSigmaMin
SPLAT(mixNegHalf<>, $0xbf000000)       // −0.5

// Degree-5 polynomial of EXPR: e^r ≈ 1 + r + c2·r² + … + c5·r⁵ on
// |r| ≤ ½ln2, fitted for the least maximum error in units of the last
// place; with the reduction and the roundings of the Horner steps, EXPR
// is within 2.19 ULP of e^x wherever e^x is a normal float32 (a scalar
// model of it, swept over every such float32 x), against 0.89 for the
// degree-6 polynomial of EXP_AVX2 in the same sweep.
SPLAT(·mixExpC2, $0x3effff14) // 0.499992967
SPLAT(·mixExpC3, $0x3e2aac2f) // 0.166672453
SPLAT(·mixExpC4, $0x3d2b8e9b) // 0.041884046
SPLAT(·mixExpC5, $0x3c0800ed) // 0.00830100197

// EXPR(x, t0, t1, lo, sb, l2e, ln2hi, ln2lo, c5, c4, c3, c2, one):
// x = e^max(x, lo) lane-wise (or 2·e^max(x, lo), see sb), with the
// constants resident in registers that are only read: l2e ·vmLog2e, ln2hi
// ·vmLn2Hi, ln2lo ·vmLn2Lo, c5–c2 mixExpC5–mixExpC2, one ·vmOne. The
// reduction is that of EXP_AVX2 (n = round(x·log2e), r = x − n·ln2 in two
// parts), the polynomial the degree-5 one above (≤ 2.2 ULP, where the
// mixture's error bounds allow far more, for one FMA less per
// exponential); the scale 2^(n+b) comes from the rounding shift itself:
// sb = 1.5·2²³ + b holds the exponent bias b (127 for e^x, 128 for
// 2·e^x), and one multiply applies it. lo (−87.5 for b = 127, −88.2 for
// b = 128) keeps n + b ≥ 1; results below 2⁻¹²⁶ come out subnormal and
// MXCSR.FTZ flushes them to +0. e^0 = 1 exactly. x ≤ 88 for b = 127, ≤ 87
// for b = 128; NaN stays NaN (x is the second source of VMAXPS). 10
// FMA/MUL + 3 other ops.
#define EXPR(x, t0, t1, lo, sb, l2e, ln2hi, ln2lo, c5, c4, c3, c2, one) \
	VMAXPS       x, lo, x;                \
	VMOVAPS      sb, t1;                  \
	VFMADD231PS  l2e, x, t1;              \
	VSUBPS       sb, t1, t0;              \
	VFNMADD231PS ln2hi, t0, x;            \
	VFNMADD231PS ln2lo, t0, x;            \
	VMOVAPS      c5, t0;                  \
	VFMADD213PS  c4, x, t0;               \
	VFMADD213PS  c3, x, t0;               \
	VFMADD213PS  c2, x, t0;               \
	VFMADD213PS  one, x, t0;              \
	VFMADD213PS  one, x, t0;              \
	VPSLLD       $23, t1, t1;             \
	VMULPS       t1, t0, x

// EXP1 is EXPR with the register assignment of the exponential loops of
// mixture1AVX2: x Y0, t0 Y1, t1 Y2, lo Y15, sb Y13, constants Y14, Y12–Y6.
#define EXP1 EXPR(Y0, Y1, Y2, Y15, Y13, Y14, Y12, Y11, Y10, Y9, Y8, Y7, Y6)

// EXPCONST loads the constants of EXP1 for e^x.
#define EXPCONST \
	VMOVUPS mixExpClamp<>(SB), Y15;     \
	VMOVUPS ·vmLog2e(SB), Y14;          \
	VMOVUPS mixExpShiftBias<>(SB), Y13; \
	VMOVUPS ·vmLn2Hi(SB), Y12;          \
	VMOVUPS ·vmLn2Lo(SB), Y11;          \
	VMOVUPS ·mixExpC5(SB), Y10;        \
	VMOVUPS ·mixExpC4(SB), Y9;         \
	VMOVUPS ·mixExpC3(SB), Y8;         \
	VMOVUPS ·mixExpC2(SB), Y7;         \
	VMOVUPS ·vmOne(SB), Y6

// Scratch of mixture1AVX2 (see mixture1ScratchLen): byte offsets from R12.
#define M_MXCSR 0   // uint32: the caller's MXCSR
#define M_MXFTZ 4   // uint32: MXCSR with FTZ and DAZ
#define M_BSIZE 8   // int64: bytes per block area, 224 + 224k
#define M_GEND 16   // int64: end of the group's last block area
#define M_SMALL 24  // int64: 1 if |scale| ≤ 1, else 0
#define M_SCALE 32  // scale in 8 lanes
#define M_AREA (4*const_mixture1SharedLen) // the block areas:
#define A_SL 0      //   Σ_c p_c
#define A_MM 32     //   max_c lp_c
#define A_GS 64     //   scale/Σ_c e_c
#define A_PS 96     //   scale/Σ_c p_c
#define A_LMAX 128  //   max_c logit_c
#define A_YH 160    //   ½y
#define A_ROW 192   //   int64: the block's first row
#define A_COL 224   //   the 3k head columns (logits, μ, logσ), then the gradient columns
// then, with c the component and K = 32k bytes (DI): at A_COL + 3K + 32c
// p_c = e^(logit_c − max logit); at A_COL + 4K + 32c 2/σ_c; at
// A_COL + 5K + 32c z_c; at A_COL + 6K + 32c lp_c (up to the constant
// −½log2π), then e_c = e^(lp_c − max lp).

// func mixture1AVX2(nll, dhead, head, y []float32, k int, scale float32, scratch *float32, group, ldBytes int)
// Requires: AVX, AVX2, FMA
//
// mixtureAVX2 for d = 1 and k ≥ 2 (w = 3k ≥ 6 columns). Blocks of 8 rows,
// one row per lane, up to group blocks through each stage together, so
// that the blocks' dependency chains overlap and the exponentials run in
// loops with their constants in registers (EXP1):
//  1. per block: the head columns (4 at a time; rows loaded 16 bytes at a
//     time, in-lane 4×4 transposes; with ldBytes > 0, head and dhead are
//     w columns ldBytes apart and each column is one 32-byte load), ½y,
//     max logit; then p_c = e^(logit_c − max) with Σp, and
//     2/σ_c = 2·e^−max(logσ_c, −87);
//  2. per block: z_c = (½y − ½μ_c)·(2/σ_c) within ±2⁶⁰,
//     lp_c = logit_c − max − logσ_c − ½z_c² (≥ −MaxFloat32), max lp;
//  3. per block: e_c = e^(lp_c − max lp) and Σe;
//  4. per block (the logarithms of the blocks overlapping):
//     nll = ½log2π − (max lp + log(Σe/Σp)), scale/Σe, scale/Σp;
//  5. if len(dhead) > 0, per block: the gradient columns over the head
//     columns, then to the dhead rows (8 columns and 32 bytes per row at
//     a time for k ≥ 3), or with ldBytes > 0 one 32-byte store per
//     column. For |scale| ≤ 1 the clamps of −½G·z and G − G·z·z are left
//     out: they cannot act.
// MXCSR has FTZ and DAZ set inside (EXPR relies on FTZ).
//
// Registers:
//	BX  first row of the group    R12 scratch      R8 block area
//	R11 row stride 12k bytes      R13 3·R11 (an array end in the loops)
//	DI  32k (column bytes)        CX −32k … 0, the component loops' index
//	AX, DX, SI, R9, R10, R14: rows, columns, array ends
//	Y0–Y5 work; in the exponential loops Y6–Y15 the EXP1 constants;
//	in stage 2: Y15 max logit, Y14 ½y, Y13 max lp, Y12 −MaxFloat32,
//	Y11 2⁶⁰, Y10 −2⁶⁰, Y9 ½; in stage 5: Y15 −MaxFloat32,
//	Y14 MaxFloat32, Y13 scale/Σe, Y12 scale/Σp, Y11 −½.
TEXT ·mixture1AVX2(SB), NOSPLIT, $0-136
	MOVQ     scratch+112(FP), R12
	FTZ_ON(M_MXCSR(R12), M_MXFTZ(R12))

	MOVQ         k+96(FP), R9
	MOVQ         R9, DI
	SHLQ         $5, DI
	LEAQ         (DI)(DI*2), AX
	LEAQ         224(AX)(DI*4), AX
	MOVQ         AX, M_BSIZE(R12)
	LEAQ         (R9)(R9*2), R11
	SHLQ         $2, R11
	LEAQ         (R11)(R11*2), R13
	VBROADCASTSS scale+104(FP), Y0
	VMOVUPS      Y0, M_SCALE(R12)
	MOVL         scale+104(FP), AX
	ANDL         $0x7fffffff, AX
	XORQ         CX, CX
	CMPL         AX, $0x3f800000
	SETLS        CX
	MOVQ         CX, M_SMALL(R12)
	XORQ         BX, BX

m1group:
	// Blocks in this group: min(group, ⌈(n − BX)/8⌉).
	MOVQ    nll_len+8(FP), AX
	SUBQ    BX, AX
	ADDQ    $7, AX
	SHRQ    $3, AX
	MOVQ    group+120(FP), CX
	CMPQ    AX, CX
	CMOVQGT CX, AX
	IMULQ   M_BSIZE(R12), AX
	LEAQ    M_AREA(R12)(AX*1), AX
	MOVQ    AX, M_GEND(R12)

	// Stage 1, per block: first row min(BX + 8b, n − 8), head columns
	// (j = 0, 4, …, the last four at w − 4), ½y, max logit.
	LEAQ M_AREA(R12), R8
	MOVQ BX, DX
	EXPCONST

m1in:
	MOVQ    nll_len+8(FP), AX
	SUBQ    $8, AX
	MOVQ    DX, R9
	CMPQ    R9, AX
	CMOVQGT AX, R9
	MOVQ    R9, A_ROW(R8)
	MOVQ    ldBytes+128(FP), R10
	TESTQ   R10, R10
	JNZ     m1colsin
	MOVQ    R9, SI
	IMULQ   R11, SI
	ADDQ    head_base+48(FP), SI
	MOVQ    k+96(FP), R10
	LEAQ    -4(R10)(R10*2), R10 // w − 4
	LEAQ    (SI)(R10*4), CX     // the last four columns
	MOVQ    SI, AX
	LEAQ    (SI)(R11*4), R14
	LEAQ    A_COL(R8), R9

m1cols:
	COLS4_IN(AX, R14, R9)
	ADDQ $16, AX
	ADDQ $16, R14
	SUBQ $-128, R9
	CMPQ AX, CX
	JLT  m1cols

	MOVQ CX, AX
	LEAQ (CX)(R11*4), R14
	SHLQ $5, R10
	LEAQ A_COL(R8)(R10*1), R9
	COLS4_IN(AX, R14, R9)
	JMP  m1yh

m1colsin:
	// Columns: column c of the block at head + c·ldBytes + 4·row.
	MOVQ head_base+48(FP), SI
	LEAQ (SI)(R9*4), SI
	LEAQ A_COL(R8), AX
	MOVQ R11, CX
	SHRQ $2, CX

m1cin:
	VMOVUPS (SI), Y0
	VMOVUPS Y0, (AX)
	ADDQ    R10, SI
	ADDQ    $32, AX
	DECQ    CX
	JNZ     m1cin

m1yh:
	MOVQ    A_ROW(R8), AX
	MOVQ    y_base+72(FP), CX
	VMOVUPS (CX)(AX*4), Y0
	VMULPS  mixHalf<>(SB), Y0, Y0
	VMOVUPS Y0, A_YH(R8)
	VMOVUPS A_COL(R8), Y1
	LEAQ    A_COL+32(R8), AX
	MOVQ    k+96(FP), CX
	DECQ    CX

m1lmax:
	VMAXPS (AX), Y1, Y1
	ADDQ   $32, AX
	DECQ   CX
	JNZ    m1lmax

	VMOVUPS Y1, A_LMAX(R8)

	// Then p_c = e^(logit_c − max) and Σp, and 2/σ_c = 2·e^−max(logσ_c,
	// −87) (EXP1 with sb and lo for 2·e^x); the column transposes
	// clobbered Y6 and Y7.
	VMOVAPS Y1, Y4
	VMOVUPS ·mixExpC2(SB), Y7
	VMOVUPS ·vmOne(SB), Y6
	VXORPS  Y3, Y3, Y3
	LEAQ    A_COL(R8)(DI*1), AX // end of the logits
	LEAQ    (AX)(DI*2), R14
	ADDQ    DI, R14             // end of p
	MOVQ    DI, CX
	NEGQ    CX                  // CX = −32k … −32: loops index arrays from their ends

m1p:
	VMOVUPS (AX)(CX*1), Y0
	VSUBPS  Y4, Y0, Y0
	EXP1
	VMOVUPS Y0, (R14)(CX*1)
	VADDPS  Y0, Y3, Y3
	ADDQ    $32, CX
	JNZ     m1p

	VMOVUPS Y3, A_SL(R8)
	VMOVUPS ·vmSignMask(SB), Y3
	VMOVUPS mixSigmaMax<>(SB), Y4
	VMOVUPS mixExpClamp2<>(SB), Y15
	VMOVUPS mixExpShiftBias2<>(SB), Y13
	LEAQ    (AX)(DI*2), AX // end of logσ
	ADDQ    DI, R14        // end of 2/σ
	MOVQ    DI, CX
	NEGQ    CX

m1inv:
	VXORPS  (AX)(CX*1), Y3, Y0 // −logσ
	VMINPS  Y0, Y4, Y0         // −max(logσ, −87)
	EXP1
	VMOVUPS Y0, (R14)(CX*1)
	ADDQ    $32, CX
	JNZ     m1inv

	VMOVUPS mixExpClamp<>(SB), Y15
	VMOVUPS mixExpShiftBias<>(SB), Y13
	ADDQ    $8, DX
	ADDQ    M_BSIZE(R12), R8
	CMPQ    R8, M_GEND(R12)
	JLT     m1in

	// Stage 2, per block: z = (½y − ½μ)·(2/σ) clamped to ±2⁶⁰,
	// lp = logit − max − logσ − ½z² (≥ −MaxFloat32), and max lp.
	LEAQ    M_AREA(R12), R8
	VMOVUPS ·mixNegMax(SB), Y12
	VMOVUPS ·mixZMax(SB), Y11
	VMOVUPS ·mixNegZMax(SB), Y10
	VMOVUPS mixHalf<>(SB), Y9

m1lp:
	VMOVUPS A_LMAX(R8), Y15
	VMOVUPS A_YH(R8), Y14
	VMOVAPS Y12, Y13
	LEAQ    A_COL(R8)(DI*1), AX // ends of: logits
	LEAQ    (AX)(DI*1), SI      // μ
	LEAQ    (SI)(DI*1), R10     // logσ
	LEAQ    (R10)(DI*2), R14    // 2/σ
	LEAQ    (R14)(DI*1), R9     // z
	LEAQ    (R9)(DI*1), R13     // lp
	MOVQ    DI, CX
	NEGQ    CX

m1z:
	VMOVUPS      (SI)(CX*1), Y1 // μ
	VMOVAPS      Y14, Y2
	VFNMADD231PS Y9, Y1, Y2         // ½y − ½μ
	VMULPS       (R14)(CX*1), Y2, Y2 // z
	CLAMP(Y2, Y10, Y11)
	VMOVUPS      Y2, (R9)(CX*1)
	VMOVUPS      (AX)(CX*1), Y0
	VSUBPS       Y15, Y0, Y0
	VSUBPS       (R10)(CX*1), Y0, Y0 // logit − max − logσ
	VMULPS       Y9, Y2, Y3
	VFNMADD231PS Y2, Y3, Y0          // − ½z·z
	VMAXPS       Y0, Y12, Y0
	VMOVUPS      Y0, (R13)(CX*1)
	VMAXPS       Y0, Y13, Y13
	ADDQ         $32, CX
	JNZ          m1z

	VMOVUPS Y13, A_MM(R8)
	ADDQ    M_BSIZE(R12), R8
	CMPQ    R8, M_GEND(R12)
	JLT     m1lp
	LEAQ    (R11)(R11*2), R13

	// Stage 3, per block: e_c = e^(lp_c − max) and Σe; stage 4 then takes
	// the NLL, scale/Σe and scale/Σp.
	LEAQ M_AREA(R12), R8
	EXPCONST

m1lse:
	VMOVUPS A_MM(R8), Y3
	VXORPS  Y4, Y4, Y4
	LEAQ    A_COL(R8)(DI*1), R14
	LEAQ    (R14)(DI*2), R14
	LEAQ    (R14)(DI*4), R14 // end of lp
	MOVQ    DI, CX
	NEGQ    CX

m1e:
	VMOVUPS (R14)(CX*1), Y0
	VSUBPS  Y3, Y0, Y0
	EXP1
	VMOVUPS Y0, (R14)(CX*1)
	VADDPS  Y0, Y4, Y4
	ADDQ    $32, CX
	JNZ     m1e

	VMOVUPS Y4, A_GS(R8)
	ADDQ    M_BSIZE(R12), R8
	CMPQ    R8, M_GEND(R12)
	JLT     m1lse

	// Stage 4, per block: the NLL and the scales, the blocks' logarithms
	// overlapping.
	LEAQ M_AREA(R12), R8

m1nll:
	VMOVUPS A_GS(R8), Y4
	VDIVPS  A_SL(R8), Y4, Y0
	LOG_AVX2(Y0, Y1, Y2, Y5)
	VADDPS  A_MM(R8), Y0, Y0
	VMOVUPS ·mixHalfLog2Pi(SB), Y1
	VSUBPS  Y0, Y1, Y0
	VMOVUPS ·mixMax(SB), Y1
	VMOVUPS ·mixNegMax(SB), Y2
	CLAMP(Y0, Y2, Y1)
	MOVQ    A_ROW(R8), AX
	MOVQ    nll_base+0(FP), CX
	VMOVUPS Y0, (CX)(AX*4)
	VMOVUPS M_SCALE(R12), Y1
	VDIVPS  Y4, Y1, Y2
	VDIVPS  A_SL(R8), Y1, Y5
	VMOVUPS Y2, A_GS(R8)
	VMOVUPS Y5, A_PS(R8)

	ADDQ M_BSIZE(R12), R8
	CMPQ R8, M_GEND(R12)
	JLT  m1nll

	MOVQ  dhead_len+32(FP), AX
	TESTQ AX, AX
	JZ    m1next

	// Stage 5, per block: gradient columns over the head columns, with
	// G = scale·γ = e·scale/Σe and P = scale·π = p·scale/Σp:
	// dlogit = P − G, dμ = (−½G·z)·(2/σ), dlogσ = G − G·z·z; then the
	// columns to the dhead rows.
	LEAQ    M_AREA(R12), R8
	VMOVUPS ·mixNegMax(SB), Y15
	VMOVUPS ·mixMax(SB), Y14
	VMOVUPS mixNegHalf<>(SB), Y11

m1grad:
	VMOVUPS A_GS(R8), Y13
	VMOVUPS A_PS(R8), Y12
	LEAQ    A_COL(R8)(DI*1), AX // ends of: dlogit
	LEAQ    (AX)(DI*1), SI      // dμ
	LEAQ    (SI)(DI*1), R10     // dlogσ
	LEAQ    (R10)(DI*1), R14    // p
	LEAQ    (R14)(DI*1), R9     // 2/σ
	LEAQ    (R9)(DI*1), R13     // z
	LEAQ    (R13)(DI*1), DX     // e
	MOVQ    DI, CX
	NEGQ    CX
	CMPQ    M_SMALL(R12), $0
	JNE     m1g1

m1g:
	VMULPS       (DX)(CX*1), Y13, Y0 // G
	VMULPS       (R14)(CX*1), Y12, Y1 // P
	VSUBPS       Y0, Y1, Y1
	VMOVUPS      Y1, (AX)(CX*1)
	VMOVUPS      (R13)(CX*1), Y2     // z
	VMULPS       Y11, Y0, Y3
	VMULPS       Y2, Y3, Y3
	CLAMP(Y3, Y15, Y14)
	VMULPS       (R9)(CX*1), Y3, Y3
	CLAMP(Y3, Y15, Y14)
	VMOVUPS      Y3, (SI)(CX*1)
	VMULPS       Y2, Y0, Y4
	VFNMADD213PS Y0, Y2, Y4
	CLAMP(Y4, Y15, Y14)
	VMOVUPS      Y4, (R10)(CX*1)
	ADDQ         $32, CX
	JNZ          m1g
	JMP          m1gdone

m1g1:
	// |scale| ≤ 1: |G| ≤ 1 and |z| ≤ 2⁶⁰, so −½G·z and G − G·z·z
	// (≤ 2¹²⁰) cannot overflow and need no clamp; only ·2/σ can. −½G·z
	// is taken as (G·z)·−½, sharing G·z with dlogσ (the same value but
	// where ½G or ½G·z falls below 2⁻¹²⁶ and is flushed).
	VMULPS       (DX)(CX*1), Y13, Y0 // G
	VMULPS       (R14)(CX*1), Y12, Y1 // P
	VSUBPS       Y0, Y1, Y1
	VMOVUPS      Y1, (AX)(CX*1)
	VMOVUPS      (R13)(CX*1), Y2     // z
	VMULPS       Y2, Y0, Y4          // G·z
	VMULPS       Y11, Y4, Y3         // −½G·z
	VMULPS       (R9)(CX*1), Y3, Y3
	CLAMP(Y3, Y15, Y14)
	VMOVUPS      Y3, (SI)(CX*1)
	VFNMADD213PS Y0, Y2, Y4
	VMOVUPS      Y4, (R10)(CX*1)
	ADDQ         $32, CX
	JNZ          m1g1

m1gdone:
	LEAQ  (R11)(R11*2), R13
	MOVQ  ldBytes+128(FP), R10
	TESTQ R10, R10
	JNZ   m1colsout

	MOVQ  A_ROW(R8), SI
	IMULQ R11, SI
	ADDQ  dhead_base+24(FP), SI
	MOVQ  k+96(FP), R10
	CMPQ  R10, $3
	JGE   m1out8
	LEAQ  -4(R10)(R10*2), R10 // w − 4
	LEAQ  (SI)(R10*4), CX     // the last four columns
	MOVQ  SI, AX
	LEAQ  (SI)(R11*4), R14
	LEAQ  A_COL(R8), R9

m1out:
	COLS4_OUT(R9, AX, R14)
	ADDQ $16, AX
	ADDQ $16, R14
	SUBQ $-128, R9
	CMPQ AX, CX
	JLT  m1out

	MOVQ CX, AX
	LEAQ (CX)(R11*4), R14
	SHLQ $5, R10
	LEAQ A_COL(R8)(R10*1), R9
	COLS4_OUT(R9, AX, R14)
	JMP  m1gnext

m1out8:
	// w ≥ 9: 8 columns at a time, j = 0, 8, …, the last eight at w − 8.
	LEAQ -8(R10)(R10*2), R10 // w − 8
	LEAQ (SI)(R10*4), CX     // the last eight columns
	MOVQ SI, AX
	LEAQ (SI)(R11*4), R14
	LEAQ A_COL(R8), R9

m1o8:
	COLS8_OUT(R9, AX, R14)
	ADDQ $32, AX
	ADDQ $32, R14
	ADDQ $256, R9
	CMPQ AX, CX
	JLT  m1o8

	MOVQ CX, AX
	LEAQ (CX)(R11*4), R14
	SHLQ $5, R10
	LEAQ A_COL(R8)(R10*1), R9
	COLS8_OUT(R9, AX, R14)
	VMOVUPS mixNegHalf<>(SB), Y11
	JMP     m1gnext

m1colsout:
	// Columns: gradient column c to dhead + c·ldBytes + 4·row.
	MOVQ A_ROW(R8), SI
	MOVQ dhead_base+24(FP), AX
	LEAQ (AX)(SI*4), SI
	LEAQ A_COL(R8), AX
	MOVQ R11, CX
	SHRQ $2, CX

m1cout:
	VMOVUPS (AX), Y0
	VMOVUPS Y0, (SI)
	ADDQ    R10, SI
	ADDQ    $32, AX
	DECQ    CX
	JNZ     m1cout

m1gnext:
	ADDQ M_BSIZE(R12), R8
	CMPQ R8, M_GEND(R12)
	JLT  m1grad

m1next:
	MOVQ     group+120(FP), AX
	SHLQ     $3, AX
	ADDQ     AX, BX
	CMPQ     BX, nll_len+8(FP)
	JLT      m1group
	FTZ_OFF(M_MXCSR(R12))
	VZEROUPPER
	RET
