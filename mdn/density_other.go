//go:build !amd64 || purego

package mdn

// densityVec does nothing here: density runs its Go loop alone.
func densityVec(dst, grid []float32, cs []comp, stride int) int { return 0 }

// expVec does nothing here: the exponentials run on math.Exp.
func expVec(x []float64) int { return 0 }
