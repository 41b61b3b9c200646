package fuzz

import (
	"math"
	"testing"

	"github.com/mdnsimd/mdnsimd"
	"github.com/mdnsimd/mdnsimd/kernels"
)

// softShape: rows 0..19, cols 0..4199, at most 1<<16 values.
func softShape(r, c uint16) (rows, cols int) {
	rows, cols = int(r%20), vlen(c)
	if rows*cols > 1<<16 {
		rows = 1 + rows%3
	}
	return rows, cols
}

// rowSpecial reports whether the contract makes the whole row NaN: it holds
// a NaN or +Inf, or all its elements are −Inf.
func rowSpecial(x []float32) bool {
	allNegInf := true
	for _, v := range x {
		if isNaN32(v) || math.IsInf(float64(v), 1) {
			return true
		}
		if !math.IsInf(float64(v), -1) {
			allNegInf = false
		}
	}
	return allNegInf && len(x) > 0
}

// softmaxCase runs one softmax-like kernel on both paths and calls row for
// each output row that is not special.
func softmaxCase(t reporter, r, c uint16, mode uint8, data []byte,
	impls map[string]func(dst, x []float32, rows, cols int),
	row func(f *fails, name string, r int, x []float32, got []float32)) {
	f := &fails{t: t}
	for name, kern := range impls {
		defer onPath(name)()
		s := newSource(mode, data)
		rows, cols := softShape(r, c)
		defer s.release()
		x, xcheck := s.inputOrInPlace(rows * cols)
		snap := snapshot(x)
		dst, dcheck := x, xcheck
		if !s.inPlace() {
			dst, dcheck = garbage(s, len(x))
		}
		kern(dst, x, rows, cols)
		f.err(dcheck())
		if !s.inPlace() {
			f.err(xcheck())
			f.err(unchanged("x", x, snap))
		}
		in := make([]float32, cols)
		for i := 0; i < rows; i++ {
			for j := range in {
				in[j] = math.Float32frombits(snap[i*cols+j])
			}
			got := dst[i*cols : (i+1)*cols]
			if rowSpecial(in) {
				for j, v := range got {
					if !isNaN32(v) {
						f.add("%s %dx%d row %d: special row, got %s at [%d], want NaN", name, rows, cols, i, f32s(v), j)
						break
					}
				}
				continue
			}
			row(f, name, i, in, got)
		}
	}
}

// FuzzSoftmax: every element within relative error u·(|x−m| + 1.4n + 20)·2
// of the float64 softmax (see lseBound: the same shifted terms, one more
// division), absolute floor (n+2)·tiny for underflowed terms; the row sums
// to 1 within (n+2)·u·2 (the n-term sum of the divisor is the only error
// that does not cancel); special rows all NaN.
func FuzzSoftmax(f *testing.F) {
	f.Fuzz(func(t *testing.T, r, c uint16, mode uint8, data []byte) {
		softmaxCase(t, r, c, mode, data, withPaths("mdnsimd.Softmax", mdnsimd.Softmax, map[string]func(dst, x []float32, rows, cols int){
			"kernels.Softmax": kernels.Softmax,
		}), softmaxRow)
	})
}

func softmaxRow(f *fails, name string, r int, x, got []float32) {
	n := float64(len(x))
	_, m, logS, _ := lseOracle(x)
	var sum float64
	for j, v := range x {
		d := float64(v) - m
		want := math.Exp(d - logS)
		b := (n + 2) * tiny
		if want != 0 {
			b += 2 * u * (math.Abs(d) + 1.4*n + 20) * want
		}
		if err := absWithin(got[j], want, b); err != nil {
			f.add("%s row %d of width %d, x[%d]=%s: %v", name, r, len(x), j, f32s(v), err)
		}
		sum += float64(got[j])
	}
	if b := 2 * u * (n + 2); len(x) > 0 && !(math.Abs(sum-1) <= b) {
		f.add("%s row %d of width %d sums to %.9g, want 1 ± %.3g", name, r, len(x), sum, b)
	}
}

// FuzzLogSoftmax: out = x − LSE(x) within the LSE bound plus the final
// subtraction's rounding (and that of x−m, for kernels that subtract m and
// log S separately); −Inf elements stay −Inf; special rows all NaN.
func FuzzLogSoftmax(f *testing.F) {
	f.Fuzz(func(t *testing.T, r, c uint16, mode uint8, data []byte) {
		softmaxCase(t, r, c, mode, data, withPaths("mdnsimd.LogSoftmax", mdnsimd.LogSoftmax, map[string]func(dst, x []float32, rows, cols int){
			"kernels.LogSoftmax": kernels.LogSoftmax,
		}), func(f *fails, name string, r int, x, got []float32) {
			lse, m, logS, _ := lseOracle(x)
			lb := lseBound(len(x), lse, logS)
			for j, v := range x {
				want := float64(v) - lse
				b := lb + 2*u*(math.Abs(want)+math.Abs(float64(v)-m))
				if err := absWithin(got[j], want, b); err != nil {
					f.add("%s row %d of width %d, x[%d]=%s: %v", name, r, len(x), j, f32s(v), err)
				}
			}
		})
	})
}
