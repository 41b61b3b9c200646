// Package safetensors reads and writes the safetensors format, in which
// PyTorch users exchange weights:
//
//	8 bytes    N, the header's length, little-endian uint64
//	N bytes    the header: a JSON object (UTF-8, starting with '{', which
//	           a writer may pad with trailing spaces) mapping each tensor's
//	           name to {"dtype": "F32", "shape": [2, 3], "data_offsets":
//	           [begin, end]}, and the optional key "__metadata__" to an
//	           object of string values
//	the rest   the data buffer: each tensor's elements, row-major and
//	           little-endian, at [begin, end) of the buffer
//
// Parse holds a file to the format's rules and returns an error, never a
// panic, for anything else: a header longer than MaxHeader or than the
// file, a header that is not such a JSON object (a hand-written parser
// that accepts exactly that shape: no unknown fields, integers only, no
// duplicate names), an unknown dtype, a shape whose element count times
// the dtype's size is not end − begin, and offsets that do not cover the
// data buffer exactly (sorted by begin, each tensor starts where the
// previous ended, the first at 0, the last ends at the end of the file):
// no overlap, no gap, no trailing bytes. A tensor has at most 64
// dimensions, the metadata at most 4096 keys. It allocates only for what the
// header spells out (names, shapes, metadata): at most AllocBound of the
// file's length; tensor data is returned as slices of the input.
package safetensors

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ErrFormat is wrapped by every error about a malformed file.
var ErrFormat = errors.New("safetensors: malformed file")

// MaxHeader bounds the header's length (16 MiB: a header lists names and
// shapes, a few dozen bytes per tensor).
const MaxHeader = 16 << 20

// AllocBound bounds what Parse allocates for a file of n bytes: 8 bytes per
// byte of the header (an entry of ~50 header bytes costs ~180 bytes of
// entries, tensors, names and shapes; TestHeaderAlloc measures 3.6× at
// most), plus 1 MiB for the metadata map, whose size maxMetadata bounds.
func AllocBound(n int) uint64 { return 8*uint64(n) + 1<<20 }

// Bounds on what a header may declare: dimensions of one tensor, and keys
// of the metadata.
const (
	maxRank     = 64
	maxMetadata = 4096
)

// dtypeSizes gives the element size in bytes of every dtype the format
// defines.
var dtypeSizes = map[string]int{
	"BOOL": 1, "U8": 1, "I8": 1, "F8_E5M2": 1, "F8_E4M3": 1,
	"I16": 2, "U16": 2, "F16": 2, "BF16": 2,
	"I32": 4, "U32": 4, "F32": 4,
	"I64": 8, "U64": 8, "F64": 8,
}

// DTypeSize returns the size in bytes of one element of dtype, or 0 for a
// dtype the format does not define.
func DTypeSize(dtype string) int { return dtypeSizes[dtype] }

// Tensor is one named tensor.
type Tensor struct {
	Name  string
	DType string // "F32", "F64", "F16", "BF16", ... (see DTypeSize)
	Shape []int  // empty for a scalar
	Data  []byte // little-endian elements, row-major; len = DTypeSize·Π Shape
}

// Len returns the number of elements, Π Shape.
func (t Tensor) Len() int {
	n := 1
	for _, d := range t.Shape {
		n *= d
	}
	return n
}

// File is a parsed safetensors file.
type File struct {
	Tensors  []Tensor          // ordered by their data offsets
	Metadata map[string]string // nil without "__metadata__"
}

// Tensor returns the tensor called name.
func (f *File) Tensor(name string) (Tensor, bool) {
	for _, t := range f.Tensors {
		if t.Name == name {
			return t, true
		}
	}
	return Tensor{}, false
}

func errorf(format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrFormat}, a...)...)
}

// Parse parses a whole safetensors file. The tensors' Data share b.
func Parse(b []byte) (*File, error) {
	if len(b) < 8 {
		return nil, errorf("%d bytes, too short for the 8-byte header length", len(b))
	}
	n := binary.LittleEndian.Uint64(b)
	if n > MaxHeader {
		return nil, errorf("header length %d exceeds the limit of %d bytes", n, MaxHeader)
	}
	if n > uint64(len(b)-8) {
		return nil, errorf("header length %d runs past the end of the %d-byte file", n, len(b))
	}
	hdr, data := b[8:8+n], b[8+n:]
	if !utf8.Valid(hdr) {
		return nil, errorf("header is not valid UTF-8")
	}
	if len(hdr) == 0 || hdr[0] != '{' {
		return nil, errorf("header does not start with '{'")
	}
	f := &File{}
	p := &parser{b: hdr}
	ents, err := p.header(f)
	if err != nil {
		return nil, err
	}
	// Duplicate names: adjacent once sorted by name.
	sort.Slice(ents, func(i, j int) bool { return ents[i].name < ents[j].name })
	for i := 1; i < len(ents); i++ {
		if ents[i].name == ents[i-1].name {
			return nil, errorf("tensor name %q appears twice", ents[i].name)
		}
	}

	// The offsets, sorted, must tile the data buffer exactly.
	sort.SliceStable(ents, func(i, j int) bool {
		a, b := ents[i], ents[j]
		if a.begin != b.begin {
			return a.begin < b.begin
		}
		return a.end < b.end
	})
	var at uint64
	f.Tensors = make([]Tensor, 0, len(ents))
	for _, e := range ents {
		if e.begin != at || e.end < e.begin {
			if e.begin < at {
				return nil, errorf("tensor %q: data_offsets [%d, %d] overlap the previous tensor, which ends at %d", e.name, e.begin, e.end, at)
			}
			if e.end < e.begin {
				return nil, errorf("tensor %q: data_offsets [%d, %d] end before they begin", e.name, e.begin, e.end)
			}
			return nil, errorf("tensor %q: data_offsets [%d, %d] leave a gap after byte %d", e.name, e.begin, e.end, at)
		}
		if e.end > uint64(len(data)) {
			return nil, errorf("tensor %q: data_offsets [%d, %d] run past the %d-byte data buffer", e.name, e.begin, e.end, len(data))
		}
		shape := e.shape
		// The byte count (a zero dimension anywhere makes it 0), or
		// overflow.
		want, over := uint64(dtypeSizes[e.dtype]), false
		if slices.Contains(shape, 0) {
			want = 0
		}
		for _, d := range shape {
			var hi uint64
			hi, want = bits.Mul64(want, uint64(d))
			over = over || hi != 0
		}
		if over {
			return nil, errorf("tensor %q: %s shape %v needs more than 2⁶⁴ bytes", e.name, e.dtype, shape)
		}
		if want != e.end-e.begin {
			return nil, errorf("tensor %q: %s shape %v needs %d bytes, data_offsets [%d, %d] hold %d", e.name, e.dtype, shape, want, e.begin, e.end, e.end-e.begin)
		}
		f.Tensors = append(f.Tensors, Tensor{Name: e.name, DType: e.dtype, Shape: shape, Data: data[e.begin:e.end:e.end]})
		at = e.end
	}
	if at != uint64(len(data)) {
		if len(ents) == 0 {
			return nil, errorf("no tensors, but a %d-byte data buffer", len(data))
		}
		return nil, errorf("the tensors cover %d bytes of the %d-byte data buffer", at, len(data))
	}
	return f, nil
}

// Float32s returns the tensor's elements as float32: F32 as they are, F64
// rounded once to nearest (values beyond the float32 range become ±Inf),
// F16 and BF16 exactly. Other dtypes are an error.
func (t Tensor) Float32s() ([]float32, error) {
	n := len(t.Data) / max(DTypeSize(t.DType), 1)
	if DTypeSize(t.DType) == 0 || n*DTypeSize(t.DType) != len(t.Data) || n != t.Len() {
		return nil, fmt.Errorf("safetensors: tensor %q: %s shape %v does not match its %d bytes", t.Name, t.DType, t.Shape, len(t.Data))
	}
	out := make([]float32, n)
	d := t.Data
	switch t.DType {
	case "F32":
		for i := range out {
			out[i] = math.Float32frombits(binary.LittleEndian.Uint32(d[4*i:]))
		}
	case "F64":
		for i := range out {
			out[i] = float32(math.Float64frombits(binary.LittleEndian.Uint64(d[8*i:])))
		}
	case "BF16":
		for i := range out {
			out[i] = math.Float32frombits(uint32(binary.LittleEndian.Uint16(d[2*i:])) << 16)
		}
	case "F16":
		for i := range out {
			out[i] = HalfToFloat32(binary.LittleEndian.Uint16(d[2*i:]))
		}
	default:
		return nil, fmt.Errorf("safetensors: tensor %q has dtype %s; want F32, F64, F16 or BF16", t.Name, t.DType)
	}
	return out, nil
}

// HalfToFloat32 converts an IEEE 754 binary16 value to float32 (exactly:
// every half is a float32).
func HalfToFloat32(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	frac := uint32(h) & 0x3ff
	switch {
	case exp == 0x1f: // Inf or NaN, keeping the payload's top bits
		return math.Float32frombits(sign | 0xff<<23 | frac<<13)
	case exp != 0: // normal: rebias 15 → 127
		return math.Float32frombits(sign | (exp+112)<<23 | frac<<13)
	case frac == 0:
		return math.Float32frombits(sign)
	default: // subnormal half: frac·2⁻²⁴, a normal float32
		v := float32(frac) * 0x1p-24
		if sign != 0 {
			v = -v
		}
		return v
	}
}

// F32 returns a tensor of float32 values with the given shape.
func F32(name string, shape []int, v []float32) Tensor {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return Tensor{Name: name, DType: "F32", Shape: slices.Clone(shape), Data: b}
}

// Marshal encodes tensors, in the given order, with metadata (none when
// nil). The header lists "__metadata__" first (keys sorted), then the
// tensors; it is padded with spaces to a multiple of 8 bytes, so the data
// buffer starts 8-byte aligned.
func Marshal(tensors []Tensor, metadata map[string]string) ([]byte, error) {
	var h bytes.Buffer
	h.WriteByte('{')
	sep := false
	if metadata != nil {
		keys := make([]string, 0, len(metadata))
		for k := range metadata {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		h.WriteString(`"__metadata__":{`)
		for i, k := range keys {
			if i > 0 {
				h.WriteByte(',')
			}
			if err := quote(&h, k); err != nil {
				return nil, err
			}
			h.WriteByte(':')
			if err := quote(&h, metadata[k]); err != nil {
				return nil, err
			}
		}
		h.WriteByte('}')
		sep = true
	}
	seen := map[string]bool{"__metadata__": true}
	var off uint64
	for _, t := range tensors {
		if seen[t.Name] {
			return nil, fmt.Errorf("safetensors: tensor name %q is used twice or reserved", t.Name)
		}
		seen[t.Name] = true
		size := DTypeSize(t.DType)
		if size == 0 {
			return nil, fmt.Errorf("safetensors: tensor %q: unknown dtype %q", t.Name, t.DType)
		}
		n, ok := 1, true
		for _, d := range t.Shape {
			// No negative dimension (an even count of them multiplies to a
			// positive length) and no product past an int.
			if d < 0 || d > 0 && n > math.MaxInt/d {
				ok = false
				break
			}
			n *= d
		}
		if !ok || n > math.MaxInt/size || n*size != len(t.Data) {
			return nil, fmt.Errorf("safetensors: tensor %q: %s shape %v does not match its %d bytes", t.Name, t.DType, t.Shape, len(t.Data))
		}
		if sep {
			h.WriteByte(',')
		}
		sep = true
		if err := quote(&h, t.Name); err != nil {
			return nil, err
		}
		h.WriteString(`:{"dtype":`)
		quote(&h, t.DType)
		h.WriteString(`,"shape":[`)
		for i, d := range t.Shape {
			if i > 0 {
				h.WriteByte(',')
			}
			h.WriteString(strconv.Itoa(d))
		}
		end := off + uint64(len(t.Data))
		fmt.Fprintf(&h, `],"data_offsets":[%d,%d]}`, off, end)
		off = end
	}
	h.WriteByte('}')
	for h.Len()%8 != 0 {
		h.WriteByte(' ')
	}
	if h.Len() > MaxHeader {
		// Parse would refuse the file.
		return nil, fmt.Errorf("safetensors: a header of %d bytes, more than MaxHeader (%d)", h.Len(), MaxHeader)
	}
	out := make([]byte, 8, 8+h.Len()+int(off))
	binary.LittleEndian.PutUint64(out, uint64(h.Len()))
	out = append(out, h.Bytes()...)
	for _, t := range tensors {
		out = append(out, t.Data...)
	}
	return out, nil
}

// quote writes s as a JSON string: quotes, backslashes and control
// characters escaped, everything else as it is. s must be valid UTF-8.
func quote(b *bytes.Buffer, s string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("safetensors: %q is not valid UTF-8", s)
	}
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20:
			fmt.Fprintf(b, `\u%04x`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return nil
}

// parser reads the header's JSON: objects, arrays of non-negative
// integers, and strings, which is all a safetensors header holds.
type parser struct {
	b []byte
	i int
}

func (p *parser) errorf(format string, a ...any) error {
	return errorf("header byte %d: "+format, append([]any{p.i}, a...)...)
}

func (p *parser) ws() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *parser) expect(c byte) error {
	p.ws()
	if p.i >= len(p.b) {
		return p.errorf("header ends where %q was expected", c)
	}
	if p.b[p.i] != c {
		return p.errorf("found %q where %q was expected", p.b[p.i], c)
	}
	p.i++
	return nil
}

// peek reports whether the next non-space byte is c, and consumes it if so.
func (p *parser) peek(c byte) bool {
	p.ws()
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

// next steps through the members of an object or the elements of an
// array whose opening bracket has been read: it reports done at the
// closing bracket, else consumes the ',' that separates members (not
// before the first).
func (p *parser) next(first bool, closing byte) (done bool, err error) {
	if p.peek(closing) {
		return true, nil
	}
	if !first {
		return false, p.expect(',')
	}
	return false, nil
}

// key reads an object member's key and its ':'.
func (p *parser) key() (string, error) {
	k, err := p.str()
	if err != nil {
		return "", err
	}
	return k, p.expect(':')
}

// entry is one tensor as the header describes it.
type entry struct {
	name, dtype string
	shape       []int
	begin, end  uint64
}

// header parses the whole header object: the tensors' entries, and the
// metadata into f. It allocates each name, dtype and shape at its size,
// and the entries at once for as many as the header can hold, so a header
// costs a small multiple of its bytes.
func (p *parser) header(f *File) ([]entry, error) {
	// Every entry spells "data_offsets", in at least minEntry bytes: room
	// for the entries of an honest header at once.
	const minEntry = len(`"":{"dtype":"U8","shape":[],"data_offsets":[0,0]}`)
	ents := make([]entry, 0, min(bytes.Count(p.b, []byte(`"data_offsets"`)), len(p.b)/minEntry+1))
	if err := p.expect('{'); err != nil {
		return nil, err
	}
	for first := true; ; first = false {
		done, err := p.next(first, '}')
		if err != nil {
			return nil, err
		}
		if done {
			break
		}
		name, err := p.key()
		if err != nil {
			return nil, err
		}
		if name == "__metadata__" {
			if f.Metadata != nil {
				return nil, p.errorf("name %q appears twice", name)
			}
			if err := p.metadata(f); err != nil {
				return nil, err
			}
			continue
		}
		e, err := p.tensor(name)
		if err != nil {
			return nil, err
		}
		if len(ents) == cap(ents) {
			ents = append(make([]entry, 0, 2*cap(ents)+8), ents...)
		}
		ents = append(ents, e)
	}
	p.ws()
	if p.i != len(p.b) {
		return nil, p.errorf("unexpected bytes after the header's object")
	}
	return ents, nil
}

// metadata parses the "__metadata__" object: string keys to string values.
func (p *parser) metadata(f *File) error {
	f.Metadata = map[string]string{}
	if err := p.expect('{'); err != nil {
		return err
	}
	for first := true; ; first = false {
		done, err := p.next(first, '}')
		if err != nil || done {
			return err
		}
		k, err := p.key()
		if err != nil {
			return err
		}
		if _, dup := f.Metadata[k]; dup {
			return p.errorf("metadata key %q appears twice", k)
		}
		if len(f.Metadata) == maxMetadata {
			return p.errorf("more than %d metadata keys", maxMetadata)
		}
		v, err := p.str()
		if err != nil {
			return err
		}
		f.Metadata[k] = v
	}
}

// tensor parses one tensor's {"dtype": ..., "shape": [...],
// "data_offsets": [begin, end]}: each field exactly once, no other.
func (p *parser) tensor(name string) (entry, error) {
	e := entry{name: name}
	var have [3]bool
	if err := p.expect('{'); err != nil {
		return e, err
	}
	for first := true; ; first = false {
		done, err := p.next(first, '}')
		if err != nil {
			return e, err
		}
		if done {
			break
		}
		field, err := p.key()
		if err != nil {
			return e, err
		}
		i := slices.Index([]string{"dtype", "shape", "data_offsets"}, field)
		if i < 0 {
			return e, p.errorf("tensor %q: unknown field %q", name, field)
		}
		if have[i] {
			return e, p.errorf("tensor %q: field %q appears twice", name, field)
		}
		have[i] = true
		switch i {
		case 0:
			if e.dtype, err = p.str(); err != nil {
				return e, err
			}
			if dtypeSizes[e.dtype] == 0 {
				return e, p.errorf("tensor %q: unknown dtype %q", name, e.dtype)
			}
		case 1:
			var dims [maxRank]uint64
			n, err := p.uints(dims[:], name, "shape")
			if err != nil {
				return e, err
			}
			for _, d := range dims[:n] {
				if d > math.MaxInt32 {
					return e, p.errorf("tensor %q: dimension %d is too large", name, d)
				}
			}
			e.shape = make([]int, n)
			for j, d := range dims[:n] {
				e.shape[j] = int(d)
			}
		case 2:
			var offs [2]uint64
			n, err := p.uints(offs[:], name, "data_offsets")
			if err != nil {
				return e, err
			}
			if n != 2 {
				return e, p.errorf("tensor %q: data_offsets has %d entries, want 2", name, n)
			}
			e.begin, e.end = offs[0], offs[1]
		}
	}
	for i, field := range []string{"dtype", "shape", "data_offsets"} {
		if !have[i] {
			return e, p.errorf("tensor %q has no %s", name, field)
		}
	}
	return e, nil
}

// uints parses an array of at most len(dst) non-negative integers into dst
// and returns their count.
func (p *parser) uints(dst []uint64, name, field string) (int, error) {
	if err := p.expect('['); err != nil {
		return 0, err
	}
	n := 0
	for first := true; ; first = false {
		done, err := p.next(first, ']')
		if err != nil {
			return 0, err
		}
		if done {
			return n, nil
		}
		if n == len(dst) {
			return 0, p.errorf("tensor %q: %s has more than %d entries", name, field, len(dst))
		}
		v, err := p.uint()
		if err != nil {
			return 0, err
		}
		dst[n] = v
		n++
	}
}

// uint parses a JSON integer ≥ 0 (no sign, fraction or exponent, no
// leading zero) that fits in 63 bits.
func (p *parser) uint() (uint64, error) {
	p.ws()
	start := p.i
	var v uint64
	for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
		if v > (math.MaxInt64-9)/10 {
			return 0, p.errorf("integer too large")
		}
		v = v*10 + uint64(p.b[p.i]-'0')
		p.i++
	}
	switch {
	case p.i == start:
		return 0, p.errorf("expected a non-negative integer")
	case p.b[start] == '0' && p.i-start > 1:
		return 0, p.errorf("integer with a leading zero")
	case p.i < len(p.b) && strings.IndexByte(".eE", p.b[p.i]) >= 0:
		return 0, p.errorf("expected an integer, found a fraction or exponent")
	}
	return v, nil
}

// str parses a JSON string, resolving its escapes.
func (p *parser) str() (string, error) {
	if err := p.expect('"'); err != nil {
		return "", err
	}
	start := p.i
	// Fast path: no escapes.
	for p.i < len(p.b) {
		c := p.b[p.i]
		if c == '"' {
			s := string(p.b[start:p.i])
			p.i++
			return s, nil
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			return "", p.errorf("control character %#x in a string", c)
		}
		p.i++
	}
	var sb strings.Builder
	sb.Write(p.b[start:p.i])
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			p.i++
			return sb.String(), nil
		case c < 0x20:
			return "", p.errorf("control character %#x in a string", c)
		case c != '\\':
			sb.WriteByte(c)
			p.i++
			continue
		}
		if p.i+1 >= len(p.b) {
			break
		}
		e := p.b[p.i+1]
		p.i += 2
		switch e {
		case '"', '\\', '/':
			sb.WriteByte(e)
		case 'b':
			sb.WriteByte('\b')
		case 'f':
			sb.WriteByte('\f')
		case 'n':
			sb.WriteByte('\n')
		case 'r':
			sb.WriteByte('\r')
		case 't':
			sb.WriteByte('\t')
		case 'u':
			r, err := p.hex4()
			if err != nil {
				return "", err
			}
			if r >= 0xd800 && r < 0xdc00 && p.i+1 < len(p.b) && p.b[p.i] == '\\' && p.b[p.i+1] == 'u' {
				save := p.i
				p.i += 2
				lo, err := p.hex4()
				if err == nil && lo >= 0xdc00 && lo < 0xe000 {
					r = 0x10000 + (r-0xd800)<<10 + (lo - 0xdc00)
				} else {
					p.i = save
				}
			}
			sb.WriteRune(r) // a lone surrogate becomes U+FFFD
		default:
			return "", p.errorf("invalid escape \\%c", e)
		}
	}
	return "", p.errorf("unterminated string")
}

func (p *parser) hex4() (rune, error) {
	if p.i+4 > len(p.b) {
		return 0, p.errorf("truncated \\u escape")
	}
	v, err := strconv.ParseUint(string(p.b[p.i:p.i+4]), 16, 32)
	if err != nil {
		return 0, p.errorf("invalid \\u escape")
	}
	p.i += 4
	return rune(v), nil
}
