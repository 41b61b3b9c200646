// Package bench holds the go test -bench comparisons of mdnsimd against the
// alternatives a Go user has: the pure-Go kernels/ package, gonum, viterin/vek
// and the float64 loop written with package math. It is a module of its own so
// that those peers never enter the library's go.mod.
//
// Sub-benchmarks are named size=…/impl=…, with any other parameter between
// the two (the training benchmarks' workers=…, the prediction benchmarks'
// query=…), as in the library's own
// benchmarks, so benchstat can put implementations in columns:
//
//	cd bench && go test -run '^$' -bench . -benchtime=200ms | tee new.txt
//	benchstat -col /impl new.txt
//
// Units: GFLOP/s for the GEMM kernels (2·rows·in·out per call), ns/elem for
// vector math, ns/rowcomp (nanoseconds per row × mixture component) for the
// mixture kernels, µs/epoch and rows/s for the trainer, ns/op (and ns/row)
// for the prediction queries of BenchmarkQuery.
//
// run.sh runs everything, including the C and Python anchors where their
// Debian packages are installed, and cmd/report turns the output into the
// performance table and plot.
package bench
