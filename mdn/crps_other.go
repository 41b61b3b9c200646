//go:build !amd64 || purego

package mdn

// crpsVec does nothing here and reports false: crps runs in Go.
func (mix *Mixture) crpsVec(dst, y []float32, s *scratch) bool { return false }
