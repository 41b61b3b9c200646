//go:build !purego

package mdn

import "github.com/mdnsimd/mdnsimd/internal/cpufeat"

// vecLoops reports whether the trainer runs the NEON loops below (optimizer
// updates, loss sums). It follows the kernels' dispatch, so
// GODEBUG=cpu.asimd=off and a test's cpufeat.Force leave them on their Go
// loops too.
func vecLoops() bool { return cpufeat.HasNEON }

// vecLen returns how many of n parameters the vector update loops take:
// the first 4·⌊n/4⌋. The loops use the same float32 operations in the same
// order as the Go loops of update (IEEE square root and division are
// correctly rounded in both), so the results are the same bits; update does
// the rest with the Go loop. Each returns the sum over the new parameters of
// p·0: 0 while they are all finite, NaN otherwise. The caller checks that g,
// m, v and b are at least as long as p. The loops are those of
// vec_amd64.go, 4 lanes at a time.
func vecLen(n int) int { return n &^ 3 }

// addLen returns how many of n floats addVec takes: 4·⌊n/4⌋.
func addLen(n int) int { return n &^ 3 }

// addVec sets dst[i] = dst[i] + src[i] for i < len(dst), a multiple of 4
// (len(src) ≥ len(dst)): the Go loop's additions, four at a time.
//
//go:noescape
func addVec(dst, src []float32)

//go:noescape
func adamVec(p, g, m, v []float32, k *[6]float32) float32

//go:noescape
func rmspropVec(p, g, v, b []float32, k *[5]float32) float32

//go:noescape
func sgdVec(p, g, b []float32, k *[2]float32) float32

// sumVec returns Σ s in float64 for len(s) a multiple of 16: 16 partial
// sums (partial j takes s[16i+j] in order of i), then added in a fixed
// order.
//
//go:noescape
func sumVec(s []float32) float64

// splitHead is splitHeadGo here.
func splitHead(lg, mu, ls, head []float32, n, k, kd int) { splitHeadGo(lg, mu, ls, head, n, k, kd) }

// pickCounts sets comp[i] for every row to the count pick forms before its
// fix-up (see pick).
func pickCounts(comp []int32, pi []float32, bits []uint64, k int) { pickCountsGo(comp, pi, bits, k) }

// momentsVec leaves every row of Mixture.moments to Go here.
func momentsVec(mix *Mixture, dst []float32, q query) int { return 0 }
