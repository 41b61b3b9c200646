package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/mdnsimd/mdnsimd"
	"github.com/mdnsimd/mdnsimd/mdn"
)

// model is one of the two training workloads:
//
//	seed  the seed experiment: 1000 points of the inverted sinusoid,
//	      1→20 tanh→K=5 mixture, full-batch Adam
//	wide  10,000 points of the same data, 1→256 tanh→K=20 mixture
//
// The impl= element of the training benchmarks is the kernel path
// (mdnsimd.Impl()); run the package again with -tags purego for the generic
// path.
type model struct {
	name   string
	n      int
	hidden int
	k      int
}

var models = []model{{"seed", 1000, 20, 5}, {"wide", 10000, 256, 20}}

func (md model) new(b *testing.B) (*mdn.Model, mdn.Dataset) {
	m, err := mdn.New(mdn.Config{In: 1, Out: 1, Hidden: []int{md.hidden}, K: md.k}, 1)
	if err != nil {
		b.Fatal(err)
	}
	return m, mdn.Sinusoid(md.n, 1, true)
}

func mallocs() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.Mallocs
}

// BenchmarkEpoch times one full-batch Adam epoch (one forward and backward
// pass over every point and one optimizer step): ns/op is per epoch. One Train
// call runs all b.N epochs, so its setup is amortised; allocs/step is measured
// separately as the allocations of a Train call of b.N epochs minus those of
// a call of one epoch, per extra epoch (reported when b.N > 1), i.e. what a
// training step allocates once the trainer's buffers exist.
func BenchmarkEpoch(b *testing.B) {
	ctx := context.Background()
	for _, md := range models {
		for _, workers := range []int{1, 2} {
			name := fmt.Sprintf("size=%s/impl=%s/workers=%d", md.name, mdnsimd.Impl(), workers)
			b.Run(name, func(b *testing.B) {
				m, d := md.new(b)
				opts := func(epochs int) mdn.TrainOptions {
					return mdn.TrainOptions{Epochs: epochs, Workers: workers}
				}
				if _, err := m.Train(ctx, d, opts(1)); err != nil { // optimizer state, warm caches
					b.Fatal(err)
				}
				a0 := mallocs()
				if _, err := m.Train(ctx, d, opts(1)); err != nil {
					b.Fatal(err)
				}
				one := mallocs() - a0
				b.ReportAllocs()
				a0 = mallocs()
				b.ResetTimer()
				if _, err := m.Train(ctx, d, opts(b.N)); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				if b.N > 1 {
					many := mallocs() - a0
					b.ReportMetric((float64(many)-float64(one))/float64(b.N-1), "allocs/step")
				}
			})
		}
	}
}

// BenchmarkPredict measures Model.Mixture (the mixture parameters π, μ, σ
// for every row) over the model's training inputs; rows/s.
func BenchmarkPredict(b *testing.B) {
	for _, md := range models {
		b.Run(fmt.Sprintf("size=%s/impl=%s", md.name, mdnsimd.Impl()), func(b *testing.B) {
			m, d := md.new(b)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := m.Mixture(d.X); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(d.N)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// BenchmarkLogLik measures Model.LogLik, the log-likelihood of each (x, y).
func BenchmarkLogLik(b *testing.B) {
	for _, md := range models {
		b.Run(fmt.Sprintf("size=%s/impl=%s", md.name, mdnsimd.Impl()), func(b *testing.B) {
			m, d := md.new(b)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := m.LogLik(d.X, d.Y); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(d.N)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// BenchmarkSample measures Model.Sample at temperature 1: one draw of y per
// row of x; rows/s.
func BenchmarkSample(b *testing.B) {
	for _, md := range models {
		b.Run(fmt.Sprintf("size=%s/impl=%s", md.name, mdnsimd.Impl()), func(b *testing.B) {
			m, d := md.new(b)
			rng := rand.New(rand.NewPCG(3, 4))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := m.Sample(d.X, rng, 1, 1); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(d.N)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
