//go:build !purego

package mdnsimd

//go:noescape
func expAVX512(dst, x []float32)

//go:noescape
func expMemAVX512(dst, x []float32)

//go:noescape
func tanhMemAVX512(dst, x []float32)

//go:noescape
func logAVX512(dst, x []float32)

//go:noescape
func tanhAVX512(dst, x []float32)
