//go:build !purego

#include "textflag.h"

// The column-layout kernels of cols.go on AVX-512: samples in the lanes,
// 16 to a ZMM register, pure FMA. Zen 5 issues two FMAs and two 512-bit
// loads a cycle; each tile below keeps its loads at or under its FMAs and
// enough independent accumulators (≥ 8) to cover the FMA latency.

// ---------------------------------------------------------------- linearCols

// LD4 loads the tile's four sample vectors of input i (64 samples at SI).
#define LD4 \
	VMOVUPS (SI), Z20;    \
	VMOVUPS 64(SI), Z21;  \
	VMOVUPS 128(SI), Z22; \
	VMOVUPS 192(SI), Z23

// FMA4 broadcasts the weight at m into z and adds its products with the
// four sample vectors to one output's accumulators a0-a3.
#define FMA4(m, z, a0, a1, a2, a3) \
	VBROADCASTSS m, z;       \
	VFMADD231PS  Z20, z, a0; \
	VFMADD231PS  Z21, z, a1; \
	VFMADD231PS  Z22, z, a2; \
	VFMADD231PS  Z23, z, a3

// FMA1 is FMA4 for a tile one vector wide (the sample vector in Z20).
#define FMA1(m, z, a0) \
	VBROADCASTSS m, z; \
	VFMADD231PS  Z20, z, a0

// BIAS4 starts one output's accumulators at its bias, off(AX)(R14*4) =
// b[o0 + off/4].
#define BIAS4(off, a0, a1, a2, a3) \
	VBROADCASTSS off(AX)(R14*4), a0; \
	VMOVAPS      a0, a1;             \
	VMOVAPS      a0, a2;             \
	VMOVAPS      a0, a3

#define ZERO4(a0, a1, a2, a3) \
	VPXORD a0, a0, a0; \
	VPXORD a1, a1, a1; \
	VPXORD a2, a2, a2; \
	VPXORD a3, a3, a3

// ST4 stores one output's four vectors at DI and steps DI to the next
// output (R11 = ld·4).
#define ST4(a0, a1, a2, a3) \
	VMOVUPS a0, (DI);    \
	VMOVUPS a1, 64(DI);  \
	VMOVUPS a2, 128(DI); \
	VMOVUPS a3, 192(DI); \
	ADDQ    R11, DI

#define ST1(a0) \
	VMOVUPS a0, (DI); \
	ADDQ    R11, DI

// GATE applies the gate g at m to a: t = g·g (rounded), then
// a = a − a·t in one fused op.
#define GATE(m, t, a) \
	VMOVUPS      m, t;    \
	VMULPS       t, t, t; \
	VFNMADD231PS t, a, a

// GATE4 and GATE1 gate one output's vectors with the gate at AX and step
// AX to the next output. A tile gates all its outputs before it stores
// any: a gate load after a store to dst 4 KiB away (ld = 1024) would wait
// on it (4K aliasing).
#define GATE4(a0, a1, a2, a3) \
	GATE((AX), Z24, a0);    \
	GATE(64(AX), Z25, a1);  \
	GATE(128(AX), Z26, a2); \
	GATE(192(AX), Z27, a3); \
	ADDQ R11, AX

#define GATE1(a0) \
	GATE((AX), Z24, a0); \
	ADDQ R11, AX

// NEXTBLOCK follows a tile of a group of four blocks (from BX; blocks
// 256 bytes of a row apart, the last at R12): on to the group's next block
// (tile), or to done after its fourth block or the last.
#define NEXTBLOCK(tile, done) \
	CMPQ    R13, R12;      \
	JEQ     done;          \
	ADDQ    $256, R13;     \
	LEAQ    1024(BX), AX;  \
	CMPQ    R13, AX;       \
	JGE     done;          \
	CMPQ    R13, R12;      \
	CMOVQGT R12, R13;      \
	JMP     tile

// NEXTGROUP ends a group of blocks: done if the group ended at the last
// block (R12), else on to the next group, at min(BX+1024, R12).
#define NEXTGROUP(group) \
	LEAQ    768(BX), AX; \
	CMPQ    AX, R12;     \
	JGE     ldone;       \
	ADDQ    $1024, BX;   \
	CMPQ    BX, R12;     \
	CMOVQGT R12, BX;     \
	JMP     group

// TILEPTRS sets SI to the tile's samples of input 0 (src + r0), DX to the
// weight of (o0, input 0) and CX to nIn.
#define TILEPTRS \
	MOVQ  src_base+24(FP), SI; \
	ADDQ  R13, SI;             \
	MOVQ  R14, DX;             \
	IMULQ R8, DX;              \
	ADDQ  w_base+48(FP), DX;   \
	MOVQ  nIn+120(FP), CX

// OUTPTRS sets DI to dst at (o0, r0) and, for the gated form, AX to gate
// there.
#define OUTPTRS \
	MOVQ  R14, DI;             \
	IMULQ R11, DI;             \
	ADDQ  R13, DI;             \
	MOVQ  DI, AX;              \
	ADDQ  dst_base+0(FP), DI;  \
	ADDQ  gate_base+96(FP), AX

// ACCMASK sets K4–K7 to the lanes of the tile's four vectors (rows r0 =
// R13/4 on) that the weight-gradient epilogue counts: rows from
// ⌈r0/64⌉·64 on, so that the last block, which overlaps the one before,
// counts only its new rows, and below n. Clobbers AX, CX, DX.
#define ACCMASK \
	MOVQ  R13, AX;         \
	SHRQ  $2, AX;          \
	MOVQ  n+152(FP), CX;   \
	SUBQ  AX, CX;          \
	MOVQ  $-1, DX;         \
	CMPQ  CX, $64;         \
	JGE   2(PC);           \
	BZHIQ CX, DX, DX;      \
	NEGQ  AX;              \
	ANDQ  $63, AX;         \
	MOVQ  $-1, CX;         \
	SHLXQ AX, CX, CX;      \
	ANDQ  CX, DX;          \
	KMOVW DX, K4;          \
	SHRQ  $16, DX;         \
	KMOVW DX, K5;          \
	SHRQ  $16, DX;         \
	KMOVW DX, K6;          \
	SHRQ  $16, DX;         \
	KMOVW DX, K7

// ACCUNIT(j, a0, a1, a2, a3, skip, loop) adds, unless unit j of the tile
// is one the tile before counted (j < DI), the products of its four
// results a0–a3 with each of the nx rows of x, in the lanes K4–K7, to its
// partial sums acc[((o0+j)·nx+i)·16:] (CX = nx·64), and the results to
// acc[(nOut·nx+o0+j)·16:]. Clobbers AX, DX, SI, Z24.
#define ACCUNIT(j, a0, a1, a2, a3, skip, loop) \
	CMPQ        DI, $j;                 \
	JGT         skip;                   \
	MOVQ        x_base+192(FP), SI;     \
	ADDQ        R13, SI;                \
	LEAQ        j(R14), DX;             \
	IMULQ       CX, DX;                 \
	ADDQ        acc_base+168(FP), DX;   \
	MOVQ        nx+216(FP), AX;         \
loop:                                   \
	VMOVUPS     (DX), Z24;              \
	VFMADD231PS (SI), a0, K4, Z24;      \
	VFMADD231PS 64(SI), a1, K5, Z24;    \
	VFMADD231PS 128(SI), a2, K6, Z24;   \
	VFMADD231PS 192(SI), a3, K7, Z24;   \
	VMOVUPS     Z24, (DX);              \
	ADDQ        R11, SI;                \
	ADDQ        $64, DX;                \
	DECQ        AX;                     \
	JNZ         loop;                   \
	MOVQ        nOut+128(FP), DX;       \
	IMULQ       nx+216(FP), DX;         \
	LEAQ        j(DX)(R14*1), DX;       \
	SHLQ        $6, DX;                 \
	ADDQ        acc_base+168(FP), DX;   \
	VMOVUPS     (DX), Z24;              \
	VADDPS      a0, Z24, K4, Z24;       \
	VADDPS      a1, Z24, K5, Z24;       \
	VADDPS      a2, Z24, K6, Z24;       \
	VADDPS      a3, Z24, K7, Z24;       \
	VMOVUPS     Z24, (DX);              \
skip:

// ------------------------------------------------------------------ gradCols

// Every tile keeps one accumulator per (a row, b row) and one per a row
// for Σa (used where the tile adds to gb), takes the samples in order 16
// at a time with K1 all ones, then the last n%16 with K1 = K2 (masked-off
// lanes load as 0, and nothing past the last sample is read), and at the
// end reduces the accumulators with TREE16.

// FMA5 adds a row of a (in a) times the five b rows Z23-Z27 to c0-c4, and
// a to g.
#define FMA5(a, c0, c1, c2, c3, c4, g) \
	VFMADD231PS Z23, a, c0; \
	VFMADD231PS Z24, a, c1; \
	VFMADD231PS Z25, a, c2; \
	VFMADD231PS Z26, a, c3; \
	VFMADD231PS Z27, a, c4; \
	VADDPS      a, g, g

// LDB5 loads the five b rows at DI (R9 = ldb·4, R10 = 3·ldb·4).
#define LDB5 \
	VMOVUPS.Z (DI), K1, Z23;        \
	VMOVUPS.Z (DI)(R9*1), K1, Z24;  \
	VMOVUPS.Z (DI)(R9*2), K1, Z25;  \
	VMOVUPS.Z (DI)(R10*1), K1, Z26; \
	VMOVUPS.Z (DI)(R9*4), K1, Z27

// STEP35: 16 samples of 3 a rows (SI, R8 = lda·4) × 5 b rows; gw sums of
// row i, b row j in Z(5i+j), Σa of rows 0, 1, 2 in Z15, Z16, Z17.
#define STEP35 \
	VMOVUPS.Z (SI), K1, Z20;       \
	VMOVUPS.Z (SI)(R8*1), K1, Z21; \
	VMOVUPS.Z (SI)(R8*2), K1, Z22; \
	LDB5;                          \
	FMA5(Z20, Z0, Z1, Z2, Z3, Z4, Z15);     \
	FMA5(Z21, Z5, Z6, Z7, Z8, Z9, Z16);     \
	FMA5(Z22, Z10, Z11, Z12, Z13, Z14, Z17)

// STEP15: 1 a row × 5 b rows: Z0-Z4, Σa in Z15.
#define STEP15 \
	VMOVUPS.Z (SI), K1, Z20; \
	LDB5;                    \
	FMA5(Z20, Z0, Z1, Z2, Z3, Z4, Z15)

// FMAB adds a row of a (in a) times the b row Z30 to c and a to g.
#define FMAB(a, c, g) \
	VFMADD231PS Z30, a, c; \
	VADDPS      a, g, g

// STEP81: 8 a rows (SI; R11 = 3·lda·4, BX = 5·lda·4, AX = 7·lda·4) × the
// b row at DI: the sum of a row i in Z(i), Σa in Z(8+i).
#define STEP81 \
	VMOVUPS.Z (DI), K1, Z30;        \
	VMOVUPS.Z (SI), K1, Z20;        \
	VMOVUPS.Z (SI)(R8*1), K1, Z21;  \
	VMOVUPS.Z (SI)(R8*2), K1, Z22;  \
	VMOVUPS.Z (SI)(R11*1), K1, Z23; \
	VMOVUPS.Z (SI)(R8*4), K1, Z24;  \
	VMOVUPS.Z (SI)(BX*1), K1, Z25;  \
	VMOVUPS.Z (SI)(R11*2), K1, Z26; \
	VMOVUPS.Z (SI)(AX*1), K1, Z27;  \
	FMAB(Z20, Z0, Z8);              \
	FMAB(Z21, Z1, Z9);              \
	FMAB(Z22, Z2, Z10);             \
	FMAB(Z23, Z3, Z11);             \
	FMAB(Z24, Z4, Z12);             \
	FMAB(Z25, Z5, Z13);             \
	FMAB(Z26, Z6, Z14);             \
	FMAB(Z27, Z7, Z15)

// STEP41: the first 4 rows of STEP81.
#define STEP41 \
	VMOVUPS.Z (DI), K1, Z30;        \
	VMOVUPS.Z (SI), K1, Z20;        \
	VMOVUPS.Z (SI)(R8*1), K1, Z21;  \
	VMOVUPS.Z (SI)(R8*2), K1, Z22;  \
	VMOVUPS.Z (SI)(R11*1), K1, Z23; \
	FMAB(Z20, Z0, Z8);              \
	FMAB(Z21, Z1, Z9);              \
	FMAB(Z22, Z2, Z10);             \
	FMAB(Z23, Z3, Z11)

// STEP11: the first row of STEP81.
#define STEP11 \
	VMOVUPS.Z (DI), K1, Z30; \
	VMOVUPS.Z (SI), K1, Z20; \
	FMAB(Z20, Z0, Z8)

#define ZERO18 \
	VPXORD Z0, Z0, Z0;    \
	VPXORD Z1, Z1, Z1;    \
	VPXORD Z2, Z2, Z2;    \
	VPXORD Z3, Z3, Z3;    \
	VPXORD Z4, Z4, Z4;    \
	VPXORD Z5, Z5, Z5;    \
	VPXORD Z6, Z6, Z6;    \
	VPXORD Z7, Z7, Z7;    \
	VPXORD Z8, Z8, Z8;    \
	VPXORD Z9, Z9, Z9;    \
	VPXORD Z10, Z10, Z10; \
	VPXORD Z11, Z11, Z11; \
	VPXORD Z12, Z12, Z12; \
	VPXORD Z13, Z13, Z13; \
	VPXORD Z14, Z14, Z14; \
	VPXORD Z15, Z15, Z15; \
	VPXORD Z16, Z16, Z16; \
	VPXORD Z17, Z17, Z17

// TILESTART points SI at the a tile (R14), DI at the b tile (R15), CX at
// the full vectors (DX) and K1 at all lanes.
#define TILESTART \
	MOVQ   R14, SI; \
	MOVQ   R15, DI; \
	MOVQ   DX, CX;  \
	KXNORW K1, K1, K1

// HADD(sh, lo, hi, a, b) sets a to the sum of two shuffles (sh, imm lo
// and hi) of a and b (Z28, Z29 scratch).
#define HADD(sh, lo, hi, a, b) \
	sh     lo, b, a, Z28; \
	sh     hi, b, a, Z29; \
	VADDPS Z29, Z28, a

// TREE16 reduces Z0-Z15 to their 16 lane sums, lane L of Z0 the sum of
// ZL, all in the same order, by halving: the lanes l and l+8 added
// (VSHUFF32X4 pairs the 256-bit halves of two registers), then l and l+4
// of those (128-bit blocks), then l and l+2, then l and l+1 (VSHUFPS), as
// colsHalve. The registers are paired (Z0, Z4), (Z8, Z12), … so that the
// sums come out in order. 45 instructions for 16 sums.
#define TREE16 \
	HADD(VSHUFF32X4, $0x44, $0xee, Z0, Z4);   \
	HADD(VSHUFF32X4, $0x44, $0xee, Z8, Z12);  \
	HADD(VSHUFF32X4, $0x44, $0xee, Z1, Z5);   \
	HADD(VSHUFF32X4, $0x44, $0xee, Z9, Z13);  \
	HADD(VSHUFF32X4, $0x44, $0xee, Z2, Z6);   \
	HADD(VSHUFF32X4, $0x44, $0xee, Z10, Z14); \
	HADD(VSHUFF32X4, $0x44, $0xee, Z3, Z7);   \
	HADD(VSHUFF32X4, $0x44, $0xee, Z11, Z15); \
	HADD(VSHUFF32X4, $0x88, $0xdd, Z0, Z8);   \
	HADD(VSHUFF32X4, $0x88, $0xdd, Z1, Z9);   \
	HADD(VSHUFF32X4, $0x88, $0xdd, Z2, Z10);  \
	HADD(VSHUFF32X4, $0x88, $0xdd, Z3, Z11);  \
	HADD(VSHUFPS, $0x44, $0xee, Z0, Z1);      \
	HADD(VSHUFPS, $0x44, $0xee, Z2, Z3);      \
	HADD(VSHUFPS, $0x88, $0xdd, Z0, Z2)

// GWPTR sets BX to gw[ia*nb+jb] (R12 = ia, R13 = jb) and AX to nb·4, the
// stride of a's rows in gw.
#define GWPTR \
	MOVQ  nb+104(FP), AX;    \
	MOVQ  R12, BX;           \
	IMULQ AX, BX;            \
	ADDQ  R13, BX;           \
	SHLQ  $2, BX;            \
	ADDQ  gw_base+0(FP), BX; \
	SHLQ  $2, AX

// ADDM adds the lanes of z that K names to m, in place.
#define ADDM(z, k, m) \
	VMOVUPS.Z m, k, Z28; \
	VADDPS    z, Z28, Z28; \
	VMOVUPS   Z28, k, m

// ADD1 adds lane 0 of x (an X register) to the float at m.
#define ADD1(x, m) \
	VADDSS m, x, X28; \
	VMOVSS X28, m

// ROTL sets Z29 to Z0 moved down by k lanes (lane k in lane 0).
#define ROTL(k) VALIGND k, Z0, Z0, Z29

// GWCOL adds lane k of Z0 to the float at BX and steps BX by AX (one a
// row down gw).
#define GWCOL(k) \
	ROTL(k);        \
	ADD1(X29, (BX)); \
	ADDQ AX, BX

// GBTEST jumps to skip unless this tile adds to gb: the first b tile
// (jb = 0) and len(gb) > 0; otherwise it sets BX to gb[ia].
#define GBTEST(skip) \
	TESTQ R13, R13;           \
	JNZ   skip;               \
	MOVQ  gb_len+32(FP), BX;  \
	TESTQ BX, BX;             \
	JZ    skip;               \
	MOVQ  gb_base+24(FP), BX; \
	LEAQ  (BX)(R12*4), BX

// ---------------------------------------------------------------- the kernels

// func linearColsAVX512(dst, src, w, b, gate []float32, nIn, nOut, wo, wi, n, ld int, acc, x []float32, nx, skip int)
// Requires: AVX512F, AVX512DQ
//
// Tiles of 5 outputs × 4 vectors (64 samples): 20 accumulators, the 4
// sample vectors of an input loaded once and each of the 5 weights
// broadcast once, 9 loads for 20 FMAs. The last sample block starts at
// R−64 and the last output tile at nOut−5, overlapping the one before:
// the lanes and outputs they share are computed again from the same
// inputs, with the same results, instead of edge tiles. R < 64 takes
// tiles one vector wide, nOut < 5 tiles one output wide.
//
// The blocks go in groups of four: for each output tile, the group's
// blocks, then the next output tile, so that a group's samples (nIn rows
// of 1 KiB) stay in L1 across its output tiles. The caller's ld should
// not be a multiple of 512: rows 2 or 4 KiB apart fall in the same few L1
// sets (12 ways) and evict each other, and a load after a store 4 KiB
// away waits for it (4K aliasing). At ld = 1008 (the trainer's, colLd)
// this order took the seed's head in 3.24 µs against 3.62 µs for a variant
// that copied the first tile's samples to the stack for the others to
// read, which helped only at ld = 1024 (Zen 5).
//
// With len(acc) > 0 (nOut ≥ 5 and R ≥ 64, so the 5 × 4 tiles only), the
// tiles do not store: each adds its results' products with the nx rows of
// x (ld apart, as src) to the 16-lane partial sums acc[(o·nx+i)·16:] and
// the results themselves to acc[(nOut·nx+o)·16:], FMA and add in the
// lanes' row order, over the rows below n that no tile before it counted
// (ACCMASK; and of the last output tile, which overlaps the one before,
// the units from skip on).
//
// SI samples of input i, DX weight (o0, i), CX inputs left, DI dst, AX
// gate or b, BX the group's first r0·4; R8 wo·4, R9 3·wo·4, R10 wi·4, R11 ld·4, R12 the last block's r0·4
// (R·4 for one-vector blocks), R13 r0·4, R14 o0, R15 the last tile's o0
// (nOut−5). Z0-Z19 accumulators (output o0+j, vector v in Z(4j+v)),
// Z20-Z23 sample vectors, Z24-Z28 weights and gate scratch.
TEXT ·linearColsAVX512(SB), NOSPLIT, $0-232
	MOVQ n+152(FP), AX
	ADDQ $15, AX
	ANDQ $-16, AX      // R
	JZ   ldone
	SHLQ $2, AX        // R·4
	MOVQ wo+136(FP), R8
	SHLQ $2, R8
	LEAQ (R8)(R8*2), R9
	MOVQ wi+144(FP), R10
	SHLQ $2, R10
	MOVQ ld+160(FP), R11
	SHLQ $2, R11
	MOVQ nOut+128(FP), R15
	SUBQ $5, R15
	XORQ R14, R14
	CMPQ AX, $256
	JLT  lnarrow
	LEAQ -256(AX), R12
	XORQ BX, BX
	TESTQ R15, R15
	JS   l14group

l54group:
	XORQ R14, R14

l54out:
	MOVQ BX, R13

l54tile:
	TILEPTRS
	CMPQ b_len+80(FP), $0
	JEQ  l54zero
	MOVQ b_base+72(FP), AX
	BIAS4(0, Z0, Z1, Z2, Z3)
	BIAS4(4, Z4, Z5, Z6, Z7)
	BIAS4(8, Z8, Z9, Z10, Z11)
	BIAS4(12, Z12, Z13, Z14, Z15)
	BIAS4(16, Z16, Z17, Z18, Z19)
	JMP  l54loop

l54zero:
	ZERO4(Z0, Z1, Z2, Z3)
	ZERO4(Z4, Z5, Z6, Z7)
	ZERO4(Z8, Z9, Z10, Z11)
	ZERO4(Z12, Z13, Z14, Z15)
	ZERO4(Z16, Z17, Z18, Z19)

l54loop:
	LD4
	FMA4((DX), Z24, Z0, Z1, Z2, Z3)
	FMA4((DX)(R8*1), Z25, Z4, Z5, Z6, Z7)
	FMA4((DX)(R8*2), Z26, Z8, Z9, Z10, Z11)
	FMA4((DX)(R9*1), Z27, Z12, Z13, Z14, Z15)
	FMA4((DX)(R8*4), Z28, Z16, Z17, Z18, Z19)
	ADDQ R11, SI
	ADDQ R10, DX
	DECQ CX
	JNZ  l54loop

	OUTPTRS
	CMPQ gate_len+104(FP), $0
	JEQ  l54store
	GATE4(Z0, Z1, Z2, Z3)
	GATE4(Z4, Z5, Z6, Z7)
	GATE4(Z8, Z9, Z10, Z11)
	GATE4(Z12, Z13, Z14, Z15)
	GATE4(Z16, Z17, Z18, Z19)

l54store:
	CMPQ acc_len+176(FP), $0
	JNE  l54acc
	ST4(Z0, Z1, Z2, Z3)
	ST4(Z4, Z5, Z6, Z7)
	ST4(Z8, Z9, Z10, Z11)
	ST4(Z12, Z13, Z14, Z15)
	ST4(Z16, Z17, Z18, Z19)

l54stored:
	NEXTBLOCK(l54tile, l54onext)

l54acc:
	// The weight-gradient epilogue: DI units to skip, CX nx·64.
	ACCMASK
	XORQ    DI, DI
	CMPQ    R14, R15
	CMOVQEQ skip+224(FP), DI
	MOVQ    nx+216(FP), CX
	SHLQ    $6, CX
	ACCUNIT(0, Z0, Z1, Z2, Z3, l54u0, l54x0)
	ACCUNIT(1, Z4, Z5, Z6, Z7, l54u1, l54x1)
	ACCUNIT(2, Z8, Z9, Z10, Z11, l54u2, l54x2)
	ACCUNIT(3, Z12, Z13, Z14, Z15, l54u3, l54x3)
	ACCUNIT(4, Z16, Z17, Z18, Z19, l54u4, l54x4)
	JMP     l54stored

l54onext:
	CMPQ    R14, R15
	JEQ     l54next
	ADDQ    $5, R14
	CMPQ    R14, R15
	CMOVQGT R15, R14
	JMP     l54out

l54next:
	NEXTGROUP(l54group)

	// nOut < 5: one output a tile, 4 accumulators.
l14group:
	XORQ R14, R14

l14out:
	MOVQ BX, R13

l14tile:
	TILEPTRS
	CMPQ b_len+80(FP), $0
	JEQ  l14zero
	MOVQ b_base+72(FP), AX
	BIAS4(0, Z0, Z1, Z2, Z3)
	JMP  l14loop

l14zero:
	ZERO4(Z0, Z1, Z2, Z3)

l14loop:
	LD4
	FMA4((DX), Z24, Z0, Z1, Z2, Z3)
	ADDQ R11, SI
	ADDQ R10, DX
	DECQ CX
	JNZ  l14loop

	OUTPTRS
	CMPQ gate_len+104(FP), $0
	JEQ  l14store
	GATE4(Z0, Z1, Z2, Z3)

l14store:
	ST4(Z0, Z1, Z2, Z3)
	NEXTBLOCK(l14tile, l14onext)

l14onext:
	INCQ R14
	CMPQ R14, nOut+128(FP)
	JLT  l14out
	NEXTGROUP(l14group)

	// R < 64: blocks of one vector.
lnarrow:
	MOVQ  AX, R12
	TESTQ R15, R15
	JS    l11out

l51out:
	XORQ R13, R13

l51tile:
	TILEPTRS
	CMPQ b_len+80(FP), $0
	JEQ  l51zero
	MOVQ b_base+72(FP), AX
	VBROADCASTSS 0(AX)(R14*4), Z0
	VBROADCASTSS 4(AX)(R14*4), Z4
	VBROADCASTSS 8(AX)(R14*4), Z8
	VBROADCASTSS 12(AX)(R14*4), Z12
	VBROADCASTSS 16(AX)(R14*4), Z16
	JMP  l51loop

l51zero:
	VPXORD Z0, Z0, Z0
	VPXORD Z4, Z4, Z4
	VPXORD Z8, Z8, Z8
	VPXORD Z12, Z12, Z12
	VPXORD Z16, Z16, Z16

l51loop:
	VMOVUPS (SI), Z20
	FMA1((DX), Z24, Z0)
	FMA1((DX)(R8*1), Z25, Z4)
	FMA1((DX)(R8*2), Z26, Z8)
	FMA1((DX)(R9*1), Z27, Z12)
	FMA1((DX)(R8*4), Z28, Z16)
	ADDQ R11, SI
	ADDQ R10, DX
	DECQ CX
	JNZ  l51loop

	OUTPTRS
	CMPQ gate_len+104(FP), $0
	JEQ  l51store
	GATE1(Z0)
	GATE1(Z4)
	GATE1(Z8)
	GATE1(Z12)
	GATE1(Z16)

l51store:
	ST1(Z0)
	ST1(Z4)
	ST1(Z8)
	ST1(Z12)
	ST1(Z16)
	ADDQ $64, R13
	CMPQ R13, R12
	JLT  l51tile
	CMPQ    R14, R15
	JEQ     ldone
	ADDQ    $5, R14
	CMPQ    R14, R15
	CMOVQGT R15, R14
	JMP     l51out

l11out:
	XORQ R13, R13

l11tile:
	TILEPTRS
	VPXORD Z0, Z0, Z0
	CMPQ   b_len+80(FP), $0
	JEQ    l11loop
	MOVQ   b_base+72(FP), AX
	VBROADCASTSS (AX)(R14*4), Z0

l11loop:
	VMOVUPS (SI), Z20
	FMA1((DX), Z24, Z0)
	ADDQ R11, SI
	ADDQ R10, DX
	DECQ CX
	JNZ  l11loop

	OUTPTRS
	CMPQ gate_len+104(FP), $0
	JEQ  l11store
	GATE1(Z0)

l11store:
	ST1(Z0)
	ADDQ $64, R13
	CMPQ R13, R12
	JLT  l11tile
	INCQ R14
	CMPQ R14, nOut+128(FP)
	JLT  l11out

ldone:
	VZEROUPPER
	RET

// func gradColsAVX512(gw, gb, a, b []float32, na, nb, n, lda, ldb int)
// Requires: AVX512F, AVX512DQ
//
// The b rows in tiles of 5, outside, each against the a rows in tiles of 3
// (15 sums and 3 Σa: 8 loads, 15 FMAs and 3 adds per 16 samples), so that
// a b tile stays in L1 while the a rows stream past it; then the a rows
// left one at a time (1 × 5). The b rows past the last tile of 5 are taken
// one at a time against tiles of 8 a rows (8 sums, 8 Σa), then 4, then 1.
// Each tile's 16-lane sums are reduced by TREE16 (STEP35's Σa of rows 1
// and 2 by the same halving on their own) and added to gw and gb.
//
// SI a, DI b (moving), CX vectors left, DX full vectors (n/16), R8 lda·4,
// R9 ldb·4, R10 3·ldb·4, R11 3·lda·4, R12 ia, R13 jb, R14 a row ia, R15 b
// row jb; AX, BX scratch (AX 7·lda·4 and BX 5·lda·4 in the 8-row tiles).
// K1 load mask, K2 the last n%16 lanes, K3 5 lanes, K4 8, K5 4.
TEXT ·gradColsAVX512(SB), NOSPLIT, $0-136
	MOVQ   n+112(FP), DX
	MOVQ   DX, CX
	ANDQ   $15, CX
	MOVL   $1, AX
	SHLL   CX, AX
	DECL   AX
	KMOVW  AX, K2
	SHRQ   $4, DX
	MOVL   $0x1f, AX
	KMOVW  AX, K3
	MOVL   $0xff, AX
	KMOVW  AX, K4
	MOVL   $0x0f, AX
	KMOVW  AX, K5
	MOVQ   lda+120(FP), R8
	SHLQ   $2, R8
	LEAQ   (R8)(R8*2), R11
	MOVQ   ldb+128(FP), R9
	SHLQ   $2, R9
	LEAQ   (R9)(R9*2), R10
	XORQ   R13, R13
	MOVQ   b_base+72(FP), R15

g5btile:
	MOVQ nb+104(FP), AX
	SUBQ R13, AX
	CMPQ AX, $5
	JLT  g1btile
	XORQ R12, R12
	MOVQ a_base+48(FP), R14

g35tile:
	MOVQ na+96(FP), AX
	SUBQ R12, AX
	CMPQ AX, $3
	JLT  g15tile
	ZERO18
	TILESTART
	TESTQ CX, CX
	JZ    g35tail

g35loop:
	STEP35
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ CX
	JNZ  g35loop

g35tail:
	KORTESTW K2, K2
	JZ       g35sum
	KMOVW    K2, K1
	STEP35

g35sum:
	TREE16
	GWPTR
	ADDM(Z0, K3, (BX))
	ROTL($5)
	ADDM(Z29, K3, (BX)(AX*1))
	ROTL($10)
	ADDM(Z29, K3, (BX)(AX*2))
	GBTEST(g35next)
	// Σa of row 0 is lane 15 of Z0; rows 1 and 2 (Z16, Z17) are halved
	// here: lane 0 and lane 4 of Z16.
	HADD(VSHUFF32X4, $0x44, $0xee, Z16, Z17)
	HADD(VSHUFF32X4, $0x88, $0xdd, Z16, Z16)
	HADD(VSHUFPS, $0x44, $0xee, Z16, Z16)
	HADD(VSHUFPS, $0x88, $0xdd, Z16, Z16)
	ROTL($15)
	ADD1(X29, (BX))
	ADD1(X16, 4(BX))
	VALIGND $4, Z16, Z16, Z29
	ADD1(X29, 8(BX))

g35next:
	LEAQ (R14)(R11*1), R14
	ADDQ $3, R12
	JMP  g35tile

g15tile:
	CMPQ R12, na+96(FP)
	JGE  g5bnext
	ZERO18
	TILESTART
	TESTQ CX, CX
	JZ    g15tail

g15loop:
	STEP15
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ CX
	JNZ  g15loop

g15tail:
	KORTESTW K2, K2
	JZ       g15sum
	KMOVW    K2, K1
	STEP15

g15sum:
	TREE16
	GWPTR
	ADDM(Z0, K3, (BX))
	GBTEST(g15next)
	ROTL($15)
	ADD1(X29, (BX))

g15next:
	ADDQ R8, R14
	INCQ R12
	JMP  g15tile

g5bnext:
	LEAQ (R15)(R9*4), R15
	ADDQ R9, R15
	ADDQ $5, R13
	JMP  g5btile

	// The b rows left, one at a time.
g1btile:
	CMPQ R13, nb+104(FP)
	JGE  gdone
	XORQ R12, R12
	MOVQ a_base+48(FP), R14

g81tile:
	MOVQ na+96(FP), AX
	SUBQ R12, AX
	CMPQ AX, $8
	JLT  g41tile
	ZERO18
	TILESTART
	LEAQ  (R8)(R8*4), BX
	LEAQ  (R11)(R8*4), AX
	TESTQ CX, CX
	JZ    g81tail

g81loop:
	STEP81
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ CX
	JNZ  g81loop

g81tail:
	KORTESTW K2, K2
	JZ       g81sum
	KMOVW    K2, K1
	STEP81

g81sum:
	TREE16
	GWPTR
	GWCOL($0)
	GWCOL($1)
	GWCOL($2)
	GWCOL($3)
	GWCOL($4)
	GWCOL($5)
	GWCOL($6)
	GWCOL($7)
	GBTEST(g81next)
	ROTL($8)
	ADDM(Z29, K4, (BX))

g81next:
	LEAQ (R14)(R8*8), R14
	ADDQ $8, R12
	JMP  g81tile

g41tile:
	CMPQ AX, $4
	JLT  g11tile
	ZERO18
	TILESTART
	TESTQ CX, CX
	JZ    g41tail

g41loop:
	STEP41
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ CX
	JNZ  g41loop

g41tail:
	KORTESTW K2, K2
	JZ       g41sum
	KMOVW    K2, K1
	STEP41

g41sum:
	TREE16
	GWPTR
	GWCOL($0)
	GWCOL($1)
	GWCOL($2)
	GWCOL($3)
	GBTEST(g41next)
	ROTL($8)
	ADDM(Z29, K5, (BX))

g41next:
	LEAQ (R14)(R8*4), R14
	ADDQ $4, R12

g11tile:
	CMPQ R12, na+96(FP)
	JGE  g1bnext
	ZERO18
	TILESTART
	TESTQ CX, CX
	JZ    g11tail

g11loop:
	STEP11
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ CX
	JNZ  g11loop

g11tail:
	KORTESTW K2, K2
	JZ       g11sum
	KMOVW    K2, K1
	STEP11

g11sum:
	TREE16
	GWPTR
	GWCOL($0)
	GBTEST(g11next)
	ROTL($8)
	ADD1(X29, (BX))

g11next:
	ADDQ R8, R14
	INCQ R12
	JMP  g11tile

g1bnext:
	ADDQ R9, R15
	INCQ R13
	JMP  g1btile

gdone:
	VZEROUPPER
	RET
