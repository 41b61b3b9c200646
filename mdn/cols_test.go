package mdn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
)

// colsGuard is the NaN the column-kernel tests put around and between the
// floats a kernel may write (and, for gradCols, past the samples it may
// read): a store outside them, or a read of them into a sum, fails the
// test.
var colsGuard = math.Float32frombits(0x7fc0dead)

// colsGuarded returns a slice of length n (capacity n) in the middle of a
// buffer whose other floats are colsGuard, and a check that reports the
// first guard float changed.
func colsGuarded(n int) ([]float32, func() error) {
	const g = 37
	buf := make([]float32, n+2*g)
	for i := range buf {
		buf[i] = colsGuard
	}
	check := func() error {
		for i, v := range buf {
			if (i < g || i >= g+n) && math.Float32bits(v) != math.Float32bits(colsGuard) {
				return fmt.Errorf("guard float %d of the buffer (slice at %d, len %d) overwritten: %v", i, g, n, v)
			}
		}
		return nil
	}
	return buf[g : g+n : g+n], check
}

// colsPaths returns the paths the column kernels run on here: "avx512"
// (the assembly) where the CPU has it, and "generic" (linearColsGo and
// gradColsGo) always.
func colsPaths(t testing.TB) []string {
	if !cpufeat.HasAVX512 {
		t.Logf("!!! the AVX-512 column kernels were not run: path %s (CPU or build without AVX-512)", cpufeat.Path())
		return []string{cpufeat.Generic}
	}
	return []string{cpufeat.AVX512, cpufeat.Generic}
}

// linCase is one linearCols call.
type linCase struct {
	nIn, nOut, wo, wi, n, ld int
	bias, gate               bool
}

func (c linCase) String() string {
	return fmt.Sprintf("nIn=%d nOut=%d wo=%d wi=%d n=%d ld=%d bias=%v gate=%v", c.nIn, c.nOut, c.wo, c.wi, c.n, c.ld, c.bias, c.gate)
}

// linCases returns the trainer's three shapes, shapes around the tile
// sizes (5 outputs, 64 samples) and random ones.
func linCases(rng *rand.Rand, count int) []linCase {
	cs := []linCase{
		{nIn: 20, nOut: 15, wo: 20, wi: 1, n: 1000, ld: 1024, bias: true},
		{nIn: 15, nOut: 20, wo: 1, wi: 20, n: 1000, ld: 1024, gate: true},
		{nIn: 1, nOut: 20, wo: 1, wi: 1, n: 1000, ld: 1024, bias: true},
	}
	for _, n := range []int{0, 1, 15, 16, 17, 48, 49, 63, 64, 65, 112, 128, 129, 1000} {
		for _, nOut := range []int{1, 4, 5, 6, 9, 10, 11} {
			R := colsRound(n)
			cs = append(cs, linCase{nIn: 1 + n%5, nOut: nOut, wo: 1 + n%5, wi: 1, n: n, ld: R + n%3, bias: n%2 == 0, gate: nOut%2 == 0})
		}
	}
	// Every count of 64-sample blocks mod 4 (the groups of blocks the
	// assembly walks), with the last block overlapping or not.
	for _, n := range []int{192, 200, 256, 257, 300, 320, 321, 448, 500, 513, 576, 640, 700, 769, 832, 960} {
		for _, nIn := range []int{1, 3, 8, 20} {
			for _, nOut := range []int{4, 7, 15, 20} {
				cs = append(cs, linCase{nIn: nIn, nOut: nOut, wo: nIn, wi: 1, n: n, ld: colsRound(n) + 16*(n%2), bias: nOut%2 == 1, gate: nIn%2 == 0})
			}
		}
	}
	// Input counts around 8 and 32, and wider.
	for _, nIn := range []int{7, 8, 31, 32, 33, 40} {
		cs = append(cs, linCase{nIn: nIn, nOut: 12, wo: nIn, wi: 1, n: 200, ld: 208, bias: true, gate: nIn%2 == 0})
	}
	for range count {
		c := linCase{nIn: 1 + rng.IntN(24), nOut: 1 + rng.IntN(24), n: rng.IntN(131), bias: rng.IntN(2) == 0, gate: rng.IntN(2) == 0}
		switch rng.IntN(8) {
		case 0:
			c.n = 1000
		case 1:
			c.n = rng.IntN(1100)
		}
		c.ld = colsRound(c.n) + rng.IntN(3)*rng.IntN(40)
		switch rng.IntN(4) {
		case 0: // w[out][in]
			c.wo, c.wi = c.nIn, 1
		case 1: // transposed: w[in][out]
			c.wo, c.wi = 1, c.nOut
		case 2: // padded rows
			c.wo, c.wi = c.nIn+rng.IntN(5), 1+rng.IntN(2)*rng.IntN(3)
		default: // any strides, 0 included
			c.wo, c.wi = rng.IntN(30), rng.IntN(30)
		}
		cs = append(cs, c)
	}
	return cs
}

// runLin runs c on path with random inputs, checks the guards and returns
// dst with the inputs.
func runLin(t *testing.T, rng *rand.Rand, c linCase, path string) (dst, src, w, b, gate []float32) {
	t.Helper()
	R := colsRound(c.n)
	src = make([]float32, (c.nIn-1)*c.ld+R)
	for i := range src {
		src[i] = float32(rng.NormFloat64())
	}
	w = make([]float32, (c.nOut-1)*c.wo+(c.nIn-1)*c.wi+1)
	for i := range w {
		w[i] = float32(rng.NormFloat64())
	}
	if c.bias {
		b = make([]float32, c.nOut)
		for i := range b {
			b[i] = float32(rng.NormFloat64())
		}
	}
	var checkGate func() error
	if c.gate {
		gate, checkGate = colsGuarded((c.nOut-1)*c.ld + R)
		for i := range gate {
			gate[i] = float32(rng.Float64()*3 - 1.5)
		}
	}
	dst, check := colsGuarded((c.nOut-1)*c.ld + R)
	for i := range dst {
		dst[i] = colsGuard
	}
	defer cpufeat.Force(path)()
	if path == cpufeat.Generic {
		linearCols(dst, src, w, b, gate, c.nIn, c.nOut, c.wo, c.wi, c.n, c.ld)
	} else {
		linearColsAVX512Checked(dst, src, w, b, gate, c.nIn, c.nOut, c.wo, c.wi, c.n, c.ld)
	}
	if err := check(); err != nil {
		t.Fatalf("%s: %v: dst: %v", path, c, err)
	}
	if checkGate != nil {
		if err := checkGate(); err != nil {
			t.Fatalf("%s: %v: gate: %v", path, c, err)
		}
	}
	for o := range c.nOut {
		for r := R; r < c.ld && o*c.ld+r < len(dst); r++ {
			if v := dst[o*c.ld+r]; math.Float32bits(v) != math.Float32bits(colsGuard) {
				t.Fatalf("%s: %v: dst[%d*ld+%d] (past R = %d) overwritten: %v", path, c, o, r, R, v)
			}
		}
	}
	return dst, src, w, b, gate
}

// linearColsAVX512Checked is linearCols on the assembly: the dispatch has
// been forced to avx512, and this fails loudly where it did not take it.
func linearColsAVX512Checked(dst, src, w, b, gate []float32, nIn, nOut, wo, wi, n, ld int) {
	if cpufeat.Path() != cpufeat.AVX512 {
		panic("linearCols: the avx512 path was not forced")
	}
	linearCols(dst, src, w, b, gate, nIn, nOut, wo, wi, n, ld)
}

// linBound returns the float64 value of output (o, r) and the bound on a
// float32 result's error: nIn+1 roundings of the FMA chain on at most
// S = |b| + Σ|w·x| each, the rounding of g² and of the gate's fused op,
//
//	|got − ref| ≤ (nIn+4)·2⁻²⁴·S·(1+g²)
func linBound(c linCase, src, w, b, gate []float32, o, r int) (ref, bound float64) {
	var s, mag float64
	if len(b) > 0 {
		s, mag = float64(b[o]), math.Abs(float64(b[o]))
	}
	for i := range c.nIn {
		p := float64(w[o*c.wo+i*c.wi]) * float64(src[i*c.ld+r])
		s += p
		mag += math.Abs(p)
	}
	g2 := 0.0
	if len(gate) > 0 {
		g := float64(gate[o*c.ld+r])
		g2 = g * g
		s -= s * g2
	}
	return s, float64(c.nIn+4)*0x1p-24*mag*(1+g2) + 0x1p-140
}

// TestLinearCols compares linearCols on each path with a float64
// reference, and the assembly with linearColsGo, for the trainer's shapes
// and random shapes (strides, padding, bias and gate on and off), with
// guard floats around dst and in its rows' padding past R.
func TestLinearCols(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	cases := linCases(rng, 600)
	for _, path := range colsPaths(t) {
		t.Run(path, func(t *testing.T) {
			for ci, c := range cases {
				seed := uint64(ci)
				dst, src, w, b, gate := runLin(t, rand.New(rand.NewPCG(seed, 7)), c, path)
				var want []float32
				if path != cpufeat.Generic {
					// The same inputs through the Go loops.
					want, _, _, _, _ = runLin(t, rand.New(rand.NewPCG(seed, 7)), c, cpufeat.Generic)
				}
				R := colsRound(c.n)
				for o := range c.nOut {
					for r := range R {
						got := dst[o*c.ld+r]
						ref, bound := linBound(c, src, w, b, gate, o, r)
						if d := math.Abs(float64(got) - ref); !(d <= bound) {
							t.Fatalf("%v: dst[%d*ld+%d] = %v, float64 reference %v, |error| %.3g > bound %.3g", c, o, r, got, ref, d, bound)
						}
						if want != nil {
							if d := math.Abs(float64(got) - float64(want[o*c.ld+r])); !(d <= bound) {
								t.Fatalf("%v: dst[%d*ld+%d] = %v, linearColsGo %v, |difference| %.3g > bound %.3g", c, o, r, got, want[o*c.ld+r], d, bound)
							}
						}
					}
				}
			}
		})
	}
}

// gradCase is one gradCols call.
type gradCase struct {
	na, nb, n, lda, ldb int
	bias                bool
}

func (c gradCase) String() string {
	return fmt.Sprintf("na=%d nb=%d n=%d lda=%d ldb=%d gb=%v", c.na, c.nb, c.n, c.lda, c.ldb, c.bias)
}

// gradCases returns the trainer's two shapes, shapes around the tiles (3 ×
// 5 rows, 8, 4 and 1 × 1) and random ones.
func gradCases(rng *rand.Rand, count int) []gradCase {
	cs := []gradCase{
		{na: 15, nb: 20, n: 1000, lda: 1024, ldb: 1024, bias: true},
		{na: 20, nb: 1, n: 1000, lda: 1024, ldb: 1000, bias: true},
	}
	for _, n := range []int{0, 1, 15, 16, 17, 31, 32, 33, 1000} {
		for _, nb := range []int{1, 2, 4, 5, 6, 10, 11} {
			for _, na := range []int{1, 2, 3, 4, 5, 7, 8, 9, 12, 13} {
				cs = append(cs, gradCase{na: na, nb: nb, n: n, lda: n + na%3, ldb: n + nb%2, bias: (na+nb+n)%2 == 0})
			}
		}
	}
	for range count {
		c := gradCase{na: 1 + rng.IntN(24), nb: 1 + rng.IntN(24), n: rng.IntN(131), bias: rng.IntN(2) == 0}
		switch rng.IntN(8) {
		case 0:
			c.n = 1000
		case 1:
			c.n = rng.IntN(1100)
		}
		c.lda = c.n + rng.IntN(3)*rng.IntN(40)
		c.ldb = c.n + rng.IntN(3)*rng.IntN(40)
		if c.nb == 1 && rng.IntN(2) == 0 {
			c.ldb = rng.IntN(1 << 20) // unused: any ldb ≥ n
			if c.ldb < c.n {
				c.ldb = c.n
			}
		}
		cs = append(cs, c)
	}
	return cs
}

// colsRows returns a slice of rows·ld−(ld−n) floats, rows of n random
// floats ld apart, in a buffer whose other floats (the rows' padding and
// 40 floats past the end) are colsGuard.
func colsRows(rng *rand.Rand, rows, n, ld int) []float32 {
	size := (rows-1)*ld + n
	buf := make([]float32, size+40)
	for i := range buf {
		buf[i] = colsGuard
	}
	for i := range rows {
		for r := range n {
			buf[i*ld+r] = float32(rng.NormFloat64())
		}
	}
	return buf[:size:size]
}

// runGrad runs c on path with random inputs (gw and gb start at random
// values), checks the guards and returns the results with the inputs.
func runGrad(t *testing.T, rng *rand.Rand, c gradCase, path string) (gw, gb, gw0, gb0, a, b []float32) {
	t.Helper()
	a = colsRows(rng, c.na, c.n, c.lda)
	var b0 []float32
	if c.nb == 1 {
		b0 = colsRows(rng, 1, c.n, c.n) // ldb is never used to step
	} else {
		b0 = colsRows(rng, c.nb, c.n, c.ldb)
	}
	b = b0
	gw, checkW := colsGuarded(c.na * c.nb)
	for i := range gw {
		gw[i] = float32(rng.NormFloat64())
	}
	gw0 = append([]float32(nil), gw...)
	checkB := func() error { return nil }
	if c.bias {
		gb, checkB = colsGuarded(c.na)
		for i := range gb {
			gb[i] = float32(rng.NormFloat64())
		}
		gb0 = append([]float32(nil), gb...)
	}
	defer cpufeat.Force(path)()
	if path == cpufeat.AVX512 && cpufeat.Path() != cpufeat.AVX512 {
		t.Fatal("the avx512 path was not forced")
	}
	gradCols(gw, gb, a, b, c.na, c.nb, c.n, c.lda, c.ldb)
	if err := checkW(); err != nil {
		t.Fatalf("%s: %v: gw: %v", path, c, err)
	}
	if err := checkB(); err != nil {
		t.Fatalf("%s: %v: gb: %v", path, c, err)
	}
	return gw, gb, gw0, gb0, a, b
}

// TestGradCols compares gradCols on each path with a float64 reference,
// and the assembly with gradColsGo, for the trainer's shapes and random
// ones, with guard floats around gw and gb and NaN past the n samples of
// every row of a and b (a load of them into a sum makes it NaN). The
// bound: ⌈n/16⌉ roundings of a lane's partial sum, 4 of the halving and
// one adding to gw, on at most |gw₀| + Σ|a·b| each,
//
//	|got − ref| ≤ (⌈n/16⌉+5)·2⁻²⁴·(|gw₀| + Σ|a·b|)
func TestGradCols(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	cases := gradCases(rng, 600)
	for _, path := range colsPaths(t) {
		t.Run(path, func(t *testing.T) {
			for ci, c := range cases {
				seed := uint64(ci)
				gw, gb, gw0, gb0, a, b := runGrad(t, rand.New(rand.NewPCG(seed, 9)), c, path)
				var wantW, wantB []float32
				if path != cpufeat.Generic {
					wantW, wantB, _, _, _, _ = runGrad(t, rand.New(rand.NewPCG(seed, 9)), c, cpufeat.Generic)
				}
				k := float64((c.n+15)/16+5) * 0x1p-24
				check := func(what string, got float32, start float64, sum func(r int) float64, want []float32, idx int) {
					ref, mag := start, math.Abs(start)
					for r := range c.n {
						p := sum(r)
						ref += p
						mag += math.Abs(p)
					}
					bound := k*mag + 0x1p-140
					if d := math.Abs(float64(got) - ref); !(d <= bound) {
						t.Fatalf("%v: %s = %v, float64 reference %v, |error| %.3g > bound %.3g", c, what, got, ref, d, bound)
					}
					if want != nil {
						if d := math.Abs(float64(got) - float64(want[idx])); !(d <= bound) {
							t.Fatalf("%v: %s = %v, gradColsGo %v, |difference| %.3g > bound %.3g", c, what, got, want[idx], d, bound)
						}
					}
				}
				for i := range c.na {
					for j := range c.nb {
						check(fmt.Sprintf("gw[%d*nb+%d]", i, j), gw[i*c.nb+j], float64(gw0[i*c.nb+j]), func(r int) float64 {
							return float64(a[i*c.lda+r]) * float64(b[j*c.ldb+r])
						}, wantW, i*c.nb+j)
					}
					if c.bias {
						check(fmt.Sprintf("gb[%d]", i), gb[i], float64(gb0[i]), func(r int) float64 {
							return float64(a[i*c.lda+r])
						}, wantB, i)
					}
				}
			}
		})
	}
}

// TestGradColsOrder: the assembly and gradColsGo sum in the same order,
// to the bit. The inputs are ±{1,2,3}·2^e, |e| ≤ 6: every product and sum
// is a multiple of 2⁻¹² below 2²⁵, exact in float64, so fma32 rounds once
// as the hardware FMA does, while the float32 sums round and their order
// shows.
func TestGradColsOrder(t *testing.T) {
	if !cpufeat.HasAVX512 {
		t.Skip("!!! no AVX-512: the assembly was not run")
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for _, c := range gradCases(rng, 200) {
		a := colsRows(rng, c.na, c.n, c.lda)
		b := colsRows(rng, c.nb, c.n, c.ldb)
		for _, s := range [][]float32{a, b} {
			for i, v := range s {
				if !math.IsNaN(float64(v)) {
					s[i] = float32(math.Ldexp(float64(1+rng.IntN(3)), rng.IntN(13)-6)) * float32(1-2*rng.IntN(2))
				}
			}
		}
		gw, gw2 := make([]float32, c.na*c.nb), make([]float32, c.na*c.nb)
		gb, gb2 := make([]float32, c.na), make([]float32, c.na)
		gradCols(gw, gb, a, b, c.na, c.nb, c.n, c.lda, c.ldb)
		gradColsGo(gw2, gb2, a, b, c.na, c.nb, c.n, c.lda, c.ldb)
		for i := range gw {
			if math.Float32bits(gw[i]) != math.Float32bits(gw2[i]) {
				t.Fatalf("%v: gw[%d] = %v (avx512), %v (gradColsGo)", c, i, gw[i], gw2[i])
			}
		}
		for i := range gb {
			if math.Float32bits(gb[i]) != math.Float32bits(gb2[i]) {
				t.Fatalf("%v: gb[%d] = %v (avx512), %v (gradColsGo)", c, i, gb[i], gb2[i])
			}
		}
	}
}

// TestLinearColsGradW: linearColsGradW gives the bits of its two calls,
// linearCols into dz and gradCols over dz and x, for any number of inputs
// of x and outputs (the last output tile overlapping the one before when
// nOut is not a multiple of 5), and rows across the last block's overlap
// and the tail below n; the lanes past n of src, gate and x hold NaN, which
// no sum may take. gw and gb start nonzero: both forms add to them.
func TestLinearColsGradW(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, nOut := range []int{1, 4, 5, 7, 9, 20, 33} {
		for _, nx := range []int{1, 2, 3} {
			for _, n := range []int{1, 17, 49, 63, 64, 65, 100, 128, 129, 255, 256, 257, 300, 1000} {
				nIn := 1 + rng.IntN(16)
				ld := colsRound(n) + 16*rng.IntN(3)
				what := fmt.Sprintf("nIn=%d nOut=%d nx=%d n=%d ld=%d", nIn, nOut, nx, n, ld)
				cols := func(rows int) []float32 {
					s := make([]float32, rows*ld)
					for i := range s {
						s[i] = float32(math.NaN())
						if i%ld < n {
							s[i] = float32(rng.NormFloat64())
						}
					}
					return s
				}
				src, gate, x := cols(nIn), cols(nOut), cols(nx)
				w := make([]float32, nIn*nOut)
				for i := range w {
					w[i] = float32(rng.NormFloat64())
				}
				gw, gb := make([]float32, nOut*nx), make([]float32, nOut)
				for i := range gw {
					gw[i] = float32(rng.NormFloat64())
				}
				for i := range gb {
					gb[i] = float32(rng.NormFloat64())
				}
				gw2, gb2 := append([]float32(nil), gw...), append([]float32(nil), gb...)
				// The weights read transposed (wo = 1, wi = nOut), as the
				// trainer's input gradient reads them.
				dz := make([]float32, nOut*ld)
				linearCols(dz, src, w, nil, gate, nIn, nOut, 1, nOut, n, ld)
				gradCols(gw2, gb2, dz, x, nOut, nx, n, ld, ld)
				acc := make([]float32, colsAccLen(nOut, nx))
				for i := range acc {
					acc[i] = float32(math.NaN()) // cleared by the call
				}
				scratch := make([]float32, nOut*ld)
				linearColsGradW(gw, gb, acc, scratch, src, w, gate, x, nIn, nOut, 1, nOut, nx, n, ld)
				for i := range gw {
					if math.Float32bits(gw[i]) != math.Float32bits(gw2[i]) {
						t.Fatalf("%s: gw[%d] = %v fused, %v by linearCols and gradCols", what, i, gw[i], gw2[i])
					}
				}
				for i := range gb {
					if math.Float32bits(gb[i]) != math.Float32bits(gb2[i]) {
						t.Fatalf("%s: gb[%d] = %v fused, %v by linearCols and gradCols", what, i, gb[i], gb2[i])
					}
				}
			}
		}
	}
}

// TestColsChecks: each length check panics, naming the kernel.
func TestColsChecks(t *testing.T) {
	f := func(n int) []float32 { return make([]float32, n) }
	for _, c := range []struct {
		name string
		call func()
	}{
		{"linearCols", func() { linearCols(f(16), f(16), f(1), nil, nil, 0, 1, 1, 1, 16, 16) }},
		{"linearCols", func() { linearCols(f(16), f(16), f(1), nil, nil, 1, 1, 1, 1, 10, 15) }},
		{"linearCols", func() { linearCols(f(16), f(15), f(1), nil, nil, 1, 1, 1, 1, 10, 16) }},
		{"linearCols", func() { linearCols(f(31), f(16), f(2), nil, nil, 1, 2, 1, 1, 10, 16) }},
		{"linearCols", func() { linearCols(f(16), f(16), f(1), f(1), f(15), 1, 1, 1, 1, 10, 16) }},
		{"linearCols", func() { linearCols(f(32), f(16), f(2), f(1), nil, 1, 2, 1, 1, 10, 16) }},
		{"linearCols", func() { linearCols(f(16), f(32), f(2), nil, nil, 2, 1, 1, 2, 10, 16) }},
		{"linearCols", func() { linearCols(f(16), f(16), f(1), nil, nil, 1, 1, -1, 1, 10, 16) }},
		{"gradCols", func() { gradCols(f(1), nil, f(4), f(4), 1, 0, 4, 4, 4) }},
		{"gradCols", func() { gradCols(f(1), nil, f(4), f(4), 1, 1, 4, 3, 4) }},
		{"gradCols", func() { gradCols(f(2), nil, f(8), f(4), 2, 1, 4, 5, 4) }},
		{"gradCols", func() { gradCols(f(2), nil, f(4), f(7), 1, 2, 4, 4, 4) }},
		{"gradCols", func() { gradCols(f(3), nil, f(8), f(8), 2, 2, 4, 4, 4) }},
		{"gradCols", func() { gradCols(f(4), f(1), f(8), f(8), 2, 2, 4, 4, 4) }},
	} {
		func() {
			defer func() {
				e := recover()
				if s, _ := e.(string); !strings.Contains(s, c.name) {
					t.Errorf("%s with bad arguments: panic %v, want one naming %s", c.name, e, c.name)
				}
			}()
			c.call()
		}()
	}
}

// BenchmarkLinearCols times the trainer's linearCols shapes: the head
// forward (1000×20→15), its input gradient with the tanh gate (1000×15→20,
// weights transposed) and the hidden layer (1000×1→20).
func BenchmarkLinearCols(b *testing.B) {
	for _, c := range []struct {
		name string
		c    linCase
	}{
		{"head", linCase{nIn: 20, nOut: 15, wo: 20, wi: 1, n: 1000, ld: 1008, bias: true}},
		{"dinput", linCase{nIn: 15, nOut: 20, wo: 1, wi: 20, n: 1000, ld: 1008, gate: true}},
		{"hidden", linCase{nIn: 1, nOut: 20, wo: 1, wi: 1, n: 1000, ld: 1008, bias: true}},
	} {
		x := c.c
		rng := rand.New(rand.NewPCG(1, 1))
		fill := func(n int) []float32 {
			s := make([]float32, n)
			for i := range s {
				s[i] = float32(rng.NormFloat64())
			}
			return s
		}
		dst, src := fill(x.nOut*x.ld), fill(x.nIn*x.ld)
		w := fill((x.nOut-1)*x.wo + (x.nIn-1)*x.wi + 1)
		var bias, gate []float32
		if x.bias {
			bias = fill(x.nOut)
		}
		if x.gate {
			gate = fill(x.nOut * x.ld)
		}
		for _, impl := range colsImpls() {
			b.Run(fmt.Sprintf("shape=%s/impl=%s", c.name, impl), func(b *testing.B) {
				defer cpufeat.Force(impl)()
				b.ReportAllocs()
				for b.Loop() {
					linearCols(dst, src, w, bias, gate, x.nIn, x.nOut, x.wo, x.wi, x.n, x.ld)
				}
				b.ReportMetric(2*float64(x.nIn*x.nOut*x.n)*float64(b.N)/float64(b.Elapsed().Nanoseconds()), "GFLOP/s")
			})
		}
	}
}

// BenchmarkGradCols times the trainer's gradCols shapes: the head weight
// gradient (15×20 over 1000 samples) and the hidden one (20×1).
func BenchmarkGradCols(b *testing.B) {
	for _, c := range []struct {
		name string
		c    gradCase
	}{
		{"head", gradCase{na: 15, nb: 20, n: 1000, lda: 1008, ldb: 1008, bias: true}},
		{"hidden", gradCase{na: 20, nb: 1, n: 1000, lda: 1008, ldb: 1000, bias: true}},
	} {
		x := c.c
		rng := rand.New(rand.NewPCG(1, 1))
		a, bb := colsRows(rng, x.na, x.n, x.lda), colsRows(rng, x.nb, x.n, x.ldb)
		gw, gb := make([]float32, x.na*x.nb), make([]float32, x.na)
		for _, impl := range colsImpls() {
			b.Run(fmt.Sprintf("shape=%s/impl=%s", c.name, impl), func(b *testing.B) {
				defer cpufeat.Force(impl)()
				b.ReportAllocs()
				for b.Loop() {
					gradCols(gw, gb, a, bb, x.na, x.nb, x.n, x.lda, x.ldb)
				}
				b.ReportMetric(2*float64(x.na*x.nb*x.n)*float64(b.N)/float64(b.Elapsed().Nanoseconds()), "GFLOP/s")
			})
		}
	}
}

// colsImpls lists the paths the benchmarks time: avx512 where the CPU has
// it, and generic.
func colsImpls() []string {
	if cpufeat.HasAVX512 {
		return []string{cpufeat.AVX512, cpufeat.Generic}
	}
	return []string{cpufeat.Generic}
}
