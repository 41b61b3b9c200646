package mdn

import (
	"math"
	"slices"
	"testing"
)

func TestSinusoid(t *testing.T) {
	const n = 1000
	fwd := Sinusoid(n, 1, false)
	if fwd.N != n || fwd.In != 1 || fwd.Out != 1 || len(fwd.X) != n || len(fwd.Y) != n {
		t.Fatalf("shape N=%d In=%d Out=%d len X,Y=%d,%d", fwd.N, fwd.In, fwd.Out, len(fwd.X), len(fwd.Y))
	}
	if fwd.X[0] != -10 || fwd.X[n-1] != 10 {
		t.Errorf("x runs %v..%v, want -10..10", fwd.X[0], fwd.X[n-1])
	}
	var sum, sumsq float64
	for i := range n {
		if want := -10 + 20*float64(i)/(n-1); math.Abs(float64(fwd.X[i])-want) > 1e-5 {
			t.Fatalf("x[%d] = %v, want %v (evenly spaced)", i, fwd.X[i], want)
		}
		e := float64(fwd.Y[i]) - SinusoidCurve(float64(fwd.X[i]))
		sum += e
		sumsq += e * e
	}
	// The noise is N(0, 1): over 1000 draws the mean is within ±0.15 and
	// the variance within 0.85..1.15 at far beyond 3σ.
	mean, vari := sum/n, sumsq/n-(sum/n)*(sum/n)
	if math.Abs(mean) > 0.15 || vari < 0.85 || vari > 1.15 {
		t.Errorf("noise mean %.3f variance %.3f, want about 0 and 1", mean, vari)
	}

	// Deterministic in the seed; another seed gives other noise.
	again := Sinusoid(n, 1, false)
	if !slices.Equal(fwd.X, again.X) || !slices.Equal(fwd.Y, again.Y) {
		t.Error("same seed gave different data")
	}
	if other := Sinusoid(n, 2, false); slices.Equal(fwd.Y, other.Y) {
		t.Error("seeds 1 and 2 gave the same noise")
	}

	// The inverse problem swaps the columns.
	inv := Sinusoid(n, 1, true)
	if !slices.Equal(inv.X, fwd.Y) || !slices.Equal(inv.Y, fwd.X) {
		t.Error("inverse data is not the forward data with x and y swapped")
	}
	if _, err := NewDataset(inv.X, inv.Y, inv.In, inv.Out); err != nil {
		t.Error(err)
	}

	if one := Sinusoid(1, 1, false); one.X[0] != -10 {
		t.Errorf("n=1 gives x=%v, want -10", one.X[0])
	}
}

func TestSinusoidDraw(t *testing.T) {
	const n = 2000
	d := SinusoidDraw(n, 7, false)
	if d.N != n || len(d.X) != n {
		t.Fatalf("N=%d len(X)=%d", d.N, len(d.X))
	}
	var lo, hi int
	for i, x := range d.X {
		if x < -10 || x > 10 {
			t.Fatalf("x[%d] = %v outside [-10, 10]", i, x)
		}
		if x < 0 {
			lo++
		} else {
			hi++
		}
	}
	if lo < n/2-150 || hi < n/2-150 {
		t.Errorf("%d negative and %d non-negative x, want about even (uniform)", lo, hi)
	}
	if again := SinusoidDraw(n, 7, true); !slices.Equal(again.Y, d.X) || !slices.Equal(again.X, d.Y) {
		t.Error("SinusoidDraw not deterministic, or inverse not swapped")
	}
	if train := Sinusoid(n, 7, false); slices.Equal(train.Y, d.Y) {
		t.Error("held-out draw repeats the training noise")
	}
}

func TestSinusoidInverseEntropy(t *testing.T) {
	h := SinusoidInverseEntropy()
	if math.Abs(h-1.3263) > 0.0005 {
		t.Errorf("H(x|y) = %.4f nats, want about 1.326", h)
	}
}
