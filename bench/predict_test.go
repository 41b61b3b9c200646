package bench

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/mdnsimd/mdnsimd"
	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
	"github.com/mdnsimd/mdnsimd/mdn"
)

// The prediction benchmarks: every query of mdn.Predictor (the API that
// allocates nothing per call), at 1 and 1000 rows, on the seed model
// (1→20→K=5) and the wide one (1→256→K=20), each trained briefly on the
// seed's data so that its mixtures have the shapes of a fitted model
// (separated branches, uneven weights), which is what the quantile solver's
// cost depends on. Names are
//
//	BenchmarkQuery/size=seed-1000/query=quantiles/impl=avx2fma
//
// with impl the kernel path, each path the CPU runs in turn (generic when
// built with -tags purego;
// anchors/pytorch_mdn.py -predict writes impl=pytorch lines for the
// mixture's forward pass and for sampling). query=kernels is the kernels
// that query=mixture runs, called directly on the same shapes: the hidden
// layers, the fused head GEMM, the softmax of the logits and the
// exponential of the log σ over the whole chunk.

var (
	predictModelsOnce sync.Once
	predictModels     map[string]*mdn.Model
)

// predictModel returns the trained model of a workload.
func predictModel(b *testing.B, md model) *mdn.Model {
	predictModelsOnce.Do(func() {
		predictModels = map[string]*mdn.Model{}
		for _, w := range models {
			m, err := mdn.New(mdn.Config{In: 1, Out: 1, Hidden: []int{w.hidden}, K: w.k}, 1)
			if err != nil {
				panic(err)
			}
			epochs := 3000
			if w.hidden > 20 {
				epochs = 300
			}
			if _, err := m.Train(context.Background(), mdn.Sinusoid(1000, 1, true), mdn.TrainOptions{Epochs: epochs}); err != nil {
				panic(err)
			}
			predictModels[w.name] = m
		}
	})
	return predictModels[md.name]
}

// predictInputs returns n inputs spread over the data's range, and targets
// drawn from the data's relation.
func predictInputs(n int) (x, y []float32) {
	d := mdn.Sinusoid(max(n, 2), 3, true)
	return d.X[:n], d.Y[:n]
}

func BenchmarkQuery(b *testing.B) {
	for _, md := range models {
		for _, n := range []int{1, 1000} {
			m := predictModel(b, md)
			x, y := predictInputs(n)
			p := m.NewPredictor()
			var mix mdn.Mixture
			out, out2, ll := make([]float32, n), make([]float32, n), make([]float32, n)
			levels := []float64{0.05, 0.5, 0.95}
			q3 := make([]float32, 3*n)
			grid := make([]float32, 50)
			for i := range grid {
				grid[i] = -15 + 30*float32(i)/float32(len(grid)-1)
			}
			dens := make([]float32, n*len(grid))
			queries := []struct {
				name string
				fn   func() error
			}{
				{"kernels", kernelsOfMixture(m, x)},
				{"mixture", func() error { return p.Mixture(&mix, x) }},
				{"mean", func() error { return p.Mean(out, x) }},
				{"variance", func() error { return p.Variance(out, x) }},
				{"std", func() error { return p.Std(out, x) }},
				{"mode", func() error { return p.Mode(out, x) }},
				{"loglik", func() error { return p.LogLik(ll, x, y) }},
				{"sample", func() error { return p.Sample(out, x, 1, 1) }},
				{"cdf", func() error { return p.CDF(out, x, y) }},
				{"pit", func() error { return p.PIT(out, x, y) }},
				{"crps", func() error { return p.CRPS(out, x, y) }},
				{"quantiles", func() error { return p.Quantiles(q3, x, levels) }},
				{"interval", func() error { return p.Interval(out, out2, x, 0.9) }},
				{"density", func() error { return p.Density(dens, x, grid) }},
			}
			for _, q := range queries {
				for _, path := range kernelPaths {
					b.Run(fmt.Sprintf("size=%s-%d/query=%s/impl=%s", md.name, n, q.name, path), func(b *testing.B) {
						defer cpufeat.Force(path)()
						if err := q.fn(); err != nil { // grows the Predictor's buffers
							b.Fatal(err)
						}
						b.ReportAllocs()
						for b.Loop() {
							if err := q.fn(); err != nil {
								b.Fatal(err)
							}
						}
						b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/row")
					})
				}
			}
		}
	}
}

// kernelsOfMixture returns a function that runs, on buffers allocated
// here, the kernels Predictor.Mixture runs for the rows of x: each layer
// (LinearTanh for hidden layers, Linear for the fused head), Softmax over
// the logits and Exp over the log σ, each over all rows at once.
func kernelsOfMixture(m *mdn.Model, x []float32) func() error {
	cfg := m.Config()
	params := m.Params()
	n := len(x) / cfg.In
	type lay struct {
		w, b    []float32
		in, out int
		act     []float32
	}
	var ls []lay
	in, off := cfg.In, 0
	widths := append(append([]int(nil), cfg.Hidden...), cfg.K*(1+2*cfg.Out))
	for _, out := range widths {
		ls = append(ls, lay{params[off : off+out*in], params[off+out*in : off+out*in+out], in, out, make([]float32, n*out)})
		off += (in + 1) * out
		in = out
	}
	forward := func() []float32 {
		in := x
		for i, l := range ls {
			if i < len(ls)-1 {
				mdnsimd.LinearTanh(l.act, in, l.w, l.b, n, l.in, l.out)
			} else {
				mdnsimd.Linear(l.act, in, l.w, l.b, n, l.in, l.out)
			}
			in = l.act
		}
		return in
	}
	// The softmax and exp read the model's own logits and log σ for x.
	k, kd := cfg.K, cfg.K*cfg.Out
	head := forward()
	logits, logSigma := make([]float32, 0, n*k), make([]float32, 0, n*kd)
	for r := range n {
		h := head[r*(k+2*kd):]
		logits = append(logits, h[:k]...)
		logSigma = append(logSigma, h[k+kd:k+2*kd]...)
	}
	pi, sigma := make([]float32, n*k), make([]float32, n*kd)
	return func() error {
		forward()
		mdnsimd.Softmax(pi, logits, n, k)
		mdnsimd.Exp(sigma, logSigma)
		return nil
	}
}
