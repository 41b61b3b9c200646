//go:build !purego

package mdn

import (
	"fmt"

	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
)

// cdfVec computes Mixture.cdf for the leading rows of mix in blocks of
// four, every dimension, and returns how many: on avx2fma (and avx512) the
// first 4·⌊N/4⌋, each dimension's blocks by cdfAVX2, or in Go (cdfPair)
// where a block has a row the kernel does not take; otherwise none. y and
// dst hold N·D values.
func cdfVec(mix *Mixture, dst, y []float32, s *scratch) int {
	if !cpufeat.HasAVX2FMA {
		return 0
	}
	n, k, d := mix.N&^3, mix.K, mix.D
	if n == 0 {
		return 0
	}
	if k < 1 || d < 1 || len(dst) < n*d || len(y) < n*d || len(mix.Pi) < n*k || len(mix.Mu) < n*k*d || len(mix.Sigma) < n*k*d {
		panic(fmt.Sprintf("mdn: cdfVec: %d rows of %d components in %d dimensions with len(dst) = %d, len(y) = %d, len(Pi) = %d, len(Mu) = %d, len(Sigma) = %d",
			n, k, d, len(dst), len(y), len(mix.Pi), len(mix.Mu), len(mix.Sigma)))
	}
	kd := k * d
	for j := range d {
		for i := 0; i < n; {
			i += cdfAVX2(dst[i*d+j:], y[i*d+j:], mix.Pi[i*k:], mix.Mu[i*kd+j:], mix.Sigma[i*kd+j:], n-i, k, d)
			if i == n {
				break
			}
			for r := i; r < i+4; r++ {
				dst[r*d+j] = mix.cdfPair(r, j, y[r*d+j], s)
			}
			i += 4
		}
	}
	return n
}

// cdfAVX2 computes, for the blocks of four rows from the first (of the
// 4·⌊n/4⌋ rows of k ≥ 1 components in d ≥ 1 dimensions), F(y) of the
// dimension whose first μ and σ are at mu[0] and sg[0], as Mixture.cdf
// does (gather's components, mixCDF's loop; the same bits): row i's
// weights are pi[i·k:(i+1)·k], its components' μ and σ mu[(i·k+c)·d] and
// sg[(i·k+c)·d], its y y[i·d], its F into dst[i·d]. It returns the rows
// done: 4·⌊n/4⌋, or, where it meets a block with a row it does not take,
// the rows before that block. It takes a row whose components have weight
// 0, or a positive, finite weight, a finite μ and a positive, finite σ. It
// reads only the rows it takes and the block it stops at, so len(dst),
// len(y) > (4·⌊n/4⌋ − 1)·d, len(pi) ≥ 4·⌊n/4⌋·k and len(mu), len(sg) >
// (4·⌊n/4⌋·k − 1)·d suffice.
//
//go:noescape
func cdfAVX2(dst, y, pi, mu, sg []float32, n, k, d int) int
