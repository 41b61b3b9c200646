//go:build !purego

package mdnsimd

import (
	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
	"sync"

	"github.com/mdnsimd/mdnsimd/kernels"
)

// mixtureNEON computes what kernels.MixtureNLLGrad computes
// (kernels.MixtureNLL when len(dhead) == 0) for n = len(nll) ≥ 1 rows, in
// float32, under the contract of MixtureNLL, four rows at a time (one per
// lane); scratch holds at least mixtureNEONScratch(k, d) values.
//
//go:noescape
func mixtureNEON(nll, dhead, head, y []float32, k, d int, scale float32, scratch []float32)

// mixtureNEONScratch is the scratch mixtureNEON needs: 4 lanes of the d y
// columns, the w head columns and k records of 2+2d vectors.
func mixtureNEONScratch(k, d int) int { return 4 * (d + MixtureWidth(k, d) + k*(2+2*d)) }

// The scratch lives on the stack up to mixtureLarge floats: mixtureSmall
// covers K=5, D=1 (144) up to K=18, D=1 or K=11, D=2, mixtureLarge K=20,
// D=4 (1536); two sizes keep the zeroing of the buffer small next to the
// kernel. Wider mixtures take a buffer from mixtureScratchPool, which
// allocates only when a wider mixture than any before is seen (or after a
// garbage collection emptied it).
const mixtureSmall, mixtureLarge = 512, 2048

var mixtureScratchPool = sync.Pool{New: func() any { return new([]float32) }}

func mixtureNLL(nll, head, y []float32, k, d int) {
	if cpufeat.HasNEON && len(nll) > 0 {
		mixtureRunNEON(nll, nil, head, y, k, d, 0)
		return
	}
	kernels.MixtureNLL(nll, head, y, k, d)
}

func mixtureNLLGrad(nll, dhead, head, y []float32, k, d int, scale float32) {
	if cpufeat.HasNEON && len(nll) > 0 {
		mixtureRunNEON(nll, dhead, head, y, k, d, scale)
		return
	}
	kernels.MixtureNLLGrad(nll, dhead, head, y, k, d, scale)
}

// mixtureCols runs the Go reference: the NEON kernel reads rows.
func mixtureCols(nll, dhead, head, y []float32, k, d, ld int, scale float32) {
	kernels.MixtureNLLGradCols(nll, dhead, head, y, k, d, ld, scale)
}

func mixtureRunNEON(nll, dhead, head, y []float32, k, d int, scale float32) {
	switch need := mixtureNEONScratch(k, d); {
	case need <= mixtureSmall:
		var buf [mixtureSmall]float32
		mixtureNEON(nll, dhead, head, y, k, d, scale, buf[:need])
	case need <= mixtureLarge:
		var buf [mixtureLarge]float32
		mixtureNEON(nll, dhead, head, y, k, d, scale, buf[:need])
	default:
		p := mixtureScratchPool.Get().(*[]float32)
		if len(*p) < need {
			*p = make([]float32, need)
		}
		mixtureNEON(nll, dhead, head, y, k, d, scale, *p)
		mixtureScratchPool.Put(p)
	}
}
