package bench

import (
	"fmt"
	"math"
	"testing"

	"github.com/mdnsimd/mdnsimd"
	"github.com/mdnsimd/mdnsimd/kernels"
	"github.com/viterin/vek/vek32"
	"gonum.org/v1/gonum/floats"
)

// vecSizes are the vector lengths: 4096 is the size the SLEEF anchor
// measures, 20000 the 1000×20 hidden layer of the seed model, the rest a
// sweep for the throughput plot.
var vecSizes = []int{64, 256, 1024, 4096, 16384, 20000, 65536}

func perElem(n int) func(float64) float64 {
	return func(ns float64) float64 { return ns / float64(n) }
}

// vekTanh is tanh(x) = 1 − 2/(e^{2x}+1) composed from vek32's elementwise
// operations (vek has no tanh); six passes over dst, which may be x.
func vekTanh(dst, x []float32) {
	if &dst[0] != &x[0] {
		copy(dst, x)
	}
	vek32.MulNumber_Inplace(dst, 2)
	vek32.Exp_Inplace(dst)
	vek32.AddNumber_Inplace(dst, 1)
	vek32.Inv_Inplace(dst)
	vek32.MulNumber_Inplace(dst, -2)
	vek32.AddNumber_Inplace(dst, 1)
}

func BenchmarkTanh(b *testing.B) {
	for _, n := range vecSizes {
		x, dst := ramp(n), make([]float32, n)
		b.Run(fmt.Sprintf("size=%d", n), func(b *testing.B) {
			runImpls(b, []impl{
				{name: "mdnsimd", fn: func() { mdnsimd.Tanh(dst, x) }},
				{name: "purego", fn: func() { kernels.Tanh(dst, x) }},
				{name: "naive", fn: func() {
					for i, v := range x {
						dst[i] = tanh64(v)
					}
				}},
				{name: "vek", fn: func() { vekTanh(dst, x) }},
			}, "ns/elem", perElem(n))
		})
	}
}

func BenchmarkExp(b *testing.B) {
	for _, n := range vecSizes {
		x, dst := ramp(n), make([]float32, n)
		b.Run(fmt.Sprintf("size=%d", n), func(b *testing.B) {
			runImpls(b, []impl{
				{name: "mdnsimd", fn: func() { mdnsimd.Exp(dst, x) }},
				{name: "purego", fn: func() { kernels.Exp(dst, x) }},
				{name: "naive", fn: func() {
					for i, v := range x {
						dst[i] = float32(math.Exp(float64(v)))
					}
				}},
				{name: "vek", fn: func() { vek32.Exp_Into(dst, x) }},
			}, "ns/elem", perElem(n))
		})
	}
}

var sinkF32 float32
var sinkF64 float64

func BenchmarkLogSumExp(b *testing.B) {
	for _, n := range []int{5, 20, 4096} {
		x := normals(newRand(), n, 3)
		x64 := to64(x)
		tmp := make([]float32, n)
		b.Run(fmt.Sprintf("size=%d", n), func(b *testing.B) {
			runImpls(b, []impl{
				{name: "mdnsimd", fn: func() { sinkF32 = mdnsimd.LogSumExp(x) }},
				{name: "purego", fn: func() { sinkF32 = kernels.LogSumExp(x) }},
				{name: "naive", fn: func() {
					m := math.Inf(-1)
					for _, v := range x {
						m = math.Max(m, float64(v))
					}
					s := 0.0
					for _, v := range x {
						s += math.Exp(float64(v) - m)
					}
					sinkF32 = float32(m + math.Log(s))
				}},
				{name: "gonum", fn: func() { sinkF64 = floats.LogSumExp(x64) }},
				{name: "vek", fn: func() {
					m := vek32.Max(x)
					vek32.AddNumber_Into(tmp, x, -m)
					vek32.Exp_Inplace(tmp)
					sinkF32 = m + float32(math.Log(float64(vek32.Sum(tmp))))
				}},
			}, "ns/elem", perElem(n))
		})
	}
}

// softmaxSizes are the seed's mixture logits (1000 rows × K=5) and the wide
// model's (10000 × K=20).
var softmaxSizes = [][2]int{{1000, 5}, {10000, 20}}

func BenchmarkSoftmax(b *testing.B) {
	for _, s := range softmaxSizes {
		rows, cols := s[0], s[1]
		x := normals(newRand(), rows*cols, 3)
		dst := make([]float32, rows*cols)
		b.Run(fmt.Sprintf("size=%dx%d", rows, cols), func(b *testing.B) {
			runImpls(b, []impl{
				{name: "mdnsimd", fn: func() { mdnsimd.Softmax(dst, x, rows, cols) }},
				{name: "purego", fn: func() { kernels.Softmax(dst, x, rows, cols) }},
				{name: "naive", fn: func() { naiveSoftmax(dst, x, rows, cols) }},
			}, "ns/elem", perElem(rows*cols))
		})
	}
}

func BenchmarkLogSoftmax(b *testing.B) {
	for _, s := range softmaxSizes {
		rows, cols := s[0], s[1]
		x := normals(newRand(), rows*cols, 3)
		dst := make([]float32, rows*cols)
		b.Run(fmt.Sprintf("size=%dx%d", rows, cols), func(b *testing.B) {
			runImpls(b, []impl{
				{name: "mdnsimd", fn: func() { mdnsimd.LogSoftmax(dst, x, rows, cols) }},
				{name: "purego", fn: func() { kernels.LogSoftmax(dst, x, rows, cols) }},
			}, "ns/elem", perElem(rows*cols))
		})
	}
}

func naiveSoftmax(dst, x []float32, rows, cols int) {
	for r := 0; r < rows; r++ {
		xr, dr := x[r*cols:(r+1)*cols], dst[r*cols:(r+1)*cols]
		m := math.Inf(-1)
		for _, v := range xr {
			m = math.Max(m, float64(v))
		}
		s := 0.0
		for i, v := range xr {
			e := math.Exp(float64(v) - m)
			dr[i] = float32(e)
			s += e
		}
		for i := range dr {
			dr[i] = float32(float64(dr[i]) / s)
		}
	}
}
