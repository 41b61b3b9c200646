//go:build !purego

#include "textflag.h"
#include "asm_amd64.h"
#include "vecmath_avx512_amd64.h"

// func softmaxRowsAVX512(dst, x []float32, rows, cols int, log bool)
// Requires: AVX512F
// For each row: m = the largest element that is not NaN; if m is ±Inf (the
// row holds +Inf, or only −Inf and NaN) the row is set to NaN. Otherwise
// e = e^(x−m) and s = Σe, where a NaN element makes s NaN; Softmax:
// dst = e·(1/s); LogSoftmax: dst = (x − m) − log s. The last cols%16
// elements of a row go through masked loads and stores; the masked-off lanes
// of their load hold −Inf, so their e^(x−m) is 0.
// Register map: SI x row, DI dst row, R8 rows left, R9 cols, R10 log flag,
// R12 cols rounded down to 16, CX element index, AX scratch; Z0–Z5 values and
// scratch, Z6 the row's tail x, Z7 its e^(x−m), Z8, Z9 partial maxima,
// Z10, Z11 partial sums, Z12 m, Z13 1/s or log s, Z16–Z27 exp constants,
// Z28 −Inf, Z29 the default NaN; K1 tail mask, K2 LOG_AVX512 scratch.
TEXT ·softmaxRowsAVX512(SB), NOSPLIT, $0-65
	MOVQ         dst_base+0(FP), DI
	MOVQ         x_base+24(FP), SI
	MOVQ         rows+48(FP), R8
	MOVQ         cols+56(FP), R9
	MOVBQZX      log+64(FP), R10
	MOVQ         R9, CX
	ANDQ         $15, CX
	MOVQ         R9, R12
	SUBQ         CX, R12
	MOVL         $1, AX
	SHLL         CX, AX
	DECL         AX
	KMOVW        AX, K1
	LOAD_EXP_CONSTS
	VBROADCASTSS ·vmNegInf(SB), Z28
	VBROADCASTSS ·vmQNaN(SB), Z29

row:
	TESTQ R8, R8
	JZ    done

	// Pass 1: the maximum, NaN passed over (x is VMAXPS's first source).
	VMOVAPS Z28, Z8
	VMOVAPS Z28, Z9
	XORQ    CX, CX

max32:
	LEAQ    32(CX), AX
	CMPQ    AX, R12
	JA      max16
	VMOVUPS (SI)(CX*4), Z0
	VMOVUPS 64(SI)(CX*4), Z1
	VMAXPS  Z8, Z0, Z8
	VMAXPS  Z9, Z1, Z9
	MOVQ    AX, CX
	JMP     max32

max16:
	CMPQ    CX, R12
	JAE     maxtail
	VMOVUPS (SI)(CX*4), Z0
	VMAXPS  Z8, Z0, Z8
	ADDQ    $16, CX

maxtail:
	VMOVAPS Z28, Z6
	VMOVUPS (SI)(CX*4), K1, Z6
	VMAXPS  Z9, Z6, Z9
	VMAXPS  Z9, Z8, Z12
	HREDUCE(VMAXPS, Z12, Z0)
	VSUBSS  X12, X12, X0
	VUCOMISS X0, X0
	JPS     nanrow

	// Pass 2: e = e^(x−m), stored for Softmax, summed.
	VXORPS Z10, Z10, Z10
	VXORPS Z11, Z11, Z11
	XORQ   CX, CX
	TESTQ  R10, R10
	JNZ    lsum16

exp16:
	CMPQ    CX, R12
	JAE     exptail
	VMOVUPS (SI)(CX*4), Z0
	VSUBPS  Z12, Z0, Z0
	EXPR(Z0, Z1, Z2)
	VADDPS  Z0, Z10, Z10
	VMOVUPS Z0, (DI)(CX*4)
	ADDQ    $16, CX
	JMP     exp16

lsum16:
	CMPQ    CX, R12
	JAE     exptail
	VMOVUPS (SI)(CX*4), Z0
	VSUBPS  Z12, Z0, Z0
	EXPR(Z0, Z1, Z2)
	VADDPS  Z0, Z10, Z10
	ADDQ    $16, CX
	JMP     lsum16

exptail:
	VSUBPS Z12, Z6, Z7
	EXPR(Z7, Z1, Z2)
	VADDPS Z7, Z11, Z11
	VADDPS Z11, Z10, Z13
	HREDUCE(VADDPS, Z13, Z0)
	TESTQ  R10, R10
	JNZ    logrow

	// Pass 3, Softmax: dst *= 1/s.
	VDIVPS Z13, Z27, Z13
	XORQ   CX, CX

scale16:
	CMPQ    CX, R12
	JAE     scaletail
	VMULPS  (DI)(CX*4), Z13, Z0
	VMOVUPS Z0, (DI)(CX*4)
	ADDQ    $16, CX
	JMP     scale16

scaletail:
	VMULPS  Z7, Z13, Z0
	VMOVUPS Z0, K1, (DI)(CX*4)
	JMP     nextrow

	// Pass 3, LogSoftmax: dst = (x − m) − log s.
logrow:
	LOG_AVX512(Z13, Z0, Z1, Z2, K2)
	XORQ CX, CX

sub16:
	CMPQ    CX, R12
	JAE     subtail
	VMOVUPS (SI)(CX*4), Z0
	VSUBPS  Z12, Z0, Z0
	VSUBPS  Z13, Z0, Z0
	VMOVUPS Z0, (DI)(CX*4)
	ADDQ    $16, CX
	JMP     sub16

subtail:
	VSUBPS  Z12, Z6, Z0
	VSUBPS  Z13, Z0, Z0
	VMOVUPS Z0, K1, (DI)(CX*4)
	JMP     nextrow

nanrow:
	XORQ CX, CX

nan16:
	CMPQ    CX, R12
	JAE     nantail
	VMOVUPS Z29, (DI)(CX*4)
	ADDQ    $16, CX
	JMP     nan16

nantail:
	VMOVUPS Z29, K1, (DI)(CX*4)

nextrow:
	LEAQ (SI)(R9*4), SI
	LEAQ (DI)(R9*4), DI
	DECQ R8
	JMP  row

done:
	VZEROUPPER
	RET

// The short-row kernel works on blocks of R = 16/g rows, one row in each
// group of g lanes. A block's registers are A (x, then x − m), B (m, then
// e^(x−m), then the result) and C (Σe, then 1/Σe or log Σe); T, U and V are
// scratch shared by all blocks (each macro finishes with them). The steps
// below run for four blocks in turn before the next step, so that the four
// blocks' dependency chains overlap.

// GREDUCE(op, z, t) sets every lane of each group of z to the op of that
// group's lanes, HREDUCE's steps with the first two merge-masked by K3
// (all lanes when g = 16, none otherwise) and K4 (all lanes when g ≥ 8).
#define GREDUCE(op, z, t) \
	VSHUFF32X4 $0x4e, z, z, t; \
	op         t, z, K3, z;    \
	VSHUFF32X4 $0xb1, z, z, t; \
	op         t, z, K4, z;    \
	VPERMILPS  $0x4e, z, t;    \
	op         t, z, z;        \
	VPERMILPS  $0xb1, z, t;    \
	op         t, z, z

// G_LOAD: A = the block's R·cols floats at mem expanded into the groups'
// first cols lanes (K1), −Inf in the others.
#define G_LOAD(mem, A) \
	VMOVUPS.Z mem, K2, Z12; \
	VMOVAPS   Z28, A;         \
	VEXPANDPS Z12, K1, A

// G_MAX: B = each group's maximum, NaN passed over (A is the first source
// of VMAXPS).
#define G_MAX(A, B) \
	VMOVAPS A, B; \
	GREDUCE(VMAXPS, B, Z12)

// G_EXP: A = x − m, B = e^(x−m). A NaN, +Inf or all −Inf group needs no
// test: x − m or e^(x−m) is NaN somewhere in it, so its Σe and results are.
#define G_EXP(A, B) \
	VSUBPS  B, A, A; \
	VMOVAPS A, B;    \
	EXPR(B, Z12, Z13)

#define G_SUM(B, C) \
	VMOVAPS B, C; \
	GREDUCE(VADDPS, C, Z12)

// G_SOFTMAX: B = e·(1/Σe).
#define G_SOFTMAX(B, C) \
	VDIVPS C, Z27, C; \
	VMULPS C, B, B

// G_LOGSOFTMAX: B = (x − m) − log Σe.
#define G_LOGSOFTMAX(A, B, C) \
	LOG_AVX512(C, Z12, Z13, Z14, K7); \
	VSUBPS C, A, B

// G_STORE packs B back into R·cols contiguous floats at mem.
#define G_STORE(B, mem) \
	VCOMPRESSPS B, K1, Z12; \
	VMOVUPS     Z12, K2, mem

#define G_HEAD4 \
	G_LOAD((SI), Z0);              \
	G_LOAD((SI)(R9*1), Z3);        \
	G_LOAD((SI)(R9*2), Z6);        \
	G_LOAD((SI)(R11*1), Z9);       \
	G_MAX(Z0, Z1);               \
	G_MAX(Z3, Z4);               \
	G_MAX(Z6, Z7);               \
	G_MAX(Z9, Z10);              \
	G_EXP(Z0, Z1);               \
	G_EXP(Z3, Z4);               \
	G_EXP(Z6, Z7);               \
	G_EXP(Z9, Z10);              \
	G_SUM(Z1, Z2);               \
	G_SUM(Z4, Z5);               \
	G_SUM(Z7, Z8);               \
	G_SUM(Z10, Z11)

#define G_TAIL4 \
	G_STORE(Z1, (DI));         \
	G_STORE(Z4, (DI)(R9*1));   \
	G_STORE(Z7, (DI)(R9*2));   \
	G_STORE(Z10, (DI)(R11*1)); \
	LEAQ (SI)(R9*4), SI;     \
	LEAQ (DI)(R9*4), DI;     \
	SUBQ $4, CX

// func softmaxGroupsAVX512(dst, x []float32, blocks, group, stride int, kin, kst uint16, log bool)
// Requires: AVX512F
// Softmax or LogSoftmax of blocks·R short rows (cols ≤ group), a block of
// R = 16/group rows in each vector: each block's R·cols contiguous floats are
// expanded into groups of group lanes (4, 8 or 16), one row a group,
// reduced within the groups, and packed back. kin selects the first cols
// lanes of each group that holds a row, kst the first R·cols lanes; stride
// is R·cols·4 bytes. Four blocks at a time, then one.
// Register map: SI x, DI dst, CX blocks left, R9 stride, R11 3·stride; Z0–Z11
// four blocks' A, B, C; Z12–Z14 scratch; Z16–Z27 exp constants, Z28 −Inf;
// K1 kin, K2 kst, K3 and K4 GREDUCE's step masks, K7 LOG_AVX512 scratch.
TEXT ·softmaxGroupsAVX512(SB), NOSPLIT, $0-77
	MOVQ         dst_base+0(FP), DI
	MOVQ         x_base+24(FP), SI
	MOVQ         blocks+48(FP), CX
	MOVQ         group+56(FP), AX
	MOVQ         stride+64(FP), R9
	LEAQ         (R9)(R9*2), R11
	KMOVW        kin+72(FP), K1
	KMOVW        kst+74(FP), K2
	MOVBQZX      log+76(FP), R10
	XORL         DX, DX
	MOVL         $0xffff, BX
	CMPQ         AX, $16
	CMOVLEQ      BX, DX
	KMOVW        DX, K3
	XORL         DX, DX
	CMPQ         AX, $8
	CMOVLGE      BX, DX
	KMOVW        DX, K4
	LOAD_EXP_CONSTS
	VBROADCASTSS ·vmNegInf(SB), Z28
	TESTQ        R10, R10
	JNZ          lsm4

sm4:
	CMPQ CX, $4
	JB   sm1
	G_HEAD4
	G_SOFTMAX(Z1, Z2)
	G_SOFTMAX(Z4, Z5)
	G_SOFTMAX(Z7, Z8)
	G_SOFTMAX(Z10, Z11)
	G_TAIL4
	JMP  sm4

sm1:
	TESTQ CX, CX
	JZ    done
	G_LOAD((SI), Z0)
	G_MAX(Z0, Z1)
	G_EXP(Z0, Z1)
	G_SUM(Z1, Z2)
	G_SOFTMAX(Z1, Z2)
	G_STORE(Z1, (DI))
	ADDQ  R9, SI
	ADDQ  R9, DI
	DECQ  CX
	JMP   sm1

lsm4:
	CMPQ CX, $4
	JB   lsm1
	G_HEAD4
	G_LOGSOFTMAX(Z0, Z1, Z2)
	G_LOGSOFTMAX(Z3, Z4, Z5)
	G_LOGSOFTMAX(Z6, Z7, Z8)
	G_LOGSOFTMAX(Z9, Z10, Z11)
	G_TAIL4
	JMP  lsm4

lsm1:
	TESTQ CX, CX
	JZ    done
	G_LOAD((SI), Z0)
	G_MAX(Z0, Z1)
	G_EXP(Z0, Z1)
	G_SUM(Z1, Z2)
	G_LOGSOFTMAX(Z0, Z1, Z2)
	G_STORE(Z1, (DI))
	ADDQ  R9, SI
	ADDQ  R9, DI
	DECQ  CX
	JMP   lsm1

done:
	VZEROUPPER
	RET
