//go:build !purego

package cpufeat

import "golang.org/x/sys/cpu"

// ASIMD is part of the arm64 baseline; reading the bit lets
// GODEBUG=cpu.asimd=off force the generic path.
func detect() features { return features{neon: cpu.ARM64.HasASIMD} }
