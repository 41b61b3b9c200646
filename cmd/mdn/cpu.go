package main

import (
	"context"
	"fmt"
	"io"
	"runtime"

	"github.com/mdnsimd/mdnsimd"
)

func runCPU(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("cpu", "", `
Reports the processor as the kernels see it: brand, x86-64 level, cores,
cache sizes, the SIMD features that matter here, and the kernel path chosen
for this process ("avx2fma", "neon" or "generic"). GODEBUG=cpu.avx2=off (or
cpu.asimd=off on arm64) forces the generic path; a binary built with
-tags purego has only the generic path.`, stdout, stderr)
	pos, err := parseFlags(fs, args, stdout)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("cpu takes no arguments, got %q", pos)
	}
	fmt.Fprint(stdout, mdnsimd.CPU().String())
	fmt.Fprintf(stdout, "go:       %s %s/%s, GOMAXPROCS %d\n", runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.GOMAXPROCS(0))
	return nil
}
