//go:build !purego

package mdnsimd

import "github.com/mdnsimd/mdnsimd/kernels"

func mixtureNLL(nll, head, y []float32, k, d int) { kernels.MixtureNLL(nll, head, y, k, d) }
func mixtureNLLGrad(nll, dhead, head, y []float32, k, d int, scale float32) {
	kernels.MixtureNLLGrad(nll, dhead, head, y, k, d, scale)
}
