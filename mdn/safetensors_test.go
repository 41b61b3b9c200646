package mdn

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/mdnsimd/mdnsimd/internal/safetensors"
)

// readTensors reads a fixture file's tensors as float32 by name.
func readTensors(t *testing.T, path string) map[string][]float32 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := safetensors.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]float32{}
	for _, tn := range f.Tensors {
		if out[tn.Name], err = tn.Float32s(); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// maxDiff returns the largest |a[i] − b[i]| / (1 + |b[i]|).
func maxDiff(a, b []float32) float64 {
	var m float64
	for i := range b {
		m = math.Max(m, math.Abs(float64(a[i])-float64(b[i]))/(1+math.Abs(float64(b[i]))))
	}
	return m
}

// Bounds of the imported model's outputs against PyTorch's float32 outputs
// for the same weights, as |a − b|/(1 + |b|): two float32 computations of
// the same network that sum in different orders and use different tanh and
// exp. Measured (avx2fma, logged by the test): π, μ, σ and plain outputs
// within 4.6e-7, NLL within 2e-6; each side is as close to the float64
// computation of the same weights as to the other.
const (
	torchTolMixture = 2e-6 // π, μ, σ, plain outputs
	torchTolNLL     = 1e-5
)

// TestImportTorchFixtures imports the state dicts PyTorch wrote
// (scripts/torchfixture) and holds the model's π, μ, σ and NLL (or a plain
// network's output) to PyTorch's on the fixed inputs.
func TestImportTorchFixtures(t *testing.T) {
	for _, c := range []struct {
		name string
		cfg  Config
	}{
		{"seed", Config{In: 1, Out: 1, Hidden: []int{20}, K: 5}},
		{"half", Config{In: 1, Out: 1, Hidden: []int{20}, K: 5}},
		{"deep", Config{In: 2, Out: 2, Hidden: []int{16, 12}, K: 3}},
		{"mlp", Config{In: 1, Out: 1, Hidden: []int{8}}},
	} {
		m, err := LoadSafetensors(filepath.Join("testdata", "torch", c.name+".safetensors"), ImportOptions{})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		cfg := m.Config()
		if cfg.In != c.cfg.In || cfg.Out != c.cfg.Out || cfg.K != c.cfg.K || !slices.Equal(cfg.Hidden, c.cfg.Hidden) || cfg.SigmaFloor != 0 {
			t.Fatalf("%s: config %+v, want %+v", c.name, cfg, c.cfg)
		}
		if _, ok := m.Scaling(); ok {
			t.Fatalf("%s: an imported PyTorch model has a scaling", c.name)
		}
		ref := readTensors(t, filepath.Join("testdata", "torch", c.name+".out.safetensors"))
		x, y := ref["x"], ref["y"]
		check := func(what string, got, torch, f64 []float32, tol float64) {
			t.Helper()
			d, dt, dg := maxDiff(got, torch), maxDiff(torch, f64), maxDiff(got, f64)
			t.Logf("%s %s: mdnsimd vs torch %.2g (torch vs float64 %.2g, mdnsimd vs float64 %.2g)", c.name, what, d, dt, dg)
			if len(got) != len(torch) || d > tol {
				t.Errorf("%s %s: %d values differ from PyTorch's by up to %.3g, bound %g", c.name, what, len(got), d, tol)
			}
		}
		if cfg.K == 0 {
			out, err := m.Predict(x)
			if err != nil {
				t.Fatal(err)
			}
			check("out", out, ref["out"], ref["out64"], torchTolMixture)
			continue
		}
		mix, err := m.Mixture(x)
		if err != nil {
			t.Fatal(err)
		}
		check("π", mix.Pi, ref["pi"], ref["pi64"], torchTolMixture)
		check("μ", mix.Mu, ref["mu"], ref["mu64"], torchTolMixture)
		check("σ", mix.Sigma, ref["sigma"], ref["sigma64"], torchTolMixture)
		ll, err := m.LogLik(x, y)
		if err != nil {
			t.Fatal(err)
		}
		for i := range ll {
			ll[i] = -ll[i]
		}
		check("NLL", ll, ref["nll"], ref["nll64"], torchTolNLL)
	}
}

// sameNetwork fails unless a and b have the same configuration and
// parameter bits.
func sameNetwork(t *testing.T, what string, a, b *Model) {
	t.Helper()
	ca, cb := a.Config(), b.Config()
	if ca.In != cb.In || ca.Out != cb.Out || ca.K != cb.K || ca.SigmaFloor != cb.SigmaFloor || !slices.Equal(ca.Hidden, cb.Hidden) {
		t.Fatalf("%s: config %+v, want %+v", what, cb, ca)
	}
	pa, pb := a.Params(), b.Params()
	for i := range pa {
		if math.Float32bits(pa[i]) != math.Float32bits(pb[i]) {
			t.Fatalf("%s: parameter %d is %v, want %v", what, i, pb[i], pa[i])
		}
	}
}

// exportModels returns trained models of several shapes: the seed's, a
// deep one with D > 1, one without hidden layers, a plain network, and a
// standardised one with a σ floor and columns.
func exportModels(t *testing.T) map[string]*Model {
	t.Helper()
	out := map[string]*Model{}
	train := func(name string, cfg Config, d Dataset, o TrainOptions) {
		m, err := New(cfg, 3)
		if err != nil {
			t.Fatal(err)
		}
		o.Epochs = 5
		if _, err := m.Train(context.Background(), d, o); err != nil {
			t.Fatal(err)
		}
		out[name] = m
	}
	sin := Sinusoid(100, 1, true)
	x, y := randData(newRand(2), 60, 3, 2, 1)
	d3, _ := NewDataset(x, y, 3, 2)
	train("seed", seedCfg, sin, TrainOptions{})
	train("deep", Config{In: 3, Out: 2, Hidden: []int{7, 5, 4}, K: 3}, d3, TrainOptions{})
	train("no-hidden", Config{In: 3, Out: 2, K: 2}, d3, TrainOptions{})
	train("plain", Config{In: 3, Out: 2, Hidden: []int{6, 6}}, d3, TrainOptions{})
	scaled := otherUnits(sin)
	scaled.XCols, scaled.YCols = []string{"pressure"}, []string{"depth"}
	train("scaled", Config{In: 1, Out: 1, Hidden: []int{8}, K: 3, SigmaFloor: 20}, scaled, TrainOptions{Standardize: true})
	train("scaled-plain", Config{In: 3, Out: 2, Hidden: []int{5}}, otherUnits(d3), TrainOptions{Standardize: true})
	return out
}

// TestExportImportIdentity: export then import gives the same network bit
// for bit, with each name layout and through a file; the σ floor, columns
// and (kept) scaling come back from the metadata.
func TestExportImportIdentity(t *testing.T) {
	for name, m := range exportModels(t) {
		_, scaled := m.Scaling()
		for _, layout := range []string{"seed", "heads"} {
			names := SeedNames(m.Config())
			if layout == "heads" {
				names = HeadNames(m.Config())
			}
			mode := ExportOptions{Names: &names}
			if scaled {
				mode.Scaling = KeepScaling
			}
			b, err := m.MarshalSafetensors(mode)
			if err != nil {
				t.Fatal(err)
			}
			back, err := ImportSafetensors(b, ImportOptions{}) // the names found automatically
			if err != nil {
				t.Fatalf("%s, %s names: %v", name, layout, err)
			}
			what := name + ", " + layout + " names"
			sameNetwork(t, what, m, back)
			s1, _ := m.Scaling()
			s2, ok := back.Scaling()
			if ok != scaled || !slices.Equal(s1.XMean, s2.XMean) || !slices.Equal(s1.XStd, s2.XStd) || !slices.Equal(s1.YMean, s2.YMean) || !slices.Equal(s1.YStd, s2.YStd) {
				t.Fatalf("%s: scaling %+v (%v) after the round trip, want %+v", what, s2, ok, s1)
			}
			x1, y1 := m.Columns()
			x2, y2 := back.Columns()
			if !slices.Equal(x1, x2) || !slices.Equal(y1, y2) {
				t.Fatalf("%s: columns %q %q, want %q %q", what, x2, y2, x1, y1)
			}
			// Exporting the import again gives the same bytes.
			if again, _ := back.MarshalSafetensors(mode); !bytes.Equal(again, b) {
				t.Fatalf("%s: export of the import differs", what)
			}
		}
	}
	// Through a file, with the permissions os.Create gives.
	m := exportModels(t)["seed"]
	path := filepath.Join(t.TempDir(), "m.safetensors")
	if err := m.SaveSafetensors(path, ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	back, err := LoadSafetensors(path, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sameNetwork(t, "file", m, back)
}

// foldTol bounds the difference, as |a − b|/(1 + |b|), between a
// standardised model and its export with the scaling folded in (imported
// back, or run by PyTorch). The folded first layer computes
// W/std·x − W·mean/std in float32, whose terms are |mean|/std times the
// standardised ones, so its rounding is about (|mean|/std)·2⁻²⁴ of a
// pre-activation, which the later layers carry to the outputs. The bound
// is 64 times that for the largest ratio, plus 2e-6. Measured (avx2fma):
// ratio ~210 (the sinusoid at 0.25x + 300), μ within 8e-5 of the
// unfolded model and 2.6e-4 of PyTorch's, bound 8.2e-4; ratio ~1400,
// plain outputs within 7.6e-4 and 2.5e-4, bound 5.5e-3.
func foldTol(s Scaling) float64 {
	ratio := 0.0
	for i := range s.XMean {
		ratio = math.Max(ratio, math.Abs(s.XMean[i])/s.XStd[i])
	}
	return 64*ratio*0x1p-24 + 2e-6
}

// TestExportFoldedScaling: a standardised model exported with its scaling
// folded into the weights imports as a model without a scaling that
// predicts the same, within foldTol.
func TestExportFoldedScaling(t *testing.T) {
	ms := exportModels(t)
	for _, name := range []string{"scaled", "scaled-plain"} {
		m := ms[name]
		b, err := m.MarshalSafetensors(ExportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		back, err := ImportSafetensors(b, ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := back.Scaling(); ok {
			t.Fatalf("%s: the folded export imports with a scaling", name)
		}
		if back.Config().SigmaFloor != m.Config().SigmaFloor {
			t.Fatalf("%s: σ floor %v, want %v", name, back.Config().SigmaFloor, m.Config().SigmaFloor)
		}
		s, _ := m.Scaling()
		in := m.Config().In
		x := make([]float32, 50*in)
		r := newRand(5)
		for i := range x {
			x[i] = float32(s.XMean[i%in] + 2*s.XStd[i%in]*r.NormFloat64())
		}
		tol := foldTol(s)
		if m.Config().K == 0 {
			a, _ := m.Predict(x)
			b, _ := back.Predict(x)
			if d := maxDiff(b, a); d > tol {
				t.Errorf("%s: outputs differ by %.3g, bound %.3g", name, d, tol)
			} else {
				t.Logf("%s: outputs within %.2g after folding (bound %.2g)", name, d, tol)
			}
			continue
		}
		a, _ := m.Mixture(x)
		c, _ := back.Mixture(x)
		for what, pair := range map[string][2][]float32{"π": {c.Pi, a.Pi}, "μ": {c.Mu, a.Mu}, "σ": {c.Sigma, a.Sigma}} {
			if d := maxDiff(pair[0], pair[1]); d > tol {
				t.Errorf("%s: %s differs by %.3g after folding, bound %.3g", name, what, d, tol)
			} else {
				t.Logf("%s: %s within %.2g after folding (bound %.2g)", name, what, d, tol)
			}
		}
	}
}

// TestImportNameMaps: the seed fixture under other names, a user's map,
// (K, D, H) heads and dimension-major means.
func TestImportNameMaps(t *testing.T) {
	m := exportModels(t)["deep"]
	cfg := m.Config()
	custom := NameMap{Hidden: []string{"body.layer1", "body.layer2", "body.layer3"}, Pi: "w", Mu: "m", Sigma: "s"}
	b, err := m.MarshalSafetensors(ExportOptions{Names: &custom})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ImportSafetensors(b, ImportOptions{}); err == nil {
		t.Fatal("names no layout matches were imported without a map")
	}
	parsed, err := ParseNameMap("hidden=body.layer1, body.layer2,body.layer3; pi=w;mu=m;sigma=s")
	if err != nil {
		t.Fatal(err)
	}
	back, err := ImportSafetensors(b, ImportOptions{Names: &parsed})
	if err != nil {
		t.Fatal(err)
	}
	sameNetwork(t, "custom names", m, back)
	if again, err := ParseNameMap(parsed.String()); err != nil || again.String() != parsed.String() {
		t.Fatalf("String %q does not parse back: %v", parsed.String(), err)
	}
	// A Sequential given as "P.*".
	seq, _ := ParseNameMap("hidden=z_h.*;pi=z_pi;mu=z_mu;sigma=z_sigma")
	b, _ = m.MarshalSafetensors(ExportOptions{})
	if back, err = ImportSafetensors(b, ImportOptions{Names: &seq}); err != nil {
		t.Fatal(err)
	}
	sameNetwork(t, "z_h.*", m, back)

	// μ and σ as [K, D, H] weights with [K, D] biases, and dimension-major
	// [K·D, H] ones: rebuilt from the export by hand.
	f, _ := safetensors.Parse(b)
	k, d := cfg.K, cfg.Out
	var kdh, dmaj []safetensors.Tensor
	for _, tn := range f.Tensors {
		v, _ := tn.Float32s()
		switch {
		case tn.Name == "z_mu.weight" || tn.Name == "z_sigma.weight":
			kdh = append(kdh, safetensors.F32(tn.Name, []int{k, d, tn.Shape[1]}, v))
			perm := make([]float32, len(v))
			h := tn.Shape[1]
			for c := range k {
				for j := range d {
					copy(perm[(j*k+c)*h:(j*k+c+1)*h], v[(c*d+j)*h:(c*d+j+1)*h])
				}
			}
			dmaj = append(dmaj, safetensors.F32(tn.Name, tn.Shape, perm))
		case tn.Name == "z_mu.bias" || tn.Name == "z_sigma.bias":
			kdh = append(kdh, safetensors.F32(tn.Name, []int{k, d}, v))
			perm := make([]float32, len(v))
			for c := range k {
				for j := range d {
					perm[j*k+c] = v[c*d+j]
				}
			}
			dmaj = append(dmaj, safetensors.F32(tn.Name, tn.Shape, perm))
		default:
			kdh = append(kdh, tn)
			dmaj = append(dmaj, tn)
		}
	}
	b3, _ := safetensors.Marshal(kdh, nil)
	if back, err = ImportSafetensors(b3, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	sameNetwork(t, "[K, D, H] heads", m, back)
	bd, _ := safetensors.Marshal(dmaj, nil)
	if back, err = ImportSafetensors(bd, ImportOptions{MeanOrder: DimensionMajor}); err != nil {
		t.Fatal(err)
	}
	sameNetwork(t, "dimension-major heads", m, back)
	bm, _ := safetensors.Marshal(dmaj, map[string]string{"mdn.mu_order": "dimension-major"})
	if back, err = ImportSafetensors(bm, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	sameNetwork(t, "dimension-major from the metadata", m, back)
	if _, err := ImportSafetensors(bm, ImportOptions{MeanOrder: ComponentMajor}); err == nil {
		t.Fatal("an order that contradicts the metadata was accepted")
	}
	// Read component-major, the dimension-major file is another network.
	if back, err = ImportSafetensors(bd, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if slices.Equal(back.Params(), m.Params()) {
		t.Fatal("the order made no difference")
	}

	for _, bad := range []string{"", "pi=a;mu=b", "hidden=a,,b;out=o", "x=1;out=o", "out=o;out=p", "pi=a;mu=b;sigma=c;out=d", "pi"} {
		if _, err := ParseNameMap(bad); err == nil {
			t.Errorf("ParseNameMap(%q) succeeded", bad)
		}
	}
}

// TestImportRejects: malformed files and files that do not form a network
// are errors wrapping ErrFormat that name the tensor, and allocate within
// the parser's bound.
func TestImportRejects(t *testing.T) {
	m := exportModels(t)["deep"]
	good, _ := m.MarshalSafetensors(ExportOptions{})
	f, _ := safetensors.Parse(good)
	rebuild := func(edit func(ts []safetensors.Tensor, meta map[string]string) ([]safetensors.Tensor, map[string]string)) []byte {
		ts := slices.Clone(f.Tensors)
		meta := map[string]string{}
		for k, v := range f.Metadata {
			meta[k] = v
		}
		ts, meta = edit(ts, meta)
		b, err := safetensors.Marshal(ts, meta)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	byName := func(ts []safetensors.Tensor, name string) int {
		for i, tn := range ts {
			if tn.Name == name {
				return i
			}
		}
		t.Fatalf("no %s", name)
		return -1
	}
	setF32 := func(name string, shape []int, v []float32) func([]safetensors.Tensor, map[string]string) ([]safetensors.Tensor, map[string]string) {
		return func(ts []safetensors.Tensor, meta map[string]string) ([]safetensors.Tensor, map[string]string) {
			ts[byName(ts, name)] = safetensors.F32(name, shape, v)
			if b, ok := strings.CutSuffix(name, ".weight"); ok {
				// The bias to match the weight's rows.
				ts[byName(ts, b+".bias")] = safetensors.F32(b+".bias", shape[:1], make([]float32, shape[0]))
			}
			return ts, meta
		}
	}
	drop := func(name string) func([]safetensors.Tensor, map[string]string) ([]safetensors.Tensor, map[string]string) {
		return func(ts []safetensors.Tensor, meta map[string]string) ([]safetensors.Tensor, map[string]string) {
			return slices.Delete(ts, byName(ts, name), byName(ts, name)+1), meta
		}
	}
	setMeta := func(k, v string) func([]safetensors.Tensor, map[string]string) ([]safetensors.Tensor, map[string]string) {
		return func(ts []safetensors.Tensor, meta map[string]string) ([]safetensors.Tensor, map[string]string) {
			meta[k] = v
			return ts, meta
		}
	}
	w0, _ := f.Tensors[0].Float32s()
	nan := slices.Clone(w0)
	nan[3] = float32(math.NaN())
	header := func(h string) []byte { // a hand-written header, 8 bytes of data
		b := binary.LittleEndian.AppendUint64(nil, uint64(len(h)))
		return append(append(b, h...), make([]byte, 8)...)
	}
	cases := map[string]struct {
		b    []byte
		want string
	}{
		"missing weight":       {rebuild(drop("z_h.2.weight")), `tensor "z_h.4.weight" has shape [4 5]: its 5 inputs do not match the 7 outputs of "z_h.0.weight"`},
		"missing named weight": {rebuild(drop("z_pi.weight")), `tensor "z_pi.bias" is not <layer>.<index>.weight`},
		"hidden shape chain":   {rebuild(setF32("z_h.2.weight", []int{5, 6}, make([]float32, 30))), `"z_h.2.weight" has shape [5 6]`},
		"bias shape":           {rebuild(setF32("z_h.0.bias", []int{6}, make([]float32, 6))), `"z_h.0.bias" has shape [6]`},
		"1-D weight":           {rebuild(setF32("z_h.0.weight", []int{21}, make([]float32, 21))), `"z_h.0.weight" has shape [21]`},
		"pi inputs":            {rebuild(setF32("z_pi.weight", []int{3, 5}, make([]float32, 15))), `"z_pi.weight" has shape [3 5]`},
		"mu not K·D":           {rebuild(setF32("z_mu.weight", []int{7, 4}, make([]float32, 28))), `"z_mu.weight" has shape [7 4]`},
		"sigma shape":          {rebuild(setF32("z_sigma.weight", []int{3, 4}, make([]float32, 12))), `"z_sigma.weight" has shape [3 4]`},
		"NaN weight":           {rebuild(setF32("z_h.0.weight", f.Tensors[0].Shape, nan)), `"z_h.0.weight": element 3 is NaN`},
		"unused tensor": {rebuild(func(ts []safetensors.Tensor, meta map[string]string) ([]safetensors.Tensor, map[string]string) {
			return append(ts, safetensors.F32("extra", []int{1}, []float32{1})), meta
		}), `"extra"`},
		"integer tensor": {rebuild(func(ts []safetensors.Tensor, meta map[string]string) ([]safetensors.Tensor, map[string]string) {
			ts[0].DType, ts[0].Shape = "I32", slices.Clone(ts[0].Shape)
			return ts, meta
		}), `"z_h.0.weight" has dtype I32`},
		"no tanh between": {rebuild(func(ts []safetensors.Tensor, meta map[string]string) ([]safetensors.Tensor, map[string]string) {
			i := byName(ts, "z_h.2.weight")
			ts[i].Name = "z_h.1.weight"
			ts[i+1].Name = "z_h.1.bias"
			return ts, meta
		}), `"z_h.1.weight" follows "z_h.0.weight" directly`},
		"relu":             {rebuild(setMeta("mdn.activation", "relu")), `mdn.activation = "relu"`},
		"softplus sigma":   {rebuild(setMeta("mdn.sigma", "softplus")), `mdn.sigma = "softplus"`},
		"k mismatch":       {rebuild(setMeta("mdn.k", "4")), `mdn.k = "4"`},
		"bad floor":        {rebuild(setMeta("mdn.sigma_floor", "-1")), `SigmaFloor`},
		"bad scaling mode": {rebuild(setMeta("mdn.scaling", "half")), `mdn.scaling = "half"`},
		"kept, no values":  {rebuild(setMeta("mdn.scaling", "kept")), `mdn.x_mean`},
		// A million means for three inputs: refused before decoding, within
		// the allocation bound below (decoded, 8 bytes a value from 2).
		"kept, long array": {rebuild(func(ts []safetensors.Tensor, meta map[string]string) ([]safetensors.Tensor, map[string]string) {
			meta["mdn.scaling"] = "kept"
			meta["mdn.x_mean"] = "[" + strings.Repeat("0,", 1<<20) + "0]"
			return ts, meta
		}), `mdn.x_mean: 1048577 values, want 3`},
		"bad columns": {rebuild(setMeta("mdn.x_columns", "[1]")), `mdn.x_columns`},
		"bad order":   {rebuild(setMeta("mdn.mu_order", "diagonal")), `mdn.mu_order = "diagonal"`},
		"two Sequentials": {rebuild(func(ts []safetensors.Tensor, meta map[string]string) ([]safetensors.Tensor, map[string]string) {
			i := byName(ts, "z_h.4.weight")
			ts[i].Name = "y_h.4.weight"
			ts[i+1].Name = "y_h.4.bias"
			return ts, meta
		}), `"y_h", "z_h"`},
		"no heads":             {header(`{"a.weight":{"dtype":"F32","shape":[2,1],"data_offsets":[0,8]}}`), `"a.weight"`},
		"duplicate names":      {header(`{"z_pi.weight":{"dtype":"F32","shape":[1,1],"data_offsets":[0,4]},"z_pi.weight":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`), `"z_pi.weight" appears twice`},
		"overlapping offsets":  {header(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`), `overlap`},
		"offsets out of range": {header(`{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}`), `run past`},
		"shape vs size":        {header(`{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}`), `needs 12 bytes`},
		"wrong dtype":          {header(`{"a":{"dtype":"float32","shape":[2],"data_offsets":[0,8]}}`), `unknown dtype "float32"`},
		"non-JSON header":      {header(`{"a": not json}`), `header byte`},
		"header past the end":  {append(binary.LittleEndian.AppendUint64(nil, 100), "{}"...), `runs past the end`},
		"header too long":      {append(binary.LittleEndian.AppendUint64(nil, 1<<40), "{}"...), `exceeds the limit`},
		"truncated":            {good[:len(good)-1], `run past`},
		"empty":                {nil, `too short`},
	}
	for name, c := range cases {
		var err error
		alloc := allocatedBytes(func() { _, err = ImportSafetensors(c.b, ImportOptions{}) })
		switch {
		case err == nil:
			t.Errorf("%s: imported", name)
		case !errors.Is(err, ErrFormat):
			t.Errorf("%s: error %v does not wrap ErrFormat", name, err)
		case !strings.Contains(err.Error(), c.want):
			t.Errorf("%s: error %q does not say %q", name, err, c.want)
		}
		if limit := safetensors.AllocBound(len(c.b)) + 4*uint64(len(c.b)); alloc > limit {
			t.Errorf("%s: allocated %d bytes for %d, bound %d", name, alloc, len(c.b), limit)
		}
	}
	// Every prefix of a valid file is an error.
	for n := range len(good) {
		if _, err := ImportSafetensors(good[:n], ImportOptions{}); !errors.Is(err, ErrFormat) {
			t.Fatalf("prefix of %d bytes: %v", n, err)
		}
	}
	if _, err := LoadSafetensors(filepath.Join(t.TempDir(), "none"), ImportOptions{}); err == nil {
		t.Fatal("LoadSafetensors of a missing file succeeded")
	}
}

func allocatedBytes(f func()) uint64 {
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	f()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

// TestTorchLoadsExport exports models (folded scaling, both layouts) and
// has PyTorch load each file into the matching module with strict
// load_state_dict (scripts/torchfixture check), run it and write its
// outputs, which must equal this package's predictions within the bounds
// of TestImportTorchFixtures. It needs /usr/bin/python3 with torch, which
// CI does not have: there it says so in one line and skips.
func TestTorchLoadsExport(t *testing.T) {
	py := "/usr/bin/python3"
	if out, err := exec.Command(py, "-c", "import torch").CombinedOutput(); err != nil {
		t.Skipf("SKIP: no PyTorch (%s -c 'import torch': %v %s): the export is not loaded into PyTorch here", py, err, bytes.TrimSpace(out))
	}
	if testing.Short() {
		t.Skip("SKIP: -short: PyTorch takes seconds to start")
	}
	dir := t.TempDir()
	script, _ := filepath.Abs(filepath.Join("..", "scripts", "torchfixture", "torchfixture.py"))
	type run struct {
		name    string
		m       *Model
		x, y    []float32
		outPath string
	}
	var runs []run
	args := []string{script, "check"}
	models := exportModels(t)
	for _, name := range slices.Sorted(maps.Keys(models)) {
		m := models[name]
		cfg := m.Config()
		for _, layout := range []string{"seed", "heads"} {
			if layout == "heads" && (cfg.K == 0 || name != "deep") {
				continue
			}
			names := SeedNames(cfg)
			if layout == "heads" {
				names = HeadNames(cfg)
			}
			id := name + "-" + layout
			model := filepath.Join(dir, id+".safetensors")
			if err := m.SaveSafetensors(model, ExportOptions{Names: &names}); err != nil {
				t.Fatal(err)
			}
			r := newRand(9)
			n := 40
			x := make([]float32, n*cfg.In)
			y := make([]float32, n*cfg.Out)
			s, scaled := m.Scaling()
			for i := range x {
				x[i] = float32(2 * r.NormFloat64())
				if scaled {
					x[i] = float32(s.XMean[i%cfg.In] + s.XStd[i%cfg.In]*float64(x[i]))
				}
			}
			for i := range y {
				y[i] = float32(r.NormFloat64())
				if scaled {
					y[i] = float32(s.YMean[i%cfg.Out] + s.YStd[i%cfg.Out]*float64(y[i]))
				}
			}
			in, _ := safetensors.Marshal([]safetensors.Tensor{safetensors.F32("x", []int{n, cfg.In}, x), safetensors.F32("y", []int{n, cfg.Out}, y)}, nil)
			inPath, outPath := filepath.Join(dir, id+".in.safetensors"), filepath.Join(dir, id+".out.safetensors")
			if err := os.WriteFile(inPath, in, 0o644); err != nil {
				t.Fatal(err)
			}
			runs = append(runs, run{id, m, x, y, outPath})
			args = append(args, model, inPath, outPath)
		}
	}
	if out, err := exec.Command(py, args...).CombinedOutput(); err != nil {
		t.Fatalf("torchfixture check: %v\n%s", err, out)
	}
	for _, r := range runs {
		ref := readTensors(t, r.outPath)
		cfg := r.m.Config()
		s, scaled := r.m.Scaling()
		cmp := func(what string, got, torch []float32, tol float64) {
			t.Helper()
			if scaled {
				tol = foldTol(s)
			}
			d := maxDiff(got, torch)
			t.Logf("%s, %s: PyTorch vs mdnsimd %.2g (bound %.2g)", r.name, what, d, tol)
			if len(got) != len(torch) || d > tol {
				t.Errorf("%s: %s differs from PyTorch's by %.3g, bound %g", r.name, what, d, tol)
			}
		}
		if cfg.K == 0 {
			out, _ := r.m.Predict(r.x)
			cmp("out", out, ref["out"], torchTolMixture)
			continue
		}
		mix, _ := r.m.Mixture(r.x)
		cmp("π", mix.Pi, ref["pi"], torchTolMixture)
		cmp("μ", mix.Mu, ref["mu"], torchTolMixture)
		if cfg.SigmaFloor > 0 {
			continue // PyTorch's module has no σ floor: π and μ only
		}
		ll, _ := r.m.LogLik(r.x, r.y)
		for i := range ll {
			ll[i] = -ll[i]
		}
		cmp("σ", mix.Sigma, ref["sigma"], torchTolMixture)
		cmp("NLL", ll, ref["nll"], torchTolNLL)
	}
}

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 15)) }

// TestInteropOptions: the options' text forms and Validate.
func TestInteropOptions(t *testing.T) {
	for _, o := range []MeanOrder{OrderAuto, ComponentMajor, DimensionMajor} {
		b, _ := o.MarshalText()
		var back MeanOrder
		if err := back.UnmarshalText(b); err != nil || back != o {
			t.Errorf("MeanOrder %v: text %q reads back as %v (%v)", o, b, back, err)
		}
	}
	for _, s := range []ScalingMode{FoldScaling, KeepScaling} {
		b, _ := s.MarshalText()
		var back ScalingMode
		if err := back.UnmarshalText(b); err != nil || back != s {
			t.Errorf("ScalingMode %v: text %q reads back as %v (%v)", s, b, back, err)
		}
	}
	var o MeanOrder
	var s ScalingMode
	if o.UnmarshalText([]byte("diagonal")) == nil || s.UnmarshalText([]byte("drop")) == nil {
		t.Error("unknown text forms accepted")
	}
	m, _ := New(seedCfg, 1)
	var oe *OptionError
	for name, err := range map[string]error{
		"MeanOrder 7":     ImportOptions{MeanOrder: 7}.Validate(),
		"import names":    ImportOptions{Names: &NameMap{Pi: "p"}}.Validate(),
		"Scaling 2":       ExportOptions{Scaling: 2}.Validate(),
		"export names":    ExportOptions{Names: &NameMap{Hidden: []string{"h.*"}, Out: "o"}}.Validate(),
		"import":          func() error { _, err := ImportSafetensors(nil, ImportOptions{MeanOrder: -1}); return err }(),
		"export":          func() error { _, err := m.MarshalSafetensors(ExportOptions{Scaling: 5}); return err }(),
		"load":            func() error { _, err := LoadSafetensors("none", ImportOptions{MeanOrder: 3}); return err }(),
		"names both ways": ExportOptions{Names: &NameMap{Pi: "p", Mu: "m", Sigma: "s", Out: "o"}}.Validate(),
	} {
		if !errors.As(err, &oe) {
			t.Errorf("%s: error %v is not an *OptionError", name, err)
		}
	}
	if (ImportOptions{}).Validate() != nil || (ExportOptions{Scaling: KeepScaling}).Validate() != nil {
		t.Error("valid options refused")
	}
}

// TestExportRefuses: what an export cannot write faithfully is an error,
// not a file that imports differently: a column name that is not UTF-8
// (JSON would replace its bytes); and ExportOptions.Validate reports the
// name maps MarshalSafetensors always refuses.
func TestExportRefuses(t *testing.T) {
	m, _ := New(Config{In: 1, Out: 1, Hidden: []int{3}, K: 2}, 1)
	if err := m.SetColumns([]string{"temp\xe9rature"}, []string{"y"}); err != nil {
		t.Fatal(err)
	}
	if _, err := m.MarshalSafetensors(ExportOptions{}); err == nil || !strings.Contains(err.Error(), "not valid UTF-8") {
		t.Errorf("export of a Latin-1 column name: %v", err)
	}
	// Folding a scaling whose YStd takes a head weight past float32.
	m, _ = New(Config{In: 1, Out: 1, Hidden: []int{3}, K: 2}, 1)
	if err := m.SetScaling(Scaling{XMean: []float64{0}, XStd: []float64{1}, YMean: []float64{0}, YStd: []float64{1e38}}); err != nil {
		t.Fatal(err)
	}
	p := m.Params()
	for i := range p {
		p[i] = 10
	}
	m.SetParams(p)
	if _, err := m.MarshalSafetensors(ExportOptions{Scaling: FoldScaling}); err == nil || !strings.Contains(err.Error(), "KeepScaling") {
		t.Errorf("folding YStd 1e38 into weights of 10: %v", err)
	}
	if _, err := m.MarshalSafetensors(ExportOptions{Scaling: KeepScaling}); err != nil {
		t.Errorf("the same model with its scaling kept: %v", err)
	}
	for _, c := range []struct {
		names NameMap
		want  string
	}{
		{NameMap{Hidden: []string{"a"}, Pi: "x", Mu: "x", Sigma: "s"}, `"x" twice`},
		{NameMap{Hidden: []string{"a", "a"}, Out: "o"}, `"a" twice`},
		{NameMap{Hidden: []string{"h"}, Pi: "p\xff", Mu: "m", Sigma: "s"}, "valid UTF-8"},
	} {
		o := ExportOptions{Names: &c.names}
		err := o.Validate()
		var oe *OptionError
		if !errors.As(err, &oe) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Validate of %v: %v, want an *OptionError saying %s", c.names, err, c.want)
		}
	}
}
