package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/mdnsimd/mdnsimd/mdn"
)

// listFlag is a comma-separated list of strings.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error {
	*l = nil
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			return fmt.Errorf("empty entry in %q", s)
		}
		*l = append(*l, f)
	}
	return nil
}

// intsFlag is a comma-separated list of positive integers ("20" or "64,64").
type intsFlag []int

func (l *intsFlag) String() string {
	s := make([]string, len(*l))
	for i, v := range *l {
		s[i] = strconv.Itoa(v)
	}
	return strings.Join(s, ",")
}

func (l *intsFlag) Set(s string) error {
	*l = nil
	if strings.TrimSpace(s) == "" || s == "none" {
		return nil
	}
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || v < 1 {
			return fmt.Errorf("%q is not a positive integer", f)
		}
		*l = append(*l, v)
	}
	return nil
}

// csvFlags selects and parses the columns of a CSV file.
type csvFlags struct {
	x, y    listFlag
	header  mdn.HeaderMode
	comma   string
	comment string
	maxLine int
	maxCols int
}

// register adds the CSV flags: -x and -y with withY (for train, and with
// fromModel for eval, whose defaults are the model's columns), else -x-cols.
func (c *csvFlags) register(fs *flag.FlagSet, withY, fromModel bool) {
	switch {
	case withY && fromModel:
		fs.Var(&c.x, "x", "input `columns`, comma-separated header names or 1-based numbers (default, with no -y either: the columns the model was trained on)")
		fs.Var(&c.y, "y", "target `columns`, comma-separated header names or 1-based numbers (default, with no -x either: the columns the model was trained on)")
	case withY:
		fs.Var(&c.x, "x", "input `columns`, comma-separated header names or 1-based numbers (default: every column but the -y ones, or all but the last)")
		fs.Var(&c.y, "y", "target `columns`, comma-separated header names or 1-based numbers (default: the last column, or every column but the -x ones)")
	default:
		fs.Var(&c.x, "x-cols", "input `columns` of the -in file, comma-separated header names or 1-based numbers (default: the model's training input columns, else all)")
	}
	fs.TextVar(&c.header, "header", mdn.HeaderAuto, "header `mode`: auto (the first record is a header if any field is not a number), yes or no")
	c.comma = ","
	fs.StringVar(&c.comma, "comma", c.comma, "field `delimiter`, one character (\\t for tab)")
	fs.StringVar(&c.comment, "comment", "", "lines starting with this `character` are skipped (default none)")
	fs.IntVar(&c.maxLine, "max-line", mdn.DefaultMaxLineBytes, "longest accepted line in `bytes`")
	fs.IntVar(&c.maxCols, "max-cols", mdn.DefaultMaxColumns, "most `fields` accepted on one line")
}

// options returns the CSV options the flags give; mdn validates them (an
// *mdn.OptionError, which run reports as a usage error).
func (c *csvFlags) options() (mdn.CSVOptions, error) {
	o := mdn.CSVOptions{X: c.x, Y: c.y, Header: c.header, MaxLineBytes: c.maxLine, MaxColumns: c.maxCols}
	comma := c.comma
	if comma == `\t` || comma == "tab" {
		comma = "\t"
	}
	var err error
	if o.Comma, err = oneRune("-comma", comma); err != nil {
		return o, err
	}
	if c.comment != "" {
		if o.Comment, err = oneRune("-comment", c.comment); err != nil {
			return o, err
		}
	}
	return o, o.Validate()
}

// oneRune returns the one character of a flag's value s.
func oneRune(name, s string) (rune, error) {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || n != len(s) || r == utf8.RuneError {
		return 0, usagef("%s %q: want one character", name, s)
	}
	return r, nil
}

// optionFlags names the flag behind each mdn option the commands take from
// their command line (an index in Config.Hidden[i] is dropped first).
var optionFlags = map[string]string{
	"Config.Hidden":                "-hidden",
	"Config.K":                     "-k",
	"Config.SigmaFloor":            "-sigma-floor",
	"TrainOptions.Epochs":          "-epochs",
	"TrainOptions.BatchSize":       "-batch",
	"TrainOptions.Optimizer":       "-optimizer",
	"TrainOptions.LR":              "-lr",
	"TrainOptions.Momentum":        "-momentum",
	"TrainOptions.ValFrac":         "-val",
	"TrainOptions.Patience":        "-patience",
	"TrainOptions.Workers":         "-workers",
	"TrainOptions.ClipNorm":        "-clip",
	"TrainOptions.CheckpointEvery": "-checkpoint-every",
	"CSVOptions.Header":            "-header",
	"CSVOptions.Comma":             "-comma",
	"CSVOptions.Comment":           "-comment",
	"CSVOptions.MaxLineBytes":      "-max-line",
	"CSVOptions.MaxColumns":        "-max-cols",
	"ImportOptions.MeanOrder":      "-mu-order",
	"ImportOptions.Names":          "-names",
	"ExportOptions.Scaling":        "-scaling",
	"ExportOptions.Names":          "-names",
}

// optionFlag returns the flag behind the option err refuses, if err is an
// *mdn.OptionError about one, and the message for it: the flag, the value
// and what the flag wants.
func optionFlag(err error) (msg string, ok bool) {
	var oe *mdn.OptionError
	if !errors.As(err, &oe) {
		return "", false
	}
	option, _, _ := strings.Cut(oe.Option, "[")
	name, ok := optionFlags[option]
	if !ok {
		return "", false
	}
	return fmt.Sprintf("%s %s: want %s", name, oe.Value, oe.Want), true
}

// openInput opens path for reading; "-" is standard input.
func openInput(path string) (io.ReadCloser, error) {
	if path == "-" {
		return io.NopCloser(os.Stdin), nil
	}
	return os.Open(path)
}

// readDataset reads a CSV data set from path ("-" for standard input).
func readDataset(path string, o mdn.CSVOptions) (mdn.Dataset, error) {
	f, err := openInput(path)
	if err != nil {
		return mdn.Dataset{}, err
	}
	defer f.Close()
	d, err := mdn.ReadCSV(f, o)
	if err != nil {
		return d, fmt.Errorf("%s: %w", displayName(path), err)
	}
	return d, nil
}

func displayName(path string) string {
	if path == "-" {
		return "standard input"
	}
	return path
}
