//go:build !purego

package mdnsimd

import (
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"sync"
	"testing"
	"unsafe"

	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
	"github.com/mdnsimd/mdnsimd/internal/f32test"
)

// mixExpMaxULP bounds the error of the AVX-512 mixture kernels'
// exponential (EXPB/EXPZ in mixture_avx512_amd64.s) where e^x is a normal
// float32, in units of the last place of e^x; below 2⁻¹²⁶ the result is
// the subnormal nearest to a value within that relative error, so it may
// be off by half the subnormal spacing (2⁻¹⁵⁰) more. The exhaustive sweep
// (TestMixtureExpAVX512Sweep) measured 2.1872 ULP (at x = −70.35449) and
// at most 2⁻¹⁵⁰ beyond the relative bound, on an AMD EPYC Zen 5.
const mixExpMaxULP = 2.19

// mixExpErr returns the error of got as e^x: in ULPs of e^x where that is
// a normal float32, else in units of 2⁻¹⁵⁰ (half the subnormal spacing)
// beyond the relative bound (0 when within it).
func mixExpErr(got, x float32) (ulps float64, normal bool) {
	want := math.Exp(float64(x))
	diff := math.Abs(float64(got) - want)
	if want >= 0x1p-126 {
		_, e := math.Frexp(want)
		return diff / math.Ldexp(1, e-24), true
	}
	excess := diff - mixExpMaxULP*0x1p-23*want
	return max(0, excess/0x1p-150), false
}

// TestMixtureExpAVX512 holds the exponential of the AVX-512 mixture kernels
// to its bound on random arguments over its domain (x ≤ 88.7: the kernels'
// arguments are at most 87) and at the edges: x < −103.97 gives +0, NaN
// stays NaN, every length 0..70 and larger, with guards around the slices.
func TestMixtureExpAVX512(t *testing.T) {
	if !cpufeat.HasAVX512 {
		t.Skip("no AVX-512: the avx512 mixture exponential was not tested")
	}
	r := rand.New(rand.NewPCG(31, 32))
	nan := float32(math.NaN())
	specials := []float32{0, float32(math.Copysign(0, -1)), 1, -1, 87, 88, 88.7, -87, -87.33654, -87.4,
		-95, -103, -103.97, -103.973, -103.98, -104, -1e4, -math.MaxFloat32, float32(math.Inf(-1)), nan}
	for _, n := range f32test.Lengths() {
		x, checkX := f32test.Guarded(n, n%8)
		dst, checkD := f32test.Guarded(n, (n+3)%8)
		for i := range x {
			switch r.IntN(3) {
			case 0:
				x[i] = float32(-110 + 198.7*r.Float64())
			case 1:
				x[i] = float32(-2 * r.Float64())
			default:
				x[i] = specials[r.IntN(len(specials))]
			}
		}
		mixExpAVX512(dst, x)
		for i, v := range x {
			got := dst[i]
			switch {
			case v != v:
				if got == got {
					t.Fatalf("n=%d: exp(NaN) = %v", n, got)
				}
			case v < -103.973:
				if math.Float32bits(got) != 0 {
					t.Fatalf("n=%d: exp(%v) = %v, want +0", n, v, got)
				}
			default:
				if e, normal := mixExpErr(got, v); normal && e > mixExpMaxULP || !normal && e > 1 {
					t.Fatalf("n=%d: exp(%v) = %v, want %v (error %.3g, normal result %v)", n, v, got, math.Exp(float64(v)), e, normal)
				}
			}
		}
		for _, c := range []func() error{checkX, checkD} {
			if err := c(); err != nil {
				t.Fatalf("n=%d: %v", n, err)
			}
		}
	}
}

// TestMixtureExpAVX512Sweep measures the exponential of the AVX-512
// mixture kernels on every float32 x in [−104, 88.7] (about 2.2·10⁹
// values; under a minute on two cores), and fails beyond the bound of
// mixExpMaxULP.
// It runs only with MDNSIMD_SWEEP=1.
func TestMixtureExpAVX512Sweep(t *testing.T) {
	if os.Getenv("MDNSIMD_SWEEP") == "" {
		t.Skip("set MDNSIMD_SWEEP=1 to sweep every float32 argument")
	}
	if !cpufeat.HasAVX512 {
		t.Skip("no AVX-512: the avx512 mixture exponential was not swept")
	}
	type result struct {
		ulps, subExcess float64
		worst, worstSub float32
		count           int
	}
	// Arguments by their bits: [+0, 88.7] and (−0, −104], in chunks.
	lo, hi := math.Float32bits(0), math.Float32bits(88.7)
	nlo, nhi := math.Float32bits(float32(math.Copysign(0, -1))), math.Float32bits(-104)
	type span struct{ from, to uint32 }
	var spans []span
	const chunk = 1 << 22
	for _, s := range []span{{lo, hi}, {nlo, nhi}} {
		for b := s.from; b <= s.to; b += chunk {
			spans = append(spans, span{b, min(s.to, b+chunk-1)})
		}
	}
	work := make(chan span)
	results := make(chan result)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var res result
			x := make([]float32, chunk)
			dst := make([]float32, chunk)
			for s := range work {
				x = x[:s.to-s.from+1]
				for i := range x {
					x[i] = math.Float32frombits(s.from + uint32(i))
				}
				mixExpAVX512(dst, x)
				for i, v := range x {
					e, normal := mixExpErr(dst[i], v)
					switch {
					case normal && e > res.ulps:
						res.ulps, res.worst = e, v
					case !normal && e > res.subExcess:
						res.subExcess, res.worstSub = e, v
					}
				}
				res.count += len(x)
			}
			results <- res
		}()
	}
	go func() {
		for _, s := range spans {
			work <- s
		}
		close(work)
		wg.Wait()
		close(results)
	}()
	var all result
	for res := range results {
		all.count += res.count
		if res.ulps > all.ulps {
			all.ulps, all.worst = res.ulps, res.worst
		}
		if res.subExcess > all.subExcess {
			all.subExcess, all.worstSub = res.subExcess, res.worstSub
		}
	}
	t.Logf("%d arguments: max error %.4f ULP (at x = %v) where e^x is normal; subnormal results at most %.3g·2⁻¹⁵⁰ beyond the relative bound (at x = %v)",
		all.count, all.ulps, all.worst, all.subExcess, all.worstSub)
	if all.ulps > mixExpMaxULP || all.subExcess > 1 {
		t.Fatalf("beyond the bound of %v ULP", mixExpMaxULP)
	}
}

// TestMixtureScratchBounds runs each amd64 mixture kernel directly on
// scratch of exactly the length its Go side gives it, followed by guard
// values, and fails if the kernel wrote past that length: the kernels
// place their block areas by sizes they compute from k and d, which must
// agree with mixtureScratchLen, mixture512ScratchLen and mixture5ScratchLen.
func TestMixtureScratchBounds(t *testing.T) {
	const guard = 256
	sentinel := math.Float32frombits(0x7fc0dead)
	type kernel struct {
		name    string
		ok      bool
		minRows int
		fits    func(k, d int) bool
		length  func(k, d int) int
		run     func(nll, dhead, head, y []float32, k, d int, scratch *float32)
	}
	kernels := []kernel{
		{"mixtureAVX2", cpufeat.HasAVX2FMA, 8,
			func(k, d int) bool { return !mixtureOneDim(k, d) },
			mixtureScratchLen,
			func(nll, dhead, head, y []float32, k, d int, s *float32) {
				mixtureAVX2(nll, dhead, head, y, k, d, 1, s, mixtureGroup(k, d))
			}},
		{"mixture1AVX2", cpufeat.HasAVX2FMA, 8,
			mixtureOneDim,
			mixtureScratchLen,
			func(nll, dhead, head, y []float32, k, d int, s *float32) {
				mixture1AVX2(nll, dhead, head, y, k, 1, s, mixture1Group(k), 0)
			}},
		{"mixtureAVX512", cpufeat.HasAVX512, 1,
			func(k, d int) bool { return true },
			mixture512ScratchLen,
			func(nll, dhead, head, y []float32, k, d int, s *float32) {
				mixtureAVX512(nll, dhead, head, y, k, d, 1, s, mixture512Group(k, d))
			}},
		{"mixture5AVX512", cpufeat.HasAVX512, 1,
			func(k, d int) bool { return k == 5 && d == 1 },
			func(k, d int) int { return mixture5ScratchLen },
			func(nll, dhead, head, y []float32, k, d int, s *float32) {
				mixture5AVX512(nll, dhead, head, y, 1, s, mixture5Group, 0)
			}},
	}
	r := rand.New(rand.NewPCG(7, 8))
	shapes := [][2]int{{1, 1}, {2, 1}, {5, 1}, {20, 1}, {3, 2}, {20, 4}, {7, 17}, {50, 1}, {42, 4}}
	for _, kn := range kernels {
		if !kn.ok {
			t.Logf("%s: not run, the CPU lacks its instructions", kn.name)
			continue
		}
		for _, s := range shapes {
			k, d := s[0], s[1]
			if !kn.fits(k, d) {
				continue
			}
			for _, n := range []int{kn.minRows, 17, 64, 100} {
				w := MixtureWidth(k, d)
				head, y := make([]float32, n*w), make([]float32, n*d)
				mixtureInputs(r, head, y, k, d)
				nll, dhead := make([]float32, n), make([]float32, n*w)
				size := kn.length(k, d)
				buf := make([]float32, 15+size+guard)
				p := align64(buf)
				off := int((uintptr(unsafe.Pointer(p)) - uintptr(unsafe.Pointer(&buf[0]))) / 4)
				tail := buf[off+size:]
				for i := range tail {
					tail[i] = sentinel
				}
				for _, grad := range []bool{false, true} {
					dh := dhead
					if !grad {
						dh = nil
					}
					kn.run(nll, dh, head, y, k, d, p)
					for i, v := range tail {
						if math.Float32bits(v) != math.Float32bits(sentinel) {
							t.Fatalf("%s k=%d d=%d n=%d grad=%v: wrote scratch float %d, past its %d", kn.name, k, d, n, grad, size+i, size)
						}
					}
				}
			}
		}
	}
}

// TestMixtureLargeHead runs a head of mixPrefetchBytes or more (K=20, D=4,
// 1459 rows, the last block partial), where mixtureAVX512 prefetches the
// next group's rows, on every path, every slice guarded, each row held to
// the oracle as in TestMixtureSweep.
func TestMixtureLargeHead(t *testing.T) {
	const k, d, n = 20, 4, 1459
	w := MixtureWidth(k, d)
	if n*w*4 < mixPrefetchBytes {
		t.Fatalf("the head is %d bytes, under mixPrefetchBytes (%d)", n*w*4, mixPrefetchBytes)
	}
	forEachPath(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(41, 42))
		head, chk1 := f32test.Guarded(n*w, 3)
		y, chk2 := f32test.Guarded(n*d, 5)
		nll, chk3 := f32test.Guarded(n, 1)
		nll2, chk4 := f32test.Guarded(n, 6)
		dhead, chk5 := f32test.Guarded(n*w, 2)
		mixtureInputs(r, head, y, k, d)
		scale := float32(1) / n
		MixtureNLL(nll2, head, y, k, d)
		MixtureNLLGrad(nll, dhead, head, y, k, d, scale)
		for _, chk := range []func() error{chk1, chk2, chk3, chk4, chk5} {
			if err := chk(); err != nil {
				t.Fatal(err)
			}
		}
		for i := range n {
			o := oracleRow(to64(head[i*w:(i+1)*w]), to64(y[i*d:(i+1)*d]), k, d)
			checkMixtureRow(t, "MixtureNLLGrad", i, nll[i], dhead[i*w:(i+1)*w], o, k, d, scale)
			if math.Float32bits(nll[i]) != math.Float32bits(nll2[i]) {
				t.Fatalf("row %d: MixtureNLL = %v, MixtureNLLGrad nll = %v (want the same bits)", i, nll2[i], nll[i])
			}
		}
	})
}
