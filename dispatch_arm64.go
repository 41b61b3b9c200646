//go:build !purego

package mdnsimd

import "golang.org/x/sys/cpu"

// useNEON selects the NEON assembly. ASIMD is part of the arm64 baseline;
// reading the bit lets GODEBUG=cpu.asimd=off force the generic path.
var useNEON = cpu.ARM64.HasASIMD

// accel is the bool the dispatch reads; tests flip it to run the generic path.
var accel = &useNEON

func impl() string {
	if useNEON {
		return "neon"
	}
	return "generic"
}
