package mdn

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// FromMatrix copies a gonum matrix pair into a Dataset: each row of x is one
// sample's inputs and the same row of y its targets. The float64 values are
// converted to float32 once, here; a value that is NaN, infinite or outside
// the float32 range is an error naming its row and column (0-based, as in
// mat.Matrix.At). x and y must have the same number of rows, at least one.
func FromMatrix(x, y mat.Matrix) (Dataset, error) {
	if x == nil || y == nil {
		return Dataset{}, fmt.Errorf("mdn: FromMatrix needs two matrices")
	}
	xr, xc := x.Dims()
	yr, yc := y.Dims()
	if xr != yr {
		return Dataset{}, fmt.Errorf("mdn: FromMatrix: x has %d rows but y has %d", xr, yr)
	}
	if xr == 0 {
		return Dataset{}, fmt.Errorf("mdn: FromMatrix: empty dataset")
	}
	xs, err := matrixFloat32(x, "input")
	if err != nil {
		return Dataset{}, err
	}
	ys, err := matrixFloat32(y, "output")
	if err != nil {
		return Dataset{}, err
	}
	return Dataset{X: xs, Y: ys, N: xr, In: xc, Out: yc}, nil
}

// matrixFloat32 converts m to a row-major float32 slice, reading a
// mat.RawMatrixer's backing array directly when it has one.
func matrixFloat32(m mat.Matrix, role string) ([]float32, error) {
	r, c := m.Dims()
	out := make([]float32, r*c)
	at := m.At
	if rm, ok := m.(mat.RawMatrixer); ok {
		raw := rm.RawMatrix()
		at = func(i, j int) float64 { return raw.Data[i*raw.Stride+j] }
	}
	for i := range r {
		row := out[i*c : (i+1)*c]
		for j := range row {
			v := at(i, j)
			f := float32(v)
			if f-f != 0 { // NaN or ±Inf, including float64 values beyond float32's range
				return nil, fmt.Errorf("mdn: row %d, %s column %d: value %v is not a finite float32", i, role, j, v)
			}
			row[j] = f
		}
	}
	return out, nil
}
