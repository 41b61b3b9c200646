package mdnsimd

import "fmt"

// Argument checks shared by every exported kernel. They run before any
// assembly, so assembly may assume the lengths it is given.

func checkLen(kernel, name string, s []float32, want int) {
	if len(s) != want {
		panic(fmt.Sprintf("mdnsimd.%s: len(%s) = %d, want %d", kernel, name, len(s), want))
	}
}

// checkOptLen allows a nil or empty optional slice (bias, bias gradient).
func checkOptLen(kernel, name string, s []float32, want int) {
	if len(s) != 0 && len(s) != want {
		panic(fmt.Sprintf("mdnsimd.%s: len(%s) = %d, want %d or 0", kernel, name, len(s), want))
	}
}

func checkDims(kernel string, dims ...any) {
	for i := 0; i+1 < len(dims); i += 2 {
		if v := dims[i+1].(int); v < 0 {
			panic(fmt.Sprintf("mdnsimd.%s: %s = %d, want >= 0", kernel, dims[i], v))
		}
	}
}

// mul returns a*b, panicking if the product overflows int.
func mul(kernel string, a, b int) int {
	if a != 0 && b > (int(^uint(0)>>1))/a {
		panic(fmt.Sprintf("mdnsimd.%s: size %d*%d overflows int", kernel, a, b))
	}
	return a * b
}
