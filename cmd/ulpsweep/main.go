// Command ulpsweep checks the accuracy of mdnsimd's Exp and Tanh over every
// float32 input, on the dispatched path (the assembly, where the CPU has one),
// with -all on every other assembly path this CPU runs too, and on the
// pure-Go kernels, against float64 math rounded to float32. It prints, for
// each function and path, the largest error in ULP, the input where it
// occurs, how many results are not correctly rounded, how many differ in
// their bits from the Go kernels' (any NaN equal to any NaN), and the time
// spent in the kernel. It exits with status 1 when a documented bound
// (Exp ≤ 1 ULP, Tanh ≤ 2 ULP) is exceeded, and with status 2, before
// sweeping, when MDNSIMD_REQUIRE names a path other than the one dispatch
// chose (as the tests do). With -log it also checks kernels.Log32 over the
// positive inputs (≤ 1 ULP). A row also fails when a zero result has the
// wrong sign, or when the sweep did not look at every input of the range.
//
//	go run ./cmd/ulpsweep -all            # all 2³² inputs, every path, all cores
//	go run ./cmd/ulpsweep -lo 0x3f000000 -hi 0x3f800000 -log
//	GODEBUG=cpu.avx512f=off MDNSIMD_REQUIRE=avx2fma go run ./cmd/ulpsweep -lo 0x3f000000 -hi 0x3f100000
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
	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
	"github.com/mdnsimd/mdnsimd/internal/f32test"
	"github.com/mdnsimd/mdnsimd/kernels"
)

const chunk = 1 << 16

const goPath = "kernels (Go)"

// fn is one function under test: its dispatched kernel (nil for Log, which
// has only the Go one), its Go twin and the float64 reference.
type fn struct {
	name     string
	bound    uint32 // documented bound in ULP, 0 for informational rows
	asm      func(dst, x []float32)
	twin     func(dst, x []float32)
	ref      func(float64) float64
	positive bool // only x > 0 counts
}

// row accumulates the result of one function on one path.
type row struct {
	fn   *fn
	path string

	maxULP   uint32
	at       float32
	wrong    uint64 // results not equal to the correctly rounded one
	diffGo   uint64 // results whose bits differ from the Go kernel's
	zeroSign uint64 // zero results whose sign differs from the reference's
	seen     uint64 // inputs looked at, counted or not (positive)
	n        uint64
	dur      time.Duration
	started  bool
}

func (r *row) add(x, got, want, twin []float32) {
	r.seen += uint64(len(x))
	for i, v := range x {
		if r.fn.positive && !(v > 0) {
			continue
		}
		if got[i] == 0 && want[i] == 0 && !sameBits(got[i], want[i]) {
			r.zeroSign++
		}
		u := f32test.ULP(got[i], want[i])
		if !sameBits(got[i], want[i]) {
			r.wrong++
		}
		if twin != nil && !sameBits(got[i], twin[i]) {
			r.diffGo++
		}
		if u > r.maxULP || !r.started {
			r.maxULP, r.at, r.started = u, v, true
		}
		r.n++
	}
}

func sameBits(a, b float32) bool {
	return math.Float32bits(a) == math.Float32bits(b) || (a != a && b != b)
}

func (r *row) merge(o *row) {
	if o.started && (o.maxULP > r.maxULP || !r.started) {
		r.maxULP, r.at, r.started = o.maxULP, o.at, true
	}
	r.wrong += o.wrong
	r.diffGo += o.diffGo
	r.zeroSign += o.zeroSign
	r.seen += o.seen
	r.n += o.n
	r.dur += o.dur
}

func main() {
	lo := flag.Uint64("lo", 0, "first input bit pattern")
	hi := flag.Uint64("hi", 1<<32, "one past the last input bit pattern")
	workers := flag.Int("workers", runtime.GOMAXPROCS(0), "parallel workers")
	withLog := flag.Bool("log", false, "also sweep kernels.Log32 (positive inputs)")
	all := flag.Bool("all", false, "also sweep every other assembly path this CPU runs (forced one after the other)")
	flag.Parse()
	if *lo >= *hi || *hi > 1<<32 {
		fmt.Fprintln(os.Stderr, "ulpsweep: need lo < hi ≤ 2^32")
		os.Exit(2)
	}
	if *workers < 1 {
		fmt.Fprintf(os.Stderr, "ulpsweep: -workers %d: need at least 1\n", *workers)
		os.Exit(2)
	}
	if want := os.Getenv("MDNSIMD_REQUIRE"); want != "" && want != mdnsimd.Impl() {
		fmt.Fprintf(os.Stderr, "ulpsweep: dispatch chose %q, MDNSIMD_REQUIRE=%q\n", mdnsimd.Impl(), want)
		os.Exit(2)
	}

	fns := []*fn{
		{name: "Exp", bound: 1, asm: mdnsimd.Exp, twin: kernels.Exp, ref: math.Exp},
		{name: "Tanh", bound: 2, asm: mdnsimd.Tanh, twin: kernels.Tanh, ref: math.Tanh},
	}
	if *withLog {
		fns = append(fns, &fn{name: "Log", bound: 1, twin: logSlice, ref: math.Log, positive: true})
	}
	// The dispatched path first (with the Go rows), then, with -all, each
	// other assembly path in turn: dispatch is switched for the whole
	// process, so the paths cannot share one pass.
	paths := []string{mdnsimd.Impl()}
	if *all {
		for _, p := range cpufeat.Paths() {
			if p != paths[0] && p != cpufeat.Generic {
				paths = append(paths, p)
			}
		}
	}
	start := time.Now()
	var rows []*row
	for i, p := range paths {
		restore := cpufeat.Force(p)
		rows = append(rows, sweep(fns, p, i == 0, *lo, *hi, *workers)...)
		restore()
	}

	fmt.Printf("ulpsweep: inputs 0x%08x..0x%08x (%d), %d workers, %s, dispatched path %s\n",
		*lo, *hi-1, *hi-*lo, *workers, mdnsimd.CPU().Brand, mdnsimd.Impl())
	refNames := "math.Exp / math.Tanh"
	if *withLog {
		refNames += " / math.Log"
	}
	fmt.Printf("reference: float64 %s rounded to float32; ≠ Go: results whose bits differ from the Go kernel's;\n"+
		"kernel s: time inside the kernel calls, summed over workers\n\n", refNames)
	fmt.Printf("%-5s %-13s %7s %-28s %15s %11s %11s %9s\n", "func", "path", "max ULP", "at input", "not rounded", "≠ Go", "inputs", "kernel s")
	fail := false
	for _, r := range rows {
		status := ""
		switch {
		case r.seen != *hi-*lo:
			// A sweep that skipped inputs proves nothing about them.
			status = fmt.Sprintf("  FAIL: %d of %d inputs swept", r.seen, *hi-*lo)
			fail = true
		case r.fn.bound > 0 && r.maxULP > r.fn.bound:
			status = fmt.Sprintf("  FAIL: bound %d ULP", r.fn.bound)
			fail = true
		case r.zeroSign > 0:
			// ULP counts ±0 as equal: a zero of the wrong sign (tanh(−0)
			// must be −0) is a failure of its own.
			status = fmt.Sprintf("  FAIL: %d zeros of the wrong sign", r.zeroSign)
			fail = true
		}
		diff := fmt.Sprint(r.diffGo)
		if r.path == goPath {
			diff = "-"
		}
		fmt.Printf("%-5s %-13s %7d %-28s %15d %11s %11d %9.2f%s\n", r.fn.name, r.path, r.maxULP,
			fmt.Sprintf("%g (0x%08x)", r.at, math.Float32bits(r.at)), r.wrong, diff, r.n, r.dur.Seconds(), status)
	}
	fmt.Printf("\nwall time %.1f s\n", time.Since(start).Seconds())
	if fail {
		os.Exit(1)
	}
}

// sweep runs fns over [lo, hi) on path (dispatch already forced to it),
// with the Go kernels' rows too when withGo is set, and returns the rows:
// for each function, path's (if it has a kernel there) and Go's.
func sweep(fns []*fn, path string, withGo bool, lo, hi uint64, workers int) []*row {
	newRows := func() []*row {
		var rs []*row
		for _, f := range fns {
			if f.asm != nil {
				rs = append(rs, &row{fn: f, path: path})
			}
			if withGo {
				rs = append(rs, &row{fn: f, path: goPath})
			}
		}
		return rs
	}
	var (
		mu    sync.Mutex
		total = newRows()
		next  = lo
		wg    sync.WaitGroup
	)
	take := func() (uint64, uint64, bool) {
		mu.Lock()
		defer mu.Unlock()
		if next >= hi {
			return 0, 0, false
		}
		a := next
		next = min(next+chunk, hi)
		return a, next, true
	}
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rows := newRows()
			x := make([]float32, chunk)
			got := make([]float32, chunk)
			twin := make([]float32, chunk)
			want := make([]float32, chunk)
			for {
				a, b, ok := take()
				if !ok {
					break
				}
				n := int(b - a)
				x, got, twin, want := x[:n], got[:n], twin[:n], want[:n]
				for i := range x {
					x[i] = math.Float32frombits(uint32(a + uint64(i)))
				}
				k := 0 // rows[k:] are the next function's
				for _, f := range fns {
					for i, v := range x {
						want[i] = float32(f.ref(float64(v)))
					}
					t0 := time.Now()
					f.twin(twin, x)
					dt := time.Since(t0)
					if f.asm != nil {
						r := rows[k]
						k++
						t0 := time.Now()
						f.asm(got, x)
						r.dur += time.Since(t0)
						r.add(x, got, want, twin)
					}
					if withGo {
						r := rows[k]
						k++
						r.dur += dt
						r.add(x, twin, want, nil)
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
	return total
}

func logSlice(dst, x []float32) {
	for i, v := range x {
		dst[i] = kernels.Log32(v)
	}
}
