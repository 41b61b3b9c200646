//go:build !purego

#include "textflag.h"
#include "asm_amd64.h"
#include "vecmath_avx512_amd64.h"
#include "transpose_avx512_amd64.h"

// The AVX-512 mixture kernels: blocks of 16 rows, one row per ZMM lane
// (mixture_amd64.go says how they are chosen, mixture.go states the
// contract). MXCSR has FTZ and DAZ set inside, as in the AVX2 kernels
// (mixture_amd64.go says why), and is restored on return.
//
// Constants are the first lane of the ·vm* tables of vecmath_amd64.s and
// of the ·mix* tables of mixture_amd64.s, broadcast where used.
//
// The exponentials are EXPZ/EXPB below rather than EXP_AVX512 of
// vecmath_avx512_amd64.h: a mixture takes 2k + k·d of them per row, and
// the degree-5 polynomial and the one clamp (their arguments are ≤ 87)
// make the seed's k = 5, d = 1 head about 8% faster; the error bounds of
// the contract have room for 2.19 ULP. The logarithm (one per row) is
// LOG_AVX512.

// EXPZ(x, t, p): x = e^x lane-wise, with the constants resident in Z22–Z31
// (see LOADEXP). The reduction and the degree-5 polynomial are those of
// EXPR in mixture_amd64.s (n = round(x·log2e) by the 1.5·2²³ shift,
// r = x − n·ln2 in two parts), so wherever e^x is a normal float32 the
// result is the same, within 2.19 ULP of e^x (TestMixtureExpAVX512Sweep
// measures this macro over every argument, under the caller's MXCSR);
// VSCALEFPS then applies 2ⁿ with one rounding, so results below 2⁻¹²⁶ are
// subnormals rounded once under IEEE arithmetic and +0 under the kernels'
// FTZ, and x < −103.97 gives +0 (x is clamped to ≥ −104 first; NaN stays
// NaN, being the second source of VMAXPS). For x ≤ 88.7.
// 8 FMA + VSCALEFPS + 2 other ops, and 2 register moves.
#define EXPZ(x, t, p) \
	VMAXPS       x, Z31, x; \
	VMOVAPS      Z30, t;    \
	VFMADD231PS  Z29, x, t; \
	VSUBPS       Z30, t, t; \
	VFNMADD231PS Z28, t, x; \
	VFNMADD231PS Z27, t, x; \
	VMOVAPS      Z26, p;    \
	VFMADD213PS  Z25, x, p; \
	VFMADD213PS  Z24, x, p; \
	VFMADD213PS  Z23, x, p; \
	VFMADD213PS  Z22, x, p; \
	VFMADD213PS  Z22, x, p; \
	VSCALEFPS    t, p, x

// EXPB(x, t, p) is EXPZ with its constants as broadcast memory operands
// (only the clamp −104 in a register, Z31, for VMAXPS to pass NaN), for
// code that needs the registers. Same operations, same results as EXPZ.
#define EXPB(x0, t0, p0) \
	VMAXPS           x0, Z31, x0; \
	VBROADCASTSS     ·vmExpShift(SB), t0; \
	VFMADD231PS.BCST ·vmLog2e(SB), x0, t0; \
	VSUBPS.BCST      ·vmExpShift(SB), t0, t0; \
	VFNMADD231PS.BCST ·vmLn2Hi(SB), t0, x0; \
	VFNMADD231PS.BCST ·vmLn2Lo(SB), t0, x0; \
	VBROADCASTSS     ·mixExpC5(SB), p0; \
	VFMADD213PS.BCST ·mixExpC4(SB), x0, p0; \
	VFMADD213PS.BCST ·mixExpC3(SB), x0, p0; \
	VFMADD213PS.BCST ·mixExpC2(SB), x0, p0; \
	VFMADD213PS.BCST ·vmOne(SB), x0, p0; \
	VFMADD213PS.BCST ·vmOne(SB), x0, p0; \
	VSCALEFPS        t0, p0, x0

// EXPZ5 is EXPZ on five vectors (a, b, c, d, e, each with its own t and
// p), their operations interleaved a step at a time: the same operations
// in the same order for each, so the same bits, with the five dependency
// chains side by side instead of one after the other.
#define EXPZ5(a, at, ap, b, bt, bp, c, ct, cp, d, dt, dp, e, et, ep) \
	VMAXPS a, Z31, a; VMAXPS b, Z31, b; VMAXPS c, Z31, c; VMAXPS d, Z31, d; VMAXPS e, Z31, e; \
	VMOVAPS Z30, at; VMOVAPS Z30, bt; VMOVAPS Z30, ct; VMOVAPS Z30, dt; VMOVAPS Z30, et; \
	VFMADD231PS Z29, a, at; VFMADD231PS Z29, b, bt; VFMADD231PS Z29, c, ct; VFMADD231PS Z29, d, dt; VFMADD231PS Z29, e, et; \
	VSUBPS Z30, at, at; VSUBPS Z30, bt, bt; VSUBPS Z30, ct, ct; VSUBPS Z30, dt, dt; VSUBPS Z30, et, et; \
	VFNMADD231PS Z28, at, a; VFNMADD231PS Z28, bt, b; VFNMADD231PS Z28, ct, c; VFNMADD231PS Z28, dt, d; VFNMADD231PS Z28, et, e; \
	VFNMADD231PS Z27, at, a; VFNMADD231PS Z27, bt, b; VFNMADD231PS Z27, ct, c; VFNMADD231PS Z27, dt, d; VFNMADD231PS Z27, et, e; \
	VMOVAPS Z26, ap; VMOVAPS Z26, bp; VMOVAPS Z26, cp; VMOVAPS Z26, dp; VMOVAPS Z26, ep; \
	VFMADD213PS Z25, a, ap; VFMADD213PS Z25, b, bp; VFMADD213PS Z25, c, cp; VFMADD213PS Z25, d, dp; VFMADD213PS Z25, e, ep; \
	VFMADD213PS Z24, a, ap; VFMADD213PS Z24, b, bp; VFMADD213PS Z24, c, cp; VFMADD213PS Z24, d, dp; VFMADD213PS Z24, e, ep; \
	VFMADD213PS Z23, a, ap; VFMADD213PS Z23, b, bp; VFMADD213PS Z23, c, cp; VFMADD213PS Z23, d, dp; VFMADD213PS Z23, e, ep; \
	VFMADD213PS Z22, a, ap; VFMADD213PS Z22, b, bp; VFMADD213PS Z22, c, cp; VFMADD213PS Z22, d, dp; VFMADD213PS Z22, e, ep; \
	VFMADD213PS Z22, a, ap; VFMADD213PS Z22, b, bp; VFMADD213PS Z22, c, cp; VFMADD213PS Z22, d, dp; VFMADD213PS Z22, e, ep; \
	VSCALEFPS at, ap, a; VSCALEFPS bt, bp, b; VSCALEFPS ct, cp, c; VSCALEFPS dt, dp, d; VSCALEFPS et, ep, e

// LOADEXP loads the constants of EXPZ.
#define LOADEXP \
	VBROADCASTSS ·vmExpLo(SB), Z31;    \
	VBROADCASTSS ·vmExpShift(SB), Z30; \
	VBROADCASTSS ·vmLog2e(SB), Z29;    \
	VBROADCASTSS ·vmLn2Hi(SB), Z28;    \
	VBROADCASTSS ·vmLn2Lo(SB), Z27;    \
	VBROADCASTSS ·mixExpC5(SB), Z26;    \
	VBROADCASTSS ·mixExpC4(SB), Z25;    \
	VBROADCASTSS ·mixExpC3(SB), Z24;    \
	VBROADCASTSS ·mixExpC2(SB), Z23;    \
	VBROADCASTSS ·vmOne(SB), Z22

// ROWS_IN(base, tab, t, m) loads the 16 columns at base (masked by m)
// of the 16 rows whose byte offsets from base are the int64s at tab into
// Z0…Z15 (masked-off columns zero); t is clobbered.
#define ROW_IN(base, tab, t, m, r, z) \
	MOVQ      (8*r)(tab), t; \
	VMOVUPS.Z (base)(t*1), m, z

#define ROWS_IN(base, tab, t, m) \
	ROW_IN(base, tab, t, m, 0, Z0);   \
	ROW_IN(base, tab, t, m, 1, Z1);   \
	ROW_IN(base, tab, t, m, 2, Z2);   \
	ROW_IN(base, tab, t, m, 3, Z3);   \
	ROW_IN(base, tab, t, m, 4, Z4);   \
	ROW_IN(base, tab, t, m, 5, Z5);   \
	ROW_IN(base, tab, t, m, 6, Z6);   \
	ROW_IN(base, tab, t, m, 7, Z7);   \
	ROW_IN(base, tab, t, m, 8, Z8);   \
	ROW_IN(base, tab, t, m, 9, Z9);   \
	ROW_IN(base, tab, t, m, 10, Z10); \
	ROW_IN(base, tab, t, m, 11, Z11); \
	ROW_IN(base, tab, t, m, 12, Z12); \
	ROW_IN(base, tab, t, m, 13, Z13); \
	ROW_IN(base, tab, t, m, 14, Z14); \
	ROW_IN(base, tab, t, m, 15, Z15)

// ROWS_OUT(base, tab, t, m) is the inverse: Z0…Z15 to the 16 rows,
// masked by m.
#define ROW_OUT(base, tab, t, m, r, z) \
	MOVQ    (8*r)(tab), t; \
	VMOVUPS z, m, (base)(t*1)

#define ROWS_OUT(base, tab, t, m) \
	ROW_OUT(base, tab, t, m, 0, Z0);   \
	ROW_OUT(base, tab, t, m, 1, Z1);   \
	ROW_OUT(base, tab, t, m, 2, Z2);   \
	ROW_OUT(base, tab, t, m, 3, Z3);   \
	ROW_OUT(base, tab, t, m, 4, Z4);   \
	ROW_OUT(base, tab, t, m, 5, Z5);   \
	ROW_OUT(base, tab, t, m, 6, Z6);   \
	ROW_OUT(base, tab, t, m, 7, Z7);   \
	ROW_OUT(base, tab, t, m, 8, Z8);   \
	ROW_OUT(base, tab, t, m, 9, Z9);   \
	ROW_OUT(base, tab, t, m, 10, Z10); \
	ROW_OUT(base, tab, t, m, 11, Z11); \
	ROW_OUT(base, tab, t, m, 12, Z12); \
	ROW_OUT(base, tab, t, m, 13, Z13); \
	ROW_OUT(base, tab, t, m, 14, Z14); \
	ROW_OUT(base, tab, t, m, 15, Z15)

// COLS_STORE(p) stores Z0…Z15 as 16 consecutive vectors at p; COLS_LOAD(p)
// loads them.
#define COLS_STORE(p) \
	VMOVAPS Z0, (p);      \
	VMOVAPS Z1, 64(p);    \
	VMOVAPS Z2, 128(p);   \
	VMOVAPS Z3, 192(p);   \
	VMOVAPS Z4, 256(p);   \
	VMOVAPS Z5, 320(p);   \
	VMOVAPS Z6, 384(p);   \
	VMOVAPS Z7, 448(p);   \
	VMOVAPS Z8, 512(p);   \
	VMOVAPS Z9, 576(p);   \
	VMOVAPS Z10, 640(p);  \
	VMOVAPS Z11, 704(p);  \
	VMOVAPS Z12, 768(p);  \
	VMOVAPS Z13, 832(p);  \
	VMOVAPS Z14, 896(p);  \
	VMOVAPS Z15, 960(p)

#define COLS_LOAD(p) \
	VMOVAPS (p), Z0;      \
	VMOVAPS 64(p), Z1;    \
	VMOVAPS 128(p), Z2;   \
	VMOVAPS 192(p), Z3;   \
	VMOVAPS 256(p), Z4;   \
	VMOVAPS 320(p), Z5;   \
	VMOVAPS 384(p), Z6;   \
	VMOVAPS 448(p), Z7;   \
	VMOVAPS 512(p), Z8;   \
	VMOVAPS 576(p), Z9;   \
	VMOVAPS 640(p), Z10;  \
	VMOVAPS 704(p), Z11;  \
	VMOVAPS 768(p), Z12;  \
	VMOVAPS 832(p), Z13;  \
	VMOVAPS 896(p), Z14;  \
	VMOVAPS 960(p), Z15

// CHUNKMASK(n, dst): dst = the column mask of the last 16-column chunk of
// n columns: (1 << (n mod 16)) − 1, or 0xffff when 16 divides n. Clobbers
// AX, CX, DX.
#define CHUNKMASK(n, dst) \
	MOVQ    n, CX;       \
	ANDQ    $15, CX;     \
	MOVL    $1, AX;      \
	SHLL    CX, AX;      \
	DECL    AX;          \
	MOVL    $0xffff, DX; \
	TESTQ   CX, CX;      \
	CMOVLEQ DX, AX;      \
	MOVQ    AX, dst

// Scratch (see mixture512ScratchLen): byte offsets from R12. Shared:
#define S_TH 0       // 16 × int64: r·w·4, the offsets of a block's head rows
#define S_TY 128     // 16 × int64: r·d·4, the offsets of its y rows
#define S_TTH 256    // 16 × int64: S_TH for the last block, rows ≥ m as row m−1
#define S_TTY 384    // 16 × int64: the same for S_TY
#define S_W4 512     // int64: w·4, the head row stride in bytes
#define S_D4 520     // int64: d·4
#define S_KD 528     // int64: 64·k·d, from a μ column to its logσ column
#define S_HNCH 536   // int64: ⌈w/16⌉ head chunks
#define S_HMASK 544  // int64: column mask of the last head chunk
#define S_YNCH 552   // int64: ⌈d/16⌉ y chunks
#define S_YMASK 560  // int64: column mask of the last y chunk
#define S_BSIZE 568  // int64: bytes per block area
#define S_GEND 576   // int64: end of the group's last block area
#define S_SMALL 584  // int64: 1 if |scale| ≤ 1
#define S_POFF 592   // int64: offset of p in a block area
#define S_EOFF 600   // int64: offset of lp, then e
#define S_COFF 608   // int64: offset of the head columns
#define S_DC 616     // float32: d·½log2π
#define S_MXCSR 620  // uint32: the caller's MXCSR, restored on return
#define S_MXFTZ 624  // uint32: the MXCSR used inside, with FTZ and DAZ set
#define S_AREA (4*const_mixture512SharedLen) // the block areas (64-byte aligned), S_BSIZE bytes each:
#define A_SL 0       //   Σ_c p_c
#define A_MM 64      //   max_c lp_c
#define A_GS 128     //   Σ_c e_c, then −scale/Σe
#define A_PS 192     //   scale/Σp
#define A_LMAX 256   //   max_c logit_c
#define A_HEAD 320   //   int64: address of the block's first head row
#define A_DHEAD 328  //   int64: the same in dhead
#define A_YP 336     //   int64: the same in y
#define A_TABH 344   //   int64: address of the row offset table (S_TH or S_TTH)
#define A_TABY 352   //   int64: S_TY or S_TTY
#define A_NLL 360    //   int64: address of the block's first nll
#define A_RMASK 368  //   int64: mask of the block's rows (0xffff but in the last block)
#define A_Y 384      //   y columns: 1 vector for d = 1, else 16 per chunk
// then at S_POFF k vectors p_c = e^(logit_c − max); at S_EOFF k vectors
// lp_c (without −d·½log2π), then e_c = e^(lp_c − max lp); at S_COFF the
// head columns, 16 per chunk: logits (k), μ (k·d, component-major), logσ
// (k·d). Stage 2 writes z over μ and σ⁻¹ over logσ; the gradient stage
// writes the gradient columns over all three.

// func mixtureAVX512(nll, dhead, head, y []float32, k, d int, scale float32, scratch *float32, group int)
// Requires: AVX512F, AVX512DQ
//
// Blocks of 16 rows, one row per lane, up to group blocks through each
// stage together (so that their dependency chains overlap):
//  1. per block: its row offset tables (the last block, of m < 16 rows,
//     repeats row m−1 in lanes m…15, so every load and store stays within
//     the slices and the repeated lanes store the same values again), the
//     y and head columns (16×16 transposes of rows loaded with a column
//     mask), max logit;
//  2. per block and component: p = e^(logit − max) and Σp; per dimension
//     σ⁻¹ = e^−max(logσ, −87), z = (y − μ)·σ⁻¹ within ±2⁶⁰ (y − μ is
//     formed exactly; where it overflows, z is taken as ((½y − ½μ)·σ⁻¹)·2),
//     lp = logit − max − Σ(logσ + ½z²), within ±MaxFloat32 after each
//     dimension, max lp;
//  3. per block: e_c = e^(lp_c − max lp) and Σe;
//  4. per block: nll = d·½log2π − (max lp + log(Σe/Σp)) within
//     ±MaxFloat32 (masked store), −scale/Σe, scale/Σp;
//  5. if len(dhead) > 0: per block the gradient columns over the head
//     columns, with P = scale·π = p·scale/Σp, −G = −scale·γ = e·(−scale/Σe):
//     dlogit = P − G, dμ = (−G·z)·σ⁻¹, dlogσ = (−G·z)·z − (−G); for
//     |scale| > 1 the products are clamped to ±MaxFloat32 as they go;
//     then per block the columns back to the dhead rows (transposes,
//     masked stores).
//
// Registers:
//	BX  first row of the group    R12 scratch      R8 block area
//	AX, CX, DX, SI, DI, R9, R10, R11, R13, R14: rows, columns, tables
//	stages 2–4: Z22–Z31 the EXPZ constants, Z21 −87, Z20 2⁶⁰, Z19 −2⁶⁰,
//	Z18 −MaxFloat32, Z17 ½, Z16 sign bit; Z15 y_j, Z14 max logit,
//	Z13 max lp, Z12 a sum, Z11 MaxFloat32 (stage 2); Z0–Z10 work
//	stage 5: Z13 −scale/Σe, Z12 scale/Σp, Z14 MaxFloat32, Z15 −MaxFloat32
//	transposes: Z0–Z31; K1 the chunk's column mask, K2 the block's row mask
TEXT ·mixtureAVX512(SB), NOSPLIT, $0-136
	MOVQ     scratch+120(FP), R12
	FTZ_ON(S_MXCSR(R12), S_MXFTZ(R12))
	MOVQ k+96(FP), R9
	MOVQ d+104(FP), R10

	MOVQ  R9, AX
	IMULQ R10, AX
	MOVQ  AX, CX
	SHLQ  $6, CX
	MOVQ  CX, S_KD(R12)
	LEAQ  (R9)(AX*2), R11 // w = k + 2kd
	LEAQ  15(R11), AX
	SHRQ  $4, AX
	MOVQ  AX, S_HNCH(R12)
	CHUNKMASK(R11, S_HMASK(R12))
	LEAQ  15(R10), AX
	SHRQ  $4, AX
	MOVQ  AX, S_YNCH(R12)
	CHUNKMASK(R10, S_YMASK(R12))
	SHLQ  $2, R11
	MOVQ  R11, S_W4(R12)
	MOVQ  R10, AX
	SHLQ  $2, AX
	MOVQ  AX, S_D4(R12)

	XORQ CX, CX
	XORQ DX, DX
	XORQ SI, SI

tables:
	MOVQ DX, S_TH(R12)(CX*8)
	MOVQ SI, S_TY(R12)(CX*8)
	ADDQ R11, DX
	ADDQ AX, SI
	INCQ CX
	CMPQ CX, $16
	JLT  tables

	// The area layout: y (1 vector for d = 1, else 16 per chunk), p, lp/e,
	// the head columns.
	MOVQ $1, AX
	CMPQ R10, $1
	JEQ  yone
	MOVQ S_YNCH(R12), AX
	SHLQ $4, AX

yone:
	SHLQ $6, AX
	ADDQ $A_Y, AX
	MOVQ AX, S_POFF(R12)
	MOVQ R9, CX
	SHLQ $6, CX
	ADDQ CX, AX
	MOVQ AX, S_EOFF(R12)
	ADDQ CX, AX
	MOVQ AX, S_COFF(R12)
	MOVQ S_HNCH(R12), CX
	SHLQ $10, CX
	ADDQ CX, AX
	MOVQ AX, S_BSIZE(R12)

	VCVTSI2SSQ R10, X0, X0
	VMULSS     ·mixHalfLog2Pi(SB), X0, X0
	VMOVSS     X0, S_DC(R12)
	MOVL       scale+112(FP), AX
	ANDL       $0x7fffffff, AX
	XORQ       CX, CX
	CMPL       AX, $0x3f800000
	SETLS      CX
	MOVQ       CX, S_SMALL(R12)
	XORQ       BX, BX

group:
	// Blocks in this group: min(group, ⌈(n − BX)/16⌉).
	MOVQ    nll_len+8(FP), AX
	SUBQ    BX, AX
	ADDQ    $15, AX
	SHRQ    $4, AX
	MOVQ    group+128(FP), CX
	CMPQ    AX, CX
	CMOVQGT CX, AX
	IMULQ   S_BSIZE(R12), AX
	LEAQ    S_AREA(R12)(AX*1), AX
	MOVQ    AX, S_GEND(R12)

	// When the head is mixPrefetchBytes or more, the next group's head
	// rows (rows BX + 16·group up to n) are prefetched a line at a time
	// while this group runs: from that row's first byte, in steps of 64,
	// while below row min(BX + 32·group, n)'s, inside head.
	MOVQ    nll_len+8(FP), AX
	IMULQ   S_W4(R12), AX
	CMPQ    AX, $const_mixPrefetchBytes
	JLT     nopf
	MOVQ    group+128(FP), DX
	SHLQ    $4, DX
	LEAQ    (BX)(DX*1), AX
	MOVQ    nll_len+8(FP), CX
	CMPQ    AX, CX
	JGE     nopf
	ADDQ    AX, DX
	CMPQ    DX, CX
	CMOVQGT CX, DX
	IMULQ   S_W4(R12), AX
	IMULQ   S_W4(R12), DX
	MOVQ    head_base+48(FP), CX
	ADDQ    CX, AX
	ADDQ    CX, DX

pf:
	PREFETCHT0 (AX)
	ADDQ       $64, AX
	CMPQ       AX, DX
	JLT        pf

nopf:
	// Stage 1, per block (first row DX).
	LEAQ S_AREA(R12), R8
	MOVQ BX, DX

in:
	MOVQ  DX, AX
	IMULQ S_W4(R12), AX
	MOVQ  head_base+48(FP), SI
	ADDQ  AX, SI
	MOVQ  SI, A_HEAD(R8)
	ADDQ  dhead_base+24(FP), AX
	MOVQ  AX, A_DHEAD(R8)
	MOVQ  DX, AX
	IMULQ S_D4(R12), AX
	ADDQ  y_base+72(FP), AX
	MOVQ  AX, A_YP(R8)
	MOVQ  nll_base+0(FP), AX
	LEAQ  (AX)(DX*4), AX
	MOVQ  AX, A_NLL(R8)
	LEAQ  S_TH(R12), R9
	LEAQ  S_TY(R12), R10
	MOVL  $0xffff, R13
	MOVQ  nll_len+8(FP), CX
	SUBQ  DX, CX
	CMPQ  CX, $16
	JGE   inrows

	// The last block has m = CX < 16 rows: its tables map lane r to row
	// min(r, m−1).
	TAIL_K(CX, R13, K2)
	LEAQ -1(CX), R14
	XORQ AX, AX

tail:
	MOVQ    AX, SI
	CMPQ    SI, R14
	CMOVQGT R14, SI
	MOVQ    SI, DI
	IMULQ   S_W4(R12), SI
	MOVQ    SI, S_TTH(R12)(AX*8)
	IMULQ   S_D4(R12), DI
	MOVQ    DI, S_TTY(R12)(AX*8)
	INCQ    AX
	CMPQ    AX, $16
	JLT     tail
	LEAQ    S_TTH(R12), R9
	LEAQ    S_TTY(R12), R10

inrows:
	MOVQ    R9, A_TABH(R8)
	MOVQ    R10, A_TABY(R8)
	MOVQ    R13, A_RMASK(R8)
	KMOVW   R13, K2
	MOVQ    $16, AX
	CMPQ    CX, AX
	CMOVQGT AX, CX
	MOVQ    A_YP(R8), SI
	CMPQ    d+104(FP), $1
	JNE     ychunks

	// d = 1: y is one vector (lanes ≥ m repeat y[m−1]).
	VBROADCASTSS -4(SI)(CX*4), Z0
	VMOVUPS      (SI), K2, Z0
	VMOVAPS      Z0, A_Y(R8)
	JMP          hchunks

ychunks:
	LEAQ A_Y(R8), R14
	MOVQ S_YNCH(R12), CX
	MOVQ S_YMASK(R12), R13

ych:
	MOVL    $0xffff, AX
	CMPQ    CX, $1
	CMOVQEQ R13, AX
	KMOVW   AX, K1
	ROWS_IN(SI, R10, DI, K1)
	TRANSPOSE16
	COLS_STORE(R14)
	ADDQ    $64, SI
	ADDQ    $1024, R14
	DECQ    CX
	JNZ     ych

hchunks:
	MOVQ A_HEAD(R8), SI
	MOVQ S_COFF(R12), R14
	ADDQ R8, R14
	MOVQ S_HNCH(R12), CX
	MOVQ S_HMASK(R12), R13

hch:
	MOVL    $0xffff, AX
	CMPQ    CX, $1
	CMOVQEQ R13, AX
	KMOVW   AX, K1
	ROWS_IN(SI, R9, DI, K1)
	TRANSPOSE16
	COLS_STORE(R14)
	ADDQ    $64, SI
	ADDQ    $1024, R14
	DECQ    CX
	JNZ     hch

	// max logit
	MOVQ    S_COFF(R12), AX
	ADDQ    R8, AX
	VMOVAPS (AX), Z0
	MOVQ    k+96(FP), CX
	DECQ    CX
	JZ      lmaxdone

lmax:
	ADDQ   $64, AX
	VMAXPS (AX), Z0, Z0
	DECQ   CX
	JNZ    lmax

lmaxdone:
	VMOVAPS Z0, A_LMAX(R8)
	ADDQ    $16, DX
	ADDQ    S_BSIZE(R12), R8
	CMPQ    R8, S_GEND(R12)
	JLT     in

	// Stage 2, per block: p, σ⁻¹, z, lp. SI walks the logit columns, DI
	// p, R13 lp, AX the μ columns (z), the logσ column (σ⁻¹) R10 bytes
	// further; R11 the y columns.
	LOADEXP
	VBROADCASTSS ·mixLogSigmaMin(SB), Z21
	VBROADCASTSS ·mixZMax(SB), Z20
	VBROADCASTSS ·mixNegZMax(SB), Z19
	VBROADCASTSS ·mixNegMax(SB), Z18
	VBROADCASTSS ·mixMax(SB), Z11
	VBROADCASTSS ·vmHalf(SB), Z17
	VBROADCASTSS ·vmSignMask(SB), Z16
	MOVQ         S_KD(R12), R10
	LEAQ         S_AREA(R12), R8

comps:
	VMOVAPS A_LMAX(R8), Z14
	VXORPS  Z12, Z12, Z12
	VMOVAPS Z18, Z13
	MOVQ    S_COFF(R12), SI
	ADDQ    R8, SI
	MOVQ    S_POFF(R12), DI
	ADDQ    R8, DI
	MOVQ    S_EOFF(R12), R13
	ADDQ    R8, R13
	MOVQ    k+96(FP), CX
	MOVQ    CX, AX
	SHLQ    $6, AX
	ADDQ    SI, AX

comp:
	VMOVAPS (SI), Z0
	VSUBPS  Z14, Z0, Z0 // logit − max
	VMOVAPS Z0, Z1
	EXPZ(Z1, Z2, Z3)
	VMOVAPS Z1, (DI)
	VADDPS  Z1, Z12, Z12
	MOVQ    d+104(FP), R9
	LEAQ    A_Y(R8), R11

dim:
	VMOVAPS      (AX)(R10*1), Z4 // logσ
	VMAXPS       Z4, Z21, Z5
	VXORPS       Z16, Z5, Z5
	EXPZ(Z5, Z6, Z7)             // σ⁻¹
	VMOVAPS      (R11), Z15
	VSUBPS       (AX), Z15, Z6   // y − μ
	VFPCLASSPSZ  $0x18, Z6, K3
	KORTESTW     K3, K3
	JNZ          zbig
	VMULPS       Z5, Z6, Z6      // z

zclamp:
	VMINPS       Z6, Z20, Z6
	VMAXPS       Z6, Z19, Z6
	VMOVAPS      Z6, (AX)
	VMOVAPS      Z5, (AX)(R10*1)
	VSUBPS       Z4, Z0, Z0
	VMULPS       Z17, Z6, Z7
	VFNMADD231PS Z7, Z6, Z0      // − ½z·z
	VMINPS       Z0, Z11, Z0     // within ±MaxFloat32 (−Σlogσ can
	VMAXPS       Z0, Z18, Z0     // exceed it for d > 1)
	ADDQ         $64, AX
	ADDQ         $64, R11
	DECQ         R9
	JNZ          dim

	VMOVAPS Z0, (R13)
	VMAXPS  Z0, Z13, Z13
	ADDQ    $64, SI
	ADDQ    $64, DI
	ADDQ    $64, R13
	DECQ    CX
	JNZ     comp

	VMOVAPS Z12, A_SL(R8)
	VMOVAPS Z13, A_MM(R8)
	ADDQ    S_BSIZE(R12), R8
	CMPQ    R8, S_GEND(R12)
	JLT     comps
	JMP     lses

zbig:
	// y − μ overflowed in the lanes of K3 (|y|, |μ| ≥ 2¹²⁶, so halving
	// them is exact): z = ((½y − ½μ)·σ⁻¹)·2 there.
	VMULPS       Z5, Z6, Z6
	VMULPS       Z17, Z15, Z8
	VFNMADD231PS (AX), Z17, Z8
	VMULPS       Z5, Z8, Z8
	VADDPS       Z8, Z8, K3, Z6
	JMP          zclamp

lses:
	// Stage 3, per block: e_c = e^(lp_c − max lp), Σe.
	LEAQ S_AREA(R12), R8

lse1:
	VMOVAPS A_MM(R8), Z13
	VXORPS  Z12, Z12, Z12
	MOVQ    S_EOFF(R12), SI
	ADDQ    R8, SI
	MOVQ    k+96(FP), CX

lse:
	VMOVAPS (SI), Z0
	VSUBPS  Z13, Z0, Z0
	EXPZ(Z0, Z1, Z2)
	VMOVAPS Z0, (SI)
	VADDPS  Z0, Z12, Z12
	ADDQ    $64, SI
	DECQ    CX
	JNZ     lse

	VMOVAPS Z12, A_GS(R8)
	ADDQ    S_BSIZE(R12), R8
	CMPQ    R8, S_GEND(R12)
	JLT     lse1

	// Stage 4, per block: nll, −scale/Σe, scale/Σp.
	LEAQ         S_AREA(R12), R8
	VBROADCASTSS S_DC(R12), Z11
	VBROADCASTSS scale+112(FP), Z10
	VBROADCASTSS ·mixMax(SB), Z9

nlls:
	VMOVAPS A_GS(R8), Z0
	VDIVPS  A_SL(R8), Z0, Z1
	LOG_AVX512(Z1, Z2, Z3, Z4, K4)
	VADDPS  A_MM(R8), Z1, Z1
	VSUBPS  Z1, Z11, Z1
	VMINPS  Z1, Z9, Z1
	VMAXPS  Z1, Z18, Z1
	MOVQ    A_RMASK(R8), AX
	KMOVW   AX, K2
	MOVQ    A_NLL(R8), AX
	VMOVUPS Z1, K2, (AX)
	VDIVPS  Z0, Z10, Z2
	VXORPS  Z16, Z2, Z2
	VMOVAPS Z2, A_GS(R8)
	VDIVPS  A_SL(R8), Z10, Z3
	VMOVAPS Z3, A_PS(R8)
	ADDQ    S_BSIZE(R12), R8
	CMPQ    R8, S_GEND(R12)
	JLT     nlls

	MOVQ  dhead_len+32(FP), AX
	TESTQ AX, AX
	JZ    next

	// Stage 5: the gradient columns, per block. SI walks the logit
	// columns, DI p, R13 e, AX the μ (z) columns, the logσ (σ⁻¹) column R10
	// bytes further.
	LEAQ         S_AREA(R12), R8
	VBROADCASTSS ·mixMax(SB), Z14
	VBROADCASTSS ·mixNegMax(SB), Z15

grads:
	VMOVAPS A_GS(R8), Z13
	VMOVAPS A_PS(R8), Z12
	MOVQ    S_COFF(R12), SI
	ADDQ    R8, SI
	MOVQ    S_POFF(R12), DI
	ADDQ    R8, DI
	MOVQ    S_EOFF(R12), R13
	ADDQ    R8, R13
	MOVQ    k+96(FP), CX
	MOVQ    CX, AX
	SHLQ    $6, AX
	ADDQ    SI, AX
	CMPQ    S_SMALL(R12), $0
	JEQ     gbig

gcomp:
	VMULPS  (R13), Z13, Z0 // −G
	VMULPS  (DI), Z12, Z1  // P
	VADDPS  Z0, Z1, Z1
	VMOVAPS Z1, (SI)
	MOVQ    d+104(FP), R9

gdim:
	// |scale| ≤ 1: |G| ≤ 1, |z| ≤ 2⁶⁰, so only the factor σ⁻¹ can overflow.
	VMOVAPS     (AX), Z2
	VMULPS      Z2, Z0, Z3 // −G·z
	VMULPS      (AX)(R10*1), Z3, Z4
	VMINPS      Z4, Z14, Z4
	VMAXPS      Z4, Z15, Z4
	VMOVAPS     Z4, (AX)
	VFMSUB213PS Z0, Z2, Z3 // (−G·z)·z − (−G)
	VMOVAPS     Z3, (AX)(R10*1)
	ADDQ        $64, AX
	DECQ        R9
	JNZ         gdim

	ADDQ $64, SI
	ADDQ $64, DI
	ADDQ $64, R13
	DECQ CX
	JNZ  gcomp
	JMP  gnext

gbig:
	VMULPS  (R13), Z13, Z0
	VMULPS  (DI), Z12, Z1
	VADDPS  Z0, Z1, Z1
	VMOVAPS Z1, (SI)
	MOVQ    d+104(FP), R9

gbdim:
	VMOVAPS     (AX), Z2
	VMULPS      Z2, Z0, Z3
	VMINPS      Z3, Z14, Z3
	VMAXPS      Z3, Z15, Z3
	VMULPS      (AX)(R10*1), Z3, Z4
	VMINPS      Z4, Z14, Z4
	VMAXPS      Z4, Z15, Z4
	VMOVAPS     Z4, (AX)
	VFMSUB213PS Z0, Z2, Z3
	VMINPS      Z3, Z14, Z3
	VMAXPS      Z3, Z15, Z3
	VMOVAPS     Z3, (AX)(R10*1)
	ADDQ        $64, AX
	DECQ        R9
	JNZ         gbdim

	ADDQ $64, SI
	ADDQ $64, DI
	ADDQ $64, R13
	DECQ CX
	JNZ  gbig

gnext:
	ADDQ S_BSIZE(R12), R8
	CMPQ R8, S_GEND(R12)
	JLT  grads

	// Then the gradient columns to the dhead rows, per block.
	LEAQ S_AREA(R12), R8

outs:
	MOVQ A_DHEAD(R8), SI
	MOVQ A_TABH(R8), R9
	MOVQ S_COFF(R12), R14
	ADDQ R8, R14
	MOVQ S_HNCH(R12), CX
	MOVQ S_HMASK(R12), R13

och:
	MOVL    $0xffff, AX
	CMPQ    CX, $1
	CMOVQEQ R13, AX
	KMOVW   AX, K1
	COLS_LOAD(R14)
	TRANSPOSE16
	ROWS_OUT(SI, R9, DI, K1)
	ADDQ    $64, SI
	ADDQ    $1024, R14
	DECQ    CX
	JNZ     och

	ADDQ S_BSIZE(R12), R8
	CMPQ R8, S_GEND(R12)
	JLT  outs

next:
	MOVQ group+128(FP), AX
	SHLQ $4, AX
	ADDQ AX, BX
	CMPQ BX, nll_len+8(FP)
	JLT  group
	FTZ_OFF(S_MXCSR(R12))
	VZEROUPPER
	RET

// ---- Five components, one dimension: mixture5AVX512 ----

// Scratch of mixture5AVX512: byte offsets from R12 (64-byte aligned).
#define M5_Y 0       // y of the last block (lanes ≥ m repeat y[m−1])
#define M5_TH 64     // 16 × int64: the last block's row offsets, min(r, m−1)·60
#define M5_MXCSR 192 // uint32: the caller's MXCSR, restored on return
#define M5_MXFTZ 196 // uint32: the MXCSR used inside, with FTZ and DAZ set
#define M5_AREA (4*const_mixture5SharedLen) // the block areas, M5_BSIZE bytes each (R9):
#define M5_BSIZE (4*const_mixture5AreaLen)
#define B_P 0        //   5 vectors p_c = e^(logit_c − max)
#define B_E 320      //   5 vectors lp_c, then e_c = e^(lp_c − max lp)
#define B_Z 640      //   5 vectors z'_c = (μ_c − y)·σ⁻¹_c
#define B_INV 960    //   5 vectors σ⁻¹_c
#define B_SE 1280    //   Σe, then scale/Σe
#define B_SP 1344    //   Σp, then scale/Σp
#define B_MM 1408    //   max lp
#define B_NLL 1472   //   int64: address of the block's nll
#define B_DHEAD 1480 //   int64: address of its first dhead row
#define B_MASK 1488  //   int64: its row mask; 0xffff but for the last block

// ROWS_IN15(base, m) loads the 16 rows of 60 bytes at base (masked by m)
// into Z0…Z15; ROWS_OUT15 stores them.
#define ROWS_IN15(base, m) \
	VMOVUPS.Z (base), m, Z0;     \
	VMOVUPS.Z 60(base), m, Z1;   \
	VMOVUPS.Z 120(base), m, Z2;  \
	VMOVUPS.Z 180(base), m, Z3;  \
	VMOVUPS.Z 240(base), m, Z4;  \
	VMOVUPS.Z 300(base), m, Z5;  \
	VMOVUPS.Z 360(base), m, Z6;  \
	VMOVUPS.Z 420(base), m, Z7;  \
	VMOVUPS.Z 480(base), m, Z8;  \
	VMOVUPS.Z 540(base), m, Z9;  \
	VMOVUPS.Z 600(base), m, Z10; \
	VMOVUPS.Z 660(base), m, Z11; \
	VMOVUPS.Z 720(base), m, Z12; \
	VMOVUPS.Z 780(base), m, Z13; \
	VMOVUPS.Z 840(base), m, Z14; \
	VMOVUPS.Z 900(base), m, Z15

#define ROWS_OUT15(base, m) \
	VMOVUPS Z0, m, (base);     \
	VMOVUPS Z1, m, 60(base);   \
	VMOVUPS Z2, m, 120(base);  \
	VMOVUPS Z3, m, 180(base);  \
	VMOVUPS Z4, m, 240(base);  \
	VMOVUPS Z5, m, 300(base);  \
	VMOVUPS Z6, m, 360(base);  \
	VMOVUPS Z7, m, 420(base);  \
	VMOVUPS Z8, m, 480(base);  \
	VMOVUPS Z9, m, 540(base);  \
	VMOVUPS Z10, m, 600(base); \
	VMOVUPS Z11, m, 660(base); \
	VMOVUPS Z12, m, 720(base); \
	VMOVUPS Z13, m, 780(base); \
	VMOVUPS Z14, m, 840(base); \
	VMOVUPS Z15, m, 900(base)

// M5X(L, S, xp, xi) prepares the two exponentials of a component:
// xp = L = logit − max, xi = −max(logσ, −87).
#define M5X(L, S, xp, xi) \
	VMOVAPS     L, xp;                      \
	VMAXPS.BCST ·mixLogSigmaMin(SB), S, xi; \
	VXORPS.BCST ·vmSignMask(SB), xi, xi

// M5ZLP(L, M, S, inv, t0, t1, big, back): with inv = σ⁻¹ of the component
// (R8 points to y), M = z' = (μ − y)·σ⁻¹ within ±2⁶⁰ (z' = −z), S = σ⁻¹,
// L = lp = logit − max − logσ − ½z'² (≥ −MaxFloat32). Where μ − y
// overflows (K3), the code at big sets M = ((½μ − ½y)·σ⁻¹)·2 and jumps
// back (M5BIG). t0 and t1 are clobbered.
#define M5ZLP(L, M, S, inv, t0, t1, big, back) \
	VSUBPS       (R8), M, t0;          \
	VFPCLASSPSZ  $0x18, t0, K3;        \
	KORTESTW     K3, K3;               \
	JNZ          big;                  \
	VMULPS       inv, t0, M;           \
back:                                  \
	VMINPS       M, Z30, M;            \
	VMAXPS       M, Z29, M;            \
	VSUBPS       S, L, L;              \
	VMULPS.BCST  ·vmHalf(SB), M, t1;  \
	VFNMADD231PS t1, M, L;             \
	VMAXPS       L, Z28, L;            \
	VMOVAPS      inv, S

#define M5BIG(M, inv, t0, t1, back) \
	VMULPS           inv, t0, t0;            \
	VMOVUPS          (R8), t1;               \
	VMULPS.BCST      ·vmHalf(SB), t1, t1;   \
	VFMSUB231PS.BCST ·vmHalf(SB), M, t1;    \
	VMULPS           inv, t1, t1;            \
	VADDPS           t1, t1, K3, t0;         \
	VMOVAPS          t0, M;                  \
	JMP              back

// M5G(L, M, S, c): the gradient columns of component c over L = e,
// M = z', S = σ⁻¹, with Z21 = scale/Σe, Z19 = scale/Σp, Z16 MaxFloat32,
// Z17 −MaxFloat32, for |scale| ≤ 1 (|G| ≤ 1, so only ·σ⁻¹ can overflow):
// G = e·scale/Σe, dlogit = p·scale/Σp − G, dμ = (G·z')·σ⁻¹,
// dlogσ = G − (G·z')·z'. Z18, Z20 are clobbered.
#define M5G(L, M, S, c) \
	VMULPS       Z21, L, L;             \
	VMULPS       L, M, Z18;             \
	VMULPS       S, Z18, Z20;           \
	VMINPS       Z20, Z16, Z20;         \
	VMAXPS       Z20, Z17, Z20;         \
	VMOVAPS      L, S;                  \
	VFNMADD231PS Z18, M, S;             \
	VMOVAPS      Z20, M;                \
	VMULPS       (B_P+64*c)(R9), Z19, Z20; \
	VSUBPS       L, Z20, L

// M5GB is M5G for |scale| > 1, with G·z' and dlogσ clamped too.
#define M5GB(L, M, S, c) \
	VMULPS       Z21, L, L;             \
	VMULPS       L, M, Z18;             \
	VMINPS       Z18, Z16, Z18;         \
	VMAXPS       Z18, Z17, Z18;         \
	VMULPS       S, Z18, Z20;           \
	VMINPS       Z20, Z16, Z20;         \
	VMAXPS       Z20, Z17, Z20;         \
	VMOVAPS      L, S;                  \
	VFNMADD231PS Z18, M, S;             \
	VMINPS       S, Z16, S;             \
	VMAXPS       S, Z17, S;             \
	VMOVAPS      Z20, M;                \
	VMULPS       (B_P+64*c)(R9), Z19, Z20; \
	VSUBPS       L, Z20, L

// func mixture5AVX512(nll, dhead, head, y []float32, scale float32, scratch *float32, group, ldBytes int)
// Requires: AVX512F, AVX512DQ
//
// mixtureAVX512 for k = 5, d = 1 (w = 15), in groups of up to group blocks
// of 16 rows; each stage runs over the blocks of a group before the next
// one starts, so that the blocks' dependency chains (exponential, then
// exponential, then division and logarithm) overlap:
//  A. per block, in registers: 16 row loads with a 15-column mask and a
//     16×16 transpose give the logits, μ and logσ in Z0–Z14; per
//     component p, σ⁻¹ (M5X, EXPB), z' and lp (M5ZLP); max lp; p, lp, z',
//     σ⁻¹ and max lp to the block's area;
//  E. per block: e_c = e^(lp_c − max lp) (EXPZ5: the five side by side),
//     Σe, Σp;
//  N. per block: the NLL (masked store), scale/Σe, scale/Σp;
//  G. if len(dhead) > 0, per block: the gradient columns in Z0–Z14 (M5G),
//     a transpose and 16 row stores with the 15-column mask.
// The last block, of m < 16 rows, reads and writes its rows through a
// table of row offsets that repeats row m−1 in lanes m…15 (and y from a
// copy in the scratch), so that every access stays within the slices.
//
// With ldBytes > 0 head and dhead are 15 columns ldBytes apart
// (MixtureNLLCols): stage A loads the block's 15 columns (lanes ≥ m of the
// last block masked to 0) and stage G stores them (masked by the block's
// row mask), in place of the transposes and row accesses; the rest is the
// same code, so the same bits.
//
// Registers:
//	SI head rows   DI dhead rows   R11 y   R8 y (or its copy)   R13 nll
//	BX first row   R9 block area   R10 end of the group's areas
//	R12 scratch   DX, R14 the last block's row offset table
//	Z0–Z14 the block's columns; Z31 the clamp of EXPB
//	stage A: Z30 2⁶⁰, Z29 −2⁶⁰, Z28 −MaxFloat32, Z15–Z27 work
//	stage E: Z22–Z31 the EXPZ constants (LOADEXP), Z5–Z14 the scratch
//	of its five exponentials (EXPZ5), Z15 max lp, Z19–Z21 the sums
//	stages N and G: Z16 MaxFloat32, Z17 −MaxFloat32; G: Z21 scale/Σe,
//	Z19 scale/Σp, Z18, Z20 work
//	K1 the 15-column mask, K2 the block's row mask, K3 (M5ZLP), K4 (log)
TEXT ·mixture5AVX512(SB), NOSPLIT, $0-128
	MOVQ     scratch+104(FP), R12
	FTZ_ON(M5_MXCSR(R12), M5_MXFTZ(R12))
	MOVL  $0x7fff, AX
	KMOVW AX, K1
	MOVQ  head_base+48(FP), SI
	MOVQ  dhead_base+24(FP), DI
	MOVQ  y_base+72(FP), R11
	MOVQ  nll_base+0(FP), R13
	XORQ  BX, BX

m5group:
	// Blocks in this group: min(group, ⌈(n − BX)/16⌉).
	MOVQ    nll_len+8(FP), AX
	SUBQ    BX, AX
	ADDQ    $15, AX
	SHRQ    $4, AX
	MOVQ    group+112(FP), CX
	CMPQ    AX, CX
	CMOVQGT CX, AX
	IMULQ   $M5_BSIZE, AX
	LEAQ    M5_AREA(R12)(AX*1), R10
	LEAQ    M5_AREA(R12), R9

m5a:
	// Stage A.
	MOVQ  R13, B_NLL(R9)
	MOVQ  DI, B_DHEAD(R9)
	MOVL  $0xffff, AX
	MOVQ  AX, B_MASK(R9)
	KMOVW AX, K2
	MOVQ  nll_len+8(FP), CX
	SUBQ  BX, CX
	CMPQ  ldBytes+120(FP), $0
	JNE   m5colin
	CMPQ  CX, $16
	JLT   m5tailin
	MOVQ  R11, R8
	ROWS_IN15(SI, K1)

m5loaded:
	TRANSPOSE16

m5columns:
	VBROADCASTSS ·vmExpLo(SB), Z31
	VBROADCASTSS ·mixZMax(SB), Z30
	VBROADCASTSS ·mixNegZMax(SB), Z29
	VBROADCASTSS ·mixNegMax(SB), Z28
	VMAXPS       Z1, Z0, Z15
	VMAXPS       Z3, Z2, Z16
	VMAXPS       Z16, Z15, Z15
	VMAXPS       Z4, Z15, Z15
	VSUBPS       Z15, Z0, Z0
	VSUBPS       Z15, Z1, Z1
	VSUBPS       Z15, Z2, Z2
	VSUBPS       Z15, Z3, Z3
	VSUBPS       Z15, Z4, Z4

	// p and σ⁻¹ of components 0 and 1, z' and lp, then 2 and 3, then 4.
	M5X(Z0, Z10, Z16, Z17)
	M5X(Z1, Z11, Z18, Z19)
	EXPB(Z16, Z20, Z21)
	EXPB(Z17, Z22, Z23)
	EXPB(Z18, Z24, Z25)
	EXPB(Z19, Z26, Z27)
	VMOVAPS Z16, B_P(R9)
	VMOVAPS Z18, B_P+64(R9)
	M5ZLP(Z0, Z5, Z10, Z17, Z20, Z21, m5big0, m5back0)
	M5ZLP(Z1, Z6, Z11, Z19, Z22, Z23, m5big1, m5back1)
	M5X(Z2, Z12, Z16, Z17)
	M5X(Z3, Z13, Z18, Z19)
	EXPB(Z16, Z20, Z21)
	EXPB(Z17, Z22, Z23)
	EXPB(Z18, Z24, Z25)
	EXPB(Z19, Z26, Z27)
	VMOVAPS Z16, B_P+128(R9)
	VMOVAPS Z18, B_P+192(R9)
	M5ZLP(Z2, Z7, Z12, Z17, Z20, Z21, m5big2, m5back2)
	M5ZLP(Z3, Z8, Z13, Z19, Z22, Z23, m5big3, m5back3)
	M5X(Z4, Z14, Z16, Z17)
	EXPB(Z16, Z20, Z21)
	EXPB(Z17, Z22, Z23)
	VMOVAPS Z16, B_P+256(R9)
	M5ZLP(Z4, Z9, Z14, Z17, Z20, Z21, m5big4, m5back4)

	// max lp (as a tree, as the sums below); lp, z', σ⁻¹ to the area.
	VMAXPS  Z1, Z0, Z15
	VMAXPS  Z3, Z2, Z16
	VMAXPS  Z16, Z15, Z15
	VMAXPS  Z4, Z15, Z15
	VMOVAPS Z15, B_MM(R9)
	VMOVAPS Z0, B_E(R9)
	VMOVAPS Z1, B_E+64(R9)
	VMOVAPS Z2, B_E+128(R9)
	VMOVAPS Z3, B_E+192(R9)
	VMOVAPS Z4, B_E+256(R9)
	VMOVAPS Z5, B_Z(R9)
	VMOVAPS Z6, B_Z+64(R9)
	VMOVAPS Z7, B_Z+128(R9)
	VMOVAPS Z8, B_Z+192(R9)
	VMOVAPS Z9, B_Z+256(R9)
	VMOVAPS Z10, B_INV(R9)
	VMOVAPS Z11, B_INV+64(R9)
	VMOVAPS Z12, B_INV+128(R9)
	VMOVAPS Z13, B_INV+192(R9)
	VMOVAPS Z14, B_INV+256(R9)

	// A branch, not a CMOV: the next block's loads must not wait for
	// the load of ldBytes (a CMOV here made the row kernel 2.7% slower).
	CMPQ ldBytes+120(FP), $0
	JNE  m5acolstep
	ADDQ $960, SI
	ADDQ $960, DI

m5astepped:
	ADDQ $64, R11
	ADDQ $64, R13
	ADDQ $16, BX
	ADDQ $M5_BSIZE, R9
	CMPQ R9, R10
	JLT  m5a

	// Stage E.
	LEAQ M5_AREA(R12), R9
	LOADEXP

m5e:
	VMOVAPS B_MM(R9), Z15
	VMOVAPS B_E(R9), Z0
	VMOVAPS B_E+64(R9), Z1
	VMOVAPS B_E+128(R9), Z2
	VMOVAPS B_E+192(R9), Z3
	VMOVAPS B_E+256(R9), Z4
	VSUBPS  Z15, Z0, Z0
	VSUBPS  Z15, Z1, Z1
	VSUBPS  Z15, Z2, Z2
	VSUBPS  Z15, Z3, Z3
	VSUBPS  Z15, Z4, Z4
	EXPZ5(Z0, Z5, Z6, Z1, Z7, Z8, Z2, Z9, Z10, Z3, Z11, Z12, Z4, Z13, Z14)
	VMOVAPS Z0, B_E(R9)
	VMOVAPS Z1, B_E+64(R9)
	VMOVAPS Z2, B_E+128(R9)
	VMOVAPS Z3, B_E+192(R9)
	VMOVAPS Z4, B_E+256(R9)
	VADDPS  Z1, Z0, Z21
	VADDPS  Z3, Z2, Z19
	VADDPS  Z19, Z21, Z21
	VADDPS  Z4, Z21, Z21
	VMOVAPS Z21, B_SE(R9)
	VMOVAPS B_P(R9), Z19
	VADDPS  B_P+64(R9), Z19, Z19
	VMOVAPS B_P+128(R9), Z20
	VADDPS  B_P+192(R9), Z20, Z20
	VADDPS  Z20, Z19, Z19
	VADDPS  B_P+256(R9), Z19, Z19
	VMOVAPS Z19, B_SP(R9)
	ADDQ    $M5_BSIZE, R9
	CMPQ    R9, R10
	JLT     m5e

	// Stage N: nll = ½log2π − (max lp + log(Σe/Σp)) within ±MaxFloat32,
	// then scale/Σe over Σe and scale/Σp over Σp.
	LEAQ         M5_AREA(R12), R9
	VBROADCASTSS ·mixMax(SB), Z16
	VBROADCASTSS ·mixNegMax(SB), Z17
	VBROADCASTSS ·mixHalfLog2Pi(SB), Z18
	VBROADCASTSS scale+96(FP), Z19

m5n:
	VMOVAPS B_SE(R9), Z0
	VMOVAPS B_SP(R9), Z3
	VDIVPS  Z3, Z0, Z4
	LOG_AVX512(Z4, Z1, Z2, Z5, K4)
	VADDPS  B_MM(R9), Z4, Z4
	VSUBPS  Z4, Z18, Z4
	VMINPS  Z4, Z16, Z4
	VMAXPS  Z4, Z17, Z4
	MOVQ    B_MASK(R9), AX
	KMOVW   AX, K2
	MOVQ    B_NLL(R9), AX
	VMOVUPS Z4, K2, (AX)
	VDIVPS  Z0, Z19, Z0
	VDIVPS  Z3, Z19, Z3
	VMOVAPS Z0, B_SE(R9)
	VMOVAPS Z3, B_SP(R9)
	ADDQ    $M5_BSIZE, R9
	CMPQ    R9, R10
	JLT     m5n

	MOVQ  dhead_len+32(FP), AX
	TESTQ AX, AX
	JZ    m5gdone

	// Stage G.
	LEAQ M5_AREA(R12), R9

m5g:
	VBROADCASTSS ·mixMax(SB), Z16
	VBROADCASTSS ·mixNegMax(SB), Z17
	VMOVAPS      B_SE(R9), Z21
	VMOVAPS      B_SP(R9), Z19
	VMOVAPS      B_E(R9), Z0
	VMOVAPS      B_E+64(R9), Z1
	VMOVAPS      B_E+128(R9), Z2
	VMOVAPS      B_E+192(R9), Z3
	VMOVAPS      B_E+256(R9), Z4
	VMOVAPS      B_Z(R9), Z5
	VMOVAPS      B_Z+64(R9), Z6
	VMOVAPS      B_Z+128(R9), Z7
	VMOVAPS      B_Z+192(R9), Z8
	VMOVAPS      B_Z+256(R9), Z9
	VMOVAPS      B_INV(R9), Z10
	VMOVAPS      B_INV+64(R9), Z11
	VMOVAPS      B_INV+128(R9), Z12
	VMOVAPS      B_INV+192(R9), Z13
	VMOVAPS      B_INV+256(R9), Z14
	MOVL         scale+96(FP), AX
	ANDL         $0x7fffffff, AX
	CMPL         AX, $0x3f800000
	JHI          m5gbig
	M5G(Z0, Z5, Z10, 0)
	M5G(Z1, Z6, Z11, 1)
	M5G(Z2, Z7, Z12, 2)
	M5G(Z3, Z8, Z13, 3)
	M5G(Z4, Z9, Z14, 4)

m5out:
	CMPQ ldBytes+120(FP), $0
	JNE  m5colout
	TRANSPOSE16
	MOVQ B_DHEAD(R9), AX
	CMPQ B_MASK(R9), $0xffff
	JNE  m5tailout
	ROWS_OUT15(AX, K1)

m5outdone:
	ADDQ $M5_BSIZE, R9
	CMPQ R9, R10
	JLT  m5g

m5gdone:
	CMPQ BX, nll_len+8(FP)
	JLT  m5group
	FTZ_OFF(M5_MXCSR(R12))
	VZEROUPPER
	RET

m5tailin:
	// The last block, m = CX < 16 rows: lane r reads row min(r, m−1),
	// y from a copy with y[m−1] in lanes m…15.
	TAIL_K(CX, AX, K2)
	MOVQ         AX, B_MASK(R9)
	VBROADCASTSS -4(R11)(CX*4), Z0
	VMOVUPS      (R11), K2, Z0
	VMOVAPS      Z0, M5_Y(R12)
	LEAQ         M5_Y(R12), R8
	LEAQ         M5_TH(R12), DX
	DECQ         CX
	XORQ         AX, AX

m5tab:
	MOVQ    AX, R14
	CMPQ    R14, CX
	CMOVQGT CX, R14
	IMULQ   $60, R14
	MOVQ    R14, (DX)(AX*8)
	INCQ    AX
	CMPQ    AX, $16
	JLT     m5tab
	ROWS_IN(SI, DX, AX, K1)
	JMP     m5loaded

m5colin:
	// By columns: the block's 15 columns, lanes ≥ m = CX masked to 0 in
	// the last block (whose y lanes ≥ m repeat y[m−1], as by rows).
	MOVQ R11, R8
	CMPQ CX, $16
	JGE  m5colload
	TAIL_K(CX, AX, K2)
	MOVQ         AX, B_MASK(R9)
	VBROADCASTSS -4(R11)(CX*4), Z0
	VMOVUPS      (R11), K2, Z0
	VMOVAPS      Z0, M5_Y(R12)
	LEAQ         M5_Y(R12), R8

m5colload:
	MOVQ      ldBytes+120(FP), CX
	MOVQ      SI, AX
	VMOVUPS.Z (AX), K2, Z0
	ADDQ      CX, AX
	VMOVUPS.Z (AX), K2, Z1
	ADDQ      CX, AX
	VMOVUPS.Z (AX), K2, Z2
	ADDQ      CX, AX
	VMOVUPS.Z (AX), K2, Z3
	ADDQ      CX, AX
	VMOVUPS.Z (AX), K2, Z4
	ADDQ      CX, AX
	VMOVUPS.Z (AX), K2, Z5
	ADDQ      CX, AX
	VMOVUPS.Z (AX), K2, Z6
	ADDQ      CX, AX
	VMOVUPS.Z (AX), K2, Z7
	ADDQ      CX, AX
	VMOVUPS.Z (AX), K2, Z8
	ADDQ      CX, AX
	VMOVUPS.Z (AX), K2, Z9
	ADDQ      CX, AX
	VMOVUPS.Z (AX), K2, Z10
	ADDQ      CX, AX
	VMOVUPS.Z (AX), K2, Z11
	ADDQ      CX, AX
	VMOVUPS.Z (AX), K2, Z12
	ADDQ      CX, AX
	VMOVUPS.Z (AX), K2, Z13
	ADDQ      CX, AX
	VMOVUPS.Z (AX), K2, Z14
	JMP       m5columns

m5acolstep:
	ADDQ $64, SI
	ADDQ $64, DI
	JMP  m5astepped

m5colout:
	MOVQ    B_MASK(R9), AX
	KMOVW   AX, K2
	MOVQ    ldBytes+120(FP), CX
	MOVQ    B_DHEAD(R9), AX
	VMOVUPS Z0, K2, (AX)
	ADDQ    CX, AX
	VMOVUPS Z1, K2, (AX)
	ADDQ    CX, AX
	VMOVUPS Z2, K2, (AX)
	ADDQ    CX, AX
	VMOVUPS Z3, K2, (AX)
	ADDQ    CX, AX
	VMOVUPS Z4, K2, (AX)
	ADDQ    CX, AX
	VMOVUPS Z5, K2, (AX)
	ADDQ    CX, AX
	VMOVUPS Z6, K2, (AX)
	ADDQ    CX, AX
	VMOVUPS Z7, K2, (AX)
	ADDQ    CX, AX
	VMOVUPS Z8, K2, (AX)
	ADDQ    CX, AX
	VMOVUPS Z9, K2, (AX)
	ADDQ    CX, AX
	VMOVUPS Z10, K2, (AX)
	ADDQ    CX, AX
	VMOVUPS Z11, K2, (AX)
	ADDQ    CX, AX
	VMOVUPS Z12, K2, (AX)
	ADDQ    CX, AX
	VMOVUPS Z13, K2, (AX)
	ADDQ    CX, AX
	VMOVUPS Z14, K2, (AX)
	JMP     m5outdone

m5tailout:
	LEAQ M5_TH(R12), DX
	MOVQ AX, CX
	ROWS_OUT(CX, DX, AX, K1)
	JMP  m5outdone

m5gbig:
	M5GB(Z0, Z5, Z10, 0)
	M5GB(Z1, Z6, Z11, 1)
	M5GB(Z2, Z7, Z12, 2)
	M5GB(Z3, Z8, Z13, 3)
	M5GB(Z4, Z9, Z14, 4)
	JMP m5out

m5big0:
	M5BIG(Z5, Z17, Z20, Z21, m5back0)

m5big1:
	M5BIG(Z6, Z19, Z22, Z23, m5back1)

m5big2:
	M5BIG(Z7, Z17, Z20, Z21, m5back2)

m5big3:
	M5BIG(Z8, Z19, Z22, Z23, m5back3)

m5big4:
	M5BIG(Z9, Z17, Z20, Z21, m5back4)

// func mixExpAVX512(dst, x []float32)
// Requires: AVX512F, AVX512DQ
//
// dst[i] = EXPB(x[i]) for i < len(x) (len(dst) ≥ len(x)), 16 lanes at a
// time, the tail with a lane mask: the exponential of the kernels above,
// for the tests.
TEXT ·mixExpAVX512(SB), NOSPLIT, $0-48
	MOVQ         dst_base+0(FP), DI
	MOVQ         x_base+24(FP), SI
	MOVQ         x_len+32(FP), CX
	VBROADCASTSS ·vmExpLo(SB), Z31

mexp:
	CMPQ    CX, $16
	JLT     mexptail
	VMOVUPS (SI), Z0
	EXPB(Z0, Z1, Z2)
	VMOVUPS Z0, (DI)
	ADDQ    $64, SI
	ADDQ    $64, DI
	SUBQ    $16, CX
	JMP     mexp

mexptail:
	TESTQ     CX, CX
	JZ        mexpdone
	TAIL_K(CX, AX, K1)
	VMOVUPS.Z (SI), K1, Z0
	EXPB(Z0, Z1, Z2)
	VMOVUPS   Z0, K1, (DI)

mexpdone:
	VZEROUPPER
	RET
