//go:build !purego

#include "textflag.h"
#include "asm_amd64.h"
#include "vecmath_amd64.h"

// DZ8 forms 8 lanes of dz = dh·(1−h²) at byte offset off (Y14 holds 1.0).
#define DZ8(off, t0, t1) \
	VMOVUPS      off(DI), t1; \
	VMOVAPS      Y14, t0; \
	VFNMADD231PS t1, t1, t0; \
	VMULPS       off(SI), t0, t0; \
	VMOVUPS      t0, off(AX)

// func gradBiasAVX2(db, dz, dh, h []float32, rows, out, flags int)
// Requires: AVX, AVX2, FMA
//
// The contract is gradBiasAVX2's declaration in linear_amd64.go. With
// gemmTanh, one pass over the rows·out contiguous elements forms dz (32
// lanes an iteration, then 8, then a masked tail). With gemmBias, the
// column sums of dz are added to db: for 8 < out ≤ 32, whole
// rows (up to four vectors, the last running into the next row but for the
// last row) two at a time in one pass; otherwise 32 columns at a time with
// four sums in registers while the rows go by, then 8 columns (the last
// chunk masked).
//
// Registers: Y0, Y4-Y6 column sums (Y0-Y7 for whole rows), Y1-Y3 (Y8)
// temporaries, Y14 1.0, Y15 mask;
// AX/SI/DI dz/dh/h, BX byte offset of the column chunk, CX count, R8 db,
// R10 rows, R11 row stride in bytes, R12 flags, R13 columns left.
TEXT ·gradBiasAVX2(SB), NOSPLIT, $0-120
	MOVQ  rows+96(FP), R10
	MOVQ  out+104(FP), R13
	MOVQ  flags+112(FP), R12
	TESTQ $const_gemmTanh, R12
	JZ    sums

	MOVL  $0x3f800000, AX
	VMOVD AX, X14
	VBROADCASTSS X14, Y14
	MOVQ  dz_base+24(FP), AX
	MOVQ  dh_base+48(FP), SI
	MOVQ  h_base+72(FP), DI
	MOVQ  R10, CX
	IMULQ R13, CX

dz32:
	CMPQ CX, $32
	JLT  dz8
	DZ8(0, Y0, Y1)
	DZ8(32, Y2, Y3)
	DZ8(64, Y4, Y5)
	DZ8(96, Y6, Y7)
	ADDQ $128, AX
	ADDQ $128, SI
	ADDQ $128, DI
	SUBQ $32, CX
	JMP  dz32

dz8:
	CMPQ CX, $8
	JLT  dztail
	DZ8(0, Y0, Y1)
	ADDQ $32, AX
	ADDQ $32, SI
	ADDQ $32, DI
	SUBQ $8, CX
	JMP  dz8

dztail:
	TESTQ CX, CX
	JZ    sums
	LEAQ  ·vmTailMask(SB), BX
	NEGQ  CX
	ADDQ  $8, CX
	VMOVUPS (BX)(CX*4), Y15
	VMASKMOVPS (DI), Y15, Y1
	VMASKMOVPS (SI), Y15, Y2
	VMOVAPS Y14, Y0
	VFNMADD231PS Y1, Y1, Y0
	VMULPS  Y2, Y0, Y0
	VMASKMOVPS Y0, Y15, (AX)

sums:
	TESTQ $const_gemmBias, R12
	JZ    done
	MOVQ  db_base+0(FP), R8
	MOVQ  R13, R11
	SHLQ  $2, R11
	XORQ  BX, BX
	CMPQ  R13, $8
	JLE   block
	CMPQ  R13, $32
	JG    block
	TESTQ R10, R10
	JZ    done

	// 8 < out ≤ 32: whole rows of nv = ⌈out/8⌉ vectors, two rows at a
	// time into two sets of sums. A row's last vector runs into the next
	// row (lanes past out are summed but never stored); the last row's
	// is masked instead.
	LEAQ  ·vmTailMask(SB), AX
	MOVQ  R13, CX
	ANDQ  $7, CX
	NEGQ  CX
	ADDQ  $8, CX
	ANDQ  $7, CX
	VMOVUPS (AX)(CX*4), Y15
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	MOVQ  dz_base+24(FP), AX
	LEAQ  -1(R10), CX
	CMPQ  R13, $16
	JLE   nv2
	CMPQ  R13, $24
	JLE   nv3
	JMP   nv4

nv2:
	SHRQ $1, CX
	JZ   nv2o

nv2pair:
	VADDPS 0(AX), Y0, Y0
	VADDPS 32(AX), Y1, Y1
	VADDPS 0(AX)(R11*1), Y4, Y4
	VADDPS 32(AX)(R11*1), Y5, Y5
	LEAQ (AX)(R11*2), AX
	DECQ CX
	JNZ  nv2pair

nv2o:
	MOVQ R10, CX
	SUBQ $1, CX
	TESTQ $1, CX
	JZ   nv2last
	VADDPS 0(AX), Y0, Y0
	VADDPS 32(AX), Y1, Y1
	ADDQ R11, AX

nv2last:
	VADDPS 0(AX), Y4, Y4
	VMASKMOVPS 32(AX), Y15, Y8
	VADDPS Y8, Y5, Y5
	VADDPS Y4, Y0, Y0
	VADDPS Y5, Y1, Y1
	VADDPS 0(R8), Y0, Y0
	VMOVUPS Y0, 0(R8)
	VMASKMOVPS 32(R8), Y15, Y8
	VADDPS Y8, Y1, Y1
	VMASKMOVPS Y1, Y15, 32(R8)
	JMP  done

nv3:
	SHRQ $1, CX
	JZ   nv3o

nv3pair:
	VADDPS 0(AX), Y0, Y0
	VADDPS 32(AX), Y1, Y1
	VADDPS 64(AX), Y2, Y2
	VADDPS 0(AX)(R11*1), Y4, Y4
	VADDPS 32(AX)(R11*1), Y5, Y5
	VADDPS 64(AX)(R11*1), Y6, Y6
	LEAQ (AX)(R11*2), AX
	DECQ CX
	JNZ  nv3pair

nv3o:
	MOVQ R10, CX
	SUBQ $1, CX
	TESTQ $1, CX
	JZ   nv3last
	VADDPS 0(AX), Y0, Y0
	VADDPS 32(AX), Y1, Y1
	VADDPS 64(AX), Y2, Y2
	ADDQ R11, AX

nv3last:
	VADDPS 0(AX), Y4, Y4
	VADDPS 32(AX), Y5, Y5
	VMASKMOVPS 64(AX), Y15, Y8
	VADDPS Y8, Y6, Y6
	VADDPS Y4, Y0, Y0
	VADDPS Y5, Y1, Y1
	VADDPS Y6, Y2, Y2
	VADDPS 0(R8), Y0, Y0
	VMOVUPS Y0, 0(R8)
	VADDPS 32(R8), Y1, Y1
	VMOVUPS Y1, 32(R8)
	VMASKMOVPS 64(R8), Y15, Y8
	VADDPS Y8, Y2, Y2
	VMASKMOVPS Y2, Y15, 64(R8)
	JMP  done

nv4:
	SHRQ $1, CX
	JZ   nv4o

nv4pair:
	VADDPS 0(AX), Y0, Y0
	VADDPS 32(AX), Y1, Y1
	VADDPS 64(AX), Y2, Y2
	VADDPS 96(AX), Y3, Y3
	VADDPS 0(AX)(R11*1), Y4, Y4
	VADDPS 32(AX)(R11*1), Y5, Y5
	VADDPS 64(AX)(R11*1), Y6, Y6
	VADDPS 96(AX)(R11*1), Y7, Y7
	LEAQ (AX)(R11*2), AX
	DECQ CX
	JNZ  nv4pair

nv4o:
	MOVQ R10, CX
	SUBQ $1, CX
	TESTQ $1, CX
	JZ   nv4last
	VADDPS 0(AX), Y0, Y0
	VADDPS 32(AX), Y1, Y1
	VADDPS 64(AX), Y2, Y2
	VADDPS 96(AX), Y3, Y3
	ADDQ R11, AX

nv4last:
	VADDPS 0(AX), Y4, Y4
	VADDPS 32(AX), Y5, Y5
	VADDPS 64(AX), Y6, Y6
	VMASKMOVPS 96(AX), Y15, Y8
	VADDPS Y8, Y7, Y7
	VADDPS Y4, Y0, Y0
	VADDPS Y5, Y1, Y1
	VADDPS Y6, Y2, Y2
	VADDPS Y7, Y3, Y3
	VADDPS 0(R8), Y0, Y0
	VMOVUPS Y0, 0(R8)
	VADDPS 32(R8), Y1, Y1
	VMOVUPS Y1, 32(R8)
	VADDPS 64(R8), Y2, Y2
	VMOVUPS Y2, 64(R8)
	VMASKMOVPS 96(R8), Y15, Y8
	VADDPS Y8, Y3, Y3
	VMASKMOVPS Y3, Y15, 96(R8)
	JMP  done

block:
	CMPQ R13, $32
	JLT  chunk
	VXORPS Y0, Y0, Y0
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	MOVQ dz_base+24(FP), AX
	ADDQ BX, AX
	MOVQ R10, CX

blockrow:
	TESTQ CX, CX
	JZ    blockend
	VADDPS (AX), Y0, Y0
	VADDPS 32(AX), Y4, Y4
	VADDPS 64(AX), Y5, Y5
	VADDPS 96(AX), Y6, Y6
	ADDQ R11, AX
	DECQ CX
	JMP  blockrow

blockend:
	VADDPS  (R8)(BX*1), Y0, Y0
	VMOVUPS Y0, (R8)(BX*1)
	VADDPS  32(R8)(BX*1), Y4, Y4
	VMOVUPS Y4, 32(R8)(BX*1)
	VADDPS  64(R8)(BX*1), Y5, Y5
	VMOVUPS Y5, 64(R8)(BX*1)
	VADDPS  96(R8)(BX*1), Y6, Y6
	VMOVUPS Y6, 96(R8)(BX*1)
	ADDQ $128, BX
	SUBQ $32, R13
	JMP  block

chunk:
	CMPQ R13, $8
	JLT  tail
	VXORPS Y0, Y0, Y0
	VXORPS Y4, Y4, Y4
	MOVQ dz_base+24(FP), AX
	ADDQ BX, AX
	MOVQ R10, CX
	SHRQ $1, CX
	JZ   chunkodd

chunkrow:
	VADDPS (AX), Y0, Y0
	VADDPS (AX)(R11*1), Y4, Y4
	LEAQ (AX)(R11*2), AX
	DECQ CX
	JNZ  chunkrow

chunkodd:
	TESTQ $1, R10
	JZ    chunkend
	VADDPS (AX), Y0, Y0

chunkend:
	VADDPS  Y4, Y0, Y0
	VADDPS  (R8)(BX*1), Y0, Y0
	VMOVUPS Y0, (R8)(BX*1)
	ADDQ $32, BX
	SUBQ $8, R13
	JMP  chunk

tail:
	TESTQ R13, R13
	JZ    done
	LEAQ  ·vmTailMask(SB), AX
	NEGQ  R13
	ADDQ  $8, R13
	VMOVUPS (AX)(R13*4), Y15
	VXORPS Y0, Y0, Y0
	VXORPS Y4, Y4, Y4
	MOVQ dz_base+24(FP), AX
	ADDQ BX, AX
	MOVQ R10, CX
	SHRQ $1, CX
	JZ   tailodd

tailrow:
	VMASKMOVPS (AX), Y15, Y1
	VMASKMOVPS (AX)(R11*1), Y15, Y2
	VADDPS Y1, Y0, Y0
	VADDPS Y2, Y4, Y4
	LEAQ (AX)(R11*2), AX
	DECQ CX
	JNZ  tailrow

tailodd:
	TESTQ $1, R10
	JZ    tailend
	VMASKMOVPS (AX), Y15, Y1
	VADDPS Y1, Y0, Y0

tailend:
	VADDPS Y4, Y0, Y0
	VMASKMOVPS (R8)(BX*1), Y15, Y1
	VADDPS  Y1, Y0, Y0
	VMASKMOVPS Y0, Y15, (R8)(BX*1)

done:
	VZEROUPPER
	RET

// func packAVX2(p, w []float32, ld, kc, n int)
// Requires: AVX
//
// The contract is packAVX2's declaration in linear_amd64.go: 8×8 blocks
// transposed in registers (unpack, shuffle, lane permute).
//
// Registers: Y0-Y7 rows of w, Y8-Y15 transposed; SI w at the block's row 0,
// R10 at its row 4, DI p at the block, R8 ld in bytes, R9 3·ld in bytes,
// BX rows left (j), CX columns left (k), R11/R12 w and p at the row group.
TEXT ·packAVX2(SB), NOSPLIT, $0-72
	MOVQ p_base+0(FP), R12
	MOVQ w_base+24(FP), R11
	MOVQ ld+48(FP), R8
	SHLQ $2, R8
	LEAQ (R8)(R8*2), R9
	MOVQ n+64(FP), BX

packrows:
	CMPQ BX, $8
	JLT  packdone
	MOVQ R11, SI
	LEAQ (SI)(R8*4), R10
	MOVQ R12, DI
	MOVQ kc+56(FP), CX

packblock:
	CMPQ CX, $8
	JLT  packnext
	VMOVUPS (SI), Y0
	VMOVUPS (SI)(R8*1), Y1
	VMOVUPS (SI)(R8*2), Y2
	VMOVUPS (SI)(R9*1), Y3
	VMOVUPS (R10), Y4
	VMOVUPS (R10)(R8*1), Y5
	VMOVUPS (R10)(R8*2), Y6
	VMOVUPS (R10)(R9*1), Y7
	VUNPCKLPS Y1, Y0, Y8
	VUNPCKHPS Y1, Y0, Y9
	VUNPCKLPS Y3, Y2, Y10
	VUNPCKHPS Y3, Y2, Y11
	VUNPCKLPS Y5, Y4, Y12
	VUNPCKHPS Y5, Y4, Y13
	VUNPCKLPS Y7, Y6, Y14
	VUNPCKHPS Y7, Y6, Y15
	VSHUFPS $0x44, Y10, Y8, Y0
	VSHUFPS $0xee, Y10, Y8, Y1
	VSHUFPS $0x44, Y11, Y9, Y2
	VSHUFPS $0xee, Y11, Y9, Y3
	VSHUFPS $0x44, Y14, Y12, Y4
	VSHUFPS $0xee, Y14, Y12, Y5
	VSHUFPS $0x44, Y15, Y13, Y6
	VSHUFPS $0xee, Y15, Y13, Y7
	VPERM2F128 $0x20, Y4, Y0, Y8
	VPERM2F128 $0x20, Y5, Y1, Y9
	VPERM2F128 $0x20, Y6, Y2, Y10
	VPERM2F128 $0x20, Y7, Y3, Y11
	VPERM2F128 $0x31, Y4, Y0, Y12
	VPERM2F128 $0x31, Y5, Y1, Y13
	VPERM2F128 $0x31, Y6, Y2, Y14
	VPERM2F128 $0x31, Y7, Y3, Y15
	VMOVUPS Y8, (DI)
	VMOVUPS Y9, 64(DI)
	VMOVUPS Y10, 128(DI)
	VMOVUPS Y11, 192(DI)
	VMOVUPS Y12, 256(DI)
	VMOVUPS Y13, 320(DI)
	VMOVUPS Y14, 384(DI)
	VMOVUPS Y15, 448(DI)
	ADDQ $32, SI
	ADDQ $32, R10
	ADDQ $512, DI
	SUBQ $8, CX
	JMP  packblock

packnext:
	LEAQ (R11)(R8*8), R11
	ADDQ $32, R12
	SUBQ $8, BX
	JMP  packrows

packdone:
	VZEROUPPER
	RET

// func rowDotAVX2(dx, dz, w []float32, rows, out int)
// Requires: AVX, FMA
//
// The contract is rowDotAVX2's declaration in linear_amd64.go: one dot
// product per row, 32 lanes a step in four sums, then 8, then a masked tail,
// and a horizontal sum.
//
// Registers: Y0-Y3 sums, Y4-Y5 loads, Y15 tail mask; DI dx, SI dz at the
// row, R8 w, AX byte offset in the row, CX columns left, R9 rows left,
// R10 out, R11 row stride in bytes.
TEXT ·rowDotAVX2(SB), NOSPLIT, $0-88
	MOVQ dx_base+0(FP), DI
	MOVQ dz_base+24(FP), SI
	MOVQ w_base+48(FP), R8
	MOVQ rows+72(FP), R9
	MOVQ out+80(FP), R10
	MOVQ R10, AX
	ANDQ $7, AX
	NEGQ AX
	ADDQ $8, AX
	LEAQ ·vmTailMask(SB), BX
	VMOVUPS (BX)(AX*4), Y15
	MOVQ R10, R11
	SHLQ $2, R11
	TESTQ R9, R9
	JZ   dotdone

dotrow:
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	XORQ AX, AX
	MOVQ R10, CX

dot32:
	CMPQ CX, $32
	JLT  dot8
	VMOVUPS (SI)(AX*1), Y4
	VFMADD231PS (R8)(AX*1), Y4, Y0
	VMOVUPS 32(SI)(AX*1), Y5
	VFMADD231PS 32(R8)(AX*1), Y5, Y1
	VMOVUPS 64(SI)(AX*1), Y4
	VFMADD231PS 64(R8)(AX*1), Y4, Y2
	VMOVUPS 96(SI)(AX*1), Y5
	VFMADD231PS 96(R8)(AX*1), Y5, Y3
	ADDQ $128, AX
	SUBQ $32, CX
	JMP  dot32

dot8:
	CMPQ CX, $8
	JLT  dottail
	VMOVUPS (SI)(AX*1), Y4
	VFMADD231PS (R8)(AX*1), Y4, Y0
	ADDQ $32, AX
	SUBQ $8, CX
	JMP  dot8

dottail:
	TESTQ CX, CX
	JZ    dotsum
	VMASKMOVPS (SI)(AX*1), Y15, Y4
	VMASKMOVPS (R8)(AX*1), Y15, Y5
	VFMADD231PS Y5, Y4, Y1

dotsum:
	VADDPS Y1, Y0, Y0
	VADDPS Y3, Y2, Y2
	VADDPS Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS X1, X0, X0
	VHADDPS X0, X0, X0
	VHADDPS X0, X0, X0
	VMOVSS X0, (DI)
	ADDQ $4, DI
	ADDQ R11, SI
	DECQ R9
	JNZ  dotrow

dotdone:
	VZEROUPPER
	RET

// func copyPanelAVX2(p, b []float32, ldb, k, n int)
// Requires: AVX
//
// The contract is copyPanelAVX2's declaration in linear_amd64.go. Loads are
// masked to the n columns; stores are whole rows of p.
//
// Registers: Y0-Y1 row, Y14-Y15 column masks, SI b, DI p, BX ldb in bytes,
// CX rows left.
TEXT ·copyPanelAVX2(SB), NOSPLIT, $0-72
	MOVQ p_base+0(FP), DI
	MOVQ b_base+24(FP), SI
	MOVQ ldb+48(FP), BX
	SHLQ $2, BX
	MOVQ k+56(FP), CX
	MOVQ n+64(FP), AX
	LEAQ ·vmTailMask(SB), DX
	MOVQ AX, R8
	CMPQ R8, $8
	JLE  lo
	MOVQ $8, R8

lo:
	NEGQ R8
	ADDQ $8, R8
	VMOVUPS (DX)(R8*4), Y14
	SUBQ $8, AX
	JGE  hi
	XORQ AX, AX

hi:
	NEGQ AX
	ADDQ $8, AX
	VMOVUPS (DX)(AX*4), Y15
	TESTQ CX, CX
	JZ   copied

copyrow:
	VMASKMOVPS (SI), Y14, Y0
	VMASKMOVPS 32(SI), Y15, Y1
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	ADDQ BX, SI
	ADDQ $64, DI
	DECQ CX
	JNZ  copyrow

copied:
	VZEROUPPER
	RET

