//go:build !purego

package mdn

import "github.com/mdnsimd/mdnsimd"

// optVec selects the NEON update loops below; it follows the kernels'
// dispatch (mdnsimd.Impl), so GODEBUG=cpu.asimd=off leaves the optimizers
// on their Go loops too. Tests flip it to compare the two.
var optVec = mdnsimd.Impl() == "neon"

// The vector loops take the first optVecLanes·⌊len(p)/optVecLanes⌋
// elements, with the same float32 operations in the same order as the Go
// loops of update (IEEE square root and division are correctly rounded in
// both), so the results are the same bits; update does the rest with the Go
// loop. Each returns the sum over the new parameters of p·0: 0 while they
// are all finite, NaN otherwise. The caller checks that g, m, v and b are
// at least as long as p. The loops are those of optim_amd64.go, 4 lanes at
// a time.
const optVecLanes = 4

//go:noescape
func adamVec(p, g, m, v []float32, k *[6]float32) float32

//go:noescape
func rmspropVec(p, g, v, b []float32, k *[5]float32) float32

//go:noescape
func sgdVec(p, g, b []float32, k *[2]float32) float32
