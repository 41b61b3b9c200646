// Definitions shared by every amd64 .s file of this package. Include it
// after textflag.h.
//
// go_asm.h is written by the go tool from this package's Go code: it gives
// each Go constant as const_<name> (the epilogue flags of the linear family,
// for instance, are $const_gemmTanh), so a value that Go and assembly share
// is defined once, in Go.

#include "go_asm.h"

// DATA8(name, off, v) stores the 32-bit value v in the eight words at
// name+off: one YMM vector of v. name takes the form sym<> or ·sym.
#define DATA8(name, off, v) \
	DATA name+off+0(SB)/4, v;  \
	DATA name+off+4(SB)/4, v;  \
	DATA name+off+8(SB)/4, v;  \
	DATA name+off+12(SB)/4, v; \
	DATA name+off+16(SB)/4, v; \
	DATA name+off+20(SB)/4, v; \
	DATA name+off+24(SB)/4, v; \
	DATA name+off+28(SB)/4, v

// SPLAT(name, v) defines name as a 32-byte read-only table holding v in all
// eight lanes. It serves as the memory operand of an AVX2 instruction or as
// the source of VBROADCASTSS.
#define SPLAT(name, v) \
	DATA8(name, 0, v); \
	GLOBL name(SB), RODATA|NOPTR, $32

// ·vmTailMask (defined in vecmath_amd64.s) is the package's one tail-mask
// table: eight all-ones words, then eight zero words. The eight words at
// ·vmTailMask+4·(8−n) select the first n lanes (0 ≤ n ≤ 8).

// TAIL_MASK(n, tmp, y) loads into y the mask selecting the first n lanes,
// 1 ≤ n ≤ 7. Clobbers tmp and n.
#define TAIL_MASK(n, tmp, y) \
	LEAQ    ·vmTailMask(SB), tmp; \
	NEGQ    n;                    \
	VMOVDQU 32(tmp)(n*4), y

// On AVX-512 a tail is a masked load or store; its opmask comes from n, with
// no table. TAIL_K(n, tmp, k) sets the opmask k to the first n lanes,
// 0 ≤ n ≤ 16 (of sixteen float32 lanes), and leaves that mask in tmp.
// Clobbers flags; n is only read.
#define TAIL_K(n, tmp, k) \
	MOVL  $1, tmp; \
	SHLL  n, tmp;  \
	DECL  tmp;     \
	KMOVW tmp, k

// STORE_PIECES(n, x, y, p, l2, l1, done) stores the first n lanes of y (x
// its low half), 1 ≤ n ≤ 7, at p in pieces of 4, 2 and 1 floats: plain
// stores that end at the n-th float (a VMASKMOVPS store spans 32 bytes
// whatever its mask, and AMD's cores before Zen 4 run it as a long
// microcoded sequence). l2, l1 and done are its labels, done its end.
// Clobbers x and p; n is only read.
#define STORE_PIECES(n, x, y, p, l2, l1, done) \
	TESTQ        $4, n;     \
	JZ           l2;        \
	VMOVUPS      x, (p);    \
	VEXTRACTF128 $1, y, x;  \
	ADDQ         $16, p;    \
l2:                         \
	TESTQ        $2, n;     \
	JZ           l1;        \
	VMOVSD       x, (p);    \
	VMOVHLPS     x, x, x;   \
	ADDQ         $8, p;     \
l1:                         \
	TESTQ        $1, n;     \
	JZ           done;      \
	VMOVSS       x, (p);    \
done:

// FTZ_ON(save, ftz) stores the caller's MXCSR at save and loads it with
// FTZ and DAZ set (0x8040), kept at ftz, for the mixture kernels' duration;
// FTZ_OFF(save) restores the caller's. save and ftz are 4-byte memory
// operands; FTZ_ON clobbers AX.
#define FTZ_ON(save, ftz) \
	VSTMXCSR save;         \
	MOVL     save, AX;     \
	ORL      $0x8040, AX;  \
	MOVL     AX, ftz;      \
	VLDMXCSR ftz

#define FTZ_OFF(save) VLDMXCSR save
