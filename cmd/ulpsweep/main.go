// Command ulpsweep checks the accuracy of mdnsimd's Exp and Tanh over every
// float32 input, on the dispatched path (the assembly, where the CPU has one)
// and on the pure-Go kernels path, against float64 math rounded to float32.
// It prints, for each function and path, the largest error in ULP, the input
// where it occurs, how many results are not correctly rounded, and the time
// spent in the kernel. It exits with status 1 when a documented bound
// (Exp ≤ 1 ULP, Tanh ≤ 2 ULP) is exceeded. With -log it also reports
// kernels.Log32 over the positive inputs, for information.
//
//	go run ./cmd/ulpsweep                 # all 2³² inputs, all cores
//	go run ./cmd/ulpsweep -lo 0x3f000000 -hi 0x3f800000 -log
package main

import (
	"flag"
	"fmt"
	"math"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/mdnsimd/mdnsimd"
	"github.com/mdnsimd/mdnsimd/internal/f32test"
	"github.com/mdnsimd/mdnsimd/kernels"
)

const chunk = 1 << 16

// row accumulates the result of one function on one path.
type row struct {
	fn, path string
	bound    uint32 // documented bound in ULP, 0 for informational rows
	run      func(dst, x []float32)
	ref      int // index of the reference the row compares with
	positive bool

	maxULP uint32
	at     float32
	wrong  uint64 // results not equal to the correctly rounded one
	n      uint64
	dur    time.Duration
}

func (r *row) merge(o *row) {
	if o.maxULP > r.maxULP || (o.maxULP == r.maxULP && r.n == 0) {
		r.maxULP, r.at = o.maxULP, o.at
	}
	r.wrong += o.wrong
	r.n += o.n
	r.dur += o.dur
}

func newRows(withLog bool) []*row {
	rows := []*row{
		{fn: "Exp", path: mdnsimd.Impl(), bound: 1, run: mdnsimd.Exp, ref: 0},
		{fn: "Exp", path: "kernels (Go)", bound: 1, run: kernels.Exp, ref: 0},
		{fn: "Tanh", path: mdnsimd.Impl(), bound: 2, run: mdnsimd.Tanh, ref: 1},
		{fn: "Tanh", path: "kernels (Go)", bound: 2, run: kernels.Tanh, ref: 1},
	}
	if withLog {
		rows = append(rows, &row{fn: "Log", path: "kernels (Go)", run: logSlice, ref: 2, positive: true})
	}
	return rows
}

func logSlice(dst, x []float32) {
	for i, v := range x {
		dst[i] = kernels.Log32(v)
	}
}

func main() {
	lo := flag.Uint64("lo", 0, "first input bit pattern")
	hi := flag.Uint64("hi", 1<<32, "one past the last input bit pattern")
	workers := flag.Int("workers", runtime.GOMAXPROCS(0), "parallel workers")
	withLog := flag.Bool("log", false, "also sweep kernels.Log32 (positive inputs)")
	flag.Parse()
	if *lo >= *hi || *hi > 1<<32 {
		fmt.Fprintln(os.Stderr, "ulpsweep: need lo < hi ≤ 2^32")
		os.Exit(2)
	}

	start := time.Now()
	var (
		mu     sync.Mutex
		total  = newRows(*withLog)
		next   = *lo
		wg     sync.WaitGroup
		refsOf = []func(float64) float64{math.Exp, math.Tanh}
	)
	if *withLog {
		refsOf = append(refsOf, math.Log)
	}
	take := func() (uint64, uint64, bool) {
		mu.Lock()
		defer mu.Unlock()
		if next >= *hi {
			return 0, 0, false
		}
		a := next
		next = min(next+chunk, *hi)
		return a, next, true
	}
	for w := 0; w < *workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rows := newRows(*withLog)
			x := make([]float32, chunk)
			got := make([]float32, chunk)
			refs := make([][]float32, len(refsOf))
			for i := range refs {
				refs[i] = make([]float32, chunk)
			}
			for {
				a, b, ok := take()
				if !ok {
					break
				}
				n := int(b - a)
				x, got := x[:n], got[:n]
				for i := range x {
					x[i] = math.Float32frombits(uint32(a + uint64(i)))
				}
				for k, f := range refsOf {
					for i, v := range x {
						refs[k][i] = float32(f(float64(v)))
					}
				}
				for _, r := range rows {
					t0 := time.Now()
					r.run(got, x)
					r.dur += time.Since(t0)
					for i, v := range x {
						if r.positive && !(v > 0) {
							continue
						}
						want := refs[r.ref][i]
						u := f32test.ULP(got[i], want)
						if math.Float32bits(got[i]) != math.Float32bits(want) && !(got[i] != got[i] && want != want) {
							r.wrong++
						}
						if u > r.maxULP || r.n == 0 {
							r.maxULP, r.at = u, v
						}
						r.n++
					}
				}
			}
			mu.Lock()
			for i, r := range rows {
				total[i].merge(r)
			}
			mu.Unlock()
		}()
	}
	wg.Wait()

	fmt.Printf("ulpsweep: inputs 0x%08x..0x%08x (%d), %d workers, %s\n", *lo, *hi-1, *hi-*lo, *workers, mdnsimd.CPU().Brand)
	refNames := "math.Exp / math.Tanh"
	if *withLog {
		refNames += " / math.Log"
	}
	fmt.Printf("reference: float64 %s rounded to float32; kernel s: time inside the kernel calls, summed over workers\n\n", refNames)
	fmt.Printf("%-5s %-13s %7s %-28s %15s %11s %9s\n", "func", "path", "max ULP", "at input", "not rounded", "inputs", "kernel s")
	fail := false
	for _, r := range total {
		status := ""
		if r.bound > 0 && r.maxULP > r.bound {
			status = fmt.Sprintf("  FAIL: bound %d ULP", r.bound)
			fail = true
		}
		fmt.Printf("%-5s %-13s %7d %-28s %15d %11d %9.2f%s\n", r.fn, r.path, r.maxULP,
			fmt.Sprintf("%g (0x%08x)", r.at, math.Float32bits(r.at)), r.wrong, r.n, r.dur.Seconds(), status)
	}
	fmt.Printf("\nwall time %.1f s\n", time.Since(start).Seconds())
	if fail {
		os.Exit(1)
	}
}
