package mdn

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/mdnsimd/mdnsimd"
)

// BenchmarkEpoch times one full-batch Adam epoch (forward, loss, backward,
// update) of the seed experiment (1000 points, 1→20 tanh→5 components) and
// of the wide model (10,000 points, 1→256 tanh→20 components), on one and
// two workers. The time per op is the time per epoch.
func BenchmarkEpoch(b *testing.B) {
	for _, c := range []struct {
		name string
		cfg  Config
		n    int
	}{
		{"seed", seedCfg, 1000},
		{"wide", Config{In: 1, Out: 1, Hidden: []int{256}, K: 20}, 10000},
	} {
		for _, w := range []int{1, 2} {
			b.Run(fmt.Sprintf("size=%s/workers=%d/impl=%s", c.name, w, mdnsimd.Impl()), func(b *testing.B) {
				m, _ := New(c.cfg, 1)
				tr, err := newTrainer(m, Sinusoid(c.n, 1, true), TrainOptions{Epochs: 1, Workers: w})
				if err != nil {
					b.Fatal(err)
				}
				defer tr.close()
				ctx := context.Background()
				tr.epoch(ctx)
				b.ReportAllocs()
				b.ResetTimer()
				for range b.N {
					if _, err := tr.epoch(ctx); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/epoch")
			})
		}
	}
}

// BenchmarkSeedExperiment runs the seed experiment end to end with its
// settings (1000 points, 1→20→5, 10,000 full-batch Adam epochs from
// PyTorch's defaults) and reports the held-out NLL on 10,000 fresh points
// (the best possible is about 1.326 nats).
func BenchmarkSeedExperiment(b *testing.B) {
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("size=seed/workers=%d/impl=%s", w, mdnsimd.Impl()), func(b *testing.B) {
			d := Sinusoid(1000, 1, true)
			held := SinusoidDraw(10000, 2, true)
			var nll float64
			var el time.Duration
			for range b.N {
				m, _ := New(seedCfg, 1)
				res, err := m.Train(context.Background(), d, TrainOptions{Epochs: 10000, Workers: w})
				if err != nil {
					b.Fatal(err)
				}
				el += res.Elapsed
				nll, _ = m.Loss(held)
			}
			b.ReportMetric(nll, "heldout-nll")
			b.ReportMetric(float64(el.Microseconds())/float64(b.N)/10000, "µs/epoch")
		})
	}
}
