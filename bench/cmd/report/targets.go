package main

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// A target is one ratio goal from the project's issues. measure returns the
// ratio, or a note saying which figure is missing.
type target struct {
	name    string
	cmp     string  // "≥", "≤", "=" or "" (reported, no goal)
	goal    float64 // the ratio to reach
	measure func(rs *results) (float64, string)
}

// isTime reports whether lower values of unit are better.
func isTime(unit string) bool { return unit != "GFLOP/s" && unit != "rows/s" }

func k(family, size, impl, workers string) key { return key{family, size, impl, workers, ""} }

func (k key) String() string {
	s := k.family + "/size=" + k.size
	if k.workers != "" {
		s += "/workers=" + k.workers
	}
	if k.query != "" {
		s += "/query=" + k.query
	}
	return s + "/impl=" + k.impl
}

// speedup returns how many times faster ours is than other (both in unit).
func speedup(ours, other key, unit string) func(*results) (float64, string) {
	return func(rs *results) (float64, string) {
		a, ok := rs.get(ours, unit)
		if !ok {
			return 0, "missing " + ours.String()
		}
		b, ok := rs.get(other, unit)
		if !ok {
			return 0, "missing " + other.String()
		}
		if isTime(unit) {
			return b / a, ""
		}
		return a / b, ""
	}
}

// timeRatio returns time(a)/time(b) from ns/op.
func timeRatio(a, b key) func(*results) (float64, string) {
	return speedup(b, a, "ns/op")
}

// nativeImpl is the kernel path dispatch chooses on the CPU of the results:
// the first of avx512, avx2fma, neon (and "mdnsimd", older results' name for
// it) that has a row; generic when none has.
func nativeImpl(rs *results) string {
	for _, im := range kernelImpls {
		for _, k := range rs.order {
			if k.impl == im {
				return im
			}
		}
	}
	return "generic"
}

// nativePeak returns the FMA peak the native path is held to: the AVX-512
// one for avx512, else the AVX2 one.
func nativePeak(rs *results) (name string, gflops float64, ok bool) {
	name = "avx2"
	if nativeImpl(rs) == "avx512" {
		name = "avx512"
	}
	gflops, ok = rs.get(key{family: "PeakFMA", impl: name}, "GFLOP/s")
	return name, gflops, ok
}

func epoch(size, workers string) func(*results) key {
	return func(rs *results) key { return k("Epoch", size, nativeImpl(rs), workers) }
}

func lazy(ours, other func(*results) key) func(*results) (float64, string) {
	return func(rs *results) (float64, string) { return speedup(ours(rs), other(rs), "ns/op")(rs) }
}

func fixed(k key) func(*results) key { return func(*results) key { return k } }

func maxAllocsPerStep(rs *results) (float64, string) {
	im := nativeImpl(rs)
	worst, found := 0.0, false
	var missing []string
	for _, size := range []string{"seed", "wide"} {
		for _, wk := range []string{"1", "2"} {
			v, ok := rs.get(k("Epoch", size, im, wk), "allocs/step")
			if !ok {
				missing = append(missing, size+"/"+wk)
				continue
			}
			found = true
			worst = max(worst, v)
		}
	}
	if !found {
		return 0, "missing Epoch allocs/step (needs -benchtime > 1x)"
	}
	if len(missing) > 0 {
		return worst, "(no figure for " + strings.Join(missing, ", ") + ")"
	}
	return worst, ""
}

// kernelFamilies are the library's kernels in the tables, with their unit.
var kernelFamilies = []struct{ name, unit string }{
	{"Tanh", "ns/elem"}, {"Exp", "ns/elem"}, {"LogSumExp", "ns/elem"}, {"Softmax", "ns/elem"},
	{"LogSoftmax", "ns/elem"}, {"Linear", "GFLOP/s"}, {"LinearTanh", "GFLOP/s"},
	{"LinearGradWeights", "GFLOP/s"}, {"LinearTanhGradWeights", "GFLOP/s"}, {"LinearGradInput", "GFLOP/s"},
	{"MixtureNLL", "ns/rowcomp"}, {"MixtureNLLGrad", "ns/rowcomp"},
}

// slower counts the kernel rows (family and size) where the native path is
// slower than some impl that impls(k) accepts, and names the worst.
func slower(rs *results, families []string, accept func(impl string) bool) (float64, string) {
	native := nativeImpl(rs)
	n, compared := 0, 0
	worst, worstAt := 1.0, ""
	for _, f := range kernelFamilies {
		if families != nil && !slices.Contains(families, f.name) {
			continue
		}
		for _, kk := range rs.order {
			if kk.family != f.name || kk.impl == native || !accept(kk.impl) {
				continue
			}
			ours := kk
			ours.impl = native
			r, note := speedup(ours, kk, f.unit)(rs)
			if note != "" {
				continue
			}
			compared++
			if r < 1 {
				n++
				if r < worst {
					worst, worstAt = r, fmt.Sprintf("%s/size=%s: %s %s as fast as %s", f.name, kk.size, native, ratio(r), kk.impl)
				}
			}
		}
	}
	if compared == 0 {
		return 0, "missing: no row has both " + native + " and a compared impl"
	}
	if n > 0 {
		return float64(n), fmt.Sprintf("(of %d rows; worst %s)", compared, worstAt)
	}
	return 0, fmt.Sprintf("(%d rows compared)", compared)
}

// goPeers are the Go implementations mdnsimd is compared with in bench/.
var goPeers = []string{"purego", "gonum", "naive", "vek"}

// targetList returns the ratio goals for the results' native path: issue
// 13's on avx512 (the anchors use AVX-512 there), the earlier ones, set
// against the AVX2 anchors, elsewhere.
func targetList(rs *results) []target {
	nat := nativeImpl(rs)
	var ts []target
	add := func(t ...target) { ts = append(ts, t...) }
	if nat == "avx512" {
		add(
			target{"Tanh vs SLEEF tanhf16_u35avx512f, 4096 elements (speed)", "≥", 2,
				speedup(k("Tanh", "4096", nat, ""), k("Tanh", "4096", "sleef-u35-avx512", ""), "ns/elem")},
			target{"Exp vs SLEEF expf16_u10avx512f, 4096 elements (speed)", "≥", 1.2,
				speedup(k("Exp", "4096", nat, ""), k("Exp", "4096", "sleef-u10-avx512", ""), "ns/elem")},
			target{"vector math (Tanh, Exp, LogSumExp): sizes where a Go peer (purego, gonum, naive, vek) is faster", "=", 0,
				func(rs *results) (float64, string) {
					return slower(rs, []string{"Tanh", "Exp", "LogSumExp"}, func(im string) bool { return slices.Contains(goPeers, im) })
				}},
			target{"kernels × sizes in the tables slower on avx512 than on avx2fma", "=", 0,
				func(rs *results) (float64, string) {
					return slower(rs, nil, func(im string) bool { return im == "avx2fma" })
				}},
		)
		for _, fam := range []string{"Linear", "LinearTanh"} {
			for _, size := range []string{"32x32x32", "64x64x64", "128x128x128", "256x256x256", "512x512x512", "10000x256x256", "10000x256x60", "1000x20x15"} {
				add(target{fmt.Sprintf("%s %s vs oneDNN (matmul + bias%s, AVX-512)", fam, pretty(size), map[bool]string{true: " + tanh post-op"}[fam == "LinearTanh"]), "≥", 1,
					speedup(k(fam, size, nat, ""), k(fam, size, "onednn", ""), "GFLOP/s")})
			}
			for _, size := range []string{"128x128x128", "256x256x256", "512x512x512"} {
				add(target{fmt.Sprintf("%s %s, share of the AVX-512 FMA peak", fam, pretty(size)), "≥", 0.8,
					func(rs *results) (float64, string) {
						v, ok := rs.get(k(fam, size, nat, ""), "GFLOP/s")
						if !ok {
							return 0, "missing " + k(fam, size, nat, "").String()
						}
						_, peak, ok := nativePeak(rs)
						if !ok {
							return 0, "missing PeakFMA/impl=avx512"
						}
						return v / peak, ""
					}})
			}
		}
	} else {
		add(
			target{"Tanh vs SLEEF tanhf8_u35avx2, 4096 elements (speed)", "≥", 2,
				speedup(k("Tanh", "4096", nat, ""), k("Tanh", "4096", "sleef-u35-avx2", ""), "ns/elem")},
			target{"Exp vs SLEEF expf8_u10avx2, 4096 elements (speed)", "≥", 1,
				speedup(k("Exp", "4096", nat, ""), k("Exp", "4096", "sleef-u10-avx2", ""), "ns/elem")},
			target{"LinearTanh 256³ vs OpenBLAS sgemm, no tanh (GFLOP/s)", "≥", 0.8,
				speedup(k("LinearTanh", "256x256x256", nat, ""), k("Linear", "256x256x256", "openblas", ""), "GFLOP/s")},
			target{"LinearTanh 256³ vs oneDNN matmul + tanh post-op (GFLOP/s)", "≥", 1.2,
				speedup(k("LinearTanh", "256x256x256", nat, ""), k("LinearTanh", "256x256x256", "onednn", ""), "GFLOP/s")},
			target{"Linear 1000×20→15 vs OpenBLAS sgemm (GFLOP/s)", "≥", 2.5,
				speedup(k("Linear", "1000x20x15", nat, ""), k("Linear", "1000x20x15", "openblas", ""), "GFLOP/s")},
		)
	}
	add(target{"LinearTanh 1000×1→20 time ÷ Tanh time on 20,000 elements", "≤", 1.2,
		timeRatio(k("LinearTanh", "1000x1x20", nat, ""), k("Tanh", "20000", nat, ""))})
	for _, size := range []string{"256x256x256", "10000x256x256", "10000x256x60", "1000x20x15"} {
		for _, fam := range []string{"LinearGradWeights", "LinearTanhGradWeights", "LinearGradInput"} {
			add(target{
				fmt.Sprintf("%s %s time ÷ Linear time (same FLOPs)", fam, pretty(size)), "≤", 1.3,
				timeRatio(k(fam, size, nat, ""), k("Linear", size, nat, "")),
			})
		}
	}
	py := func(size string) func(*results) key { return fixed(k("Epoch", size, "pytorch", "1")) }
	wide := 4.0
	if nat == "avx512" {
		wide = 10
	}
	add(
		target{"seed epoch, 1 worker vs PyTorch (1 thread)", "≥", 50, lazy(epoch("seed", "1"), py("seed"))},
		target{"seed epoch, 2 workers vs PyTorch (1 thread)", "≥", 80, lazy(epoch("seed", "2"), py("seed"))},
		target{"wide epoch, 1 worker vs PyTorch (1 thread)", "≥", wide, lazy(epoch("wide", "1"), py("wide"))},
		target{"wide epoch, 2 workers vs 1 worker", "≥", 1.7, lazy(epoch("wide", "2"), epoch("wide", "1"))},
		target{"allocations per training step after the first (worst of seed/wide × 1/2 workers)", "=", 0, maxAllocsPerStep},
		target{"seed epoch on the generic path (-tags purego), 1 worker vs PyTorch (1 thread)", "", 0,
			lazy(fixed(k("Epoch", "seed", "generic", "1")), py("seed"))},
		target{"wide epoch on the generic path (-tags purego), 1 worker vs PyTorch (1 thread)", "", 0,
			lazy(fixed(k("Epoch", "wide", "generic", "1")), py("wide"))},
	)
	for _, fam := range []string{"MixtureNLLGrad", "MixtureNLL"} {
		for _, s := range [][2]string{{"1000x5x1", "K=5, D=1, 1000 rows"}, {"10000x20x4", "K=20, D=4, 10,000 rows"}} {
			add(target{
				fmt.Sprintf("%s %s: %s vs purego (speed-up)", fam, s[1], nat), "", 0,
				speedup(k(fam, s[0], nat, ""), k(fam, s[0], "purego", ""), "ns/rowcomp"),
			})
		}
	}
	return append(ts, predictionTargets()...)
}

// pretty writes a size a×b×c as a×b→c for the GEMM shapes, n³ for cubes.
func pretty(size string) string {
	p := strings.Split(size, "x")
	if len(p) != 3 {
		return size
	}
	if p[0] == p[1] && p[1] == p[2] {
		return p[0] + "³"
	}
	return p[0] + "×" + p[1] + "→" + p[2]
}

// query returns the key of a prediction benchmark on the native path (or
// on impl, when given).
func query(size, q, impl string) func(*results) key {
	return func(rs *results) key {
		im := impl
		if im == "" {
			im = nativeImpl(rs)
		}
		return key{family: "Query", size: size, impl: im, query: q}
	}
}

func lazyTime(a, b func(*results) key) func(*results) (float64, string) {
	return func(rs *results) (float64, string) { return timeRatio(a(rs), b(rs))(rs) }
}

// maxQueryAllocs is the most allocations per call of any prediction query
// on the native path.
func maxQueryAllocs(rs *results) (float64, string) {
	im := nativeImpl(rs)
	worst, found := 0.0, false
	for _, k := range rs.order {
		if k.family != "Query" || k.impl != im {
			continue
		}
		if v, ok := rs.get(k, "allocs/op"); ok {
			found = true
			worst = max(worst, v)
		}
	}
	if !found {
		return 0, "missing Query allocs/op"
	}
	return worst, ""
}

// predictionTargets are issue 14's goals for the Predictor, on the native
// path.
func predictionTargets() []target {
	return []target{
		{"Mixture, seed, 1000 rows: time ÷ the kernels it runs (layers, softmax, exp)", "≤", 1.3,
			lazyTime(query("seed-1000", "mixture", ""), query("seed-1000", "kernels", ""))},
		{"Mixture, wide, 1000 rows: time ÷ the kernels it runs", "", 0,
			lazyTime(query("wide-1000", "mixture", ""), query("wide-1000", "kernels", ""))},
		{"Mixture, seed, 1000 rows vs PyTorch forward (1 thread, no_grad)", "≥", 15,
			lazy(query("seed-1000", "mixture", ""), query("seed-1000", "mixture", "pytorch"))},
		{"Mixture, seed, 1 row vs PyTorch forward", "≥", 100,
			lazy(query("seed-1", "mixture", ""), query("seed-1", "mixture", "pytorch"))},
		{"Mixture, wide, 1000 rows vs PyTorch forward", "", 0,
			lazy(query("wide-1000", "mixture", ""), query("wide-1000", "mixture", "pytorch"))},
		{"Mixture, wide, 1 row vs PyTorch forward", "", 0,
			lazy(query("wide-1", "mixture", ""), query("wide-1", "mixture", "pytorch"))},
		{"Sample, seed, 1000 rows vs PyTorch forward + multinomial + normal", "≥", 10,
			lazy(query("seed-1000", "sample", ""), query("seed-1000", "sample", "pytorch"))},
		{"Sample, seed, 1 row vs PyTorch sampling", "", 0,
			lazy(query("seed-1", "sample", ""), query("seed-1", "sample", "pytorch"))},
		{"Sample, wide, 1000 rows vs PyTorch sampling", "", 0,
			lazy(query("wide-1000", "sample", ""), query("wide-1000", "sample", "pytorch"))},
		{"Quantiles (3 levels), seed, 1000 rows: time ÷ Mixture time", "≤", 10,
			lazyTime(query("seed-1000", "quantiles", ""), query("seed-1000", "mixture", ""))},
		{"Quantiles (3 levels), wide, 1000 rows: time ÷ Mixture time", "", 0,
			lazyTime(query("wide-1000", "quantiles", ""), query("wide-1000", "mixture", ""))},
		{"allocations per call of every prediction query (worst)", "=", 0, maxQueryAllocs},
	}
}

// verdict says whether v meets t, and by how much it misses.
func (t target) verdict(v float64) string {
	switch t.cmp {
	case "≥":
		if v >= t.goal {
			return "yes"
		}
		return fmt.Sprintf("**no**: %s short", ratio(t.goal/v))
	case "≤":
		if v <= t.goal {
			return "yes"
		}
		return fmt.Sprintf("**no**: %s over", ratio(v/t.goal))
	case "=":
		if v == t.goal {
			return "yes"
		}
		return fmt.Sprintf("**no**: %s", num(v))
	}
	return "(no goal)"
}

// ratio formats a ratio with two decimals (none from 100 on).
func ratio(v float64) string {
	if v >= 100 {
		return fmt.Sprintf("%.0f×", v)
	}
	return fmt.Sprintf("%.2f×", v)
}

func targets(w io.Writer, rs *results) {
	fmt.Fprintf(w, "\n### Targets (kernel path %s)\n\n", nativeImpl(rs))
	fmt.Fprintf(w, "Ratios > 1 mean mdnsimd is faster, except the time ratios (÷), where < 1 is faster.\n\n")
	row(w, []string{"target", "measured", "goal", "met?"})
	row(w, []string{"---", "---", "---", "---"})
	for _, t := range targetList(rs) {
		v, note := t.measure(rs)
		goal := ""
		if t.cmp != "" {
			goal = fmt.Sprintf("%s %s", t.cmp, strconv.FormatFloat(t.goal, 'g', -1, 64))
			if t.cmp != "=" {
				goal += "×"
			}
		}
		if strings.HasPrefix(note, "missing") {
			row(w, []string{t.name, "not measured", goal, note})
			continue
		}
		m := num(v)
		if t.cmp != "=" {
			m = ratio(v)
		}
		verdict := t.verdict(v)
		if note != "" {
			verdict += " " + note
		}
		row(w, []string{t.name, m, goal, verdict})
	}
}
