// AVX2+FMA GEMM macro-kernel behind the linear layer kernels.
//
// Outer-product form: each k step broadcasts one element of A per row of
// the tile and multiplies it into one row of B (16 columns, two vectors), so
// the 6×16 tile of C is 12 accumulators and a k step is 6 broadcasts,
// 2 loads and 12 FMAs: FMA-bound on cores with two FMA pipes. A and B are
// addressed with free strides, which serves the forward pass (B = packed
// wᵀ), dx = dz·w and dw += dzᵀ·x alike. The epilogue adds the bias and/or
// the old C and applies tanh while the tile is in registers; the bias is
// the accumulators' start value, so a sum is rounded as b + Σ x·w.

//go:build !purego

#include "textflag.h"
#include "asm_amd64.h"
#include "vecmath_amd64.h"

// Row addresses of a 6-row tile: rows 0-2 from SI, rows 3-5 from DI = SI+3*R8
// (A operand) and DX, AX = DX+3*R11 (C operand).

// Loads and stores of one row of the tile: 2 vectors (16 columns) or 1, the
// last one masked by Y15 when the panel is narrower (suffix M) or not (F).
#define LD2F(m, r0, r1) VMOVUPS m, r0; VMOVUPS 32 m, r1
#define LD2M(m, r0, r1) VMOVUPS m, r0; VMASKMOVPS 32 m, Y15, r1
#define ST2F(m, r0, r1) VMOVUPS r0, m; VMOVUPS r1, 32 m
#define ST2M(m, r0, r1) VMOVUPS r0, m; VMASKMOVPS r1, Y15, 32 m
#define LD1F(m, r0, r1) VMOVUPS m, r0
#define LD1M(m, r0, r1) VMASKMOVPS m, Y15, r0
#define ST1F(m, r0, r1) VMOVUPS r0, m
#define ST1M(m, r0, r1) VMASKMOVPS r0, Y15, m

// One k step of a row: broadcast A, multiply by the B vectors in Y12, Y13.
#define FMA2(m, r0, r1) VBROADCASTSS m, Y14; VFMADD231PS Y12, Y14, r0; VFMADD231PS Y13, Y14, r1
#define FMA1(m, r0, r1) VBROADCASTSS m, Y14; VFMADD231PS Y12, Y14, r0

// SPILLEND sets r to the last address at which a full store of w bytes
// stays inside c.
#define SPILLEND(w, r) \
	MOVQ c_len+8(FP), r; \
	SHLQ $2, r; \
	ADDQ c_base+0(FP), r; \
	SUBQ $w, r

// MASK15 reloads the column mask into Y15 (TANH_AVX2 used it as scratch).
#define MASK15 \
	MOVQ n+144(FP), CX; \
	ANDQ $7, CX; \
	NEGQ CX; \
	ADDQ $8, CX; \
	LEAQ ·vmTailMask(SB), BX; \
	VMOVUPS (BX)(CX*4), Y15


// func gemmAVX2(c []float32, ldc int, a []float32, rsa, csa int, b []float32, ldb int, bias []float32, m, k, n, flags int)
// Requires: AVX, AVX2, FMA
//
// The contract is gemmAVX2's declaration in linear_amd64.go. Tiles of 6
// rows × 16 (or 8) columns stay in registers for the whole k loop; the rows
// left over go one at a time, k unrolled by 4 into four sums. Columns past
// n are neither loaded nor stored (masked), but for the whole-vector
// stores of gemmSpill and the whole B rows of gemmPadB.
//
// Registers: Y0-Y11 accumulators (row r in Y2r, Y2r+1), Y12-Y13 B row (or
// bias, C), Y14 broadcast A, Y15 column mask; SI/DI A rows 0-2/3-5, BX B, DX/AX
// C rows 0-2/3-5, CX k counter then flags, R8 rsa, R9 csa, R10 ldb, R11 ldc
// (all in bytes), R12 rows left, R13 A at the current tile, R14 bias.
TEXT ·gemmAVX2(SB), NOSPLIT, $0-160
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
	MOVQ bias_base+104(FP), R14
	MOVQ m+128(FP), R12
	MOVQ n+144(FP), AX
	LEAQ ·vmTailMask(SB), CX
	CMPQ AX, $8
	JLE  narrow
	NEGQ AX
	ADDQ $16, AX
	VMOVUPS (CX)(AX*4), Y15
	TESTQ AX, AX
	JZ   v2f
	JMP  v2m

narrow:
	NEGQ AX
	ADDQ $8, AX
	VMOVUPS (CX)(AX*4), Y15
	TESTQ AX, AX
	JZ   v1f
	JMP  v1m

v2f:
v2f_t6:
	CMPQ R12, $6
	JLT  v2f_t1
	TESTQ $const_gemmBias, flags+152(FP)
	JZ   v2f_t6z
	LD2F((R14), Y12, Y13)
	VMOVAPS Y12, Y0
	VMOVAPS Y13, Y1
	VMOVAPS Y12, Y2
	VMOVAPS Y13, Y3
	VMOVAPS Y12, Y4
	VMOVAPS Y13, Y5
	VMOVAPS Y12, Y6
	VMOVAPS Y13, Y7
	VMOVAPS Y12, Y8
	VMOVAPS Y13, Y9
	VMOVAPS Y12, Y10
	VMOVAPS Y13, Y11
	JMP  v2f_t6i
v2f_t6z:
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
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11
v2f_t6i:
	MOVQ R13, SI
	LEAQ (SI)(R8*2), DI
	ADDQ R8, DI
	MOVQ b_base+72(FP), BX
	MOVQ k+136(FP), CX
	TESTQ CX, CX
	JZ   v2f_t6e
v2f_t6k:
	LD2F((BX), Y12, Y13)
	FMA2((SI), Y0, Y1)
	FMA2((SI)(R8*1), Y2, Y3)
	FMA2((SI)(R8*2), Y4, Y5)
	FMA2((DI), Y6, Y7)
	FMA2((DI)(R8*1), Y8, Y9)
	FMA2((DI)(R8*2), Y10, Y11)
	ADDQ R9, SI
	ADDQ R9, DI
	ADDQ R10, BX
	DECQ CX
	JNZ  v2f_t6k
v2f_t6e:
	LEAQ (DX)(R11*2), AX
	ADDQ R11, AX
	MOVQ flags+152(FP), CX
	TESTQ $const_gemmAcc, CX
	JZ   v2f_t6s
	LD2F((DX), Y12, Y13)
	VADDPS Y12, Y0, Y0
	VADDPS Y13, Y1, Y1
	LD2F((DX)(R11*1), Y12, Y13)
	VADDPS Y12, Y2, Y2
	VADDPS Y13, Y3, Y3
	LD2F((DX)(R11*2), Y12, Y13)
	VADDPS Y12, Y4, Y4
	VADDPS Y13, Y5, Y5
	LD2F((AX), Y12, Y13)
	VADDPS Y12, Y6, Y6
	VADDPS Y13, Y7, Y7
	LD2F((AX)(R11*1), Y12, Y13)
	VADDPS Y12, Y8, Y8
	VADDPS Y13, Y9, Y9
	LD2F((AX)(R11*2), Y12, Y13)
	VADDPS Y12, Y10, Y10
	VADDPS Y13, Y11, Y11
v2f_t6s:
	TESTQ $const_gemmTanh, CX
	JZ   v2f_t6st
	TANH_AVX2(Y0, Y12, Y13, Y14, Y15)
	TANH_AVX2(Y1, Y12, Y13, Y14, Y15)
	TANH_AVX2(Y2, Y12, Y13, Y14, Y15)
	TANH_AVX2(Y3, Y12, Y13, Y14, Y15)
	TANH_AVX2(Y4, Y12, Y13, Y14, Y15)
	TANH_AVX2(Y5, Y12, Y13, Y14, Y15)
	TANH_AVX2(Y6, Y12, Y13, Y14, Y15)
	TANH_AVX2(Y7, Y12, Y13, Y14, Y15)
	TANH_AVX2(Y8, Y12, Y13, Y14, Y15)
	TANH_AVX2(Y9, Y12, Y13, Y14, Y15)
	TANH_AVX2(Y10, Y12, Y13, Y14, Y15)
	TANH_AVX2(Y11, Y12, Y13, Y14, Y15)
v2f_t6st:
	ST2F((DX), Y0, Y1)
	ST2F((DX)(R11*1), Y2, Y3)
	ST2F((DX)(R11*2), Y4, Y5)
	ST2F((AX), Y6, Y7)
	ST2F((AX)(R11*1), Y8, Y9)
	ST2F((AX)(R11*2), Y10, Y11)
	LEAQ (R13)(R8*2), R13
	LEAQ (R13)(R8*4), R13
	LEAQ (DX)(R11*2), DX
	LEAQ (DX)(R11*4), DX
	SUBQ $6, R12
	JMP  v2f_t6
v2f_t1:
	TESTQ R12, R12
	JZ   done
	VPCMPEQD Y2, Y2, Y2
	VPSLLD $31, Y2, Y2
	VPCMPEQD Y3, Y3, Y3
	VPSLLD $31, Y3, Y3
	VPCMPEQD Y4, Y4, Y4
	VPSLLD $31, Y4, Y4
	VPCMPEQD Y5, Y5, Y5
	VPSLLD $31, Y5, Y5
	VPCMPEQD Y6, Y6, Y6
	VPSLLD $31, Y6, Y6
	VPCMPEQD Y7, Y7, Y7
	VPSLLD $31, Y7, Y7
	TESTQ $const_gemmBias, flags+152(FP)
	JZ   v2f_t1z
	LD2F((R14), Y0, Y1)
	JMP  v2f_t1i
v2f_t1z:
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
v2f_t1i:
	MOVQ R13, SI
	MOVQ b_base+72(FP), BX
	MOVQ k+136(FP), CX
	SHRQ $2, CX
	JZ   v2f_t1o
v2f_t1k:
	LD2F((BX), Y12, Y13)
	FMA2((SI), Y0, Y1)
	ADDQ R9, SI
	ADDQ R10, BX
	LD2F((BX), Y12, Y13)
	FMA2((SI), Y2, Y3)
	ADDQ R9, SI
	ADDQ R10, BX
	LD2F((BX), Y12, Y13)
	FMA2((SI), Y4, Y5)
	ADDQ R9, SI
	ADDQ R10, BX
	LD2F((BX), Y12, Y13)
	FMA2((SI), Y6, Y7)
	ADDQ R9, SI
	ADDQ R10, BX
	DECQ CX
	JNZ  v2f_t1k
v2f_t1o:
	MOVQ k+136(FP), CX
	ANDQ $3, CX
	JZ   v2f_t1e
v2f_t1r:
	LD2F((BX), Y12, Y13)
	FMA2((SI), Y0, Y1)
	ADDQ R9, SI
	ADDQ R10, BX
	DECQ CX
	JNZ  v2f_t1r
v2f_t1e:
	VADDPS Y2, Y0, Y0
	VADDPS Y6, Y4, Y4
	VADDPS Y4, Y0, Y0
	VADDPS Y3, Y1, Y1
	VADDPS Y7, Y5, Y5
	VADDPS Y5, Y1, Y1
	MOVQ flags+152(FP), CX
	TESTQ $const_gemmAcc, CX
	JZ   v2f_t1s
	LD2F((DX), Y12, Y13)
	VADDPS Y12, Y0, Y0
	VADDPS Y13, Y1, Y1
v2f_t1s:
	TESTQ $const_gemmTanh, CX
	JZ   v2f_t1st
	TANH_AVX2(Y0, Y12, Y13, Y14, Y15)
	TANH_AVX2(Y1, Y12, Y13, Y14, Y15)
v2f_t1st:
	ST2F((DX), Y0, Y1)
	ADDQ R8, R13
	ADDQ R11, DX
	DECQ R12
	JMP  v2f_t1

v2m:
v2m_t6:
	CMPQ R12, $6
	JLT  v2m_t1
	TESTQ $const_gemmBias, flags+152(FP)
	JZ   v2m_t6z
	LD2M((R14), Y12, Y13)
	VMOVAPS Y12, Y0
	VMOVAPS Y13, Y1
	VMOVAPS Y12, Y2
	VMOVAPS Y13, Y3
	VMOVAPS Y12, Y4
	VMOVAPS Y13, Y5
	VMOVAPS Y12, Y6
	VMOVAPS Y13, Y7
	VMOVAPS Y12, Y8
	VMOVAPS Y13, Y9
	VMOVAPS Y12, Y10
	VMOVAPS Y13, Y11
	JMP  v2m_t6i
v2m_t6z:
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
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11
v2m_t6i:
	MOVQ R13, SI
	LEAQ (SI)(R8*2), DI
	ADDQ R8, DI
	MOVQ b_base+72(FP), BX
	MOVQ k+136(FP), CX
	TESTQ CX, CX
	JZ   v2m_t6e
	TESTQ $const_gemmPadB, flags+152(FP)
	JNZ  v2m_t6kp
v2m_t6k:
	LD2M((BX), Y12, Y13)
	FMA2((SI), Y0, Y1)
	FMA2((SI)(R8*1), Y2, Y3)
	FMA2((SI)(R8*2), Y4, Y5)
	FMA2((DI), Y6, Y7)
	FMA2((DI)(R8*1), Y8, Y9)
	FMA2((DI)(R8*2), Y10, Y11)
	ADDQ R9, SI
	ADDQ R9, DI
	ADDQ R10, BX
	DECQ CX
	JNZ  v2m_t6k
	JMP  v2m_t6e
v2m_t6kp:
	LD2F((BX), Y12, Y13)
	FMA2((SI), Y0, Y1)
	FMA2((SI)(R8*1), Y2, Y3)
	FMA2((SI)(R8*2), Y4, Y5)
	FMA2((DI), Y6, Y7)
	FMA2((DI)(R8*1), Y8, Y9)
	FMA2((DI)(R8*2), Y10, Y11)
	ADDQ R9, SI
	ADDQ R9, DI
	ADDQ R10, BX
	DECQ CX
	JNZ  v2m_t6kp
v2m_t6e:
	LEAQ (DX)(R11*2), AX
	ADDQ R11, AX
	MOVQ flags+152(FP), CX
	TESTQ $const_gemmAcc, CX
	JZ   v2m_t6s
	LD2M((DX), Y12, Y13)
	VADDPS Y12, Y0, Y0
	VADDPS Y13, Y1, Y1
	LD2M((DX)(R11*1), Y12, Y13)
	VADDPS Y12, Y2, Y2
	VADDPS Y13, Y3, Y3
	LD2M((DX)(R11*2), Y12, Y13)
	VADDPS Y12, Y4, Y4
	VADDPS Y13, Y5, Y5
	LD2M((AX), Y12, Y13)
	VADDPS Y12, Y6, Y6
	VADDPS Y13, Y7, Y7
	LD2M((AX)(R11*1), Y12, Y13)
	VADDPS Y12, Y8, Y8
	VADDPS Y13, Y9, Y9
	LD2M((AX)(R11*2), Y12, Y13)
	VADDPS Y12, Y10, Y10
	VADDPS Y13, Y11, Y11
v2m_t6s:
	TESTQ $const_gemmTanh, CX
	JZ   v2m_t6st
	TANH_AVX2(Y0, Y12, Y13, Y14, Y15)
	TANH_AVX2(Y1, Y12, Y13, Y14, Y15)
	TANH_AVX2(Y2, Y12, Y13, Y14, Y15)
	TANH_AVX2(Y3, Y12, Y13, Y14, Y15)
	TANH_AVX2(Y4, Y12, Y13, Y14, Y15)
	TANH_AVX2(Y5, Y12, Y13, Y14, Y15)
	TANH_AVX2(Y6, Y12, Y13, Y14, Y15)
	TANH_AVX2(Y7, Y12, Y13, Y14, Y15)
	TANH_AVX2(Y8, Y12, Y13, Y14, Y15)
	TANH_AVX2(Y9, Y12, Y13, Y14, Y15)
	TANH_AVX2(Y10, Y12, Y13, Y14, Y15)
	TANH_AVX2(Y11, Y12, Y13, Y14, Y15)
	MASK15
v2m_t6st:
	TESTQ $const_gemmSpill, flags+152(FP)
	JZ   v2m_t6sm
	LEAQ (AX)(R11*2), SI
	SPILLEND(64, DI)
	CMPQ SI, DI
	JHI  v2m_t6sm
	ST2F((DX), Y0, Y1)
	ST2F((DX)(R11*1), Y2, Y3)
	ST2F((DX)(R11*2), Y4, Y5)
	ST2F((AX), Y6, Y7)
	ST2F((AX)(R11*1), Y8, Y9)
	ST2F((AX)(R11*2), Y10, Y11)
	JMP  v2m_t6n
v2m_t6sm:
	ST2M((DX), Y0, Y1)
	ST2M((DX)(R11*1), Y2, Y3)
	ST2M((DX)(R11*2), Y4, Y5)
	ST2M((AX), Y6, Y7)
	ST2M((AX)(R11*1), Y8, Y9)
	ST2M((AX)(R11*2), Y10, Y11)
v2m_t6n:
	LEAQ (R13)(R8*2), R13
	LEAQ (R13)(R8*4), R13
	LEAQ (DX)(R11*2), DX
	LEAQ (DX)(R11*4), DX
	SUBQ $6, R12
	JMP  v2m_t6
v2m_t1:
	TESTQ R12, R12
	JZ   done
	VPCMPEQD Y2, Y2, Y2
	VPSLLD $31, Y2, Y2
	VPCMPEQD Y3, Y3, Y3
	VPSLLD $31, Y3, Y3
	VPCMPEQD Y4, Y4, Y4
	VPSLLD $31, Y4, Y4
	VPCMPEQD Y5, Y5, Y5
	VPSLLD $31, Y5, Y5
	VPCMPEQD Y6, Y6, Y6
	VPSLLD $31, Y6, Y6
	VPCMPEQD Y7, Y7, Y7
	VPSLLD $31, Y7, Y7
	TESTQ $const_gemmBias, flags+152(FP)
	JZ   v2m_t1z
	LD2M((R14), Y0, Y1)
	JMP  v2m_t1i
v2m_t1z:
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
v2m_t1i:
	MOVQ R13, SI
	MOVQ b_base+72(FP), BX
	MOVQ k+136(FP), CX
	SHRQ $2, CX
	JZ   v2m_t1o
v2m_t1k:
	LD2M((BX), Y12, Y13)
	FMA2((SI), Y0, Y1)
	ADDQ R9, SI
	ADDQ R10, BX
	LD2M((BX), Y12, Y13)
	FMA2((SI), Y2, Y3)
	ADDQ R9, SI
	ADDQ R10, BX
	LD2M((BX), Y12, Y13)
	FMA2((SI), Y4, Y5)
	ADDQ R9, SI
	ADDQ R10, BX
	LD2M((BX), Y12, Y13)
	FMA2((SI), Y6, Y7)
	ADDQ R9, SI
	ADDQ R10, BX
	DECQ CX
	JNZ  v2m_t1k
v2m_t1o:
	MOVQ k+136(FP), CX
	ANDQ $3, CX
	JZ   v2m_t1e
v2m_t1r:
	LD2M((BX), Y12, Y13)
	FMA2((SI), Y0, Y1)
	ADDQ R9, SI
	ADDQ R10, BX
	DECQ CX
	JNZ  v2m_t1r
v2m_t1e:
	VADDPS Y2, Y0, Y0
	VADDPS Y6, Y4, Y4
	VADDPS Y4, Y0, Y0
	VADDPS Y3, Y1, Y1
	VADDPS Y7, Y5, Y5
	VADDPS Y5, Y1, Y1
	MOVQ flags+152(FP), CX
	TESTQ $const_gemmAcc, CX
	JZ   v2m_t1s
	LD2M((DX), Y12, Y13)
	VADDPS Y12, Y0, Y0
	VADDPS Y13, Y1, Y1
v2m_t1s:
	TESTQ $const_gemmTanh, CX
	JZ   v2m_t1st
	TANH_AVX2(Y0, Y12, Y13, Y14, Y15)
	TANH_AVX2(Y1, Y12, Y13, Y14, Y15)
	MASK15
v2m_t1st:
	TESTQ $const_gemmSpill, flags+152(FP)
	JZ   v2m_t1sm
	SPILLEND(64, DI)
	CMPQ DX, DI
	JHI  v2m_t1sm
	ST2F((DX), Y0, Y1)
	JMP  v2m_t1n
v2m_t1sm:
	ST2M((DX), Y0, Y1)
v2m_t1n:
	ADDQ R8, R13
	ADDQ R11, DX
	DECQ R12
	JMP  v2m_t1

v1f:
v1f_t6:
	CMPQ R12, $6
	JLT  v1f_t1
	TESTQ $const_gemmBias, flags+152(FP)
	JZ   v1f_t6z
	LD1F((R14), Y12, Y13)
	VMOVAPS Y12, Y0
	VMOVAPS Y12, Y2
	VMOVAPS Y12, Y4
	VMOVAPS Y12, Y6
	VMOVAPS Y12, Y8
	VMOVAPS Y12, Y10
	JMP  v1f_t6i
v1f_t6z:
	VXORPS Y0, Y0, Y0
	VXORPS Y2, Y2, Y2
	VXORPS Y4, Y4, Y4
	VXORPS Y6, Y6, Y6
	VXORPS Y8, Y8, Y8
	VXORPS Y10, Y10, Y10
v1f_t6i:
	MOVQ R13, SI
	LEAQ (SI)(R8*2), DI
	ADDQ R8, DI
	MOVQ b_base+72(FP), BX
	MOVQ k+136(FP), CX
	TESTQ CX, CX
	JZ   v1f_t6e
v1f_t6k:
	LD1F((BX), Y12, Y13)
	FMA1((SI), Y0, Y1)
	FMA1((SI)(R8*1), Y2, Y3)
	FMA1((SI)(R8*2), Y4, Y5)
	FMA1((DI), Y6, Y7)
	FMA1((DI)(R8*1), Y8, Y9)
	FMA1((DI)(R8*2), Y10, Y11)
	ADDQ R9, SI
	ADDQ R9, DI
	ADDQ R10, BX
	DECQ CX
	JNZ  v1f_t6k
v1f_t6e:
	LEAQ (DX)(R11*2), AX
	ADDQ R11, AX
	MOVQ flags+152(FP), CX
	TESTQ $const_gemmAcc, CX
	JZ   v1f_t6s
	LD1F((DX), Y12, Y13)
	VADDPS Y12, Y0, Y0
	LD1F((DX)(R11*1), Y12, Y13)
	VADDPS Y12, Y2, Y2
	LD1F((DX)(R11*2), Y12, Y13)
	VADDPS Y12, Y4, Y4
	LD1F((AX), Y12, Y13)
	VADDPS Y12, Y6, Y6
	LD1F((AX)(R11*1), Y12, Y13)
	VADDPS Y12, Y8, Y8
	LD1F((AX)(R11*2), Y12, Y13)
	VADDPS Y12, Y10, Y10
v1f_t6s:
	TESTQ $const_gemmTanh, CX
	JZ   v1f_t6st
	TANH_AVX2(Y0, Y12, Y13, Y14, Y15)
	TANH_AVX2(Y2, Y12, Y13, Y14, Y15)
	TANH_AVX2(Y4, Y12, Y13, Y14, Y15)
	TANH_AVX2(Y6, Y12, Y13, Y14, Y15)
	TANH_AVX2(Y8, Y12, Y13, Y14, Y15)
	TANH_AVX2(Y10, Y12, Y13, Y14, Y15)
v1f_t6st:
	ST1F((DX), Y0, Y1)
	ST1F((DX)(R11*1), Y2, Y3)
	ST1F((DX)(R11*2), Y4, Y5)
	ST1F((AX), Y6, Y7)
	ST1F((AX)(R11*1), Y8, Y9)
	ST1F((AX)(R11*2), Y10, Y11)
	LEAQ (R13)(R8*2), R13
	LEAQ (R13)(R8*4), R13
	LEAQ (DX)(R11*2), DX
	LEAQ (DX)(R11*4), DX
	SUBQ $6, R12
	JMP  v1f_t6
v1f_t1:
	TESTQ R12, R12
	JZ   done
	VPCMPEQD Y2, Y2, Y2
	VPSLLD $31, Y2, Y2
	VPCMPEQD Y4, Y4, Y4
	VPSLLD $31, Y4, Y4
	VPCMPEQD Y6, Y6, Y6
	VPSLLD $31, Y6, Y6
	TESTQ $const_gemmBias, flags+152(FP)
	JZ   v1f_t1z
	LD1F((R14), Y0, Y1)
	JMP  v1f_t1i
v1f_t1z:
	VXORPS Y0, Y0, Y0
v1f_t1i:
	MOVQ R13, SI
	MOVQ b_base+72(FP), BX
	MOVQ k+136(FP), CX
	SHRQ $2, CX
	JZ   v1f_t1o
v1f_t1k:
	LD1F((BX), Y12, Y13)
	FMA1((SI), Y0, Y1)
	ADDQ R9, SI
	ADDQ R10, BX
	LD1F((BX), Y12, Y13)
	FMA1((SI), Y2, Y3)
	ADDQ R9, SI
	ADDQ R10, BX
	LD1F((BX), Y12, Y13)
	FMA1((SI), Y4, Y5)
	ADDQ R9, SI
	ADDQ R10, BX
	LD1F((BX), Y12, Y13)
	FMA1((SI), Y6, Y7)
	ADDQ R9, SI
	ADDQ R10, BX
	DECQ CX
	JNZ  v1f_t1k
v1f_t1o:
	MOVQ k+136(FP), CX
	ANDQ $3, CX
	JZ   v1f_t1e
v1f_t1r:
	LD1F((BX), Y12, Y13)
	FMA1((SI), Y0, Y1)
	ADDQ R9, SI
	ADDQ R10, BX
	DECQ CX
	JNZ  v1f_t1r
v1f_t1e:
	VADDPS Y2, Y0, Y0
	VADDPS Y6, Y4, Y4
	VADDPS Y4, Y0, Y0
	MOVQ flags+152(FP), CX
	TESTQ $const_gemmAcc, CX
	JZ   v1f_t1s
	LD1F((DX), Y12, Y13)
	VADDPS Y12, Y0, Y0
v1f_t1s:
	TESTQ $const_gemmTanh, CX
	JZ   v1f_t1st
	TANH_AVX2(Y0, Y12, Y13, Y14, Y15)
v1f_t1st:
	ST1F((DX), Y0, Y1)
	ADDQ R8, R13
	ADDQ R11, DX
	DECQ R12
	JMP  v1f_t1

v1m:
v1m_t6:
	CMPQ R12, $6
	JLT  v1m_t1
	TESTQ $const_gemmBias, flags+152(FP)
	JZ   v1m_t6z
	LD1M((R14), Y12, Y13)
	VMOVAPS Y12, Y0
	VMOVAPS Y12, Y2
	VMOVAPS Y12, Y4
	VMOVAPS Y12, Y6
	VMOVAPS Y12, Y8
	VMOVAPS Y12, Y10
	JMP  v1m_t6i
v1m_t6z:
	VXORPS Y0, Y0, Y0
	VXORPS Y2, Y2, Y2
	VXORPS Y4, Y4, Y4
	VXORPS Y6, Y6, Y6
	VXORPS Y8, Y8, Y8
	VXORPS Y10, Y10, Y10
v1m_t6i:
	MOVQ R13, SI
	LEAQ (SI)(R8*2), DI
	ADDQ R8, DI
	MOVQ b_base+72(FP), BX
	MOVQ k+136(FP), CX
	TESTQ CX, CX
	JZ   v1m_t6e
	TESTQ $const_gemmPadB, flags+152(FP)
	JNZ  v1m_t6kp
v1m_t6k:
	LD1M((BX), Y12, Y13)
	FMA1((SI), Y0, Y1)
	FMA1((SI)(R8*1), Y2, Y3)
	FMA1((SI)(R8*2), Y4, Y5)
	FMA1((DI), Y6, Y7)
	FMA1((DI)(R8*1), Y8, Y9)
	FMA1((DI)(R8*2), Y10, Y11)
	ADDQ R9, SI
	ADDQ R9, DI
	ADDQ R10, BX
	DECQ CX
	JNZ  v1m_t6k
	JMP  v1m_t6e
v1m_t6kp:
	LD1F((BX), Y12, Y13)
	FMA1((SI), Y0, Y1)
	FMA1((SI)(R8*1), Y2, Y3)
	FMA1((SI)(R8*2), Y4, Y5)
	FMA1((DI), Y6, Y7)
	FMA1((DI)(R8*1), Y8, Y9)
	FMA1((DI)(R8*2), Y10, Y11)
	ADDQ R9, SI
	ADDQ R9, DI
	ADDQ R10, BX
	DECQ CX
	JNZ  v1m_t6kp
v1m_t6e:
	LEAQ (DX)(R11*2), AX
	ADDQ R11, AX
	MOVQ flags+152(FP), CX
	TESTQ $const_gemmAcc, CX
	JZ   v1m_t6s
	LD1M((DX), Y12, Y13)
	VADDPS Y12, Y0, Y0
	LD1M((DX)(R11*1), Y12, Y13)
	VADDPS Y12, Y2, Y2
	LD1M((DX)(R11*2), Y12, Y13)
	VADDPS Y12, Y4, Y4
	LD1M((AX), Y12, Y13)
	VADDPS Y12, Y6, Y6
	LD1M((AX)(R11*1), Y12, Y13)
	VADDPS Y12, Y8, Y8
	LD1M((AX)(R11*2), Y12, Y13)
	VADDPS Y12, Y10, Y10
v1m_t6s:
	TESTQ $const_gemmTanh, CX
	JZ   v1m_t6st
	TANH_AVX2(Y0, Y12, Y13, Y14, Y15)
	TANH_AVX2(Y2, Y12, Y13, Y14, Y15)
	TANH_AVX2(Y4, Y12, Y13, Y14, Y15)
	TANH_AVX2(Y6, Y12, Y13, Y14, Y15)
	TANH_AVX2(Y8, Y12, Y13, Y14, Y15)
	TANH_AVX2(Y10, Y12, Y13, Y14, Y15)
	MASK15
v1m_t6st:
	TESTQ $const_gemmSpill, flags+152(FP)
	JZ   v1m_t6sm
	LEAQ (AX)(R11*2), SI
	SPILLEND(32, DI)
	CMPQ SI, DI
	JHI  v1m_t6sm
	ST1F((DX), Y0, Y1)
	ST1F((DX)(R11*1), Y2, Y3)
	ST1F((DX)(R11*2), Y4, Y5)
	ST1F((AX), Y6, Y7)
	ST1F((AX)(R11*1), Y8, Y9)
	ST1F((AX)(R11*2), Y10, Y11)
	JMP  v1m_t6n
v1m_t6sm:
	ST1M((DX), Y0, Y1)
	ST1M((DX)(R11*1), Y2, Y3)
	ST1M((DX)(R11*2), Y4, Y5)
	ST1M((AX), Y6, Y7)
	ST1M((AX)(R11*1), Y8, Y9)
	ST1M((AX)(R11*2), Y10, Y11)
v1m_t6n:
	LEAQ (R13)(R8*2), R13
	LEAQ (R13)(R8*4), R13
	LEAQ (DX)(R11*2), DX
	LEAQ (DX)(R11*4), DX
	SUBQ $6, R12
	JMP  v1m_t6
v1m_t1:
	TESTQ R12, R12
	JZ   done
	VPCMPEQD Y2, Y2, Y2
	VPSLLD $31, Y2, Y2
	VPCMPEQD Y4, Y4, Y4
	VPSLLD $31, Y4, Y4
	VPCMPEQD Y6, Y6, Y6
	VPSLLD $31, Y6, Y6
	TESTQ $const_gemmBias, flags+152(FP)
	JZ   v1m_t1z
	LD1M((R14), Y0, Y1)
	JMP  v1m_t1i
v1m_t1z:
	VXORPS Y0, Y0, Y0
v1m_t1i:
	MOVQ R13, SI
	MOVQ b_base+72(FP), BX
	MOVQ k+136(FP), CX
	SHRQ $2, CX
	JZ   v1m_t1o
v1m_t1k:
	LD1M((BX), Y12, Y13)
	FMA1((SI), Y0, Y1)
	ADDQ R9, SI
	ADDQ R10, BX
	LD1M((BX), Y12, Y13)
	FMA1((SI), Y2, Y3)
	ADDQ R9, SI
	ADDQ R10, BX
	LD1M((BX), Y12, Y13)
	FMA1((SI), Y4, Y5)
	ADDQ R9, SI
	ADDQ R10, BX
	LD1M((BX), Y12, Y13)
	FMA1((SI), Y6, Y7)
	ADDQ R9, SI
	ADDQ R10, BX
	DECQ CX
	JNZ  v1m_t1k
v1m_t1o:
	MOVQ k+136(FP), CX
	ANDQ $3, CX
	JZ   v1m_t1e
v1m_t1r:
	LD1M((BX), Y12, Y13)
	FMA1((SI), Y0, Y1)
	ADDQ R9, SI
	ADDQ R10, BX
	DECQ CX
	JNZ  v1m_t1r
v1m_t1e:
	VADDPS Y2, Y0, Y0
	VADDPS Y6, Y4, Y4
	VADDPS Y4, Y0, Y0
	MOVQ flags+152(FP), CX
	TESTQ $const_gemmAcc, CX
	JZ   v1m_t1s
	LD1M((DX), Y12, Y13)
	VADDPS Y12, Y0, Y0
v1m_t1s:
	TESTQ $const_gemmTanh, CX
	JZ   v1m_t1st
	TANH_AVX2(Y0, Y12, Y13, Y14, Y15)
	MASK15
v1m_t1st:
	TESTQ $const_gemmSpill, flags+152(FP)
	JZ   v1m_t1sm
	SPILLEND(32, DI)
	CMPQ DX, DI
	JHI  v1m_t1sm
	ST1F((DX), Y0, Y1)
	JMP  v1m_t1n
v1m_t1sm:
	ST1M((DX), Y0, Y1)
v1m_t1n:
	ADDQ R8, R13
	ADDQ R11, DX
	DECQ R12
	JMP  v1m_t1

done:
	VZEROUPPER
	RET
