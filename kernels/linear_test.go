package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The reference kernels sum in float32, one term at a time from the start
// value s0: the result is within γ·S of the exact sum, S = |s0| + Σ|terms|,
// γ = n·u/(1−n·u) ≤ 1.01·n·u for the n = K+1 roundings, u = 2⁻²⁴. The
// oracles below sum in float64, whose own error is far below that.
const unit = 0x1p-24

func gamma(k int) float64 { return 1.01 * float64(k+1) * unit }

func fill(r *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = 2*r.Float32() - 1
	}
	return s
}

var shapes = [][3]int{{0, 3, 4}, {3, 0, 4}, {3, 4, 0}, {1, 1, 1}, {7, 13, 17}, {33, 65, 31}, {1000, 1, 20}, {50, 20, 15}}

func TestLinearOracle(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for _, sh := range shapes {
		rows, in, out := sh[0], sh[1], sh[2]
		x, w, b := fill(r, rows*in), fill(r, out*in), fill(r, out)
		dst, th := make([]float32, rows*out), make([]float32, rows*out)
		Linear(dst, x, w, b, rows, in, out)
		LinearTanh(th, x, w, b, rows, in, out)
		for i := 0; i < rows; i++ {
			for o := 0; o < out; o++ {
				s, abs := float64(b[o]), math.Abs(float64(b[o]))
				for j := 0; j < in; j++ {
					p := float64(x[i*in+j]) * float64(w[o*in+j])
					s, abs = s+p, abs+math.Abs(p)
				}
				got := float64(dst[i*out+o])
				if math.Abs(got-s) > gamma(in)*abs {
					t.Fatalf("%v: Linear[%d][%d] = %v, want %v", sh, i, o, got, s)
				}
				// tanh: the sum's error passes through (|tanh'| ≤ 1), plus the
				// 2 ULP of Tanh (≤ 2·2⁻²³·|tanh| + the smallest normal spacing).
				gt, wt := float64(th[i*out+o]), math.Tanh(s)
				if math.Abs(gt-wt) > gamma(in)*abs+4*unit*math.Abs(wt)+0x1p-149 {
					t.Fatalf("%v: LinearTanh[%d][%d] = %v, want %v", sh, i, o, gt, wt)
				}
			}
		}
	}
}

func TestLinearGradOracle(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 2))
	for _, sh := range shapes {
		rows, in, out := sh[0], sh[1], sh[2]
		x, w, dh, h := fill(r, rows*in), fill(r, out*in), fill(r, rows*out), fill(r, rows*out)
		dw0, db0 := fill(r, out*in), fill(r, out)
		dw, db, dz := append([]float32(nil), dw0...), append([]float32(nil), db0...), make([]float32, rows*out)
		LinearTanhGradWeights(dw, db, dz, dh, h, x, rows, in, out)
		dx := fill(r, rows*in)
		LinearGradInput(dx, dz, w, rows, in, out)
		// dz = dh·(1−h²): two or three roundings.
		for i := range dz {
			want := float64(dh[i]) * (1 - float64(h[i])*float64(h[i]))
			if math.Abs(float64(dz[i])-want) > 3*unit*math.Abs(float64(dh[i])) {
				t.Fatalf("%v: dz[%d] = %v, want %v", sh, i, dz[i], want)
			}
		}
		// The GEMMs are checked on the float32 dz they were given.
		for o := 0; o < out; o++ {
			s, abs := float64(db0[o]), math.Abs(float64(db0[o]))
			for i := 0; i < rows; i++ {
				s, abs = s+float64(dz[i*out+o]), abs+math.Abs(float64(dz[i*out+o]))
			}
			if math.Abs(float64(db[o])-s) > gamma(rows)*abs {
				t.Fatalf("%v: db[%d] = %v, want %v", sh, o, db[o], s)
			}
			for j := 0; j < in; j++ {
				s, abs := float64(dw0[o*in+j]), math.Abs(float64(dw0[o*in+j]))
				for i := 0; i < rows; i++ {
					p := float64(dz[i*out+o]) * float64(x[i*in+j])
					s, abs = s+p, abs+math.Abs(p)
				}
				if math.Abs(float64(dw[o*in+j])-s) > gamma(rows)*abs {
					t.Fatalf("%v: dw[%d][%d] = %v, want %v", sh, o, j, dw[o*in+j], s)
				}
			}
		}
		for i := 0; i < rows; i++ {
			for j := 0; j < in; j++ {
				s, abs := 0.0, 0.0
				for o := 0; o < out; o++ {
					p := float64(dz[i*out+o]) * float64(w[o*in+j])
					s, abs = s+p, abs+math.Abs(p)
				}
				if math.Abs(float64(dx[i*in+j])-s) > gamma(out)*abs {
					t.Fatalf("%v: dx[%d][%d] = %v, want %v", sh, i, j, dx[i*in+j], s)
				}
			}
		}
	}
}
