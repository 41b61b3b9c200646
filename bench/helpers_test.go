package bench

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
)

// newRand returns the deterministic source every benchmark draws its data from.
func newRand() *rand.Rand { return rand.New(rand.NewPCG(1, 2)) }

// normals returns n standard-normal float32 values scaled by s.
func normals(r *rand.Rand, n int, s float64) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(r.NormFloat64() * s)
	}
	return v
}

// ramp returns n values spread evenly over [−10, 10), the inputs the C
// anchors use for the vector math benchmarks.
func ramp(n int) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(i-n/2) * (20 / float32(n))
	}
	return v
}

func to64(v []float32) []float64 {
	o := make([]float64, len(v))
	for i, x := range v {
		o[i] = float64(x)
	}
	return o
}

// kernelPaths are the kernel paths the mdnsimd rows run on: every assembly
// path this process can run (avx512 and avx2fma on an AVX-512 CPU, neon on
// arm64), or generic where there is none (-tags purego).
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

// impl is one implementation of a benchmarked operation. The one named
// "mdnsimd" (the library's dispatched kernel) runs once per kernel path,
// as impl=avx512, impl=avx2fma, ..., with dispatch forced to that path.
type impl struct {
	name string
	fn   func()
	// oneProc runs the sub-benchmark with GOMAXPROCS=1, for libraries
	// that spread one call over goroutines (vek's MatMul): every figure in
	// the tables is one core's.
	oneProc bool
}

// runImpls runs one sub-benchmark per implementation and reports the custom
// metric returned by metric(ns per call).
func runImpls(b *testing.B, impls []impl, unit string, metric func(nsPerOp float64) float64) {
	var all []impl
	var paths []string // the path of each of all, "" for the other libraries
	for _, im := range impls {
		if im.name != "mdnsimd" {
			all, paths = append(all, im), append(paths, "")
			continue
		}
		for _, p := range kernelPaths {
			im.name = p
			all, paths = append(all, im), append(paths, p)
		}
	}
	for i, im := range all {
		b.Run("impl="+im.name, func(b *testing.B) {
			if paths[i] != "" {
				defer cpufeat.Force(paths[i])()
			}
			if im.oneProc {
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
			}
			b.ReportAllocs()
			im.fn() // warm caches and any lazily built state outside the timing
			for b.Loop() {
				im.fn()
			}
			ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
			b.ReportMetric(metric(ns), unit)
		})
	}
}

// shape is a GEMM shape: rows×in → out.
type shape struct{ rows, in, out int }

func (s shape) String() string { return fmt.Sprintf("size=%dx%dx%d", s.rows, s.in, s.out) }
func (s shape) flop() float64  { return 2 * float64(s.rows) * float64(s.in) * float64(s.out) }

// gflops converts ns per call to GFLOP/s for this shape.
func (s shape) gflops(ns float64) float64 { return s.flop() / ns }

// tanh64 is the float32 tanh a Go programmer writes with package math.
func tanh64(v float32) float32 { return float32(math.Tanh(float64(v))) }
