//go:build !amd64 || purego

package mdn

// modeVec does nothing here and reports false: mode runs in Go.
func (mix *Mixture) modeVec(dst []float32, f []float64) bool { return false }
