package mdn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
	"github.com/mdnsimd/mdnsimd/internal/f32test"
)

// quantTestMixtures returns mixtures for the quantile paths' agreement:
// fitted-looking ones (a few components at moderate spreads, some of zero
// weight) in 1 to 3 dimensions with a row count that leaves a partial
// batch, hostile ones (weights down to 1e-12, spreads from 1e-6 to 1e12, σ
// from 1e-30 to 1e10) up to and past the kernel's qMaxK components, and
// rows the kernel must hand back whole (NaN μ, σ = 0 or +Inf, a negative
// or infinite weight, all weights zero).
func quantTestMixtures() []Mixture {
	rng := rand.New(rand.NewPCG(41, 7))
	logU := func(lo, hi float64) float64 {
		return math.Exp(math.Log(lo) + (math.Log(hi)-math.Log(lo))*rng.Float64())
	}
	var out []Mixture
	for _, d := range []int{1, 2, 3} {
		const rows = 203
		mix := Mixture{N: rows, K: 5, D: d}
		for range rows {
			var sum float64
			ws := make([]float64, mix.K)
			for c := range ws {
				ws[c] = rng.ExpFloat64()
				if rng.IntN(8) == 0 {
					ws[c] = 0
				}
				sum += ws[c]
			}
			if sum == 0 {
				ws[0], sum = 1, 1
			}
			for c := range ws {
				mix.Pi = append(mix.Pi, float32(ws[c]/sum))
			}
			for range mix.K * d {
				mix.Mu = append(mix.Mu, float32(3*rng.NormFloat64()))
				mix.Sigma = append(mix.Sigma, float32(logU(0.05, 2)))
			}
		}
		out = append(out, mix)
	}
	for _, k := range []int{1, 2, 4, 9, qMaxK, qMaxK + 1} {
		const rows = 97
		mix := Mixture{N: rows, K: k, D: 1}
		ws := make([]float64, k)
		for range rows {
			var sum float64
			for c := range k {
				ws[c] = logU(1e-12, 1)
				sum += ws[c]
			}
			spread := logU(1e-6, 1e12)
			for c := range k {
				mix.Pi = append(mix.Pi, float32(ws[c]/sum))
				mix.Mu = append(mix.Mu, float32(spread*rng.NormFloat64()))
				mix.Sigma = append(mix.Sigma, float32(logU(1e-30, 1e10)))
			}
		}
		out = append(out, mix)
	}
	bad := out[0] // D = 1, K = 5: spoil one row in each of several batches
	bad.Pi, bad.Mu, bad.Sigma = append([]float32(nil), bad.Pi...), append([]float32(nil), bad.Mu...), append([]float32(nil), bad.Sigma...)
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	bad.Mu[3*5+1] = nan
	bad.Sigma[11*5+2] = 0
	bad.Sigma[19*5] = inf
	bad.Pi[27*5+3] = -bad.Pi[27*5+3]
	bad.Pi[35*5+4] = inf
	for c := range 5 {
		bad.Pi[43*5+c] = 0
	}
	bad.Mu[51*5] = inf
	return append(out, bad)
}

// TestQuantilesPathsAgree holds Quantiles and Interval to the same bits on
// every path: the quantile kernels repeat the Go solver's operations in its
// order, and hands back to it every lane it does not finish.
func TestQuantilesPathsAgree(t *testing.T) {
	levels := append([]float64{1e-300, 1e-310, 0.5 - 1e-17}, testLevels...)
	for mi, mix := range quantTestMixtures() {
		var want, wantLo, wantHi []float32
		for _, path := range cpufeat.Paths() {
			restore := cpufeat.Force(path)
			q := make([]float32, mix.N*len(levels)*mix.D)
			lo, hi := make([]float32, mix.N*mix.D), make([]float32, mix.N*mix.D)
			err := mix.Quantiles(q, levels)
			if err == nil {
				err = mix.Interval(lo, hi, 1-1e-9)
			}
			restore()
			if err != nil {
				t.Fatal(err)
			}
			if want == nil {
				want, wantLo, wantHi = q, lo, hi
				continue
			}
			for _, c := range []struct {
				what      string
				got, want []float32
			}{{"Quantiles", q, want}, {"Interval lo", lo, wantLo}, {"Interval hi", hi, wantHi}} {
				bad := 0
				for i := range c.got {
					if math.Float32bits(c.got[i]) != math.Float32bits(c.want[i]) {
						if bad++; bad <= 5 {
							t.Errorf("mixture %d (K = %d, D = %d), %s on %s: value %d is %v, %s gives %v",
								mi, mix.K, mix.D, c.what, path, i, c.got[i], cpufeat.Paths()[0], c.want[i])
						}
					}
				}
			}
		}
	}
}

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
	// within. Nine rows, so that the quantile kernels take them.
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

// TestQuantilesPathsAgreeCancelling holds the paths to the same bits where
// the start μ + σ·z cancels to about 1e-14 (μ = 1, σ = 0.7, levels near
// Φ(−1/0.7)): there the rounding of σ·z shows in the float32 result, so a
// build in which Go fused the product into the sum (GOAMD64=v3, arm64)
// would part from the quantile kernels, which round it (see mul).
func TestQuantilesPathsAgreeCancelling(t *testing.T) {
	mix := Mixture{N: 8, K: 1, D: 1}
	for range mix.N {
		mix.Pi, mix.Mu, mix.Sigma = append(mix.Pi, 1), append(mix.Mu, 1), append(mix.Sigma, 0.7)
	}
	levels := make([]float64, 64)
	for i := range levels {
		levels[i] = 0.0765637222056588 + float64(i-32)*0x1p-50
	}
	var want []float32
	for _, path := range cpufeat.Paths() {
		restore := cpufeat.Force(path)
		q := make([]float32, mix.N*len(levels))
		err := mix.Quantiles(q, levels)
		restore()
		if err != nil {
			t.Fatal(err)
		}
		if want == nil {
			want = q
			continue
		}
		for i := range q {
			if math.Float32bits(q[i]) != math.Float32bits(want[i]) {
				t.Fatalf("level %v: %s gives %v, %s %v", levels[i%len(levels)], path, q[i], cpufeat.Paths()[0], want[i])
			}
		}
	}
}

// TestAllFinite holds allFinite to a value-by-value test: at every length
// up to 9 and every position, NaN and ±Inf are found, and the largest,
// smallest and signed-zero finite values are not taken for them.
func TestAllFinite(t *testing.T) {
	bad := []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1))}
	good := []float32{math.MaxFloat32, -math.MaxFloat32, math.SmallestNonzeroFloat32, float32(math.Copysign(0, -1)), 1}
	for n := range 10 {
		s := make([]float32, n)
		for i := range s {
			s[i] = good[i%len(good)]
		}
		if !allFinite(s) {
			t.Fatalf("allFinite(%v) = false", s)
		}
		for i := range n {
			for _, b := range bad {
				v := s[i]
				s[i] = b
				if allFinite(s) {
					t.Fatalf("allFinite(%v) = true", s)
				}
				s[i] = v
			}
		}
	}
}

// TestDensityPathsAgree holds Density to the same bits on every path (the
// AVX2 kernel repeats the Go loop and math.Exp), on the quantile tests'
// mixtures, hostile and spoiled ones among them, at 55 grid points (whole
// groups of eight, one of four and a tail of three): ±1e30 and
// ±MaxFloat32, 47 points from −40 to 40, and four near the means; and at
// 48 of them (groups of eight alone).
func TestDensityPathsAgree(t *testing.T) {
	grid := []float32{1e30, -1e30, math.MaxFloat32, -math.MaxFloat32}
	for g := range 47 {
		grid = append(grid, -40+80*float32(g)/46)
	}
	grid = append(grid, -0.3, 0.1, 0.7, 1.9)
	long := append(append([]float32{}, grid...), grid[4:40]...)
	// 55 points, 48 (no tail, whole groups of eight) and 91 (on avx512
	// every loop: 32 points twice, 16, 8 and a tail of 3)
	for _, g := range [][]float32{grid, grid[3:51], long} {
		pathsAgree(t, "Density", quantTestMixtures(), func(mix *Mixture) ([]float32, error) {
			dens := make([]float32, mix.N*len(g)*mix.D)
			return dens, mix.Density(dens, g)
		})
	}
}

// quantTestMixturesCut returns quantTestMixtures and the first and third
// of them (K = 5 in one and in three dimensions) cut to each row count
// from 0 to 9: no block of four, one, and every partial block after them.
func quantTestMixturesCut() []Mixture {
	mixes := quantTestMixtures()
	for _, m := range []Mixture{mixes[0], mixes[2]} {
		for n := range 10 {
			kd := m.K * m.D
			mixes = append(mixes, Mixture{N: n, K: m.K, D: m.D, Pi: m.Pi[:n*m.K], Mu: m.Mu[:n*kd], Sigma: m.Sigma[:n*kd]})
		}
	}
	return mixes
}

// TestMomentsPathsAgree holds Mean, Variance and Std to the same bits on
// every path (momentsAVX2 on avx2fma and avx512, each dimension strided),
// on the quantile tests' mixtures (203 and 97 rows: a partial block of
// four last; one to three dimensions; the hostile spreads, whose squares
// overflow to +Inf; NaN and infinite parameters) and on every row count
// from 0 to 9 of two of them.
func TestMomentsPathsAgree(t *testing.T) {
	mixes := quantTestMixturesCut()
	for _, q := range []struct {
		name string
		f    func(mix *Mixture, dst []float32) error
	}{{"Mean", (*Mixture).Mean}, {"Variance", (*Mixture).Variance}, {"Std", (*Mixture).Std}} {
		pathsAgree(t, q.name, mixes, func(mix *Mixture) ([]float32, error) {
			dst := make([]float32, mix.N*mix.D)
			return dst, q.f(mix, dst)
		})
	}
}

// TestCDFPathsAgree holds CDF to the same bits on every path (cdfAVX2 on
// avx2fma and avx512, each dimension strided), on the quantile tests'
// mixtures, two of them cut to 0 to 9 rows, and a two-dimension one with
// rows the kernel leaves to Go in one dimension or both, at targets spread over each
// row's components: at μ, at μ ± σ·z for z across (−9, 9), and exactly
// where z = ±8.5 (the table's ends), so that every lane meets each case
// of mixCDF's loop; the rows the kernel does not take (NaN or infinite
// parameters, σ = 0, a negative weight, all weights zero) run in Go.
func TestCDFPathsAgree(t *testing.T) {
	mixes := quantTestMixturesCut()
	// The two-dimension mixture with rows the kernel does not take in one
	// dimension (σ = 0 or NaN, μ = +Inf) or in both (a negative weight).
	bad := mixes[1]
	bad.Pi, bad.Mu, bad.Sigma = slices.Clone(bad.Pi), slices.Clone(bad.Mu), slices.Clone(bad.Sigma)
	for i := 0; i < bad.N; i += 7 {
		c, j := i%bad.K, (i/7)%bad.D
		switch (i / 7) % 4 {
		case 0:
			bad.Sigma[(i*bad.K+c)*bad.D+j] = 0
		case 1:
			bad.Sigma[(i*bad.K+c)*bad.D+j] = float32(math.NaN())
		case 2:
			bad.Mu[(i*bad.K+c)*bad.D+j] = float32(math.Inf(1))
		case 3:
			bad.Pi[i*bad.K+c] = -0.1
		}
	}
	mixes = append(mixes, bad)
	for _, zs := range [][]float64{{0}, {-9, -8.5, -3.2, -0.7, 0.01, 1.1, 4.9, 8.5, 9}, {-8.5 - 1e-9, 8.5 - 1e-9, 8.5 + 1e-9}} {
		pathsAgree(t, "CDF", mixes, func(mix *Mixture) ([]float32, error) {
			y := make([]float32, mix.N*mix.D)
			for i := range y {
				r, j := i/mix.D, i%mix.D
				c := i % mix.K
				mu, sg := mix.Mu[(r*mix.K+c)*mix.D+j], mix.Sigma[(r*mix.K+c)*mix.D+j]
				v := float32(float64(mu) + zs[i%len(zs)]*float64(sg))
				if v != v || math.IsInf(float64(v), 0) {
					v = 0
				}
				y[i] = v
			}
			dst := make([]float32, len(y))
			return dst, mix.CDF(dst, y)
		})
	}
	// Two components: one standard normal (μ = 0, σ = 1, so that z is y
	// exactly and y = ±8.5 puts z on the table's ends), and one at μ = 3
	// with σ = 1, or, in the second mixture, σ = 0 (1/σ taken as 1e300;
	// rows the kernel leaves to Go) with y at its μ, where z = 0.
	y := []float32{8.5, -8.5, 0, 3, 8.5 + 1e-6, -8.5 + 1e-6, 3, 8.5}
	for _, s0 := range []float32{1, 0} {
		two := Mixture{N: len(y), K: 2, D: 1}
		for range two.N {
			two.Pi = append(two.Pi, 0.25, 0.75)
			two.Mu = append(two.Mu, 0, 3)
			two.Sigma = append(two.Sigma, 1, s0)
		}
		pathsAgree(t, "CDF", []Mixture{two}, func(mix *Mixture) ([]float32, error) {
			dst := make([]float32, len(y))
			return dst, mix.CDF(dst, y)
		})
	}
}

// TestMomentsFenced runs the moments and the CDF (at the means) with π, μ
// and σ against an inaccessible page, past their ends and then before
// their starts, so that a load outside them faults, in one and in more
// dimensions.
func TestMomentsFenced(t *testing.T) {
	fencedOnEachPath(t, func(t *testing.T) {
		for _, sh := range [][3]int{{5, 1000, 1}, {1, 8, 1}, {3, 13, 1}, {32, 4, 1}, {5, 13, 3}, {2, 9, 2}, {1, 4, 4}} {
			k, n, d := sh[0], sh[1], sh[2]
			for _, atStart := range []bool{false, true} {
				var frees []func()
				fenced := func(m int, f func(i int) float32) []float32 {
					s, free := f32test.Fenced(m, atStart)
					frees = append(frees, free)
					for i := range s {
						s[i] = f(i)
					}
					return s
				}
				mix := Mixture{N: n, K: k, D: d,
					Pi:    fenced(n*k, func(int) float32 { return 1 / float32(k) }),
					Mu:    fenced(n*k*d, func(i int) float32 { return float32(i%7) - 3 }),
					Sigma: fenced(n*k*d, func(i int) float32 { return 0.5 + float32(i%3) })}
				nd := n * d
				got := make([]float32, 4*nd)
				mix.mean(got[:nd])
				mix.variance(got[nd:2*nd], false)
				mix.variance(got[2*nd:3*nd], true)
				var s scratch
				mix.cdf(got[3*nd:], got[:nd], &s)
				for _, f := range frees {
					f()
				}
				for i, v := range got {
					if !(v >= -3 && v <= 50) {
						t.Fatalf("k=%d n=%d d=%d fenced at start=%v: value %d = %v", k, n, d, atStart, i, v)
					}
				}
			}
		}
	})
}

// TestModePathsAgree holds Mode to the same bits on every path (the mode
// kernels on avx2fma and avx512), on the quantile tests' mixtures and on
// mirror-symmetric ones, whose two modes ±y have the same log p to the
// bit: the first start's (−y) is the mode, though the kernels return the
// starts' results in the order they stop.
func TestModePathsAgree(t *testing.T) {
	mirror := Mixture{N: 40, K: 2, D: 1}
	for i := range mirror.N {
		m, sg := 1+float32(i)*0.2, 0.5+float32(i%7)*0.3
		mirror.Pi = append(mirror.Pi, 0.5, 0.5)
		mirror.Mu = append(mirror.Mu, -m, m)
		mirror.Sigma = append(mirror.Sigma, sg, sg)
	}
	pathsAgree(t, "Mode", append(quantTestMixtures(), mirror), func(mix *Mixture) ([]float32, error) {
		mode := make([]float32, mix.N*mix.D)
		return mode, mix.Mode(mode)
	})
}

// pathsAgree runs query on each of mixes on every path and fails where a
// value's bits differ from the first path's (a NaN matches any NaN).
func pathsAgree(t *testing.T, name string, mixes []Mixture, query func(mix *Mixture) ([]float32, error)) {
	t.Helper()
	for mi, mix := range mixes {
		var want []float32
		for _, path := range cpufeat.Paths() {
			restore := cpufeat.Force(path)
			got, err := query(&mix)
			restore()
			if err != nil {
				t.Fatal(err)
			}
			if want == nil {
				want = got
				continue
			}
			bad := 0
			for i := range got {
				g, w := got[i], want[i]
				if math.Float32bits(g) != math.Float32bits(w) && !(g != g && w != w) {
					if bad++; bad <= 5 {
						t.Errorf("mixture %d (K = %d, D = %d), %s on %s: value %d is %v, %s gives %v",
							mi, mix.K, mix.D, name, path, i, g, cpufeat.Paths()[0], w)
					}
				}
			}
		}
	}
}

// TestCRPSPathsAgree holds CRPS to the same bits on every path (the AVX2
// kernel repeats crps, absMoment and normBoth), on the quantile tests'
// mixtures at y from −60 to 60 across the rows, so that the standardised
// distances fall in the table and beyond it on both sides, and on one
// whose first two components have σ = 0 and the same mean, which every
// other row's y equals (absMoment's σ = 0 case, where m/σ is NaN).
func TestCRPSPathsAgree(t *testing.T) {
	atoms := Mixture{N: 9, K: 3, D: 1}
	for range atoms.N {
		atoms.Pi = append(atoms.Pi, 0.25, 0.25, 0.5)
		atoms.Mu = append(atoms.Mu, 1.5, 1.5, -1)
		atoms.Sigma = append(atoms.Sigma, 0, 0, 0.5)
	}
	pathsAgree(t, "CRPS", append(quantTestMixtures(), atoms), func(mix *Mixture) ([]float32, error) {
		y := make([]float32, mix.N*mix.D)
		for i := range y {
			y[i] = -60 + 120*float32(i%61)/60
			if mix.K == 3 && i%2 == 0 {
				y[i] = 1.5
			}
		}
		out := make([]float32, mix.N*mix.D)
		return out, mix.CRPS(out, y)
	})
}

// BenchmarkMixtureMoments times Mean, Variance and CDF of a mixture of
// 1000 rows of 5 components in one and in three dimensions (the kernels
// take each dimension strided) on every path: sub-benchmarks
// size=1000x5x<D>/query=<query>/impl=<path>.
func BenchmarkMixtureMoments(b *testing.B) {
	mixes := quantTestMixtures()
	for _, src := range []Mixture{mixes[0], mixes[2]} {
		// 1000 rows: the test mixture's 203 repeated.
		const n = 1000
		kd := src.K * src.D
		mix := Mixture{N: n, K: src.K, D: src.D}
		for i := range n {
			r := i % src.N
			mix.Pi = append(mix.Pi, src.Pi[r*src.K:(r+1)*src.K]...)
			mix.Mu = append(mix.Mu, src.Mu[r*kd:(r+1)*kd]...)
			mix.Sigma = append(mix.Sigma, src.Sigma[r*kd:(r+1)*kd]...)
		}
		dst := make([]float32, n*mix.D)
		y := slices.Clone(mix.Mu[:n*mix.D])
		for _, q := range []struct {
			name string
			f    func() error
		}{
			{"mean", func() error { return mix.Mean(dst) }},
			{"variance", func() error { return mix.Variance(dst) }},
			{"cdf", func() error { return mix.CDF(dst, y) }},
		} {
			for _, path := range cpufeat.Paths() {
				b.Run(fmt.Sprintf("size=%dx%dx%d/query=%s/impl=%s", n, mix.K, mix.D, q.name, path), func(b *testing.B) {
					defer cpufeat.Force(path)()
					for b.Loop() {
						if err := q.f(); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		}
	}
}
