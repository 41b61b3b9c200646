package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const sample = `goos: linux
cpu: Test CPU
BenchmarkTanh/size=4096/impl=avx2fma-2   	 1000	 2048 ns/op	 0.5 ns/elem	 0 B/op	 0 allocs/op
BenchmarkTanh/size=4096/impl=avx2fma-2   	 1000	 4096 ns/op	 1.0 ns/elem	 0 B/op	 0 allocs/op
BenchmarkTanh/size=4096/impl=avx2fma-2   	 1000	 8192 ns/op	 2.0 ns/elem	 0 B/op	 0 allocs/op
BenchmarkTanh/size=4096/impl=sleef-u35-avx2 	1000	4096.0 ns/op	1.0 ns/elem
BenchmarkLinearTanh/size=256x256x256/impl=avx2fma-2 	10	400000 ns/op	80 GFLOP/s	0 B/op	0 allocs/op
BenchmarkLinear/size=256x256x256/impl=openblas 	10	335544 ns/op	100 GFLOP/s
BenchmarkEpoch/size=wide/workers=1/impl=avx2fma-2 	10	2000000 ns/op	0 allocs/step	10 B/op	1 allocs/op
BenchmarkEpoch/size=wide/workers=2/impl=avx2fma-2 	10	1000000 ns/op	3 allocs/step	10 B/op	1 allocs/op
BenchmarkQuery/size=seed-1000/query=kernels/impl=avx2fma-2 	10	20000 ns/op	0 B/op	0 allocs/op
BenchmarkQuery/size=seed-1000/query=mixture/impl=avx2fma-2 	10	25000 ns/op	0 B/op	0 allocs/op
BenchmarkQuery/size=seed-1000/query=quantiles/impl=avx2fma-2 	10	300000 ns/op	0 B/op	0 allocs/op
BenchmarkQuery/size=seed-1000/query=mixture/impl=pytorch 	10	500000 ns/op	500 ns/row
not a benchmark line
BenchmarkBroken/size=1	x	ns/op
`

func TestParseAndTargets(t *testing.T) {
	rs := newResults()
	if err := rs.parse(strings.NewReader(sample)); err != nil {
		t.Fatal(err)
	}
	// median of three samples, -2 suffix stripped
	if v, ok := rs.get(k("Tanh", "4096", "avx2fma", ""), "ns/elem"); !ok || v != 1.0 {
		t.Fatalf("median ns/elem = %v, %v; want 1", v, ok)
	}
	if v, ok := rs.get(k("Epoch", "wide", "avx2fma", "2"), "allocs/step"); !ok || v != 3 {
		t.Fatalf("allocs/step = %v, %v; want 3", v, ok)
	}
	if _, ok := rs.get(key{family: "Broken", size: "1"}, "ns/op"); ok {
		t.Fatal("malformed line parsed")
	}
	var b bytes.Buffer
	targets(&b, rs)
	out := b.String()
	for _, want := range []string{
		"| Tanh vs SLEEF tanhf8_u35avx2, 4096 elements (speed) | 1.00× | ≥ 2× | **no**: 2.00× short |",
		"| LinearTanh 256³ vs OpenBLAS sgemm, no tanh (GFLOP/s) | 0.80× | ≥ 0.8× | yes |",
		"| wide epoch, 2 workers vs 1 worker | 2.00× | ≥ 1.7× | yes |",
		"| allocations per training step after the first (worst of seed/wide × 1/2 workers) | 3.00 | = 0 | **no**: 3.00 (no figure for seed/1, seed/2) |",
		"| Exp vs SLEEF expf8_u10avx2, 4096 elements (speed) | not measured | ≥ 1× | missing Exp/size=4096/impl=avx2fma |",
		"| Mixture, seed, 1000 rows: time ÷ the kernels it runs (layers, softmax, exp) | 1.25× | ≤ 1.3× | yes |",
		"| Mixture, seed, 1000 rows vs PyTorch forward (1 thread, no_grad) | 20.00× | ≥ 15× | yes |",
		"| Quantiles (3 levels), seed, 1000 rows: time ÷ Mixture time | 12.00× | ≤ 10× | **no**: 1.20× over |",
		"| Sample, seed, 1000 rows vs PyTorch forward + multinomial + normal | not measured | ≥ 10× | missing Query/size=seed-1000/query=sample/impl=avx2fma |",
		"| allocations per call of every prediction query (worst) | 0 | = 0 | yes |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("targets output lacks\n%s\ngot:\n%s", want, out)
		}
	}
	b.Reset()
	tables(&b, rs)
	if !strings.Contains(b.String(), "| 4096 | 1.00 | 1.00 | 0 |") {
		t.Errorf("Tanh table row missing:\n%s", b.String())
	}
	if !strings.Contains(b.String(), "| seed-1000 | mixture | 25.0 | 500 | 0 |") {
		t.Errorf("Query table row missing:\n%s", b.String())
	}
	png := filepath.Join(t.TempDir(), "p.png")
	if err := plotThroughput(rs, png); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(png); err != nil || st.Size() < 1000 {
		t.Fatalf("plot not written: %v", err)
	}
}

// sample512 is a run on an AVX-512 CPU: both kernel paths, the AVX-512
// anchors.
const sample512 = `cpu: Test CPU
BenchmarkTanh/size=4096/impl=avx512-2   	 1000	 800 ns/op	 0.2 ns/elem
BenchmarkTanh/size=4096/impl=avx2fma-2   	 1000	 1600 ns/op	 0.4 ns/elem
BenchmarkTanh/size=4096/impl=vek-2   	 1000	 8000 ns/op	 2 ns/elem
BenchmarkTanh/size=64/impl=avx512-2   	 1000	 16 ns/op	 0.25 ns/elem
BenchmarkTanh/size=64/impl=avx2fma-2   	 1000	 12.8 ns/op	 0.2 ns/elem
BenchmarkTanh/size=4096/impl=sleef-u35-avx512 	1000	1638.4 ns/op	0.4 ns/elem
BenchmarkExp/size=4096/impl=avx512-2   	 1000	 800 ns/op	 0.2 ns/elem
BenchmarkExp/size=4096/impl=sleef-u10-avx512 	1000	819.2 ns/op	0.2 ns/elem
BenchmarkLinear/size=256x256x256/impl=avx512-2 	10	200000 ns/op	180 GFLOP/s
BenchmarkLinear/size=256x256x256/impl=avx2fma-2 	10	400000 ns/op	80 GFLOP/s
BenchmarkLinear/size=256x256x256/impl=onednn 	10	200000 ns/op	170 GFLOP/s
BenchmarkPeakFMA/impl=avx2 	10	1000 ns/op	90 GFLOP/s
BenchmarkPeakFMA/impl=avx512 	10	1000 ns/op	200 GFLOP/s
`

func TestTargets512(t *testing.T) {
	rs := newResults()
	if err := rs.parse(strings.NewReader(sample512)); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	targets(&b, rs)
	out := b.String()
	for _, want := range []string{
		"### Targets (kernel path avx512)",
		"| Tanh vs SLEEF tanhf16_u35avx512f, 4096 elements (speed) | 2.00× | ≥ 2× | yes |",
		"| Exp vs SLEEF expf16_u10avx512f, 4096 elements (speed) | 1.00× | ≥ 1.2× | **no**: 1.20× short |",
		"| kernels × sizes in the tables slower on avx512 than on avx2fma | 1.00 | = 0 | **no**: 1.00 (of 3 rows; worst Tanh/size=64: avx512 0.80× as fast as avx2fma) |",
		"| vector math (Tanh, Exp, LogSumExp): sizes where a Go peer (purego, gonum, naive, vek) is faster | 0 | = 0 | yes (1 rows compared) |",
		"| Linear 256³ vs oneDNN (matmul + bias, AVX-512) | 1.06× | ≥ 1× | yes |",
		"| Linear 256³, share of the AVX-512 FMA peak | 0.90× | ≥ 0.8× | yes |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("targets output lacks\n%s\ngot:\n%s", want, out)
		}
	}
	b.Reset()
	tables(&b, rs)
	if !strings.Contains(b.String(), "| avx512 % of the avx512 FMA peak |") || !strings.Contains(b.String(), "| 90% |") {
		t.Errorf("Linear table lacks the avx512 peak column:\n%s", b.String())
	}
}
