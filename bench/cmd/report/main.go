// Command report turns `go test -bench` output from the bench package, and
// the anchor programs' output in the same format, into the performance
// tables: one table per benchmark, implementations in columns, then every
// ratio target of the project with the measured ratio and whether it is met.
// With -plot it also draws throughput against size for linear+tanh and tanh.
//
// Usage:
//
//	report [-plot throughput.png] [-note text] file ...   (file "-" is standard input)
//
// bench/run.sh runs the benchmarks and the anchors and calls report.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/mdnsimd/mdnsimd"
)

func main() {
	plotPath := flag.String("plot", "", "write a PNG of throughput against size to this file")
	note := flag.String("note", "", "a line for the header, e.g. the command and settings of the run")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: report [-plot file.png] [-note text] bench-output ...\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	rs := newResults()
	for _, name := range flag.Args() {
		var r io.Reader = os.Stdin
		if name != "-" {
			f, err := os.Open(name)
			if err != nil {
				fatal(err)
			}
			defer f.Close()
			r = f
		}
		if err := rs.parse(r); err != nil {
			fatal(fmt.Errorf("%s: %w", name, err))
		}
	}
	w := bufio.NewWriter(os.Stdout)
	header(w, rs, *note)
	tables(w, rs)
	targets(w, rs)
	if *plotPath != "" {
		if err := plotThroughput(rs, *plotPath); err != nil {
			fatal(err)
		}
		fmt.Fprintf(w, "\nPlot: %s\n", *plotPath)
	}
	if err := w.Flush(); err != nil {
		fatal(err)
	}
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "report:", err)
	os.Exit(1)
}

// ---- parsing

// key identifies one benchmark result: the top-level benchmark (family)
// and the size=, impl=, workers= and query= elements of its sub-benchmark
// name.
type key struct {
	family, size, impl, workers string
	query                       string
}

type results struct {
	samples map[key][]map[string]float64
	order   []key    // first-seen order
	info    []string // goos/goarch/cpu/pkg lines
}

func newResults() *results { return &results{samples: map[key][]map[string]float64{}} }

var procSuffix = regexp.MustCompile(`-\d+$`)

// parse reads benchmark lines ("BenchmarkX/a=b/c=d-2  N  v unit  v unit …")
// and the cpu:/pkg: lines; everything else is ignored.
func (rs *results) parse(r io.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		for _, p := range []string{"cpu:", "pkg:", "goos:", "goarch:", "mdnsimd:", "anchors:"} {
			if strings.HasPrefix(line, p) && !slices.Contains(rs.info, line) {
				rs.info = append(rs.info, line)
			}
		}
		f := strings.Fields(line)
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") || len(f)%2 != 0 {
			continue
		}
		if _, err := strconv.ParseInt(f[1], 10, 64); err != nil {
			continue
		}
		k := parseName(procSuffix.ReplaceAllString(f[0], ""))
		vals := map[string]float64{}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				return fmt.Errorf("bad value %q in %q", f[i], line)
			}
			vals[f[i+1]] = v
		}
		if _, ok := rs.samples[k]; !ok {
			rs.order = append(rs.order, k)
		}
		rs.samples[k] = append(rs.samples[k], vals)
	}
	return sc.Err()
}

func parseName(name string) key {
	parts := strings.Split(name, "/")
	k := key{family: strings.TrimPrefix(parts[0], "Benchmark")}
	for _, p := range parts[1:] {
		kv := strings.SplitN(p, "=", 2)
		if len(kv) != 2 {
			continue
		}
		switch kv[0] {
		case "size":
			k.size = kv[1]
		case "impl":
			k.impl = kv[1]
		case "workers":
			k.workers = kv[1]
		case "query":
			k.query = kv[1]
		}
	}
	return k
}

// get returns the median over the samples of one unit.
func (rs *results) get(k key, unit string) (float64, bool) {
	var v []float64
	for _, s := range rs.samples[k] {
		if x, ok := s[unit]; ok {
			v = append(v, x)
		}
	}
	if len(v) == 0 {
		return 0, false
	}
	sort.Float64s(v)
	if len(v)%2 == 1 {
		return v[len(v)/2], true
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2, true
}

// ---- header

func header(w io.Writer, rs *results, note string) {
	c := mdnsimd.CPU()
	fmt.Fprintf(w, "# mdnsimd benchmarks, %s\n\n", time.Now().UTC().Format("2006-01-02 15:04 MST"))
	if note != "" {
		fmt.Fprintf(w, "%s\n\n", note)
	}
	fmt.Fprintf(w, "```\n%s", c)
	fmt.Fprintf(w, "go:       %s %s/%s, GOMAXPROCS %d\n", runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.GOMAXPROCS(0))
	for _, l := range rs.info {
		if strings.HasPrefix(l, "cpu:") || strings.HasPrefix(l, "pkg: anchors") || strings.HasPrefix(l, "mdnsimd:") ||
			strings.HasPrefix(l, "anchors:") {
			fmt.Fprintf(w, "%s\n", l)
		}
	}
	fmt.Fprintf(w, "```\n\n")
	fmt.Fprintf(w, "Columns are implementations: avx512, avx2fma and neon are mdnsimd's kernel paths (each forced in turn; ")
	fmt.Fprintf(w, "the first one is the path dispatch chooses on this CPU), purego the pure-Go kernels/ ")
	fmt.Fprintf(w, "called directly, gonum blas32/floats/distuv (activation as a second pass), naive the float64 loop ")
	fmt.Fprintf(w, "with package math, vek viterin/vek's vek32 (tanh composed from its Exp). openblas, onednn, sleef-*, ")
	fmt.Fprintf(w, "libm and pytorch come from the anchor programs in bench/anchors, one thread each, unrestricted ")
	fmt.Fprintf(w, "(AVX-512 where the CPU has it; OpenBLAS with the core named in the header): the comparison. ")
	fmt.Fprintf(w, "sleef-*-avx2 and sleef-*-avx512 are SLEEF's 8- and 16-lane functions; openblas-avx2 and onednn-avx2 ")
	fmt.Fprintf(w, "are the GEMM anchors limited to AVX2 on a CPU with AVX-512, for reference. ")
	fmt.Fprintf(w, "In the training tables generic is the package built with -tags purego.\n\n")
	fmt.Fprintf(w, "Sizes: rows×in×out for the GEMMs (weights out×in), rows×K×D for the mixture, rows×cols for softmax, ")
	fmt.Fprintf(w, "elements for vector math; seed = 1000 points, 1→20→K=5; wide = 10,000 points, 1→256→K=20; ")
	fmt.Fprintf(w, "in the Query table, seed-N and wide-N are those models predicting N rows (query=kernels: the kernels query=mixture runs, called directly).\n")
}

// ---- tables

type family struct {
	name, unit, label string
	higherBetter      bool
	scale             float64 // displayed value = value × scale
}

var families = []family{
	{"Tanh", "ns/elem", "ns/elem", false, 1},
	{"Exp", "ns/elem", "ns/elem", false, 1},
	{"LogSumExp", "ns/elem", "ns/elem", false, 1},
	{"Softmax", "ns/elem", "ns/elem", false, 1},
	{"LogSoftmax", "ns/elem", "ns/elem", false, 1},
	{"Linear", "GFLOP/s", "GFLOP/s", true, 1},
	{"LinearTanh", "GFLOP/s", "GFLOP/s", true, 1},
	{"LinearGradWeights", "GFLOP/s", "GFLOP/s", true, 1},
	{"LinearTanhGradWeights", "GFLOP/s", "GFLOP/s", true, 1},
	{"LinearGradInput", "GFLOP/s", "GFLOP/s", true, 1},
	{"MixtureNLL", "ns/rowcomp", "ns per row×component", false, 1},
	{"MixtureNLLGrad", "ns/rowcomp", "ns per row×component", false, 1},
	{"Epoch", "ns/op", "µs per epoch", false, 1e-3},
	{"Predict", "rows/s", "M rows/s", true, 1e-6},
	{"LogLik", "rows/s", "M rows/s", true, 1e-6},
	{"Sample", "rows/s", "M rows/s", true, 1e-6},
	{"Query", "ns/op", "µs per call", false, 1e-3},
	{"PeakFMA", "GFLOP/s", "GFLOP/s", true, 1},
}

var implOrder = []string{"mdnsimd", "avx512", "avx2fma", "neon", "generic", "purego", "gonum", "naive", "vek",
	"openblas", "openblas+sleef", "onednn", "openblas-avx2", "openblas+sleef-avx2", "onednn-avx2",
	"sleef-u35-avx512", "sleef-u10-avx512", "sleef-u35-avx2", "sleef-u10-avx2", "libm", "pytorch"}

// kernelImpls are the impl names of mdnsimd's own rows: its kernel paths,
// and "mdnsimd" (the dispatched path) in results from before the paths had
// columns of their own.
var kernelImpls = []string{"avx512", "avx2fma", "neon", "mdnsimd"}

func implRank(s string) int {
	if i := slices.Index(implOrder, s); i >= 0 {
		return i
	}
	return len(implOrder)
}

func tables(w io.Writer, rs *results) {
	native := nativeImpl(rs)
	peakName, peak, hasPeak := nativePeak(rs)
	for _, fam := range families {
		var rows []key // size/workers with impl cleared
		var impls []string
		for _, k := range rs.order {
			if k.family != fam.name {
				continue
			}
			r := key{family: k.family, size: k.size, workers: k.workers, query: k.query}
			if !slices.Contains(rows, r) {
				rows = append(rows, r)
			}
			if !slices.Contains(impls, k.impl) {
				impls = append(impls, k.impl)
			}
		}
		if len(rows) == 0 {
			continue
		}
		sort.SliceStable(impls, func(i, j int) bool { return implRank(impls[i]) < implRank(impls[j]) })
		better := "lower is better"
		if fam.higherBetter {
			better = "higher is better"
		}
		fmt.Fprintf(w, "\n### %s (%s, %s)\n\n", fam.name, fam.label, better)
		cols := []string{"size"}
		if rows[0].workers != "" {
			cols = append(cols, "workers")
		}
		if rows[0].query != "" {
			cols = append(cols, "query")
		}
		cols = append(cols, impls...)
		peakCol := hasPeak && fam.unit == "GFLOP/s" && fam.name != "PeakFMA" && slices.Contains(impls, native)
		if peakCol {
			cols = append(cols, fmt.Sprintf("%s %% of the %s FMA peak", native, peakName))
		}
		allocCol := "" // allocs/op of the library; Epoch has allocs/step instead
		if fam.name != "Epoch" && slices.Contains(impls, native) {
			allocCol = native
		}
		if allocCol != "" {
			cols = append(cols, allocCol+" allocs/op")
		}
		if fam.name == "Epoch" {
			cols = append(cols, "allocs/step")
		}
		row(w, cols)
		sep := make([]string, len(cols))
		for i := range sep {
			sep[i] = "---"
		}
		row(w, sep)
		for _, r := range rows {
			size := strings.ReplaceAll(r.size, "x", "×")
			if size == "" {
				size = "—"
			}
			cells := []string{size}
			if r.workers != "" {
				cells = append(cells, r.workers)
			}
			if r.query != "" {
				cells = append(cells, r.query)
			}
			for _, im := range impls {
				k := r
				k.impl = im
				if v, ok := rs.get(k, fam.unit); ok {
					cells = append(cells, num(v*fam.scale))
				} else {
					cells = append(cells, "")
				}
			}
			if peakCol {
				k := r
				k.impl = native
				if v, ok := rs.get(k, "GFLOP/s"); ok {
					cells = append(cells, fmt.Sprintf("%.0f%%", 100*v/peak))
				} else {
					cells = append(cells, "")
				}
			}
			if allocCol != "" {
				k := r
				k.impl = allocCol
				if v, ok := rs.get(k, "allocs/op"); ok {
					cells = append(cells, num(v))
				} else {
					cells = append(cells, "")
				}
			}
			if fam.name == "Epoch" {
				var s []string
				for _, im := range []string{"avx512", "avx2fma", "neon", "generic"} {
					k := r
					k.impl = im
					if v, ok := rs.get(k, "allocs/step"); ok {
						s = append(s, im+" "+num(v))
					}
				}
				cells = append(cells, strings.Join(s, ", "))
			}
			row(w, cells)
		}
	}
}

func row(w io.Writer, cells []string) {
	fmt.Fprintf(w, "| %s |\n", strings.Join(cells, " | "))
}

// num formats with three significant digits.
func num(v float64) string {
	switch a := abs(v); {
	case a == 0:
		return "0"
	case a >= 1000:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	case a >= 1:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}
