package mdn

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// HeaderMode says whether the first CSV record names the columns.
type HeaderMode int

const (
	// HeaderAuto treats the first record as a header when any of its fields
	// is not a number.
	HeaderAuto HeaderMode = iota
	// HeaderYes always treats the first record as a header.
	HeaderYes
	// HeaderNo treats every record as data.
	HeaderNo
)

// DefaultMaxLineBytes bounds the length of one CSV line when
// CSVOptions.MaxLineBytes is zero.
const DefaultMaxLineBytes = 1 << 20

// DefaultMaxColumns bounds the fields of one CSV line when
// CSVOptions.MaxColumns is zero.
const DefaultMaxColumns = 4096

// CSVOptions selects the columns ReadCSV takes and how it parses the file.
type CSVOptions struct {
	// X and Y name the input and target columns, in order. Each entry is a
	// header name or a 1-based column number ("3"); a name that is also a
	// number is looked up as a name first. With both empty, every column
	// but the last is an input and the last is the target. With only Y
	// given, X is every other column; with only X given, Y is every other
	// column.
	X, Y []string
	// Header says whether the first record is a header (default
	// HeaderAuto).
	Header HeaderMode
	// Comma is the field delimiter (default ',').
	Comma rune
	// Comment, if not 0, starts a comment line (default none).
	Comment rune
	// MaxLineBytes bounds one physical line (0 for DefaultMaxLineBytes);
	// a longer line is an error naming it instead of an unbounded read.
	MaxLineBytes int
	// MaxColumns bounds the fields of one record (0 for
	// DefaultMaxColumns), also where a quoted field carries it over
	// several lines, so that delimiters cannot make the parser allocate
	// tens of bytes per input byte. Delimiters inside quoted fields count
	// too.
	MaxColumns int
}

// CSVError is a problem at one place in a CSV file. Line is the 1-based
// line of the input, Row the 1-based data row (0 for the header or when the
// error is not about one row), Column the 1-based column (0 when the error
// is about the whole record, or about the line's syntax, whose character
// the message names) and Name its header name, if any.
type CSVError struct {
	Line, Row, Column int
	Name              string
	Err               error
}

func (e *CSVError) Error() string {
	var b strings.Builder
	b.WriteString("csv: ")
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d", e.Line)
		if e.Row > 0 {
			fmt.Fprintf(&b, " (data row %d)", e.Row)
		}
	}
	if e.Column > 0 {
		if e.Line > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "column %d", e.Column)
		if e.Name != "" {
			fmt.Fprintf(&b, " %q", e.Name)
		}
	}
	if e.Line > 0 || e.Column > 0 {
		b.WriteString(": ")
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *CSVError) Unwrap() error { return e.Err }

// ErrLineTooLong is wrapped by the error ReadCSV returns for a line longer
// than CSVOptions.MaxLineBytes.
var ErrLineTooLong = errors.New("line too long")

// ErrTooManyFields is wrapped by the error ReadCSV returns for a line with
// more than CSVOptions.MaxColumns fields.
var ErrTooManyFields = errors.New("too many fields")

// ReadCSV reads a data set from CSV: one sample per record, the chosen
// columns as inputs and targets, values parsed as float32. Blank lines are
// skipped and fields may carry surrounding spaces. Every problem in the
// input is a *CSVError naming the line, the data row and the column: a
// ragged record, a non-numeric, NaN, infinite or out-of-range field, a
// column that does not exist, a line over the length or field bound
// (wrapping ErrLineTooLong or ErrTooManyFields), and input with no data
// rows. Options it cannot use are an *OptionError (see
// CSVOptions.Validate; ReadCSV also needs MaxColumns ≠ 1, as it reads at
// least two columns).
func ReadCSV(r io.Reader, opts CSVOptions) (Dataset, error) {
	return readCSV(r, opts, true)
}

// ReadCSVInputs reads inputs only, for prediction: one sample per record,
// the columns opts.X names (every column when it is empty) as float32
// values, row-major, with in values per sample. opts.Y must be empty. It
// reports problems as ReadCSV does.
func ReadCSVInputs(r io.Reader, opts CSVOptions) (x []float32, in int, err error) {
	if len(opts.Y) > 0 {
		return nil, 0, optionErr("CSVOptions.Y", strings.Join(opts.Y, ","), "no columns: ReadCSVInputs reads inputs only")
	}
	d, err := readCSV(r, opts, false)
	return d.X, d.In, err
}

func readCSV(r io.Reader, opts CSVOptions, wantY bool) (Dataset, error) {
	if err := opts.Validate(); err != nil {
		return Dataset{}, err
	}
	if wantY && opts.MaxColumns == 1 {
		return Dataset{}, optionErr("CSVOptions.MaxColumns", 1, "≥ 2 for inputs and a target (0 for the default)")
	}
	maxLine := opts.MaxLineBytes
	if maxLine == 0 {
		maxLine = DefaultMaxLineBytes
	}
	maxCols := opts.MaxColumns
	if maxCols == 0 {
		maxCols = DefaultMaxColumns
	}
	comma := opts.Comma
	if comma == 0 {
		comma = ','
	}
	var delim [utf8.UTFMax]byte
	utf8.EncodeRune(delim[:], comma)
	lr := &lineLimitReader{r: bufio.NewReader(r), max: maxLine, maxDelims: maxCols - 1, delim: delim[0], line: 1}
	if opts.Comment != 0 {
		var c [utf8.UTFMax]byte
		utf8.EncodeRune(c[:], opts.Comment)
		lr.comment = c[0]
	}
	cr := csv.NewReader(lr)
	cr.Comma = comma
	cr.Comment = opts.Comment
	cr.FieldsPerRecord = -1 // checked here, to name the row and both counts
	cr.ReuseRecord = true

	// readErr reports an error of reading the record of data row row (0
	// for the first record, which may be the header). A syntax error's
	// place is a character of the line, not a field: it goes in the
	// message, and Column stays 0.
	readErr := func(err error, row int) error {
		if errors.Is(err, ErrLineTooLong) {
			return &CSVError{Line: lr.line, Row: row, Err: fmt.Errorf("%w: more than %d bytes", ErrLineTooLong, maxLine)}
		}
		if errors.Is(err, ErrTooManyFields) {
			return &CSVError{Line: lr.line, Row: row, Err: fmt.Errorf("%w: more than %d", ErrTooManyFields, maxCols)}
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return &CSVError{Line: pe.Line, Row: row, Err: fmt.Errorf("character %d: %w", pe.Column, pe.Err)}
		}
		return fmt.Errorf("csv: %w", err)
	}

	first, err := cr.Read()
	if err == io.EOF {
		return Dataset{}, &CSVError{Err: errors.New("empty input: no records")}
	}
	if err != nil {
		return Dataset{}, readErr(err, 0)
	}
	firstLine, _ := cr.FieldPos(0)
	ncol := len(first)

	header := false
	switch opts.Header {
	case HeaderYes:
		header = true
	case HeaderNo:
	default:
		for _, f := range first {
			if _, err := strconv.ParseFloat(strings.TrimSpace(f), 64); err != nil {
				header = true
				break
			}
		}
	}
	var names []string
	if header {
		names = make([]string, ncol)
		for i, f := range first {
			names[i] = strings.TrimSpace(f)
		}
	}

	xcols, ycols, err := selectColumns(opts.X, opts.Y, names, ncol, wantY)
	if err != nil {
		return Dataset{}, err
	}
	colName := func(c int) string {
		if names != nil {
			return names[c]
		}
		return ""
	}

	var xs, ys []float32
	row := 0
	parseRecord := func(rec []string) error {
		row++
		line, _ := cr.FieldPos(0)
		if len(rec) != ncol {
			return &CSVError{Line: line, Row: row, Err: fmt.Errorf("%d fields, want %d as in the first record (line %d)", len(rec), ncol, firstLine)}
		}
		for pass, cols := range [2][]int{xcols, ycols} {
			for _, c := range cols {
				v, err := parseValue(rec[c])
				if err != nil {
					l, _ := cr.FieldPos(c)
					return &CSVError{Line: l, Row: row, Column: c + 1, Name: colName(c), Err: err}
				}
				if pass == 0 {
					xs = append(xs, v)
				} else {
					ys = append(ys, v)
				}
			}
		}
		return nil
	}
	if !header {
		if err := parseRecord(first); err != nil {
			return Dataset{}, err
		}
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return Dataset{}, readErr(err, row+1)
		}
		if err := parseRecord(rec); err != nil {
			return Dataset{}, err
		}
	}
	if row == 0 {
		return Dataset{}, &CSVError{Line: firstLine, Err: errors.New("no data rows after the header")}
	}
	// A column is remembered by its header name when that name finds it
	// again (non-empty, and the first of its spelling), else by number.
	colID := func(c int) string {
		if names != nil && names[c] != "" && slices.Index(names, names[c]) == c {
			return names[c]
		}
		return strconv.Itoa(c + 1)
	}
	d := Dataset{X: xs, Y: ys, N: row, In: len(xcols), Out: len(ycols)}
	for _, c := range xcols {
		d.XCols = append(d.XCols, colID(c))
	}
	for _, c := range ycols {
		d.YCols = append(d.YCols, colID(c))
	}
	return d, nil
}

// parseValue parses one field as a finite float32.
func parseValue(s string) (float32, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, errors.New("empty field, want a number")
	}
	// Parsed to float32 directly: through float64 first, a decimal just
	// past the midpoint of two float32 values could round twice, to the
	// wrong one.
	v, err := strconv.ParseFloat(t, 32)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, fmt.Errorf("%q is not a number", t)
	}
	if math.IsNaN(v) || (math.IsInf(v, 0) && err == nil) {
		return 0, fmt.Errorf("%q is not finite", t)
	}
	if math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q is outside the float32 range", t)
	}
	return float32(v), nil
}

// selectColumns resolves the X and Y column specs to 0-based indices.
// With wantY false only x columns are chosen, every column by default.
func selectColumns(xspec, yspec, names []string, ncol int, wantY bool) (xcols, ycols []int, err error) {
	resolve := func(spec []string, role string) ([]int, error) {
		out := make([]int, 0, len(spec))
		for _, s := range spec {
			c, err := resolveColumn(strings.TrimSpace(s), names, ncol)
			if err != nil {
				return nil, fmt.Errorf("csv: %s column %q: %w", role, s, err)
			}
			out = append(out, c)
		}
		return out, nil
	}
	if xcols, err = resolve(xspec, "x"); err != nil {
		return nil, nil, err
	}
	if ycols, err = resolve(yspec, "y"); err != nil {
		return nil, nil, err
	}
	rest := func(used []int) []int {
		var out []int
		for c := range ncol {
			if !containsInt(used, c) {
				out = append(out, c)
			}
		}
		return out
	}
	switch {
	case !wantY:
		if len(xcols) == 0 {
			for c := range ncol {
				xcols = append(xcols, c)
			}
		}
		return xcols, nil, nil
	case len(xcols) == 0 && len(ycols) == 0:
		if ncol < 2 {
			return nil, nil, fmt.Errorf("csv: the first record has %d column, need at least 2 (inputs, then the target)", ncol)
		}
		ycols = []int{ncol - 1}
		xcols = rest(ycols)
	case len(xcols) == 0:
		xcols = rest(ycols)
	case len(ycols) == 0:
		ycols = rest(xcols)
	}
	if len(xcols) == 0 {
		return nil, nil, errors.New("csv: no columns left for x")
	}
	if len(ycols) == 0 {
		return nil, nil, errors.New("csv: no columns left for y")
	}
	for _, c := range xcols {
		if containsInt(ycols, c) {
			return nil, nil, fmt.Errorf("csv: column %d is selected as both x and y", c+1)
		}
	}
	return xcols, ycols, nil
}

func resolveColumn(s string, names []string, ncol int) (int, error) {
	for i, n := range names {
		if n == s {
			return i, nil
		}
	}
	c, err := strconv.Atoi(s)
	if err != nil {
		if names == nil {
			return 0, errors.New("the file has no header, so give columns by number (1-based)")
		}
		return 0, fmt.Errorf("no such column; the header has %s", listNames(names))
	}
	if c < 1 || c > ncol {
		return 0, fmt.Errorf("column number out of range 1..%d", ncol)
	}
	return c - 1, nil
}

// listNames quotes the first 20 names, comma-separated, and says how many
// more there are: a header of thousands of columns makes an error message of
// a line, not of the whole header again.
func listNames(s []string) string {
	const most = 20
	var b strings.Builder
	for i, v := range s[:min(len(s), most)] {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Quote(v))
	}
	if len(s) > most {
		fmt.Fprintf(&b, " and %d more", len(s)-most)
	}
	return b.String()
}

func containsInt(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// validDelim is encoding/csv's rule for Comma and Comment.
func validDelim(r rune) bool {
	return r != 0 && r != '"' && r != '\r' && r != '\n' && utf8.ValidRune(r) && r != utf8.RuneError
}

// lineLimitReader passes bytes through while counting physical lines, and
// fails with ErrLineTooLong once a line exceeds max bytes, or with
// ErrTooManyFields once a record holds more than maxDelims delimiters
// (counted by the delimiter's first byte, an upper bound), so that no
// input can make the CSV reader buffer or split without bound. A record
// runs on past a newline inside a quoted field, so the delimiters are
// counted from the start of the record, not of the line: it follows the
// quotes (each '"' toggles, so that an escaped "" leaves the state as it
// was) outside comment lines.
type lineLimitReader struct {
	r         *bufio.Reader
	max       int
	maxDelims int
	delim     byte
	comment   byte // the comment rune's first byte, or 0
	cur       int  // bytes in the current line so far
	delims    int  // delimiter bytes in the current record so far
	quoted    bool // inside a quoted field
	inComment bool // in a comment line
	line      int  // 1-based line being read
	err       error
}

func (l *lineLimitReader) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	n, err := l.r.Read(p)
	for i := 0; i < n; i++ {
		if l.cur == 0 && !l.quoted && l.comment != 0 {
			l.inComment = p[i] == l.comment
		}
		switch p[i] {
		case '\n':
			l.cur = 0
			if !l.quoted {
				l.delims = 0
			}
			l.line++
			continue
		case '"':
			if !l.inComment {
				l.quoted = !l.quoted
			}
		case l.delim:
			l.delims++
			if l.delims > l.maxDelims {
				l.err = ErrTooManyFields
				return i, nil
			}
		}
		l.cur++
		if l.cur > l.max {
			l.err = ErrLineTooLong
			return i, nil
		}
	}
	return n, err
}
