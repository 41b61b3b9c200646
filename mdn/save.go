package mdn

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"slices"

	"github.com/mdnsimd/mdnsimd/internal/atomicfile"
)

// File format, version 2, all integers and floats little-endian:
//
//	magic      8 bytes  "MDNSIMD\x1a"
//	version    uint32   2
//	in, out, k uint32
//	nhidden    uint32, then nhidden uint32 widths
//	sigmaFloor float64
//	epochs     uint64   epochs trained so far
//	scaling    uint8    0: none; 1: followed by float64 XMean (in values),
//	           XStd (in), YMean (out), YStd (out)
//	columns    uint32 count (0 or in), then each input column name as
//	           uint32 length and its bytes; the same for the targets
//	           (0 or out names)
//	nparams    uint64   must equal the count the configuration implies
//	params     nparams float32
//	optimizer  uint8 name length (0: no state), the name,
//	           uint64 step, uint8 flags (1: m present, 2: v present),
//	           then m and v (nparams float32 each) as flagged
//	crc        uint32   CRC-32C (Castagnoli) of every byte before it
//
// Version 1 is version 2 without the scaling and columns fields; it still
// loads (as a model without a scaling or column names) and is written as
// version 2.
//
// A reader checks the size and checksum first, then bounds every declared
// size by the bytes that remain before allocating.
const (
	magic         = "MDNSIMD\x1a"
	formatVersion = 2
	// maxFileSize bounds what ReadFrom reads from a stream.
	maxFileSize = 8*maxParams*3 + 1<<20
	// maxOptStep bounds a stored optimizer step count, far beyond any run,
	// so that training on cannot carry it past MaxInt64.
	maxOptStep = 1 << 62
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// ErrFormat is wrapped by every error about a malformed model file.
var ErrFormat = errors.New("mdn: malformed model file")

// MarshalBinary encodes the model, with its optimizer state and epoch count.
func (m *Model) MarshalBinary() ([]byte, error) {
	n := len(m.params)
	b := make([]byte, 0, 64+4*len(m.cfg.Hidden)+4*n*(1+btoi(m.opt.m != nil)+btoi(m.opt.v != nil)))
	b = append(b, magic...)
	b = binary.LittleEndian.AppendUint32(b, formatVersion)
	b = binary.LittleEndian.AppendUint32(b, uint32(m.cfg.In))
	b = binary.LittleEndian.AppendUint32(b, uint32(m.cfg.Out))
	b = binary.LittleEndian.AppendUint32(b, uint32(m.cfg.K))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(m.cfg.Hidden)))
	for _, h := range m.cfg.Hidden {
		b = binary.LittleEndian.AppendUint32(b, uint32(h))
	}
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(m.cfg.SigmaFloor))
	b = binary.LittleEndian.AppendUint64(b, uint64(m.epochs))
	if u := m.units; u == nil {
		b = append(b, 0)
	} else {
		b = append(b, 1)
		for _, v := range [][]float64{u.s.XMean, u.s.XStd, u.s.YMean, u.s.YStd} {
			for _, x := range v {
				b = binary.LittleEndian.AppendUint64(b, math.Float64bits(x))
			}
		}
	}
	for _, names := range [][]string{m.xCols, m.yCols} {
		b = binary.LittleEndian.AppendUint32(b, uint32(len(names)))
		for _, s := range names {
			b = binary.LittleEndian.AppendUint32(b, uint32(len(s)))
			b = append(b, s...)
		}
	}
	b = binary.LittleEndian.AppendUint64(b, uint64(n))
	b = appendFloats(b, m.params)
	if m.opt.name == "" {
		b = append(b, 0)
	} else {
		b = append(b, byte(len(m.opt.name)))
		b = append(b, m.opt.name...)
		b = binary.LittleEndian.AppendUint64(b, uint64(m.opt.step))
		b = append(b, byte(btoi(m.opt.m != nil)|2*btoi(m.opt.v != nil)))
		b = appendFloats(b, m.opt.m)
		b = appendFloats(b, m.opt.v)
	}
	return binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, castagnoli)), nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func appendFloats(b []byte, s []float32) []byte {
	for _, v := range s {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
	}
	return b
}

// UnmarshalBinary replaces the model with the one encoded in data. A
// truncated, corrupted or hostile encoding is an error wrapping ErrFormat;
// the model is unchanged then.
func (m *Model) UnmarshalBinary(data []byte) error {
	nm, err := decode(data)
	if err != nil {
		return err
	}
	*m = *nm
	return nil
}

// WriteTo writes the encoded model to w.
func (m *Model) WriteTo(w io.Writer) (int64, error) {
	b, err := m.MarshalBinary()
	if err != nil {
		return 0, err
	}
	n, err := w.Write(b)
	return int64(n), err
}

// ReadFrom replaces the model with one read from r to EOF (see
// UnmarshalBinary). It reads at most a bounded number of bytes.
func (m *Model) ReadFrom(r io.Reader) (int64, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxFileSize+1))
	if err != nil {
		return int64(len(data)), err
	}
	if int64(len(data)) > maxFileSize {
		return int64(len(data)), fmt.Errorf("%w: more than %d bytes", ErrFormat, int64(maxFileSize))
	}
	return int64(len(data)), m.UnmarshalBinary(data)
}

// Save writes the model (with its optimizer state, so training can resume
// from it) to path atomically: to a temporary file in the same directory,
// synced, then renamed over path. A crash leaves either the old file or the
// new one, never a torn one. The file gets the permissions os.Create would
// give it (0666 less the umask for a new file; a replaced file's own).
func (m *Model) Save(path string) error {
	b, err := m.MarshalBinary()
	if err != nil {
		return err
	}
	err = atomicfile.Write(path, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
	if err != nil {
		return fmt.Errorf("mdn: save: %w", err)
	}
	return nil
}

// Load reads a model saved by Save (or written by WriteTo).
func Load(path string) (*Model, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("mdn: load: %w", err)
	}
	m, err := decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// reader reads little-endian values from a byte slice, remembering the
// first shortfall.
type reader struct {
	b   []byte
	err error
}

func (r *reader) take(n int, what string) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || n > len(r.b) {
		r.err = fmt.Errorf("%w: %s needs %d bytes, %d remain", ErrFormat, what, n, len(r.b))
		return nil
	}
	s := r.b[:n]
	r.b = r.b[n:]
	return s
}

func (r *reader) u8(what string) int {
	if s := r.take(1, what); s != nil {
		return int(s[0])
	}
	return 0
}

func (r *reader) u32(what string) uint32 {
	if s := r.take(4, what); s != nil {
		return binary.LittleEndian.Uint32(s)
	}
	return 0
}

func (r *reader) u64(what string) uint64 {
	if s := r.take(8, what); s != nil {
		return binary.LittleEndian.Uint64(s)
	}
	return 0
}

// floats reads n float32 values; n is checked against the bytes remaining
// before anything is allocated.
func (r *reader) floats(n int, what string) []float32 {
	if r.err != nil {
		return nil
	}
	if n > len(r.b)/4 {
		r.err = fmt.Errorf("%w: %s declares %d values, only %d bytes remain", ErrFormat, what, n, len(r.b))
		return nil
	}
	s := r.take(4*n, what)
	out := make([]float32, n)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(s[4*i:]))
	}
	return out
}

// float64s reads n float64 values, bounded by the bytes remaining.
func (r *reader) float64s(n int, what string) []float64 {
	if r.err != nil {
		return nil
	}
	if n > len(r.b)/8 {
		r.err = fmt.Errorf("%w: %s declares %d values, only %d bytes remain", ErrFormat, what, n, len(r.b))
		return nil
	}
	s := r.take(8*n, what)
	out := make([]float64, n)
	for i := range out {
		out[i] = math.Float64frombits(binary.LittleEndian.Uint64(s[8*i:]))
	}
	return out
}

// names reads a count, which must be 0 or want, and that many
// length-prefixed strings; each length is bounded by maxColumnName and by
// the bytes remaining.
func (r *reader) names(want int, what string) []string {
	c := r.u32(what + " count")
	if r.err != nil || c == 0 {
		return nil
	}
	if int64(c) != int64(want) || int64(c) > int64(len(r.b)/4) {
		r.err = fmt.Errorf("%w: %d %s names, want 0 or %d", ErrFormat, c, what, want)
		return nil
	}
	out := make([]string, 0, c)
	for range c {
		l := r.u32(what + " name length")
		if r.err == nil && l > maxColumnName {
			r.err = fmt.Errorf("%w: %s name of %d bytes, at most %d", ErrFormat, what, l, maxColumnName)
		}
		s := r.take(int(min(l, maxColumnName+1)), what+" name")
		if r.err != nil {
			return nil
		}
		out = append(out, string(s))
	}
	return out
}

func decode(data []byte) (*Model, error) {
	if len(data) < len(magic)+8 {
		return nil, fmt.Errorf("%w: %d bytes is too short", ErrFormat, len(data))
	}
	if string(data[:len(magic)]) != magic {
		return nil, fmt.Errorf("%w: not an mdnsimd model (bad magic)", ErrFormat)
	}
	version := binary.LittleEndian.Uint32(data[len(magic):])
	if version != 1 && version != formatVersion {
		return nil, fmt.Errorf("%w: version %d, this package reads versions 1 and %d", ErrFormat, version, formatVersion)
	}
	body := data[:len(data)-4]
	if want, got := binary.LittleEndian.Uint32(data[len(data)-4:]), crc32.Checksum(body, castagnoli); want != got {
		return nil, fmt.Errorf("%w: checksum mismatch (file truncated or corrupted)", ErrFormat)
	}
	r := &reader{b: body[len(magic)+4:]}
	var cfg Config
	cfg.In = int(r.u32("in"))
	cfg.Out = int(r.u32("out"))
	cfg.K = int(r.u32("k"))
	nh := int(r.u32("hidden count"))
	if r.err == nil && (nh > maxLayers || nh > len(r.b)/4) {
		return nil, fmt.Errorf("%w: %d hidden layers", ErrFormat, nh)
	}
	for i := 0; i < nh && r.err == nil; i++ {
		cfg.Hidden = append(cfg.Hidden, int(r.u32("hidden width")))
	}
	cfg.SigmaFloor = math.Float64frombits(r.u64("sigma floor"))
	epochs := r.u64("epochs")
	if r.err != nil {
		return nil, r.err
	}
	if epochs > math.MaxInt64 {
		return nil, fmt.Errorf("%w: epoch count %d", ErrFormat, epochs)
	}
	want, err := cfg.validate()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	var sc Scaling
	var hasScaling bool
	var xCols, yCols []string
	if version >= 2 {
		switch flag := r.u8("scaling flag"); flag {
		case 0:
		case 1:
			hasScaling = true
			sc.XMean = r.float64s(cfg.In, "input means")
			sc.XStd = r.float64s(cfg.In, "input deviations")
			sc.YMean = r.float64s(cfg.Out, "target means")
			sc.YStd = r.float64s(cfg.Out, "target deviations")
		default:
			if r.err == nil {
				return nil, fmt.Errorf("%w: scaling flag %d, want 0 or 1", ErrFormat, flag)
			}
		}
		xCols = r.names(cfg.In, "input column")
		yCols = r.names(cfg.Out, "target column")
		if r.err == nil && (len(xCols) == 0) != (len(yCols) == 0) {
			return nil, fmt.Errorf("%w: %d input and %d target column names", ErrFormat, len(xCols), len(yCols))
		}
	}
	np := r.u64("parameter count")
	if r.err != nil {
		return nil, r.err
	}
	if np != uint64(want) {
		return nil, fmt.Errorf("%w: %d parameters, the configuration has %d", ErrFormat, np, want)
	}
	if uint64(len(r.b))/4 < np {
		return nil, fmt.Errorf("%w: %d parameters declared, %d bytes remain", ErrFormat, np, len(r.b))
	}
	m, err := newModel(cfg)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	m.epochs = int64(epochs)
	if hasScaling {
		if err := m.SetScaling(sc); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrFormat, err)
		}
	}
	m.xCols, m.yCols = xCols, yCols
	copy(m.params, r.floats(want, "parameters"))
	if nl := r.u8("optimizer name length"); nl > 0 {
		m.opt.name = Optimizer(r.take(nl, "optimizer name"))
		m.opt.step = int64(r.u64("optimizer step"))
		flags := r.u8("optimizer flags")
		if r.err == nil {
			if !slices.Contains(Optimizers(), m.opt.name) {
				return nil, fmt.Errorf("%w: unknown optimizer %q", ErrFormat, m.opt.name)
			}
			// Adam keeps both moments and RMSprop its squares from its
			// first step on (prepare); a step count near MaxInt64 could
			// not be carried on.
			needs := 0 // flags: 1 m, 2 v
			switch m.opt.name {
			case Adam:
				needs = 3
			case RMSprop:
				needs = 2
			}
			if m.opt.step < 0 || m.opt.step > maxOptStep || flags&^3 != 0 || flags&needs != needs {
				return nil, fmt.Errorf("%w: optimizer %s, step %d, flags %#x", ErrFormat, m.opt.name, m.opt.step, flags)
			}
		}
		if flags&1 != 0 {
			m.opt.m = r.floats(want, "optimizer m")
		}
		if flags&2 != 0 {
			m.opt.v = r.floats(want, "optimizer v")
		}
	}
	if r.err != nil {
		return nil, r.err
	}
	if len(r.b) != 0 {
		return nil, fmt.Errorf("%w: %d unexpected trailing bytes", ErrFormat, len(r.b))
	}
	for i, v := range m.opt.v {
		if v < 0 {
			return nil, fmt.Errorf("%w: optimizer v %d is %v, a mean of squares", ErrFormat, i, v)
		}
	}
	for _, s := range [][]float32{m.params, m.opt.m, m.opt.v} {
		for i, v := range s {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return nil, fmt.Errorf("%w: value %d is %v", ErrFormat, i, v)
			}
		}
	}
	return m, nil
}
