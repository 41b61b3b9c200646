//go:build !purego

#include "textflag.h"
#include "asm_amd64.h"

// DZT(mz, mh, mdh, d) sets d to the vector of dz at mz, formed from dh
// (mdh) and h (mh) as dh·(1 − h²), 1 − h² one FMA (as gradBiasAVX2 forms
// it), and stores it at mz; DZN loads it. The loads and the store are
// masked by K2 (all lanes but in the last vector), and d's lanes past it
// are zero.
#define DZT(mz, mh, mdh, d) \
	VMOVUPS.Z    mh, K2, Z7;   \
	VMOVAPS      Z9, d;        \
	VFNMADD231PS Z7, Z7, d;    \
	VMULPS.Z     mdh, d, K2, d; \
	VMOVUPS      d, K2, mz

#define DZN(mz, mh, mdh, d) \
	VMOVUPS.Z mz, K2, d

// WSUM2(mp, ma, mb, d, sw): sw += d·x lane by lane, x of the first row (at
// ma) for the lanes of K5, of the second (at mb) for those of K6;
// WSUMP(mp, ma, mb, d, sw): x of the period at mp (masked by K1) handed to each lane by VPERMPS
// on its row (Z1).
#define WSUM2(mp, ma, mb, d, sw) \
	VFMADD231PS.BCST ma, d, K5, sw; \
	VFMADD231PS.BCST mb, d, K6, sw

#define WSUMP(mp, ma, mb, d, sw) \
	VMOVUPS.Z   mp, K1, Z8; \
	VPERMPS     Z8, Z1, Z8; \
	VFMADD231PS Z8, d, sw

// ONE(dz, wsum, d, sb, sw, mz, mh, mdh, mp, ma, mb) adds vector t of one
// period, d, into the bias sums sb and the weight sums sw.
#define ONE(dz, wsum, d, sb, sw, mz, mh, mdh, mp, ma, mb) \
	dz(mz, mh, mdh, d);   \
	VADDPS d, sb, sb;     \
	wsum(mp, ma, mb, d, sw)

// PERIODS(dz, wsum, l4, l1, e): vector t of the CX whole periods from AX
// (dz), SI (dh), DI (h), with x of the period at BX and of the rows of
// lanes 0 and 15 at R13, R14; four periods a step into four sets of sums,
// then one; then e.
#define PERIODS(dz, wsum, l4, l1, e) \
	CMPQ CX, $4; \
	JLT  l1;     \
l4:              \
	ONE(dz, wsum, Z0, Z10, Z14, (AX), (DI), (SI), (BX), (R13), (R14)); \
	ONE(dz, wsum, Z2, Z11, Z15, (AX)(R11*1), (DI)(R11*1), (SI)(R11*1), (BX)(R9*1), (R13)(R9*1), (R14)(R9*1)); \
	ONE(dz, wsum, Z3, Z12, Z16, (AX)(R11*2), (DI)(R11*2), (SI)(R11*2), (BX)(R9*2), (R13)(R9*2), (R14)(R9*2)); \
	ONE(dz, wsum, Z4, Z13, Z17, (AX)(R12*1), (DI)(R12*1), (SI)(R12*1), (BX)(R10*1), (R13)(R10*1), (R14)(R10*1)); \
	LEAQ (AX)(R11*4), AX; \
	LEAQ (SI)(R11*4), SI; \
	LEAQ (DI)(R11*4), DI; \
	LEAQ (BX)(R9*4), BX;  \
	LEAQ (R13)(R9*4), R13; \
	LEAQ (R14)(R9*4), R14; \
	SUBQ $4, CX; \
	CMPQ CX, $4; \
	JGE  l4;     \
	TESTQ CX, CX; \
	JZ   e;      \
l1:              \
	ONE(dz, wsum, Z0, Z10, Z14, (AX), (DI), (SI), (BX), (R13), (R14)); \
	ADDQ R11, AX; \
	ADDQ R11, SI; \
	ADDQ R11, DI; \
	ADDQ R9, BX;  \
	ADDQ R9, R13; \
	ADDQ R9, R14; \
	DECQ CX;      \
	JNZ  l1;      \
	JMP  e

// SWEEP(dz, lt, lq, l4p, l1p, l4t, l1t, lr, lw, ln): for each vector t
// of the period (lt): its rows, its sums cleared, then every whole period
// (by WSUM2 when its lanes lie in at most two rows, l4t and l1t, else by
// WSUMP from lq, l4p and l1p), then the rows left (lr, lw: by WSUMP, whose
// masked load of x reads no row past them, and masked to their values),
// the sums added up and stored (ln).
#define SWEEP(dz, lt, lq, l4p, l1p, l4t, l1t, lr, lw, ln) \
lt:                                \
	VMOVUPS (R8), Z1;              \
	VPXORD  Z10, Z10, Z10;         \
	VPXORD  Z11, Z11, Z11;         \
	VPXORD  Z12, Z12, Z12;         \
	VPXORD  Z13, Z13, Z13;         \
	VPXORD  Z14, Z14, Z14;         \
	VPXORD  Z15, Z15, Z15;         \
	VPXORD  Z16, Z16, Z16;         \
	VPXORD  Z17, Z17, Z17;         \
	MOVQ    DX, AX;                \
	ADDQ    dz_base+24(FP), AX;    \
	MOVQ    DX, SI;                \
	ADDQ    dh_base+48(FP), SI;    \
	MOVQ    DX, DI;                \
	ADDQ    h_base+72(FP), DI;     \
	MOVQ    x_base+96(FP), BX;     \
	KMOVW   K3, K1;                \
	KXNORW  K2, K2, K2;            \
	MOVL    (R8), R13;             \
	MOVL    60(R8), R14;           \
	MOVQ    R14, CX;               \
	SUBQ    R13, CX;               \
	LEAQ    (BX)(R13*4), R13;      \
	LEAQ    (BX)(R14*4), R14;      \
	CMPQ    CX, $1;                \
	MOVQ    periods+144(FP), CX;   \
	JGT     lq;                    \
	VPBROADCASTD (R8), Z8;         \
	VPCMPEQD (R8), Z8, K5;         \
	KNOTW   K5, K6;                \
	TESTQ   CX, CX;                \
	JZ      lr;                    \
	PERIODS(dz, WSUM2, l4t, l1t, lr); \
lq:                                \
	TESTQ   CX, CX;                \
	JZ      lr;                    \
	PERIODS(dz, WSUMP, l4p, l1p, lr); \
lr:                                \
	MOVQ    rest-8(SP), CX;        \
	SUBQ    DX, CX;                \
	JLE     ln;                    \
	SHRQ    $2, CX;                \
	KMOVW   K4, K1;                \
	CMPQ    CX, $16;               \
	JGE     lw;                    \
	MOVL    $1, R13;               \
	SHLL    CX, R13;               \
	DECL    R13;                   \
	KMOVW   R13, K2;               \
lw:                                \
	ONE(dz, WSUMP, Z0, Z10, Z14, (AX), (DI), (SI), (BX), (BX), (BX)); \
ln:                                \
	VADDPS  Z11, Z10, Z10;         \
	VADDPS  Z13, Z12, Z12;         \
	VADDPS  Z12, Z10, Z10;         \
	VADDPS  Z15, Z14, Z14;         \
	VADDPS  Z17, Z16, Z16;         \
	VADDPS  Z16, Z14, Z14;         \
	MOVQ    acc_base+0(FP), R13;   \
	VMOVUPS Z10, (R13)(DX*1);      \
	ADDQ    R11, R13;              \
	VMOVUPS Z14, (R13)(DX*1);      \
	ADDQ    $64, R8;               \
	ADDQ    $64, DX;               \
	CMPQ    DX, R11;               \
	JLT     lt;                    \
	JMP     done

// func grad1AVX512(acc, dz, dh, h, x, tab []float32, periods, rem, rowsPer, vecs, flags int)
// Requires: AVX512F, AVX512DQ
//
// The contract is grad1AVX512's declaration in linear_avx512_amd64.go (the table:
// grad1TableAVX512). Vector t of every period at a time, t = 0 to vecs−1, as
// in linear1AVX512, with four sets of sums in flight.
//
// Registers: Z0, Z2-Z4 dz of four periods, Z1 lane rows, Z7-Z8 scratch, Z9
// 1.0, Z10-Z13 bias sums, Z14-Z17 weight sums; K1 x's lanes (K3 a whole
// period's, K4 the rows left's), K2 the vector's (all but for the rows
// left), K5, K6 the lanes of the vector's first and second row; AX/SI/DI
// dz/dh/h at vector t of the period, BX x at the period, R13/R14 x of the
// rows of lanes 0 and 15, CX periods left, DX 64·t, R8 table entry t, R9
// rowsPer in bytes, R10 3·R9, R11 a period's length in bytes, R12 3·R11;
// on the stack the bytes of the rows left.
TEXT ·grad1AVX512(SB), NOSPLIT, $8-184
	MOVQ  rowsPer+160(FP), CX
	MOVQ  CX, R9
	SHLQ  $2, R9
	LEAQ  (R9)(R9*2), R10
	MOVL  $1, AX
	SHLL  CX, AX
	DECL  AX
	KMOVW AX, K3
	MOVQ  rem+152(FP), CX
	MOVL  $1, AX
	SHLL  CX, AX
	DECL  AX
	KMOVW AX, K4
	MOVQ  vecs+168(FP), R11
	SHLQ  $6, R11
	LEAQ  (R11)(R11*2), R12
	// The rows left's bytes: rem·out·4 = rem·R11/rowsPer.
	MOVQ  rem+152(FP), AX
	IMULQ R11, AX
	XORQ  DX, DX
	DIVQ  rowsPer+160(FP)
	MOVQ  AX, rest-8(SP)
	MOVQ  tab_base+120(FP), R8
	XORQ  DX, DX
	TESTQ R11, R11
	JZ    done
	VBROADCASTSS ·vmOne(SB), Z9
	TESTQ $const_gemmTanh, flags+176(FP)
	JZ    plain
	SWEEP(DZT, tvec, tperm, tp4, tp1, tt4, tt1, trest, twhole, tnext)

plain:
	SWEEP(DZN, nvec, nperm, np4, np1, nt4, nt1, nrest, nwhole, nnext)

done:
	VZEROUPPER
	RET

// PVT(off, idx, sb, sw) adds the vector of the period at byte offset off
// into its sums sb, sw: dz formed from dh (at SI) and h (at DI) as DZT
// forms it and stored (at AX); each lane's x handed from the period's
// (Z8) by VPERMPS on its row (idx). PVN reads dz as given.
#define PVT(off, idx, sb, sw) \
	VMOVUPS      off(DI), Z7;  \
	VMOVAPS      Z9, Z0;       \
	VFNMADD231PS Z7, Z7, Z0;   \
	VMULPS       off(SI), Z0, Z0; \
	VMOVUPS      Z0, off(AX);  \
	VADDPS       Z0, sb, sb;   \
	VPERMPS      Z8, idx, Z7;  \
	VFMADD231PS  Z7, Z0, sw

#define PVN(off, idx, sb, sw) \
	VMOVUPS      off(AX), Z0;  \
	VADDPS       Z0, sb, sb;   \
	VPERMPS      Z8, idx, Z7;  \
	VFMADD231PS  Z7, Z0, sw

// PSTEP steps to the next period and counts it.
#define PSTEP \
	ADDQ R11, AX; \
	ADDQ R11, SI; \
	ADDQ R11, DI; \
	ADDQ R9, BX;  \
	DECQ CX

// func grad1PeriodsAVX512(acc, dz, dh, h, x []float32, periods, rowsPer, vecs, out, flags int)
// Requires: AVX512F
//
// The contract is grad1PeriodsAVX512's declaration in linear_avx512_amd64.go: as
// grad1AVX512 without rows left, for vecs ≤ 5, a period at a time with every
// sum and lane-row vector of the period in registers, so that dz, dh and h
// are read once, in order. The lane rows are worked out here: lane f of the
// period (vector f/16) is in row ⌊(f + ½)·(1/out)⌋, exact for out ≤ 64 and
// f < 1024: (f + ½)/out is at least ½/out ≥ 2⁻⁷ from an integer, and the
// two roundings move it by less than 16·2⁻²³.
//
// Registers: Z0 dz, Z7 scratch, Z8 x of the period, Z9 1.0, Z10-Z14 bias
// sums, Z15-Z19 weight sums, Z20-Z24 lane rows; K1 x's lanes; AX/SI/DI
// dz/dh/h at the period, BX x at the period, CX periods left, R9 rowsPer
// in bytes, R11 a period's length in bytes.
TEXT ·grad1PeriodsAVX512(SB), NOSPLIT, $0-160
	MOVQ  rowsPer+128(FP), CX
	MOVQ  CX, R9
	SHLQ  $2, R9
	MOVL  $1, AX
	SHLL  CX, AX
	DECL  AX
	KMOVW AX, K1
	MOVQ  vecs+136(FP), DX
	MOVQ  DX, R11
	SHLQ  $6, R11
	VBROADCASTSS ·vmOne(SB), Z9
	VCVTSI2SSQ   out+144(FP), X7, X7
	VBROADCASTSS X7, Z7
	VDIVPS       Z7, Z9, Z7          // 1/out
	VMOVUPS      ·g1LaneHalf(SB), Z8 // f + ½ for the lanes of vector 0
	VBROADCASTSS ·g1Sixteen(SB), Z0
	VMULPS       Z7, Z8, Z20
	VCVTTPS2DQ   Z20, Z20
	VADDPS       Z0, Z8, Z8
	VMULPS       Z7, Z8, Z21
	VCVTTPS2DQ   Z21, Z21
	VADDPS       Z0, Z8, Z8
	VMULPS       Z7, Z8, Z22
	VCVTTPS2DQ   Z22, Z22
	VADDPS       Z0, Z8, Z8
	VMULPS       Z7, Z8, Z23
	VCVTTPS2DQ   Z23, Z23
	VADDPS       Z0, Z8, Z8
	VMULPS       Z7, Z8, Z24
	VCVTTPS2DQ   Z24, Z24
	VPXORD Z10, Z10, Z10
	VPXORD Z11, Z11, Z11
	VPXORD Z12, Z12, Z12
	VPXORD Z13, Z13, Z13
	VPXORD Z14, Z14, Z14
	VPXORD Z15, Z15, Z15
	VPXORD Z16, Z16, Z16
	VPXORD Z17, Z17, Z17
	VPXORD Z18, Z18, Z18
	VPXORD Z19, Z19, Z19
	MOVQ  dz_base+24(FP), AX
	MOVQ  dh_base+48(FP), SI
	MOVQ  h_base+72(FP), DI
	MOVQ  x_base+96(FP), BX
	MOVQ  periods+120(FP), CX
	TESTQ CX, CX
	JZ    store
	TESTQ $const_gemmTanh, flags+152(FP)
	JZ    plain
	CMPQ  DX, $1
	JEQ   t1
	CMPQ  DX, $2
	JEQ   t2
	CMPQ  DX, $3
	JEQ   t3
	CMPQ  DX, $4
	JEQ   t4

t5:
	VMOVUPS.Z (BX), K1, Z8
	PVT(0, Z20, Z10, Z15)
	PVT(64, Z21, Z11, Z16)
	PVT(128, Z22, Z12, Z17)
	PVT(192, Z23, Z13, Z18)
	PVT(256, Z24, Z14, Z19)
	PSTEP
	JNZ   t5
	JMP   store

t4:
	VMOVUPS.Z (BX), K1, Z8
	PVT(0, Z20, Z10, Z15)
	PVT(64, Z21, Z11, Z16)
	PVT(128, Z22, Z12, Z17)
	PVT(192, Z23, Z13, Z18)
	PSTEP
	JNZ   t4
	JMP   store

t3:
	VMOVUPS.Z (BX), K1, Z8
	PVT(0, Z20, Z10, Z15)
	PVT(64, Z21, Z11, Z16)
	PVT(128, Z22, Z12, Z17)
	PSTEP
	JNZ   t3
	JMP   store

t2:
	VMOVUPS.Z (BX), K1, Z8
	PVT(0, Z20, Z10, Z15)
	PVT(64, Z21, Z11, Z16)
	PSTEP
	JNZ   t2
	JMP   store

t1:
	VMOVUPS.Z (BX), K1, Z8
	PVT(0, Z20, Z10, Z15)
	PSTEP
	JNZ   t1
	JMP   store

plain:
	CMPQ  DX, $1
	JEQ   n1
	CMPQ  DX, $2
	JEQ   n2
	CMPQ  DX, $3
	JEQ   n3
	CMPQ  DX, $4
	JEQ   n4

n5:
	VMOVUPS.Z (BX), K1, Z8
	PVN(0, Z20, Z10, Z15)
	PVN(64, Z21, Z11, Z16)
	PVN(128, Z22, Z12, Z17)
	PVN(192, Z23, Z13, Z18)
	PVN(256, Z24, Z14, Z19)
	PSTEP
	JNZ   n5
	JMP   store

n4:
	VMOVUPS.Z (BX), K1, Z8
	PVN(0, Z20, Z10, Z15)
	PVN(64, Z21, Z11, Z16)
	PVN(128, Z22, Z12, Z17)
	PVN(192, Z23, Z13, Z18)
	PSTEP
	JNZ   n4
	JMP   store

n3:
	VMOVUPS.Z (BX), K1, Z8
	PVN(0, Z20, Z10, Z15)
	PVN(64, Z21, Z11, Z16)
	PVN(128, Z22, Z12, Z17)
	PSTEP
	JNZ   n3
	JMP   store

n2:
	VMOVUPS.Z (BX), K1, Z8
	PVN(0, Z20, Z10, Z15)
	PVN(64, Z21, Z11, Z16)
	PSTEP
	JNZ   n2
	JMP   store

n1:
	VMOVUPS.Z (BX), K1, Z8
	PVN(0, Z20, Z10, Z15)
	PSTEP
	JNZ   n1

store:
	// Bias sums of vector t at 64t bytes, weight sums R11 further.
	MOVQ    acc_base+0(FP), AX
	LEAQ    (AX)(R11*1), BX
	VMOVUPS Z10, (AX)
	VMOVUPS Z15, (BX)
	CMPQ    DX, $2
	JLT     done
	VMOVUPS Z11, 64(AX)
	VMOVUPS Z16, 64(BX)
	CMPQ    DX, $3
	JLT     done
	VMOVUPS Z12, 128(AX)
	VMOVUPS Z17, 128(BX)
	CMPQ    DX, $4
	JLT     done
	VMOVUPS Z13, 192(AX)
	VMOVUPS Z18, 192(BX)
	CMPQ    DX, $5
	JLT     done
	VMOVUPS Z14, 256(AX)
	VMOVUPS Z19, 256(BX)

done:
	VZEROUPPER
	RET

// DZV(off) forms dz = dh·(1 − h²) for the 16 values at byte offset off
// (1 − h² one FMA, as gradBiasAVX2 forms it); DZM(m) those of mask m at
// offset 0, loads and store masked.
#define DZV(off) \
	VMOVUPS      off(DI), Z1;     \
	VMOVAPS      Z9, Z0;          \
	VFNMADD231PS Z1, Z1, Z0;      \
	VMULPS       off(SI), Z0, Z0; \
	VMOVUPS      Z0, off(AX)

#define DZM(m) \
	VMOVUPS.Z    (DI), m, Z1;     \
	VMOVAPS      Z9, Z0;          \
	VFNMADD231PS Z1, Z1, Z0;      \
	VMULPS.Z     (SI), Z0, m, Z0; \
	VMOVUPS      Z0, m, (AX)

// func gradBiasAVX512(db, dz, dh, h []float32, rows, out, flags int)
// Requires: AVX512F, AVX512BW
//
// The contract is gradBiasAVX2's, in linear_amd64.go. With gemmTanh, one
// pass over the rows·out values forms dz (64 a step, then 16, then a
// masked tail). With gemmBias, the column sums of dz are added to db: for
// out ≤ 16 a (masked) vector a row, four rows a step into four sums; else
// chunks of 64 columns (four vectors, masked past out), two rows a step
// into two sets of sums.
//
// Registers: Z0-Z1 scratch, Z9 1.0, Z10-Z17 sums; K1-K4 the chunk's column
// masks, K7 the tail's; AX/SI/DI dz/dh/h, BX column offset (bytes), CX
// count, DX rows, R8 db, R9 the chunk's mask, R11 row stride in bytes, R12
// columns left.
TEXT ·gradBiasAVX512(SB), NOSPLIT, $0-120
	MOVQ  rows+96(FP), DX
	MOVQ  out+104(FP), R12
	MOVQ  R12, R11
	SHLQ  $2, R11
	TESTQ $const_gemmTanh, flags+112(FP)
	JZ    sums
	VBROADCASTSS ·vmOne(SB), Z9
	MOVQ  dz_base+24(FP), AX
	MOVQ  dh_base+48(FP), SI
	MOVQ  h_base+72(FP), DI
	MOVQ  DX, CX
	IMULQ R12, CX

dz64:
	CMPQ CX, $64
	JLT  dz16
	DZV(0)
	DZV(64)
	DZV(128)
	DZV(192)
	ADDQ $256, AX
	ADDQ $256, SI
	ADDQ $256, DI
	SUBQ $64, CX
	JMP  dz64

dz16:
	CMPQ CX, $16
	JLT  dztail
	DZV(0)
	ADDQ $64, AX
	ADDQ $64, SI
	ADDQ $64, DI
	SUBQ $16, CX
	JMP  dz16

dztail:
	TESTQ CX, CX
	JZ    sums
	MOVL  $1, BX
	SHLL  CX, BX
	DECL  BX
	KMOVW BX, K7
	DZM(K7)

sums:
	TESTQ $const_gemmBias, flags+112(FP)
	JZ    done
	TESTQ DX, DX
	JZ    done
	MOVQ  db_base+0(FP), R8
	CMPQ  R12, $16
	JG    chunks

	// out ≤ 16: a vector a row, rows r%4 into Z10-Z13.
	MOVQ  R12, CX
	MOVL  $1, BX
	SHLL  CX, BX
	DECL  BX
	KMOVW BX, K1
	VPXORD Z10, Z10, Z10
	VPXORD Z11, Z11, Z11
	VPXORD Z12, Z12, Z12
	VPXORD Z13, Z13, Z13
	MOVQ  dz_base+24(FP), AX
	MOVQ  DX, CX
	SHRQ  $2, CX
	JZ    nrest

nrow4:
	VMOVUPS.Z (AX), K1, Z0
	VADDPS    Z0, Z10, Z10
	ADDQ      R11, AX
	VMOVUPS.Z (AX), K1, Z0
	VADDPS    Z0, Z11, Z11
	ADDQ      R11, AX
	VMOVUPS.Z (AX), K1, Z0
	VADDPS    Z0, Z12, Z12
	ADDQ      R11, AX
	VMOVUPS.Z (AX), K1, Z0
	VADDPS    Z0, Z13, Z13
	ADDQ      R11, AX
	DECQ      CX
	JNZ       nrow4

nrest:
	MOVQ  DX, CX
	ANDQ  $3, CX
	JZ    nsum

nrow1:
	VMOVUPS.Z (AX), K1, Z0
	VADDPS    Z0, Z10, Z10
	ADDQ      R11, AX
	DECQ      CX
	JNZ       nrow1

nsum:
	VADDPS    Z11, Z10, Z10
	VADDPS    Z13, Z12, Z12
	VADDPS    Z12, Z10, Z10
	VADDPS.Z  (R8), Z10, K1, Z10
	VMOVUPS   Z10, K1, (R8)
	JMP       done

	// Chunks of 64 columns from BX: K1-K4 the four vectors' columns,
	// rows two at a time into Z10-Z13 and Z14-Z17.
chunks:
	XORQ BX, BX

chunk:
	TESTQ R12, R12
	JZ    done
	MOVQ  R12, CX
	CMPQ  CX, $64
	JLE   cmask
	MOVQ  $64, CX

cmask:
	// K1..K4 select min(16, max(0, cw−16v)) lanes of vector v.
	MOVQ  $-1, R9
	CMPQ  CX, $64
	JGE   call
	MOVL  $1, R9
	SHLQ  CX, R9
	DECQ  R9

call:
	KMOVQ  R9, K1
	KSHIFTRQ $16, K1, K2
	KSHIFTRQ $32, K1, K3
	KSHIFTRQ $48, K1, K4
	SUBQ   CX, R12
	VPXORD Z10, Z10, Z10
	VPXORD Z11, Z11, Z11
	VPXORD Z12, Z12, Z12
	VPXORD Z13, Z13, Z13
	VPXORD Z14, Z14, Z14
	VPXORD Z15, Z15, Z15
	VPXORD Z16, Z16, Z16
	VPXORD Z17, Z17, Z17
	MOVQ   dz_base+24(FP), AX
	ADDQ   BX, AX
	MOVQ   DX, CX
	SHRQ   $1, CX
	JZ     codd

crow2:
	VADDPS   (AX), Z10, K1, Z10
	VADDPS   64(AX), Z11, K2, Z11
	VADDPS   128(AX), Z12, K3, Z12
	VADDPS   192(AX), Z13, K4, Z13
	ADDQ     R11, AX
	VADDPS   (AX), Z14, K1, Z14
	VADDPS   64(AX), Z15, K2, Z15
	VADDPS   128(AX), Z16, K3, Z16
	VADDPS   192(AX), Z17, K4, Z17
	ADDQ     R11, AX
	DECQ     CX
	JNZ      crow2

codd:
	TESTQ $1, DX
	JZ    cend
	VADDPS (AX), Z10, K1, Z10
	VADDPS 64(AX), Z11, K2, Z11
	VADDPS 128(AX), Z12, K3, Z12
	VADDPS 192(AX), Z13, K4, Z13

cend:
	VADDPS  Z14, Z10, Z10
	VADDPS  Z15, Z11, Z11
	VADDPS  Z16, Z12, Z12
	VADDPS  Z17, Z13, Z13
	VADDPS  (R8)(BX*1), Z10, K1, Z10
	VMOVUPS Z10, K1, (R8)(BX*1)
	VADDPS  64(R8)(BX*1), Z11, K2, Z11
	VMOVUPS Z11, K2, 64(R8)(BX*1)
	VADDPS  128(R8)(BX*1), Z12, K3, Z12
	VMOVUPS Z12, K3, 128(R8)(BX*1)
	VADDPS  192(R8)(BX*1), Z13, K4, Z13
	VMOVUPS Z13, K4, 192(R8)(BX*1)
	ADDQ    $256, BX
	JMP     chunk

done:
	VZEROUPPER
	RET

// func grad1FoldAVX512(dw, db, acc []float32, out, rowsPer int)
// Requires: AVX512F
//
// The contract is grad1FoldAVX512's declaration in linear_avx512_amd64.go.
// Per chunk of 16 columns (the last masked to what is left of out), the
// rowsPer rows of each half of acc are added in order into two sums from
// +0, which are then added into dw and (with len(db) > 0) db.
//
// Registers: Z0 the bias sums, Z1 the weight sums; K1 the chunk's columns;
// SI the chunk's first column in acc's bias half, DI in its weight half,
// R8 dw's chunk, R9 db's, R10 out·4 (a row of acc), R11 columns left, CX
// rows left, DX db's length.
TEXT ·grad1FoldAVX512(SB), NOSPLIT, $0-88
	MOVQ dw_base+0(FP), R8
	MOVQ db_base+24(FP), R9
	MOVQ db_len+32(FP), DX
	MOVQ acc_base+48(FP), SI
	MOVQ acc_len+56(FP), DI
	SHLQ $1, DI
	ADDQ SI, DI // the weight half: acc + len(acc)/2 floats
	MOVQ out+72(FP), R11
	MOVQ R11, R10
	SHLQ $2, R10

fchunk:
	TESTQ   R11, R11
	JLE     fdone
	MOVL    $0xffff, AX
	CMPQ    R11, $16
	JGE     ffull
	MOVQ    R11, CX
	MOVL    $1, AX
	SHLL    CX, AX
	DECL    AX

ffull:
	KMOVW   AX, K1
	VPXORD  Z0, Z0, Z0
	VPXORD  Z1, Z1, Z1
	MOVQ    rowsPer+80(FP), CX
	XORQ    AX, AX

frow:
	VADDPS  (SI)(AX*1), Z0, K1, Z0
	VADDPS  (DI)(AX*1), Z1, K1, Z1
	ADDQ    R10, AX
	DECQ    CX
	JNZ     frow

	VMOVUPS.Z (R8), K1, Z2
	VADDPS    Z1, Z2, Z2
	VMOVUPS   Z2, K1, (R8)
	TESTQ     DX, DX
	JZ        fnext
	VMOVUPS.Z (R9), K1, Z2
	VADDPS    Z0, Z2, Z2
	VMOVUPS   Z2, K1, (R9)

fnext:
	ADDQ $64, SI
	ADDQ $64, DI
	ADDQ $64, R8
	ADDQ $64, R9
	SUBQ $16, R11
	JMP  fchunk

fdone:
	VZEROUPPER
	RET

// g1LaneHalf is f + ½ for the lanes f = 0…15 (grad1PeriodsAVX512);
// g1Sixteen is 16.
DATA ·g1LaneHalf+0(SB)/4, $0x3f000000
DATA ·g1LaneHalf+4(SB)/4, $0x3fc00000
DATA ·g1LaneHalf+8(SB)/4, $0x40200000
DATA ·g1LaneHalf+12(SB)/4, $0x40600000
DATA ·g1LaneHalf+16(SB)/4, $0x40900000
DATA ·g1LaneHalf+20(SB)/4, $0x40b00000
DATA ·g1LaneHalf+24(SB)/4, $0x40d00000
DATA ·g1LaneHalf+28(SB)/4, $0x40f00000
DATA ·g1LaneHalf+32(SB)/4, $0x41080000
DATA ·g1LaneHalf+36(SB)/4, $0x41180000
DATA ·g1LaneHalf+40(SB)/4, $0x41280000
DATA ·g1LaneHalf+44(SB)/4, $0x41380000
DATA ·g1LaneHalf+48(SB)/4, $0x41480000
DATA ·g1LaneHalf+52(SB)/4, $0x41580000
DATA ·g1LaneHalf+56(SB)/4, $0x41680000
DATA ·g1LaneHalf+60(SB)/4, $0x41780000
GLOBL ·g1LaneHalf(SB), RODATA|NOPTR, $64
DATA ·g1Sixteen+0(SB)/4, $0x41800000
GLOBL ·g1Sixteen(SB), RODATA|NOPTR, $4
