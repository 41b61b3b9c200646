package bench

import (
	"math"
	"testing"

	"github.com/mdnsimd/mdnsimd"
	"github.com/mdnsimd/mdnsimd/kernels"
	"github.com/viterin/vek/vek32"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

// gemmShapes are rows×in→out: the seed model's hidden layer (1000×1→20) and
// fused heads (1000×20→15), the wide model's layers (10000×1→256,
// 10000×256→60), a wide square-ish layer (10000×256→256) and square sizes
// for the throughput plot (256³ is the OpenBLAS/oneDNN comparison).
var gemmShapes = []shape{
	{1000, 1, 20}, {1000, 20, 15},
	{10000, 1, 256}, {10000, 256, 60}, {10000, 256, 256},
	{32, 32, 32}, {64, 64, 64}, {128, 128, 128}, {256, 256, 256}, {512, 512, 512},
}

// backShapes are the shapes the backward GEMMs are measured at.
var backShapes = []shape{
	{1000, 1, 20}, {1000, 20, 15},
	{10000, 1, 256}, {10000, 256, 60}, {10000, 256, 256},
	{256, 256, 256},
}

// gemmData holds one layer's operands, in the library's layout
// (x rows×in, w out×in, b out) and, for vek, w transposed (in×out).
type gemmData struct {
	shape
	x, w, wT, b, dst []float32
	// backward operands
	dh, h, dz, dw, db, dx []float32
}

func newGemmData(s shape) *gemmData {
	r := newRand()
	g := &gemmData{shape: s}
	g.x = normals(r, s.rows*s.in, 1)
	g.w = normals(r, s.out*s.in, 0.1)
	g.b = normals(r, s.out, 0.1)
	g.dst = make([]float32, s.rows*s.out)
	g.wT = make([]float32, s.in*s.out)
	for o := 0; o < s.out; o++ {
		for i := 0; i < s.in; i++ {
			g.wT[i*s.out+o] = g.w[o*s.in+i]
		}
	}
	g.dh = normals(r, s.rows*s.out, 1)
	g.h = make([]float32, s.rows*s.out)
	kernels.LinearTanh(g.h, g.x, g.w, g.b, s.rows, s.in, s.out)
	g.dz = make([]float32, s.rows*s.out)
	g.dw = make([]float32, s.out*s.in)
	g.db = make([]float32, s.out)
	g.dx = make([]float32, s.rows*s.in)
	return g
}

func general(rows, cols int, data []float32) blas32.General {
	return blas32.General{Rows: rows, Cols: cols, Stride: cols, Data: data}
}

// gonumLinear is blas32 Sgemm (dst = x·wᵀ) then a second pass adding the
// bias and, when act, applying tanh in float64.
func (g *gemmData) gonumLinear(act bool) {
	blas32.Gemm(blas.NoTrans, blas.Trans, 1, general(g.rows, g.in, g.x), general(g.out, g.in, g.w), 0, general(g.rows, g.out, g.dst))
	for r := 0; r < g.rows; r++ {
		d := g.dst[r*g.out : (r+1)*g.out]
		for o := range d {
			if act {
				d[o] = tanh64(d[o] + g.b[o])
			} else {
				d[o] += g.b[o]
			}
		}
	}
}

// naiveLinear is the loop a Go programmer writes: float64 accumulation,
// math.Tanh.
func (g *gemmData) naiveLinear(act bool) {
	for r := 0; r < g.rows; r++ {
		xr := g.x[r*g.in : (r+1)*g.in]
		for o := 0; o < g.out; o++ {
			wo := g.w[o*g.in : (o+1)*g.in]
			s := float64(g.b[o])
			for i, v := range xr {
				s += float64(v) * float64(wo[i])
			}
			if act {
				s = math.Tanh(s)
			}
			g.dst[r*g.out+o] = float32(s)
		}
	}
}

// vekLinear is vek32.MatMul_Into with the weights pre-transposed to in×out
// (vek multiplies row-major m×n by n×p), then the bias per row and, when
// act, the tanh composed from vek operations. vek splits a large product
// over goroutines, one per CPU; the benchmark runs it with GOMAXPROCS=1.
func (g *gemmData) vekLinear(act bool) {
	vek32.MatMul_Into(g.dst, g.x, g.wT, g.in)
	for r := 0; r < g.rows; r++ {
		vek32.Add_Inplace(g.dst[r*g.out:(r+1)*g.out], g.b)
	}
	if act {
		vekTanh(g.dst, g.dst)
	}
}

func benchForward(b *testing.B, act bool) {
	for _, s := range gemmShapes {
		g := newGemmData(s)
		b.Run(s.String(), func(b *testing.B) {
			mds, pure := mdnsimd.Linear, kernels.Linear
			if act {
				mds, pure = mdnsimd.LinearTanh, kernels.LinearTanh
			}
			runImpls(b, []impl{
				{name: "mdnsimd", fn: func() { mds(g.dst, g.x, g.w, g.b, s.rows, s.in, s.out) }},
				{name: "purego", fn: func() { pure(g.dst, g.x, g.w, g.b, s.rows, s.in, s.out) }},
				{name: "gonum", fn: func() { g.gonumLinear(act) }},
				{name: "naive", fn: func() { g.naiveLinear(act) }},
				{name: "vek", fn: func() { g.vekLinear(act) }, oneProc: true},
			}, "GFLOP/s", s.gflops)
		})
	}
}

// BenchmarkLinear measures dst = x·wᵀ + b.
func BenchmarkLinear(b *testing.B) { benchForward(b, false) }

// BenchmarkLinearTanh measures dst = tanh(x·wᵀ + b).
func BenchmarkLinearTanh(b *testing.B) { benchForward(b, true) }

// BenchmarkLinearGradWeights measures dw += dzᵀ·x, db += Σ dz.
func BenchmarkLinearGradWeights(b *testing.B) {
	for _, s := range backShapes {
		g := newGemmData(s)
		copy(g.dz, g.dh)
		b.Run(s.String(), func(b *testing.B) {
			runImpls(b, []impl{
				{name: "mdnsimd", fn: func() { mdnsimd.LinearGradWeights(g.dw, g.db, g.dz, g.x, s.rows, s.in, s.out) }},
				{name: "purego", fn: func() { kernels.LinearGradWeights(g.dw, g.db, g.dz, g.x, s.rows, s.in, s.out) }},
				{name: "gonum", fn: func() { g.gonumGradWeights() }},
				{name: "naive", fn: func() { g.naiveGradWeights() }},
			}, "GFLOP/s", s.gflops)
		})
	}
}

// BenchmarkLinearTanhGradWeights measures dz = dh ⊙ (1 − h²),
// dw += dzᵀ·x, db += Σ dz.
func BenchmarkLinearTanhGradWeights(b *testing.B) {
	for _, s := range backShapes {
		g := newGemmData(s)
		b.Run(s.String(), func(b *testing.B) {
			runImpls(b, []impl{
				{name: "mdnsimd", fn: func() { mdnsimd.LinearTanhGradWeights(g.dw, g.db, g.dz, g.dh, g.h, g.x, s.rows, s.in, s.out) }},
				{name: "purego", fn: func() { kernels.LinearTanhGradWeights(g.dw, g.db, g.dz, g.dh, g.h, g.x, s.rows, s.in, s.out) }},
				{name: "gonum", fn: func() { g.tanhGrad(); g.gonumGradWeights() }},
				{name: "naive", fn: func() { g.tanhGrad(); g.naiveGradWeights() }},
			}, "GFLOP/s", s.gflops)
		})
	}
}

// BenchmarkLinearGradInput measures dx = dz·w.
func BenchmarkLinearGradInput(b *testing.B) {
	for _, s := range backShapes {
		g := newGemmData(s)
		copy(g.dz, g.dh)
		b.Run(s.String(), func(b *testing.B) {
			runImpls(b, []impl{
				{name: "mdnsimd", fn: func() { mdnsimd.LinearGradInput(g.dx, g.dz, g.w, s.rows, s.in, s.out) }},
				{name: "purego", fn: func() { kernels.LinearGradInput(g.dx, g.dz, g.w, s.rows, s.in, s.out) }},
				{name: "gonum", fn: func() {
					blas32.Gemm(blas.NoTrans, blas.NoTrans, 1, general(s.rows, s.out, g.dz), general(s.out, s.in, g.w), 0, general(s.rows, s.in, g.dx))
				}},
				{name: "naive", fn: func() { g.naiveGradInput() }},
			}, "GFLOP/s", s.gflops)
		})
	}
}

func (g *gemmData) tanhGrad() {
	for i, v := range g.h {
		g.dz[i] = g.dh[i] * (1 - v*v)
	}
}

func (g *gemmData) gonumGradWeights() {
	blas32.Gemm(blas.Trans, blas.NoTrans, 1, general(g.rows, g.out, g.dz), general(g.rows, g.in, g.x), 1, general(g.out, g.in, g.dw))
	for r := 0; r < g.rows; r++ {
		for o, v := range g.dz[r*g.out : (r+1)*g.out] {
			g.db[o] += v
		}
	}
}

func (g *gemmData) naiveGradWeights() {
	for o := 0; o < g.out; o++ {
		dwo := g.dw[o*g.in : (o+1)*g.in]
		for i := range dwo {
			s := float64(dwo[i])
			for r := 0; r < g.rows; r++ {
				s += float64(g.dz[r*g.out+o]) * float64(g.x[r*g.in+i])
			}
			dwo[i] = float32(s)
		}
		s := float64(g.db[o])
		for r := 0; r < g.rows; r++ {
			s += float64(g.dz[r*g.out+o])
		}
		g.db[o] = float32(s)
	}
}

func (g *gemmData) naiveGradInput() {
	for r := 0; r < g.rows; r++ {
		dzr := g.dz[r*g.out : (r+1)*g.out]
		for i := 0; i < g.in; i++ {
			s := 0.0
			for o, v := range dzr {
				s += float64(v) * float64(g.w[o*g.in+i])
			}
			g.dx[r*g.in+i] = float32(s)
		}
	}
}
