package mdnsimd

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/mdnsimd/mdnsimd/internal/f32test"
)

// BenchmarkSeedKernels times each kernel call of one training epoch of the
// seed model (1000 rows, 1→20 tanh→5 components of one output), in the
// order the trainer makes them, so that the epoch's time can be split:
// sub-benchmarks size=seed/call=<n-call>/impl=<path>.
func BenchmarkSeedKernels(b *testing.B) {
	const rows, hid, k = 1000, 20, 5
	const hw = 3 * k
	rng := rand.New(rand.NewPCG(3, 4))
	vec := func(n int, lo, hi float32) []float32 {
		v := make([]float32, n)
		f32test.Uniform(rng, v, lo, hi)
		return v
	}
	x, y := vec(rows, -10, 10), vec(rows, -10, 10)
	w1, b1 := vec(hid, -1, 1), vec(hid, -1, 1)
	w2, b2 := vec(hw*hid, -0.2, 0.2), vec(hw, -0.2, 0.2)
	h := vec(rows*hid, -1, 1)
	head := vec(rows*hw, -1, 1)
	dhead, loss := make([]float32, rows*hw), make([]float32, rows)
	dh, dz := vec(rows*hid, -0.01, 0.01), make([]float32, rows*hid)
	gw1, gb1, gw2, gb2 := make([]float32, hid), make([]float32, hid), make([]float32, hw*hid), make([]float32, hw)
	// The trainer forms the hidden layer's dz in place over dh. For a
	// repeatable in-place call, hs is an h with 1 − h² = 1 in float32
	// (|h| < 2⁻¹³), so dz = dh bit for bit and the call can be repeated;
	// the vector arithmetic takes the same time for any normal value.
	dhs := append([]float32(nil), dh...)
	hs := vec(rows*hid, -0x1p-13, 0x1p-13)
	LinearTanh(h, x, w1, b1, rows, 1, hid)
	Linear(head, h, w2, b2, rows, hid, hw)
	MixtureNLLGrad(loss, dhead, head, y, k, 1, 1.0/rows)
	for _, c := range []struct {
		name string
		f    func()
	}{
		{"1-hidden-tanh", func() { LinearTanh(h, x, w1, b1, rows, 1, hid) }},
		{"2-head", func() { Linear(head, h, w2, b2, rows, hid, hw) }},
		{"3-mixture-grad", func() { MixtureNLLGrad(loss, dhead, head, y, k, 1, 1.0/rows) }},
		{"4-head-gradw", func() { LinearGradWeights(gw2, gb2, dhead, h, rows, hid, hw) }},
		{"5-head-gradx", func() { LinearGradInput(dh, dhead, w2, rows, hid, hw) }},
		{"6-hidden-gradw", func() { LinearTanhGradWeights(gw1, gb1, dz, dh, h, x, rows, 1, hid) }},
		{"6-hidden-gradw-inplace", func() { LinearTanhGradWeights(gw1, gb1, dhs, dhs, hs, x, rows, 1, hid) }},
	} {
		benchEachPath(b, "size=seed/call="+c.name, func(b *testing.B, _ string) {
			for b.Loop() {
				c.f()
			}
		})
	}
}

// BenchmarkSeedPredictKernels times each kernel call of the seed model's
// prediction (mdn.Predictor.Mixture: the hidden layer, the fused head,
// the softmax of the logits and the exponential of the log σ) on a few
// rows, where the fixed cost of each call decides the time:
// sub-benchmarks size=seed-rows=<n>/call=<call>/impl=<path>.
func BenchmarkSeedPredictKernels(b *testing.B) {
	const hid, k = 20, 5
	const hw = 3 * k
	rng := rand.New(rand.NewPCG(5, 6))
	// Each slice is followed by 64 unused floats: a kernel's masked load
	// spans a whole vector, and one that overlapped the last call's masked
	// store into a neighbouring small slice would wait for that store to
	// reach the cache, a cost of the benchmark's layout, not the kernel's.
	vec := func(n int, lo, hi float32) []float32 {
		v := make([]float32, n, n+64)
		f32test.Uniform(rng, v, lo, hi)
		return v
	}
	w1, b1 := vec(hid, -1, 1), vec(hid, -1, 1)
	w2, b2 := vec(hw*hid, -0.2, 0.2), vec(hw, -0.2, 0.2)
	for _, rows := range []int{1, 2, 4, 8} {
		x, h, head := vec(rows, -10, 10), vec(rows*hid, -1, 1), vec(rows*hw, -1, 1)
		lg, ls := vec(rows*k, -3, 3), vec(rows*k, -3, 3)
		pi, sg := vec(rows*k, 0, 0), vec(rows*k, 0, 0)
		for _, c := range []struct {
			name string
			f    func()
		}{
			{"1-hidden-tanh", func() { LinearTanh(h, x, w1, b1, rows, 1, hid) }},
			{"2-head", func() { Linear(head, h, w2, b2, rows, hid, hw) }},
			{"3-softmax", func() { Softmax(pi, lg, rows, k) }},
			{"4-exp", func() { Exp(sg, ls) }},
		} {
			benchEachPath(b, fmt.Sprintf("size=seed-rows=%d/call=%s", rows, c.name), func(b *testing.B, _ string) {
				for b.Loop() {
					c.f()
				}
			})
		}
	}
}
