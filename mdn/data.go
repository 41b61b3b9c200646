package mdn

import (
	"fmt"
	"math"
)

// Dataset is n samples of In inputs and Out targets, row-major float32.
type Dataset struct {
	X, Y    []float32
	N       int
	In, Out int
}

// NewDataset validates x (n×in) and y (n×out) and wraps them without copying.
// NaN or Inf values, mismatched lengths and an empty set are errors naming
// the row and column.
func NewDataset(x, y []float32, in, out int) (Dataset, error) {
	if in < 1 || out < 1 {
		return Dataset{}, fmt.Errorf("mdn: dataset needs at least one input and one output column (in=%d, out=%d)", in, out)
	}
	if len(x)%in != 0 {
		return Dataset{}, fmt.Errorf("mdn: len(x)=%d is not a multiple of in=%d", len(x), in)
	}
	n := len(x) / in
	if n == 0 {
		return Dataset{}, fmt.Errorf("mdn: empty dataset")
	}
	if len(y) != n*out {
		return Dataset{}, fmt.Errorf("mdn: %d input rows but len(y)=%d, want %d (out=%d)", n, len(y), n*out, out)
	}
	d := Dataset{X: x, Y: y, N: n, In: in, Out: out}
	if err := d.checkFinite(); err != nil {
		return Dataset{}, err
	}
	return d, nil
}

func (d Dataset) checkFinite() error {
	for i, v := range d.X {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return fmt.Errorf("mdn: row %d, input column %d: value %v is not finite", i/d.In, i%d.In, v)
		}
	}
	for i, v := range d.Y {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return fmt.Errorf("mdn: row %d, output column %d: value %v is not finite", i/d.Out, i%d.Out, v)
		}
	}
	return nil
}
