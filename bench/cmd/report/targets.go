package main

import (
	"fmt"
	"io"
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

func k(family, size, impl, workers string) key { return key{family, size, impl, workers} }

func (k key) String() string {
	s := k.family + "/size=" + k.size
	if k.workers != "" {
		s += "/workers=" + k.workers
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

// nativeImpl is the assembly path the training benchmarks ran on, as their
// impl= element names it.
func nativeImpl(rs *results) string {
	for _, im := range []string{"avx2fma", "neon"} {
		for _, k := range rs.order {
			if k.family == "Epoch" && k.impl == im {
				return im
			}
		}
	}
	return "generic"
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

var targetList = []target{
	{"Tanh vs SLEEF tanhf8_u35avx2, 4096 elements (speed)", "≥", 2,
		speedup(k("Tanh", "4096", "mdnsimd", ""), k("Tanh", "4096", "sleef-u35", ""), "ns/elem")},
	{"Exp vs SLEEF expf8_u10avx2, 4096 elements (speed)", "≥", 1,
		speedup(k("Exp", "4096", "mdnsimd", ""), k("Exp", "4096", "sleef-u10", ""), "ns/elem")},
	{"LinearTanh 256³ vs OpenBLAS sgemm, no tanh (GFLOP/s)", "≥", 0.8,
		speedup(k("LinearTanh", "256x256x256", "mdnsimd", ""), k("Linear", "256x256x256", "openblas", ""), "GFLOP/s")},
	{"LinearTanh 256³ vs oneDNN matmul + tanh post-op (GFLOP/s)", "≥", 1.2,
		speedup(k("LinearTanh", "256x256x256", "mdnsimd", ""), k("LinearTanh", "256x256x256", "onednn", ""), "GFLOP/s")},
	{"Linear 1000×20→15 vs OpenBLAS sgemm (GFLOP/s)", "≥", 2.5,
		speedup(k("Linear", "1000x20x15", "mdnsimd", ""), k("Linear", "1000x20x15", "openblas", ""), "GFLOP/s")},
	{"LinearTanh 256³ vs OpenBLAS sgemm with its AVX2 kernels", "≥", 0.8,
		speedup(k("LinearTanh", "256x256x256", "mdnsimd", ""), k("Linear", "256x256x256", "openblas-avx2", ""), "GFLOP/s")},
	{"LinearTanh 256³ vs oneDNN matmul + tanh limited to AVX2", "≥", 1.2,
		speedup(k("LinearTanh", "256x256x256", "mdnsimd", ""), k("LinearTanh", "256x256x256", "onednn-avx2", ""), "GFLOP/s")},
	{"Linear 1000×20→15 vs OpenBLAS sgemm with its AVX2 kernels", "≥", 2.5,
		speedup(k("Linear", "1000x20x15", "mdnsimd", ""), k("Linear", "1000x20x15", "openblas-avx2", ""), "GFLOP/s")},
	{"LinearTanh 1000×1→20 time ÷ Tanh time on 20,000 elements", "≤", 1.2,
		timeRatio(k("LinearTanh", "1000x1x20", "mdnsimd", ""), k("Tanh", "20000", "mdnsimd", ""))},
}

func init() {
	for _, size := range []string{"256x256x256", "10000x256x256", "10000x256x60", "1000x20x15"} {
		for _, fam := range []string{"LinearGradWeights", "LinearTanhGradWeights", "LinearGradInput"} {
			targetList = append(targetList, target{
				fmt.Sprintf("%s %s time ÷ Linear time (same FLOPs)", fam, strings.ReplaceAll(size, "x", "×")), "≤", 1.3,
				timeRatio(k(fam, size, "mdnsimd", ""), k("Linear", size, "mdnsimd", "")),
			})
		}
	}
	py := func(size string) func(*results) key { return fixed(k("Epoch", size, "pytorch", "1")) }
	targetList = append(targetList,
		target{"seed epoch, 1 worker vs PyTorch (1 thread)", "≥", 50, lazy(epoch("seed", "1"), py("seed"))},
		target{"seed epoch, 2 workers vs PyTorch (1 thread)", "≥", 80, lazy(epoch("seed", "2"), py("seed"))},
		target{"wide epoch, 1 worker vs PyTorch (1 thread)", "≥", 4, lazy(epoch("wide", "1"), py("wide"))},
		target{"wide epoch, 2 workers vs 1 worker", "≥", 1.7, lazy(epoch("wide", "2"), epoch("wide", "1"))},
		target{"allocations per training step after the first (worst of seed/wide × 1/2 workers)", "=", 0, maxAllocsPerStep},
		target{"seed epoch on the generic path (-tags purego), 1 worker vs PyTorch (1 thread)", "", 0,
			lazy(fixed(k("Epoch", "seed", "generic", "1")), py("seed"))},
		target{"wide epoch on the generic path (-tags purego), 1 worker vs PyTorch (1 thread)", "", 0,
			lazy(fixed(k("Epoch", "wide", "generic", "1")), py("wide"))},
	)
	for _, fam := range []string{"MixtureNLLGrad", "MixtureNLL"} {
		for _, s := range [][2]string{{"1000x5x1", "K=5, D=1, 1000 rows"}, {"10000x20x4", "K=20, D=4, 10,000 rows"}} {
			targetList = append(targetList, target{
				fmt.Sprintf("%s %s: mdnsimd vs purego (speed-up)", fam, s[1]), "", 0,
				speedup(k(fam, s[0], "mdnsimd", ""), k(fam, s[0], "purego", ""), "ns/rowcomp"),
			})
		}
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
	fmt.Fprintf(w, "\n### Targets\n\n")
	fmt.Fprintf(w, "Ratios > 1 mean mdnsimd is faster, except the time ratios (÷), where < 1 is faster.\n\n")
	row(w, []string{"target", "measured", "goal", "met?"})
	row(w, []string{"---", "---", "---", "---"})
	for _, t := range targetList {
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
