//go:build !purego

package mdn

import (
	"math"
	"testing"

	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
)

// TestCDFKernelDecides holds cdfAVX2 to the rows it must take (weights of
// 0 among positive ones) and those it must leave to Go (a negative, NaN
// or infinite weight, a μ that is not finite, σ = 0, negative or not
// finite), by the rows it returns: the blocks before the first such row.
func TestCDFKernelDecides(t *testing.T) {
	if !cpufeat.HasAVX2FMA {
		t.Skip("no AVX2+FMA: cdfAVX2 not run")
	}
	const k, n = 3, 12
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	for _, c := range []struct {
		name  string
		field int // 0 π, 1 μ, 2 σ
		v     float32
		take  bool
	}{
		{"zero weight", 0, 0, true}, {"negative weight", 0, -0.25, false}, {"NaN weight", 0, nan, false},
		{"infinite weight", 0, inf, false}, {"NaN μ", 1, nan, false}, {"infinite μ", 1, -inf, false},
		{"σ = 0", 2, 0, false}, {"negative σ", 2, -1, false}, {"infinite σ", 2, inf, false}, {"NaN σ", 2, nan, false},
	} {
		// In one dimension, and in the second of two, where the first
		// (whose μ and σ are proper) is taken unless the weight is not.
		for _, d := range []int{1, 2} {
			pi, mu, sg, y := make([]float32, n*k), make([]float32, n*k*d), make([]float32, n*k*d), make([]float32, n*d)
			for i := range pi {
				pi[i] = 0.25 + float32(i%2)*0.25
			}
			for i := range mu {
				mu[i], sg[i] = float32(i%5), 1
			}
			// Row 6 (block 1), component 1, the last dimension.
			if c.field == 0 {
				pi[6*k+1] = c.v
			} else {
				[][]float32{mu, sg}[c.field-1][(6*k+1)*d+d-1] = c.v
			}
			for j := range d {
				dst := make([]float32, n*d)
				want := n
				if !c.take && (j == d-1 || c.field == 0) {
					want = 4
				}
				if got := cdfAVX2(dst[j:], y[j:], pi, mu[j:], sg[j:], n, k, d); got != want {
					t.Errorf("%s, dimension %d of %d: the kernel did %d rows, want %d", c.name, j, d, got, want)
				}
			}
		}
	}
}
