package mdn

import (
	"bytes"
	"context"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
)

func TestScalingOf(t *testing.T) {
	// Three rows; input column 1 is constant, target column 0 too.
	d, err := NewDataset([]float32{1, 5, 2, 5, 6, 5}, []float32{-7, 10, -7, 20, -7, 60}, 2, 2)
	if err != nil {
		t.Fatal(err)
	}
	s := ScalingOf(d)
	want := Scaling{
		XMean: []float64{3, 5}, XStd: []float64{math.Sqrt((4 + 1 + 9) / 3.0), 1},
		YMean: []float64{-7, 30}, YStd: []float64{1, math.Sqrt((400 + 100 + 900) / 3.0)},
	}
	for i, pair := range [][2][]float64{{s.XMean, want.XMean}, {s.XStd, want.XStd}, {s.YMean, want.YMean}, {s.YStd, want.YStd}} {
		for j := range pair[1] {
			if math.Abs(pair[0][j]-pair[1][j]) > 1e-15*math.Abs(pair[1][j]) {
				t.Errorf("field %d column %d: %v, want %v", i, j, pair[0][j], pair[1][j])
			}
		}
	}
	if err := s.validate(2, 2); err != nil {
		t.Fatal(err)
	}
}

func TestSetScalingErrors(t *testing.T) {
	m, _ := New(Config{In: 2, Out: 1, K: 2}, 1)
	good := Scaling{XMean: []float64{0, 1}, XStd: []float64{1, 2}, YMean: []float64{3}, YStd: []float64{4}}
	for name, s := range map[string]Scaling{
		"short":        {XMean: []float64{0}, XStd: []float64{1}, YMean: []float64{3}, YStd: []float64{4}},
		"zero std":     {XMean: []float64{0, 1}, XStd: []float64{1, 0}, YMean: []float64{3}, YStd: []float64{4}},
		"negative std": {XMean: []float64{0, 1}, XStd: []float64{1, 2}, YMean: []float64{3}, YStd: []float64{-4}},
		"NaN mean":     {XMean: []float64{math.NaN(), 1}, XStd: []float64{1, 2}, YMean: []float64{3}, YStd: []float64{4}},
		"Inf std":      {XMean: []float64{0, 1}, XStd: []float64{1, math.Inf(1)}, YMean: []float64{3}, YStd: []float64{4}},
		"huge mean":    {XMean: []float64{0, 1}, XStd: []float64{1, 2}, YMean: []float64{1e300}, YStd: []float64{4}},
		"subnormal":    {XMean: []float64{0, 1}, XStd: []float64{1, 1e-320}, YMean: []float64{3}, YStd: []float64{4}},
	} {
		if err := m.SetScaling(s); err == nil {
			t.Errorf("%s: accepted", name)
		}
		if _, ok := m.Scaling(); ok {
			t.Errorf("%s: a rejected scaling was kept", name)
		}
	}
	if err := m.SetScaling(good); err != nil {
		t.Fatal(err)
	}
	got, ok := m.Scaling()
	if !ok || !slices.Equal(got.YStd, good.YStd) {
		t.Fatalf("Scaling() = %+v, %v", got, ok)
	}
	got.YStd[0] = 99 // a copy
	if again, _ := m.Scaling(); again.YStd[0] != 4 {
		t.Fatal("Scaling returned the model's own slice")
	}
	if err := m.SetScaling(Scaling{}); err != nil {
		t.Fatal(err)
	}
	if _, ok := m.Scaling(); ok {
		t.Fatal("the zero Scaling did not remove the scaling")
	}
}

// twin returns a copy of m (same parameters) with the scaling s, so that
// the copy's predictions for data-unit rows must equal m's predictions for
// the same rows in model units, mapped back to data units.
func twin(t *testing.T, m *Model, s Scaling) *Model {
	t.Helper()
	b, _ := m.MarshalBinary()
	var c Model
	if err := c.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if err := c.SetScaling(s); err != nil {
		t.Fatal(err)
	}
	return &c
}

// toModel maps rows to model units in float64 as the reference does.
func toModel(v []float32, mean, std []float64) []float32 {
	out := make([]float32, len(v))
	for i := range v {
		j := i % len(mean)
		out[i] = float32((float64(v[i]) - mean[j]) / std[j])
	}
	return out
}

// TestPredictionsInDataUnits holds every prediction method of a model with
// a scaling to the same model without one, fed model-unit rows, with its
// results mapped to data units by hand: μ = mean + std·μ′, σ = std·σ′,
// π unchanged, log p = log p′ − Σ log std, MSE of std·(out′ − y′).
func TestPredictionsInDataUnits(t *testing.T) {
	rel := func(what string, got, want, tol float64) {
		t.Helper()
		if math.Abs(got-want) > tol*math.Max(1, math.Abs(want)) {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	r := rand.New(rand.NewPCG(4, 4))
	for _, cfg := range []Config{
		{In: 2, Out: 3, Hidden: []int{8}, K: 4},
		{In: 1, Out: 1, Hidden: []int{20}, K: 5, SigmaFloor: 0.3},
		{In: 3, Out: 2, Hidden: []int{6}},
	} {
		raw, _ := New(cfg, 7)
		s := Scaling{}
		for range cfg.In {
			s.XMean = append(s.XMean, 100*r.NormFloat64())
			s.XStd = append(s.XStd, math.Exp(3*r.NormFloat64()))
		}
		for range cfg.Out {
			s.YMean = append(s.YMean, 1000*r.NormFloat64())
			s.YStd = append(s.YStd, math.Exp(4*r.NormFloat64()))
		}
		if cfg.SigmaFloor > 0 {
			// The raw twin's floor is in model units: for D = 1 it is
			// floor/std, so both clamp at the same place.
			raw.cfg.SigmaFloor = cfg.SigmaFloor / s.YStd[0]
			raw.setFloors()
		}
		sc := twin(t, raw, s)
		sc.cfg.SigmaFloor = cfg.SigmaFloor
		sc.setFloors()
		const n = 40
		x := make([]float32, n*cfg.In)
		y := make([]float32, n*cfg.Out)
		for i := range x {
			j := i % cfg.In
			x[i] = float32(s.XMean[j] + s.XStd[j]*2*r.NormFloat64())
		}
		for i := range y {
			j := i % cfg.Out
			y[i] = float32(s.YMean[j] + s.YStd[j]*r.NormFloat64())
		}
		xm, ym := toModel(x, s.XMean, s.XStd), toModel(y, s.YMean, s.YStd)
		d := cfg.Out
		if cfg.K == 0 {
			got, err := sc.Predict(x)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := raw.Predict(xm)
			var mse float64
			for i := range got {
				j := i % d
				rel("Predict", float64(got[i]), s.YMean[j]+s.YStd[j]*float64(want[i]), 1e-5)
				e := s.YStd[j] * float64(want[i]-ym[i])
				mse += e * e
			}
			data, _ := NewDataset(x, y, cfg.In, cfg.Out)
			loss, err := sc.Loss(data)
			if err != nil {
				t.Fatal(err)
			}
			rel("Loss (MSE)", loss, mse/float64(len(got)), 1e-4)
			continue
		}
		mix, err := sc.Mixture(x)
		if err != nil {
			t.Fatal(err)
		}
		ref, _ := raw.Mixture(xm)
		for i := range mix.Pi {
			rel("π", float64(mix.Pi[i]), float64(ref.Pi[i]), 1e-5)
		}
		for i := range mix.Mu {
			j := i % d
			rel("μ", float64(mix.Mu[i]), s.YMean[j]+s.YStd[j]*float64(ref.Mu[i]), 1e-5)
			rel("σ", float64(mix.Sigma[i]), s.YStd[j]*float64(ref.Sigma[i]), 1e-5)
			if cfg.SigmaFloor > 0 && float64(mix.Sigma[i]) < cfg.SigmaFloor*(1-1e-5) {
				t.Errorf("σ %v below the floor %v", mix.Sigma[i], cfg.SigmaFloor)
			}
		}
		mean, _ := sc.Mean(x)
		rmean, _ := raw.Mean(xm)
		mode, _ := sc.Mode(x)
		rmode, _ := raw.Mode(xm)
		for i := range mean {
			j := i % d
			rel("Mean", float64(mean[i]), s.YMean[j]+s.YStd[j]*float64(rmean[i]), 1e-5)
			rel("Mode", float64(mode[i]), s.YMean[j]+s.YStd[j]*float64(rmode[i]), 1e-4)
		}
		smp, _ := sc.Sample(x, rand.New(rand.NewPCG(1, 2)), 1, 1)
		rsmp, _ := raw.Sample(xm, rand.New(rand.NewPCG(1, 2)), 1, 1)
		for i := range smp {
			j := i % d
			rel("Sample", float64(smp[i]), s.YMean[j]+s.YStd[j]*float64(rsmp[i]), 1e-4)
		}
		var jac float64
		for _, v := range s.YStd {
			jac += math.Log(v)
		}
		ll, err := sc.LogLik(x, y)
		if err != nil {
			t.Fatal(err)
		}
		rll, _ := raw.LogLik(xm, ym)
		var sum float64
		for i := range ll {
			rel("LogLik", float64(ll[i]), float64(rll[i])-jac, 1e-5)
			sum -= float64(ll[i])
		}
		data, _ := NewDataset(x, y, cfg.In, cfg.Out)
		loss, err := sc.Loss(data)
		if err != nil {
			t.Fatal(err)
		}
		rel("Loss", loss, sum/n, 1e-5)
	}
}

// TestLossMatchesTrainingScaled: with a scaling, the loss Train reports
// (model-unit NLL + Σ log YStd, or the weighted MSE) is Model.Loss's.
func TestLossMatchesTrainingScaled(t *testing.T) {
	d := Sinusoid(300, 1, true)
	for i := range d.Y {
		d.Y[i] = 1000*d.Y[i] + 5000
	}
	for _, cfg := range []Config{seedCfg, {In: 1, Out: 1, Hidden: []int{7}}} {
		m, _ := New(cfg, 1)
		if err := m.SetScaling(ScalingOf(d)); err != nil {
			t.Fatal(err)
		}
		want, _ := m.Loss(d)
		res, err := m.Train(context.Background(), d, TrainOptions{Epochs: 1, Optimizer: SGD, LR: 1e-30})
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(res.Loss-want) > 1e-6*math.Abs(want) {
			t.Errorf("K=%d: Train reports %v, Loss %v", cfg.K, res.Loss, want)
		}
		// The validation rows are a sample of d: their loss is near d's.
		res, err = m.Train(context.Background(), d, TrainOptions{Epochs: 1, Optimizer: SGD, LR: 1e-30, ValFrac: 0.5})
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(res.ValLoss-want) > 0.1*math.Abs(want) {
			t.Errorf("K=%d: validation loss %v is not in the data's units (Loss %v)", cfg.K, res.ValLoss, want)
		}
	}
}

// otherUnits returns d with its inputs shifted and scaled and its targets
// multiplied by 1000.
func otherUnits(d Dataset) Dataset {
	x := make([]float32, len(d.X))
	y := make([]float32, len(d.Y))
	for i, v := range d.X {
		x[i] = 0.25*v + 300
	}
	for i, v := range d.Y {
		y[i] = 1000 * v
	}
	o, _ := NewDataset(x, y, d.In, d.Out)
	return o
}

// TestStandardizedTrainingUnits is the units check: a model trained with
// Standardize on data in other units (input x ↦ 0.25x + 300, target
// ×1000), with mdn train's defaults (1→20→K=5, Adam, 1000 full-batch
// epochs, 10% held out for validation), reaches the same NLL, less
// log 1000, as on the original data, on the training rows and on fresh
// held-out rows, within 0.02 nats. (The standardised rows of both runs
// differ only by float32 rounding; the NLLs agree to about 1e-3.) The raw
// fit of the same data, for contrast, is logged: it ends about 130 nats
// per row worse.
func TestStandardizedTrainingUnits(t *testing.T) {
	orig := Sinusoid(1000, 1, true)
	held := SinusoidDraw(5000, 2, true)
	o := TrainOptions{Epochs: 1000, ValFrac: 0.1, Standardize: true}
	const tol = 0.02
	nll := func(d, h Dataset, opts TrainOptions) (train, heldout float64) {
		m, _ := New(seedCfg, 1)
		res, err := m.Train(context.Background(), d, opts)
		if err != nil {
			t.Fatal(err)
		}
		l, err := m.Loss(h)
		if err != nil {
			t.Fatal(err)
		}
		return res.Loss, l
	}
	a, ah := nll(orig, held, o)
	b, bh := nll(otherUnits(orig), otherUnits(held), o)
	log1000 := math.Log(1000)
	t.Logf("standardised: original units %.4f (held out %.4f), other units %.4f − log 1000 = %.4f (held out %.4f)", a, ah, b, b-log1000, bh-log1000)
	if math.Abs(b-log1000-a) > tol || math.Abs(bh-log1000-ah) > tol {
		t.Errorf("other units: %.4f and %.4f held out (less log 1000), want %.4f and %.4f within %v", b-log1000, bh-log1000, a, ah, tol)
	}
	o.Standardize = false
	c, ch := nll(otherUnits(orig), otherUnits(held), o)
	t.Logf("raw values in other units: %.4f − log 1000 = %.4f (held out %.4f)", c, c-log1000, ch-log1000)
}

func TestStandardizeErrors(t *testing.T) {
	d := Sinusoid(50, 1, true)
	m, _ := New(seedCfg, 1)
	if _, err := m.Train(context.Background(), d, TrainOptions{Epochs: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Train(context.Background(), d, TrainOptions{Epochs: 1, Standardize: true}); err == nil || !strings.Contains(err.Error(), "raw values") {
		t.Fatalf("Standardize on a model trained raw: %v", err)
	}
	if _, ok := m.Scaling(); ok {
		t.Fatal("the refused Standardize left a scaling")
	}
	// A model with a scaling keeps it, whatever Standardize says.
	s, _ := New(seedCfg, 1)
	if _, err := s.Train(context.Background(), d, TrainOptions{Epochs: 1, Standardize: true}); err != nil {
		t.Fatal(err)
	}
	first, ok := s.Scaling()
	if !ok {
		t.Fatal("Standardize set no scaling")
	}
	if _, err := s.Train(context.Background(), otherUnits(d), TrainOptions{Epochs: 1}); err != nil {
		t.Fatal(err)
	}
	if again, _ := s.Scaling(); !slices.Equal(again.YStd, first.YStd) || !slices.Equal(again.XMean, first.XMean) {
		t.Fatal("a second Train changed the scaling")
	}
}

// TestStandardizeResume: a run resumed from a checkpoint of a standardised
// model gives the uninterrupted run's bits.
func TestStandardizeResume(t *testing.T) {
	d := otherUnits(Sinusoid(200, 1, true))
	o := TrainOptions{Epochs: 6, Standardize: true, BatchSize: 64, Seed: 3, ValFrac: 0.1}
	full, _ := New(seedCfg, 1)
	if _, err := full.Train(context.Background(), d, o); err != nil {
		t.Fatal(err)
	}
	part, _ := New(seedCfg, 1)
	o.Epochs = 2
	if _, err := part.Train(context.Background(), d, o); err != nil {
		t.Fatal(err)
	}
	b, _ := part.MarshalBinary()
	var resumed Model
	if err := resumed.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	o.Epochs = 4
	if _, err := resumed.Train(context.Background(), d, o); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(full.params, resumed.params) {
		t.Fatal("resumed standardised run differs from the uninterrupted one")
	}
}

func TestColumnsRecorded(t *testing.T) {
	d, err := ReadCSV(strings.NewReader("a,b,a,c\n1,2,3,4\n5,6,7,9\n2,2,2,2\n"), CSVOptions{X: []string{"c", "3"}, Y: []string{"b"}})
	if err != nil {
		t.Fatal(err)
	}
	// "a" names column 1 first, so column 3 is remembered by number.
	if !slices.Equal(d.XCols, []string{"c", "3"}) || !slices.Equal(d.YCols, []string{"b"}) {
		t.Fatalf("columns %q, %q", d.XCols, d.YCols)
	}
	m, _ := New(Config{In: 2, Out: 1, Hidden: []int{3}, K: 1}, 1)
	if _, err := m.Train(context.Background(), d, TrainOptions{Epochs: 1}); err != nil {
		t.Fatal(err)
	}
	x, y := m.Columns()
	if !slices.Equal(x, []string{"c", "3"}) || !slices.Equal(y, []string{"b"}) {
		t.Fatalf("model columns %q, %q", x, y)
	}
	nh, _ := ReadCSV(strings.NewReader("1,2,3\n4,5,6\n"), CSVOptions{})
	if !slices.Equal(nh.XCols, []string{"1", "2"}) || !slices.Equal(nh.YCols, []string{"3"}) {
		t.Fatalf("columns of a file without a header: %q, %q", nh.XCols, nh.YCols)
	}
	if err := m.SetColumns([]string{"x"}, []string{"y"}); err == nil {
		t.Fatal("SetColumns with the wrong count succeeded")
	}
	if err := m.SetColumns([]string{"p", strings.Repeat("q", maxColumnName+1)}, []string{"y"}); err == nil {
		t.Fatal("SetColumns with a huge name succeeded")
	}
}

// TestScalingSaveLoad: a model's scaling and columns survive Save/Load,
// and the loaded model predicts the same bits.
func TestScalingSaveLoad(t *testing.T) {
	d := otherUnits(Sinusoid(100, 1, true))
	d.XCols, d.YCols = []string{"temperature °C"}, []string{""}
	m, _ := New(Config{In: 1, Out: 1, Hidden: []int{5}, K: 2, SigmaFloor: 0.5}, 1)
	if _, err := m.Train(context.Background(), d, TrainOptions{Epochs: 3, Standardize: true}); err != nil {
		t.Fatal(err)
	}
	b, _ := m.MarshalBinary()
	var c Model
	if err := c.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	s1, _ := m.Scaling()
	s2, ok := c.Scaling()
	if !ok || !slices.Equal(s1.XMean, s2.XMean) || !slices.Equal(s1.XStd, s2.XStd) || !slices.Equal(s1.YMean, s2.YMean) || !slices.Equal(s1.YStd, s2.YStd) {
		t.Fatalf("scaling %+v after the round trip, want %+v", s2, s1)
	}
	x, y := c.Columns()
	if !slices.Equal(x, d.XCols) || !slices.Equal(y, d.YCols) {
		t.Fatalf("columns %q %q after the round trip", x, y)
	}
	m1, _ := m.Mixture(d.X)
	m2, _ := c.Mixture(d.X)
	if !slices.Equal(m1.Mu, m2.Mu) || !slices.Equal(m1.Sigma, m2.Sigma) {
		t.Fatal("the loaded model predicts differently")
	}
	again, _ := c.MarshalBinary()
	if !bytes.Equal(again, b) {
		t.Fatal("the encoding is not canonical")
	}
	// Hostile scaling values and names in an otherwise valid file.
	const offScaling = 8 + 4 + 12 + 4 + 4 + 8 + 8 // magic..epochs, one hidden layer
	for name, edit := range map[string]func([]byte){
		"zero std":      func(b []byte) { binary.LittleEndian.PutUint64(b[offScaling+1+8:], 0) },
		"NaN mean":      func(b []byte) { binary.LittleEndian.PutUint64(b[offScaling+1:], math.Float64bits(math.NaN())) },
		"name too long": func(b []byte) { binary.LittleEndian.PutUint32(b[offScaling+1+32+4:], maxColumnName+1) },
		"name past end": func(b []byte) { binary.LittleEndian.PutUint32(b[offScaling+1+32+4:], 1<<15) },
		"2 names":       func(b []byte) { binary.LittleEndian.PutUint32(b[offScaling+1+32:], 2) },
	} {
		bad := slices.Clone(b)
		edit(bad)
		var x Model
		if err := x.UnmarshalBinary(reseal(bad)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestLoadVersion1 loads a file written by the previous format version
// (testdata/model-v1.mdn: 1→6→4→K=3, σ floor 1e-3, Adam, 3 epochs) and
// checks it against its own bytes.
func TestLoadVersion1(t *testing.T) {
	raw, err := os.ReadFile("testdata/model-v1.mdn")
	if err != nil {
		t.Fatal(err)
	}
	if v := binary.LittleEndian.Uint32(raw[8:]); v != 1 {
		t.Fatalf("test file has version %d", v)
	}
	m, err := Load("testdata/model-v1.mdn")
	if err != nil {
		t.Fatal(err)
	}
	cfg := m.Config()
	if cfg.In != 1 || cfg.Out != 1 || cfg.K != 3 || !slices.Equal(cfg.Hidden, []int{6, 4}) || cfg.SigmaFloor != 1e-3 || m.Epochs() != 3 {
		t.Fatalf("config %+v, epochs %d", cfg, m.Epochs())
	}
	if _, ok := m.Scaling(); ok {
		t.Fatal("a version 1 model has a scaling")
	}
	if x, _ := m.Columns(); x != nil {
		t.Fatal("a version 1 model has columns")
	}
	const offParams = 60 // version 1, two hidden layers
	for i, p := range m.Params() {
		if want := math.Float32frombits(binary.LittleEndian.Uint32(raw[offParams+4*i:])); p != want {
			t.Fatalf("parameter %d = %v, the file holds %v", i, p, want)
		}
	}
	if m.opt.name != Adam || m.opt.step != 3 || len(m.opt.m) != m.NumParams() {
		t.Fatalf("optimizer state %q step %d", m.opt.name, m.opt.step)
	}
	// Written back, it is version 2 and reads back the same.
	b, _ := m.MarshalBinary()
	if v := binary.LittleEndian.Uint32(b[8:]); v != formatVersion {
		t.Fatalf("written as version %d", v)
	}
	var c Model
	if err := c.UnmarshalBinary(b); err != nil || !slices.Equal(c.params, m.params) {
		t.Fatalf("version 1 model written as version 2 does not read back: %v", err)
	}
}
