//go:build !purego

#include "textflag.h"

#define gemmBias 1
#define gemmTanh 4

// func gradBiasAVX2(db, dz, dh, h []float32, rows, out, flags int)
// Requires: AVX, AVX2, FMA
//
// 8 columns at a time (the last chunk masked), down every row: dz = dh·(1−h²)
// when flags has gemmTanh, and the column sums of dz added to db when flags
// has gemmBias.
//
// Registers: Y0 column sums, Y1-Y3 temporaries, Y14 1.0, Y15 column mask;
// BX byte offset of the chunk, CX rows left, AX/SI/DI dz/dh/h at the row,
// R8 db, R10 rows, R11 row stride in bytes, R12 flags, R13 columns left.
TEXT ·gradBiasAVX2(SB), NOSPLIT, $0-120
	MOVQ  db_base+0(FP), R8
	MOVQ  rows+96(FP), R10
	MOVQ  out+104(FP), R13
	MOVQ  R13, R11
	SHLQ  $2, R11
	MOVQ  flags+112(FP), R12
	MOVL  $0x3f800000, AX
	VMOVD AX, X14
	VBROADCASTSS X14, Y14
	XORQ  BX, BX

chunk:
	CMPQ R13, $8
	JLT  tail
	VXORPS Y0, Y0, Y0
	MOVQ dz_base+24(FP), AX
	MOVQ dh_base+48(FP), SI
	MOVQ h_base+72(FP), DI
	ADDQ BX, AX
	ADDQ BX, SI
	ADDQ BX, DI
	MOVQ R10, CX
	TESTQ $gemmTanh, R12
	JZ   sumrow

tanhrow:
	TESTQ CX, CX
	JZ    chunkend
	VMOVUPS (SI), Y1
	VMOVUPS (DI), Y2
	VMOVAPS Y14, Y3
	VFNMADD231PS Y2, Y2, Y3
	VMULPS  Y3, Y1, Y1
	VMOVUPS Y1, (AX)
	VADDPS  Y1, Y0, Y0
	ADDQ R11, AX
	ADDQ R11, SI
	ADDQ R11, DI
	DECQ CX
	JMP  tanhrow

sumrow:
	TESTQ CX, CX
	JZ    chunkend
	VADDPS (AX), Y0, Y0
	ADDQ R11, AX
	DECQ CX
	JMP  sumrow

chunkend:
	TESTQ $gemmBias, R12
	JZ    next
	VADDPS  (R8)(BX*1), Y0, Y0
	VMOVUPS Y0, (R8)(BX*1)

next:
	ADDQ $32, BX
	SUBQ $8, R13
	JMP  chunk

tail:
	TESTQ R13, R13
	JZ    done
	LEAQ  gradMask<>(SB), AX
	NEGQ  R13
	ADDQ  $8, R13
	VMOVUPS (AX)(R13*4), Y15
	VXORPS Y0, Y0, Y0
	MOVQ dz_base+24(FP), AX
	MOVQ dh_base+48(FP), SI
	MOVQ h_base+72(FP), DI
	ADDQ BX, AX
	ADDQ BX, SI
	ADDQ BX, DI
	MOVQ R10, CX
	TESTQ $gemmTanh, R12
	JZ   tsumrow

ttanhrow:
	TESTQ CX, CX
	JZ    tailend
	VMASKMOVPS (SI), Y15, Y1
	VMASKMOVPS (DI), Y15, Y2
	VMOVAPS Y14, Y3
	VFNMADD231PS Y2, Y2, Y3
	VMULPS  Y3, Y1, Y1
	VMASKMOVPS Y1, Y15, (AX)
	VADDPS  Y1, Y0, Y0
	ADDQ R11, AX
	ADDQ R11, SI
	ADDQ R11, DI
	DECQ CX
	JMP  ttanhrow

tsumrow:
	TESTQ CX, CX
	JZ    tailend
	VMASKMOVPS (AX), Y15, Y1
	VADDPS Y1, Y0, Y0
	ADDQ R11, AX
	DECQ CX
	JMP  tsumrow

tailend:
	TESTQ $gemmBias, R12
	JZ    done
	VMASKMOVPS (R8)(BX*1), Y15, Y1
	VADDPS  Y1, Y0, Y0
	VMASKMOVPS Y0, Y15, (R8)(BX*1)

done:
	VZEROUPPER
	RET

// gradMask<>+4*(8-c) holds a mask whose first c lanes are set.
DATA gradMask<>+0(SB)/4, $0xffffffff
DATA gradMask<>+4(SB)/4, $0xffffffff
DATA gradMask<>+8(SB)/4, $0xffffffff
DATA gradMask<>+12(SB)/4, $0xffffffff
DATA gradMask<>+16(SB)/4, $0xffffffff
DATA gradMask<>+20(SB)/4, $0xffffffff
DATA gradMask<>+24(SB)/4, $0xffffffff
DATA gradMask<>+28(SB)/4, $0xffffffff
DATA gradMask<>+32(SB)/4, $0
DATA gradMask<>+36(SB)/4, $0
DATA gradMask<>+40(SB)/4, $0
DATA gradMask<>+44(SB)/4, $0
DATA gradMask<>+48(SB)/4, $0
DATA gradMask<>+52(SB)/4, $0
DATA gradMask<>+56(SB)/4, $0
DATA gradMask<>+60(SB)/4, $0
GLOBL gradMask<>(SB), RODATA|NOPTR, $64
