package mdnsimd

import (
	"fmt"
	"strings"

	"github.com/klauspost/cpuid/v2"
	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
)

// Impl names the kernel path chosen for this process: "avx512" (amd64 with
// AVX-512 F, DQ, BW and VL besides AVX2 and FMA, and OS support for the ZMM
// state), "avx2fma" (amd64 with AVX2, FMA and OS support for the YMM state),
// "neon" (arm64) or "generic" (pure Go).
func Impl() string { return cpufeat.Path() }

// CPUInfo describes the processor as the dispatcher and the cache blocking see it.
type CPUInfo struct {
	Brand    string   // marketing name, e.g. "AMD EPYC 7B13 64-Core Processor"
	Vendor   string   // e.g. "AMD", "Intel", "ARM"
	Level    int      // x86-64 microarchitecture level (1-4), 0 if not x86 or unknown
	Cores    int      // physical cores visible to the process, 0 if unknown
	Threads  int      // logical CPUs, 0 if unknown
	L1D      int      // L1 data cache per core in bytes, -1 if unknown
	L2       int      // L2 cache in bytes, -1 if unknown
	L3       int      // L3 cache in bytes, -1 if unknown
	Features []string // the features relevant to the kernels that are present
	Impl     string   // the kernel path in use, as Impl returns it
}

// CPU reports the processor's brand, x86-64 level, cache sizes and the
// features the kernels care about, with the chosen path.
func CPU() CPUInfo {
	c := cpuid.CPU
	info := CPUInfo{
		Brand:   strings.TrimSpace(c.BrandName),
		Vendor:  c.VendorString,
		Level:   c.X64Level(),
		Cores:   c.PhysicalCores,
		Threads: c.LogicalCores,
		L1D:     c.Cache.L1D,
		L2:      c.Cache.L2,
		L3:      c.Cache.L3,
		Impl:    Impl(),
	}
	for _, f := range []struct {
		name string
		id   cpuid.FeatureID
	}{
		{"SSE4.2", cpuid.SSE42}, {"AVX", cpuid.AVX}, {"AVX2", cpuid.AVX2}, {"FMA3", cpuid.FMA3},
		{"AVX512F", cpuid.AVX512F}, {"AVX512DQ", cpuid.AVX512DQ}, {"AVX512BW", cpuid.AVX512BW}, {"AVX512VL", cpuid.AVX512VL}, {"ASIMD", cpuid.ASIMD}, {"FP", cpuid.FP},
	} {
		if c.Supports(f.id) {
			info.Features = append(info.Features, f.name)
		}
	}
	return info
}

// String formats the report as a few human-readable lines.
func (c CPUInfo) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "cpu:      %s (%s)\n", orUnknown(c.Brand), orUnknown(c.Vendor))
	if c.Level > 0 {
		fmt.Fprintf(&b, "level:    x86-64-v%d\n", c.Level)
	}
	fmt.Fprintf(&b, "cores:    %d physical, %d logical\n", c.Cores, c.Threads)
	fmt.Fprintf(&b, "caches:   L1d %s, L2 %s, L3 %s\n", size(c.L1D), size(c.L2), size(c.L3))
	fmt.Fprintf(&b, "features: %s\n", strings.Join(c.Features, " "))
	fmt.Fprintf(&b, "kernels:  %s\n", c.Impl)
	return b.String()
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

func size(n int) string {
	switch {
	case n <= 0:
		return "unknown"
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}
