package mdn

import (
	"math"
	"math/rand/v2"
)

// sample draws one y per row of mix into dst (see Predictor.Sample): the
// components of every row first, from one uniform each, then the normals.
func (p *Predictor) sample(dst []float32, mix *Mixture, tempPi, tempSigma float64) {
	k, d := mix.K, mix.D
	comp := p.comp[:mix.N]
	for i := range comp {
		pi := mix.Pi[i*k : (i+1)*k]
		switch tempPi {
		case 1:
			comp[i] = pick(pi, &p.rng)
		case 0:
			c := 0
			for j, v := range pi {
				if v > pi[c] {
					c = j
				}
			}
			comp[i] = int32(c)
		default:
			comp[i] = pickTempered(pi, 1/tempPi, &p.rng, &p.s)
		}
	}
	for i, c := range comp {
		mu := mix.Mu[(i*k+int(c))*d : (i*k+int(c)+1)*d]
		sg := mix.Sigma[(i*k+int(c))*d : (i*k+int(c)+1)*d]
		out := dst[i*d : (i+1)*d]
		for j := range out {
			out[j] = float32(float64(mu[j]) + tempSigma*float64(sg[j])*normal(&p.rng))
		}
	}
}

// uniform returns a uniform float64 in [0, 1) from 53 random bits.
func uniform(r *rand.PCG) float64 { return float64(r.Uint64()>>11) * 0x1p-53 }

// pick draws a component from the weights pi (summing to 1 within
// rounding): the number of cumulative weights at or below a uniform u,
// counted without branches on the random value, so that the component
// choice costs no mispredicted jumps. A component of weight 0 is never
// drawn.
func pick(pi []float32, r *rand.PCG) int32 {
	u := float64(r.Uint64()>>11) * 0x1p-53
	var cum float64
	c := 0
	for _, v := range pi {
		cum += float64(v)
		c += 1 - int(math.Float64bits(u-cum)>>63) // cum ≤ u
	}
	if c == len(pi) || pi[c] == 0 {
		// u at or beyond the weights' sum (short of 1 by rounding): the
		// last component with weight.
		c = len(pi) - 1
		for c > 0 && pi[c] == 0 {
			c--
		}
	}
	return int32(c)
}

// pickTempered draws from softmax(logits/T) = π^(1/T) renormalised,
// computed in log space (invT = 1/T).
func pickTempered(pi []float32, invT float64, r *rand.PCG, s *scratch) int32 {
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
	u := uniform(r) * sum
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

var zigX, zigF [zigLayers + 1]float64

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
	}
}

// normal returns a standard normal deviate. One 64-bit value gives the
// layer (its low 7 bits) and a signed uniform in [−1, 1) (its top 53), so
// the common path has no branch on a random bit but the acceptance test.
func normal(r *rand.PCG) float64 {
	for {
		b := r.Uint64()
		i := b & (zigLayers - 1)
		x := float64(int64(b)>>11) * 0x1p-52 * zigX[i]
		if math.Abs(x) < zigX[i+1] {
			return x
		}
		if i == 0 {
			// The tail beyond zigR: zigR + e/zigR for e exponential,
			// accepted with probability e^(−(e/zigR)²/2) (Marsaglia's
			// tail method).
			for {
				e := -math.Log(1-uniform(r)) * zigInvR
				t := -math.Log(1 - uniform(r))
				if 2*t > e*e {
					return math.Copysign(zigR+e, x)
				}
			}
		}
		if zigF[i]+uniform(r)*(zigF[i+1]-zigF[i]) < math.Exp(-0.5*x*x) {
			return x // under the curve in the wedge
		}
	}
}
