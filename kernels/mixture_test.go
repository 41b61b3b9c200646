package kernels

import (
	"math/rand/v2"
	"testing"

	"github.com/mdnsimd/mdnsimd/internal/f32test"
)

// TestMixtureWideScratch checks the pooled scratch of wide mixtures
// against the stack scratch: a mixture of 5 live components padded with
// dead ones (logit −1e30, weight exactly 0) must give the 5-component
// mixture's NLL and gradient bit for bit, and a zero gradient for every
// dead component.
func TestMixtureWideScratch(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	const live, n = 5, 37
	for _, kd := range [][2]int{{320, 1}, {80, 4}} {
		k, d := kd[0], kd[1]
		if 2*k+2*k*d <= maxStack {
			t.Fatalf("K=%d,D=%d fits the stack scratch", k, d)
		}
		w, wl := k+2*k*d, live+2*live*d
		head, y := make([]float32, n*w), make([]float32, n*d)
		narrow := make([]float32, n*wl)
		f32test.Normal(r, y, 3)
		for i := range n {
			h, hl := head[i*w:(i+1)*w], narrow[i*wl:(i+1)*wl]
			for c := range k {
				h[c] = -1e30
				if c < live {
					h[c] = float32(r.NormFloat64())
					hl[c] = h[c]
				}
				for j := range d {
					mu, ls := k+c*d+j, k+k*d+c*d+j
					if c < live {
						h[mu], h[ls] = float32(2*r.NormFloat64()), float32(r.Float64()*3-2)
						hl[live+c*d+j], hl[live+live*d+c*d+j] = h[mu], h[ls]
					}
				}
			}
		}
		nll, g := make([]float32, n), make([]float32, n*w)
		nllN, gN := make([]float32, n), make([]float32, n*wl)
		MixtureNLLGrad(nll, g, head, y, k, d, 0.25)
		MixtureNLLGrad(nllN, gN, narrow, y, live, d, 0.25)
		for i := range n {
			if nll[i] != nllN[i] {
				t.Fatalf("K=%d,D=%d row %d: nll %v, %v with the dead components left out", k, d, i, nll[i], nllN[i])
			}
			h, hl := g[i*w:(i+1)*w], gN[i*wl:(i+1)*wl]
			for c := range k {
				check := func(what string, got float32, want float32) {
					if got != want {
						t.Fatalf("K=%d,D=%d row %d: %s of component %d = %v, want %v", k, d, i, what, c, got, want)
					}
				}
				var wantLogit float32
				if c < live {
					wantLogit = hl[c]
				}
				check("dlogit", h[c], wantLogit)
				for j := range d {
					var wm, wl float32
					if c < live {
						wm, wl = hl[live+c*d+j], hl[live+live*d+c*d+j]
					}
					check("dμ", h[k+c*d+j], wm) // −0 == 0
					check("dlogσ", h[k+k*d+c*d+j], wl)
				}
			}
		}
	}
}
