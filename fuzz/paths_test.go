package fuzz

import (
	"strings"

	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
)

// kernelPaths are the paths the dispatched kernels are fuzzed on: every
// assembly path this process can run (avx512 and avx2fma on an AVX-512 CPU),
// or the generic path where there is none (-tags purego, or a CPU without
// AVX2 and FMA).
var kernelPaths = func() []string {
	var ps []string
	for _, p := range cpufeat.Paths() {
		if p != cpufeat.Generic {
			ps = append(ps, p)
		}
	}
	if len(ps) == 0 {
		ps = []string{cpufeat.Generic}
	}
	return ps
}()

// withPaths returns others with the dispatched kernel f added once for each
// of kernelPaths, as name+"/"+path: the loops over a target's kernels call
// onPath(name) around each call, so each entry runs on its own path.
func withPaths[F any](name string, f F, others map[string]F) map[string]F {
	m := make(map[string]F, len(others)+len(kernelPaths))
	for n, g := range others {
		m[n] = g
	}
	for _, p := range kernelPaths {
		m[name+"/"+p] = f
	}
	return m
}

// pathOf returns the path a name from withPaths carries, "" for the others
// (the kernels.* references and the broken kernels of TestChecksCatch).
func pathOf(name string) string {
	if !strings.HasPrefix(name, "mdnsimd.") {
		return ""
	}
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		return name[i+1:]
	}
	return ""
}

// onPath switches dispatch to the path name carries and returns the
// function that switches it back; for a name without a path it does
// nothing.
func onPath(name string) (restore func()) {
	if p := pathOf(name); p != "" {
		return cpufeat.Force(p)
	}
	return func() {}
}
