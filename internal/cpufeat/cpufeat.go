// Package cpufeat owns the CPU features the kernels dispatch on. The bools
// are read once from golang.org/x/sys/cpu at start-up (so GODEBUG=cpu.avx2=off,
// cpu.fma=off and cpu.asimd=off switch paths off) and are false in builds
// with -tags purego and on architectures without assembly. The root package
// and package mdn branch on them directly; tests and benchmarks switch paths
// with Force.
package cpufeat

import "fmt"

// Path names, as mdnsimd.Impl reports them.
const (
	Generic = "generic" // pure Go (package kernels)
	AVX2FMA = "avx2fma" // amd64 AVX2 and FMA
	AVX512  = "avx512"  // amd64 AVX-512 (F, DQ, BW, VL), with AVX2 and FMA
	NEON    = "neon"    // arm64 Advanced SIMD
)

// features is a set of paths, each true if it can run.
type features struct{ avx2fma, avx512, neon bool }

// host is what this process can run, read once at start-up (detect is in
// the architecture's file).
var host = detect()

// The dispatch bools: the path in use is the best one set. HasAVX512
// implies HasAVX2FMA, so a kernel without an AVX-512 variant (or one whose
// AVX2 code is faster at some shape) runs its AVX2 code on the avx512 path.
var (
	// HasAVX2FMA: amd64 with AVX, AVX2 and FMA and OS support for the YMM
	// state.
	HasAVX2FMA = host.avx2fma
	// HasAVX512: HasAVX2FMA, and AVX512F, DQ, BW and VL with OS support for
	// the opmask and ZMM state.
	HasAVX512 = host.avx512
	// HasNEON: arm64 with Advanced SIMD (part of the arm64 baseline).
	HasNEON = host.neon
)

// Path names the path the bools select now.
func Path() string {
	switch {
	case HasAVX512:
		return AVX512
	case HasAVX2FMA:
		return AVX2FMA
	case HasNEON:
		return NEON
	}
	return Generic
}

// Paths lists the paths this process can run, the one dispatch chose first
// and Generic last.
func Paths() []string {
	var p []string
	switch {
	case host.avx512:
		p = append(p, AVX512, AVX2FMA)
	case host.avx2fma:
		p = append(p, AVX2FMA)
	case host.neon:
		p = append(p, NEON)
	}
	return append(p, Generic)
}

// Force sets the bools so that Path() == p and returns a function that puts
// back the bools it found. It panics if this process cannot run p (see
// Paths). It is for tests and benchmarks: a kernel running concurrently may
// see either path.
func Force(p string) (restore func()) {
	saved := [...]bool{HasAVX2FMA, HasAVX512, HasNEON}
	switch {
	case p == Generic:
		HasAVX2FMA, HasAVX512, HasNEON = false, false, false
	case p == AVX2FMA && host.avx2fma:
		HasAVX2FMA, HasAVX512, HasNEON = true, false, false
	case p == AVX512 && host.avx512:
		HasAVX2FMA, HasAVX512, HasNEON = true, true, false
	case p == NEON && host.neon:
		HasAVX2FMA, HasAVX512, HasNEON = false, false, true
	default:
		panic(fmt.Sprintf("cpufeat.Force(%q): this process can run only %q", p, Paths()))
	}
	return func() { HasAVX2FMA, HasAVX512, HasNEON = saved[0], saved[1], saved[2] }
}
