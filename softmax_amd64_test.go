//go:build !purego

package mdnsimd

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
	"github.com/mdnsimd/mdnsimd/internal/f32test"
)

// sameRowBits fails t unless got has want's bits, NaN matching any NaN;
// by names where want came from.
func sameRowBits(t *testing.T, what, by string, got, want []float32, cols int) {
	t.Helper()
	for i := range want {
		g, w := got[i], want[i]
		if math.Float32bits(g) != math.Float32bits(w) && !(g != g && w != w) {
			t.Fatalf("%s: [%d] (row %d) = %g (%#x), %s %g (%#x)", what, i, i/cols, g, math.Float32bits(g), by, w, math.Float32bits(w))
		}
	}
}

// TestSoftmaxColsAVX2 holds softmaxColsAVX2 (2 to 8 columns, blocks of 8
// rows in chunks of 32 blocks), for Softmax and LogSoftmax, to the bits of
// softmaxRowsAVX2 (what they run for such rows otherwise), on rows with special values (NaN rows
// compared as NaN) and on rows whose terms e^(x−m) span the float32 range,
// out of place and in place, with guards around both slices and against
// inaccessible pages.
func TestSoftmaxColsAVX2(t *testing.T) {
	if !cpufeat.HasAVX2FMA {
		t.Skip("no AVX2+FMA: softmaxColsAVX2 not run")
	}
	// Also with x and dst against an inaccessible page (past their ends,
	// then before their starts), where a load or store outside them
	// faults; not under qemu, which faults on the masked-off lanes of
	// VMASKMOVPS loads where hardware does not.
	fence := os.Getenv("MDNSIMD_EMULATED") != "qemu-x86_64"
	if _, free := f32test.Fenced(1, false); free == nil {
		fence = false
	} else {
		free()
	}
	special := []float32{float32(math.Inf(-1)), float32(math.Inf(1)), float32(math.NaN()), 0, float32(math.Copysign(0, -1)), -1e38, 1e38, 88, -104}
	r := rand.New(rand.NewPCG(13, 14))
	for _, log := range []bool{false, true} {
		for cols := 2; cols <= 8; cols++ {
			for _, blocks := range []int{1, 2, 3, 31, 32, 33, 70} {
				rows := 8 * blocks
				n := rows * cols
				what := fmt.Sprintf("log=%v rows=%d cols=%d", log, rows, cols)
				x, checkX := f32test.Guarded(n, r.IntN(8))
				f32test.Normal(r, x, []float32{1, 10, 100}[r.IntN(3)])
				for range r.IntN(4) {
					x[r.IntN(n)] = special[r.IntN(len(special))]
				}
				want := make([]float32, n)
				softmaxRowsAVX2(want, x, rows, cols, log)
				dst, checkD := f32test.Guarded(n, r.IntN(8))
				softmaxColsAVX2(dst, x, blocks, cols, log)
				same := func(got []float32, how string) {
					t.Helper()
					sameRowBits(t, what+" "+how, "by rows", got, want, cols)
				}
				same(dst, "out of place")
				if fence {
					for _, atStart := range []bool{false, true} {
						xf, freeX := f32test.Fenced(n, atStart)
						df, freeD := f32test.Fenced(n, atStart)
						copy(xf, x)
						softmaxColsAVX2(df, xf, blocks, cols, log)
						same(df, fmt.Sprintf("fenced at start=%v", atStart))
						softmaxColsAVX2(xf, xf, blocks, cols, log)
						same(xf, fmt.Sprintf("in place, fenced at start=%v", atStart))
						freeX()
						freeD()
					}
				}
				softmaxColsAVX2(x, x, blocks, cols, log)
				same(x, "in place")
				checkGuards(t, what, checkX, checkD)
			}
		}
	}
}

// TestSoftmaxPairsAVX512 holds softmaxPairsAVX512 (5 to 8 columns) and
// softmaxColsAVX512 (9 to 16) to the bits of softmaxGroupsAVX512 with
// groups of 8 and 16 lanes (what Softmax ran for them before), on rows with
// special values (NaN rows compared as NaN), out of place and in place,
// with guards around both slices.
func TestSoftmaxPairsAVX512(t *testing.T) {
	if !cpufeat.HasAVX512 {
		t.Skip("no AVX-512: softmaxPairsAVX512 and softmaxColsAVX512 not run")
	}
	special := []float32{float32(math.Inf(-1)), float32(math.Inf(1)), float32(math.NaN()), 0, float32(math.Copysign(0, -1)), -1e38, 1e38, 88, -104}
	r := rand.New(rand.NewPCG(11, 12))
	for cols := 5; cols <= 16; cols++ {
		for _, log := range []bool{false, true} {
			if log && cols > 8 {
				continue // LogSoftmax by columns: 5 to 8 only
			}
			for _, blocks := range []int{1, 2, 3, 7, 63} {
				rows := 16 * blocks
				n := rows * cols
				what := fmt.Sprintf("rows=%d cols=%d log=%v", rows, cols, log)
				x, checkX := f32test.Guarded(n, r.IntN(8))
				f32test.Normal(r, x, []float32{1, 10, 100}[r.IntN(3)])
				for range r.IntN(4) {
					x[r.IntN(n)] = special[r.IntN(len(special))]
				}
				want := make([]float32, n)
				kernel := func(dst, x []float32) { softmaxColsAVX512(dst, x, blocks, cols) }
				if cols <= 8 {
					kin := uint16(1<<cols-1) | uint16(1<<cols-1)<<8
					softmaxGroupsAVX512(want, x, rows/2, 8, 8*cols, kin, uint16(1<<(2*cols)-1), log)
					kernel = func(dst, x []float32) { softmaxPairsAVX512(dst, x, blocks, cols, log) }
				} else {
					k := uint16(1<<cols - 1)
					softmaxGroupsAVX512(want, x, rows, 16, 4*cols, k, k, false)
				}
				dst, checkD := f32test.Guarded(n, r.IntN(8))
				kernel(dst, x)
				same := func(got []float32, how string) {
					t.Helper()
					sameRowBits(t, what+" "+how, "groups give", got, want, cols)
				}
				same(dst, "out of place")
				kernel(x, x)
				same(x, "in place")
				checkGuards(t, what, checkX, checkD)
			}
		}
	}
}
