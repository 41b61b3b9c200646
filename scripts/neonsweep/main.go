// Command neonsweep checks mdnsimd's arm64 Exp and Tanh over all 2³² float32
// inputs without running a float64 reference under emulation, where it
// would take hours: the NEON kernels compute the float32 algorithms of
// kernels.Exp32 and kernels.Tanh32 lane by lane, so they should agree with
// them bit for bit, and those are swept natively.
//
//	go run ./scripts/neonsweep -mode ref >ref.txt     # natively, any arch
//	GOARCH=arm64 go build -o /tmp/neonsweep ./scripts/neonsweep
//	qemu-aarch64-static /tmp/neonsweep -mode neon >neon.txt
//	diff ref.txt neon.txt
//
// Each line is one chunk of 2²² consecutive bit patterns: its first input
// and FNV-1a hashes of the Exp and Tanh results. In ref mode the line also
// gives the largest error of kernels.Exp32 and kernels.Tanh32 against
// float64 math in that chunk, so the one run establishes both the bound
// (Exp ≤ 1, Tanh ≤ 2 ULP) and the hashes a NEON run must reproduce. A chunk
// whose hashes differ is then checked directly, e.g. with
// qemu-aarch64-static ulpsweep -lo FIRST -hi FIRST+0x400000.
package main

import (
	"flag"
	"fmt"
	"math"
	"os"
	"runtime"
	"sync"

	"github.com/mdnsimd/mdnsimd"
	"github.com/mdnsimd/mdnsimd/internal/f32test"
	"github.com/mdnsimd/mdnsimd/kernels"
)

const chunkBits = 22

type result struct {
	expHash, tanhHash uint64
	expULP, tanhULP   uint32
}

func fnv(h uint64, s []float32) uint64 {
	for _, v := range s {
		b := math.Float32bits(v)
		for i := 0; i < 4; i++ {
			h ^= uint64(b & 0xff)
			h *= 1099511628211
			b >>= 8
		}
	}
	return h
}

func main() {
	mode := flag.String("mode", "", "ref (kernels, with float64 errors) or neon (mdnsimd, dispatched path)")
	first := flag.Int("first", 0, "first chunk")
	last := flag.Int("last", 1<<(32-chunkBits), "one past the last chunk")
	workers := flag.Int("workers", runtime.GOMAXPROCS(0), "parallel workers")
	flag.Parse()
	if *mode != "ref" && *mode != "neon" {
		fmt.Fprintln(os.Stderr, "neonsweep: -mode ref or -mode neon")
		os.Exit(2)
	}
	if *mode == "neon" && mdnsimd.Impl() != "neon" {
		fmt.Fprintf(os.Stderr, "neonsweep: dispatch chose %q, not neon\n", mdnsimd.Impl())
		os.Exit(2)
	}
	n := *last - *first
	res := make([]result, n)
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < *workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			const sub = 1 << 16
			x, e, t := make([]float32, sub), make([]float32, sub), make([]float32, sub)
			for c := range next {
				r := result{expHash: 14695981039346656037, tanhHash: 14695981039346656037}
				base := uint64(*first+c) << chunkBits
				for off := uint64(0); off < 1<<chunkBits; off += sub {
					for i := range x {
						x[i] = math.Float32frombits(uint32(base + off + uint64(i)))
					}
					if *mode == "neon" {
						mdnsimd.Exp(e, x)
						mdnsimd.Tanh(t, x)
					} else {
						kernels.Exp(e, x)
						kernels.Tanh(t, x)
						for i, v := range x {
							r.expULP = max(r.expULP, f32test.ULP(e[i], float32(math.Exp(float64(v)))))
							r.tanhULP = max(r.tanhULP, f32test.ULP(t[i], float32(math.Tanh(float64(v)))))
						}
					}
					r.expHash = fnv(r.expHash, e)
					r.tanhHash = fnv(r.tanhHash, t)
				}
				res[c] = r
			}
		}()
	}
	for c := 0; c < n; c++ {
		next <- c
	}
	close(next)
	wg.Wait()
	var worstExp, worstTanh uint32
	for c, r := range res {
		fmt.Printf("%#08x %016x %016x", uint64(*first+c)<<chunkBits, r.expHash, r.tanhHash)
		if *mode == "ref" {
			fmt.Printf(" exp %d tanh %d", r.expULP, r.tanhULP)
			worstExp, worstTanh = max(worstExp, r.expULP), max(worstTanh, r.tanhULP)
		}
		fmt.Println()
	}
	if *mode == "ref" {
		fmt.Fprintf(os.Stderr, "kernels: worst Exp %d ULP, worst Tanh %d ULP over chunks %d..%d\n", worstExp, worstTanh, *first, *last-1)
	}
}
