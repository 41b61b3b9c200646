//go:build !purego

package mdn

import (
	"fmt"

	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
)

// cdfVec computes Mixture.cdf for the leading rows of a one-dimension
// mixture of k components in blocks of four, and returns how many: on
// avx2fma (and avx512) the first 4·⌊len(dst)/4⌋, each block by cdfAVX2,
// or in Go (cdf1) where the block has a row the kernel does not take;
// otherwise none. y holds len(dst) values and pi, mu and sg len(dst)·k.
func cdfVec(dst, y, pi, mu, sg []float32, k int, s *scratch) int {
	if !cpufeat.HasAVX2FMA {
		return 0
	}
	n := len(dst)
	if k < 1 || len(y) < n || len(pi) < n*k || len(mu) < n*k || len(sg) < n*k {
		panic(fmt.Sprintf("mdn: cdfVec: len(dst) = %d, k = %d with len(y) = %d, len(pi) = %d, len(mu) = %d, len(sg) = %d",
			n, k, len(y), len(pi), len(mu), len(sg)))
	}
	n &^= 3
	for i := 0; i < n; {
		i += cdfAVX2(dst[i:n], y[i:n], pi[i*k:n*k], mu[i*k:n*k], sg[i*k:n*k], k)
		if i == n {
			break
		}
		for r := i; r < i+4; r++ {
			dst[r] = cdf1(pi[r*k:(r+1)*k], mu[r*k:(r+1)*k], sg[r*k:(r+1)*k], y[r], s)
		}
		i += 4
	}
	return n
}

// cdfAVX2 computes, for the blocks of four rows from the first, each row's
// F(y) as Mixture.cdf does for one dimension (gather's components, mixCDF's
// loop; the same bits), and returns the rows done: 4·⌊len(dst)/4⌋, or,
// where it meets a block with a row it does not take, the rows before that
// block. It takes a row whose components have weight 0, or a positive,
// finite weight, a finite μ and a positive, finite σ. len(y) ≥ len(dst),
// len(pi), len(mu), len(sg) ≥ len(dst)·k and k ≥ 1; it reads only the
// rows it takes and the block it stops at.
//
//go:noescape
func cdfAVX2(dst, y, pi, mu, sg []float32, k int) int
