package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/mdnsimd/mdnsimd/mdn"
)

const evalHelp = `
Prints the mean loss of the rows of a CSV file ("-" reads standard input)
under a saved model: the negative log-likelihood in nats per row for an MDN,
the mean squared error for a plain network (-k 0), both in the data's
units. Columns are chosen as in "mdn train" and must match the model's input
and target counts; without -x and -y, the columns the model was trained on
(by header name, or by number for a file without a header) are used.

Example:
  mdn eval -model sin.mdn -x x -y y heldout.csv`

func runEval(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("eval", "-model file [flags] data.csv", evalHelp, stdout, stderr)
	var cf csvFlags
	var modelPath string
	fs.StringVar(&modelPath, "model", "model.mdn", "model `file` written by mdn train")
	cf.register(fs, true, true)
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
	fromModel := false
	if len(copts.X) == 0 && len(copts.Y) == 0 {
		if x, y := m.Columns(); x != nil {
			copts.X, copts.Y, fromModel = x, y, true
		}
	}
	data, err := readDataset(pos[0], copts)
	if err != nil {
		if fromModel {
			return fmt.Errorf("%w (the columns the model was trained on: -x %s -y %s; give -x and -y to choose others)", err, strings.Join(copts.X, ","), strings.Join(copts.Y, ","))
		}
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
