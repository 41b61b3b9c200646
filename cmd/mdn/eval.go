package main

import (
	"context"
	"fmt"
	"io"

	"github.com/mdnsimd/mdnsimd/mdn"
)

const evalHelp = `
Prints the mean loss of the rows of a CSV file ("-" reads standard input)
under a saved model: the negative log-likelihood in nats per row for an MDN,
the mean squared error for a plain network (-k 0). Columns are chosen as in
"mdn train" and must match the model's input and target counts.

Example:
  mdn eval -model sin.mdn -x x -y y heldout.csv`

func runEval(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("eval", "-model file [flags] data.csv", evalHelp, stdout, stderr)
	var cf csvFlags
	var modelPath string
	fs.StringVar(&modelPath, "model", "model.mdn", "model `file` written by mdn train")
	cf.register(fs, true)
	pos, err := parseFlags(fs, args, stdout)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("want one CSV file (or - for standard input), got %d arguments", len(pos))
	}
	copts, err := cf.options()
	if err != nil {
		return err
	}
	m, err := mdn.Load(modelPath)
	if err != nil {
		return err
	}
	data, err := readDataset(pos[0], copts)
	if err != nil {
		return err
	}
	cfg := m.Config()
	if data.In != cfg.In || data.Out != cfg.Out {
		return fmt.Errorf("%s: selected %d input and %d target columns, but the model in %s takes %d inputs and %d targets (choose columns with -x and -y)",
			displayName(pos[0]), data.In, data.Out, modelPath, cfg.In, cfg.Out)
	}
	loss, err := m.Loss(data)
	if err != nil {
		return err
	}
	if cfg.K == 0 {
		fmt.Fprintf(stdout, "mse %.6f over %d rows\n", loss, data.N)
	} else {
		fmt.Fprintf(stdout, "nll %.6f nats per row over %d rows\n", loss, data.N)
	}
	return nil
}
