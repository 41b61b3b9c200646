//go:build (!amd64 && !arm64) || purego

package mdnsimd

import "github.com/mdnsimd/mdnsimd/kernels"

func tanh(dst, x []float32)                            { kernels.Tanh(dst, x) }
func exp(dst, x []float32)                             { kernels.Exp(dst, x) }
func logSumExp(x []float32) float32                    { return kernels.LogSumExp(x) }
func softmax(dst, x []float32, rows, cols int)         { kernels.Softmax(dst, x, rows, cols) }
func logSoftmax(dst, x []float32, rows, cols int)      { kernels.LogSoftmax(dst, x, rows, cols) }
func mixtureNLL(nll, head, y []float32, k, d int)      { kernels.MixtureNLL(nll, head, y, k, d) }
func linear(dst, x, w, b []float32, rows, in, out int) { kernels.Linear(dst, x, w, b, rows, in, out) }
func linearTanh(dst, x, w, b []float32, rows, in, out int) {
	kernels.LinearTanh(dst, x, w, b, rows, in, out)
}
func mixtureNLLGrad(nll, dhead, head, y []float32, k, d int, scale float32) {
	kernels.MixtureNLLGrad(nll, dhead, head, y, k, d, scale)
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
func mixtureCols(nll, dhead, head, y []float32, k, d, ld int, scale float32) {
	kernels.MixtureNLLGradCols(nll, dhead, head, y, k, d, ld, scale)
}
func linearTanhCols(dst, x, w, b []float32, n, in, out, ld int) {
	linearTanhColsGo(dst, x, w, b, n, in, out, ld)
}
