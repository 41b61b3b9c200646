//go:build !purego

package mdnsimd

import "github.com/mdnsimd/mdnsimd/kernels"

func softmax(dst, x []float32, rows, cols int)    { kernels.Softmax(dst, x, rows, cols) }
func logSoftmax(dst, x []float32, rows, cols int) { kernels.LogSoftmax(dst, x, rows, cols) }
