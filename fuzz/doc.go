// Package fuzz holds the differential fuzz targets of mdnsimd: every
// dispatched kernel, on every assembly path the CPU runs (avx512 and avx2fma
// on an AVX-512 CPU, each named mdnsimd.Kernel/path in failures), is held to
// the pure-Go reference in kernels/ and to a float64 oracle within its
// documented accuracy, with guard values around every output and fenced
// pages around inputs; the gradients are held to central finite
// differences; and the readers of user input (model files, safetensors
// files, CSV, the command line) are fed hostile bytes.
//
// The package has no API; it is all tests. Plain `go test ./fuzz` replays
// the corpus in testdata/fuzz (the generated seed-* entries on every unroll
// boundary, and every input the fuzzer has found); run.sh fuzzes each
// target in turn:
//
//	fuzz/run.sh 15s          # every target for 15 s, native build
//	fuzz/run.sh 15s purego   # the same with -tags purego
//
// Targets and what each holds (u = 2⁻²⁴, the float32 unit roundoff):
//
//	FuzzExp, FuzzTanh          ≤ 1 / ≤ 2 ULP of the rounded float64 value, NaN, ±Inf, −0, overflow
//	FuzzLogSumExp              u·(2.8n + 20 + 16|log S| + 2|lse|); −Inf, +Inf, NaN rules
//	FuzzSoftmax, FuzzLogSoftmax elementwise relative/absolute bounds, rows sum to 1 within 2u(n+2),
//	                           NaN rows for NaN, +Inf or all −Inf
//	FuzzLinear, FuzzLinearTanh, FuzzLinearGradInput, FuzzLinearGradWeights,
//	FuzzLinearTanhGradWeights, FuzzLinearTanhCols
//	                           (n+2)·u·Σ|terms| per output (any order, FMA or not),
//	                           IEEE propagation of NaN and infinities, tanh ≤ 2 ULP after that;
//	                           by columns, the lanes beyond n left as they were
//	FuzzMixtureNLL, FuzzMixtureNLLGrad, FuzzMixtureNLLGradCols
//	                           finite for finite input; in the exact domain a
//	                           term-by-term float32 error bound (mixRow); by
//	                           columns, the lanes beyond n left as they were
//	FuzzMixtureGradFD          the fused gradient against Richardson-extrapolated
//	                           central differences of a float64 NLL
//	FuzzTrainerGradFD          mdn's whole backward pass against central differences
//	                           of a float64 model, 1e-4 of the gradient scale
//	FuzzQuantiles              mdn's Quantiles and Interval (and CRPS, Density, Mode): the
//	                           same bits on every path (the kernels against the Go code), and on
//	                           proper mixtures |F(q) − α| ≤ 1e-6·min(α, 1 − α) + 1e-17 with
//	                           the exact F (math.Erfc), or the quantile within a float32 step
//	FuzzModelDecode            UnmarshalBinary, ReadFrom, Load: error wrapping ErrFormat or
//	                           a model that re-encodes to the same bytes; ≤ 4× input allocated
//	FuzzReadCSV                ReadCSV, ReadCSVInputs: *CSVError or a well-formed data set that
//	                           survives a write and read; ≤ 16× input (+256 KiB) allocated
//	FuzzSafetensors            the safetensors reader and mdn.ImportSafetensors/LoadSafetensors
//	                           with fuzzed name maps: an error wrapping ErrFormat or a file that
//	                           survives Marshal and Parse and a model whose export imports back
//	                           bit for bit; ≤ safetensors.AllocBound + 4× input allocated
//	FuzzCLI                    the mdn binary on fuzzed arguments: exit 0, 1 or 2, no panic,
//	                           no hang, ≤ 512 MiB resident, errors that name the command
//
// TestChecksCatch proves the checks fail on deliberately broken kernels.
package fuzz
