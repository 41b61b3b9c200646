//go:build (!amd64 && !arm64) || purego

package mdn

// vecLoops is false here: the trainer runs its Go loops.
func vecLoops() bool { return false }

func vecLen(n int) int { return 0 }

func adamVec(p, g, m, v []float32, k *[6]float32) float32 { panic("mdn: no vector loops") }
func rmspropVec(p, g, v, b []float32, k *[5]float32) float32 {
	panic("mdn: no vector loops")
}
func sgdVec(p, g, b []float32, k *[2]float32) float32 { panic("mdn: no vector loops") }
func sumVec(s []float32) float64                      { panic("mdn: no vector loops") }
func addLen(n int) int                                { return 0 }
func addVec(dst, src []float32)                       { panic("mdn: no vector loops") }

// splitHead is splitHeadGo here.
func splitHead(lg, mu, ls, head []float32, n, k, kd int) { splitHeadGo(lg, mu, ls, head, n, k, kd) }

// pickCounts sets comp[i] for every row to the count pick forms before its
// fix-up (see pick).
func pickCounts(comp []int32, pi []float32, bits []uint64, k int) { pickCountsGo(comp, pi, bits, k) }

// momentsVec leaves every row of Mixture.moments to Go here.
func momentsVec(mix *Mixture, dst []float32, q query) int { return 0 }
