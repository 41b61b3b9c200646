//go:build !purego

#include "textflag.h"
#include "asm_amd64.h"

// GEMM for results 20 columns wide (the seed's hidden width). A row of the
// result is two whole vectors (columns 0-15) and a half (16-19); the halves
// of two rows share one vector (lanes 0-3 the first row's, 4-7 the
// second's), so that no lane is wasted: a 16+4 panel split wastes 12 lanes
// of 32 per row. B's columns 16-19 are broadcast to both halves of a vector
// (VBROADCASTF128) and the A values of the two rows blended, so a k step of
// a 4-row tile is 4 broadcasts of A, 3 loads of B and 10 FMAs into 10 sums.

// ROW2 adds the k step of a pair of rows whose A values are at ma, mb:
// row sums s0 s1 (first row), s2 s3 (second), shared half sh; B in Y10-Y12.
#define ROW2(ma, mb, s0, s1, s2, s3, sh) \
	VBROADCASTSS ma, Y13; \
	VFMADD231PS  Y10, Y13, s0; \
	VFMADD231PS  Y11, Y13, s1; \
	VBROADCASTSS mb, Y14; \
	VFMADD231PS  Y10, Y14, s2; \
	VFMADD231PS  Y11, Y14, s3; \
	VBLENDPS     $0xf0, Y14, Y13, Y15; \
	VFMADD231PS  Y12, Y15, sh

// LDB loads B row at BX (then advances BX by ldb).
#define LDB \
	VMOVUPS        (BX), Y10; \
	VMOVUPS        32(BX), Y11; \
	VBROADCASTF128 64(BX), Y12; \
	ADDQ           R10, BX

// ACC2 adds the old C of the row pair at r0, r1 to the sums.
#define ACC2(r0, r1, s0, s1, s2, s3, sh) \
	VADDPS      (r0), s0, s0; \
	VADDPS      32(r0), s1, s1; \
	VADDPS      (r1), s2, s2; \
	VADDPS      32(r1), s3, s3; \
	VMOVUPS     64(r0), X15; \
	VINSERTF128 $1, 64(r1), Y15, Y15; \
	VADDPS      Y15, sh, sh

// ST2 stores the sums of the row pair at r0, r1.
#define ST2(r0, r1, s0, s1, s2, s3, sh) \
	VMOVUPS      s0, (r0); \
	VMOVUPS      s1, 32(r0); \
	VMOVUPS      s2, (r1); \
	VMOVUPS      s3, 32(r1); \
	VEXTRACTF128 $0, sh, 64(r0); \
	VEXTRACTF128 $1, sh, 64(r1)

// ROW1 adds the k step of a lone row whose A value is at ma: row sums s0
// s1, and sh, whose lanes 0-3 (and, the same, 4-7) sum columns 16-19.
#define ROW1(ma, s0, s1, sh) \
	VBROADCASTSS ma, Y13; \
	VFMADD231PS  Y10, Y13, s0; \
	VFMADD231PS  Y11, Y13, s1; \
	VFMADD231PS  Y12, Y13, sh

#define NEGZ(r) \
	VPCMPEQD r, r, r; \
	VPSLLD   $31, r, r

// func gemm20AVX2(c []float32, ldc int, a []float32, rsa, csa int, b []float32, ldb, m, k, flags int)
// Requires: AVX, AVX2, FMA
//
// The contract is gemm20AVX2's declaration in linear_amd64.go. Rows go 4 at
// a time; 3 left over go as one tile of 8 sums; 2 or 1 as one
// tile with the even and odd k steps in separate sums (added at the end,
// the odd ones starting at −0 so that a −0 result stays −0), to keep
// enough FMAs in flight.
//
// Registers: Y0-Y7 row sums (row r in Y2r, Y2r+1), Y8/Y9 shared halves of
// rows 0-1/2-3 (or row 2's half, lanes 0-3, in a 3-row tile), Y10-Y12 B,
// Y13-Y14 broadcast A, Y15 blended A; SI A of row 0, DI of row 3 (or 0 for
// a lone row pair's odd steps), BX B, DX C of row 0, AX of row 1 (then 3),
// CX k left, R8 rsa, R9 csa, R10 ldb, R11 ldc (all in bytes), R12 rows
// left, R13 A of the tile.
TEXT ·gemm20AVX2(SB), NOSPLIT, $0-128
	MOVQ c_base+0(FP), DX
	MOVQ ldc+24(FP), R11
	SHLQ $2, R11
	MOVQ a_base+32(FP), R13
	MOVQ rsa+56(FP), R8
	SHLQ $2, R8
	MOVQ csa+64(FP), R9
	SHLQ $2, R9
	MOVQ ldb+96(FP), R10
	SHLQ $2, R10
	MOVQ m+104(FP), R12

tile4:
	CMPQ R12, $4
	JLT  tile2
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	MOVQ R13, SI
	LEAQ (SI)(R8*2), DI
	ADDQ R8, DI
	MOVQ b_base+72(FP), BX
	MOVQ k+112(FP), CX
	TESTQ CX, CX
	JZ   tile4e

tile4k:
	LDB
	ROW2((SI), (SI)(R8*1), Y0, Y1, Y2, Y3, Y8)
	ROW2((SI)(R8*2), (DI), Y4, Y5, Y6, Y7, Y9)
	ADDQ R9, SI
	ADDQ R9, DI
	DECQ CX
	JNZ  tile4k

tile4e:
	LEAQ (DX)(R11*1), AX
	TESTQ $const_gemmAcc, flags+120(FP)
	JZ   tile4s
	ACC2(DX, AX, Y0, Y1, Y2, Y3, Y8)

tile4s:
	ST2(DX, AX, Y0, Y1, Y2, Y3, Y8)
	LEAQ (DX)(R11*2), DX
	LEAQ (DX)(R11*1), AX
	TESTQ $const_gemmAcc, flags+120(FP)
	JZ   tile4t
	ACC2(DX, AX, Y4, Y5, Y6, Y7, Y9)

tile4t:
	ST2(DX, AX, Y4, Y5, Y6, Y7, Y9)
	LEAQ (DX)(R11*2), DX
	LEAQ (R13)(R8*4), R13
	SUBQ $4, R12
	JMP  tile4

tile2:
	TESTQ R12, R12
	JZ   done
	CMPQ R12, $3
	JEQ  tile3
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y8, Y8, Y8
	NEGZ(Y4)
	VMOVAPS Y4, Y5
	VMOVAPS Y4, Y6
	VMOVAPS Y4, Y7
	VMOVAPS Y4, Y9
	MOVQ R13, SI
	MOVQ R8, AX
	CMPQ R12, $2
	JGE  tile2a
	XORQ AX, AX // a lone row: its "second row" is itself, not stored

tile2a:
	MOVQ b_base+72(FP), BX
	MOVQ k+112(FP), CX
	SHRQ $1, CX
	JZ   tile2o

tile2k:
	LDB
	ROW2((SI), (SI)(AX*1), Y0, Y1, Y2, Y3, Y8)
	ADDQ R9, SI
	LDB
	ROW2((SI), (SI)(AX*1), Y4, Y5, Y6, Y7, Y9)
	ADDQ R9, SI
	DECQ CX
	JNZ  tile2k

tile2o:
	TESTQ $1, k+112(FP)
	JZ   tile2e
	LDB
	ROW2((SI), (SI)(AX*1), Y0, Y1, Y2, Y3, Y8)

tile2e:
	VADDPS Y4, Y0, Y0
	VADDPS Y5, Y1, Y1
	VADDPS Y6, Y2, Y2
	VADDPS Y7, Y3, Y3
	VADDPS Y9, Y8, Y8
	CMPQ R12, $2
	JLT  tile1
	LEAQ (DX)(R11*1), AX
	TESTQ $const_gemmAcc, flags+120(FP)
	JZ   tile2s
	ACC2(DX, AX, Y0, Y1, Y2, Y3, Y8)

tile2s:
	ST2(DX, AX, Y0, Y1, Y2, Y3, Y8)
	LEAQ (DX)(R11*2), DX
	LEAQ (R13)(R8*2), R13
	SUBQ $2, R12
	JMP  tile2

tile1:
	TESTQ $const_gemmAcc, flags+120(FP)
	JZ   tile1s
	VADDPS (DX), Y0, Y0
	VADDPS 32(DX), Y1, Y1
	VADDPS 64(DX), X8, X8

tile1s:
	VMOVUPS Y0, (DX)
	VMOVUPS Y1, 32(DX)
	VMOVUPS X8, 64(DX)
	JMP     done

tile3:
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	MOVQ R13, SI
	MOVQ b_base+72(FP), BX
	MOVQ k+112(FP), CX
	TESTQ CX, CX
	JZ   tile3e

tile3k:
	LDB
	ROW2((SI), (SI)(R8*1), Y0, Y1, Y2, Y3, Y8)
	ROW1((SI)(R8*2), Y4, Y5, Y9)
	ADDQ R9, SI
	DECQ CX
	JNZ  tile3k

tile3e:
	LEAQ (DX)(R11*1), AX
	LEAQ (DX)(R11*2), BX
	TESTQ $const_gemmAcc, flags+120(FP)
	JZ   tile3s
	ACC2(DX, AX, Y0, Y1, Y2, Y3, Y8)
	VADDPS (BX), Y4, Y4
	VADDPS 32(BX), Y5, Y5
	VADDPS 64(BX), X9, X9

tile3s:
	ST2(DX, AX, Y0, Y1, Y2, Y3, Y8)
	VMOVUPS Y4, (BX)
	VMOVUPS Y5, 32(BX)
	VMOVUPS X9, 64(BX)

done:
	VZEROUPPER
	RET
