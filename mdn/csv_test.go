package mdn

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestReadCSVColumns(t *testing.T) {
	const withHeader = "a,b, c ,d\n1,2,3,4\n\n5,6,7,8\n"
	const noHeader = "1,2,3,4\n5,6,7,8\n"
	for _, tc := range []struct {
		name     string
		in       string
		opts     CSVOptions
		x, y     []float32
		in_, out int
	}{
		{"default all-but-last", withHeader, CSVOptions{}, []float32{1, 2, 3, 5, 6, 7}, []float32{4, 8}, 3, 1},
		{"default no header", noHeader, CSVOptions{}, []float32{1, 2, 3, 5, 6, 7}, []float32{4, 8}, 3, 1},
		{"by name", withHeader, CSVOptions{X: []string{"d"}, Y: []string{"c", "a"}}, []float32{4, 8}, []float32{3, 1, 7, 5}, 1, 2},
		{"by number", noHeader, CSVOptions{X: []string{"2"}, Y: []string{"4"}}, []float32{2, 6}, []float32{4, 8}, 1, 1},
		{"number with header", withHeader, CSVOptions{X: []string{"1"}, Y: []string{"b"}}, []float32{1, 5}, []float32{2, 6}, 1, 1},
		{"only y", noHeader, CSVOptions{Y: []string{"1"}}, []float32{2, 3, 4, 6, 7, 8}, []float32{1, 5}, 3, 1},
		{"only x", noHeader, CSVOptions{X: []string{"1"}}, []float32{1, 5}, []float32{2, 3, 4, 6, 7, 8}, 1, 3},
		{"forced header", noHeader, CSVOptions{Header: HeaderYes, X: []string{"1"}, Y: []string{"2"}}, []float32{5}, []float32{6}, 1, 1},
		{"semicolon, comments, spaces", "# data\nx;y\n 1.5 ; -2e3\n# mid\n0x1p-2;+7\n", CSVOptions{Comma: ';', Comment: '#'}, []float32{1.5, 0.25}, []float32{-2000, 7}, 1, 1},
		{"quoted", "\"x\",\"y\"\n\"1\",\"2\"\n", CSVOptions{}, []float32{1}, []float32{2}, 1, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := ReadCSV(strings.NewReader(tc.in), tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(d.X, tc.x) || !slices.Equal(d.Y, tc.y) || d.In != tc.in_ || d.Out != tc.out || d.N != len(tc.y)/tc.out {
				t.Errorf("got X=%v Y=%v N=%d In=%d Out=%d, want X=%v Y=%v In=%d Out=%d", d.X, d.Y, d.N, d.In, d.Out, tc.x, tc.y, tc.in_, tc.out)
			}
		})
	}
}

func TestReadCSVErrors(t *testing.T) {
	long := "x,y\n1,2\n" + strings.Repeat("9", 200) + ",1\n"
	for _, tc := range []struct {
		name           string
		in             string
		opts           CSVOptions
		want           []string // substrings the message must contain
		line, row, col int      // expected CSVError fields; line -1 when not a CSVError
	}{
		{"empty", "", CSVOptions{}, []string{"empty input"}, 0, 0, 0},
		{"blank lines only", "\n\n\n", CSVOptions{}, []string{"empty input"}, 0, 0, 0},
		{"header only", "x,y\n", CSVOptions{}, []string{"line 1", "no data rows"}, 1, 0, 0},
		{"ragged short", "x,y\n1,2\n3\n", CSVOptions{}, []string{"line 3 (data row 2)", "1 fields, want 2"}, 3, 2, 0},
		{"ragged long", "1,2\n3,4\n5,6,7\n", CSVOptions{}, []string{"line 3 (data row 3)", "3 fields, want 2"}, 3, 3, 0},
		{"non-numeric", "x,y\n1,2\n3,abc\n", CSVOptions{}, []string{"line 3 (data row 2), column 2 \"y\"", `"abc" is not a number`}, 3, 2, 2},
		{"non-numeric no header", "1,2\n3,4\nfoo,4\n", CSVOptions{Header: HeaderNo}, []string{"line 3 (data row 3), column 1", `"foo"`}, 3, 3, 1},
		{"empty field", "x,y\n1,\n", CSVOptions{}, []string{"data row 1), column 2", "empty field"}, 2, 1, 2},
		{"NaN", "x,y\n1,2\nNaN,3\n", CSVOptions{}, []string{"data row 2), column 1 \"x\"", "not finite"}, 3, 2, 1},
		{"Inf", "x,y\n1,-Inf\n", CSVOptions{}, []string{"column 2 \"y\"", "not finite"}, 2, 1, 2},
		{"float32 overflow", "x,y\n1,1e39\n", CSVOptions{}, []string{"column 2", "float32 range"}, 2, 1, 2},
		{"line too long", long, CSVOptions{MaxLineBytes: 100}, []string{"line 3 (data row 2)", "line too long", "100 bytes"}, 3, 2, 0},
		{"too many fields", "x,y\n1,2\n" + strings.Repeat("1,", 50) + "1\n", CSVOptions{MaxColumns: 50}, []string{"line 3 (data row 2)", "too many fields", "more than 50"}, 3, 2, 0},
		{"fields at the bound", "x,y\n1,2\n" + strings.Repeat("1,", 49) + "1\n", CSVOptions{MaxColumns: 50}, []string{"line 3 (data row 2): 50 fields, want 2"}, 3, 2, 0},
		// A syntax error's place is a character of the line (4: the
		// quote), not a field, and the record is data row 2.
		{"bare quote", "x,y\n1,2\n3,4\"\"\n", CSVOptions{}, []string{"line 3 (data row 2)", "character 4"}, 3, 2, 0},
		{"text after a quoted field", "x,y\n1,2\n3,\"4\"x\n", CSVOptions{}, []string{"line 3 (data row 2)", "character 5"}, 3, 2, 0},
		{"unknown name", "x,y\n1,2\n", CSVOptions{X: []string{"z"}}, []string{`x column "z"`, "no such column", `"x", "y"`}, -1, 0, 0},
		{"name without header", "1,2\n", CSVOptions{Y: []string{"y"}}, []string{`y column "y"`, "no header"}, -1, 0, 0},
		{"number out of range", "1,2\n", CSVOptions{Y: []string{"3"}}, []string{`y column "3"`, "out of range 1..2"}, -1, 0, 0},
		{"same column twice", "1,2\n", CSVOptions{X: []string{"1"}, Y: []string{"1"}}, []string{"column 1 is selected as both"}, -1, 0, 0},
		{"single column", "1\n2\n", CSVOptions{}, []string{"need at least 2"}, -1, 0, 0},
		{"no columns left", "1,2\n", CSVOptions{X: []string{"1", "2"}}, []string{"no columns left for y"}, -1, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := ReadCSV(strings.NewReader(tc.in), tc.opts)
			if err == nil {
				t.Fatalf("no error; got %+v", d)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			var ce *CSVError
			if tc.line < 0 {
				return
			}
			if !errors.As(err, &ce) {
				t.Fatalf("error %q is %T, not a *CSVError", err, err)
			}
			if ce.Line != tc.line || ce.Row != tc.row || ce.Column != tc.col {
				t.Errorf("CSVError{Line %d, Row %d, Column %d}, want {%d, %d, %d}", ce.Line, ce.Row, ce.Column, tc.line, tc.row, tc.col)
			}
		})
	}
}

// TestReadCSVBoundErrors checks that the two bounds of a line fail with
// their own errors: ErrLineTooLong for its length, ErrTooManyFields for its
// fields.
func TestReadCSVBoundErrors(t *testing.T) {
	_, err := ReadCSV(strings.NewReader("x,y\n"+strings.Repeat("1,", 50)+"1\n"), CSVOptions{MaxColumns: 50})
	if !errors.Is(err, ErrTooManyFields) || errors.Is(err, ErrLineTooLong) {
		t.Errorf("51 fields, MaxColumns 50: err = %v, want ErrTooManyFields only", err)
	}
	_, err = ReadCSV(strings.NewReader("x,y\n"+strings.Repeat("9", 200)+",1\n"), CSVOptions{MaxLineBytes: 100})
	if !errors.Is(err, ErrLineTooLong) || errors.Is(err, ErrTooManyFields) {
		t.Errorf("a 202-byte line, MaxLineBytes 100: err = %v, want ErrLineTooLong only", err)
	}
}

// TestCSVOptionErrors checks that options ReadCSV cannot use are
// *OptionErrors naming the field, from Validate and from ReadCSV and
// ReadCSVInputs alike, before any input is read.
func TestCSVOptionErrors(t *testing.T) {
	for _, c := range []struct {
		opts   CSVOptions
		option string
	}{
		{CSVOptions{Header: 3}, "CSVOptions.Header"},
		{CSVOptions{Header: -1}, "CSVOptions.Header"},
		{CSVOptions{Comma: '"'}, "CSVOptions.Comma"},
		{CSVOptions{Comma: '\n'}, "CSVOptions.Comma"},
		{CSVOptions{Comma: 0xD800}, "CSVOptions.Comma"},
		{CSVOptions{Comment: '\r'}, "CSVOptions.Comment"},
		{CSVOptions{Comma: ';', Comment: ';'}, "CSVOptions.Comment"},
		{CSVOptions{Comment: ','}, "CSVOptions.Comment"},
		{CSVOptions{MaxLineBytes: -1}, "CSVOptions.MaxLineBytes"},
		{CSVOptions{MaxColumns: -1}, "CSVOptions.MaxColumns"},
	} {
		var oe *OptionError
		if err := c.opts.Validate(); !errors.As(err, &oe) || oe.Option != c.option {
			t.Errorf("%+v: Validate() = %v, want an *OptionError for %s", c.opts, err, c.option)
		}
		r := &countingReader{n: 1 << 20}
		if _, err := ReadCSV(r, c.opts); !errors.As(err, &oe) || oe.Option != c.option || r.read != 0 {
			t.Errorf("%+v: ReadCSV error %v after %d bytes, want an *OptionError for %s before reading", c.opts, err, r.read, c.option)
		}
		if _, _, err := ReadCSVInputs(r, c.opts); !errors.As(err, &oe) || oe.Option != c.option || r.read != 0 {
			t.Errorf("%+v: ReadCSVInputs error %v, want an *OptionError for %s", c.opts, err, c.option)
		}
	}
	for _, ok := range []CSVOptions{{}, {Header: HeaderNo, Comma: '\t', Comment: '#', MaxLineBytes: 1, MaxColumns: 1}} {
		if err := ok.Validate(); err != nil {
			t.Errorf("%+v: Validate() = %v", ok, err)
		}
	}
	var oe *OptionError
	if _, err := ReadCSV(strings.NewReader("1,2\n"), CSVOptions{MaxColumns: 1}); !errors.As(err, &oe) || oe.Option != "CSVOptions.MaxColumns" {
		t.Errorf("ReadCSV with MaxColumns 1: %v, want an *OptionError (it reads two columns at least)", err)
	}
	if x, in, err := ReadCSVInputs(strings.NewReader("1\n2\n"), CSVOptions{MaxColumns: 1}); err != nil || in != 1 || len(x) != 2 {
		t.Errorf("ReadCSVInputs with MaxColumns 1: %v, %d, %v; want the one column", x, in, err)
	}
	if _, _, err := ReadCSVInputs(strings.NewReader("1\n"), CSVOptions{Y: []string{"1"}}); !errors.As(err, &oe) || oe.Option != "CSVOptions.Y" {
		t.Errorf("ReadCSVInputs with Y: %v, want an *OptionError for CSVOptions.Y", err)
	}
}

// A line far longer than the bound fails without reading the rest.
func TestReadCSVLineBoundStopsEarly(t *testing.T) {
	r := &countingReader{n: 100 << 20}
	_, err := ReadCSV(r, CSVOptions{MaxLineBytes: 1 << 10})
	if !errors.Is(err, ErrLineTooLong) {
		t.Fatalf("err = %v, want ErrLineTooLong", err)
	}
	if r.read > 1<<20 {
		t.Errorf("read %d bytes before failing, want about the 1 KiB bound", r.read)
	}
}

// countingReader yields n bytes of '7' with no newline.
type countingReader struct{ n, read int }

func (c *countingReader) Read(p []byte) (int, error) {
	if c.read >= c.n {
		return 0, nil
	}
	k := min(len(p), c.n-c.read)
	for i := range k {
		p[i] = '7'
	}
	c.read += k
	return k, nil
}

func TestReadCSVInputs(t *testing.T) {
	x, in, err := ReadCSVInputs(strings.NewReader("a,b,c\n1,2,3\n4,5,6\n"), CSVOptions{X: []string{"c", "a"}})
	if err != nil {
		t.Fatal(err)
	}
	if in != 2 || !slices.Equal(x, []float32{3, 1, 6, 4}) {
		t.Errorf("got in=%d x=%v, want 2 [3 1 6 4]", in, x)
	}
	x, in, err = ReadCSVInputs(strings.NewReader("1\n2\n"), CSVOptions{})
	if err != nil || in != 1 || !slices.Equal(x, []float32{1, 2}) {
		t.Errorf("single column: got in=%d x=%v err=%v", in, x, err)
	}
	if _, _, err := ReadCSVInputs(strings.NewReader("1,2\n3,x\n"), CSVOptions{}); err == nil || !strings.Contains(err.Error(), "line 2 (data row 2), column 2") {
		t.Errorf("bad field: err = %v", err)
	}
	if _, _, err := ReadCSVInputs(strings.NewReader("1,2\n"), CSVOptions{Y: []string{"1"}}); err == nil {
		t.Error("Y columns accepted")
	}
}

// FuzzReadCSV checks that no input makes ReadCSV panic, and that what it
// accepts is a consistent, finite data set.
func FuzzReadCSV(f *testing.F) {
	for _, s := range []string{"x,y\n1,2\n", "1,2\n3\n", "a,b\n\"1\",\"2\"\n", "1;2\n", "", "\n", "x,y\n1,NaN\n", "\"unterminated\n", "1,2,3\n4,5,6\n"} {
		f.Add(s, "")
	}
	f.Add("a,b,c\n1,2,3\n", "c")
	f.Fuzz(func(t *testing.T, in, ycol string) {
		var opts CSVOptions
		if ycol != "" {
			opts.Y = []string{ycol}
		}
		opts.MaxLineBytes = 256
		d, err := ReadCSV(strings.NewReader(in), opts)
		if err != nil {
			return
		}
		if d.N < 1 || d.In < 1 || d.Out < 1 || len(d.X) != d.N*d.In || len(d.Y) != d.N*d.Out {
			t.Fatalf("inconsistent data set N=%d In=%d Out=%d len X,Y=%d,%d", d.N, d.In, d.Out, len(d.X), len(d.Y))
		}
		if _, err := NewDataset(d.X, d.Y, d.In, d.Out); err != nil {
			t.Fatalf("ReadCSV accepted data NewDataset rejects: %v", err)
		}
	})
}

func ExampleReadCSV() {
	const data = `temperature,pressure,yield
20.5,1.0,0.31
22.0,1.2,0.35
`
	d, err := ReadCSV(strings.NewReader(data), CSVOptions{X: []string{"temperature", "pressure"}, Y: []string{"yield"}})
	if err != nil {
		panic(err)
	}
	fmt.Println(d.N, d.In, d.Out, d.X, d.Y)

	_, err = ReadCSV(strings.NewReader("a,b\n1,2\n3,x\n"), CSVOptions{})
	fmt.Println(err)
	// Output:
	// 2 2 1 [20.5 1 22 1.2] [0.31 0.35]
	// csv: line 3 (data row 2), column 2 "b": "x" is not a number
}

// TestCSVUnknownColumnList checks that the error for an unknown column
// names the header's first 20 columns and counts the rest.
func TestCSVUnknownColumnList(t *testing.T) {
	var h []string
	for i := range 25 {
		h = append(h, fmt.Sprintf("c%d", i))
	}
	text := strings.Join(h, ",") + "\n" + strings.Repeat("1,", 24) + "1\n"
	_, err := ReadCSV(strings.NewReader(text), CSVOptions{X: []string{"nope"}, Y: []string{"c1"}})
	if err == nil {
		t.Fatal("unknown column accepted")
	}
	msg := err.Error()
	if !strings.Contains(msg, `"c0", "c1"`) || !strings.Contains(msg, `"c19" and 5 more`) || strings.Contains(msg, `"c20"`) {
		t.Errorf("error %q: want the first 20 columns and \"and 5 more\"", msg)
	}
}

// TestReadCSVRoundsOnce: a value is rounded to float32 once, from its
// decimal: 1.0000000596046448 lies just above the midpoint of 1 and
// 1 + 2⁻²³, and through float64 it would round to the midpoint and then,
// to even, to 1.
func TestReadCSVRoundsOnce(t *testing.T) {
	d, err := ReadCSV(strings.NewReader("x,y\n1.0000000596046448,-1.0000000596046448\n3e38,1e-46\n"), CSVOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if want := float32(1 + 0x1p-23); d.X[0] != want || d.Y[0] != -want {
		t.Errorf("read %v, %v; want %v, %v", d.X[0], d.Y[0], want, -want)
	}
	if d.X[1] != 3e38 || d.Y[1] != 0 {
		t.Errorf("read %v, %v; want 3e38 and 0", d.X[1], d.Y[1])
	}
	for _, c := range []struct{ in, want string }{
		{"x,y\n4e38,1\n", "outside the float32 range"},
		{"x,y\n1,-inf\n", "not finite"},
		{"x,y\n1,nan\n", "not finite"},
		{"x,y\n1,1e\n", "not a number"},
	} {
		if _, err := ReadCSV(strings.NewReader(c.in), CSVOptions{}); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want one containing %q", c.in, err, c.want)
		}
	}
}

// TestReadCSVQuotedNewlines: a record that runs over several lines through
// newlines in a quoted field is held to MaxColumns as a whole (each of its
// lines alone is under the bound), so that a megabyte of such lines is
// refused without allocating a hundred times its size; quotes in comment
// lines do not start a quoted field.
func TestReadCSVQuotedNewlines(t *testing.T) {
	var b strings.Builder
	b.WriteString("x,y\n\"")
	for b.Len() < 1<<20 {
		b.WriteString("\n\"" + strings.Repeat(",", 4000) + "\"")
	}
	b.WriteString("\"\n")
	in := b.String()
	var err error
	alloc := allocatedBytes(func() { _, err = ReadCSV(strings.NewReader(in), CSVOptions{}) })
	if !errors.Is(err, ErrTooManyFields) {
		t.Errorf("err = %v, want ErrTooManyFields", err)
	}
	if alloc > 8*uint64(len(in)) {
		t.Errorf("allocated %d bytes for %d of input", alloc, len(in))
	}
	// A quoted field over two lines, and a comment with one quote: the
	// rows after them still have their two fields each.
	d, err := ReadCSV(strings.NewReader("x,\"the\ntarget\"\n# an odd \" quote\n1,2\n3,4\n"), CSVOptions{Comment: '#'})
	if err != nil {
		t.Fatal(err)
	}
	if d.N != 2 || d.YCols[0] != "the\ntarget" {
		t.Errorf("%d rows, target column %q", d.N, d.YCols[0])
	}
	// MaxColumns counts the record, not its lines.
	if _, err := ReadCSV(strings.NewReader("x,y\n1,\"a\n,,\"\n"), CSVOptions{MaxColumns: 3}); !errors.Is(err, ErrTooManyFields) {
		t.Errorf("three delimiters over two lines of one record, MaxColumns 3: %v", err)
	}
}
