//go:build !purego

package mdnsimd

import "github.com/mdnsimd/mdnsimd/kernels"

func linear(dst, x, w, b []float32, rows, in, out int) { kernels.Linear(dst, x, w, b, rows, in, out) }
func linearTanh(dst, x, w, b []float32, rows, in, out int) {
	kernels.LinearTanh(dst, x, w, b, rows, in, out)
}
func linearGradWeights(dw, db, dz, x []float32, rows, in, out int) {
	kernels.LinearGradWeights(dw, db, dz, x, rows, in, out)
}
func linearTanhGradWeights(dw, db, dz, dh, h, x []float32, rows, in, out int) {
	kernels.LinearTanhGradWeights(dw, db, dz, dh, h, x, rows, in, out)
}
func linearGradInput(dx, dz, w []float32, rows, in, out int) {
	kernels.LinearGradInput(dx, dz, w, rows, in, out)
}
