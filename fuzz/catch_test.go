package fuzz

import (
	"fmt"
	"math"
	"runtime/debug"
	"strings"
	"testing"
	"unsafe"

	"github.com/mdnsimd/mdnsimd/internal/f32test"
	"github.com/mdnsimd/mdnsimd/kernels"
)

// recorder is a reporter that keeps what a check reports instead of failing.
type recorder struct {
	msgs []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.msgs = append(r.msgs, fmt.Sprintf(format, args...))
}

type stopped struct{}

func (r *recorder) FailNow() { panic(stopped{}) }

// run calls f and returns what it reported.
func (r *recorder) run(f func()) (msgs []string) {
	defer func() {
		if v := recover(); v != nil {
			if _, ok := v.(stopped); !ok {
				panic(v)
			}
		}
		msgs = r.msgs
	}()
	f()
	return r.msgs
}

// strayStore writes one value past the end of s, as a faulty assembly tail
// would.
func strayStore(s []float32) {
	if len(s) > 0 {
		unsafe.Slice(&s[0], len(s)+1)[len(s)] = 0
	}
}

// nudge moves v by n ULP.
func nudge(v float32, n int) float32 {
	for ; n > 0; n-- {
		v = math.Nextafter32(v, float32(math.Inf(1)))
	}
	return v
}

// TestChecksCatch runs the targets' checks against deliberately broken
// kernels and fails unless each break is reported: a check that cannot fail
// guards nothing.
func TestChecksCatch(t *testing.T) {
	data := []byte("0123456789abcdefghijklmnopqrstuvwxyz")
	cases := []struct {
		name string
		want string // a fragment of the expected report
		run  func(r reporter)
	}{
		{"Exp 2 ULP off", "ULP apart", func(r reporter) {
			elementwise(r, 33, modeNear1, data, map[string]func(dst, x []float32){"broken": func(dst, x []float32) {
				kernels.Exp(dst, x)
				dst[17] = nudge(dst[17], 2)
			}}, math.Exp, 1)
		}},
		{"Tanh stray store", "guard", func(r reporter) {
			elementwise(r, 9, modeNear1, data, map[string]func(dst, x []float32){"broken": func(dst, x []float32) {
				kernels.Tanh(dst, x)
				strayStore(dst)
			}}, math.Tanh, 2)
		}},
		{"Tanh loses -0", "sign", func(r reporter) {
			elementwise(r, 3, modeRaw, rawFloats(float32(math.Copysign(0, -1)), 1, 2), map[string]func(dst, x []float32){"broken": func(dst, x []float32) {
				kernels.Tanh(dst, x)
				dst[0] = 0
			}}, math.Tanh, 2)
		}},
		{"Exp writes its input", "changed", func(r reporter) {
			elementwise(r, 16, modeNear1, data, map[string]func(dst, x []float32){"broken": func(dst, x []float32) {
				kernels.Exp(dst, x)
				x[3] = 0
			}}, math.Exp, 1)
		}},
		{"Softmax skips the tail", "want", func(r reporter) {
			softmaxCase(r, 2, 17, modeTame, data, map[string]func(dst, x []float32, rows, cols int){"broken": func(dst, x []float32, rows, cols int) {
				kernels.Softmax(dst, x, rows, cols)
				dst[len(dst)-1] = 0
			}}, softmaxRow)
		}},
		{"Linear drops the last k term", "want", func(r reporter) {
			linearCase(r, 7, 9, 17, modeTame, data, map[string]linearFunc{"broken": func(dst, x, w, b []float32, rows, in, out int) {
				kernels.Linear(dst, x[:rows*in], w, b, rows, in, out)
				for i := 0; i < rows; i++ {
					for o := 0; o < out; o++ {
						dst[i*out+o] -= x[i*in+in-1] * w[o*in+in-1]
					}
				}
			}}, (*acc).check)
		}},
		{"Linear ignores the bias", "want", func(r reporter) {
			linearCase(r, 6, 16, 16, modeTame, data, map[string]linearFunc{"broken": func(dst, x, w, b []float32, rows, in, out int) {
				kernels.Linear(dst, x, w, nil, rows, in, out)
			}}, (*acc).check)
		}},
		{"Linear loses a NaN", "want NaN", func(r reporter) {
			nan := float32(math.NaN())
			linearCase(r, 5, 8, 8, modeRaw, rawFloats(1, 2, nan, 4, 5), map[string]linearFunc{"broken": func(dst, x, w, b []float32, rows, in, out int) {
				kernels.Linear(dst, x, w, b, rows, in, out)
				for i, v := range dst {
					if v != v {
						dst[i] = 0
					}
				}
			}}, (*acc).check)
		}},
		{"LinearTanh 64 ULP off", "want", func(r reporter) {
			linearCase(r, 3, 4, 5, tameMode(-2), data, map[string]linearFunc{"broken": func(dst, x, w, b []float32, rows, in, out int) {
				kernels.LinearTanh(dst, x, w, b, rows, in, out)
				dst[2] = nudge(dst[2], 64)
			}}, checkTanhOf)
		}},
		{"MixtureNLLGrad ignores scale", "dlogit", func(r reporter) {
			mixtureCase(r, 9, 4, 0, tameMode(1), 0.25, data, true, map[string]mixFunc{"broken": func(nll, dhead, head, y []float32, k, d int, _ float32) {
				kernels.MixtureNLLGrad(nll, dhead, head, y, k, d, 1)
			}})
		}},
		{"MixtureNLL off by 1e-4", "nll", func(r reporter) {
			mixtureCase(r, 9, 4, 0, tameMode(1), 0, data, false, map[string]mixFunc{"broken": func(nll, dhead, head, y []float32, k, d int, _ float32) {
				kernels.MixtureNLL(nll, head, y, k, d)
				nll[8] += 1e-4
			}})
		}},
	}
	for _, c := range cases {
		r := &recorder{}
		msgs := r.run(func() { c.run(r) })
		if len(msgs) == 0 {
			t.Errorf("%s: not reported", c.name)
			continue
		}
		if !strings.Contains(strings.Join(msgs, "\n"), c.want) {
			t.Errorf("%s: reported, but not as %q:\n%s", c.name, c.want, strings.Join(msgs, "\n"))
		}
	}
}

var sink float32

// TestFenceFaults: reading one element past a fenced slice's end, or one
// before its start, faults (recovered here as a panic).
func TestFenceFaults(t *testing.T) {
	for _, atStart := range []bool{false, true} {
		x, free := f32test.Fenced(9, atStart)
		if free == nil {
			t.Skip("no fenced memory on this system")
		}
		x[0], x[8] = 1, 2 // the slice itself is accessible
		faulted := func() (f bool) {
			old := debug.SetPanicOnFault(true)
			defer func() {
				debug.SetPanicOnFault(old)
				f = recover() != nil
			}()
			p := unsafe.Pointer(&x[0])
			if atStart {
				p = unsafe.Add(p, -4)
			} else {
				p = unsafe.Add(p, 4*len(x))
			}
			sink = *(*float32)(p)
			return false
		}()
		free()
		if !faulted {
			t.Errorf("atStart=%v: reading past the fenced slice did not fault", atStart)
		}
	}
}
