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

	// XCols and YCols name the columns the rows came from (header names,
	// or 1-based column numbers for a CSV file without a header), when
	// known: ReadCSV sets them. Train records them in a model that has
	// none (see Model.Columns).
	XCols, YCols []string
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

// FromRows copies per-sample rows into a Dataset: x[i] is sample i's inputs
// and y[i] its targets. Every x row must have the length of the first, and so
// must every y row; a ragged row, a NaN or infinite value, or an empty set is
// an error naming the row and column (0-based).
func FromRows(x, y [][]float32) (Dataset, error) {
	if len(x) != len(y) {
		return Dataset{}, fmt.Errorf("mdn: FromRows: %d input rows but %d target rows", len(x), len(y))
	}
	if len(x) == 0 {
		return Dataset{}, fmt.Errorf("mdn: empty dataset")
	}
	in, out := len(x[0]), len(y[0])
	xs := make([]float32, 0, len(x)*in)
	ys := make([]float32, 0, len(y)*out)
	for i := range x {
		if len(x[i]) != in {
			return Dataset{}, fmt.Errorf("mdn: row %d: %d inputs, want %d as in row 0", i, len(x[i]), in)
		}
		if len(y[i]) != out {
			return Dataset{}, fmt.Errorf("mdn: row %d: %d targets, want %d as in row 0", i, len(y[i]), out)
		}
		xs = append(xs, x[i]...)
		ys = append(ys, y[i]...)
	}
	return NewDataset(xs, ys, in, out)
}

// Row returns sample i's inputs and targets, sharing the Dataset's memory.
func (d Dataset) Row(i int) (x, y []float32) {
	return d.X[i*d.In : (i+1)*d.In], d.Y[i*d.Out : (i+1)*d.Out]
}
