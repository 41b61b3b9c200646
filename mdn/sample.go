package mdn

import "math"

// sample draws one y per row of mix into dst (see Predictor.Sample): the
// random words for the whole chunk first (one per row for the component,
// one per row and dimension for the normal), then the components of every
// row, then the normals.
func (p *Predictor) sample(dst []float32, mix *Mixture, tempPi, tempSigma float64) {
	n, k, d := mix.N, mix.K, mix.D
	bits := p.bits[:n+n*d]
	p.rng.fill(bits)
	comp := p.comp[:n]
	if math.IsInf(1/tempPi, 1) {
		// A temperature so small that 1/tempPi overflows (below about
		// 5.6e-309) would make every tempered log weight −Inf: its limit
		// is the most probable component, as at 0.
		tempPi = 0
	}
	switch tempPi {
	case 1:
		pickRows(comp, mix.Pi[:n*k], bits[:n], k)
	case 0:
		for i := range comp {
			pi := mix.Pi[i*k : (i+1)*k]
			c := 0
			for j, v := range pi {
				if v > pi[c] {
					c = j
				}
			}
			comp[i] = int32(c)
		}
	default:
		for i := range comp {
			comp[i] = pickTempered(mix.Pi[i*k:(i+1)*k], 1/tempPi, uniform(bits[i]), &p.s)
		}
	}
	z := bits[n:]
	if d == 1 {
		normalRows(dst[:n], mix.Mu[:n*k], mix.Sigma[:n*k], comp, z[:n], k, tempSigma, &p.rng)
		return
	}
	for i, c := range comp {
		mu := mix.Mu[(i*k+int(c))*d : (i*k+int(c)+1)*d]
		sg := mix.Sigma[(i*k+int(c))*d : (i*k+int(c)+1)*d]
		out := dst[i*d : (i+1)*d]
		for j := range out {
			out[j] = float32(float64(mu[j]) + tempSigma*float64(sg[j])*normalFrom(z[i*d+j], &p.rng))
		}
	}
}

// pickRows sets comp[i] = pick(pi[i*k:(i+1)*k], uniform(bits[i])) for
// every row: the counts of all rows first (pickCounts, four rows at a time
// on avx2fma), then pick's fix-up row by row.
func pickRows(comp []int32, pi []float32, bits []uint64, k int) {
	pickCounts(comp, pi, bits, k)
	for i, c := range comp {
		if int(c) == k || pi[i*k+int(c)] == 0 {
			comp[i] = pickFix(pi[i*k:(i+1)*k], int(c))
		}
	}
}

// pickCountsGo sets comp[i] = pickCount(pi[i*k:(i+1)*k], uniform(bits[i]))
// for every row.
func pickCountsGo(comp []int32, pi []float32, bits []uint64, k int) {
	for i := range comp {
		comp[i] = int32(pickCount(pi[i*k:(i+1)*k], uniform(bits[i])))
	}
}

// normalRows sets dst[i] = μ + t·σ·x for one output dimension, with μ and σ
// those of component comp[i] of row i and x the standard normal drawn
// from z[i] (normalFrom; r gives the rare draws that need more values).
// The first try of the ziggurat is written out here, so the loop calls
// normalFrom only for the draws it rejects (about 1.2%).
func normalRows(dst, mu, sg []float32, comp []int32, z []uint64, k int, t float64, r *splitMix) {
	for i, c := range comp {
		b := z[i]
		l := b & (zigLayers - 1)
		x := float64(int64(b)>>11) * zigScale[l]
		if !(math.Abs(x) < zigX[l+1]) {
			x = normalFrom(b, r)
		}
		j := i*k + int(c)
		dst[i] = float32(float64(mu[j]) + t*float64(sg[j])*x)
	}
}

// splitMix is the sampler's generator, SplitMix64 (Steele, Lea and Flood,
// 2014): a 64-bit counter advanced by the golden-ratio increment, each
// value the counter mixed by two multiply-xorshift rounds. Its values do
// not depend on one another's computation, so a loop filling a buffer
// overlaps them: 2000 values in about 2 µs on the benchmark CPU, against 4 µs
// for math/rand/v2's PCG, whose 128-bit multiply chains each value to the
// last.
type splitMix struct{ s uint64 }

const splitMixGamma = 0x9e3779b97f4a7c15

func splitMixMix(z uint64) uint64 {
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// Uint64 returns the next value.
func (g *splitMix) Uint64() uint64 {
	g.s += splitMixGamma
	return splitMixMix(g.s)
}

// fill sets buf to the next len(buf) values.
func (g *splitMix) fill(buf []uint64) {
	s := g.s
	for i := range buf {
		s += splitMixGamma
		buf[i] = splitMixMix(s)
	}
	g.s = s
}

// uniform returns a uniform float64 in [0, 1) from the top 53 bits of b.
func uniform(b uint64) float64 { return float64(b>>11) * 0x1p-53 }

// pick returns the component drawn by the uniform u from the weights pi
// (summing to 1 within rounding): the number of cumulative weights at or
// below u (pickCount), then the last component with weight where that
// count names none (pickFix). A component of weight 0 is never drawn.
func pick(pi []float32, u float64) int32 { return pickFix(pi, pickCount(pi, u)) }

// pickCount returns the number of cumulative float64 sums of pi at or
// below u: each one counted by the sign bit of u − sum, without branches on
// the random value, so that the component choice costs no mispredicted
// jumps.
func pickCount(pi []float32, u float64) int {
	var cum float64
	c := 0
	for _, v := range pi {
		cum += float64(v)
		c += 1 - int(math.Float64bits(u-cum)>>63) // cum ≤ u
	}
	return c
}

// pickFix returns the component c counted by pickCount, or, where c is
// len(pi) (u at or beyond the weights' sum, short of 1 by rounding) or
// pi[c] is 0, the last component with weight.
func pickFix(pi []float32, c int) int32 {
	if c == len(pi) || pi[c] == 0 {
		c = len(pi) - 1
		for c > 0 && pi[c] == 0 {
			c--
		}
	}
	return int32(c)
}

// pickTempered returns the component the uniform u draws from
// softmax(logits/T) = π^(1/T) renormalised, computed in log space
// (invT = 1/T).
func pickTempered(pi []float32, invT, u float64, s *scratch) int32 {
	s.need(0, 0, len(pi))
	w := s.f[:len(pi)]
	mx := math.Inf(-1)
	for j, v := range pi {
		w[j] = math.Log(float64(v)) * invT
		mx = max(mx, w[j])
	}
	var sum float64
	for j := range w {
		w[j] = math.Exp(w[j] - mx)
		sum += w[j]
	}
	u *= sum
	last := 0
	for j, v := range w {
		if v > 0 {
			if u < v {
				return int32(j)
			}
			last = j
		}
		u -= v
	}
	return int32(last)
}

// The ziggurat method for standard normals (Marsaglia and Tsang, 2000),
// 128 layers: layer i ≥ 1 is the rectangle [0, zigX[i]] ×
// [f(zigX[i]), f(zigX[i+1])] under f(x) = e^(−x²/2), each of area zigV; the
// base layer 0 is [0, zigR] × [0, f(zigR)] plus the tail beyond zigR, also
// of area zigV, drawn as the rectangle [0, zigX[0]] × [0, f(zigR)] with
// zigX[0] = zigV/f(zigR). About 98.8% of draws take one 64-bit random
// value, a multiply and a compare.
const (
	zigLayers = 128
	zigR      = 3.442619855899      // the base layer's edge for 128 layers
	zigV      = 9.91256303526217e-3 // the area of every layer
	zigInvR   = 1 / zigR
)

// zigScale[i] = zigX[i]·2⁻⁵², which turns a signed 53-bit integer into a
// point of layer i exactly as 2⁻⁵² and zigX[i] in turn would.
var zigX, zigF, zigScale [zigLayers + 1]float64

func init() {
	f := func(x float64) float64 { return math.Exp(-0.5 * x * x) }
	zigX[0] = zigV / f(zigR)
	zigX[1] = zigR
	for i := 1; i < zigLayers-1; i++ {
		zigX[i+1] = math.Sqrt(-2 * math.Log(zigV/zigX[i]+f(zigX[i])))
	}
	zigX[zigLayers] = 0
	for i := range zigF {
		zigF[i] = f(zigX[i])
		zigScale[i] = zigX[i] * 0x1p-52
	}
}

// normal returns a standard normal deviate drawn from r.
func normal(r *splitMix) float64 { return normalFrom(r.Uint64(), r) }

// normalFrom returns a standard normal deviate whose first 64-bit random
// value is b, r giving any more it needs. One value gives the layer (its
// low 7 bits) and a signed uniform in [−1, 1) (its top 53), so the common
// path has no branch on a random bit but the acceptance test.
func normalFrom(b uint64, r *splitMix) float64 {
	for {
		i := b & (zigLayers - 1)
		x := float64(int64(b)>>11) * zigScale[i]
		if math.Abs(x) < zigX[i+1] {
			return x
		}
		if i == 0 {
			// The tail beyond zigR: zigR + e/zigR for e exponential,
			// accepted with probability e^(−(e/zigR)²/2) (Marsaglia's
			// tail method).
			for {
				e := -math.Log(1-uniform(r.Uint64())) * zigInvR
				t := -math.Log(1 - uniform(r.Uint64()))
				if 2*t > e*e {
					return math.Copysign(zigR+e, x)
				}
			}
		}
		if zigF[i]+uniform(r.Uint64())*(zigF[i+1]-zigF[i]) < math.Exp(-0.5*x*x) {
			return x // under the curve in the wedge
		}
		b = r.Uint64()
	}
}
