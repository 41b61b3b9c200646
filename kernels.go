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

// checkDim panics if a size is negative. It takes one int, not ...any, so
// the call does not box its arguments (boxing an int above 255 allocates).
func checkDim(kernel, name string, v int) {
	if v < 0 {
		panic(fmt.Sprintf("mdnsimd.%s: %s = %d, want >= 0", kernel, name, v))
	}
}

// mul returns a*b, panicking if the product overflows int.
func mul(kernel string, a, b int) int {
	if a != 0 && b > (int(^uint(0)>>1))/a {
		panic(fmt.Sprintf("mdnsimd.%s: size %d*%d overflows int", kernel, a, b))
	}
	return a * b
}
