package mdn

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
)

// TestStartLog holds startLog within 1 ULP of math.Log over random
// positive inputs, subnormal ones included.
func TestStartLog(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 9))
	for i := range 200000 {
		x := math.Float64frombits(rng.Uint64() >> 1) // positive, any exponent
		if i%4 == 0 {
			x = rng.Float64()
		}
		if x == 0 || math.IsInf(x, 0) || x != x {
			continue
		}
		got, want := startLog(x), math.Log(x)
		if x < 0x1p-1022 {
			// math.Log loses subnormals' low bits on some platforms: scale first.
			want = math.Log(x*0x1p100) - 100*math.Ln2
		}
		if math.Abs(got-want) > math.Abs(want)*0x1p-52 && got != want {
			t.Fatalf("startLog(%v) = %v, math.Log %v", x, got, want)
		}
	}
}

// TestQuantilesBeyondFloat32 holds a quantile past ±MaxFloat32 (a
// component of σ near MaxFloat32 holds the tails) to ±Inf, the rounding of
// such a value, on every path.
func TestQuantilesBeyondFloat32(t *testing.T) {
	// F(−MaxFloat32) ≈ 0.02·Φ(−1.42) ≈ 0.0016 and F(MaxFloat32) ≈ 0.9984:
	// the quantiles at 0.001 and 0.999 lie beyond, those at 0.01 and 0.5
	// within. Nine rows, so that the AVX-512 kernel takes them.
	want := []float32{float32(math.Inf(-1)), 0, 0, float32(math.Inf(1))}
	for _, path := range cpufeat.Paths() {
		restore := cpufeat.Force(path)
		mix := Mixture{N: 9, K: 2, D: 1}
		for range mix.N {
			mix.Pi = append(mix.Pi, 0.98, 0.02)
			mix.Mu = append(mix.Mu, 1.3e8, 1.6e7)
			mix.Sigma = append(mix.Sigma, 5e-7, 2.4e38)
		}
		q := make([]float32, mix.N*4)
		lo, hi := make([]float32, mix.N), make([]float32, mix.N)
		err := mix.Quantiles(q, []float64{0.001, 0.01, 0.5, 0.999})
		if err == nil {
			err = mix.Interval(lo, hi, 0.999)
		}
		restore()
		if err != nil {
			t.Fatal(err)
		}
		for i := range mix.N {
			for l, w := range want {
				if got := q[i*4+l]; (w != 0 && got != w) || (w == 0 && math.IsInf(float64(got), 0)) {
					t.Fatalf("%s: row %d's quantiles %v, want ±Inf at 0.001 and 0.999 only", path, i, q[i*4:i*4+4])
				}
			}
			if lo[i] != want[0] || hi[i] != want[3] {
				t.Fatalf("%s: row %d's 99.9%% interval [%v, %v], want [−Inf, +Inf]", path, i, lo[i], hi[i])
			}
		}
	}
}
