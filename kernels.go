package mdnsimd

import (
	"fmt"
	"math"
	"math/bits"
)

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

// mul returns a*b, panicking if the product overflows int. Sizes that are
// not negative take one full-width multiply; the division of the general
// check (a 64-bit DIV, tens of cycles, three or four of them in every
// kernel call's checks) is left to mulChecked, for negative operands.
func mul(kernel string, a, b int) int {
	// A negative operand sets bit 63 of a|b; an overflow sets hi or
	// bit 63 of lo.
	if hi, lo := bits.Mul64(uint64(a), uint64(b)); hi|(lo|uint64(a|b))>>63 != 0 {
		return mulChecked(kernel, a, b)
	}
	return a * b
}

// mulChecked is mul for any operands.
//
//go:noinline
func mulChecked(kernel string, a, b int) int {
	if a != 0 && b > math.MaxInt/a {
		panic(fmt.Sprintf("mdnsimd.%s: size %d*%d overflows int", kernel, a, b))
	}
	return a * b
}
