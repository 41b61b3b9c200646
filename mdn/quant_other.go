//go:build !amd64 || purego

package mdn

// quantVec is false here: the quantiles run on the Go solver alone.
func quantVec(mix *Mixture) bool { return false }

func (mix *Mixture) quantilesVec(dst, lo, hi []float32, s *scratch) {
	panic("mdn: no quantile kernel")
}
