//go:build (!amd64 && !arm64) || purego

package mdn

// optVec is false here: the optimizers run their Go loops.
var optVec = false

const optVecLanes = 8

func adamVec(p, g, m, v []float32, k *[6]float32) float32 { panic("mdn: no vector optimizer loops") }
func rmspropVec(p, g, v, b []float32, k *[5]float32) float32 {
	panic("mdn: no vector optimizer loops")
}
func sgdVec(p, g, b []float32, k *[2]float32) float32 { panic("mdn: no vector optimizer loops") }
