//go:build !purego

package mdn

import (
	"math"

	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
)

// Density on avx2fma: four grid points at a time in the float64 lanes of
// a YMM register, on avx512 eight in a ZMM register, with the Go loop's
// operations in its order and math.Exp's (the FMA branch of its amd64
// assembly, which every CPU with AVX2 and FMA takes), so that every path
// gives the same bits.

// densityVec sets dst[g*stride] for every grid point g of the components
// cs (gathered for one row and dimension) as density's loop does, and
// returns len(grid), on avx2fma and avx512; elsewhere it does nothing and
// returns 0. The last len(grid)%4 points (%8 on avx512) go through the
// kernel in a padded group.
func densityVec(dst, grid []float32, cs []comp, stride int) int {
	if !cpufeat.HasAVX2FMA || len(grid) == 0 {
		return 0
	}
	if len(cs) == 0 || (len(grid)-1)*stride >= len(dst) {
		panic("mdn: densityVec: no components, or dst shorter than the grid")
	}
	w := 4
	if cpufeat.HasAVX512 {
		w = 8
	}
	n := len(grid) &^ (w - 1)
	if n > 0 {
		densityKernel(&dst[0], &grid[0], n, cs, stride)
	}
	if r := len(grid) - n; r > 0 {
		var g, o [8]float32
		copy(g[:], grid[n:])
		densityKernel(&o[0], &g[0], w, cs, 1)
		for t := range r {
			dst[(n+t)*stride] = o[t]
		}
	}
	return len(grid)
}

// densityKernel runs densityAVX512 on avx512 and densityAVX2 elsewhere.
func densityKernel(dst, grid *float32, n int, cs []comp, stride int) {
	if cpufeat.HasAVX512 {
		densityAVX512(dst, grid, n, &cs[0], len(cs), stride)
	} else {
		densityAVX2(dst, grid, n, &cs[0], len(cs), stride)
	}
}

// densityAVX2 is density's loop over the grid points grid[:n] (n a
// multiple of 4, at least 4) for the k components at cs, into
// dst[g*stride].
//
//go:noescape
func densityAVX2(dst, grid *float32, n int, cs *comp, k, stride int)

// densityAVX512 is densityAVX2 in ZMM registers, for n a multiple of 8,
// at least 8.
//
//go:noescape
func densityAVX512(dst, grid *float32, n int, cs *comp, k, stride int)

// expVec sets x[i] = math.Exp(x[i]) for the first len(x)&^3 values on
// avx2fma and avx512, and returns how many it did: 0 elsewhere.
func expVec(x []float64) int {
	n := len(x) &^ 3
	if !cpufeat.HasAVX2FMA || n == 0 {
		return 0
	}
	if cpufeat.HasAVX512 {
		if m := n &^ 7; m > 0 {
			exp64AVX512(&x[0], &x[0], m)
			if m == n {
				return n
			}
			exp64AVX2(&x[m], &x[m], 4)
			return n
		}
	}
	exp64AVX2(&x[0], &x[0], n)
	return n
}

// exp64AVX2 sets dst[i] = math.Exp(x[i]) for i < n (a multiple of 4, at
// least 4) with the density kernel's exponential (EXP64 in
// exp64_amd64.h); dst may be x.
//
//go:noescape
func exp64AVX2(dst, x *float64, n int)

// exp64AVX512 is exp64AVX2 with EXP64Z, for n a multiple of 8, at least 8.
//
//go:noescape
func exp64AVX512(dst, x *float64, n int)

// expConst4 holds the constants of math.Exp's amd64 assembly (exp_amd64.s
// in Go's math package: Shibata's method), each in the four lanes of a YMM
// operand, then the density's: −½ and 1/√(2π), in 64-bit integer lanes
// 1023, 0x3fe, 0x7fe and −53, EXP64's bounds −746 and 710 and in an
// integer lane −52, then the mode's: 8, 1e−9 and the masks of all bits but
// the sign and of the sign, then EXP64Z's 1023, and the mode kernels'
// integers: 100 (a start's steps), and each lane's bit, 1, 2, 4, 8, then
// EXP64Z's −1076, at and below which it zeroes a lane (exp64_amd64.h names
// the offsets).
var expConst4 = func() (c [33][4]uint64) {
	f := []float64{
		1.4426950408889634073599246810018920,                  // 0: log₂e
		0.69314718055966295651160180568695068359375,           // 1: ln 2, upper part
		0.28235290563031577122588448175013436025525412068e-12, // 2: ln 2, lower part
		0.0625,                   // 3
		2.4801587301587301587e-5, // 4: Taylor's coefficients, 1/8! …
		1.9841269841269841270e-4,
		1.3888888888888888889e-3,
		8.3333333333333333333e-3,
		4.1666666666666666667e-2,
		1.6666666666666666667e-1, // 9: … 1/3!
		0.5,                      // 10
		1.0,                      // 11
		2.0,                      // 12
		7.09782712893384e+02,     // 13: beyond it, +Inf
		0x1p-1022,                // 14
		math.Inf(1),              // 15
		-0.5,                     // 16
		invSqrt2Pi,               // 17
	}
	for i, v := range f {
		b := math.Float64bits(v)
		c[i] = [4]uint64{b, b, b, b}
	}
	for i, v := range []int64{1023, 0x3fe, 0x7fe, -53} { // 18–21
		c[18+i] = [4]uint64{uint64(v), uint64(v), uint64(v), uint64(v)}
	}
	m52 := int64(-52)
	for i, v := range []uint64{math.Float64bits(-746), math.Float64bits(710), uint64(m52), // 22–24
		math.Float64bits(8), math.Float64bits(1e-9), 1<<63 - 1, 1 << 63, // 25–28
		math.Float64bits(1023)} { // 29: above it, EXP64Z's +Inf
		c[22+i] = [4]uint64{v, v, v, v}
	}
	c[30] = [4]uint64{100, 100, 100, 100} // 30: the mode kernels' step limit
	c[31] = [4]uint64{1, 2, 4, 8}         // 31: each lane's bit
	b := math.Float64bits(-1076)
	c[32] = [4]uint64{b, b, b, b} // 32: EXP64Z's zero bound
	return c
}()
