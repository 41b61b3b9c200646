package mdn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
	"github.com/mdnsimd/mdnsimd/internal/f32test"
)

// TestOptimizerSteps checks three steps of each optimizer on three
// parameters against values worked out from PyTorch's update rules in
// float64 (they match torch.optim with default arguments). Step one, by
// hand, for p = (1, −2, 0.5), g = (0.5, −0.25, 0):
//
//	Adam:    m = 0.1g, v = 0.001g², p −= (1e-3/0.1)·m/(√v/√0.001 + 1e-8)
//	         = 1e-3·g/(|g| + 1e-8)        → 0.99900000002, −1.99900000004, 0.5
//	RMSprop: v = 0.01g², p −= 1e-2·g/(0.1|g| + 1e-8) → 0.90000002, −1.90000004, 0.5
//	SGD:     p −= 1e-2·g                  → 0.995, −1.9975, 0.5
//
// The implementation keeps parameters and state in float32, so the bound is
// a few float32 ULPs of the parameters. It also follows torch.optim's float32
// arithmetic operation for operation: torch holds the results bit for bit as
// PyTorch 1.13 gave them on this machine (one thread, the default
// single-tensor code paths), printed with
//
//	p = torch.nn.Parameter(torch.tensor([1, -2, 0.5]))
//	o = torch.optim.Adam([p])  # RMSprop([p]), RMSprop([p], momentum=0.5), SGD([p], lr=1e-2) ...
//	for g in grads: p.grad = torch.tensor(g); o.step(); print([float(v) for v in p.detach()])
func TestOptimizerSteps(t *testing.T) {
	grads := [][]float32{{0.5, -0.25, 0}, {-0.25, 1.5, 2}, {0.125, 0.125, -3}}
	cases := []struct {
		name     Optimizer
		momentum float64
		want     [3][3]float64
		torch    [3][3]float32
	}{
		{Adam, 0, [3][3]float64{
			{0.99900000002, -1.99900000004, 0.5},
			{0.9987336629870784, -1.9996239187006655, 0.49925586318169357},
			{0.9983932338491666, -2.0001569471858773, 0.49946850591481873}}, [3][3]float32{
			{0.9990000128746033, -1.9989999532699585, 0.5},
			{0.9987336993217468, -1.9996238946914673, 0.49925586581230164},
			{0.9983932971954346, -2.000156879425049, 0.49946850538253784}}},
		{RMSprop, 0, [3][3]float64{
			{0.900000019999996, -1.9000000399999841, 0.5},
			{0.9449013374421751, -1.9986527582451425, 0.40000000499999977},
			{0.9228909217602068, -2.006887174517036, 0.4833333360185183}}, [3][3]float32{
			{0.9000000357627869, -1.9000000953674316, 0.5},
			{0.9449013471603394, -1.9986528158187866, 0.4000000059604645},
			{0.9228909015655518, -2.006887197494507, 0.4833333492279053}}},
		{RMSprop, 0.5, [3][3]float64{
			{0.900000019999996, -1.9000000399999841, 0.5},
			{0.8949013474421731, -1.9486527782451344, 0.40000000499999977},
			{0.8703415954812934, -1.9812135636396027, 0.4333333385185182}}, [3][3]float32{
			{0.9000000357627869, -1.9000000953674316, 0.5},
			{0.8949013352394104, -1.9486528635025024, 0.4000000059604645},
			{0.8703415989875793, -1.9812136888504028, 0.4333333373069763}}},
		{SGD, 0, [3][3]float64{
			{0.995, -1.9975, 0.5},
			{0.9975, -2.0125, 0.48},
			{0.99625, -2.01375, 0.51}}, [3][3]float32{
			{0.9950000047683716, -1.997499942779541, 0.5},
			{0.9975000023841858, -2.012500047683716, 0.47999998927116394},
			{0.9962499737739563, -2.0137500762939453, 0.5099999904632568}}},
		{SGD, 0.9, [3][3]float64{
			{0.995, -1.9975, 0.5},
			{0.993, -2.01025, 0.48},
			{0.98995, -2.022975, 0.492}}, [3][3]float32{
			{0.9950000047683716, -1.997499942779541, 0.5},
			{0.9930000305175781, -2.0102498531341553, 0.47999998927116394},
			{0.9899500012397766, -2.022974967956543, 0.4919999837875366}}},
	}
	for _, tc := range cases {
		o, err := newOptimizer(tc.name, 0, tc.momentum)
		if err != nil {
			t.Fatal(err)
		}
		var st optState
		o.prepare(&st, 3)
		p := []float32{1, -2, 0.5}
		for s, g := range grads {
			if !o.update(&st, p, g) {
				t.Fatalf("%s: step %d reported a non-finite parameter", tc.name, s+1)
			}
			for i := range p {
				if e := math.Abs(float64(p[i]) - tc.want[s][i]); e > 4e-7*math.Abs(tc.want[s][i]) {
					t.Errorf("%s momentum=%v step %d: p[%d] = %.9g, want %.9g", tc.name, tc.momentum, s+1, i, p[i], tc.want[s][i])
				}
				if p[i] != tc.torch[s][i] {
					t.Errorf("%s momentum=%v step %d: p[%d] = %v, torch gives %v", tc.name, tc.momentum, s+1, i, p[i], tc.torch[s][i])
				}
			}
		}
		if st.step != 3 {
			t.Errorf("%s: step count %d, want 3", tc.name, st.step)
		}
	}
}

func TestOptimizerErrors(t *testing.T) {
	for _, c := range []struct {
		name   Optimizer
		lr, mo float64
	}{{"adagrad", 0, 0}, {Adam, -1, 0}, {Adam, math.NaN(), 0}, {SGD, 0, 1}, {SGD, 0, -0.5}} {
		if _, err := newOptimizer(c.name, c.lr, c.mo); err == nil {
			t.Errorf("newOptimizer(%q, %v, %v) accepted", c.name, c.lr, c.mo)
		}
	}
	o, err := newOptimizer("", 0, 0)
	if err != nil || o.name != Adam || o.lr != 1e-3 || o.beta1 != 0.9 || o.beta2 != 0.999 || o.eps != 1e-8 {
		t.Errorf("default optimizer %+v, %v; want Adam with PyTorch's defaults", o, err)
	}
}

// TestOptimizerNonFinite checks that update reports a parameter that
// overflows.
func TestOptimizerNonFinite(t *testing.T) {
	o, _ := newOptimizer(SGD, 1e38, 0)
	var st optState
	o.prepare(&st, 2)
	p := []float32{0, 0}
	if o.update(&st, p, []float32{1, -1}) != true {
		t.Fatal("finite step reported non-finite")
	}
	if o.update(&st, p, []float32{3e38, 0}) {
		t.Fatalf("step to %v reported finite", p)
	}
}

// BenchmarkOptimizer times one update of the parameters of the seed model
// (355) and of the wide one (15,932) by each optimizer, on the vector loops
// (where the path has them) and on the Go loops: size=<parameters>/opt=…/
// impl=<path>.
func BenchmarkOptimizer(b *testing.B) {
	for _, cfg := range []Config{seedCfg, {In: 1, Out: 1, Hidden: []int{256}, K: 20}} {
		m, err := New(cfg, 1)
		if err != nil {
			b.Fatal(err)
		}
		n := m.NumParams()
		for _, name := range Optimizers() {
			for _, path := range cpufeat.Paths() {
				b.Run(fmt.Sprintf("size=%d/opt=%s/impl=%s", n, name, path), func(b *testing.B) {
					defer cpufeat.Force(path)()
					o, err := newOptimizer(name, 0, 0.5*float64(len(name)%2))
					if err != nil {
						b.Fatal(err)
					}
					var st optState
					o.prepare(&st, n)
					p, g := make([]float32, n), make([]float32, n)
					for i := range g {
						g[i] = float32(i%7) - 3
					}
					for b.Loop() {
						o.update(&st, p, g)
					}
				})
			}
		}
	}
}

// TestOptimizerRounding checks, on many random values and every optimizer,
// that each operation of an update is rounded to float32 on its own, as in
// torch.optim: the reference below works in float64 and rounds after every
// operation (for +, −, ×, ÷ and √ of float32 operands, rounding the float64
// result gives the correctly rounded float32 result). A compiler that fused
// a multiply and an add into one FMA (Go may, on arm64, and on amd64 with
// GOAMD64=v3) would change some of these results by an ULP.
func TestOptimizerRounding(t *testing.T) {
	r := func(x float64) float64 { return float64(float32(x)) }
	const n, steps = 4096, 3
	rng := rand.New(rand.NewPCG(7, 8))
	val := func() float32 {
		// magnitudes from 2⁻²⁰ to 2⁴ with both signs, and some zeros
		if rng.IntN(16) == 0 {
			return 0
		}
		v := float32(math.Ldexp(1+rng.Float64(), rng.IntN(25)-20))
		if rng.IntN(2) == 0 {
			v = -v
		}
		return v
	}
	for _, c := range []struct {
		name   Optimizer
		lr, mo float64
	}{{Adam, 0, 0}, {Adam, 3e-3, 0.8}, {RMSprop, 0, 0}, {RMSprop, 1e-3, 0.5}, {SGD, 0, 0}, {SGD, 0.1, 0.9}} {
		o, err := newOptimizer(c.name, c.lr, c.mo)
		if err != nil {
			t.Fatal(err)
		}
		var st optState
		o.prepare(&st, n)
		p, g := make([]float32, n), make([]float32, n)
		for i := range p {
			p[i] = val()
		}
		// the reference state, in float64 holding float32 values
		rp, rm, rv := make([]float64, n), make([]float64, n), make([]float64, n)
		for i := range p {
			rp[i] = float64(p[i])
		}
		for s := 1; s <= steps; s++ {
			for i := range g {
				g[i] = val()
			}
			o.update(&st, p, g)
			switch c.name {
			case Adam:
				step := r(o.lr / (1 - math.Pow(o.beta1, float64(s))))
				bc2 := r(math.Sqrt(1 - math.Pow(o.beta2, float64(s))))
				w1, b2, w2, eps := r(1-o.beta1), r(o.beta2), r(1-o.beta2), r(o.eps)
				for i, gf := range g {
					gi := float64(gf)
					rm[i] = r(rm[i] + r(w1*r(gi-rm[i])))
					rv[i] = r(r(rv[i]*b2) + r(r(w2*gi)*gi))
					d := r(r(r(math.Sqrt(rv[i]))/bc2) + eps)
					rp[i] = r(rp[i] + r(r(-step*rm[i])/d))
				}
			case RMSprop:
				a, wa, eps, lr, mu := r(o.alpha), r(1-o.alpha), r(o.eps), r(o.lr), r(o.momentum)
				for i, gf := range g {
					gi := float64(gf)
					rv[i] = r(r(rv[i]*a) + r(r(wa*gi)*gi))
					avg := r(r(math.Sqrt(rv[i])) + eps)
					if mu != 0 {
						rm[i] = r(r(rm[i]*mu) + r(gi/avg))
						rp[i] = r(rp[i] + r(-lr*rm[i]))
					} else {
						rp[i] = r(rp[i] + r(r(-lr*gi)/avg))
					}
				}
			case SGD:
				lr, mu := r(o.lr), r(o.momentum)
				for i, gf := range g {
					d := float64(gf)
					if mu != 0 {
						d = r(d + r(rm[i]*mu))
						rm[i] = d
					}
					rp[i] = r(rp[i] - r(lr*d))
				}
			}
			bad := 0
			for i := range p {
				if float64(p[i]) != rp[i] {
					if bad < 3 {
						t.Errorf("%s lr=%v momentum=%v step %d: p[%d] = %v, want %v (each operation rounded)", c.name, c.lr, c.mo, s, i, p[i], float32(rp[i]))
					}
					bad++
				}
			}
			if bad > 0 {
				t.Errorf("%s lr=%v momentum=%v step %d: %d of %d parameters differ", c.name, c.lr, c.mo, s, bad, n)
				break
			}
		}
	}
}

// TestOptimizerVector checks that the vector update loops give the Go
// loops' results bit for bit (any NaN for a NaN), for every length up to a
// few blocks, leave the memory around their slices alone, and report a
// parameter that overflows in a vector block or in the tail.
// It runs on every path with vector loops (avx512 and avx2fma on an AVX-512
// CPU: AVX-512 takes the whole slice, masking the last len%16).
func TestOptimizerVector(t *testing.T) { forEachVecPath(t, testOptimizerVector) }

// forEachVecPath runs f as a subtest on every path the CPU runs that has the
// trainer's vector loops, with that path forced, and skips when none has.
func forEachVecPath(t *testing.T, f func(*testing.T)) {
	ran := false
	for _, path := range cpufeat.Paths() {
		restore := cpufeat.Force(path)
		if vecLoops() {
			ran = true
			t.Run(path, f)
		}
		restore()
	}
	if !ran {
		t.Skip("no vector loops on this CPU/build")
	}
}

func testOptimizerVector(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, c := range []struct {
		name   Optimizer
		lr, mo float64
	}{{Adam, 0, 0}, {RMSprop, 0, 0}, {RMSprop, 0, 0.5}, {SGD, 0, 0}, {SGD, 0, 0.9}} {
		o, err := newOptimizer(c.name, c.lr, c.mo)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range f32test.Lengths() {
			var sv, sg optState // vector and Go states
			o.prepare(&sv, n)
			o.prepare(&sg, n)
			pv, check := f32test.Guarded(n, n%8)
			pg, g := make([]float32, n), make([]float32, n)
			f32test.Uniform(rng, pv, -2, 2)
			copy(pg, pv)
			// a guarded copy of the state, so that the vector loops' writes
			// to m and v are checked too
			var checks []func() error
			for _, s := range []*[]float32{&sv.m, &sv.v} {
				if *s != nil {
					gs, ch := f32test.Guarded(n, (n+3)%8)
					*s, checks = gs, append(checks, ch)
				}
			}
			for step := range 3 {
				f32test.Normal(rng, g, 1)
				bad := step == 2 && n > 0
				if bad {
					g[rng.IntN(n)] = float32(math.Inf(1)) // every optimizer's p turns Inf or NaN
				}
				okv := o.update(&sv, pv, g)
				restore := cpufeat.Force(cpufeat.Generic)
				okg := o.update(&sg, pg, g)
				restore()
				if okv != okg {
					t.Fatalf("%s momentum=%v n=%d step %d: vector loops report finite=%v, Go loops %v", c.name, c.mo, n, step, okv, okg)
				}
				if okv == bad {
					t.Fatalf("%s momentum=%v n=%d step %d: update reports finite=%v with an infinite gradient=%v", c.name, c.mo, n, step, okv, bad)
				}
				same := func(what string, a, b []float32) {
					for i := range a {
						// NaNs count as equal: their sign can differ (Go's
						// arm64 code takes −lr·d as −(lr·d), which flips a
						// NaN's sign and nothing else).
						if math.Float32bits(a[i]) != math.Float32bits(b[i]) && !(a[i] != a[i] && b[i] != b[i]) {
							t.Fatalf("%s momentum=%v n=%d step %d: %s[%d] = %v %#x (vector), %v %#x (Go)", c.name, c.mo, n, step, what, i, a[i], math.Float32bits(a[i]), b[i], math.Float32bits(b[i]))
						}
					}
				}
				same("p", pv, pg)
				same("m", sv.m, sg.m)
				same("v", sv.v, sg.v)
			}
			if err := check(); err != nil {
				t.Fatalf("%s n=%d: p: %v", c.name, n, err)
			}
			for _, ch := range checks {
				if err := ch(); err != nil {
					t.Fatalf("%s n=%d: state: %v", c.name, n, err)
				}
			}
		}
	}
}

// TestBiasCorrectionFlat checks that Adam's bias corrections skip math.Pow
// only where 1 − βᵗ is already 1 in float64: around the step negligibleFrom
// gives, and at steps far beyond it, for β1 = 0.9 (the default), β2 =
// 0.999, momenta down to 0 and up to just below 1; and that the step it
// gives is not far later than needed (within a factor 2 of where βᵗ
// reaches 2⁻⁵⁴).
func TestBiasCorrectionFlat(t *testing.T) {
	for _, beta := range []float64{0, 1e-300, 0.1, 0.5, 0.9, 0.99, 0.999, 0.9999, 0.999999, math.Nextafter(1, 0)} {
		flat := negligibleFrom(beta)
		if beta < 0.999999 && flat == 0 {
			t.Fatalf("β = %v: no step found", beta)
		}
		if flat == 0 {
			if got, want := biasCorrection(beta, 5, 0), 1-math.Pow(beta, 5); got != want {
				t.Fatalf("β = %v, no flat step: %v, want %v", beta, got, want)
			}
			continue
		}
		if est := 54 * math.Ln2 / -math.Log(beta); beta > 0 && float64(flat) > 2*est+2 {
			t.Fatalf("β = %v: flat from step %d, βᵗ < 2⁻⁵⁴ from about %.0f", beta, flat, est)
		}
		steps := []int64{flat, flat + 1, flat + 2, flat + 1000, 2 * flat, 1 << 40}
		for i := range int64(2000) {
			steps = append(steps, flat+i*7919)
		}
		for _, st := range steps {
			if got, want := biasCorrection(beta, st, flat), 1-math.Pow(beta, float64(st)); got != want {
				t.Fatalf("β = %v, step %d: bias correction %v, math.Pow gives %v", beta, st, got, want)
			}
		}
		if flat > 1 {
			if got, want := biasCorrection(beta, flat-1, flat), 1-math.Pow(beta, float64(flat-1)); got != want {
				t.Fatalf("β = %v, step %d: %v, want %v", beta, flat-1, got, want)
			}
		}
	}
	for _, beta := range []float64{1, 1.5, -0.5, math.NaN()} {
		if f := negligibleFrom(beta); f != 0 {
			t.Fatalf("β = %v: flat from step %d, want none", beta, f)
		}
	}
	o, err := newOptimizer(Adam, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if o.flat1 == 0 || o.flat2 == 0 {
		t.Fatalf("Adam's defaults: flat steps %d, %d", o.flat1, o.flat2)
	}
	t.Logf("β1 = 0.9: flat from step %d; β2 = 0.999: from step %d", o.flat1, o.flat2)
}
