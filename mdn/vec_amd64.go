//go:build !purego

package mdn

import "github.com/mdnsimd/mdnsimd/internal/cpufeat"

// vecLoops reports whether the trainer runs the vector loops below
// (optimizer updates, loss sums). It follows the kernels' dispatch, so
// -tags purego, GODEBUG=cpu.avx2=off and a test's cpufeat.Force leave them
// on their Go loops too.
func vecLoops() bool { return cpufeat.HasAVX2FMA }

// vecLen returns how many of n parameters the vector update loops take: all
// of them on AVX-512 (masked loads and stores for the last n%16), the first
// 8·⌊n/8⌋ on AVX2. The loops use the same float32 operations in the same
// order as the Go loops of update (IEEE square root and division are
// correctly rounded in both), so the results are the same bits; update does
// the rest with the Go loop. Each returns the sum over the new parameters of
// p·0: 0 while they are all finite, NaN otherwise. The caller checks that g,
// m, v and b are at least as long as p.
func vecLen(n int) int {
	if cpufeat.HasAVX512 {
		return n
	}
	return n &^ 7
}

// adamVec is, for i < len(p) (a multiple of 8 unless on AVX-512), with
// k = [−step, bc2, 1−β1, β2, 1−β2, ε]:
//
//	m[i] = m[i] + (1−β1)·(g[i] − m[i])
//	v[i] = v[i]·β2 + ((1−β2)·g[i])·g[i]
//	p[i] = p[i] + (−step·m[i]) / (√v[i]/bc2 + ε)
func adamVec(p, g, m, v []float32, k *[6]float32) float32 {
	if cpufeat.HasAVX512 {
		return adamAVX512(p, g, m, v, k)
	}
	return adamAVX2(p, g, m, v, k)
}

// rmspropVec is, for i < len(p) (a multiple of 8 unless on AVX-512), with
// k = [α, 1−α, ε, −lr, μ]:
//
//	v[i] = v[i]·α + ((1−α)·g[i])·g[i];  a = √v[i] + ε
//	len(b) == 0: p[i] = p[i] + (−lr·g[i])/a
//	otherwise:   b[i] = b[i]·μ + g[i]/a;  p[i] = p[i] + (−lr)·b[i]
func rmspropVec(p, g, v, b []float32, k *[5]float32) float32 {
	if cpufeat.HasAVX512 {
		return rmspropAVX512(p, g, v, b, k)
	}
	return rmspropAVX2(p, g, v, b, k)
}

// sgdVec is, for i < len(p) (a multiple of 8 unless on AVX-512), with
// k = [lr, μ]:
//
//	len(b) == 0: p[i] = p[i] − lr·g[i]
//	otherwise:   b[i] = g[i] + b[i]·μ;  p[i] = p[i] − lr·b[i]
func sgdVec(p, g, b []float32, k *[2]float32) float32 {
	if cpufeat.HasAVX512 {
		return sgdAVX512(p, g, b, k)
	}
	return sgdAVX2(p, g, b, k)
}

// sumVec returns Σ s in float64 for len(s) a multiple of 16: 16 partial
// sums (partial j takes s[16i+j] in order of i), then added in a fixed
// order, ((0..3 + 4..7) + (8..11 + 12..15)), then (0 + 2) + (1 + 3); the
// same bits on AVX-512 and AVX2.
func sumVec(s []float32) float64 {
	if cpufeat.HasAVX512 {
		return sumAVX512(s)
	}
	return sumAVX2(s)
}

// The loops: AVX2 (vec_amd64.s) takes len(p) a multiple of 8, AVX-512
// (vec_avx512_amd64.s) any len(p).

//go:noescape
func adamAVX2(p, g, m, v []float32, k *[6]float32) float32

//go:noescape
func rmspropAVX2(p, g, v, b []float32, k *[5]float32) float32

//go:noescape
func sgdAVX2(p, g, b []float32, k *[2]float32) float32

//go:noescape
func sumAVX2(s []float32) float64

//go:noescape
func adamAVX512(p, g, m, v []float32, k *[6]float32) float32

//go:noescape
func rmspropAVX512(p, g, v, b []float32, k *[5]float32) float32

//go:noescape
func sgdAVX512(p, g, b []float32, k *[2]float32) float32

//go:noescape
func sumAVX512(s []float32) float64
