package mdn

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
	"github.com/mdnsimd/mdnsimd/internal/f32test"
)

// TestSum64 checks the loss sum against the exact sum, within the bound of
// float64 summation (n·2⁻⁵²·Σ|s|), on the vector path (where there is one)
// and the Go loop, for every length up to a few blocks; and that a NaN or an
// Inf anywhere comes through.
func TestSum64(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, path := range cpufeat.Paths() {
		t.Run(path, func(t *testing.T) {
			defer cpufeat.Force(path)()
			vec := vecLoops()
			for _, n := range f32test.Lengths() {
				s := make([]float32, n)
				for i := range s {
					s[i] = float32(math.Ldexp(rng.Float64()-0.25, rng.IntN(40)-20))
				}
				exact, abs := new(big.Float).SetPrec(2000), 0.0
				for _, v := range s {
					exact.Add(exact, big.NewFloat(float64(v)))
					abs += math.Abs(float64(v))
				}
				want, _ := exact.Float64()
				got := sum64(s)
				if math.Abs(got-want) > float64(n)*0x1p-52*abs {
					t.Fatalf("vector=%v n=%d: sum64 = %v, exact %v (bound %g)", vec, n, got, want, float64(n)*0x1p-52*abs)
				}
				if n == 0 {
					continue
				}
				for _, sp := range []float32{float32(math.NaN()), float32(math.Inf(1))} {
					i := rng.IntN(n)
					old := s[i]
					s[i] = sp
					if got := sum64(s); !(got == float64(sp) || (sp != sp && got != got)) {
						t.Fatalf("vector=%v n=%d: sum64 with %v at %d = %v", vec, n, sp, i, got)
					}
					s[i] = old
				}
			}
		})
	}
}

// TestSum64Paths checks that every path with a vector loop gives the same
// bits for the loss sum (the AVX-512 loop keeps the AVX2 loop's partial sums
// and their order), so a seeded run's losses do not depend on it.
func TestSum64Paths(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for _, n := range f32test.Lengths() {
		s := make([]float32, n)
		for i := range s {
			s[i] = float32(math.Ldexp(rng.Float64()-0.25, rng.IntN(40)-20))
		}
		var first string
		var want float64
		for _, path := range cpufeat.Paths() {
			restore := cpufeat.Force(path)
			vec := vecLoops()
			got := sum64(s)
			restore()
			if !vec {
				continue
			}
			if first == "" {
				first, want = path, got
			} else if math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("n=%d: sum64 = %v on %s, %v on %s", n, got, path, want, first)
			}
		}
	}
}

// BenchmarkLossSum times the sum of the seed model's 1000 per-row losses,
// on the vector loop (where the path has one) and on the Go loop.
func BenchmarkLossSum(b *testing.B) {
	s := make([]float32, 1000)
	for i := range s {
		s[i] = float32(i%17) * 0.25
	}
	for _, path := range cpufeat.Paths() {
		b.Run(fmt.Sprintf("size=%d/impl=%s", len(s), path), func(b *testing.B) {
			defer cpufeat.Force(path)()
			var r float64
			for b.Loop() {
				r += sum64(s)
			}
			if r != r {
				b.Fatal("NaN sum")
			}
		})
	}
}

// TestAddTo checks that the gradient reduction's vector loop gives the Go
// loop's sums bit for bit (any NaN for a NaN) on every path with vector
// loops, for every length up to a few blocks and the seed model's 355
// parameters, with zeros of both signs, subnormals, infinities and NaN
// among the addends, and that it leaves the memory around g alone.
func TestAddTo(t *testing.T) { forEachVecPath(t, testAddTo) }

func testAddTo(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	special := []float32{0, float32(math.Copysign(0, -1)), 0x1p-140, -0x1p-149, float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()), math.MaxFloat32}
	for _, n := range append(f32test.Lengths(), 355) {
		g, check := f32test.Guarded(n, n%8)
		s := make([]float32, n)
		f32test.Normal(rng, g, 1)
		f32test.Normal(rng, s, 1)
		for i := range n {
			if rng.IntN(4) == 0 {
				g[i] = special[rng.IntN(len(special))]
			}
			if rng.IntN(4) == 0 {
				s[i] = special[rng.IntN(len(special))]
			}
		}
		want := append([]float32(nil), g...)
		for i := range want {
			want[i] += s[i]
		}
		addTo(g, s)
		if err := check(); err != nil {
			t.Fatalf("n=%d: %v", n, err)
		}
		for i := range n {
			if math.Float32bits(g[i]) != math.Float32bits(want[i]) && !(g[i] != g[i] && want[i] != want[i]) {
				t.Fatalf("n=%d: g[%d] = %v (%#x), want %v (%#x)", n, i, g[i], math.Float32bits(g[i]), want[i], math.Float32bits(want[i]))
			}
		}
	}
}
