package mdn

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func TestFromMatrix(t *testing.T) {
	x := mat.NewDense(3, 2, []float64{1, 2, 3, 4, 5, 0.1})
	y := mat.NewDense(3, 1, []float64{-1, -2, -3})
	d, err := FromMatrix(x, y)
	if err != nil {
		t.Fatal(err)
	}
	if d.N != 3 || d.In != 2 || d.Out != 1 {
		t.Fatalf("N, In, Out = %d, %d, %d, want 3, 2, 1", d.N, d.In, d.Out)
	}
	if want := []float32{1, 2, 3, 4, 5, 0.1}; !slices.Equal(d.X, want) {
		t.Errorf("X = %v, want %v", d.X, want)
	}
	if want := []float32{-1, -2, -3}; !slices.Equal(d.Y, want) {
		t.Errorf("Y = %v, want %v", d.Y, want)
	}

	// A strided view (RawMatrixer with Stride > Cols) and a non-raw matrix
	// (a transpose) read the same values as At.
	big := mat.NewDense(4, 4, nil)
	for i := range 4 {
		for j := range 4 {
			big.Set(i, j, float64(10*i+j))
		}
	}
	view := big.Slice(1, 4, 1, 3) // 3×2, stride 4
	tr := mat.NewDense(2, 3, []float64{7, 8, 9, 10, 11, 12}).T()
	d, err = FromMatrix(view, tr)
	if err != nil {
		t.Fatal(err)
	}
	if want := []float32{11, 12, 21, 22, 31, 32}; !slices.Equal(d.X, want) {
		t.Errorf("strided X = %v, want %v", d.X, want)
	}
	if want := []float32{7, 10, 8, 11, 9, 12}; !slices.Equal(d.Y, want) {
		t.Errorf("transposed Y = %v, want %v", d.Y, want)
	}
}

func TestFromMatrixErrors(t *testing.T) {
	ok := mat.NewDense(2, 1, []float64{1, 2})
	for _, tc := range []struct {
		name string
		x, y mat.Matrix
		want string
	}{
		{"rows differ", ok, mat.NewDense(3, 1, nil), "x has 2 rows but y has 3"},
		{"NaN in x", mat.NewDense(2, 2, []float64{1, 2, 3, math.NaN()}), ok, "row 1, input column 1"},
		{"Inf in y", ok, mat.NewDense(2, 1, []float64{math.Inf(-1), 0}), "row 0, output column 0"},
		{"beyond float32", ok, mat.NewDense(2, 1, []float64{0, 1e300}), "row 1, output column 0"},
		{"nil", nil, ok, "needs two matrices"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := FromMatrix(tc.x, tc.y)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestFromRows(t *testing.T) {
	d, err := FromRows([][]float32{{1, 2}, {3, 4}}, [][]float32{{5}, {6}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(d.X, []float32{1, 2, 3, 4}) || !slices.Equal(d.Y, []float32{5, 6}) || d.N != 2 || d.In != 2 || d.Out != 1 {
		t.Errorf("got %+v", d)
	}
	x, y := d.Row(1)
	if !slices.Equal(x, []float32{3, 4}) || !slices.Equal(y, []float32{6}) {
		t.Errorf("Row(1) = %v, %v", x, y)
	}
	for _, tc := range []struct {
		name string
		x, y [][]float32
		want string
	}{
		{"ragged x", [][]float32{{1, 2}, {3}}, [][]float32{{5}, {6}}, "row 1: 1 inputs, want 2"},
		{"ragged y", [][]float32{{1}, {3}}, [][]float32{{5}, {6, 7}}, "row 1: 2 targets, want 1"},
		{"counts", [][]float32{{1}}, nil, "1 input rows but 0 target rows"},
		{"empty", nil, nil, "empty dataset"},
		{"NaN", [][]float32{{1}, {float32(math.NaN())}}, [][]float32{{5}, {6}}, "row 1, input column 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := FromRows(tc.x, tc.y)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func ExampleFromMatrix() {
	// Three samples of two inputs and one target, as a gonum pipeline holds them.
	x := mat.NewDense(3, 2, []float64{0, 1, 2, 3, 4, 5})
	y := mat.NewDense(3, 1, []float64{0.5, 1.5, 2.5})
	d, err := FromMatrix(x, y)
	if err != nil {
		panic(err)
	}
	fmt.Println(d.N, d.In, d.Out, d.X, d.Y)
	// Output: 3 2 1 [0 1 2 3 4 5] [0.5 1.5 2.5]
}
