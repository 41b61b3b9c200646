//go:build !purego

package mdn

import (
	"math"
	"testing"
	"unsafe"

	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
)

// TestQuantileKernelDecides holds the kernels' two iterations (AVX-512,
// and AVX2 on avx2fma) to
// the Go solver's decisions, lane by lane: a lane it solves is done
// always where the Go solver ends in its first iteration and never where
// it takes more than two, with the same bits, and where it hands a lane
// on, the Go solver, from the kernel's state, ends as from the start, in
// the same number of steps.
// TestQuantilesPathsAgree cannot see a lane handed on that the kernel
// could have finished, since the Go solver then finishes it with the same
// result. It also requires the kernel to take most lanes.
func TestQuantileKernelDecides(t *testing.T) {
	ran := false
	for _, path := range cpufeat.Paths() {
		if path != cpufeat.AVX512 && path != cpufeat.AVX2FMA {
			continue
		}
		ran = true
		t.Run(path, func(t *testing.T) {
			defer cpufeat.Force(path)()
			testQuantileKernelDecides(t)
		})
	}
	if !cpufeat.HasAVX512 {
		t.Log("!!! the AVX-512 quantile kernel was not run: this CPU has no AVX-512")
	}
	if !ran {
		t.Skip("!!! no quantile kernel was run: this CPU has no AVX2")
	}
}

func testQuantileKernelDecides(t *testing.T) {
	levels, err := prepareLevels(nil, append([]float64{1e-300, 1e-310, 0.5 - 1e-17}, testLevels...))
	if err != nil {
		t.Fatal(err)
	}
	var b qbatch
	var lanes, solved, done, second, cont int
	for mi, mix := range quantTestMixtures() {
		if mix.K > qMaxK {
			continue
		}
		cs := make([]comp, mix.K)
		for t0 := 0; t0 < mix.N*mix.D; t0 += qLanes {
			n := min(qLanes, mix.N*mix.D-t0)
			mix.gatherBatch(&b, t0, n)
			ok := quantPrep(&b, mix.K)
			// All levels in one call, as quantilesVec runs up to qGroup.
			qls, outs := make([]qlevel, len(levels)), make([]qout, len(levels))
			for l := range levels {
				qls[l] = newQLevel(&levels[l])
			}
			quantLevels(&b, mix.K, &qls[0], &outs[0], len(levels))
			for l := range levels {
				lv, out := &levels[l], &outs[l]
				for lane := range n {
					lanes++
					bit := uint8(1) << lane
					if ok&bit == 0 || out.start&bit == 0 {
						continue
					}
					cs, sums := b.lane(cs, lane, mix.K)
					st := startOne(cs, lv)
					if math.Float64bits(st.y0) != math.Float64bits(out.y0[lane]) || st.p != out.p[lane] ||
						st.f != out.f[lane] || st.fp != out.fp[lane] {
						t.Fatalf("mixture %d, lane %d, level %v: kernel start %v, F %v, f %v, f′ %v; Go %+v",
							mi, t0+lane, lv.alpha, out.y0[lane], out.p[lane], out.f[lane], out.fp[lane], st)
					}
					q, iters := quantile(cs, lv, &sums, &st)
					isDone, isCont := out.done&bit != 0, out.cont&bit != 0
					if isDone || isCont {
						solved++
					}
					switch {
					case isDone && (iters > 2 || math.Float32bits(q) != math.Float32bits(out.q[lane])):
						t.Fatalf("mixture %d, lane %d, level %v: kernel done with %v, Go gives %v after %d steps",
							mi, t0+lane, lv.alpha, out.q[lane], q, iters)
					case !isDone && iters == 1 && float32(st.y0) != 0:
						t.Fatalf("mixture %d, lane %d, level %v: the Go solver ends in its first iteration (%v), the kernel does not",
							mi, t0+lane, lv.alpha, q)
					case !isDone && isCont:
						qs := qstate{lo: out.lo[lane], hi: out.hi[lane], rLo: out.rLo[lane], rHi: out.rHi[lane],
							dx1: out.dx1[lane], dx2: out.dx2[lane], y: out.q[lane], iter: 1}
						if out.cont2&bit != 0 {
							qs.iter = 2
						}
						q2, iters2 := solve(cs, lv, &sums, qs, nil)
						if math.Float32bits(q2) != math.Float32bits(q) || iters2 != iters {
							t.Fatalf("mixture %d, lane %d, level %v: continued from the kernel's state after %d iterations: %v in %d steps; Go %v in %d",
								mi, t0+lane, lv.alpha, qs.iter, q2, iters2, q, iters)
						}
					}
					if isDone {
						done++
						if iters == 2 {
							second++
						}
					} else if isCont {
						cont++
					}
				}
			}
		}
	}
	t.Logf("%d quantiles: %d solved in the kernel (%d done, %d of them in the second iteration; %d continued)",
		lanes, solved, done, second, cont)
	if solved < lanes*3/4 || done < lanes/3 || second < lanes/20 {
		t.Errorf("%d quantiles: the kernel solved %d (%d done, %d in the second iteration); want ≥ 3/4 solved, ≥ 1/3 done, ≥ 1/20 in the second iteration",
			lanes, solved, done, second)
	}
}

// TestQuantKernelLayout holds the structs the kernels read to the offsets
// quant_avx512_amd64.s names.
func TestQuantKernelLayout(t *testing.T) {
	var b qbatch
	var o qout
	for _, c := range []struct {
		name      string
		got, want uintptr
	}{
		{"qbatch.m", unsafe.Offsetof(b.m), 2048}, {"qbatch.below", unsafe.Offsetof(b.below), 12288},
		{"qbatch.sums", unsafe.Offsetof(b.sums), 14336}, {"qbatch.iter", unsafe.Offsetof(b.iter), 14528},
		{"qlevel.upper", unsafe.Offsetof(qlevel{}.upper), 32}, {"qlevel size", unsafe.Sizeof(qlevel{}), 40},
		{"qout.p2", unsafe.Offsetof(o.p2), 256}, {"qout.lo", unsafe.Offsetof(o.lo), 448},
		{"qout.dx2", unsafe.Offsetof(o.dx2), 768}, {"qout.q", unsafe.Offsetof(o.q), 832},
		{"qout.done", unsafe.Offsetof(o.done), 864}, {"qout.act", unsafe.Offsetof(o.act), 868},
		{"qout size", unsafe.Sizeof(o), 872}, {"quantConst", unsafe.Sizeof(quantConst), 53 * 8},
		{"quantConst4", unsafe.Sizeof(quantConst4), 61 * 32},
	} {
		if c.got != c.want {
			t.Errorf("%s: %d, the kernels use %d", c.name, c.got, c.want)
		}
	}
}
