package fuzz

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/mdnsimd/mdnsimd/internal/safetensors"
	"github.com/mdnsimd/mdnsimd/mdn"
)

// allocated returns the bytes f allocates (runtime.MemStats.TotalAlloc
// delta). The fuzz worker runs one input at a time, so little else
// allocates meanwhile; the bounds below leave 256 KiB for that.
func allocated(f func()) uint64 {
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	f()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

const allocSlack = 256 << 10

// tmpDir is this process's scratch directory (each fuzz worker is a
// process of its own); t.TempDir per input would dominate the run time.
var tmpDir string

func TestMain(m *testing.M) {
	d, err := os.MkdirTemp("", "mdnsimd-fuzz")
	if err != nil {
		panic(err)
	}
	tmpDir = d
	code := m.Run()
	os.RemoveAll(d)
	os.Exit(code)
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// fixCRC rewrites the trailing CRC-32C of a model encoding so that a
// mutated body reaches the parser behind the checksum.
func fixCRC(b []byte) []byte {
	if len(b) < 4 {
		return b
	}
	b = append([]byte(nil), b...)
	binary.LittleEndian.PutUint32(b[len(b)-4:], crc32.Checksum(b[:len(b)-4], castagnoli))
	return b
}

// canonical returns the encoding a decoded model must re-encode to: the
// input itself for the current version; for a version 1 file (written as
// version 2), the re-encoding, after checking that it decodes to a model
// that re-encodes to it again.
func canonical(t *testing.T, data []byte) []byte {
	t.Helper()
	if binary.LittleEndian.Uint32(data[8:]) != 1 {
		return data
	}
	var m, again mdn.Model
	if err := m.UnmarshalBinary(data); err != nil {
		t.Fatal(err)
	}
	b, _ := m.MarshalBinary()
	if err := again.UnmarshalBinary(b); err != nil {
		t.Fatalf("a version 1 model written as version 2 does not decode: %v", err)
	}
	if b2, _ := again.MarshalBinary(); !bytes.Equal(b, b2) {
		t.Fatal("a version 1 model written as version 2 re-encodes differently")
	}
	return b
}

// Model-file bound: a valid file holds every float it declares, and the
// decoder allocates the parameters and the optimizer vectors once each plus
// one staging copy, so 4× the input (+ slack) holds for any input.
const modelAllocFactor = 4

// FuzzModelDecode feeds bytes to every model reader: UnmarshalBinary,
// ReadFrom and Load. With fix set the CRC is recomputed over the mutated
// body, so the fuzzer explores the parser and not only the checksum. Each
// reader must return a model or an error wrapping mdn.ErrFormat (Load may
// also fail on the file), never panic, agree with the others, allocate at
// most modelAllocFactor× the input, and a decoded model must encode back to
// exactly the same bytes (the format is canonical) and be usable.
func FuzzModelDecode(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte, fix bool) {
		if fix {
			data = fixCRC(data)
		}
		limit := uint64(modelAllocFactor*len(data) + allocSlack)
		var m mdn.Model
		var err error
		if a := allocated(func() { err = m.UnmarshalBinary(data) }); a > limit {
			t.Errorf("UnmarshalBinary of %d bytes allocated %d bytes, bound %d", len(data), a, limit)
		}
		var m2 mdn.Model
		var err2 error
		if a := allocated(func() { _, err2 = m2.ReadFrom(bytes.NewReader(data)) }); a > limit+uint64(2*len(data)) {
			// ReadFrom also buffers the stream (io.ReadAll grows by doubling).
			t.Errorf("ReadFrom of %d bytes allocated %d bytes, bound %d", len(data), a, limit+uint64(2*len(data)))
		}
		path := filepath.Join(tmpDir, "m.mdn")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		m3, err3 := mdn.Load(path)
		if (err == nil) != (err2 == nil) || (err == nil) != (err3 == nil) {
			t.Fatalf("readers disagree: UnmarshalBinary %v, ReadFrom %v, Load %v", err, err2, err3)
		}
		if err != nil {
			for _, e := range []error{err, err2, err3} {
				if !errors.Is(e, mdn.ErrFormat) || !strings.HasPrefix(e.Error(), "mdn: ") && !strings.HasPrefix(e.Error(), path) {
					t.Errorf("error %q does not wrap mdn.ErrFormat or does not say where it comes from", e)
				}
			}
			return
		}
		canon := canonical(t, data)
		for _, mm := range []*mdn.Model{&m, &m2, m3} {
			b, err := mm.MarshalBinary()
			if err != nil || !bytes.Equal(b, canon) {
				t.Fatalf("decoded model re-encodes to %d bytes (err %v), input %d bytes", len(b), err, len(data))
			}
		}
		// A decoded model is usable: predict on one row.
		cfg := m.Config()
		if cfg.In <= 64 && m.NumParams() <= 1<<16 {
			x := make([]float32, cfg.In)
			if _, err := m.Predict(x); err != nil {
				t.Errorf("Predict on a decoded %+v: %v", cfg, err)
			}
		}
	})
}

// CSV bound: every value kept is 4 bytes from at least 2 bytes of text
// (a digit and a separator), the slices grow by doubling, and the CSV
// reader's record buffers are reused: 16× the input (+ slack). On top of
// that, encoding/csv keeps about 100 bytes per field of the record it is
// reading (a string header, its end index and its position, each in a
// slice grown by doubling), so a line of nothing but delimiters (one field
// per byte) costs csvFieldCost per delimiter: the bound adds it for every
// delimiter in the text.
//
// MDNSIMD_CSV_ALLOC_FACTOR overrides the factor, so that a long fuzz run can
// look past a known allocation finding for other failures.
var csvAllocFactor = envInt("MDNSIMD_CSV_ALLOC_FACTOR", 16)

const csvFieldCost = 128

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// FuzzReadCSV feeds text to mdn.ReadCSV and mdn.ReadCSVInputs with fuzzed
// options: column specs (comma-separated names or numbers), header mode,
// delimiter, comment rune and line bound. Each must return a data set or an
// error, never panic, and allocate at most csvAllocFactor× the input.
// Options they cannot use (a header mode out of range, a delimiter
// encoding/csv would reject) must give an *mdn.OptionError naming the
// field; any other error must be a *mdn.CSVError or start with "csv:"; a
// data set must be well formed (N ≥ 1, lengths N·In and N·Out, all values
// finite) and read back the same values when written out again.
func FuzzReadCSV(f *testing.F) {
	f.Fuzz(func(t *testing.T, text []byte, xs, ys string, header uint8, comma, comment rune, maxLine uint16) {
		opts := mdn.CSVOptions{
			X: splitSpec(xs), Y: splitSpec(ys), Header: mdn.HeaderMode(header % 4),
			Comma: comma, Comment: comment, MaxLineBytes: int(maxLine),
		}
		if bad := badOption(opts); bad != "" {
			// encoding/csv panics on an invalid delimiter: ReadCSV must
			// refuse it (and a header mode out of range) before reading.
			var oe *mdn.OptionError
			if _, err := mdn.ReadCSV(bytes.NewReader(text), opts); !errors.As(err, &oe) || oe.Option != bad {
				t.Fatalf("ReadCSV with %s bad: %v, want an *mdn.OptionError for it", bad, err)
			}
			opts.Y = nil
			if _, _, err := mdn.ReadCSVInputs(bytes.NewReader(text), opts); !errors.As(err, &oe) || oe.Option != bad {
				t.Fatalf("ReadCSVInputs with %s bad: %v, want an *mdn.OptionError for it", bad, err)
			}
			return
		}
		delim := comma
		if delim == 0 {
			delim = ','
		}
		fields := bytes.Count(text, []byte(string(delim)))
		limit := uint64(csvAllocFactor*len(text) + csvFieldCost*fields + allocSlack)
		var d mdn.Dataset
		var err error
		if a := allocated(func() { d, err = mdn.ReadCSV(bytes.NewReader(text), opts) }); a > limit {
			t.Errorf("ReadCSV of %d bytes allocated %d bytes, bound %d", len(text), a, limit)
		}
		checkCSVResult(t, "ReadCSV", d, err, opts)
		opts.Y = nil
		var x []float32
		var in int
		if a := allocated(func() { x, in, err = mdn.ReadCSVInputs(bytes.NewReader(text), opts) }); a > limit {
			t.Errorf("ReadCSVInputs of %d bytes allocated %d bytes, bound %d", len(text), a, limit)
		}
		if err == nil && (in < 1 || len(x) == 0 || len(x)%in != 0 || !allFinite(x)) {
			t.Errorf("ReadCSVInputs: %d values, in=%d", len(x), in)
		}
		checkCSVError(t, "ReadCSVInputs", err)
	})
}

func splitSpec(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// badOption names the first field of opts that mdn.ReadCSV must refuse, by
// an independent statement of the rules: the three header modes, and
// encoding/csv's rule for Comma and Comment (Comment 0 meaning none; the
// zero Comma means ',' to mdn). The fuzzer sets no other option that can
// be wrong.
func badOption(opts mdn.CSVOptions) string {
	ok := func(r rune) bool {
		return r != 0 && r != '"' && r != '\r' && r != '\n' && r != 0xFFFD && r >= 0 && r <= 0x10FFFF && !(r >= 0xD800 && r <= 0xDFFF)
	}
	c := opts.Comma
	if c == 0 {
		c = ','
	}
	switch {
	case opts.Header > mdn.HeaderNo || opts.Header < 0:
		return "CSVOptions.Header"
	case !ok(c):
		return "CSVOptions.Comma"
	case opts.Comment != 0 && (!ok(opts.Comment) || opts.Comment == c):
		return "CSVOptions.Comment"
	}
	return ""
}

func checkCSVError(t *testing.T, who string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var ce *mdn.CSVError
	if !errors.As(err, &ce) && !strings.HasPrefix(err.Error(), "csv:") {
		t.Errorf("%s: error %q is neither a *CSVError nor a csv: error", who, err)
	}
	if len(err.Error()) < 8 {
		t.Errorf("%s: error %q says too little", who, err)
	}
}

func checkCSVResult(t *testing.T, who string, d mdn.Dataset, err error, opts mdn.CSVOptions) {
	t.Helper()
	if err != nil {
		checkCSVError(t, who, err)
		return
	}
	if d.N < 1 || d.In < 1 || d.Out < 1 || len(d.X) != d.N*d.In || len(d.Y) != d.N*d.Out || !allFinite(d.X, d.Y) {
		t.Fatalf("%s: malformed data set N=%d In=%d Out=%d len(X)=%d len(Y)=%d", who, d.N, d.In, d.Out, len(d.X), len(d.Y))
	}
	// Round trip: write the selected columns out and read them back.
	var b strings.Builder
	for i := 0; i < d.N; i++ {
		x, y := d.Row(i)
		for j, v := range append(append([]float32(nil), x...), y...) {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.FormatFloat(float64(v), 'g', -1, 32))
		}
		b.WriteByte('\n')
	}
	back, err := mdn.ReadCSV(strings.NewReader(b.String()), mdn.CSVOptions{Header: mdn.HeaderNo, Y: []string{strconv.Itoa(d.In + d.Out)}})
	if d.Out != 1 {
		back, err = mdn.ReadCSV(strings.NewReader(b.String()), mdn.CSVOptions{Header: mdn.HeaderNo, X: colNumbers(1, d.In), Y: colNumbers(d.In+1, d.In+d.Out)})
	}
	if err != nil {
		t.Fatalf("%s: re-reading the written data set: %v", who, err)
	}
	if back.N != d.N || snapString(back.X) != snapString(d.X) || snapString(back.Y) != snapString(d.Y) {
		t.Fatalf("%s: data set does not survive a write and read", who)
	}
}

func colNumbers(lo, hi int) []string {
	var s []string
	for i := lo; i <= hi; i++ {
		s = append(s, strconv.Itoa(i))
	}
	return s
}

func snapString(x []float32) string {
	var b strings.Builder
	for _, v := range x {
		b.WriteString(strconv.FormatUint(uint64(math.Float32bits(v)), 16))
		b.WriteByte(' ')
	}
	return b.String()
}

// TestModelEveryTruncationAndBitFlip decodes every prefix of a trained
// model's encoding and every single-bit flip of it, with the checksum left
// stale and recomputed: each must be an error wrapping mdn.ErrFormat
// (a flip that survives with a fixed checksum must re-encode exactly), with
// the allocation bound of FuzzModelDecode.
func TestModelEveryTruncationAndBitFlip(t *testing.T) {
	valid := modelEncodings()[1].b // trained with Adam: parameters and optimizer state
	try := func(what string, b []byte, mustFail bool) {
		t.Helper()
		var m mdn.Model
		var err error
		limit := uint64(modelAllocFactor*len(b) + allocSlack)
		if a := allocated(func() { err = m.UnmarshalBinary(b) }); a > limit {
			t.Errorf("%s: allocated %d bytes for %d, bound %d", what, a, len(b), limit)
		}
		switch {
		case err != nil && !errors.Is(err, mdn.ErrFormat):
			t.Errorf("%s: error %v does not wrap ErrFormat", what, err)
		case err == nil && mustFail:
			t.Errorf("%s: decoded without error", what)
		case err == nil:
			if back, _ := m.MarshalBinary(); !bytes.Equal(back, canonical(t, b)) {
				t.Errorf("%s: decoded but re-encodes differently", what)
			}
		}
	}
	for n := 0; n < len(valid); n++ {
		try(errorf("prefix %d of %d", n, len(valid)).Error(), valid[:n], true)
		try(errorf("prefix %d of %d, checksum fixed", n, len(valid)).Error(), fixCRC(valid[:n]), false)
	}
	for i := 0; i < 8*len(valid); i++ {
		b := append([]byte(nil), valid...)
		b[i/8] ^= 1 << (i % 8)
		try(errorf("bit %d flipped", i).Error(), b, true)
		try(errorf("bit %d flipped, checksum fixed", i).Error(), fixCRC(b), false)
	}
}

// endless is a reader of n bytes of one repeated byte with no newline.
type endless struct {
	n int
	c byte
}

func (e *endless) Read(p []byte) (int, error) {
	if e.n == 0 {
		return 0, io.EOF
	}
	k := min(len(p), e.n)
	for i := range p[:k] {
		p[i] = e.c
	}
	e.n -= k
	return k, nil
}

// TestCSVHugeLine: a 64 MiB line without a newline is refused at the line
// bound (default 1 MiB) with ErrLineTooLong naming line 1, or, a line of
// delimiters, at the field bound (default 4096) with ErrTooManyFields,
// having read little more than the bound and allocated at most a few times
// it.
func TestCSVHugeLine(t *testing.T) {
	for _, c := range []byte{'1', ',', '"'} {
		src := &endless{n: 64 << 20, c: c}
		var err error
		a := allocated(func() { _, err = mdn.ReadCSV(src, mdn.CSVOptions{}) })
		want := mdn.ErrLineTooLong
		if c == ',' {
			want = mdn.ErrTooManyFields
		}
		var ce *mdn.CSVError
		if !errors.Is(err, want) || !errors.As(err, &ce) || ce.Line != 1 {
			t.Errorf("byte %q: err = %v, want %v at line 1", c, err, want)
		}
		if read := 64<<20 - src.n; read > 2*mdn.DefaultMaxLineBytes {
			t.Errorf("byte %q: read %d bytes before refusing", c, read)
		}
		t.Logf("byte %q: refused after %d bytes, %d bytes allocated", c, 64<<20-src.n, a)
		if limit := uint64(8*mdn.DefaultMaxLineBytes + allocSlack); a > limit {
			t.Errorf("byte %q: allocated %d bytes, bound %d", c, a, limit)
		}
	}
}

// FuzzSafetensors feeds bytes to the safetensors reader and to the import
// built on it (mdn.ImportSafetensors, mdn.LoadSafetensors), with a fuzzed
// name map (empty: automatic) and μ order. Each must return a result or an
// error (wrapping safetensors.ErrFormat, mdn.ErrFormat), never panic, agree
// with each other, and allocate at most safetensors.AllocBound of the input
// plus 4 bytes per input byte for the imported values. A parsed file must
// survive Marshal and Parse unchanged; an imported model must export and
// import back to the same parameters and predict.
func FuzzSafetensors(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte, names string, order uint8) {
		limit := safetensors.AllocBound(len(data)) + 4*uint64(len(data)) + allocSlack
		var pf *safetensors.File
		var perr error
		if a := allocated(func() { pf, perr = safetensors.Parse(data) }); a > safetensors.AllocBound(len(data))+allocSlack {
			t.Errorf("Parse of %d bytes allocated %d bytes, bound %d", len(data), a, safetensors.AllocBound(len(data))+allocSlack)
		}
		if perr != nil {
			if !errors.Is(perr, safetensors.ErrFormat) {
				t.Errorf("Parse error %q does not wrap safetensors.ErrFormat", perr)
			}
		} else {
			again, err := safetensors.Marshal(pf.Tensors, pf.Metadata)
			if err != nil {
				// Only names and metadata that are not valid UTF-8 cannot
				// be written back; Parse refuses such headers.
				t.Fatalf("a parsed file does not marshal: %v", err)
			}
			pf2, err := safetensors.Parse(again)
			if err != nil {
				t.Fatalf("a parsed file, marshalled, does not parse: %v", err)
			}
			if len(pf2.Tensors) != len(pf.Tensors) || len(pf2.Metadata) != len(pf.Metadata) {
				t.Fatalf("round trip: %d tensors and %d metadata keys, want %d and %d", len(pf2.Tensors), len(pf2.Metadata), len(pf.Tensors), len(pf.Metadata))
			}
			for _, a := range pf.Tensors {
				b, ok := pf2.Tensor(a.Name)
				if !ok || b.DType != a.DType || !slices.Equal(b.Shape, a.Shape) || !bytes.Equal(b.Data, a.Data) {
					t.Fatalf("round trip changed tensor %q", a.Name)
				}
			}
			for k, v := range pf.Metadata {
				if pf2.Metadata[k] != v {
					t.Fatalf("round trip changed metadata %q", k)
				}
			}
		}

		var o mdn.ImportOptions
		if names != "" {
			nm, err := mdn.ParseNameMap(names)
			if err != nil {
				return
			}
			o.Names = &nm
		}
		o.MeanOrder = mdn.MeanOrder(order % 3)
		var m *mdn.Model
		var err error
		if a := allocated(func() { m, err = mdn.ImportSafetensors(data, o) }); a > limit {
			t.Errorf("ImportSafetensors of %d bytes allocated %d bytes, bound %d", len(data), a, limit)
		}
		path := filepath.Join(tmpDir, "m.safetensors")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		m2, err2 := mdn.LoadSafetensors(path, o)
		if (err == nil) != (err2 == nil) {
			t.Fatalf("ImportSafetensors (%v) and LoadSafetensors (%v) disagree", err, err2)
		}
		if err != nil {
			if !errors.Is(err, mdn.ErrFormat) || !errors.Is(err2, mdn.ErrFormat) {
				t.Errorf("errors %q, %q do not wrap mdn.ErrFormat", err, err2)
			}
			if perr != nil && !errors.Is(err, safetensors.ErrFormat) {
				t.Errorf("Parse failed (%v) but the import's error %q does not say so", perr, err)
			}
			return
		}
		if perr != nil {
			t.Fatalf("ImportSafetensors accepted what Parse refused: %v", perr)
		}
		if !slices.Equal(m.Params(), m2.Params()) {
			t.Fatal("ImportSafetensors and LoadSafetensors give different parameters")
		}
		b, err := m.MarshalSafetensors(mdn.ExportOptions{Scaling: mdn.KeepScaling})
		if err != nil {
			t.Fatalf("an imported model does not export: %v", err)
		}
		back, err := mdn.ImportSafetensors(b, mdn.ImportOptions{})
		if err != nil {
			t.Fatalf("an imported model's export does not import: %v", err)
		}
		p1, p2 := m.Params(), back.Params()
		for i := range p1 {
			if math.Float32bits(p1[i]) != math.Float32bits(p2[i]) {
				t.Fatalf("export → import changed parameter %d: %v → %v", i, p1[i], p2[i])
			}
		}
		if cfg := m.Config(); cfg.In <= 64 && m.NumParams() <= 1<<16 {
			if _, err := m.Predict(make([]float32, cfg.In)); err != nil {
				t.Errorf("Predict on an imported %+v: %v", cfg, err)
			}
		}
	})
}
