//go:build !purego

#include "textflag.h"
#include "asm_amd64.h"
#include "vecmath_avx512_amd64.h"

// DOT(o, z): output o of the block takes a chunk step: z += w row o's
// chunk (at AX, masked by K1) times the x chunk in Z16; the block ends
// after its DX-th output, else AX steps to the next row of w.
#define DOT(o, z) \
	VFMADD231PS (AX), Z16, K1, z; \
	CMPQ        DX, $o;           \
	JLE         chunkend;         \
	ADDQ        R11, AX

// PAIR(a, b): the lanes of a and b folded in half within each 128-bit
// block, into a: a's sums at lanes 0 and 2, b's at 1 and 3.
#define PAIR(a, b) \
	VUNPCKLPS b, a, Z16; \
	VUNPCKHPS b, a, Z17; \
	VADDPS    Z17, Z16, a

// QUAD(a, b): two PAIR results folded again, into a: the sums of the
// 128-bit block for a's two outputs at lanes 0 and 1, b's at 2 and 3.
#define QUAD(a, b) \
	VUNPCKLPD b, a, Z16; \
	VUNPCKHPD b, a, Z17; \
	VADDPS    Z17, Z16, a

// func linearDotAVX512(dst, x, w, b []float32, rows, in, out, flags int)
//
// Registers: Z0-Z15 the block's sums (lane by lane), Z16 the x chunk,
// Z16-Z20 scratch of the fold and the tanh; SI the row of x, DI of dst, R8
// w, R9 b, R10 rows left, R11 in·4 (w's row stride), R12 out, R13 the
// block's first output, DX its size, BX its first row of w, R14 the
// chunk's offset in bytes, AX the row of w at hand, CX mask counts.
TEXT ·linearDotAVX512(SB), NOSPLIT, $0-128
	MOVQ dst_base+0(FP), DI
	MOVQ x_base+24(FP), SI
	MOVQ w_base+48(FP), R8
	MOVQ b_base+72(FP), R9
	MOVQ rows+96(FP), R10
	MOVQ in+104(FP), R11
	MOVQ out+112(FP), R12
	SHLQ $2, R11
	TESTQ R10, R10
	JZ   done

row:
	XORQ R13, R13

block:
	// DX = min(16, out − R13); BX = w's row R13.
	MOVQ    R12, DX
	SUBQ    R13, DX
	MOVQ    $16, AX
	CMPQ    DX, AX
	CMOVQGT AX, DX
	MOVQ    R13, BX
	IMULQ   R11, BX
	ADDQ    R8, BX
	VPXORD  Z0, Z0, Z0
	VPXORD  Z1, Z1, Z1
	VPXORD  Z2, Z2, Z2
	VPXORD  Z3, Z3, Z3
	VPXORD  Z4, Z4, Z4
	VPXORD  Z5, Z5, Z5
	VPXORD  Z6, Z6, Z6
	VPXORD  Z7, Z7, Z7
	VPXORD  Z8, Z8, Z8
	VPXORD  Z9, Z9, Z9
	VPXORD  Z10, Z10, Z10
	VPXORD  Z11, Z11, Z11
	VPXORD  Z12, Z12, Z12
	VPXORD  Z13, Z13, Z13
	VPXORD  Z14, Z14, Z14
	VPXORD  Z15, Z15, Z15
	XORQ    R14, R14

chunk:
	// K1: the chunk's min(16, in − R14/4) inputs.
	MOVQ   R11, CX
	SUBQ   R14, CX
	SHRQ   $2, CX
	CMPQ   CX, $16
	JGE    fullchunk
	TAIL_K(CX, AX, K1)
	JMP    loadx

fullchunk:
	KXNORW K1, K1, K1

loadx:
	VMOVUPS.Z (SI)(R14*1), K1, Z16
	LEAQ      (BX)(R14*1), AX
	DOT(1, Z0)
	DOT(2, Z1)
	DOT(3, Z2)
	DOT(4, Z3)
	DOT(5, Z4)
	DOT(6, Z5)
	DOT(7, Z6)
	DOT(8, Z7)
	DOT(9, Z8)
	DOT(10, Z9)
	DOT(11, Z10)
	DOT(12, Z11)
	DOT(13, Z12)
	DOT(14, Z13)
	DOT(15, Z14)
	VFMADD231PS (AX), Z16, K1, Z15

chunkend:
	ADDQ $64, R14
	CMPQ R14, R11
	JLT  chunk

	// Fold the sixteen sums into Z0, lane o holding output o's: pairs and
	// quads within 128-bit blocks, then the four blocks of each quad of
	// outputs added across (VSHUFF32X4 gathers the blocks to add).
	PAIR(Z0, Z1)
	PAIR(Z2, Z3)
	PAIR(Z4, Z5)
	PAIR(Z6, Z7)
	PAIR(Z8, Z9)
	PAIR(Z10, Z11)
	PAIR(Z12, Z13)
	PAIR(Z14, Z15)
	QUAD(Z0, Z2)
	QUAD(Z4, Z6)
	QUAD(Z8, Z10)
	QUAD(Z12, Z14)
	VSHUFF32X4 $0x44, Z4, Z0, Z16
	VSHUFF32X4 $0xee, Z4, Z0, Z17
	VADDPS     Z17, Z16, Z0
	VSHUFF32X4 $0x44, Z12, Z8, Z16
	VSHUFF32X4 $0xee, Z12, Z8, Z17
	VADDPS     Z17, Z16, Z8
	VSHUFF32X4 $0x88, Z8, Z0, Z16
	VSHUFF32X4 $0xdd, Z8, Z0, Z17
	VADDPS     Z17, Z16, Z0

	// K2: the block's DX outputs; then the bias, the tanh, the store.
	CMPQ   DX, $16
	JGE    fullblock
	MOVQ   DX, CX
	TAIL_K(CX, AX, K2)
	JMP    epilogue

fullblock:
	KXNORW K2, K2, K2

epilogue:
	MOVQ  flags+120(FP), AX
	TESTQ $const_gemmBias, AX
	JZ    nobias
	VADDPS (R9)(R13*4), Z0, K2, Z0

nobias:
	TESTQ $const_gemmTanh, AX
	JZ    store
	TANH_AVX512(Z0, Z17, Z18, Z19, Z20)

store:
	VMOVUPS Z0, K2, (DI)(R13*4)
	ADDQ    $16, R13
	CMPQ    R13, R12
	JLT     block

	ADDQ R11, SI
	LEAQ (DI)(R12*4), DI
	DECQ R10
	JNZ  row

done:
	VZEROUPPER
	RET
