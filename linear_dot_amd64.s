//go:build !purego

#include "textflag.h"
#include "asm_amd64.h"
#include "vecmath_amd64.h"

// DOTF(o, z): output o of the block takes a whole chunk step: z += w row
// o's chunk (at AX) times the x chunk in Y8; the block ends after its
// DX-th output, else AX steps to the next row of w.
#define DOTF(o, z) \
	VFMADD231PS (AX), Y8, z; \
	CMPQ        DX, $o;      \
	JLE         chunkend;    \
	ADDQ        R11, AX

// DOTM(o, z): DOTF for the last, partial chunk: w's row loaded under the
// chunk's mask (Y9), the lanes past the row zero; after the block's last
// output the sums go to the fold.
#define DOTM(o, z) \
	VMASKMOVPS  (AX), Y9, Y10; \
	VFMADD231PS Y10, Y8, z;    \
	CMPQ        DX, $o;        \
	JLE         fold;          \
	ADDQ        R11, AX

// func linearDotAVX2(dst, x, w, b []float32, rows, in, out, flags int)
//
// Registers: Y0-Y7 the block's sums (lane by lane), Y8 the x chunk, Y9 the
// partial chunk's mask, Y10 a masked row of w, Y8-Y13 scratch of the fold
// and the epilogue, Y15 the block's output mask; SI the row of x, DI of
// dst, R8 w, R9 the end of the whole chunks (in·4 rounded down to 32),
// R10 rows left, R11 in·4 (w's row stride), R12 out, R13 the block's first
// output, DX its size, BX its first row of w, R14 the chunk's offset in
// bytes, AX the row of w at hand, CX mask counts and b.
TEXT ·linearDotAVX2(SB), NOSPLIT, $0-128
	MOVQ  dst_base+0(FP), DI
	MOVQ  x_base+24(FP), SI
	MOVQ  w_base+48(FP), R8
	MOVQ  rows+96(FP), R10
	MOVQ  in+104(FP), R11
	MOVQ  out+112(FP), R12
	SHLQ  $2, R11
	MOVQ  R11, R9
	ANDQ  $-32, R9
	TESTQ R10, R10
	JZ    done

row:
	XORQ R13, R13

block:
	// DX = min(8, out − R13); BX = w's row R13.
	MOVQ    R12, DX
	SUBQ    R13, DX
	MOVQ    $8, AX
	CMPQ    DX, AX
	CMOVQGT AX, DX
	MOVQ    R13, BX
	IMULQ   R11, BX
	ADDQ    R8, BX
	VXORPS  Y0, Y0, Y0
	VXORPS  Y1, Y1, Y1
	VXORPS  Y2, Y2, Y2
	VXORPS  Y3, Y3, Y3
	VXORPS  Y4, Y4, Y4
	VXORPS  Y5, Y5, Y5
	VXORPS  Y6, Y6, Y6
	VXORPS  Y7, Y7, Y7
	XORQ    R14, R14
	CMPQ    R14, R9
	JGE     partial

whole:
	VMOVUPS (SI)(R14*1), Y8
	LEAQ    (BX)(R14*1), AX
	DOTF(1, Y0)
	DOTF(2, Y1)
	DOTF(3, Y2)
	DOTF(4, Y3)
	DOTF(5, Y4)
	DOTF(6, Y5)
	DOTF(7, Y6)
	VFMADD231PS (AX), Y8, Y7

chunkend:
	ADDQ $32, R14
	CMPQ R14, R9
	JLT  whole

partial:
	// The last in%8 inputs, if any, under a mask; then the fold.
	CMPQ R14, R11
	JGE  fold
	MOVQ R11, CX
	SUBQ R14, CX
	SHRQ $2, CX
	TAIL_MASK(CX, AX, Y9)
	VMASKMOVPS (SI)(R14*1), Y9, Y8
	LEAQ       (BX)(R14*1), AX
	DOTM(1, Y0)
	DOTM(2, Y1)
	DOTM(3, Y2)
	DOTM(4, Y3)
	DOTM(5, Y4)
	DOTM(6, Y5)
	DOTM(7, Y6)
	VMASKMOVPS  (AX), Y9, Y10
	VFMADD231PS Y10, Y8, Y7

fold:
	// Fold the eight sums into Y0, lane o holding output o's: two rounds
	// of pairwise adds within 128-bit halves (VHADDPS), then the halves
	// added across.
	VHADDPS    Y1, Y0, Y0
	VHADDPS    Y3, Y2, Y2
	VHADDPS    Y5, Y4, Y4
	VHADDPS    Y7, Y6, Y6
	VHADDPS    Y2, Y0, Y0
	VHADDPS    Y6, Y4, Y4
	VPERM2F128 $0x20, Y4, Y0, Y8
	VPERM2F128 $0x31, Y4, Y0, Y9
	VADDPS     Y9, Y8, Y0

	// Y15: the block's DX outputs (all ones for 8); then the bias, the
	// tanh, the store.
	VPCMPEQD Y15, Y15, Y15
	CMPQ     DX, $8
	JGE      epilogue
	MOVQ     DX, CX
	TAIL_MASK(CX, AX, Y15)

epilogue:
	MOVQ  flags+120(FP), AX
	TESTQ $const_gemmBias, AX
	JZ    nobias
	MOVQ       b_base+72(FP), CX
	VMASKMOVPS (CX)(R13*4), Y15, Y8
	VADDPS     Y8, Y0, Y0

nobias:
	TESTQ $const_gemmTanh, AX
	JZ    store
	TANH_AVX2(Y0, Y10, Y11, Y12, Y13)

store:
	VMASKMOVPS Y0, Y15, (DI)(R13*4)
	ADDQ       $8, R13
	CMPQ       R13, R12
	JLT        block

	ADDQ R11, SI
	LEAQ (DI)(R12*4), DI
	DECQ R10
	JNZ  row

done:
	VZEROUPPER
	RET
