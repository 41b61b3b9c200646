package main

import (
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
	header  string
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
	c.header = "auto"
	fs.StringVar(&c.header, "header", c.header, "whether the first record is a header: auto (yes if any field is not a number), yes or no")
	c.comma = ","
	fs.StringVar(&c.comma, "comma", c.comma, "field `delimiter`, one character (\\t for tab)")
	fs.StringVar(&c.comment, "comment", "", "lines starting with this `character` are skipped (default none)")
	fs.IntVar(&c.maxLine, "max-line", mdn.DefaultMaxLineBytes, "longest accepted line in `bytes`")
	fs.IntVar(&c.maxCols, "max-cols", mdn.DefaultMaxColumns, "most `fields` accepted on one line")
}

func (c *csvFlags) options() (mdn.CSVOptions, error) {
	o := mdn.CSVOptions{X: c.x, Y: c.y, MaxLineBytes: c.maxLine, MaxColumns: c.maxCols}
	switch c.header {
	case "auto":
		o.Header = mdn.HeaderAuto
	case "yes", "true":
		o.Header = mdn.HeaderYes
	case "no", "false":
		o.Header = mdn.HeaderNo
	default:
		return o, usagef("-header %q: want auto, yes or no", c.header)
	}
	comma := c.comma
	if comma == `\t` || comma == "tab" {
		comma = "\t"
	}
	r, n := utf8.DecodeRuneInString(comma)
	if n == 0 || n != len(comma) || r == '"' || r == '\n' || r == '\r' || r == utf8.RuneError {
		return o, usagef("-comma %q: want one character other than a quote or newline", c.comma)
	}
	o.Comma = r
	if c.comment != "" {
		r, n := utf8.DecodeRuneInString(c.comment)
		if n != len(c.comment) || r == o.Comma || r == '"' || r == '\n' || r == '\r' || r == utf8.RuneError {
			return o, usagef("-comment %q: want one character other than the delimiter, a quote or newline", c.comment)
		}
		o.Comment = r
	}
	if c.maxLine < 1 {
		return o, usagef("-max-line %d: want at least 1", c.maxLine)
	}
	if c.maxCols < 2 {
		return o, usagef("-max-cols %d: want at least 2", c.maxCols)
	}
	return o, nil
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
