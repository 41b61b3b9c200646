//go:build !purego

package mdnsimd

import "github.com/mdnsimd/mdnsimd/kernels"

func tanhNEON(dst, x []float32) { kernels.Tanh(dst, x) }

func tanh(dst, x []float32)         { kernels.Tanh(dst, x) }
func exp(dst, x []float32)          { kernels.Exp(dst, x) }
func logSumExp(x []float32) float32 { return kernels.LogSumExp(x) }
