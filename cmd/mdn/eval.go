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

For an MDN it also prints, per target, its calibration: the mean CRPS
(continuous ranked probability score, closed form for the predicted
mixture, in the target's units; lower is better) and the fraction of rows
inside the central 50%, 90% and 95% prediction intervals (0.50, 0.90 and
0.95 for a calibrated model). -plot writes a histogram of the PIT values
F(y), the predicted CDF at each observed target: flat for a calibrated
model, U-shaped when the predicted spread is too narrow, peaked when too
wide, sloped when biased.

Example:
  mdn eval -model sin.mdn -x x -y y -plot pit.png heldout.csv`

func runEval(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("eval", "-model file [flags] data.csv", evalHelp, stdout, stderr)
	var cf csvFlags
	var modelPath, plotPath string
	fs.StringVar(&modelPath, "model", "model.mdn", "model `file` written by mdn train")
	fs.StringVar(&plotPath, "plot", "", "write a PNG histogram of the PIT values to this `file` (MDN only)")
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
	if cfg.K == 0 {
		if plotPath != "" {
			return fmt.Errorf("-plot: the model in %s is a plain network (k 0), which predicts no distribution to take PIT values of", modelPath)
		}
		loss, err := m.Loss(data)
		if err != nil {
			return err
		}
		if ctx.Err() != nil {
			return errInterrupted
		}
		fmt.Fprintf(stdout, "mse %.6f over %d rows\n", loss, data.N)
		return nil
	}
	s, err := m.Score(data)
	if err != nil {
		return err
	}
	if ctx.Err() != nil {
		return errInterrupted // Ctrl-C during the scoring: no figures
	}
	fmt.Fprintf(stdout, "nll %.6f nats per row over %d rows\n", s.NLL, s.N)
	names := targetNames(data.YCols, cfg.Out)
	for j, name := range names {
		fmt.Fprintf(stdout, "%s: crps %.6g; central intervals hold", name, s.CRPS[j])
		for l, c := range s.Levels {
			sep := ","
			if l == 0 {
				sep = ""
			}
			fmt.Fprintf(stdout, "%s %.4f (%.0f%%)", sep, s.Coverage[l][j], 100*c)
		}
		fmt.Fprintln(stdout)
	}
	if plotPath != "" {
		title := fmt.Sprintf("PIT of %s over %d rows (flat: calibrated)", strings.Join(names, ", "), s.N)
		if err := savePITHistogram(plotPath, title, s.PIT); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "PIT histogram written to %s\n", plotPath)
	}
	return nil
}

// targetNames returns the target columns' names: the data's, or y (y1..yD).
func targetNames(cols []string, d int) []string {
	if len(cols) == d {
		return cols
	}
	return columnNames("y", d)
}
