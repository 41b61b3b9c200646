package fuzz

import (
	"math"
	"strconv"
	"testing"

	"github.com/mdnsimd/mdnsimd"
	"github.com/mdnsimd/mdnsimd/kernels"
)

// The GEMM targets take rows, in and out from the fuzz input (0..263 each,
// see gemmShape) and every operand from its bytes, and hold each output to
// the acc oracle: exact float64 terms, the (n+2)·u·Σ|terms| bound of any
// float32 summation order, IEEE propagation of NaN and infinities. Bit 2 of
// mode drops the bias (Linear, LinearTanh) or the bias gradient (the
// weight-gradient kernels), or makes dz alias dh (LinearTanhGradWeights).

type linearFunc func(dst, x, w, b []float32, rows, in, out int)

// linearOracle returns one acc per output element of x·wᵀ + b.
func linearOracle(x, w, b []float32, rows, in, out int) []acc {
	accs := make([]acc, rows*out)
	for r := 0; r < rows; r++ {
		for o := 0; o < out; o++ {
			a := &accs[r*out+o]
			if len(b) > 0 {
				a.add(float64(b[o]))
			}
			for j := 0; j < in; j++ {
				a.mul(x[r*in+j], w[o*in+j])
			}
		}
	}
	return accs
}

func linearCase(t reporter, r, i, o uint16, mode uint8, data []byte,
	impls map[string]linearFunc, check func(a *acc, got float32) error) {
	f := &fails{t: t}
	var accs []acc
	for name, kern := range impls {
		defer onPath(name)()
		s := newSource(mode, data)
		defer s.release()
		rows, in, out := gemmShape(r, i, o)
		x, xc := s.input(rows * in)
		w, wc := s.input(out * in)
		nb := out
		if s.mode&4 != 0 {
			nb = 0
		}
		b, bc := s.input(nb)
		dst, dc := garbage(s, rows*out)
		xs, ws, bs := snapshot(x), snapshot(w), snapshot(b)
		kern(dst, x, w, b, rows, in, out)
		for _, c := range []func() error{dc, xc, wc, bc} {
			f.err(c())
		}
		f.err(unchanged("x", x, xs))
		f.err(unchanged("w", w, ws))
		f.err(unchanged("b", b, bs))
		if accs == nil {
			accs = linearOracle(x, w, b, rows, in, out)
		}
		for e, v := range dst {
			if err := check(&accs[e], v); err != nil {
				f.add("%s rows=%d in=%d out=%d bias=%v: dst[%d][%d]: %v", name, rows, in, out, nb > 0, e/out, e%out, err)
			}
		}
	}
}

// FuzzLinear: dst = x·wᵀ + b, each element a possible float32 sum (acc).
func FuzzLinear(f *testing.F) {
	f.Fuzz(func(t *testing.T, rows, in, out uint16, mode uint8, data []byte) {
		linearCase(t, rows, in, out, mode, data, withPaths("mdnsimd.Linear", linearFunc(mdnsimd.Linear), map[string]linearFunc{
			"kernels.Linear": kernels.Linear,
		}), (*acc).check)
	})
}

// ulp32 is the spacing of float32 values at |v| (the ULP of v).
func ulp32(v float64) float64 {
	a := float32(math.Abs(v))
	if isInf32(a) {
		return 0x1p104
	}
	return float64(math.Nextafter32(a, float32(math.Inf(1))) - a)
}

// checkTanhOf checks got = tanh(z) for the float32 sum z the acc describes:
// an error δ in z moves tanh by at most δ·sech²(|z|−δ) (tanh' = sech² is
// decreasing in |z|), and the tanh itself adds ≤ 2 ULP (2.5 against the
// unrounded float64 value). Infinite sums give ±1; when the float32 sum may
// have overflowed, |got| ≤ 1 or NaN is all that is certain.
func checkTanhOf(a *acc, got float32) error {
	switch {
	case a.nan || a.pinf && a.ninf:
		return absWithin(got, math.NaN(), 0)
	case a.pinf || a.ninf:
		want := 1.0
		if a.ninf {
			want = -1
		}
		if float64(got) == want || a.risk && isNaN32(got) {
			return nil
		}
		return errorf("got %s, want %v", f32s(got), want)
	}
	d := a.bound()
	if a.risk || a.abs+d >= maxF32 {
		if isNaN32(got) || math.Abs(float64(got)) <= 1 {
			return nil
		}
		return errorf("got %s, want a value in [-1, 1]", f32s(got))
	}
	want := math.Tanh(a.sum)
	s := 1 / math.Cosh(math.Max(math.Abs(a.sum)-d, 0))
	return absWithin(got, want, d*s*s+2.5*ulp32(want))
}

// FuzzLinearTanh: dst = tanh(x·wᵀ + b), see checkTanhOf.
func FuzzLinearTanh(f *testing.F) {
	f.Fuzz(func(t *testing.T, rows, in, out uint16, mode uint8, data []byte) {
		linearCase(t, rows, in, out, mode, data, withPaths("mdnsimd.LinearTanh", linearFunc(mdnsimd.LinearTanh), map[string]linearFunc{
			"kernels.LinearTanh": kernels.LinearTanh,
		}), checkTanhOf)
	})
}

// FuzzLinearTanhCols: LinearTanhCols on the rows of linearCase stored by
// columns of ld = rows + pad%40 lanes, held to the same oracle as
// LinearTanh (checkTanhOf); the lanes beyond the rows of x hold NaN, which
// no result may show, and those of dst must keep their sentinel.
func FuzzLinearTanhCols(f *testing.F) {
	f.Fuzz(func(t *testing.T, rows, in, out uint16, mode, pad uint8, data []byte) {
		cols := func(kern func(dst, x, w, b []float32, n, in, out, ld int)) linearFunc {
			return func(dst, x, w, b []float32, rows, in, out int) {
				ld := rows + int(pad%40)
				xc, dc := make([]float32, in*ld), make([]float32, out*ld)
				for i := range xc {
					xc[i] = float32(math.NaN())
				}
				for i := range dc {
					dc[i] = -7.25
				}
				for r := range rows {
					for j := range in {
						xc[j*ld+r] = x[r*in+j]
					}
				}
				kern(dc, xc, w, b, rows, in, out, ld)
				for o := range out {
					for r := range ld {
						switch {
						case r < rows:
							dst[r*out+o] = dc[o*ld+r]
						case dc[o*ld+r] != -7.25:
							t.Errorf("rows=%d in=%d out=%d ld=%d: dst column %d lane %d beyond the rows written", rows, in, out, ld, o, r)
						}
					}
				}
			}
		}
		linearCase(t, rows, in, out, mode, data, withPaths("mdnsimd.LinearTanhCols", cols(mdnsimd.LinearTanhCols), map[string]linearFunc{
			"kernels.LinearTanhCols": cols(kernels.LinearTanhCols),
		}), checkTanhOf)
	})
}

// FuzzLinearGradInput: dx = dz·w, dx overwritten (it starts as NaN garbage).
func FuzzLinearGradInput(f *testing.F) {
	f.Fuzz(func(t *testing.T, r, i, o uint16, mode uint8, data []byte) {
		fl := &fails{t: t}
		var accs []acc
		for name, kern := range withPaths("mdnsimd.LinearGradInput", mdnsimd.LinearGradInput, map[string]func(dx, dz, w []float32, rows, in, out int){
			"kernels.LinearGradInput": kernels.LinearGradInput,
		}) {
			defer onPath(name)()
			s := newSource(mode, data)
			rows, in, out := gemmShape(r, i, o)
			defer s.release()
			dz, zc := s.input(rows * out)
			w, wc := s.input(out * in)
			dx, xc := garbage(s, rows*in)
			zs, ws := snapshot(dz), snapshot(w)
			kern(dx, dz, w, rows, in, out)
			for _, c := range []func() error{zc, wc, xc} {
				fl.err(c())
			}
			fl.err(unchanged("dz", dz, zs))
			fl.err(unchanged("w", w, ws))
			if accs == nil {
				accs = make([]acc, rows*in)
				for r := 0; r < rows; r++ {
					for j := 0; j < in; j++ {
						for o := 0; o < out; o++ {
							accs[r*in+j].mul(dz[r*out+o], w[o*in+j])
						}
					}
				}
			}
			for e, v := range dx {
				if err := accs[e].check(v); err != nil {
					fl.add("%s rows=%d in=%d out=%d: dx[%d][%d]: %v", name, rows, in, out, e/in, e%in, err)
				}
			}
		}
	})
}

// gradWeightsOracle returns the accs of dw0 + dzᵀ·x and db0 + Σ_r dz for
// dz values given exactly (dzv), each with error bound dze and an overflow
// flag dzr (nil for exact dz).
func gradWeightsOracle(dw0, db0 []float32, dzv, dze []float64, dzr []bool, x []float32, rows, in, out int) (dw, db []acc) {
	dw, db = make([]acc, out*in), make([]acc, len(db0))
	for o := 0; o < out; o++ {
		if len(db0) > 0 {
			db[o].add(float64(db0[o]))
		}
		for j := 0; j < in; j++ {
			dw[o*in+j].add(float64(dw0[o*in+j]))
		}
		for r := 0; r < rows; r++ {
			e := r*out + o
			if len(db0) > 0 {
				db[o].add(dzv[e])
				if dze != nil {
					db[o].extra += dze[e]
					db[o].risk = db[o].risk || dzr[e]
				}
			}
			for j := 0; j < in; j++ {
				a := &dw[o*in+j]
				xv := float64(x[r*in+j])
				a.add(dzv[e] * xv)
				if dze != nil && !math.IsNaN(xv) {
					a.extra += dze[e] * math.Abs(xv)
					// A rounded dz may be a different infinity, or zero
					// under an infinite x where the exact one was not.
					a.risk = a.risk || dzr[e] || math.IsInf(xv, 0) && math.Abs(dzv[e]) < 0x1p-120
				}
			}
		}
	}
	return dw, db
}

func checkAccs(f *fails, what string, name string, accs []acc, got []float32, cols int) {
	f.t.Helper()
	for e, v := range got {
		if err := accs[e].check(v); err != nil {
			f.add("%s: %s[%d][%d]: %v", name, what, e/cols, e%cols, err)
		}
	}
}

// FuzzLinearGradWeights: dw += dzᵀ·x, db += Σ_r dz, from fuzzed starting
// values of dw and db.
func FuzzLinearGradWeights(f *testing.F) {
	f.Fuzz(func(t *testing.T, r, i, o uint16, mode uint8, data []byte) {
		fl := &fails{t: t}
		var dwa, dba []acc
		for name, kern := range withPaths("mdnsimd.LinearGradWeights", mdnsimd.LinearGradWeights, map[string]func(dw, db, dz, x []float32, rows, in, out int){
			"kernels.LinearGradWeights": kernels.LinearGradWeights,
		}) {
			defer onPath(name)()
			s := newSource(mode, data)
			rows, in, out := gemmShape(r, i, o)
			defer s.release()
			dz, zc := s.input(rows * out)
			x, xc := s.input(rows * in)
			dw, wc := s.guarded(out * in)
			nb := out
			if s.mode&4 != 0 {
				nb = 0
			}
			db, bc := s.guarded(nb)
			zs, xs := snapshot(dz), snapshot(x)
			if dwa == nil {
				dzv := make([]float64, len(dz))
				for e, v := range dz {
					dzv[e] = float64(v)
				}
				dwa, dba = gradWeightsOracle(dw, db, dzv, nil, nil, x, rows, in, out)
			}
			kern(dw, db, dz, x, rows, in, out)
			for _, c := range []func() error{zc, xc, wc, bc} {
				fl.err(c())
			}
			fl.err(unchanged("dz", dz, zs))
			fl.err(unchanged("x", x, xs))
			who := name + " " + shape(rows, in, out, nb)
			checkAccs(fl, "dw", who, dwa, dw, in)
			checkAccs(fl, "db", who, dba, db, 1)
		}
	})
}

func shape(rows, in, out, nb int) string {
	return "rows=" + itoa(rows) + " in=" + itoa(in) + " out=" + itoa(out) + " bias=" + itoa(nb)
}

func itoa(v int) string { return strconv.Itoa(v) }

// FuzzLinearTanhGradWeights: dz = dh ⊙ (1 − h²) written out, then dw += dzᵀ·x
// and db += Σ_r dz. h is fuzzed over all floats, not only tanh outputs.
// dz is checked against dh·(1−h²) within |dh|·u·(2h² + 2|1−h²|) — enough
// for 1 − h·h with or without FMA, for (1−h)(1+h), and for dh − dh·h·h —
// and that per-element error, times |x|, is added to the bound of each dw
// term. Where h² or dz overflows float32 only NaN propagation is checked.
func FuzzLinearTanhGradWeights(f *testing.F) {
	f.Fuzz(func(t *testing.T, r, i, o uint16, mode uint8, data []byte) {
		fl := &fails{t: t}
		var dwa, dba []acc
		var dzv, dze []float64
		var dzr []bool
		for name, kern := range withPaths("mdnsimd.LinearTanhGradWeights", mdnsimd.LinearTanhGradWeights, map[string]func(dw, db, dz, dh, h, x []float32, rows, in, out int){
			"kernels.LinearTanhGradWeights": kernels.LinearTanhGradWeights,
		}) {
			defer onPath(name)()
			s := newSource(mode, data)
			rows, in, out := gemmShape(r, i, o)
			defer s.release()
			dh, dhc := s.inputOrInPlace(rows * out)
			h, hc := s.input(rows * out)
			x, xc := s.input(rows * in)
			dw, wc := s.guarded(out * in)
			db, bc := s.guarded(out)
			dz, zc := dh, dhc
			if !s.inPlace() {
				dz, zc = garbage(s, rows*out)
			}
			dhs, hs, xs := snapshot(dh), snapshot(h), snapshot(x)
			if dwa == nil {
				n := rows * out
				dzv, dze, dzr = make([]float64, n), make([]float64, n), make([]bool, n)
				for e := range dzv {
					g, hv := float64(dh[e]), float64(h[e])
					dzv[e] = g * (1 - hv*hv)
					dze[e] = math.Abs(g)*u*(2*hv*hv+2*math.Abs(1-hv*hv))*1.01 + 2*tiny
					dzr[e] = hv*hv > maxF32 || math.Abs(dzv[e]) > maxF32 && !math.IsInf(dzv[e], 0)
					if math.IsNaN(dze[e]) || math.IsInf(dze[e], 0) {
						dze[e] = 0 // NaN or infinite dz: the class decides
					}
				}
				dwa, dba = gradWeightsOracle(dw, db, dzv, dze, dzr, x, rows, in, out)
			}
			kern(dw, db, dz, dh, h, x, rows, in, out)
			for _, c := range []func() error{dhc, hc, xc, wc, bc, zc} {
				fl.err(c())
			}
			if !s.inPlace() {
				fl.err(unchanged("dh", dh, dhs))
			}
			fl.err(unchanged("h", h, hs))
			fl.err(unchanged("x", x, xs))
			who := name + " " + shape(rows, in, out, out)
			for e, v := range dz {
				var err error
				switch {
				case dzr[e]:
					if math.IsNaN(dzv[e]) && !isNaN32(v) {
						err = errorf("got %s, want NaN", f32s(v))
					}
				default:
					err = absWithin(v, dzv[e], dze[e])
				}
				if err != nil {
					fl.add("%s: dz[%d][%d] (dh=%s h=%s): %v", who, e/out, e%out,
						f32s(math.Float32frombits(dhs[e])), f32s(math.Float32frombits(hs[e])), err)
				}
			}
			checkAccs(fl, "dw", who, dwa, dw, in)
			checkAccs(fl, "db", who, dba, db, 1)
		}
	})
}
