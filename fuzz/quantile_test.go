package fuzz

import (
	"math"
	"testing"

	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
	"github.com/mdnsimd/mdnsimd/mdn"
)

// quantileMixture builds an N×K×D mixture from s: in raw mode every value
// as decoded (weights that may be negative, NaN or infinite, σ of any
// sign); otherwise the weights are a softmax of the decoded values (in
// float64, rounded to float32, some of them 0), the means the decoded
// values times 2^spread, and σ = e^(20·v) for decoded v, from about 2e-9
// to 5e8 at scale 1 (and beyond float32 at larger scales: 0 and +Inf).
func quantileMixture(s *source, n, k, d, spread int) mdn.Mixture {
	mix := mdn.Mixture{N: n, K: k, D: d, Pi: make([]float32, n*k), Mu: make([]float32, n*k*d), Sigma: make([]float32, n*k*d)}
	if s.mode&3 == 0 {
		s.fill(mix.Pi)
		s.fill(mix.Mu)
		s.fill(mix.Sigma)
		return mix
	}
	l := make([]float64, k)
	for i := range n {
		m := math.Inf(-1)
		for c := range l {
			l[c] = 40 * float64(s.f32())
			m = max(m, l[c])
		}
		var sum float64
		for c := range l {
			l[c] = math.Exp(l[c] - m)
			sum += l[c]
		}
		for c := range l {
			mix.Pi[i*k+c] = float32(l[c] / sum)
		}
	}
	for i := range mix.Mu {
		mix.Mu[i] = float32(math.Ldexp(float64(s.f32()), spread))
		mix.Sigma[i] = float32(math.Exp(20 * float64(s.f32())))
	}
	return mix
}

// quantileComps returns the components of row i in dimension j with their
// weights normalised in float64, and whether the row is a proper mixture
// (weights finite, ≥ 0, of positive sum; μ finite and σ positive and
// finite where the weight is not 0), where Quantiles' accuracy is promised.
func quantileComps(mix *mdn.Mixture, i, j int) (w, mu, sg []float64, proper bool) {
	k, d := mix.K, mix.D
	var sum float64
	proper = true
	for c := range k {
		p := float64(mix.Pi[i*k+c])
		sum += p
		if p == 0 {
			continue
		}
		m, s := float64(mix.Mu[(i*k+c)*d+j]), float64(mix.Sigma[(i*k+c)*d+j])
		if !(p > 0 && !math.IsInf(p, 0) && !math.IsInf(m, 0) && m == m && s > 0 && !math.IsInf(s, 0)) {
			proper = false
		}
		w, mu, sg = append(w, p), append(mu, m), append(sg, s)
	}
	if !(sum > 0 && !math.IsInf(sum, 0)) {
		proper = false
	}
	for c := range w {
		w[c] /= sum
	}
	return w, mu, sg, proper
}

// quantileErr returns F(q) − α from the tail α lies in (1 − F against
// 1 − α above ½), F the exact mixture CDF (math.Erfc).
func quantileErr(w, mu, sg []float64, q float32, a float64) float64 {
	var lower, upper float64
	for c := range w {
		z := (float64(q) - mu[c]) / sg[c]
		lower += w[c] * 0.5 * math.Erfc(-z/math.Sqrt2)
		upper += w[c] * 0.5 * math.Erfc(z/math.Sqrt2)
	}
	if a > 0.5 {
		return (1 - a) - upper
	}
	return lower - a
}

// FuzzQuantiles holds mdn's Mixture.Quantiles and Interval to the same
// bits on every path (on avx512 and avx2fma the quantile kernels run the
// solver's first iterations eight rows at a time, and must give the Go
// solver's bits), CRPS, Density, Mode, CDF, Mean, Variance and Std too (a
// NaN matching any NaN: on avx2fma they run float64 kernels with the Go
// code's bits), and, on
// proper mixtures, the quantiles to their accuracy against the exact CDF:
// |F(q) − α| ≤ 1e-6·min(α, 1 − α) + 1e-17, or the exact quantile within
// one float32 step of q. n rows 0..40 (partial batches of eight), K 1..36
// (across the kernel's 32), D 1..3; the levels 0.05, 0.5, 0.95, one from
// lv in (0, 1) and the central interval of that coverage.
func FuzzQuantiles(f *testing.F) {
	f.Fuzz(func(t *testing.T, nv, kv, dv uint16, mode uint8, lv uint16, data []byte) {
		fl := &fails{t: t}
		s := newSource(mode, data)
		defer s.release()
		n, k, d := int(nv%41), 1+int(kv%36), 1+int(dv%3)
		spread := int(lv>>10) - 40 // 2^−40 … 2^23
		mix := quantileMixture(s, n, k, d, spread)
		a := (float64(lv) + 0.5) / 65536
		levels := []float64{0.05, 0.5, 0.95, a}
		paths := append(append([]string(nil), kernelPaths...), cpufeat.Generic)
		// The other queries with kernels on some path, for their bits: CRPS
		// and CDF at y, each row's first mean moved by its σ (0 where that
		// is not finite), Density on a grid of seven points, Mode and the
		// moments.
		y := make([]float32, n*d)
		for t := range y {
			i, j := t/d, t%d
			if v := mix.Mu[i*k*d+j] + mix.Sigma[i*k*d+j]; !math.IsInf(float64(v), 0) && v == v {
				y[t] = v
			}
		}
		grid := []float32{-1e3, -1, -0.25, 0, 0.5, 2, 1e3}
		var want, wantLo, wantHi, wantCRPS, wantDens, wantMode, wantCDF, wantMom []float32
		for _, p := range paths {
			restore := cpufeat.Force(p)
			q := make([]float32, n*len(levels)*d)
			lo, hi := make([]float32, n*d), make([]float32, n*d)
			crps, dens, mode := make([]float32, n*d), make([]float32, n*len(grid)*d), make([]float32, n*d)
			cdf, mom := make([]float32, n*d), make([]float32, 3*n*d)
			err := mix.Quantiles(q, levels)
			if err == nil {
				err = mix.Interval(lo, hi, a)
			}
			if err == nil {
				err = mix.CRPS(crps, y)
			}
			if err == nil {
				err = mix.Density(dens, grid)
			}
			if err == nil {
				err = mix.Mode(mode)
			}
			if err == nil {
				err = mix.CDF(cdf, y)
			}
			if err == nil {
				err = mix.Mean(mom[:n*d])
			}
			if err == nil {
				err = mix.Variance(mom[n*d : 2*n*d])
			}
			if err == nil {
				err = mix.Std(mom[2*n*d:])
			}
			restore()
			if err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			if want == nil {
				want, wantLo, wantHi, wantCRPS, wantDens, wantMode, wantCDF, wantMom = q, lo, hi, crps, dens, mode, cdf, mom
				continue
			}
			for _, c := range []struct {
				what      string
				got, want []float32
				nanEqual  bool
			}{{"Quantiles", q, want, false}, {"Interval lo", lo, wantLo, false}, {"Interval hi", hi, wantHi, false},
				{"CRPS", crps, wantCRPS, true}, {"Density", dens, wantDens, true}, {"Mode", mode, wantMode, true},
				{"CDF", cdf, wantCDF, true}, {"Mean, Variance, Std", mom, wantMom, true}} {
				for i := range c.got {
					g, w := c.got[i], c.want[i]
					if math.Float32bits(g) != math.Float32bits(w) && !(c.nanEqual && g != g && w != w) {
						fl.add("%s on %s: value %d is %s, %s gives %s", c.what, p, i, f32s(g), paths[0], f32s(w))
						break
					}
				}
			}
		}
		check := func(what string, i, j int, q float32, a float64) {
			w, mu, sg, proper := quantileComps(&mix, i, j)
			if !proper {
				return
			}
			e := quantileErr(w, mu, sg, q, a)
			if math.Abs(e) <= 1e-6*min(a, 1-a)+1e-17 {
				return
			}
			below := quantileErr(w, mu, sg, math.Nextafter32(q, float32(math.Inf(-1))), a)
			above := quantileErr(w, mu, sg, math.Nextafter32(q, float32(math.Inf(1))), a)
			if !(below <= 0 && above >= 0) {
				fl.add("%s row %d dim %d, level %v: q = %s, F(q) − α = %.3g (π %v, μ %v, σ %v)", what, i, j, a, f32s(q), e, w, mu, sg)
			}
		}
		for i := range n {
			for j := range d {
				for l, a := range levels {
					check("Quantiles", i, j, want[(i*len(levels)+l)*d+j], a)
				}
				check("Interval lo", i, j, wantLo[i*d+j], (1-a)/2)
				check("Interval hi", i, j, wantHi[i*d+j], (1+a)/2)
			}
		}
	})
}
