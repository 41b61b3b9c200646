// Definitions shared by every arm64 .s file of this package. Include it
// after textflag.h.
//
// go_asm.h is written by the go tool from this package's Go code: it gives
// each Go constant as const_<name>, so a value that Go and assembly share
// is defined once, in Go.

#include "go_asm.h"

// DATA4(name, off, v) stores the 32-bit value v in the four words at
// name+off: one vector of v in all four lanes. name takes the form sym<> or
// ·sym.
#define DATA4(name, off, v) \
	DATA name+off+0(SB)/4, v; \
	DATA name+off+4(SB)/4, v; \
	DATA name+off+8(SB)/4, v; \
	DATA name+off+12(SB)/4, v

// LANES4(name, off, l0, l1, l2, l3) stores the vector with lanes l0-l3 (32
// bits each) at name+off.
#define LANES4(name, off, l0, l1, l2, l3) \
	DATA name+off+0(SB)/4, l0; \
	DATA name+off+4(SB)/4, l1; \
	DATA name+off+8(SB)/4, l2; \
	DATA name+off+12(SB)/4, l3

// CLAMP sets dst = min(base+i, last): the row of lane i of a 4-row block,
// with rows past the end mapped onto the last row. Blocks of fewer than four
// rows then compute duplicates of their last row, whose stores write the
// same bits to the same place, so no edge case needs a branch.
#define CLAMP(i, base, last, dst) \
	ADD  $i, base, dst; \
	CMP  last, dst; \
	CSEL GT, last, dst, dst
