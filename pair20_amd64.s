//go:build !purego

#include "textflag.h"

#define gemmAcc 2

// Two-row tiles for 20-wide results (the seed's hidden width). Two rows of
// 20 floats are five whole vectors; the middle one holds the last four
// columns of the first row and the first four of the second. A k step of a
// pair broadcasts the pair's two A values, blends them for the middle
// vector, and multiplies them into the five vectors of the B row, so that
// no lane is wasted (a 16+4 column split wastes 12 lanes of 32 per row).

// FMAP adds the k step of both pairs of a tile for vector t (byte offset
// off in the B row) with inputs xa, xb (registers of the A values of
// pair 0 and pair 1).
#define FMAP(off, xa, xb, s0, s1) \
	VMOVUPS     off(BX), Y14; \
	VFMADD231PS Y14, xa, s0; \
	VFMADD231PS Y14, xb, s1

#define FMAM(off, s0, s1) \
	VMOVUPS     off(BX), Y14; \
	VBLENDPS    $0xf0, Y11, Y10, Y15; \
	VFMADD231PS Y14, Y15, s0; \
	VBLENDPS    $0xf0, Y13, Y12, Y15; \
	VFMADD231PS Y14, Y15, s1

// func pair20AVX2(c []float32, ldc int, a []float32, rsa, off, csa int, b []float32, ldb, m, k, flags int)
// Requires: AVX, AVX2, FMA
//
// For m pairs of rows, each the 40 floats c[i*ldc:i*ldc+40] (two rows of
// 20 side by side):
//
//	for i := 0; i < m; i++ {
//		for f := 0; f < 40; f++ {
//			var s float32
//			for p := 0; p < k; p++ {
//				e := a[i*rsa+p*csa]         // the pair's first row
//				if f >= 20 {
//					e = a[i*rsa+off+p*csa] // its second row
//				}
//				s += e * b[p*ldb+f]
//			}
//			if flags&gemmAcc != 0 {
//				s += c[i*ldc+f]
//			}
//			c[i*ldc+f] = s
//		}
//	}
//
// Pairs go two at a time (ten sums in registers), a last odd pair alone.
//
// Registers: Y0-Y4 sums of pair 0 (or of even k steps for a lone pair),
// Y5-Y9 of pair 1 (odd k steps), Y10/Y11 A values of pair 0 (first, second
// row), Y12/Y13 of pair 1, Y14 B vector, Y15 blended A; SI/DI A of pair 0/1
// at the k step, BX B row, DX C of pair 0, AX of pair 1, CX k left, R8 off,
// R9 csa, R10 ldb, R11 ldc, R14 rsa (all in bytes), R12 pairs left, R13 A
// of the tile.
TEXT ·pair20AVX2(SB), NOSPLIT, $0-136
	MOVQ c_base+0(FP), DX
	MOVQ ldc+24(FP), R11
	SHLQ $2, R11
	MOVQ a_base+32(FP), R13
	MOVQ rsa+56(FP), R14
	SHLQ $2, R14
	MOVQ off+64(FP), R8
	SHLQ $2, R8
	MOVQ csa+72(FP), R9
	SHLQ $2, R9
	MOVQ ldb+104(FP), R10
	SHLQ $2, R10
	MOVQ m+112(FP), R12

tile2:
	CMPQ R12, $2
	JLT  tile1
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
	LEAQ (R13)(R14*1), DI
	MOVQ b_base+80(FP), BX
	MOVQ k+120(FP), CX
	TESTQ CX, CX
	JZ   tile2e

tile2k:
	VBROADCASTSS (SI), Y10
	VBROADCASTSS (SI)(R8*1), Y11
	VBROADCASTSS (DI), Y12
	VBROADCASTSS (DI)(R8*1), Y13
	FMAP(0, Y10, Y12, Y0, Y5)
	FMAP(32, Y10, Y12, Y1, Y6)
	FMAM(64, Y2, Y7)
	FMAP(96, Y11, Y13, Y3, Y8)
	FMAP(128, Y11, Y13, Y4, Y9)
	ADDQ R9, SI
	ADDQ R9, DI
	ADDQ R10, BX
	DECQ CX
	JNZ  tile2k

tile2e:
	LEAQ (DX)(R11*1), AX
	TESTQ $gemmAcc, flags+128(FP)
	JZ   tile2s
	VADDPS (DX), Y0, Y0
	VADDPS 32(DX), Y1, Y1
	VADDPS 64(DX), Y2, Y2
	VADDPS 96(DX), Y3, Y3
	VADDPS 128(DX), Y4, Y4
	VADDPS (AX), Y5, Y5
	VADDPS 32(AX), Y6, Y6
	VADDPS 64(AX), Y7, Y7
	VADDPS 96(AX), Y8, Y8
	VADDPS 128(AX), Y9, Y9

tile2s:
	VMOVUPS Y0, (DX)
	VMOVUPS Y1, 32(DX)
	VMOVUPS Y2, 64(DX)
	VMOVUPS Y3, 96(DX)
	VMOVUPS Y4, 128(DX)
	VMOVUPS Y5, (AX)
	VMOVUPS Y6, 32(AX)
	VMOVUPS Y7, 64(AX)
	VMOVUPS Y8, 96(AX)
	VMOVUPS Y9, 128(AX)
	LEAQ (R13)(R14*2), R13
	LEAQ (DX)(R11*2), DX
	SUBQ $2, R12
	JMP  tile2

tile1:
	TESTQ R12, R12
	JZ   done
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VPCMPEQD Y5, Y5, Y5
	VPSLLD $31, Y5, Y5
	VMOVAPS Y5, Y6
	VMOVAPS Y5, Y7
	VMOVAPS Y5, Y8
	VMOVAPS Y5, Y9
	MOVQ R13, SI
	LEAQ (SI)(R9*1), DI
	MOVQ b_base+80(FP), BX
	MOVQ k+120(FP), CX
	SHRQ $1, CX
	JZ   tile1o

tile1k:
	VBROADCASTSS (SI), Y10
	VBROADCASTSS (SI)(R8*1), Y11
	VBROADCASTSS (DI), Y12
	VBROADCASTSS (DI)(R8*1), Y13
	VMOVUPS     (BX), Y14
	VFMADD231PS Y14, Y10, Y0
	VMOVUPS     32(BX), Y14
	VFMADD231PS Y14, Y10, Y1
	VMOVUPS     64(BX), Y14
	VBLENDPS    $0xf0, Y11, Y10, Y15
	VFMADD231PS Y14, Y15, Y2
	VMOVUPS     96(BX), Y14
	VFMADD231PS Y14, Y11, Y3
	VMOVUPS     128(BX), Y14
	VFMADD231PS Y14, Y11, Y4
	ADDQ R10, BX
	VMOVUPS     (BX), Y14
	VFMADD231PS Y14, Y12, Y5
	VMOVUPS     32(BX), Y14
	VFMADD231PS Y14, Y12, Y6
	VMOVUPS     64(BX), Y14
	VBLENDPS    $0xf0, Y13, Y12, Y15
	VFMADD231PS Y14, Y15, Y7
	VMOVUPS     96(BX), Y14
	VFMADD231PS Y14, Y13, Y8
	VMOVUPS     128(BX), Y14
	VFMADD231PS Y14, Y13, Y9
	ADDQ R10, BX
	LEAQ (SI)(R9*2), SI
	LEAQ (DI)(R9*2), DI
	DECQ CX
	JNZ  tile1k

tile1o:
	TESTQ $1, k+120(FP)
	JZ   tile1e
	VBROADCASTSS (SI), Y10
	VBROADCASTSS (SI)(R8*1), Y11
	VMOVUPS     (BX), Y14
	VFMADD231PS Y14, Y10, Y0
	VMOVUPS     32(BX), Y14
	VFMADD231PS Y14, Y10, Y1
	VMOVUPS     64(BX), Y14
	VBLENDPS    $0xf0, Y11, Y10, Y15
	VFMADD231PS Y14, Y15, Y2
	VMOVUPS     96(BX), Y14
	VFMADD231PS Y14, Y11, Y3
	VMOVUPS     128(BX), Y14
	VFMADD231PS Y14, Y11, Y4

tile1e:
	VADDPS Y5, Y0, Y0
	VADDPS Y6, Y1, Y1
	VADDPS Y7, Y2, Y2
	VADDPS Y8, Y3, Y3
	VADDPS Y9, Y4, Y4
	TESTQ $gemmAcc, flags+128(FP)
	JZ   tile1s
	VADDPS (DX), Y0, Y0
	VADDPS 32(DX), Y1, Y1
	VADDPS 64(DX), Y2, Y2
	VADDPS 96(DX), Y3, Y3
	VADDPS 128(DX), Y4, Y4

tile1s:
	VMOVUPS Y0, (DX)
	VMOVUPS Y1, 32(DX)
	VMOVUPS Y2, 64(DX)
	VMOVUPS Y3, 96(DX)
	VMOVUPS Y4, 128(DX)

done:
	VZEROUPPER
	RET
