//go:build !purego

package mdnsimd

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
	"github.com/mdnsimd/mdnsimd/internal/f32test"
)

// needAVX512 skips a direct-kernel test, loudly, where the CPU cannot run
// AVX-512 (TestRequireImpl is what fails when CI expected the path).
func needAVX512(t *testing.T) {
	t.Helper()
	if !cpufeat.HasAVX512 {
		t.Skip("no AVX-512 (F, DQ, BW, VL) on this CPU: the avx512 kernels were not run")
	}
}

// avx512Twins pairs each AVX-512 kernel (and each form of its macro) with
// the AVX2 kernel whose bits it must give.
var avx512Twins = []struct {
	name      string
	avx512    func(dst, x []float32)
	avx2      func(dst, x []float32)
	logDomain bool
}{
	{"expAVX512 (EXP4_RES_AVX512, EXP_RES_AVX512)", expAVX512, expAVX2, false},
	{"expMemAVX512 (EXP_AVX512)", expMemAVX512, expAVX2, false},
	{"tanhAVX512 (TANH4_RES_AVX512, TANH_RES_AVX512)", tanhAVX512, tanhAVX2, false},
	{"tanhMemAVX512 (TANH_AVX512)", tanhMemAVX512, tanhAVX2, false},
	{"logAVX512 (LOG_AVX512)", logAVX512, logAVX2, true},
}

// TestAVX512MatchesAVX2 checks that every AVX-512 vector-math kernel gives
// the AVX2 kernel's bits (NaN payloads included) on inputs that reach every
// branch and every special value, for every length 0..70 and larger, at every
// alignment, out of place and in place, with guards around each slice.
func TestAVX512MatchesAVX2(t *testing.T) {
	needAVX512(t)
	r := rand.New(rand.NewPCG(31, 32))
	for _, k := range avx512Twins {
		for _, n := range f32test.Lengths() {
			for _, off := range offsetsFor(n) {
				x, checkX := f32test.Guarded(n, off)
				dst, checkD := f32test.Guarded(n, (off+5)%8)
				vecInput(r, x)
				if k.logDomain {
					for i := range x {
						if r.IntN(2) == 0 {
							x[i] = float32(math.Abs(float64(x[i])))
						}
					}
				}
				want := make([]float32, n)
				k.avx2(want, x)
				orig := append([]float32(nil), x...)
				k.avx512(dst, x)
				sameBits(t, fmt.Sprintf("%s n=%d off=%d", k.name, n, off), dst, want, orig)
				k.avx512(x, x)
				sameBits(t, fmt.Sprintf("%s in place n=%d off=%d", k.name, n, off), x, want, orig)
				for _, c := range []func() error{checkX, checkD} {
					if err := c(); err != nil {
						t.Fatalf("%s n=%d off=%d: %v", k.name, n, off, err)
					}
				}
			}
		}
	}
}

func sameBits(t *testing.T, what string, got, want, x []float32) {
	t.Helper()
	for i := range want {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			t.Fatalf("%s: at %d, f(%g 0x%08x) = %g 0x%08x, AVX2 gives %g 0x%08x", what, i, x[i],
				math.Float32bits(x[i]), got[i], math.Float32bits(got[i]), want[i], math.Float32bits(want[i]))
		}
	}
}
