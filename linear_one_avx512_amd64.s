//go:build !purego

#include "textflag.h"
#include "asm_amd64.h"
#include "vecmath_avx512_amd64.h"

// The sums of a vector t of a period, s = x·w + b lane by lane (one FMA,
// one rounding, as gemmAVX512 rounds b + x·w), weights in Z2, biases in Z8:
//
// SUMP(mp, ma, mb, s, t0) loads the period's x from mp (masked by K1) and
// hands each lane the x of its row with VPERMPS (lane rows in Z1);
// SUM2(mp, ma, mb, s, t0), for a vector whose lanes lie in at most two
// rows, broadcasts x of the first row (at ma), then x of the second (at
// mb) into the lanes of K6, and takes one FMA for all lanes: a masked
// FMA for each row measured 5% slower with the tanh (1000×1→20), whose
// own FMAs keep those ports busy.
#define SUMP(mp, ma, mb, s, t0) \
	VMOVUPS.Z   mp, K1, t0; \
	VPERMPS     t0, Z1, s;  \
	VFMADD213PS Z8, Z2, s

// SUM1(mp, ma, mb, s, t0), for a vector whose lanes lie in one row, takes
// x of that row (at ma) as the FMA's broadcast operand.
#define SUM1(mp, ma, mb, s, t0) \
	VMOVAPS          Z8, s; \
	VFMADD231PS.BCST ma, Z2, s

#define SUM2(mp, ma, mb, s, t0) \
	VBROADCASTSS ma, s;        \
	VBROADCASTSS mb, K6, s;    \
	VFMADD213PS  Z8, Z2, s

// TANHC4 is the tanh of four vectors (TANH4_RES_AVX512, its nine register
// constants in Z20–Z28); TANHC that of one (TANH_AVX512, the constants
// from memory: it serves at most four vectors of each t). NOTANH4 and
// NOTANH are the identity.
#define TANHC4(x, x0, x1, x2, x3, y, y0, y1, y2, y3, z, z0, z1, z2, z3, w, w0, w1, w2, w3) TANH4_RES_AVX512(x, x0, x1, x2, x3, y, y0, y1, y2, y3, z, z0, z1, z2, z3, w, w0, w1, w2, w3, Z20, Z21, Z22, Z23, Z24, Z25, Z26, Z27, Z28)
#define NOTANH4(x, x0, x1, x2, x3, y, y0, y1, y2, y3, z, z0, z1, z2, z3, w, w0, w1, w2, w3)
#define TANHC(s, t0, t1, t2, t3) TANH_AVX512(s, t0, t1, t2, t3)
#define NOTANH(s, t0, t1, t2, t3)

// PERIODS(sum, tanh, tanh4, l4, lp, e): vector t of every whole period,
// CX of them from SI (R13, R14: its rows of lanes 0 and 15) on, dst at DI:
// four periods a step (four independent chains, their tanh interleaved by
// tanh4), then one (tanh); then e. AX = 3·R9 and R8 = 3·R11 address the
// fourth period.
#define PERIODS(sum, tanh, tanh4, l4, lp, e) \
	LEAQ    (R9)(R9*2), AX;         \
	LEAQ    (R11)(R11*2), R8;       \
	CMPQ    CX, $4;                 \
	JLT     lp;                     \
l4:                                 \
	sum((SI), (R13), (R14), Z3, Z4);                          \
	sum((SI)(R9*1), (R13)(R9*1), (R14)(R9*1), Z9, Z10);       \
	sum((SI)(R9*2), (R13)(R9*2), (R14)(R9*2), Z14, Z15);      \
	sum((SI)(AX*1), (R13)(AX*1), (R14)(AX*1), Z19, Z29);      \
	tanh4(Z3, Z4, Z5, Z6, Z7, Z9, Z10, Z11, Z12, Z13, Z14, Z15, Z16, Z17, Z18, Z19, Z29, Z30, Z31, Z0); \
	VMOVUPS Z3, (DI);               \
	VMOVUPS Z9, (DI)(R11*1);        \
	VMOVUPS Z14, (DI)(R11*2);       \
	VMOVUPS Z19, (DI)(R8*1);        \
	LEAQ    (SI)(R9*4), SI;         \
	LEAQ    (R13)(R9*4), R13;       \
	LEAQ    (R14)(R9*4), R14;       \
	LEAQ    (DI)(R11*4), DI;        \
	SUBQ    $4, CX;                 \
	CMPQ    CX, $4;                 \
	JGE     l4;                     \
	TESTQ   CX, CX;                 \
	JZ      e;                      \
lp:                                 \
	sum((SI), (R13), (R14), Z3, Z4); \
	tanh(Z3, Z4, Z5, Z6, Z7);       \
	VMOVUPS Z3, (DI);               \
	ADDQ    R9, SI;                 \
	ADDQ    R9, R13;                \
	ADDQ    R9, R14;                \
	ADDQ    R11, DI;                \
	DECQ    CX;                     \
	JNZ     lp;                     \
	JMP     e

// SWEEP(tanh, tanh4, lt, lq, l4p, lpp, l4t, lpt, lr, lf, ln) is the kernel's
// loop for one activation: for each vector t of the period (lt), its table
// entry into registers, then the vector t of every whole period (by SUM2
// when its lanes lie in at most two rows, l4t and lpt, else by SUMP from
// lq, l4p and lpp), then that of the rows left (lr), masked or whole (lf), by
// SUMP (whose masked load of x reads no row past them); ln steps to the
// next t.
#define SWEEP(tanh, tanh4, lt, lq, l4p, lpp, l4t, lpt, l2, l4o, lpo, lr, lf, ln) \
lt:                                 \
	VMOVUPS (BX), Z1;               \
	VMOVUPS 64(BX), Z2;             \
	VMOVUPS 128(BX), Z8;            \
	MOVQ    x_base+24(FP), SI;      \
	MOVQ    DX, DI;                 \
	MOVQ    periods+72(FP), CX;     \
	KMOVW   K3, K1;                 \
	MOVL    (BX), R13;              \
	MOVL    60(BX), R14;            \
	MOVQ    R14, AX;                \
	SUBQ    R13, AX;                \
	LEAQ    (SI)(R13*4), R13;       \
	LEAQ    (SI)(R14*4), R14;       \
	TESTQ   CX, CX;                 \
	JZ      lr;                     \
	CMPQ    AX, $1;                 \
	JGT     lq;                     \
	JEQ     l2;                     \
	PERIODS(SUM1, tanh, tanh4, l4o, lpo, lr); \
l2:                                 \
	VPBROADCASTD (BX), Z0;          \
	VPCMPD  $4, (BX), Z0, K6;       \
	PERIODS(SUM2, tanh, tanh4, l4t, lpt, lr); \
lq:                                 \
	PERIODS(SUMP, tanh, tanh4, l4p, lpp, lr); \
lr:                                 \
	CMPQ    R12, $0;                \
	JLE     ln;                     \
	KMOVW   K4, K1;                 \
	MOVQ    R12, CX;                \
	CMPQ    CX, $16;                \
	JGE     lf;                     \
	MOVL    $1, AX;                 \
	SHLL    CX, AX;                 \
	DECL    AX;                     \
	KMOVW   AX, K2;                 \
	SUMP((SI), (SI), (SI), Z3, Z4); \
	tanh(Z3, Z4, Z5, Z6, Z7);       \
	VMOVUPS Z3, K2, (DI);           \
	JMP     ln;                     \
lf:                                 \
	SUMP((SI), (SI), (SI), Z3, Z4); \
	tanh(Z3, Z4, Z5, Z6, Z7);       \
	VMOVUPS Z3, (DI);               \
ln:                                 \
	ADDQ    $192, BX;               \
	ADDQ    $64, DX;                \
	SUBQ    $16, R12;               \
	DECQ    R10;                    \
	JNZ     lt;                     \
	JMP     done

// func linear1AVX512(dst, x, tab []float32, periods, rem, rowsPer, vecs, flags int)
// Requires: AVX512F, AVX512DQ
//
// The contract is linear1AVX512's declaration in linear_amd64.go (the
// table: linear1TableAVX512). dst is written vector t of every period at a
// time, t = 0 to vecs−1, so that the entry of t stays in registers (loads
// of a table between the stores to dst would, 4 KiB apart, wait on them):
// x of a period is loaded (masked to its rows) and VPERMPS hands each lane
// the x of its row.
//
// Registers: Z1 lane rows, Z2 weights, Z8 biases, Z3, Z9, Z14, Z19 the
// vectors of four periods, Z4-Z7, Z10-Z13, Z15-Z18, Z29-Z31 and Z0 their
// x and tanh scratch, Z20-Z28 tanh constants, Z0 the row of lane 0 (SUM2,
// before the loop over the periods); K1 x's lanes
// (K3 a whole period's, K4 the rows left's), K2 the last vector's, K6 the
// lanes of a vector's second row (SUM2); DI dst,
// SI x at the period, BX table entry, CX periods left, DX dst at vector t
// of the first period, R9 rowsPer in bytes, R10 vectors left of the
// period, R11 a period's length in bytes, R12 values left for vector t of
// the rows left, AX and R8 scratch.
TEXT ·linear1AVX512(SB), NOSPLIT, $0-112
	MOVQ  dst_base+0(FP), DX
	MOVQ  tab_base+48(FP), BX
	MOVQ  rowsPer+88(FP), CX
	MOVQ  CX, R9
	SHLQ  $2, R9
	MOVL  $1, AX
	SHLL  CX, AX
	DECL  AX
	KMOVW AX, K3
	MOVQ  rem+80(FP), CX
	MOVL  $1, AX
	SHLL  CX, AX
	DECL  AX
	KMOVW AX, K4
	// R12 = rem·out = rem·vecs·16/rowsPer: the values of the rows left.
	MOVQ  rem+80(FP), AX
	IMULQ vecs+96(FP), AX
	SHLQ  $4, AX
	MOVQ  DX, R12
	XORQ  DX, DX
	DIVQ  rowsPer+88(FP)
	MOVQ  R12, DX
	MOVQ  AX, R12
	MOVQ  vecs+96(FP), R10
	MOVQ  R10, R11
	SHLQ  $6, R11
	TESTQ R10, R10
	JZ    done
	TESTQ $const_gemmTanh, flags+104(FP)
	JZ    ident
	LOAD_TANH4_CONSTS
	SWEEP(TANHC, TANHC4, tvec, tperm, tp4, tp1, tt4, tt1, ttwo, to4, to1, trest, twhole, tnext)

ident:
	SWEEP(NOTANH, NOTANH4, ivec, iperm, ip4, ip1, it4, it1, itwo, io4, io1, irest, iwhole, inext)

done:
	VZEROUPPER
	RET
