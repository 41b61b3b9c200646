package mdnsimd

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
	"github.com/mdnsimd/mdnsimd/internal/f32test"
	"github.com/mdnsimd/mdnsimd/kernels"
)

// TestMixtureCols holds MixtureNLLCols and MixtureNLLGradCols to the row
// kernels on the same data transposed, on every path: the same bits as
// MixtureNLLGrad on the path whose kernel they run (avx512 with K=5, D=1;
// avx2fma's one-dimension kernel for any other K with D=1, on avx2fma and
// avx512), the same bits as the Go reference (kernels.MixtureNLLGrad by
// rows) everywhere else. The lanes from n to ld of dhead keep their sentinel
// values, and head's lanes beyond n hold NaN, which no result may show.
func TestMixtureCols(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(21, 22))
		for _, kd := range [][2]int{{5, 1}, {3, 1}, {5, 2}, {20, 1}} {
			k, d := kd[0], kd[1]
			w := MixtureWidth(k, d)
			rowsPath := "" // the path whose row kernel gives the same bits
			switch impl := Impl(); {
			case impl == "avx512" && k == 5 && d == 1:
				rowsPath = "avx512"
			case (impl == "avx512" || impl == "avx2fma") && d == 1:
				rowsPath = "avx2fma"
			}
			for _, n := range append(f32test.Lengths(), 1000) {
				if n > 1000 {
					continue
				}
				ld := n + r.IntN(20)
				if n == 1000 {
					ld = 1024
				}
				what := fmt.Sprintf("K=%d,D=%d,n=%d,ld=%d", k, d, n, ld)
				head, y := make([]float32, n*w), make([]float32, n*d)
				mixtureInputs(r, head, y, k, d)
				cols := make([]float32, w*ld)
				dcols := make([]float32, w*ld)
				for i := range cols {
					cols[i] = float32(math.NaN())
					dcols[i] = -7.25
				}
				for i := range n {
					for c := range w {
						cols[c*ld+i] = head[i*w+c]
					}
				}
				scale := float32(1) / float32(max(n, 1))
				if n%4 == 2 {
					scale = -2.5 // the clamped gradient code
				}
				nll, dhead := make([]float32, n), make([]float32, n*w)
				if rowsPath != "" {
					restore := cpufeat.Force(rowsPath)
					MixtureNLLGrad(nll, dhead, head, y, k, d, scale)
					restore()
				} else {
					kernels.MixtureNLLGrad(nll, dhead, head, y, k, d, scale)
				}
				got, got2 := make([]float32, n), make([]float32, n)
				MixtureNLLGradCols(got, dcols, cols, y, k, d, ld, scale)
				MixtureNLLCols(got2, cols, y, k, d, ld)
				for i := range n {
					if math.Float32bits(got[i]) != math.Float32bits(nll[i]) || math.Float32bits(got2[i]) != math.Float32bits(nll[i]) {
						t.Fatalf("%s row %d: nll by columns %v (forward only %v), by rows %v", what, i, got[i], got2[i], nll[i])
					}
				}
				for c := range w {
					for i := range ld {
						g := dcols[c*ld+i]
						if i >= n {
							if g != -7.25 {
								t.Fatalf("%s: dhead column %d lane %d beyond n written: %v", what, c, i, g)
							}
							continue
						}
						if math.Float32bits(g) != math.Float32bits(dhead[i*w+c]) {
							t.Fatalf("%s row %d column %d: gradient by columns %v, by rows %v", what, i, c, g, dhead[i*w+c])
						}
					}
				}
			}
		}
	})
}

func TestMixtureColsChecks(t *testing.T) {
	nll, y := make([]float32, 4), make([]float32, 4)
	mustPanic(t, func() { MixtureNLLCols(nll, make([]float32, 15*4-1), y, 5, 1, 4) }, "MixtureNLLCols", "len(head)")
	mustPanic(t, func() { MixtureNLLCols(nll, make([]float32, 15*3), y, 5, 1, 3) }, "MixtureNLLCols", "ld")
	mustPanic(t, func() { MixtureNLLCols(nll, make([]float32, 15*4), y[:3], 5, 1, 4) }, "MixtureNLLCols", "len(y)")
	mustPanic(t, func() {
		MixtureNLLGradCols(nll, make([]float32, 15*5-1), make([]float32, 15*5), y, 5, 1, 5, 1)
	}, "MixtureNLLGradCols", "len(dhead)")
	mustPanic(t, func() { MixtureNLLCols(nll, nil, y, 0, 1, 4) }, "MixtureNLLCols", "k and d")
	MixtureNLLCols(nil, nil, nil, 5, 1, 0) // no rows, no columns: nothing to do
}

func TestMixtureColsNoAlloc(t *testing.T) {
	forEachPath(t, func(t *testing.T) {
		const n, ld = 1000, 1008
		head, dhead := make([]float32, 15*ld), make([]float32, 15*ld)
		nll, y := make([]float32, n), make([]float32, n)
		if a := testing.AllocsPerRun(5, func() { MixtureNLLGradCols(nll, dhead, head, y, 5, 1, ld, 1) }); a != 0 {
			t.Fatalf("%v allocations per call", a)
		}
	})
}

// TestMixtureColsFenced runs the column kernels with y, nll, head and
// dhead against an inaccessible page, past the end and then before the
// start, for row counts whose last block is partial: a read or write
// outside a slice faults. The results must equal those on ordinary memory.
func TestMixtureColsFenced(t *testing.T) {
	if x, free := f32test.Fenced(1, false); free == nil {
		t.Skip("no fenced memory on this system")
	} else {
		_ = x
		free()
	}
	forEachPath(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(23, 24))
		for _, n := range []int{1, 7, 15, 16, 17, 33, 100} {
			for _, atStart := range []bool{false, true} {
				const k, d, w = 5, 1, 15
				ld := n
				head, y := make([]float32, n*w), make([]float32, n)
				mixtureInputs(r, head, y, k, d)
				cols := make([]float32, w*ld)
				for i := range n {
					for c := range w {
						cols[c*ld+i] = head[i*w+c]
					}
				}
				var frees []func()
				fenced := func(src []float32) []float32 {
					s, free := f32test.Fenced(len(src), atStart)
					frees = append(frees, free)
					copy(s, src)
					return s
				}
				fy, fcols := fenced(y), fenced(cols)
				fnll, fd := fenced(make([]float32, n)), fenced(make([]float32, w*ld))
				MixtureNLLGradCols(fnll, fd, fcols, fy, k, d, ld, 0.5)
				nll, dcols := make([]float32, n), make([]float32, w*ld)
				MixtureNLLGradCols(nll, dcols, cols, y, k, d, ld, 0.5)
				for i := range n {
					if math.Float32bits(fnll[i]) != math.Float32bits(nll[i]) {
						t.Fatalf("n=%d start=%v row %d: fenced nll %v, plain %v", n, atStart, i, fnll[i], nll[i])
					}
				}
				for i := range dcols {
					if math.Float32bits(fd[i]) != math.Float32bits(dcols[i]) {
						t.Fatalf("n=%d start=%v: fenced dhead[%d] %v, plain %v", n, atStart, i, fd[i], dcols[i])
					}
				}
				for _, f := range frees {
					f()
				}
			}
		}
	})
}

// BenchmarkMixtureNLLGradCols is the seed's mixture gradient (K=5, D=1,
// 1000 rows) by columns, beside BenchmarkMixtureNLLGrad's rows, with the
// columns 1008, 1024 and 1040 lanes apart (1024: 4 KiB, every column in
// the same L1 sets).
func BenchmarkMixtureNLLGradCols(b *testing.B) {
	const k, d, n = 5, 1, 1000
	w := MixtureWidth(k, d)
	r := rand.New(rand.NewPCG(9, 10))
	head, y := make([]float32, n*w), make([]float32, n*d)
	mixtureInputs(r, head, y, k, d)
	nll := make([]float32, n)
	for _, ld := range []int{1008, 1024, 1040} {
		cols, dcols := make([]float32, w*ld), make([]float32, w*ld)
		for i := range n {
			for c := range w {
				cols[c*ld+i] = head[i*w+c]
			}
		}
		benchEachPath(b, fmt.Sprintf("size=%dx%dx%d/ld=%d", n, k, d, ld), func(b *testing.B, _ string) {
			b.ReportAllocs()
			for b.Loop() {
				MixtureNLLGradCols(nll, dcols, cols, y, k, d, ld, 1/float32(n))
			}
		})
	}
}
