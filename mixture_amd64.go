//go:build !purego

package mdnsimd

import (
	"sync"

	"github.com/mdnsimd/mdnsimd/kernels"
)

// The AVX2+FMA mixture kernel works on blocks of 8 rows, one row per YMM
// lane: it gathers each column of the 8 head rows (VGATHERDPS with lane
// offsets 0, w, …, 7w), computes the log-softmax, the component
// log-likelihoods, their LSE and the responsibilities for the 8 rows at once
// in float32, and writes each gradient column back lane by lane
// (VMOVSS/VEXTRACTPS to the 8 rows). Per-block intermediates (SoA, 8 floats
// per value) live in a scratch buffer owned by the caller.
//
// n ≥ 8 rows: blocks start at rows 0, 8, 16, …; when n is not a multiple of
// 8 the last block starts at n−8 and recomputes up to 7 rows of the block
// before it, writing the same values again, so no load or store leaves the
// slices. 1 ≤ n < 8 rows: the rows are copied into a zero-padded block on
// the stack (when it fits) and the block result copied back.

// mixtureScratchLen is the scratch, in float32, that mixtureAVX2 needs for
// k components and d dimensions: 48 for the gather offsets and per-block
// sums, then per block ½y (d vectors of 8 lanes), the head columns (w
// vectors, reused for the gradient columns) and, per component, a record of
// 3+2d vectors: logit−max, e^(logit−max), lp then e^(lp−max), and z, 2/σ
// for each dimension.
func mixtureScratchLen(k, d int) int { return 48 + 8*(d+MixtureWidth(k, d)+k*(3+2*d)) }

// mixtureStackLen is the size of the stack buffer that holds the scratch
// and, for n < 8, the padded block: K=5, D=1 needs 256 floats (+376 padded).
// Wider mixtures take their buffer from mixturePool.
const mixtureStackLen = 1024

// mixturePool supplies buffers for mixtures too wide for the stack buffer;
// it allocates only when a wider mixture than any before is seen.
var mixturePool = sync.Pool{New: func() any { return new([]float32) }}

func mixtureNLL(nll, head, y []float32, k, d int) {
	if useAVX2FMA && len(nll) > 0 {
		mixtureBlocks(nll, nil, head, y, k, d, 0)
		return
	}
	kernels.MixtureNLL(nll, head, y, k, d)
}

func mixtureNLLGrad(nll, dhead, head, y []float32, k, d int, scale float32) {
	if useAVX2FMA && len(nll) > 0 {
		mixtureBlocks(nll, dhead, head, y, k, d, scale)
		return
	}
	kernels.MixtureNLLGrad(nll, dhead, head, y, k, d, scale)
}

// mixtureBlocks runs the assembly on n ≥ 1 rows; dhead is nil for the
// forward pass only.
func mixtureBlocks(nll, dhead, head, y []float32, k, d int, scale float32) {
	var stack [mixtureStackLen]float32
	n, w := len(nll), MixtureWidth(k, d)
	need := mixtureScratchLen(k, d)
	if n < 8 {
		need += 8 + 2*8*w + 8*d
	}
	buf := stack[:]
	if need > len(buf) {
		p := mixturePool.Get().(*[]float32)
		defer mixturePool.Put(p)
		if len(*p) < need {
			*p = make([]float32, need)
		}
		buf = *p
	}
	scratch := &buf[0]
	if n >= 8 {
		mixtureAVX2(nll, dhead, head, y, k, d, scale, scratch)
		return
	}
	// n < 8: pad to one block of 8 rows (zero rows are valid input).
	buf = buf[mixtureScratchLen(k, d):need]
	nll8, buf := buf[:8], buf[8:]
	head8, buf := buf[:8*w], buf[8*w:]
	y8, dhead8 := buf[:8*d], buf[8*d:]
	clear(head8[copy(head8, head):])
	clear(y8[copy(y8, y):])
	if dhead == nil {
		mixtureAVX2(nll8, nil, head8, y8, k, d, scale, scratch)
	} else {
		mixtureAVX2(nll8, dhead8, head8, y8, k, d, scale, scratch)
		copy(dhead, dhead8)
	}
	copy(nll, nll8)
}

// mixtureAVX2 computes, for n = len(nll) ≥ 8 rows, what
// kernels.MixtureNLLGrad computes (kernels.MixtureNLL when len(dhead) == 0),
// in float32 with the same numeric contract:
//
//	for i := range nll {
//		lp[c] = logit[c] − LSE(logit) + Σ_j (−logσ[c][j] − ½log2π − ½z[c][j]²)
//		nll[i] = −LSE_c(lp[c])
//		γ[c] = e^(lp[c] + nll[i]);  π[c] = softmax(logit)[c]
//		dlogit[c] = scale·(π[c] − γ[c])
//		dμ[c][j] = −scale·γ[c]·z[c][j]/σ[c][j]
//		dlogσ[c][j] = scale·γ[c]·(1 − z[c][j]²)
//	}
//
// scratch points to mixtureScratchLen(k, d) float32.
//
//go:noescape
func mixtureAVX2(nll, dhead, head, y []float32, k, d int, scale float32, scratch *float32)
