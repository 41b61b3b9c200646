//go:build !purego

package cpufeat

import "golang.org/x/sys/cpu"

// cpu.X86.HasAVX2 and HasAVX include the OS check for the YMM state; HasFMA
// alone is the raw CPUID bit, so all three are required. x/sys/cpu sets the
// AVX512 bits only when the OS saves the opmask and ZMM state; HasAVX512 is
// F alone, so DQ, BW and VL are checked one by one.
// GODEBUG=cpu.avx512f=off leaves the avx2fma path.
func detect() features {
	x := cpu.X86
	avx2fma := x.HasAVX2 && x.HasFMA && x.HasAVX
	return features{
		avx2fma: avx2fma,
		avx512:  avx2fma && x.HasAVX512F && x.HasAVX512DQ && x.HasAVX512BW && x.HasAVX512VL,
	}
}
