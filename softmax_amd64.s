//go:build !purego

#include "textflag.h"
#include "asm_amd64.h"
#include "vecmath_amd64.h"

// func softmaxRowsAVX2(dst, x []float32, rows, cols int, log bool)
// Requires: AVX, AVX2, FMA
// For each row: m = max (NaN-aware), then, if m is finite, e = e^(x−m) and
// s = Σe; Softmax: dst = e·(1/s); LogSoftmax: dst = (x − m) − log s. A row
// with NaN, +Inf or only −Inf is set to NaN. Rows are cols floats apart;
// cols%8 tail elements go through masked loads, and are stored by
// tailstore with plain stores of 4, 2 and 1 floats that stay within the
// row: a masked store spans 32 bytes whatever its mask, and in place the
// next row's first load, which overlaps those bytes, would wait until the
// store reached the cache (about 4× slower for rows narrower than 8).
// Register map: SI x row, DI dst row, R8 rows left, R9 cols, R10 log flag,
// R11 cols%8, R12 cols rounded down to 8, CX element index, AX scratch;
// Y0–Y3 values and EXP/LOG scratch, Y4 loads, Y5 NaN flags, Y6 the e^(x−m)
// of the tail (kept in a register, not stored and reloaded), Y10 sum,
// Y12 m, Y13 1/s or log s, Y14 −Inf, Y15 tail mask.
TEXT ·softmaxRowsAVX2(SB), NOSPLIT, $0-65
	MOVQ    dst_base+0(FP), DI
	MOVQ    x_base+24(FP), SI
	MOVQ    rows+48(FP), R8
	MOVQ    cols+56(FP), R9
	MOVBQZX log+64(FP), R10
	MOVQ    R9, R11
	ANDQ    $7, R11
	MOVQ    R9, R12
	SUBQ    R11, R12
	LEAQ    ·vmTailMask(SB), AX
	MOVQ    R11, CX
	NEGQ    CX
	VMOVDQU 32(AX)(CX*4), Y15
	VMOVUPS ·vmNegInf(SB), Y14

row:
	TESTQ R8, R8
	JZ    done

	// Pass 1: maximum and NaN flags.
	VMOVUPS Y14, Y0
	VXORPS  Y5, Y5, Y5
	XORQ    CX, CX

max8:
	CMPQ    CX, R12
	JAE     maxtail
	VMOVUPS (SI)(CX*4), Y4
	VMAXPS  Y4, Y0, Y0
	VCMPPS  $3, Y4, Y4, Y4
	VORPS   Y4, Y5, Y5
	ADDQ    $8, CX
	JMP     max8

maxtail:
	TESTQ      R11, R11
	JZ         maxreduce
	VMASKMOVPS (SI)(CX*4), Y15, Y4
	VBLENDVPS  Y15, Y4, Y14, Y4
	VMAXPS     Y4, Y0, Y0
	VCMPPS     $3, Y4, Y4, Y4
	VORPS      Y4, Y5, Y5

maxreduce:
	VMOVMSKPS    Y5, AX
	TESTL        AX, AX
	JNZ          nanrow
	VEXTRACTF128 $1, Y0, X1
	VMAXPS       X1, X0, X0
	VPERMILPS    $0x4e, X0, X1
	VMAXPS       X1, X0, X0
	VPERMILPS    $0xb1, X0, X1
	VMAXPS       X1, X0, X0
	VBROADCASTSS X0, Y12
	VANDPS       ·vmAbsMask(SB), X0, X1
	VUCOMISS     ·vmPosInf(SB), X1
	JAE          nanrow

	// Pass 2: e = e^(x−m), stored for Softmax, summed.
	VXORPS Y10, Y10, Y10
	XORQ   CX, CX

exp8:
	CMPQ    CX, R12
	JAE     exptail
	VMOVUPS (SI)(CX*4), Y0
	VSUBPS  Y12, Y0, Y0
	EXP_AVX2(Y0, Y1, Y2, Y3)
	VADDPS  Y0, Y10, Y10
	TESTQ   R10, R10
	JNZ     exp8next
	VMOVUPS Y0, (DI)(CX*4)

exp8next:
	ADDQ $8, CX
	JMP  exp8

exptail:
	TESTQ      R11, R11
	JZ         sumreduce
	VMASKMOVPS (SI)(CX*4), Y15, Y0
	VSUBPS     Y12, Y0, Y0
	EXP_AVX2(Y0, Y1, Y2, Y3)
	VANDPS     Y15, Y0, Y6
	VADDPS     Y6, Y10, Y10

sumreduce:
	VEXTRACTF128 $1, Y10, X1
	VADDPS       X1, X10, X0
	VPERMILPS    $0x4e, X0, X1
	VADDPS       X1, X0, X0
	VPERMILPS    $0xb1, X0, X1
	VADDPS       X1, X0, X0
	VBROADCASTSS X0, Y13
	TESTQ        R10, R10
	JNZ          logrow

	// Pass 3, Softmax: dst *= 1/s.
	VMOVUPS ·vmOne(SB), Y0
	VDIVPS  Y13, Y0, Y13
	XORQ    CX, CX

scale8:
	CMPQ    CX, R12
	JAE     scaletail
	VMULPS  (DI)(CX*4), Y13, Y0
	VMOVUPS Y0, (DI)(CX*4)
	ADDQ    $8, CX
	JMP     scale8

scaletail:
	TESTQ  R11, R11
	JZ     nextrow
	VMULPS Y6, Y13, Y0
	JMP    tailstore

	// Pass 3, LogSoftmax: dst = (x − m) − log s.
logrow:
	LOG_AVX2(Y13, Y0, Y1, Y2)
	XORQ CX, CX

sub8:
	CMPQ    CX, R12
	JAE     subtail
	VMOVUPS (SI)(CX*4), Y0
	VSUBPS  Y12, Y0, Y0
	VSUBPS  Y13, Y0, Y0
	VMOVUPS Y0, (DI)(CX*4)
	ADDQ    $8, CX
	JMP     sub8

subtail:
	TESTQ      R11, R11
	JZ         nextrow
	VMASKMOVPS (SI)(CX*4), Y15, Y0
	VSUBPS     Y12, Y0, Y0
	VSUBPS     Y13, Y0, Y0
	JMP        tailstore

nanrow:
	VMOVUPS ·vmQNaN(SB), Y0
	XORQ    CX, CX

nan8:
	CMPQ    CX, R12
	JAE     nantail
	VMOVUPS Y0, (DI)(CX*4)
	ADDQ    $8, CX
	JMP     nan8

nantail:
	TESTQ R11, R11
	JZ    nextrow

	// The first R11 lanes of Y0 to the row's tail, (DI)(R12*4).
tailstore:
	LEAQ         (DI)(R12*4), AX
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
