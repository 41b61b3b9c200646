// Package fuzz holds the differential fuzz targets of mdnsimd: every
// dispatched kernel is held to the pure-Go reference in kernels/ and to a
// float64 oracle within its documented accuracy, with guard values around
// every slice; the gradients are held to central finite differences; and
// the readers of user input (model files, CSV, command-line values) are fed
// hostile bytes.
//
// The package has no API; it is all tests. Plain `go test ./fuzz` replays
// the seed corpus in testdata/fuzz; run.sh fuzzes each target in turn:
//
//	fuzz/run.sh 15s          # every target for 15 s, native build
//	fuzz/run.sh 15s purego   # the same with -tags purego
package fuzz
