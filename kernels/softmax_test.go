package kernels

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/mdnsimd/mdnsimd/internal/f32test"
)

func TestLogSumExpOracle(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	inf := float32(math.Inf(1))
	for _, n := range f32test.Lengths() {
		for _, sd := range []float32{1, 100, 1e30} {
			x := make([]float32, n)
			f32test.Normal(r, x, sd)
			m := math.Inf(-1)
			for _, v := range x {
				m = math.Max(m, float64(v))
			}
			var s float64
			for _, v := range x {
				s += math.Exp(float64(v) - m)
			}
			want := float32(m + math.Log(s))
			if got := LogSumExp(x); !f32test.Close(got, want, 4, float64(n/8+4)*0x1p-24, 1) {
				t.Fatalf("n=%d sd=%g: LogSumExp = %g, want %g", n, sd, got, want)
			}
		}
	}
	for _, c := range []struct {
		x    []float32
		want float32
	}{
		{nil, -inf}, {[]float32{-inf, -inf}, -inf}, {[]float32{1, inf, 2}, inf},
		{[]float32{math.MaxFloat32, math.MaxFloat32}, math.MaxFloat32}, {[]float32{-inf, 7, -inf}, 7},
	} {
		if got := LogSumExp(c.x); got != c.want {
			t.Errorf("LogSumExp(%v) = %g, want %g", c.x, got, c.want)
		}
	}
	if got := LogSumExp([]float32{inf, float32(math.NaN())}); got == got {
		t.Errorf("LogSumExp(+Inf, NaN) = %g, want NaN", got)
	}
}

func TestSoftmaxOracle(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	for _, cols := range f32test.Lengths() {
		const rows = 2
		x := make([]float32, rows*cols)
		f32test.Normal(r, x, 5)
		sm, ls := make([]float32, len(x)), make([]float32, len(x))
		Softmax(sm, x, rows, cols)
		LogSoftmax(ls, x, rows, cols)
		tol := float64(cols+8) * 0x1p-24
		for i := 0; i < rows; i++ {
			row := x[i*cols : (i+1)*cols]
			m := math.Inf(-1)
			for _, v := range row {
				m = math.Max(m, float64(v))
			}
			var s, sum float64
			for _, v := range row {
				s += math.Exp(float64(v) - m)
			}
			for j, v := range row {
				a := float64(v) - m
				want := math.Exp(a) / s
				got := float64(sm[i*cols+j])
				if math.Abs(got-want) > (tol+math.Abs(a)*0x1p-24)*want {
					t.Fatalf("Softmax cols=%d [%d][%d] = %g, want %g", cols, i, j, got, want)
				}
				if lw := float32(a - math.Log(s)); !f32test.Close(ls[i*cols+j], lw, 2, tol, 1) {
					t.Fatalf("LogSoftmax cols=%d [%d][%d] = %g, want %g", cols, i, j, ls[i*cols+j], lw)
				}
				sum += got
			}
			if cols > 0 && math.Abs(sum-1) > tol {
				t.Fatalf("Softmax cols=%d row %d sums to 1%+g", cols, i, sum-1)
			}
		}
	}
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	for _, row := range [][]float32{{1, nan, 2}, {1, inf, 2}, {-inf, -inf, -inf}} {
		for _, f := range []func(dst, x []float32, rows, cols int){Softmax, LogSoftmax} {
			dst := make([]float32, 3)
			f(dst, row, 1, 3)
			for _, v := range dst {
				if v == v {
					t.Fatalf("row %v gave %v, want all NaN", row, dst)
				}
			}
		}
	}
}
