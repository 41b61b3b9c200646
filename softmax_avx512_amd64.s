//go:build !purego

#include "textflag.h"
#include "asm_amd64.h"
#include "vecmath_avx512_amd64.h"
#include "transpose_avx512_amd64.h"

// func softmaxRowsAVX512(dst, x []float32, rows, cols int, log bool)
// Requires: AVX512F
// For each row: m = the largest element that is not NaN; if m is ±Inf (the
// row holds +Inf, or only −Inf and NaN) the row is set to NaN. Otherwise
// e = e^(x−m) and s = Σe, where a NaN element makes s NaN; Softmax:
// dst = e·(1/s); LogSoftmax: dst = (x − m) − log s. The last cols%16
// elements of a row go through a masked load, whose masked-off lanes hold
// −Inf, so their e^(x−m) is 0; tailstore stores them with plain stores of
// 8, 4, 2 and 1 floats that stay within the row (a masked store spans 64
// bytes whatever its mask, and in place the next row's first load would
// wait for it to reach the cache).
// Register map: SI x row, DI dst row, R8 rows left, R9 cols, R10 log flag,
// R11 cols%16, R12 cols rounded down to 16, CX element index, AX scratch;
// Z0–Z5 values and scratch, Z6 the row's tail x, Z7 its e^(x−m), Z8, Z9
// partial maxima, Z10, Z11 partial sums, Z12 m, Z13 1/s or log s, Z16–Z27
// exp constants, Z28 −Inf, Z29 the default NaN; K1 tail mask, K2
// LOG_AVX512 scratch.
TEXT ·softmaxRowsAVX512(SB), NOSPLIT, $0-65
	MOVQ         dst_base+0(FP), DI
	MOVQ         x_base+24(FP), SI
	MOVQ         rows+48(FP), R8
	MOVQ         cols+56(FP), R9
	MOVBQZX      log+64(FP), R10
	MOVQ         R9, CX
	ANDQ         $15, CX
	MOVQ         CX, R11
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
	VMULPS Z7, Z13, Z0
	JMP    tailstore

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
	VSUBPS Z12, Z6, Z0
	VSUBPS Z13, Z0, Z0
	JMP    tailstore

nanrow:
	XORQ CX, CX

nan16:
	CMPQ    CX, R12
	JAE     nantail
	VMOVUPS Z29, (DI)(CX*4)
	ADDQ    $16, CX
	JMP     nan16

nantail:
	VMOVAPS Z29, Z0

	// The first R11 lanes of Z0 to the row's tail, (DI)(R12*4).
tailstore:
	LEAQ          (DI)(R12*4), AX
	TESTQ         $8, R11
	JZ            tail4
	VMOVUPS       Y0, (AX)
	VEXTRACTF64X4 $1, Z0, Y0
	ADDQ          $32, AX

tail4:
	TESTQ        $4, R11
	JZ           tail2
	VMOVUPS      X0, (AX)
	VEXTRACTF128 $1, Y0, X0
	ADDQ         $16, AX

tail2:
	TESTQ    $2, R11
	JZ       tail1
	VMOVSD   X0, (AX)
	VMOVHLPS X0, X0, X0
	ADDQ     $8, AX

tail1:
	TESTQ  $1, R11
	JZ     nextrow
	VMOVSS X0, (AX)

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
//
// A block's floats are loaded (into a raw register, Z15 and Z29–Z31) before
// the stores of the blocks ahead of it: a masked store spans 64 bytes
// whatever its mask, and in place a later load of the bytes after the
// stored block would wait until the store reached the cache (about twice
// the kernel's time for the seed's 1000×5). Loaded that early, the loads
// of the four blocks after next start at least 5 blocks (≥ 20 floats) past
// the last stored one.

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

// G_RAW: r = the block's R·cols floats at mem (K2), zeros elsewhere.
#define G_RAW(mem, r) VMOVUPS.Z mem, K2, r

// G_EXPAND: A = the block r expanded into the groups' first cols lanes
// (K1), −Inf in the others.
#define G_EXPAND(r, A) \
	VMOVAPS   Z28, A; \
	VEXPANDPS r, K1, A

// G_RAW4: the four blocks from base into Z15, Z29, Z30 and Z31.
#define G_RAW4(base) \
	G_RAW((base), Z15);       \
	G_RAW((base)(R9*1), Z29); \
	G_RAW((base)(R9*2), Z30); \
	G_RAW((base)(R11*1), Z31)

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
	G_EXPAND(Z15, Z0);           \
	G_EXPAND(Z29, Z3);           \
	G_EXPAND(Z30, Z6);           \
	G_EXPAND(Z31, Z9);           \
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
// Register map: SI x, DI dst, CX blocks left, R9 stride, R11 3·stride, BX
// the next four blocks; Z0–Z11 four blocks' A, B, C; Z12–Z14 scratch; Z15,
// Z29–Z31 the raw blocks; Z16–Z27 exp constants, Z28 −Inf;
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
	G_RAW4(SI)

sm4loop:
	G_HEAD4
	G_SOFTMAX(Z1, Z2)
	G_SOFTMAX(Z4, Z5)
	G_SOFTMAX(Z7, Z8)
	G_SOFTMAX(Z10, Z11)
	CMPQ CX, $8
	JB   sm4store
	LEAQ (SI)(R9*4), BX
	G_RAW4(BX)

sm4store:
	G_TAIL4
	CMPQ CX, $4
	JAE  sm4loop

sm1:
	TESTQ CX, CX
	JZ    done
	G_RAW((SI), Z15)

sm1loop:
	G_EXPAND(Z15, Z0)
	G_MAX(Z0, Z1)
	G_EXP(Z0, Z1)
	G_SUM(Z1, Z2)
	G_SOFTMAX(Z1, Z2)
	DECQ  CX
	JZ    last1
	G_RAW((SI)(R9*1), Z15)
	G_STORE(Z1, (DI))
	ADDQ  R9, SI
	ADDQ  R9, DI
	JMP   sm1loop

lsm4:
	CMPQ CX, $4
	JB   lsm1
	G_RAW4(SI)

lsm4loop:
	G_HEAD4
	G_LOGSOFTMAX(Z0, Z1, Z2)
	G_LOGSOFTMAX(Z3, Z4, Z5)
	G_LOGSOFTMAX(Z6, Z7, Z8)
	G_LOGSOFTMAX(Z9, Z10, Z11)
	CMPQ CX, $8
	JB   lsm4store
	LEAQ (SI)(R9*4), BX
	G_RAW4(BX)

lsm4store:
	G_TAIL4
	CMPQ CX, $4
	JAE  lsm4loop

lsm1:
	TESTQ CX, CX
	JZ    done
	G_RAW((SI), Z15)

lsm1loop:
	G_EXPAND(Z15, Z0)
	G_MAX(Z0, Z1)
	G_EXP(Z0, Z1)
	G_SUM(Z1, Z2)
	G_LOGSOFTMAX(Z0, Z1, Z2)
	DECQ  CX
	JZ    last1
	G_RAW((SI)(R9*1), Z15)
	G_STORE(Z1, (DI))
	ADDQ  R9, SI
	ADDQ  R9, DI
	JMP   lsm1loop

last1:
	G_STORE(Z1, (DI))

done:
	VZEROUPPER
	RET

// ------------------------------------------------------------ row pairs

// softmaxPairsAVX512 runs Softmax over blocks of 16 rows of 5 to 8 columns
// with the rows turned into columns: row p (p < 8) in the low 256 bits of
// a register and row p+8 in the high ones, then an 8×8 transpose within
// each 256-bit half leaves column j of all 16 rows in one register, so
// that the maximum, e^(x−m), Σe and the products are lane-wise operations
// on eight column vectors, and a second transpose takes them back. The
// lanes past cols hold −Inf (their e^(x−m) is 0). The operations are those
// of softmaxGroupsAVX512 with groups of 8 lanes, in the order of its lane 0
// (max and Σ over the lanes j and j+4, then j+2, then j+1): the same
// results.
//
// The blocks run from the last to the first, and each block's rows are
// loaded before the stores of the block above it: in place, no load then
// waits for a store to reach the cache (a masked load or store spans 64
// bytes whatever its mask: the load of a block's row 15 reaches into the
// next block's row 0, the stores of rows 8–15 past the block's end for
// cols < 8). With the loads after the stores, in place 1000×5 took 2.7 µs
// (3.1 with the blocks in ascending order) against 1.9 out of place; now
// both take 1.9 (AMD EPYC Zen 5).

// PAIRS_T8 is the 8×8 transpose within each 256-bit half of Z0–Z7 (row
// pairs p, or column vectors j), leaving the result for index 0…7 in Z8,
// Z9, Z10, Z11, Z0, Z1, Z2, Z3; Z4–Z7 and Z12–Z15 are scratch, Z29 and Z30
// the index vectors of the last step.
#define PAIRS_T8 \
	VUNPCKLPS  Z1, Z0, Z8;         \
	VUNPCKHPS  Z1, Z0, Z9;         \
	VUNPCKLPS  Z3, Z2, Z10;        \
	VUNPCKHPS  Z3, Z2, Z11;        \
	VUNPCKLPS  Z5, Z4, Z12;        \
	VUNPCKHPS  Z5, Z4, Z13;        \
	VUNPCKLPS  Z7, Z6, Z14;        \
	VUNPCKHPS  Z7, Z6, Z15;        \
	VSHUFPS    $0x44, Z10, Z8, Z0; \
	VSHUFPS    $0xee, Z10, Z8, Z1; \
	VSHUFPS    $0x44, Z11, Z9, Z2; \
	VSHUFPS    $0xee, Z11, Z9, Z3; \
	VSHUFPS    $0x44, Z14, Z12, Z4; \
	VSHUFPS    $0xee, Z14, Z12, Z5; \
	VSHUFPS    $0x44, Z15, Z13, Z6; \
	VSHUFPS    $0xee, Z15, Z13, Z7; \
	VMOVAPS    Z0, Z8;             \
	VPERMT2PS  Z4, Z29, Z8;        \
	VPERMT2PS  Z4, Z30, Z0;        \
	VMOVAPS    Z1, Z9;             \
	VPERMT2PS  Z5, Z29, Z9;        \
	VPERMT2PS  Z5, Z30, Z1;        \
	VMOVAPS    Z2, Z10;            \
	VPERMT2PS  Z6, Z29, Z10;       \
	VPERMT2PS  Z6, Z30, Z2;        \
	VMOVAPS    Z3, Z11;            \
	VPERMT2PS  Z7, Z29, Z11;       \
	VPERMT2PS  Z7, Z30, Z3

// PAIR_LOAD(z) loads row p (at AX) into the low lanes of z and row p+8
// (8·cols floats on) into the high ones, −Inf past cols, and steps AX to
// row p+1. PAIR_STORE(z) stores them back from z at BX.
#define PAIR_LOAD(z) \
	VMOVAPS Z28, z;                \
	VMOVUPS (AX), K1, z;           \
	VMOVUPS -32(AX)(R8*8), K2, z;  \
	ADDQ    R8, AX

#define PAIR_STORE(z) \
	VMOVUPS z, K1, (BX);           \
	VMOVUPS z, K2, -32(BX)(R8*8);  \
	ADDQ    R8, BX

// func softmaxPairsAVX512(dst, x []float32, blocks, cols int, log bool)
// Requires: AVX512F
// Register map: SI x, DI dst, CX blocks left, R8 cols·4 (a row), R9
// 64·cols (a block), AX and BX the block's rows in x and dst, DX the
// block's offset, R10 log; Z0–Z15 rows, columns and scratch, Z16–Z27 exp
// constants, Z28 −Inf, Z29 and Z30 PAIRS_T8's indices, Z31 1/Σe (log
// Σe for LogSoftmax); K1 the low cols lanes, K2 the same in the high
// half, K7 LOG_AVX512's scratch.
TEXT ·softmaxPairsAVX512(SB), NOSPLIT, $0-65
	MOVQ         dst_base+0(FP), DI
	MOVQ         x_base+24(FP), SI
	MOVBLZX      log+64(FP), R10
	MOVQ         cols+56(FP), CX
	TAIL_K(CX, AX, K1)
	SHLL         $8, AX
	KMOVW        AX, K2
	MOVQ         CX, R8
	MOVQ         blocks+48(FP), CX
	MOVQ         R8, R9
	SHLQ         $6, R9
	SHLQ         $2, R8
	LOAD_EXP_CONSTS
	VBROADCASTSS ·vmNegInf(SB), Z28
	VMOVUPS      ·smPairIdxLo<>(SB), Z29
	VMOVUPS      ·smPairIdxHi<>(SB), Z30
	TESTQ        CX, CX
	JZ           pairsdone
	LEAQ         -1(CX), DX
	IMULQ        R9, DX
	LEAQ         (SI)(DX*1), AX
	PAIR_LOAD(Z0)
	PAIR_LOAD(Z1)
	PAIR_LOAD(Z2)
	PAIR_LOAD(Z3)
	PAIR_LOAD(Z4)
	PAIR_LOAD(Z5)
	PAIR_LOAD(Z6)
	PAIR_LOAD(Z7)

pairsloop:
	// Block CX−1's rows are in Z0–Z7.
	DECQ CX
	PAIRS_T8

	// Columns 0–3 in Z8–Z11, 4–7 in Z0–Z3. m as lane 0 of GREDUCE.
	VMAXPS Z0, Z8, Z4
	VMAXPS Z1, Z9, Z5
	VMAXPS Z2, Z10, Z6
	VMAXPS Z3, Z11, Z7
	VMAXPS Z6, Z4, Z4
	VMAXPS Z7, Z5, Z5
	VMAXPS Z5, Z4, Z4
	VSUBPS Z4, Z8, Z8
	VSUBPS Z4, Z9, Z9
	VSUBPS Z4, Z10, Z10
	VSUBPS Z4, Z11, Z11
	VSUBPS Z4, Z0, Z0
	VSUBPS Z4, Z1, Z1
	VSUBPS Z4, Z2, Z2
	VSUBPS Z4, Z3, Z3
	TESTQ  R10, R10
	JNZ    pairslog
	EXP4R(Z8, Z4, Z5, Z9, Z6, Z7, Z10, Z12, Z13, Z11, Z14, Z15)
	EXP4R(Z0, Z4, Z5, Z1, Z6, Z7, Z2, Z12, Z13, Z3, Z14, Z15)

	// Σe as lane 0 of GREDUCE, then e·(1/Σe), as G_SOFTMAX.
	VADDPS Z0, Z8, Z4
	VADDPS Z1, Z9, Z5
	VADDPS Z2, Z10, Z6
	VADDPS Z3, Z11, Z7
	VADDPS Z6, Z4, Z4
	VADDPS Z7, Z5, Z5
	VADDPS Z5, Z4, Z4
	VDIVPS Z4, Z27, Z31
	VMULPS Z31, Z0, Z4
	VMULPS Z31, Z1, Z5
	VMULPS Z31, Z2, Z6
	VMULPS Z31, Z3, Z7
	VMULPS Z31, Z8, Z0
	VMULPS Z31, Z9, Z1
	VMULPS Z31, Z10, Z2
	VMULPS Z31, Z11, Z3

pairsback:
	PAIRS_T8

	// The next block's rows (into Z12–Z15 and Z4–Z7) are loaded before
	// this block's stores: in place, the masked load of its row 15 spans
	// bytes of this block's row 0.
	MOVQ  CX, DX
	IMULQ R9, DX
	LEAQ  (DI)(DX*1), BX
	TESTQ CX, CX
	JZ    pairsstore
	SUBQ  R9, DX
	LEAQ  (SI)(DX*1), AX
	PAIR_LOAD(Z12)
	PAIR_LOAD(Z13)
	PAIR_LOAD(Z14)
	PAIR_LOAD(Z15)
	PAIR_LOAD(Z4)
	PAIR_LOAD(Z5)
	PAIR_LOAD(Z6)
	PAIR_LOAD(Z7)

pairsstore:
	PAIR_STORE(Z8)
	PAIR_STORE(Z9)
	PAIR_STORE(Z10)
	PAIR_STORE(Z11)
	PAIR_STORE(Z0)
	PAIR_STORE(Z1)
	PAIR_STORE(Z2)
	PAIR_STORE(Z3)
	TESTQ   CX, CX
	JZ      pairsdone
	VMOVAPS Z12, Z0
	VMOVAPS Z13, Z1
	VMOVAPS Z14, Z2
	VMOVAPS Z15, Z3
	JMP     pairsloop

pairsdone:
	VZEROUPPER
	RET

pairslog:
	// LogSoftmax: e = e^(x−m) aside (x − m stays in Z8–Z11, Z0–Z3), Σe
	// in the same association, then (x − m) − log Σe, as G_LOGSOFTMAX.
	VMOVAPS Z8, Z4
	EXPR(Z4, Z12, Z13)
	VMOVAPS Z0, Z5
	EXPR(Z5, Z14, Z15)
	VADDPS  Z5, Z4, Z4 // e0 + e4
	VMOVAPS Z9, Z5
	EXPR(Z5, Z12, Z13)
	VMOVAPS Z1, Z6
	EXPR(Z6, Z14, Z15)
	VADDPS  Z6, Z5, Z5 // e1 + e5
	VMOVAPS Z10, Z6
	EXPR(Z6, Z12, Z13)
	VMOVAPS Z2, Z7
	EXPR(Z7, Z14, Z15)
	VADDPS  Z7, Z6, Z6 // e2 + e6
	VMOVAPS Z11, Z7
	EXPR(Z7, Z12, Z13)
	VMOVAPS Z3, Z31
	EXPR(Z31, Z14, Z15)
	VADDPS  Z31, Z7, Z7 // e3 + e7
	VADDPS  Z6, Z4, Z4
	VADDPS  Z7, Z5, Z5
	VADDPS  Z5, Z4, Z4
	LOG_AVX512(Z4, Z12, Z13, Z14, K7)
	VMOVAPS Z4, Z31
	VSUBPS  Z31, Z0, Z4
	VSUBPS  Z31, Z1, Z5
	VSUBPS  Z31, Z2, Z6
	VSUBPS  Z31, Z3, Z7
	VSUBPS  Z31, Z8, Z0
	VSUBPS  Z31, Z9, Z1
	VSUBPS  Z31, Z10, Z2
	VSUBPS  Z31, Z11, Z3
	JMP     pairsback

// ------------------------------------------------------------ 16 columns

// softmaxColsAVX512 is softmaxPairsAVX512 for 9 to 16 columns: a block's
// 16 rows in Z0–Z15 (−Inf past cols), TRANSPOSE16, sixteen column vectors
// (the maximum and Σe over the lanes j and j+8, then j+4, j+2 and j+1, as
// lane 0 of softmaxGroupsAVX512's groups of 16: the same results),
// TRANSPOSE16 back. The transposes take Z16–Z31, so the exponential's
// constants are broadcast again in every block.
//
// The blocks run from the last to the first, and a block's row 15 is
// loaded by a masked load that ends at the row's end (its lanes 16−cols to
// 15, moved down by VCOMPRESSPS): in place, no load then spans bytes of
// the block above, whose stores may not have reached the cache. Rows 0 to
// 14, and every store, span bytes of their own block or of the blocks
// above (already stored) only.

// COLS_LOAD(z) loads the row at AX into z, −Inf past cols, and steps AX.
#define COLS_LOAD(z) \
	VBROADCASTSS ·vmNegInf(SB), z; \
	VMOVUPS      (AX), K1, z;      \
	ADDQ         R8, AX

#define COLS_STORE(z) \
	VMOVUPS z, K1, (BX); \
	ADDQ    R8, BX

// COLS_TREE(op) leaves in Z28 the op of the sixteen columns Z0–Z15 in the
// order of GREDUCE's lane 0 (Z29–Z31 scratch).
#define COLS_TREE(op) \
	op Z8, Z0, Z28;   \
	op Z12, Z4, Z29;  \
	op Z29, Z28, Z28; \
	op Z10, Z2, Z29;  \
	op Z14, Z6, Z30;  \
	op Z30, Z29, Z29; \
	op Z29, Z28, Z28; \
	op Z9, Z1, Z29;   \
	op Z13, Z5, Z30;  \
	op Z30, Z29, Z29; \
	op Z11, Z3, Z30;  \
	op Z15, Z7, Z31;  \
	op Z31, Z30, Z30; \
	op Z30, Z29, Z29; \
	op Z29, Z28, Z28

// func softmaxColsAVX512(dst, x []float32, blocks, cols int)
// Requires: AVX512F
// Register map: SI x, DI dst, CX blocks left, R8 cols·4 (a row), R9
// 64·cols (a block), R10 cols·4 − 64 (row 15's load from its row's end),
// AX and BX the block's rows in x and dst; Z0–Z15 rows and columns,
// Z16–Z27 exp constants (or the transposes' scratch), Z28 m, then 1/Σe,
// Z29–Z31 scratch; K1 the first cols lanes, K2 the last cols lanes.
TEXT ·softmaxColsAVX512(SB), NOSPLIT, $0-64
	MOVQ  dst_base+0(FP), DI
	MOVQ  x_base+24(FP), SI
	MOVQ  cols+56(FP), CX
	TAIL_K(CX, AX, K1)
	MOVL  $16, DX
	SUBL  CX, DX
	MOVL  CX, R8
	MOVL  DX, CX
	SHLL  CX, AX
	KMOVW AX, K2
	MOVQ  R8, R9
	SHLQ  $6, R9
	SHLQ  $2, R8
	LEAQ  -64(R8), R10
	MOVQ  blocks+48(FP), CX
	TESTQ CX, CX
	JZ    colsdone

colsloop:
	DECQ  CX
	MOVQ  CX, DX
	IMULQ R9, DX
	LEAQ  (SI)(DX*1), AX
	LEAQ  (DI)(DX*1), BX
	COLS_LOAD(Z0)
	COLS_LOAD(Z1)
	COLS_LOAD(Z2)
	COLS_LOAD(Z3)
	COLS_LOAD(Z4)
	COLS_LOAD(Z5)
	COLS_LOAD(Z6)
	COLS_LOAD(Z7)
	COLS_LOAD(Z8)
	COLS_LOAD(Z9)
	COLS_LOAD(Z10)
	COLS_LOAD(Z11)
	COLS_LOAD(Z12)
	COLS_LOAD(Z13)
	COLS_LOAD(Z14)
	VBROADCASTSS ·vmNegInf(SB), Z15
	VMOVUPS.Z    (AX)(R10*1), K2, Z16
	VCOMPRESSPS  Z16, K2, Z15
	TRANSPOSE16
	LOAD_EXP_CONSTS
	COLS_TREE(VMAXPS)
	VSUBPS Z28, Z0, Z0
	VSUBPS Z28, Z1, Z1
	VSUBPS Z28, Z2, Z2
	VSUBPS Z28, Z3, Z3
	VSUBPS Z28, Z4, Z4
	VSUBPS Z28, Z5, Z5
	VSUBPS Z28, Z6, Z6
	VSUBPS Z28, Z7, Z7
	VSUBPS Z28, Z8, Z8
	VSUBPS Z28, Z9, Z9
	VSUBPS Z28, Z10, Z10
	VSUBPS Z28, Z11, Z11
	VSUBPS Z28, Z12, Z12
	VSUBPS Z28, Z13, Z13
	VSUBPS Z28, Z14, Z14
	VSUBPS Z28, Z15, Z15
	EXPR(Z0, Z28, Z29)
	EXPR(Z1, Z30, Z31)
	EXPR(Z2, Z28, Z29)
	EXPR(Z3, Z30, Z31)
	EXPR(Z4, Z28, Z29)
	EXPR(Z5, Z30, Z31)
	EXPR(Z6, Z28, Z29)
	EXPR(Z7, Z30, Z31)
	EXPR(Z8, Z28, Z29)
	EXPR(Z9, Z30, Z31)
	EXPR(Z10, Z28, Z29)
	EXPR(Z11, Z30, Z31)
	EXPR(Z12, Z28, Z29)
	EXPR(Z13, Z30, Z31)
	EXPR(Z14, Z28, Z29)
	EXPR(Z15, Z30, Z31)
	COLS_TREE(VADDPS)
	VDIVPS Z28, Z27, Z28
	VMULPS Z28, Z0, Z0
	VMULPS Z28, Z1, Z1
	VMULPS Z28, Z2, Z2
	VMULPS Z28, Z3, Z3
	VMULPS Z28, Z4, Z4
	VMULPS Z28, Z5, Z5
	VMULPS Z28, Z6, Z6
	VMULPS Z28, Z7, Z7
	VMULPS Z28, Z8, Z8
	VMULPS Z28, Z9, Z9
	VMULPS Z28, Z10, Z10
	VMULPS Z28, Z11, Z11
	VMULPS Z28, Z12, Z12
	VMULPS Z28, Z13, Z13
	VMULPS Z28, Z14, Z14
	VMULPS Z28, Z15, Z15
	TRANSPOSE16
	COLS_STORE(Z0)
	COLS_STORE(Z1)
	COLS_STORE(Z2)
	COLS_STORE(Z3)
	COLS_STORE(Z4)
	COLS_STORE(Z5)
	COLS_STORE(Z6)
	COLS_STORE(Z7)
	COLS_STORE(Z8)
	COLS_STORE(Z9)
	COLS_STORE(Z10)
	COLS_STORE(Z11)
	COLS_STORE(Z12)
	COLS_STORE(Z13)
	COLS_STORE(Z14)
	COLS_STORE(Z15)
	TESTQ CX, CX
	JNZ   colsloop

colsdone:
	VZEROUPPER
	RET

DATA ·smPairIdxLo<>+0(SB)/4, $0
DATA ·smPairIdxLo<>+4(SB)/4, $1
DATA ·smPairIdxLo<>+8(SB)/4, $2
DATA ·smPairIdxLo<>+12(SB)/4, $3
DATA ·smPairIdxLo<>+16(SB)/4, $16
DATA ·smPairIdxLo<>+20(SB)/4, $17
DATA ·smPairIdxLo<>+24(SB)/4, $18
DATA ·smPairIdxLo<>+28(SB)/4, $19
DATA ·smPairIdxLo<>+32(SB)/4, $8
DATA ·smPairIdxLo<>+36(SB)/4, $9
DATA ·smPairIdxLo<>+40(SB)/4, $10
DATA ·smPairIdxLo<>+44(SB)/4, $11
DATA ·smPairIdxLo<>+48(SB)/4, $24
DATA ·smPairIdxLo<>+52(SB)/4, $25
DATA ·smPairIdxLo<>+56(SB)/4, $26
DATA ·smPairIdxLo<>+60(SB)/4, $27
GLOBL ·smPairIdxLo<>(SB), RODATA|NOPTR, $64

DATA ·smPairIdxHi<>+0(SB)/4, $4
DATA ·smPairIdxHi<>+4(SB)/4, $5
DATA ·smPairIdxHi<>+8(SB)/4, $6
DATA ·smPairIdxHi<>+12(SB)/4, $7
DATA ·smPairIdxHi<>+16(SB)/4, $20
DATA ·smPairIdxHi<>+20(SB)/4, $21
DATA ·smPairIdxHi<>+24(SB)/4, $22
DATA ·smPairIdxHi<>+28(SB)/4, $23
DATA ·smPairIdxHi<>+32(SB)/4, $12
DATA ·smPairIdxHi<>+36(SB)/4, $13
DATA ·smPairIdxHi<>+40(SB)/4, $14
DATA ·smPairIdxHi<>+44(SB)/4, $15
DATA ·smPairIdxHi<>+48(SB)/4, $28
DATA ·smPairIdxHi<>+52(SB)/4, $29
DATA ·smPairIdxHi<>+56(SB)/4, $30
DATA ·smPairIdxHi<>+60(SB)/4, $31
GLOBL ·smPairIdxHi<>(SB), RODATA|NOPTR, $64
