//go:build !purego

package mdn

import "github.com/mdnsimd/mdnsimd/internal/cpufeat"

// vecLoops reports whether the trainer runs the AVX2 loops below (optimizer
// updates, loss sums). It follows the kernels' dispatch, so -tags purego,
// GODEBUG=cpu.avx2=off and a test's cpufeat.Force leave them on their Go
// loops too.
func vecLoops() bool { return cpufeat.HasAVX2FMA }

// The vector loops take the first vecLanes·⌊len(p)/vecLanes⌋ elements,
// with the same float32 operations in the same order as the Go loops of
// update (IEEE square root and division are correctly rounded in both), so
// the results are the same bits; update does the rest with the Go loop. Each returns the
// sum over the new parameters of p·0: 0 while they are all finite, NaN
// otherwise. The caller checks that g, m, v and b are at least as long as p.
const vecLanes = 8

// adamVec is, for i < vecLanes·⌊len(p)/vecLanes⌋, with k = [−step, bc2, 1−β1, β2, 1−β2, ε]:
//
//	m[i] = m[i] + (1−β1)·(g[i] − m[i])
//	v[i] = v[i]·β2 + ((1−β2)·g[i])·g[i]
//	p[i] = p[i] + (−step·m[i]) / (√v[i]/bc2 + ε)
//
//go:noescape
func adamVec(p, g, m, v []float32, k *[6]float32) float32

// rmspropVec is, for i < vecLanes·⌊len(p)/vecLanes⌋, with k = [α, 1−α, ε, −lr, μ]:
//
//	v[i] = v[i]·α + ((1−α)·g[i])·g[i];  a = √v[i] + ε
//	len(b) == 0: p[i] = p[i] + (−lr·g[i])/a
//	otherwise:   b[i] = b[i]·μ + g[i]/a;  p[i] = p[i] + (−lr)·b[i]
//
//go:noescape
func rmspropVec(p, g, v, b []float32, k *[5]float32) float32

// sgdVec is, for i < vecLanes·⌊len(p)/vecLanes⌋, with k = [lr, μ]:
//
//	len(b) == 0: p[i] = p[i] − lr·g[i]
//	otherwise:   b[i] = g[i] + b[i]·μ;  p[i] = p[i] − lr·b[i]
//
//go:noescape
func sgdVec(p, g, b []float32, k *[2]float32) float32

// sumVec returns Σ s in float64 for len(s) a multiple of 16: 16 partial
// sums (partial j takes s[16i+j] in order of i), then added in a fixed
// order.
//
//go:noescape
func sumVec(s []float32) float64
