package mdn

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/mdnsimd/mdnsimd/internal/atomicfile"
	"github.com/mdnsimd/mdnsimd/internal/safetensors"
)

// NameMap says which tensors of a PyTorch state dict hold which layer:
// each entry is a layer's prefix, whose tensors are "<prefix>.weight" and
// "<prefix>.bias".
//
// The network this package imports and exports is, in PyTorch terms:
//
//	hidden = nn.Sequential(nn.Linear(In, H1), nn.Tanh(), nn.Linear(H1, H2), nn.Tanh(), ...)
//	pi     = nn.Linear(H, K)       π = softmax(pi(h))
//	mu     = nn.Linear(H, K·D)     μ = mu(h).view(-1, K, D)   (component-major: row k·D+d)
//	sigma  = nn.Linear(H, K·D)     σ = exp(sigma(h)).view(-1, K, D)
//
// (h the last hidden layer's output, or the input with no hidden layer),
// or, for a plain network (K = 0), the hidden layers and one nn.Linear(H, D)
// output. Every hidden nn.Linear is followed by nn.Tanh. The weights are
// those of the state dict: "<layer>.weight" of shape [out, in] and
// "<layer>.bias" of shape [out] (a missing bias is zero). A μ or σ head may
// also be stored as a [K, D, H] weight with a [K, D] bias; a [K·D, H] one
// is read component-major (rows k·D+d) unless ImportOptions.MeanOrder or
// the file's metadata says otherwise.
//
// A state dict cannot say which activations the module applies. The
// import checks what it can: shapes that chain into such a network, every
// tensor used, a gap (a module without parameters, which must be the
// tanh) between consecutive Linear layers of an nn.Sequential, and the
// metadata keys below when present; it relies on the module's code for
// the rest.
//
// Metadata ("__metadata__", all optional on import, written on export):
//
//	mdn.activation  "tanh"      the hidden layers' activation (anything else is refused)
//	mdn.pi          "softmax"   how π comes from the pi head
//	mdn.sigma       "exp"       how σ comes from the sigma head
//	mdn.mu_order    "component-major" (row k·D+d) or "dimension-major" (row d·K+k)
//	mdn.k, mdn.d    K and D, checked against the shapes
//	mdn.sigma_floor Config.SigmaFloor (PyTorch does not apply it)
//	mdn.scaling     "none", "folded" (into the weights) or "kept", with
//	                mdn.x_mean, mdn.x_std, mdn.y_mean, mdn.y_std as JSON arrays
//	mdn.x_columns, mdn.y_columns   the training columns, JSON arrays of strings
type NameMap struct {
	// Hidden lists the hidden nn.Linear layers in order. An entry "P.*"
	// stands for every layer P.0, P.1, ... of an nn.Sequential P that the
	// file holds, in index order.
	Hidden []string
	// Pi, Mu and Sigma are the heads of a mixture model.
	Pi, Mu, Sigma string
	// Out is the output layer of a plain network (K = 0).
	Out string
}

// SeedNames returns the seed module's names for a network of cfg's shape:
// hidden layers z_h.0, z_h.2, ... (one nn.Sequential with an nn.Tanh after
// each Linear) and heads z_pi, z_mu, z_sigma. A plain network is one
// nn.Sequential at the top level: layers 0, 2, ..., the last the output.
func SeedNames(cfg Config) NameMap {
	var n NameMap
	if cfg.K == 0 {
		for i := range cfg.Hidden {
			n.Hidden = append(n.Hidden, strconv.Itoa(2*i))
		}
		n.Out = strconv.Itoa(2 * len(cfg.Hidden))
		return n
	}
	for i := range cfg.Hidden {
		n.Hidden = append(n.Hidden, "z_h."+strconv.Itoa(2*i))
	}
	n.Pi, n.Mu, n.Sigma = "z_pi", "z_mu", "z_sigma"
	return n
}

// HeadNames returns names with the hidden layers in an nn.Sequential
// called hidden (hidden.0, hidden.2, ...) and heads pi, mu and sigma (a
// plain network's output: out).
func HeadNames(cfg Config) NameMap {
	var n NameMap
	for i := range cfg.Hidden {
		n.Hidden = append(n.Hidden, "hidden."+strconv.Itoa(2*i))
	}
	if cfg.K == 0 {
		n.Out = "out"
	} else {
		n.Pi, n.Mu, n.Sigma = "pi", "mu", "sigma"
	}
	return n
}

// ParseNameMap parses a name map written as
//
//	hidden=z_h.0,z_h.2;pi=z_pi;mu=z_mu;sigma=z_sigma
//	hidden=body.*;out=head
//
// (keys hidden, pi, mu, sigma, out; entries separated by ';', hidden's
// layers by ','; hidden may be empty or left out for a network without
// hidden layers).
func ParseNameMap(s string) (NameMap, error) {
	var n NameMap
	seen := map[string]bool{}
	for _, part := range strings.Split(s, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok {
			return n, fmt.Errorf("mdn: name map entry %q: want key=value", part)
		}
		if seen[k] {
			return n, fmt.Errorf("mdn: name map: %s given twice", k)
		}
		seen[k] = true
		switch k {
		case "hidden":
			if v == "" {
				continue
			}
			for _, h := range strings.Split(v, ",") {
				if h = strings.TrimSpace(h); h == "" {
					return n, fmt.Errorf("mdn: name map: empty hidden layer name in %q", v)
				}
				n.Hidden = append(n.Hidden, h)
			}
		case "pi", "mu", "sigma", "out":
			if v == "" {
				return n, fmt.Errorf("mdn: name map: %s is empty", k)
			}
			*map[string]*string{"pi": &n.Pi, "mu": &n.Mu, "sigma": &n.Sigma, "out": &n.Out}[k] = v
		default:
			return n, fmt.Errorf("mdn: name map: unknown key %q (want hidden, pi, mu, sigma or out)", k)
		}
	}
	if want := n.check(); want != "" {
		return n, fmt.Errorf("mdn: name map %q: want %s", s, want)
	}
	return n, nil
}

// String formats the map as ParseNameMap reads it.
func (n NameMap) String() string {
	s := "hidden=" + strings.Join(n.Hidden, ",")
	if n.Out != "" {
		return s + ";out=" + n.Out
	}
	return s + ";pi=" + n.Pi + ";mu=" + n.Mu + ";sigma=" + n.Sigma
}

// check returns what a map lacks ("" if nothing): pi, mu and sigma, or out.
func (n NameMap) check() string {
	heads := n.Pi != "" || n.Mu != "" || n.Sigma != ""
	switch {
	case heads && n.Out != "":
		return "mixture heads (pi, mu, sigma) or a plain output (out), not both"
	case heads && (n.Pi == "" || n.Mu == "" || n.Sigma == ""):
		return "all of pi, mu and sigma for a mixture"
	case !heads && n.Out == "":
		return "an output: pi, mu and sigma, or out"
	}
	return ""
}

// MeanOrder is the order of the K·D rows of a two-dimensional μ or σ head.
type MeanOrder int

const (
	// OrderAuto takes the order from the file's metadata (mdn.mu_order),
	// else component-major.
	OrderAuto MeanOrder = iota
	// ComponentMajor: row k·D+d holds component k, dimension d (PyTorch's
	// mu(h).view(-1, K, D)); this package's own layout.
	ComponentMajor
	// DimensionMajor: row d·K+k holds component k, dimension d
	// (mu(h).view(-1, D, K)).
	DimensionMajor
)

// ImportOptions controls ImportSafetensors.
type ImportOptions struct {
	// Names maps tensors to layers; nil chooses a map automatically: heads
	// z_pi/z_mu/z_sigma (the seed's module) or pi/mu/sigma, with the
	// hidden layers of the one nn.Sequential whose Linear layers the other
	// tensors are; or a plain network's output out (HeadNames), with
	// hidden layers the same way; or, with neither, a plain network whose
	// layers are one nn.Sequential, the last Linear its output.
	Names *NameMap
	// MeanOrder orders a two-dimensional μ or σ head's rows.
	MeanOrder MeanOrder
}

// ScalingMode says what an export does with a model's Scaling.
type ScalingMode int

const (
	// FoldScaling folds the standardisation into the weights: the first
	// layer takes raw inputs (W/std, b − W·mean/std), the μ head gives raw
	// targets (std·W, mean + std·b) and the σ head's bias gains log std.
	// The exported module then needs no preprocessing; the folded
	// weights carry float32 rounding of about |mean|/std·2⁻²⁴ relative to
	// a layer's pre-activation.
	FoldScaling ScalingMode = iota
	// KeepScaling writes the weights as they are (for standardised
	// inputs and targets) and the scaling in the metadata, which Import
	// restores exactly.
	KeepScaling
)

// ExportOptions controls MarshalSafetensors.
type ExportOptions struct {
	Names   *NameMap // nil: SeedNames
	Scaling ScalingMode
}

// maxSafetensorsFile bounds the file LoadSafetensors reads: every
// parameter as float64, and the largest header.
const maxSafetensorsFile = 8*maxParams + safetensors.MaxHeader + 8

// LoadSafetensors imports the network in a safetensors file (see
// ImportSafetensors).
func LoadSafetensors(path string, o ImportOptions) (*Model, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("mdn: import: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxSafetensorsFile+1))
	if err != nil {
		return nil, fmt.Errorf("mdn: import: %w", err)
	}
	if int64(len(data)) > maxSafetensorsFile {
		return nil, fmt.Errorf("%s: %w: more than %d bytes", path, ErrFormat, int64(maxSafetensorsFile))
	}
	m, err := ImportSafetensors(data, o)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// ImportSafetensors builds a model from a PyTorch state dict in
// safetensors format (the network NameMap describes): F32,
// F64 (rounded once to float32), F16 and BF16 tensors. The model has no
// optimizer state and no epochs; it has the scaling, σ floor and columns
// the metadata records (an mdnsimd export), else none. A malformed file,
// names that do not resolve, shapes that do not form such a network, an
// unused tensor or a non-finite value is an error wrapping ErrFormat that
// names the tensor.
func ImportSafetensors(data []byte, o ImportOptions) (*Model, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	f, err := safetensors.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFormat, err)
	}
	m, err := importFile(f, o)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	return m, nil
}

// importLayer is one linear layer found in the file.
type importLayer struct {
	prefix  string
	w, b    safetensors.Tensor
	hasBias bool
	out, in int
	k, d    int // for a [K, D, H] head
}

func importFile(f *safetensors.File, o ImportOptions) (*Model, error) {
	meta := f.Metadata
	for key, want := range map[string]string{"mdn.activation": "tanh", "mdn.pi": "softmax", "mdn.sigma": "exp"} {
		if v, ok := meta[key]; ok && v != want {
			return nil, fmt.Errorf("metadata %s = %q: this package's networks have %s = %q", key, v, key, want)
		}
	}
	var names NameMap
	if o.Names != nil {
		names = *o.Names
		names.Hidden = slices.Clone(names.Hidden)
	} else {
		var err error
		if names, err = autoNames(f); err != nil {
			return nil, err
		}
	}
	hidden, err := expandHidden(f, names.Hidden)
	if err != nil {
		return nil, err
	}

	used := map[string]bool{}
	find := func(prefix string, role string, allow3 bool) (importLayer, error) {
		l := importLayer{prefix: prefix}
		w, ok := f.Tensor(prefix + ".weight")
		if !ok {
			return l, fmt.Errorf("no tensor %q (the %s layer's weight)", prefix+".weight", role)
		}
		used[w.Name] = true
		l.w = w
		switch {
		case len(w.Shape) == 2:
			l.out, l.in = w.Shape[0], w.Shape[1]
		case len(w.Shape) == 3 && allow3:
			l.k, l.d, l.in = w.Shape[0], w.Shape[1], w.Shape[2]
			l.out = l.k * l.d
		default:
			return l, fmt.Errorf("tensor %q has shape %v; the %s layer's weight must be [out, in]", w.Name, w.Shape, role)
		}
		if b, ok := f.Tensor(prefix + ".bias"); ok {
			used[b.Name] = true
			l.b, l.hasBias = b, true
			if l.k > 0 {
				if !slices.Equal(b.Shape, []int{l.k, l.d}) && !slices.Equal(b.Shape, []int{l.out}) {
					return l, fmt.Errorf("tensor %q has shape %v; with weight %v it must be [%d, %d] or [%d]", b.Name, b.Shape, w.Shape, l.k, l.d, l.out)
				}
			} else if !slices.Equal(b.Shape, []int{l.out}) {
				return l, fmt.Errorf("tensor %q has shape %v; with weight %v it must be [%d]", b.Name, b.Shape, w.Shape, l.out)
			}
		}
		if l.out < 1 || l.in < 1 {
			return l, fmt.Errorf("tensor %q has shape %v: an empty layer", w.Name, w.Shape)
		}
		return l, nil
	}

	var hl []importLayer
	for i, p := range hidden {
		l, err := find(p, fmt.Sprintf("hidden %d", i+1), false)
		if err != nil {
			return nil, err
		}
		if i > 0 && l.in != hl[i-1].out {
			return nil, fmt.Errorf("tensor %q has shape %v: its %d inputs do not match the %d outputs of %q", l.w.Name, l.w.Shape, l.in, hl[i-1].out, hl[i-1].w.Name)
		}
		hl = append(hl, l)
	}
	var cfg Config
	var heads []importLayer
	if names.Out != "" {
		l, err := find(names.Out, "output", false)
		if err != nil {
			return nil, err
		}
		heads = []importLayer{l}
		cfg.Out = l.out
	} else {
		for _, h := range []struct{ p, role string }{{names.Pi, "pi"}, {names.Mu, "mu"}, {names.Sigma, "sigma"}} {
			l, err := find(h.p, h.role, h.role != "pi")
			if err != nil {
				return nil, err
			}
			heads = append(heads, l)
		}
		pi, mu, sg := heads[0], heads[1], heads[2]
		cfg.K = pi.out
		switch {
		case mu.k > 0 && mu.k != cfg.K:
			return nil, fmt.Errorf("tensor %q has shape %v: %d components, but %q has %d", mu.w.Name, mu.w.Shape, mu.k, pi.w.Name, cfg.K)
		case mu.out%cfg.K != 0:
			return nil, fmt.Errorf("tensor %q has shape %v: %d outputs are not K·D for the K = %d components of %q", mu.w.Name, mu.w.Shape, mu.out, cfg.K, pi.w.Name)
		case !slices.Equal(sg.w.Shape, mu.w.Shape):
			return nil, fmt.Errorf("tensor %q has shape %v; it must have the shape of %q, %v", sg.w.Name, sg.w.Shape, mu.w.Name, mu.w.Shape)
		}
		cfg.Out = mu.out / cfg.K
	}
	for _, l := range heads {
		want := 0
		switch {
		case len(hl) > 0:
			want = hl[len(hl)-1].out
		default:
			want = heads[0].in
		}
		if l.in != want {
			from := "the other heads"
			if len(hl) > 0 {
				from = fmt.Sprintf("the %d outputs of %q", want, hl[len(hl)-1].w.Name)
			}
			return nil, fmt.Errorf("tensor %q has shape %v: its %d inputs do not match %s", l.w.Name, l.w.Shape, l.in, from)
		}
	}
	if len(hl) > 0 {
		cfg.In = hl[0].in
	} else {
		cfg.In = heads[0].in
	}
	for _, l := range hl {
		cfg.Hidden = append(cfg.Hidden, l.out)
	}
	for _, t := range f.Tensors {
		if !used[t.Name] {
			return nil, fmt.Errorf("tensor %q is not part of the network (layers used: %s)", t.Name, NameMap{Hidden: hidden, Pi: names.Pi, Mu: names.Mu, Sigma: names.Sigma, Out: names.Out})
		}
	}
	for key, want := range map[string]int{"mdn.k": cfg.K, "mdn.d": cfg.Out} {
		if v, ok := meta[key]; ok && v != strconv.Itoa(want) {
			return nil, fmt.Errorf("metadata %s = %q, but the tensors give %d", key, v, want)
		}
	}
	if v, ok := meta["mdn.sigma_floor"]; ok {
		if cfg.SigmaFloor, err = strconv.ParseFloat(v, 64); err != nil {
			return nil, fmt.Errorf("metadata mdn.sigma_floor = %q is not a number", v)
		}
	}
	if _, err := cfg.validate(); err != nil {
		return nil, err
	}
	order := o.MeanOrder
	if v, ok := meta["mdn.mu_order"]; ok {
		var fileOrder MeanOrder
		switch v {
		case "component-major":
			fileOrder = ComponentMajor
		case "dimension-major":
			fileOrder = DimensionMajor
		default:
			return nil, fmt.Errorf("metadata mdn.mu_order = %q: want component-major or dimension-major", v)
		}
		if order != OrderAuto && order != fileOrder {
			return nil, fmt.Errorf("metadata mdn.mu_order = %q, but the import options ask for the other order", v)
		}
		order = fileOrder
	}

	m, err := newModel(cfg)
	if err != nil {
		return nil, err
	}
	values := func(t safetensors.Tensor) ([]float32, error) {
		v, err := t.Float32s()
		if err != nil {
			return nil, err
		}
		for i, x := range v {
			if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
				return nil, fmt.Errorf("tensor %q: element %d is %v (as float32)", t.Name, i, x)
			}
		}
		return v, nil
	}
	// put copies layer l's weights and bias into rows [row, row+l.out) of
	// model layer ml, row r of l going to row row+perm(r).
	put := func(ml layer, row int, l importLayer, perm func(int) int) error {
		w, err := values(l.w)
		if err != nil {
			return err
		}
		var b []float32
		if l.hasBias {
			if b, err = values(l.b); err != nil {
				return err
			}
		}
		for r := range l.out {
			dst := row + perm(r)
			copy(m.params[ml.w+dst*ml.in:ml.w+(dst+1)*ml.in], w[r*l.in:(r+1)*l.in])
			if b != nil {
				m.params[ml.b+dst] = b[r]
			}
		}
		return nil
	}
	same := func(r int) int { return r }
	for i, l := range hl {
		if err := put(m.layers[i], 0, l, same); err != nil {
			return nil, err
		}
	}
	head := m.layers[len(m.layers)-1]
	if cfg.K == 0 {
		if err := put(head, 0, heads[0], same); err != nil {
			return nil, err
		}
	} else {
		k, d := cfg.K, cfg.Out
		if err := put(head, 0, heads[0], same); err != nil {
			return nil, err
		}
		for j, l := range heads[1:] {
			perm := same
			if l.k == 0 && order == DimensionMajor {
				perm = func(r int) int { return (r%k)*d + r/k } // row d·K+k → k·D+d
			}
			if err := put(head, k+j*k*d, l, perm); err != nil {
				return nil, err
			}
		}
	}
	if err := importExtras(m, meta); err != nil {
		return nil, err
	}
	return m, nil
}

// importExtras restores the scaling and the columns an mdnsimd export
// recorded in the metadata.
func importExtras(m *Model, meta map[string]string) error {
	floats := func(key string, want int) ([]float64, error) {
		// An array of numbers has a comma between each two: counted
		// first, so that a long array is refused before it is decoded
		// (into 8 bytes a value, from as few as 2 bytes of text).
		s := meta[key]
		if n := strings.Count(s, ",") + 1; n > want {
			return nil, fmt.Errorf("metadata %s: %d values, want %d", key, n, want)
		}
		var v []float64
		if err := json.Unmarshal([]byte(s), &v); err != nil {
			return nil, fmt.Errorf("metadata %s = %q: want a JSON array of numbers", key, s)
		}
		return v, nil
	}
	switch s := meta["mdn.scaling"]; s {
	case "", "none", "folded":
	case "kept":
		var sc Scaling
		var err error
		in, out := m.cfg.In, m.cfg.Out
		for _, p := range []struct {
			key  string
			want int
			dst  *[]float64
		}{{"mdn.x_mean", in, &sc.XMean}, {"mdn.x_std", in, &sc.XStd}, {"mdn.y_mean", out, &sc.YMean}, {"mdn.y_std", out, &sc.YStd}} {
			if *p.dst, err = floats(p.key, p.want); err != nil {
				return err
			}
		}
		if err := m.SetScaling(sc); err != nil {
			return fmt.Errorf("metadata mdn.scaling: %v", err)
		}
	default:
		return fmt.Errorf("metadata mdn.scaling = %q: want none, folded or kept", s)
	}
	xs, hx := meta["mdn.x_columns"]
	ys, hy := meta["mdn.y_columns"]
	if hx || hy {
		var x, y []string
		if json.Unmarshal([]byte(xs), &x) != nil || json.Unmarshal([]byte(ys), &y) != nil {
			return fmt.Errorf("metadata mdn.x_columns = %q, mdn.y_columns = %q: want JSON arrays of strings", xs, ys)
		}
		if err := m.SetColumns(x, y); err != nil {
			return fmt.Errorf("metadata columns: %v", err)
		}
	}
	return nil
}

// autoNames chooses a name map for f: mixture heads by their names, and
// the hidden layers as the one nn.Sequential the other tensors belong to.
func autoNames(f *safetensors.File) (NameMap, error) {
	has := func(p string) bool { _, ok := f.Tensor(p + ".weight"); return ok }
	var n NameMap
	switch {
	case has("z_pi") && has("z_mu") && has("z_sigma"):
		n.Pi, n.Mu, n.Sigma = "z_pi", "z_mu", "z_sigma"
	case has("pi") && has("mu") && has("sigma"):
		n.Pi, n.Mu, n.Sigma = "pi", "mu", "sigma"
	case has("out"):
		n.Out = "out" // a plain network with HeadNames' names
	}
	// The other tensors must be "P.<index>.weight/bias" of one P.
	prefixes := map[string]bool{}
	for _, t := range f.Tensors {
		if p, _, ok := strings.Cut(t.Name, "."); ok && p != "" && (p == n.Pi || p == n.Mu || p == n.Sigma || p == n.Out) && (t.Name == p+".weight" || t.Name == p+".bias") {
			continue
		}
		seq, _, ok := seqLayer(t.Name)
		if !ok {
			if n.Pi == "" {
				return n, fmt.Errorf("cannot tell the layers apart: tensor %q is not <layer>.<index>.weight or .bias of an nn.Sequential, and there are no pi, mu and sigma (or z_pi, z_mu and z_sigma) heads; give a name map", t.Name)
			}
			return n, fmt.Errorf("tensor %q is neither a head (%s, %s, %s) nor part of an nn.Sequential of hidden layers; give a name map", t.Name, n.Pi, n.Mu, n.Sigma)
		}
		prefixes[seq] = true
	}
	if len(prefixes) > 1 {
		var ps []string
		for p := range prefixes {
			ps = append(ps, strconv.Quote(p))
		}
		sort.Strings(ps)
		return n, fmt.Errorf("the hidden layers could be in any of the nn.Sequential modules %s; give a name map", strings.Join(ps, ", "))
	}
	for p := range prefixes {
		n.Hidden = []string{seqPattern(p)}
	}
	if n.Pi != "" || n.Out != "" {
		return n, nil
	}
	// A plain network: the sequence's last Linear is its output.
	if len(n.Hidden) == 0 {
		return n, errors.New("no tensors")
	}
	layers, err := expandHidden(f, n.Hidden)
	if err != nil {
		return n, err
	}
	n.Hidden, n.Out = layers[:len(layers)-1], layers[len(layers)-1]
	return n, nil
}

// seqLayer splits "P.<i>.weight" or "P.<i>.bias" (P may be empty: "<i>.weight")
// into P and i.
func seqLayer(name string) (seq string, index int, ok bool) {
	rest, ok1 := strings.CutSuffix(name, ".weight")
	if !ok1 {
		if rest, ok1 = strings.CutSuffix(name, ".bias"); !ok1 {
			return "", 0, false
		}
	}
	idx := rest
	if dot := strings.LastIndexByte(rest, '.'); dot >= 0 {
		seq, idx = rest[:dot], rest[dot+1:]
		if seq == "" {
			return "", 0, false
		}
	}
	i, err := strconv.Atoi(idx)
	if err != nil || i < 0 || strconv.Itoa(i) != idx {
		return "", 0, false
	}
	return seq, i, true
}

func seqPattern(seq string) string {
	if seq == "" {
		return "*"
	}
	return seq + ".*"
}

// expandHidden replaces each "P.*" (or "*", the top level) by the Linear
// layers P.0, P.1, ... the file holds, in index order. Consecutive layers
// of one nn.Sequential must have a module without parameters (the tanh)
// between them.
func expandHidden(f *safetensors.File, hidden []string) ([]string, error) {
	var out []string
	for _, h := range hidden {
		var seq string
		switch {
		case h == "*":
		case strings.HasSuffix(h, ".*"):
			seq = strings.TrimSuffix(h, ".*")
		default:
			out = append(out, h)
			continue
		}
		var idx []int
		for _, t := range f.Tensors {
			if s, i, ok := seqLayer(t.Name); ok && s == seq && strings.HasSuffix(t.Name, ".weight") {
				idx = append(idx, i)
			}
		}
		slices.Sort(idx)
		for j, i := range idx {
			p := strconv.Itoa(i)
			if seq != "" {
				p = seq + "." + p
			}
			if j > 0 && i == idx[j-1]+1 {
				return nil, fmt.Errorf("tensor %q follows %q directly in the nn.Sequential: a hidden nn.Linear must be followed by nn.Tanh", p+".weight", out[len(out)-1]+".weight")
			}
			out = append(out, p)
		}
	}
	return out, nil
}

// MarshalSafetensors encodes the model's network as a PyTorch state dict
// in safetensors format, float32, named by o.Names (SeedNames by default),
// with the metadata NameMap describes.
// A model with a Scaling is folded into the weights or kept in the
// metadata (o.Scaling). The optimizer state and epoch count are not
// exported.
func (m *Model) MarshalSafetensors(o ExportOptions) ([]byte, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	cfg := m.cfg
	names := SeedNames(cfg)
	if o.Names != nil {
		names = *o.Names
		if len(names.Hidden) != len(cfg.Hidden) {
			return nil, fmt.Errorf("mdn: export: the name map has %d hidden layers, the model %d", len(names.Hidden), len(cfg.Hidden))
		}
		if (cfg.K == 0) != (names.Out != "") {
			return nil, errors.New("mdn: export: a mixture model needs pi, mu and sigma names, a plain network out")
		}
	}
	meta := map[string]string{
		"format":         "pt",
		"mdn.activation": "tanh",
		"mdn.k":          strconv.Itoa(cfg.K),
		"mdn.d":          strconv.Itoa(cfg.Out),
		"mdn.scaling":    "none",
	}
	if cfg.K > 0 {
		meta["mdn.pi"], meta["mdn.sigma"], meta["mdn.mu_order"] = "softmax", "exp", "component-major"
	}
	if cfg.SigmaFloor > 0 {
		meta["mdn.sigma_floor"] = strconv.FormatFloat(cfg.SigmaFloor, 'g', -1, 64)
	}
	if m.xCols != nil {
		// JSON would replace the bytes of a name that is not UTF-8 (from
		// a Latin-1 CSV header, say), and the import would not give the
		// same names back.
		for _, c := range append(slices.Clone(m.xCols), m.yCols...) {
			if !utf8.ValidString(c) {
				return nil, fmt.Errorf("mdn: column name %q is not valid UTF-8, which safetensors metadata (JSON) cannot carry; rename the columns (SetColumns)", c)
			}
		}
		x, _ := json.Marshal(m.xCols)
		y, _ := json.Marshal(m.yCols)
		meta["mdn.x_columns"], meta["mdn.y_columns"] = string(x), string(y)
	}
	params := m.params
	if u := m.units; u != nil {
		switch o.Scaling {
		case FoldScaling:
			var err error
			if params, err = m.foldedParams(); err != nil {
				return nil, err
			}
			meta["mdn.scaling"] = "folded"
		case KeepScaling:
			meta["mdn.scaling"] = "kept"
			for key, v := range map[string][]float64{"mdn.x_mean": u.s.XMean, "mdn.x_std": u.s.XStd, "mdn.y_mean": u.s.YMean, "mdn.y_std": u.s.YStd} {
				parts := make([]string, len(v))
				for i, x := range v {
					parts[i] = strconv.FormatFloat(x, 'g', -1, 64)
				}
				meta[key] = "[" + strings.Join(parts, ",") + "]"
			}
		}
	}
	var ts []safetensors.Tensor
	// add exports rows [row, row+n) of model layer l as one nn.Linear.
	add := func(prefix string, l layer, row, n int) {
		w := params[l.w+row*l.in : l.w+(row+n)*l.in]
		b := params[l.b+row : l.b+row+n]
		ts = append(ts, safetensors.F32(prefix+".weight", []int{n, l.in}, w), safetensors.F32(prefix+".bias", []int{n}, b))
	}
	for i, p := range names.Hidden {
		add(p, m.layers[i], 0, m.layers[i].out)
	}
	head := m.layers[len(m.layers)-1]
	if cfg.K == 0 {
		add(names.Out, head, 0, cfg.Out)
	} else {
		k, kd := cfg.K, cfg.K*cfg.Out
		add(names.Pi, head, 0, k)
		add(names.Mu, head, k, kd)
		add(names.Sigma, head, k+kd, kd)
	}
	b, err := safetensors.Marshal(ts, meta)
	if err != nil {
		return nil, fmt.Errorf("mdn: export: %w", err)
	}
	return b, nil
}

// SaveSafetensors writes MarshalSafetensors's encoding to path atomically,
// with the permissions os.Create would give.
func (m *Model) SaveSafetensors(path string, o ExportOptions) error {
	b, err := m.MarshalSafetensors(o)
	if err != nil {
		return err
	}
	err = atomicfile.Write(path, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
	if err != nil {
		return fmt.Errorf("mdn: export: %w", err)
	}
	return nil
}

// foldedParams returns the parameters with the model's scaling folded in,
// so that the network maps raw inputs to raw outputs: the first layer
// gets W/XStd and b − W·XMean/XStd; the head's μ rows (or a plain
// network's outputs) get YStd·W and YMean + YStd·b, its logσ biases
// + log YStd. Computed in float64 from the float32 parameters, rounded
// once; a folded parameter beyond the float32 range (a tiny XStd or a huge
// YStd) is an error, where clamping it would change the network.
func (m *Model) foldedParams() ([]float32, error) {
	u := m.units
	p := make([]float64, len(m.params))
	for i, v := range m.params {
		p[i] = float64(v)
	}
	first := m.layers[0]
	for o := range first.out {
		w := p[first.w+o*first.in : first.w+(o+1)*first.in]
		var shift float64
		for i := range w {
			shift += w[i] * u.s.XMean[i] / u.s.XStd[i]
			w[i] /= u.s.XStd[i]
		}
		p[first.b+o] -= shift
	}
	head := m.layers[len(m.layers)-1]
	k, d := m.cfg.K, m.cfg.Out
	scale := func(row, j int) {
		w := p[head.w+row*head.in : head.w+(row+1)*head.in]
		for i := range w {
			w[i] *= u.s.YStd[j]
		}
		p[head.b+row] = u.s.YMean[j] + u.s.YStd[j]*p[head.b+row]
	}
	if k == 0 {
		for j := range d {
			scale(j, j)
		}
	} else {
		for r := range k * d {
			scale(k+r, r%d)
			p[head.b+k+k*d+r] += u.yLogStd[r%d]
		}
	}
	out := make([]float32, len(p))
	for i, v := range p {
		if !(math.Abs(v) <= math.MaxFloat32) {
			return nil, fmt.Errorf("mdn: folding the scaling into the weights makes parameter %d %g, beyond float32; export with KeepScaling", i, v)
		}
		out[i] = float32(v)
	}
	return out, nil
}
