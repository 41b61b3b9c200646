//go:build !amd64 || purego

package mdn

// modeWork is empty here: mode runs in Go.
type modeWork struct{}

// modeVec does nothing here and reports false: mode runs in Go.
func (mix *Mixture) modeVec(dst []float32, f []float64, w *modeWork) bool { return false }
