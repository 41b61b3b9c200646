//go:build !purego

package mdnsimd

import "golang.org/x/sys/cpu"

// useAVX2FMA selects the AVX2+FMA assembly. cpu.X86.HasAVX2 and HasAVX
// include the OS check for the YMM state; HasFMA alone is the raw CPUID bit,
// so all three are required. GODEBUG=cpu.avx2=off clears HasAVX2.
var useAVX2FMA = cpu.X86.HasAVX2 && cpu.X86.HasFMA && cpu.X86.HasAVX

// accel is the bool the dispatch reads; tests flip it to run the generic path.
var accel = &useAVX2FMA

func impl() string {
	if useAVX2FMA {
		return "avx2fma"
	}
	return "generic"
}
