//go:build !purego

package cpufeat

import "golang.org/x/sys/cpu"

// cpu.X86.HasAVX2 and HasAVX include the OS check for the YMM state; HasFMA
// alone is the raw CPUID bit, so all three are required.
func detect() features {
	return features{avx2fma: cpu.X86.HasAVX2 && cpu.X86.HasFMA && cpu.X86.HasAVX}
}
