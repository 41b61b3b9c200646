package kernels

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/mdnsimd/mdnsimd/internal/f32test"
)

// TestMixtureBufferedRecompute holds the two implementations of the
// reference to each other: both compute in float64 and round once, so they
// agree within 1 ULP (the float64 results differ by a few float64 ULP from
// reassociation, which can flip one float32 rounding), or within
// 1e-12·(1+|nll|) where a gradient entry cancels to nearly zero.
func TestMixtureBufferedRecompute(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, kd := range [][2]int{{1, 1}, {2, 3}, {5, 1}, {20, 4}, {64, 4}} {
		k, d := kd[0], kd[1]
		w, n := k+2*k*d, 37
		head, y := make([]float32, n*w), make([]float32, n*d)
		for i := range n {
			h := head[i*w : (i+1)*w]
			f32test.Uniform(r, h[:k], -3, 3)
			f32test.Normal(r, h[k:k+k*d], 2)
			f32test.Uniform(r, h[k+k*d:], -2, 1)
		}
		f32test.Normal(r, y, 3)
		nll1, g1 := make([]float32, n), make([]float32, n*w)
		nll2, g2 := make([]float32, n), make([]float32, n*w)
		mixtureBuffered(nll1, g1, head, y, k, d, 0.25)
		mixtureRecompute(nll2, g2, head, y, k, d, 0.25)
		for i := range n {
			floor := 1e-12 * (1 + math.Abs(float64(nll2[i])))
			if !f32test.Close(nll1[i], nll2[i], 1, 0, 0) {
				t.Fatalf("K=%d,D=%d row %d: nll %v buffered, %v recomputed", k, d, i, nll1[i], nll2[i])
			}
			for j := range w {
				a, b := g1[i*w+j], g2[i*w+j]
				if !f32test.Close(a, b, 1, 0, 0) && math.Abs(float64(a-b)) > floor {
					t.Fatalf("K=%d,D=%d row %d: dhead[%d] %v buffered, %v recomputed", k, d, i, j, a, b)
				}
			}
		}
	}
}

// TestMixtureDispatchesWide checks that mixture picks the recomputing
// implementation beyond the buffer bounds and still fills every output.
func TestMixtureDispatchesWide(t *testing.T) {
	for _, kd := range [][2]int{{maxBufK + 1, 1}, {10, maxBufKD/10 + 1}} {
		k, d := kd[0], kd[1]
		w, n := k+2*k*d, 3
		head, y := make([]float32, n*w), make([]float32, n*d)
		nll, g := make([]float32, n), make([]float32, n*w)
		for i := range g {
			g[i] = float32(math.NaN())
		}
		MixtureNLLGrad(nll, g, head, y, k, d, 1)
		for i, v := range append(nll, g...) {
			if v != v || math.IsInf(float64(v), 0) {
				t.Fatalf("K=%d,D=%d: output %d = %v", k, d, i, v)
			}
		}
	}
}
