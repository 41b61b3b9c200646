package mdn

import (
	"math"
	"math/rand/v2"
)

// The inverted-sinusoid problem of Bishop (1994), in the form the seed
// experiment uses: x on [−10, 10] and y = 7 sin(0.75x) + 0.5x + ε with
// ε ~ N(0, 1). The forward problem (x → y) has one answer per input and suits
// a plain network; the inverse problem (y → x) has up to seven branches per
// input and needs a mixture.
const (
	SinusoidXMin = -10.0
	SinusoidXMax = 10.0
)

// SinusoidCurve is the noise-free forward curve 7 sin(0.75x) + 0.5x.
func SinusoidCurve(x float64) float64 { return 7*math.Sin(0.75*x) + 0.5*x }

// Sinusoid returns the seed's data set: n points with x evenly spaced over
// [−10, 10] (both ends included, as torch.linspace does) and
// y = SinusoidCurve(x) + ε, ε ~ N(0, 1) drawn from a PCG generator seeded
// with seed. With inverse false the data set maps x to y; with inverse true
// the columns are swapped and it maps y to x. The same arguments give the
// same bits on every platform.
func Sinusoid(n int, seed uint64, inverse bool) Dataset {
	if n < 1 {
		panic("mdn: Sinusoid needs n >= 1")
	}
	r := rand.New(rand.NewPCG(seed, 0x6d646e73696e7573))
	xs := make([]float32, n)
	ys := make([]float32, n)
	for i := range n {
		x := SinusoidXMin
		if n > 1 {
			x = SinusoidXMin + (SinusoidXMax-SinusoidXMin)*float64(i)/float64(n-1)
		}
		xs[i] = float32(x)
		ys[i] = float32(SinusoidCurve(float64(xs[i])) + r.NormFloat64())
	}
	return sinusoidDataset(xs, ys, inverse)
}

// SinusoidDraw returns n fresh points from the same distribution as Sinusoid,
// with x drawn uniformly from [−10, 10) instead of evenly spaced. Use a seed
// different from the training set's to get held-out points for measuring a
// model's negative log-likelihood.
func SinusoidDraw(n int, seed uint64, inverse bool) Dataset {
	if n < 1 {
		panic("mdn: SinusoidDraw needs n >= 1")
	}
	r := rand.New(rand.NewPCG(seed, 0x686f6c646f757421))
	xs := make([]float32, n)
	ys := make([]float32, n)
	for i := range n {
		xs[i] = float32(SinusoidXMin + (SinusoidXMax-SinusoidXMin)*r.Float64())
		ys[i] = float32(SinusoidCurve(float64(xs[i])) + r.NormFloat64())
	}
	return sinusoidDataset(xs, ys, inverse)
}

func sinusoidDataset(xs, ys []float32, inverse bool) Dataset {
	if inverse {
		xs, ys = ys, xs
	}
	return Dataset{X: xs, Y: ys, N: len(xs), In: 1, Out: 1}
}

// SinusoidInverseEntropy returns the conditional entropy H(x | y) in nats of
// the inverse problem, the mean negative log-likelihood a perfect model would
// reach on unlimited held-out data (about 1.326). It integrates numerically:
// H(x|y) = H(x) + H(y|x) − H(y), with x uniform on [−10, 10] and the noise
// N(0, 1).
func SinusoidInverseEntropy() float64 {
	const (
		nx   = 2000 // midpoints in x for the density of y
		ylo  = -25.0
		yhi  = 25.0
		ny   = 2500
		span = SinusoidXMax - SinusoidXMin
	)
	// p(y) = (1/span) ∫ N(y; f(x), 1) dx, then H(y) = −∫ p log p dy.
	fs := make([]float64, nx)
	for i := range fs {
		fs[i] = SinusoidCurve(SinusoidXMin + span*(float64(i)+0.5)/nx)
	}
	dy := (yhi - ylo) / ny
	hy := 0.0
	for j := range ny {
		y := ylo + dy*(float64(j)+0.5)
		p := 0.0
		for _, f := range fs {
			d := y - f
			p += math.Exp(-0.5 * d * d)
		}
		p /= nx * math.Sqrt(2*math.Pi)
		if p > 0 {
			hy -= p * math.Log(p) * dy
		}
	}
	hx := math.Log(span)
	hyx := 0.5 * math.Log(2*math.Pi*math.E)
	return hx + hyx - hy
}
