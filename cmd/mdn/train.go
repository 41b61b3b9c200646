package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/mdnsimd/mdnsimd"
	"github.com/mdnsimd/mdnsimd/mdn"
)

// trainFlags are the model and training options shared by train and demo.
type trainFlags struct {
	hidden     intsFlag
	k          int
	sigmaFloor float64
	epochs     int
	batch      int
	optimizer  mdn.Optimizer
	lr         float64
	momentum   float64
	val        float64
	patience   int
	workers    int
	seed       uint64
	clip       float64
	standard   bool
}

func (t *trainFlags) registerModel(fs *flag.FlagSet) {
	t.hidden = intsFlag{20}
	fs.Var(&t.hidden, "hidden", "tanh hidden layer `widths`, comma-separated (\"64,64\" for two layers, \"none\" for none)")
	fs.IntVar(&t.k, "k", 5, "mixture components; 0 trains a plain network with MSE loss instead of an MDN")
	fs.Float64Var(&t.sigmaFloor, "sigma-floor", 0, "lower bound on every mixture σ, in the targets' units, part of the model (0: none)")
}

func (t *trainFlags) registerTraining(fs *flag.FlagSet, epochs int) {
	fs.IntVar(&t.epochs, "epochs", epochs, "epochs to train (with -resume: the total, counting the checkpoint's epochs)")
	fs.IntVar(&t.batch, "batch", 0, "minibatch `rows`, shuffled each epoch; 0 for full batch")
	fs.TextVar(&t.optimizer, "optimizer", mdn.Adam, "optimizer `name`: "+optimizerList()+" (PyTorch's defaults)")
	fs.Float64Var(&t.lr, "lr", 0, "learning rate; 0 for the optimizer's default (adam 1e-3, rmsprop 1e-2, sgd 1e-2)")
	fs.Float64Var(&t.momentum, "momentum", 0, "momentum of sgd and rmsprop; with adam, β1 when nonzero")
	fs.Float64Var(&t.val, "val", 0.1, "`fraction` of the rows held out for validation, in [0, 1)")
	fs.IntVar(&t.patience, "patience", 0, "stop after this many epochs without a better validation loss and keep the best parameters (0: never)")
	fs.IntVar(&t.workers, "workers", 1, "goroutines sharing each step's rows (results are deterministic for a given count)")
	fs.Uint64Var(&t.seed, "seed", 1, "seed for the initial weights, the validation split and the shuffles")
	fs.Float64Var(&t.clip, "clip", 0, "clip the gradient to this global L2 `norm` (0: no clipping)")
}

// config returns the model configuration the flags give for in inputs and
// out targets; mdn validates it (an *mdn.OptionError, which run reports as
// a usage error).
func (t *trainFlags) config(in, out int) (mdn.Config, error) {
	cfg := mdn.Config{In: in, Out: out, Hidden: t.hidden, K: t.k, SigmaFloor: t.sigmaFloor}
	return cfg, cfg.Validate()
}

// options returns the training options the flags give (mdn validates them
// as it does the configuration).
func (t *trainFlags) options() mdn.TrainOptions {
	return mdn.TrainOptions{
		Epochs: t.epochs, BatchSize: t.batch, Optimizer: t.optimizer, LR: t.lr, Momentum: t.momentum,
		ValFrac: t.val, Patience: t.patience, Workers: t.workers, Seed: t.seed, ClipNorm: t.clip,
	}
}

// optimizerList is "adam, rmsprop or sgd".
func optimizerList() string {
	var s []string
	for _, o := range mdn.Optimizers() {
		s = append(s, string(o))
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}

const trainHelp = `
Trains a Mixture Density Network (or, with -k 0, a plain tanh network with
MSE loss) on the rows of a CSV file ("-" reads standard input) and saves it
to -model. Columns are chosen with -x and -y by header name or 1-based
number; by default the last column is the target and the others the inputs.
A fraction -val of the rows is held out and its loss reported every epoch.

Inputs and targets are standardised (-standardize, on by default): each
column's mean and standard deviation over the training rows (less the -val
rows; a constant column is only centred) are stored in the model, the
network is fitted to (v − mean)/std, and every prediction, loss and
-sigma-floor is in the data's own units (an NLL as the model-unit NLL plus
Σ log std of the targets). So the data's units do not change how well it
trains. -standardize=false fits the raw values, as the demo does. The model
also remembers the -x and -y columns, which eval and sample then use by
default.

On a terminal a progress line (epoch, loss, validation loss, epochs/s, time
left) is redrawn in place; otherwise a plain line is printed every -every
epochs. Ctrl-C stops training after the current epoch and saves a checkpoint
(to -checkpoint) that -resume continues from. The model file is written
atomically: a crash never leaves a partial file at -model.

Examples:
  mdn train -x x -y y -hidden 20 -k 5 -epochs 5000 -model sin.mdn data.csv
  mdn train -y 3 -hidden 64,64 -k 10 -batch 256 -workers 2 -patience 50 big.csv
  mdn train -resume model.mdn.ckpt -epochs 20000 data.csv`

func runTrain(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("train", "[flags] data.csv", trainHelp, stdout, stderr)
	var (
		cf         csvFlags
		tf         trainFlags
		modelPath  string
		ckptPath   string
		ckptEvery  int
		resumePath string
		progress   string
		every      int
	)
	cf.register(fs, true, false)
	tf.registerModel(fs)
	tf.registerTraining(fs, 1000)
	fs.StringVar(&modelPath, "model", "model.mdn", "`file` the trained model is written to")
	fs.StringVar(&ckptPath, "checkpoint", "", "checkpoint `file` for -checkpoint-every and Ctrl-C (default: the -model file plus \".ckpt\")")
	fs.IntVar(&ckptEvery, "checkpoint-every", 0, "save a checkpoint every this many epochs (0: only on Ctrl-C)")
	fs.StringVar(&resumePath, "resume", "", "continue training the model in this checkpoint or model `file` (its architecture and units replace -hidden, -k, -sigma-floor and -standardize)")
	fs.BoolVar(&tf.standard, "standardize", true, "standardise inputs and targets by the training rows' mean and standard deviation, stored in the model (false: fit raw values)")
	fs.StringVar(&progress, "progress", "auto", "progress display: auto (live on a terminal, else plain), live, plain or none")
	fs.IntVar(&every, "every", 0, "plain progress: print a line every this many epochs (default: about 20 lines in all)")
	pos, err := parseFlags(fs, args, stdout)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("want one CSV file (or - for standard input), got %d arguments", len(pos))
	}
	switch progress {
	case "auto", "live", "plain", "none":
	default:
		return usagef("-progress %q: want auto, live, plain or none", progress)
	}
	if every < 0 {
		return usagef("-every %d: want ≥ 0", every)
	}
	if modelPath == "" {
		return usagef("-model must name a file")
	}
	if ckptPath == "" {
		ckptPath = modelPath + ".ckpt"
	}
	copts, err := cf.options()
	if err != nil {
		return err
	}
	topts := tf.options()
	topts.CheckpointEvery, topts.CheckpointPath = ckptEvery, ckptPath
	if err := topts.Validate(); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if resumePath == "" {
		// -hidden, -k and -sigma-floor checked before the data is read
		// (with one input and one target; the data's counts come later),
		// so that a usage error does not wait on a large file.
		if _, err := tf.config(1, 1); err != nil {
			return err
		}
	}

	data, err := readDataset(pos[0], copts)
	if err != nil {
		return err
	}

	var m *mdn.Model
	if resumePath != "" {
		if m, err = mdn.Load(resumePath); err != nil {
			return err
		}
		cfg := m.Config()
		for _, name := range []string{"hidden", "k", "sigma-floor", "standardize"} {
			if set[name] {
				fmt.Fprintf(stderr, "mdn train: -%s ignored: resuming the model in %s (hidden %v, k %d)\n", name, resumePath, cfg.Hidden, cfg.K)
			}
		}
		if cfg.In != data.In || cfg.Out != data.Out {
			return fmt.Errorf("%s has %d input and %d target columns, but the model in %s takes %d inputs and %d targets", displayName(pos[0]), data.In, data.Out, resumePath, cfg.In, cfg.Out)
		}
		done := m.Epochs()
		if int64(topts.Epochs) <= done {
			fmt.Fprintf(stderr, "mdn train: the model has already trained %d epochs (-epochs %d); nothing to do\n", done, topts.Epochs)
			return saveModel(m, modelPath, stdout)
		}
		topts.Epochs = int(int64(topts.Epochs) - done)
	} else {
		cfg, err := tf.config(data.In, data.Out)
		if err != nil {
			return err
		}
		if m, err = mdn.New(cfg, tf.seed); err != nil {
			return err
		}
		topts.Standardize = tf.standard
	}

	cfg := m.Config()
	kind := fmt.Sprintf("MDN, %d components", cfg.K)
	if cfg.K == 0 {
		kind = "plain network, MSE loss"
	}
	fmt.Fprintf(stdout, "data: %d rows from %s, %d inputs, %d targets\n", data.N, displayName(pos[0]), data.In, data.Out)
	fmt.Fprintf(stdout, "model: %s (%s), %d parameters; %s, kernels %s, %s\n",
		archString(cfg), kind, m.NumParams(), optimizerString(topts), mdnsimd.Impl(), plural(max(topts.Workers, 1), "worker"))
	_, scaled := m.Scaling()
	switch {
	case scaled || topts.Standardize:
		fmt.Fprintf(stdout, "units: inputs and targets standardised; losses in the data's units\n")
	default:
		fmt.Fprintf(stdout, "units: raw values (not standardised)\n")
	}

	start := m.Epochs()
	target := start + int64(topts.Epochs)
	if every == 0 {
		every = max(1, topts.Epochs/20)
	}
	var pl *progressLine
	if progress != "none" {
		pl = newProgressLine(stderr, progress, int64(every), start, target)
		topts.Progress = func(p mdn.Progress) { pl.update(p.Epoch, p.Loss, p.ValLoss) }
	}
	res, err := m.Train(ctx, data, topts)
	if pl != nil {
		pl.finish()
	}
	if err != nil {
		if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			if serr := m.Save(ckptPath); serr != nil {
				return fmt.Errorf("interrupted at epoch %d, and saving the checkpoint failed: %w", m.Epochs(), serr)
			}
			fmt.Fprintf(stderr, "mdn train: interrupted at epoch %d; checkpoint saved to %s\n", m.Epochs(), ckptPath)
			fmt.Fprintf(stderr, "continue with: mdn train -resume %s -epochs %d [data flags] %s\n", ckptPath, target, pos[0])
			return errInterrupted
		}
		return err
	}
	if s, ok := m.Scaling(); ok && start == 0 {
		fmt.Fprintf(stdout, "scaling: %s\n", scalingString(s, m))
	}
	perEpoch := time.Duration(0)
	if res.Epochs > 0 {
		perEpoch = res.Elapsed / time.Duration(res.Epochs)
	}
	fmt.Fprintf(stdout, "trained %d epochs in %s (%s per epoch): loss %.5f", res.Epochs, roundDuration(res.Elapsed), perEpoch, res.Loss)
	if !math.IsNaN(res.ValLoss) {
		fmt.Fprintf(stdout, ", validation %.5f (best %.5f at epoch %d)", res.ValLoss, res.BestValLoss, res.BestEpoch)
	}
	fmt.Fprintln(stdout)
	if res.StoppedEarly {
		fmt.Fprintf(stdout, "stopped early: no better validation loss for %d epochs; kept the parameters of epoch %d\n", topts.Patience, res.BestEpoch)
	}
	return saveModel(m, modelPath, stdout)
}

func saveModel(m *mdn.Model, path string, stdout io.Writer) error {
	if err := m.Save(path); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "model saved to %s (%d epochs)\n", path, m.Epochs())
	return nil
}

// archString formats the layer widths, e.g. "1→20→1".
func archString(cfg mdn.Config) string {
	parts := []string{strconv.Itoa(cfg.In)}
	for _, h := range cfg.Hidden {
		parts = append(parts, strconv.Itoa(h))
	}
	return strings.Join(append(parts, strconv.Itoa(cfg.Out)), "→")
}

func optimizerString(o mdn.TrainOptions) string {
	s := string(o.Optimizer)
	if o.LR > 0 {
		s += fmt.Sprintf(" lr %g", o.LR)
	}
	if o.BatchSize > 0 {
		s += fmt.Sprintf(", batches of %d", o.BatchSize)
	} else {
		s += ", full batch"
	}
	return s
}

// plural returns "1 worker" or "2 workers".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// scalingString describes a model's standardisation, a few columns at most:
// "x: mean 0.1 std 5.7; y: mean 10 std 2".
func scalingString(s mdn.Scaling, m *mdn.Model) string {
	xc, yc := m.Columns()
	part := func(mean, std []float64, names []string, def string) string {
		var b strings.Builder
		for j := range min(len(mean), 4) {
			if j > 0 {
				b.WriteString(", ")
			}
			name := def + strconv.Itoa(j+1)
			if j < len(names) {
				name = names[j]
			}
			fmt.Fprintf(&b, "%s mean %.4g std %.4g", name, mean[j], std[j])
		}
		if len(mean) > 4 {
			fmt.Fprintf(&b, " and %d more", len(mean)-4)
		}
		return b.String()
	}
	return "inputs " + part(s.XMean, s.XStd, xc, "x") + "; targets " + part(s.YMean, s.YStd, yc, "y")
}
