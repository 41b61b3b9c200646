package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/mdnsimd/mdnsimd/mdn"
)

const pytorchModule = `
The PyTorch network (a state dict of nn.Linear weights [out, in] and biases
[out], F32, F64, F16 or BF16):

  hidden = nn.Sequential(nn.Linear(In, H1), nn.Tanh(), nn.Linear(H1, H2), nn.Tanh(), ...)
  pi     = nn.Linear(H, K)      π = softmax(pi(h))
  mu     = nn.Linear(H, K*D)    μ = mu(h).view(-1, K, D)
  sigma  = nn.Linear(H, K*D)    σ = exp(sigma(h)).view(-1, K, D)

or, for a plain network, the hidden layers and one nn.Linear(H, D) output.
Every hidden Linear is followed by Tanh. The K·D rows of mu and sigma are
component-major (row k·D+d), unless -mu-order or the file's metadata
(mdn.mu_order) says dimension-major; [K, D, H] weights are read as they are.

Names: the seed's module (z_h.0, z_h.2, ... in one nn.Sequential z_h; heads
z_pi, z_mu, z_sigma) or heads pi, mu, sigma after the nn.Sequential of
hidden layers, whatever it is called; or a plain network as one
nn.Sequential (0, 2, ...; the last Linear is the output). Other layouts need
-names, e.g.
  -names "hidden=body.fc1,body.fc2;pi=head_pi;mu=head_mu;sigma=head_sigma"
  -names "hidden=trunk.*;out=final"        (trunk.* = trunk.0, trunk.2, ...)
`

const importHelp = `
Imports a PyTorch network from a safetensors file (-from) and saves it as an
mdnsimd model (-model), ready for mdn eval and mdn sample. The imported
model works in the data's raw units (no standardisation), with no σ floor
and no optimizer state, unless the file is an mdnsimd export that records
them in its metadata.

Every tensor must belong to the network, and the shapes must chain into it;
otherwise the error names the tensor. A state dict cannot say which
activations the module applies: the import checks that consecutive Linear
layers of an nn.Sequential have a module between them and, when present,
the metadata keys mdn.activation (tanh), mdn.pi (softmax) and mdn.sigma
(exp); the rest is the module's promise.
` + pytorchModule + `
Examples:
  mdn import -from seed.safetensors -model seed.mdn
  mdn import -from net.safetensors -names "hidden=net.*;pi=p;mu=m;sigma=s" -model net.mdn`

const exportHelp = `
Exports a model's network (-model) as a PyTorch state dict in a safetensors
file (-to), float32, with metadata (mdn.*) describing it, which mdn import
reads back: an export imports as the same network, bit for bit.

A model trained with standardised values (mdn train's default) has its
scaling folded into the weights (-scaling fold): the first layer then takes
raw inputs and the heads give raw targets, so the PyTorch module needs no
preprocessing. Folding costs float32 accuracy when an input's mean is large
against its spread (a relative error of about |mean|/std·2⁻²⁴ in the first
layer); -scaling keep writes the weights as trained and the scaling into the
metadata (mdn.x_mean, mdn.x_std, mdn.y_mean, mdn.y_std) instead. A σ floor
is recorded in the metadata, but PyTorch's module does not apply it.
` + pytorchModule + `
-names seed (the default) writes the seed's names, -names heads the
hidden/pi/mu/sigma ones (plain networks: hidden.0, ... and out); a full map
chooses every name.

Examples:
  mdn export -model sin.mdn -to sin.safetensors
  mdn export -model sin.mdn -names heads -scaling keep -to sin.safetensors`

func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("import", "-from file.safetensors -model file [flags]", importHelp, stdout, stderr)
	var (
		from, modelPath, names string
		o                      mdn.ImportOptions
	)
	fs.StringVar(&from, "from", "", "safetensors `file` to import")
	fs.StringVar(&modelPath, "model", "model.mdn", "model `file` to write")
	fs.StringVar(&names, "names", "auto", "name `map`: auto (the seed's or the pi/mu/sigma layout, or one nn.Sequential) or \"hidden=...;pi=...;mu=...;sigma=...\" (\"hidden=...;out=...\" for a plain network)")
	fs.TextVar(&o.MeanOrder, "mu-order", mdn.OrderAuto, "`order` of the K·D rows of mu and sigma: auto (the metadata's, else component), component (row k·D+d) or dimension (row d·K+k)")
	pos, err := parseFlags(fs, args, stdout)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected arguments %q", pos)
	}
	if from == "" {
		return usagef("-from must name the safetensors file to import")
	}
	if modelPath == "" {
		return usagef("-model must name a file")
	}
	if names != "auto" {
		nm, err := mdn.ParseNameMap(names)
		if err != nil {
			return usagef("-names: %v", err)
		}
		o.Names = &nm
	}
	if err := o.Validate(); err != nil {
		return err
	}
	m, err := mdn.LoadSafetensors(from, o)
	if err != nil {
		return err
	}
	if err := m.Save(modelPath); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "imported %s from %s: %s\n", describe(m), from, unitsString(m))
	fmt.Fprintf(stdout, "model saved to %s\n", modelPath)
	return nil
}

func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("export", "-model file -to file.safetensors [flags]", exportHelp, stdout, stderr)
	var (
		to, modelPath, names string
		o                    mdn.ExportOptions
	)
	fs.StringVar(&modelPath, "model", "model.mdn", "model `file` to export")
	fs.StringVar(&to, "to", "", "safetensors `file` to write")
	fs.StringVar(&names, "names", "seed", "tensor names: seed, heads, or a `map` \"hidden=...;pi=...;mu=...;sigma=...\" (\"hidden=...;out=...\" for a plain network)")
	fs.TextVar(&o.Scaling, "scaling", mdn.FoldScaling, "`mode` for a standardised model's scaling: fold (into the weights) or keep (in the metadata)")
	pos, err := parseFlags(fs, args, stdout)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected arguments %q", pos)
	}
	if to == "" {
		return usagef("-to must name the safetensors file to write")
	}
	var nm *mdn.NameMap
	if names != "seed" && names != "heads" {
		parsed, err := mdn.ParseNameMap(names)
		if err != nil {
			return usagef("-names: %v", err)
		}
		nm = &parsed
	}
	o.Names = nm
	if err := o.Validate(); err != nil {
		return err
	}
	m, err := mdn.Load(modelPath)
	if err != nil {
		return err
	}
	switch names {
	case "seed":
		n := mdn.SeedNames(m.Config())
		nm = &n
	case "heads":
		n := mdn.HeadNames(m.Config())
		nm = &n
	}
	o.Names = nm
	if err := m.SaveSafetensors(to, o); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "exported %s to %s (%s)\n", describe(m), to, nm)
	if s, ok := m.Scaling(); ok {
		if o.Scaling == mdn.KeepScaling {
			fmt.Fprintf(stdout, "scaling kept in the metadata: standardise inputs with mdn.x_mean and mdn.x_std, and map outputs back with mdn.y_mean and mdn.y_std\n")
		} else {
			ratio := 0.0
			for i := range s.XMean {
				ratio = math.Max(ratio, math.Abs(s.XMean[i])/s.XStd[i])
			}
			fmt.Fprintf(stdout, "scaling folded into the weights: the network takes raw inputs and gives raw targets\n")
			if ratio > 1000 {
				fmt.Fprintf(stderr, "mdn export: an input's mean is %.3g times its standard deviation: the folded first layer loses about %.1g relative accuracy; -scaling keep avoids it\n", ratio, ratio*0x1p-24)
			}
		}
	}
	if f := m.Config().SigmaFloor; f > 0 {
		fmt.Fprintf(stderr, "mdn export: the σ floor %g is recorded in the metadata (mdn.sigma_floor); PyTorch's module does not apply it\n", f)
	}
	return nil
}

// describe names a model's shape, e.g. "1→20→1 (MDN, 5 components), 355 parameters".
func describe(m *mdn.Model) string {
	cfg := m.Config()
	kind := fmt.Sprintf("MDN, %d components", cfg.K)
	if cfg.K == 0 {
		kind = "plain network"
	}
	return fmt.Sprintf("%s (%s), %d parameters", archString(cfg), kind, m.NumParams())
}

func unitsString(m *mdn.Model) string {
	var parts []string
	if _, ok := m.Scaling(); ok {
		parts = append(parts, "standardised (scaling from the metadata)")
	} else {
		parts = append(parts, "raw units")
	}
	if f := m.Config().SigmaFloor; f > 0 {
		parts = append(parts, fmt.Sprintf("σ floor %g", f))
	}
	if x, y := m.Columns(); x != nil {
		parts = append(parts, fmt.Sprintf("columns -x %s -y %s", strings.Join(x, ","), strings.Join(y, ",")))
	}
	return strings.Join(parts, ", ")
}
