package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/mdnsimd/mdnsimd/internal/atomicfile"
	"github.com/mdnsimd/mdnsimd/mdn"
)

const sampleHelp = `
Writes CSV predictions of a saved model: for each input row, the inputs
followed by, as -what says,
  sample     -n samples of y drawn from the predicted mixture p(y|x) (one
             output row per sample)
  mean       its mean
  mode       its highest mode
  std        its standard deviation (per target: the components' spread
             and the spread of their means)
  quantiles  its quantiles at the levels -q (per target), columns q<level>
  interval   its central interval of probability -coverage (per target),
             columns lo and hi
  mixture    the mixture parameters themselves (columns pi1..piK, then mu
             and sigma per component and target)

Everything is in the data's units (a model trained with standardised
values maps its predictions back).

Inputs come from -x or from a CSV file given with -in; the file's columns
are -x-cols, by default the input columns the model was trained on (or every
column, for a model that does not know them). For a model with one
input, -x takes a comma-separated list of values ("-x 0.5,1,2") or an evenly
spaced range "lo:hi:count" ("-x -15:15:301"); for more inputs, rows are
separated by ";" and their values by "," ("-x 1,2;3,4").

A plain network (-k 0) only has -what mean (its output).

Examples:
  mdn sample -model sin.mdn -x -15:15:1000 -n 1 > samples.csv
  mdn sample -model sin.mdn -what mode -in inputs.csv -x-cols x -o modes.csv`

func runSample(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("sample", "-model file (-x values | -in file.csv) [flags]", sampleHelp, stdout, stderr)
	var (
		cf        csvFlags
		modelPath string
		xs        string
		inPath    string
		outPath   string
		what      string
		n         int
		tempPi    float64
		tempSigma float64
		seed      uint64
		qs        string
		coverage  float64
	)
	fs.StringVar(&modelPath, "model", "model.mdn", "model `file` written by mdn train")
	fs.StringVar(&xs, "x", "", "input `values`: \"a,b,c\", \"lo:hi:count\", or rows \"a,b;c,d\" for several inputs")
	fs.StringVar(&inPath, "in", "", "CSV `file` of inputs (\"-\" for standard input) instead of -x")
	cf.register(fs, false, true)
	fs.StringVar(&outPath, "o", "-", "output CSV `file`, replaced only once complete (\"-\" for standard output)")
	fs.StringVar(&what, "what", "sample", "sample, mean, mode, std, quantiles, interval or mixture")
	fs.StringVar(&qs, "q", "0.05,0.5,0.95", "quantile `levels` in (0, 1), comma-separated (-what quantiles)")
	fs.Float64Var(&coverage, "coverage", 0.9, "probability of the central interval, in (0, 1) (-what interval)")
	fs.IntVar(&n, "n", 1, "samples per input row (-what sample)")
	fs.Float64Var(&tempPi, "temp-pi", 1, "temperature of the component choice: 1 samples π as predicted, 0 always takes the most probable component")
	fs.Float64Var(&tempSigma, "temp-sigma", 1, "temperature of the spread: σ is scaled by this (0 returns component means)")
	fs.Uint64Var(&seed, "seed", 1, "seed of the sampling generator")
	pos, err := parseFlags(fs, args, stdout)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected arguments %q (inputs go in -x or -in)", pos)
	}
	switch what {
	case "sample", "mean", "mode", "std", "quantiles", "interval", "mixture":
	default:
		return usagef("-what %q: want sample, mean, mode, std, quantiles, interval or mixture", what)
	}
	levels, err := parseLevels(qs)
	if err != nil {
		return usagef("-q: %v", err)
	}
	if !(coverage > 0 && coverage < 1) {
		return usagef("-coverage %v: want a probability in (0, 1)", coverage)
	}
	if n < 1 || n > 1<<20 {
		return usagef("-n %d: want 1..%d", n, 1<<20)
	}
	if !(tempPi >= 0 && tempPi < 1e300) || !(tempSigma >= 0 && tempSigma < 1e300) {
		return usagef("-temp-pi and -temp-sigma want finite values ≥ 0")
	}
	if (xs == "") == (inPath == "") {
		return usagef("give the inputs with exactly one of -x and -in")
	}
	copts, err := cf.options()
	if err != nil {
		return err
	}
	m, err := mdn.Load(modelPath)
	if err != nil {
		return err
	}
	cfg := m.Config()
	if cfg.K == 0 && what != "mean" {
		return fmt.Errorf("the model in %s is a plain network (k 0): only -what mean applies", modelPath)
	}

	var x []float32
	if xs != "" {
		if x, err = parseInputs(xs, cfg.In); err != nil {
			return usagef("-x: %v", err)
		}
	} else {
		f, err := openInput(inPath)
		if err != nil {
			return err
		}
		fromModel := false
		if xc, _ := m.Columns(); len(copts.X) == 0 && xc != nil {
			copts.X, fromModel = xc, true
		}
		var in int
		x, in, err = mdn.ReadCSVInputs(f, copts)
		f.Close()
		if err != nil {
			if fromModel {
				return fmt.Errorf("%s: %w (the model's input columns: -x-cols %s; give -x-cols to choose others)", displayName(inPath), err, strings.Join(copts.X, ","))
			}
			return fmt.Errorf("%s: %w", displayName(inPath), err)
		}
		if in != cfg.In {
			return fmt.Errorf("%s: selected %d input columns, but the model in %s takes %d (choose them with -x-cols)", displayName(inPath), in, modelPath, cfg.In)
		}
	}
	rows := len(x) / cfg.In
	if what == "sample" && rows*n > maxSamples {
		return usagef("%d input rows × -n %d is over %d samples; ask for fewer", rows, n, maxSamples)
	}

	header := columnNames("x", cfg.In)
	var w *bufio.Writer // set by emit before write runs
	var write func(i int)
	switch what {
	case "sample":
		rng := rand.New(rand.NewPCG(seed, 0x73616d706c65))
		rep := make([]float32, 0, rows*n*cfg.In)
		for i := range rows {
			for range n {
				rep = append(rep, x[i*cfg.In:(i+1)*cfg.In]...)
			}
		}
		y, err := m.Sample(rep, rng, tempPi, tempSigma)
		if err != nil {
			return err
		}
		x, rows = rep, rows*n
		header = append(header, columnNames("y", cfg.Out)...)
		write = func(i int) { writeFloats(w, y[i*cfg.Out:(i+1)*cfg.Out]) }
	case "mean", "mode":
		var y []float32
		switch {
		case what == "mode":
			y, err = m.Mode(x)
		default:
			y, err = m.Predict(x)
		}
		if err != nil {
			return err
		}
		header = append(header, columnNames(what, cfg.Out)...)
		write = func(i int) { writeFloats(w, y[i*cfg.Out:(i+1)*cfg.Out]) }
	case "std", "quantiles", "interval":
		p := m.NewPredictor()
		d := cfg.Out
		var y []float32
		per := 1 // values per target and row
		switch what {
		case "std":
			y = make([]float32, rows*d)
			err = p.Std(y, x)
			header = append(header, columnNames("std", d)...)
		case "quantiles":
			per = len(levels)
			y = make([]float32, rows*per*d)
			err = p.Quantiles(y, x, levels)
			for _, l := range levels { // per row: level by level, targets within
				name := "q" + strconv.FormatFloat(l, 'g', -1, 64)
				for j := range d {
					if d > 1 {
						header = append(header, name+"_"+strconv.Itoa(j+1))
					} else {
						header = append(header, name)
					}
				}
			}
		case "interval":
			per = 2
			lo, hi := make([]float32, rows*d), make([]float32, rows*d)
			err = p.Interval(lo, hi, x, coverage)
			y = make([]float32, 0, 2*rows*d)
			for i := range rows {
				y = append(y, lo[i*d:(i+1)*d]...)
				y = append(y, hi[i*d:(i+1)*d]...)
			}
			header = append(header, columnNames("lo", d)...)
			header = append(header, columnNames("hi", d)...)
		}
		if err != nil {
			return err
		}
		write = func(i int) { writeFloats(w, y[i*per*d:(i+1)*per*d]) }
	case "mixture":
		mix, err := m.Mixture(x)
		if err != nil {
			return err
		}
		k, d := mix.K, mix.D
		header = append(header, columnNames("pi", k)...)
		for c := 1; c <= k; c++ {
			for j := 1; j <= d; j++ {
				header = append(header, fmt.Sprintf("mu%d_%d", c, j))
			}
		}
		for c := 1; c <= k; c++ {
			for j := 1; j <= d; j++ {
				header = append(header, fmt.Sprintf("sigma%d_%d", c, j))
			}
		}
		write = func(i int) {
			writeFloats(w, mix.Pi[i*k:(i+1)*k])
			w.WriteByte(',')
			writeFloats(w, mix.Mu[i*k*d:(i+1)*k*d])
			w.WriteByte(',')
			writeFloats(w, mix.Sigma[i*k*d:(i+1)*k*d])
		}
	}
	if ctx.Err() != nil {
		return errInterrupted
	}
	// emit writes the CSV, looking for Ctrl-C every 4096 rows: a file is
	// written to a temporary name and renamed over -o only when complete,
	// so that an interrupted or failed run leaves the old file as it was.
	emit := func(out io.Writer) error {
		w = bufio.NewWriter(out)
		w.WriteString(strings.Join(header, ","))
		w.WriteByte('\n')
		for i := range rows {
			if i%4096 == 0 && ctx.Err() != nil {
				return errInterrupted
			}
			writeFloats(w, x[i*cfg.In:(i+1)*cfg.In])
			w.WriteByte(',')
			write(i)
			w.WriteByte('\n')
		}
		return w.Flush()
	}
	if outPath == "-" {
		return emit(stdout)
	}
	if err := atomicfile.Write(outPath, emit); err != nil {
		if errors.Is(err, errInterrupted) {
			return err
		}
		return fmt.Errorf("write %s: %w", outPath, err)
	}
	return nil
}

// parseLevels parses -q: comma-separated levels in (0, 1).
func parseLevels(s string) ([]float64, error) {
	var levels []float64
	for f := range strings.SplitSeq(s, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", strings.TrimSpace(f))
		}
		if !(v > 0 && v < 1) {
			return nil, fmt.Errorf("level %v is outside (0, 1)", v)
		}
		levels = append(levels, v)
	}
	if len(levels) > 1000 {
		return nil, fmt.Errorf("%d levels; at most 1000", len(levels))
	}
	return levels, nil
}

// maxSamples bounds the rows one sample command writes.
const maxSamples = 1 << 26

// columnNames returns base for one column, else base1..baseN.
func columnNames(base string, n int) []string {
	if n == 1 {
		return []string{base}
	}
	s := make([]string, n)
	for i := range s {
		s[i] = base + strconv.Itoa(i+1)
	}
	return s
}

func writeFloats(w *bufio.Writer, v []float32) {
	var buf [32]byte
	for i, f := range v {
		if i > 0 {
			w.WriteByte(',')
		}
		w.Write(strconv.AppendFloat(buf[:0], float64(f), 'g', -1, 32))
	}
}

// parseInputs parses -x for a model with in inputs.
func parseInputs(s string, in int) ([]float32, error) {
	s = strings.TrimSpace(s)
	if in == 1 && strings.Count(s, ":") == 2 && !strings.ContainsAny(s, ",;") {
		p := strings.Split(s, ":")
		lo, err1 := parseFloat(p[0])
		hi, err2 := parseFloat(p[1])
		count, err3 := strconv.Atoi(strings.TrimSpace(p[2]))
		if err := errors.Join(err1, err2, err3); err != nil {
			return nil, fmt.Errorf("range %q: want lo:hi:count: %w", s, err)
		}
		if count < 1 || count > 1<<24 {
			return nil, fmt.Errorf("range %q: count %d, want 1..%d", s, count, 1<<24)
		}
		x := make([]float32, count)
		for i := range x {
			if count == 1 {
				x[i] = float32(lo)
			} else {
				x[i] = float32(lo + (hi-lo)*float64(i)/float64(count-1))
			}
		}
		return x, nil
	}
	var rows []string
	if in == 1 {
		rows = strings.Split(s, ",")
		for i := range rows {
			rows[i] = strings.TrimSpace(rows[i])
		}
	} else {
		rows = strings.Split(s, ";")
	}
	var x []float32
	for r, row := range rows {
		fields := strings.Split(row, ",")
		if len(fields) != in {
			return nil, fmt.Errorf("row %d %q has %d values, the model takes %d", r+1, row, len(fields), in)
		}
		for _, f := range fields {
			v, err := parseFloat32(f)
			if err != nil {
				return nil, fmt.Errorf("row %d: %w", r+1, err)
			}
			x = append(x, v)
		}
	}
	return x, nil
}

// parseFloat32 parses s as a finite float32, rounded once from the
// decimal (through float64 it could round twice).
func parseFloat32(s string) (float32, error) {
	s = strings.TrimSpace(s)
	v, err := strconv.ParseFloat(s, 32)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	if v-v != 0 {
		return 0, fmt.Errorf("%q is not a finite float32", s)
	}
	return float32(v), nil
}

// parseFloat parses s as a float64 within the float32 range (the ends of
// a -x range).
func parseFloat(s string) (float64, error) {
	s = strings.TrimSpace(s)
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	if f := float32(v); f-f != 0 {
		return 0, fmt.Errorf("%q is not a finite float32", s)
	}
	return v, nil
}
