package bench

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
	"github.com/mdnsimd/mdnsimd/mdn"
)

// model is one of the two training workloads:
//
//	seed  the seed experiment: 1000 points of the inverted sinusoid,
//	      1→20 tanh→K=5 mixture, full-batch Adam
//	wide  10,000 points of the same data, 1→256 tanh→K=20 mixture
//
// The impl= element of the training benchmarks is the kernel path, each of
// kernelPaths in turn (dispatch forced to it); run the package again with
// -tags purego for the generic path.
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

// stepAllocs returns the allocations per training step once the trainer's
// buffers exist: a Train call of 1+epochs epochs reads the allocation count
// from its Progress callback after the first epoch and after the last, so
// the call's setup and teardown are excluded. The fewer of two calls counts,
// so a stray allocation elsewhere in the process does not.
func stepAllocs(b *testing.B, m *mdn.Model, d mdn.Dataset, workers, epochs int) float64 {
	best := math.Inf(1)
	for range 2 {
		var ms runtime.MemStats
		var first, last uint64
		o := mdn.TrainOptions{Epochs: 1 + epochs, Workers: workers, Progress: func(p mdn.Progress) {
			switch p.Epoch {
			case p.Epochs - int64(epochs):
				runtime.ReadMemStats(&ms)
				first = ms.Mallocs
			case p.Epochs:
				runtime.ReadMemStats(&ms)
				last = ms.Mallocs
			}
		}}
		if _, err := m.Train(context.Background(), d, o); err != nil {
			b.Fatal(err)
		}
		best = min(best, float64(last-first)/float64(epochs))
	}
	return best
}

// BenchmarkEpoch times one full-batch Adam epoch (one forward and backward
// pass over every point and one optimizer step): ns/op is per epoch, and one
// Train call runs all b.N epochs, so its setup is amortised. allocs/step
// (reported when b.N > 1, measured outside the timing) is what a training
// step allocates once the trainer's buffers exist; the goal is 0.
func BenchmarkEpoch(b *testing.B) {
	ctx := context.Background()
	for _, md := range models {
		for _, path := range kernelPaths {
			for _, workers := range []int{1, 2} {
				name := fmt.Sprintf("size=%s/workers=%d/impl=%s", md.name, workers, path)
				b.Run(name, func(b *testing.B) {
					defer cpufeat.Force(path)()
					m, d := md.new(b)
					if _, err := m.Train(ctx, d, mdn.TrainOptions{Epochs: 1, Workers: workers}); err != nil {
						b.Fatal(err) // optimizer state, warm caches
					}
					allocs := -1.0
					if b.N > 1 {
						allocs = stepAllocs(b, m, d, workers, 4)
					}
					b.ReportAllocs()
					b.ResetTimer()
					if _, err := m.Train(ctx, d, mdn.TrainOptions{Epochs: b.N, Workers: workers}); err != nil {
						b.Fatal(err)
					}
					b.StopTimer()
					if allocs >= 0 {
						b.ReportMetric(allocs, "allocs/step")
					}
				})
			}
		}
	}
}

// BenchmarkPredict measures Model.Mixture (the mixture parameters π, μ, σ
// for every row) over the model's training inputs; rows/s.
func BenchmarkPredict(b *testing.B) {
	for _, md := range models {
		for _, path := range kernelPaths {
			b.Run(fmt.Sprintf("size=%s/impl=%s", md.name, path), func(b *testing.B) {
				defer cpufeat.Force(path)()
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
}

// BenchmarkLogLik measures Model.LogLik, the log-likelihood of each (x, y).
func BenchmarkLogLik(b *testing.B) {
	for _, md := range models {
		for _, path := range kernelPaths {
			b.Run(fmt.Sprintf("size=%s/impl=%s", md.name, path), func(b *testing.B) {
				defer cpufeat.Force(path)()
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
}

// BenchmarkSample measures Model.Sample at temperature 1: one draw of y per
// row of x; rows/s.
func BenchmarkSample(b *testing.B) {
	for _, md := range models {
		for _, path := range kernelPaths {
			b.Run(fmt.Sprintf("size=%s/impl=%s", md.name, path), func(b *testing.B) {
				defer cpufeat.Force(path)()
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
}
