package safetensors

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// file assembles a safetensors file from a header text and a data buffer.
func file(header string, data []byte) []byte {
	b := binary.LittleEndian.AppendUint64(nil, uint64(len(header)))
	return append(append(b, header...), data...)
}

func TestRoundTrip(t *testing.T) {
	ts := []Tensor{
		F32("a.weight", []int{2, 3}, []float32{1, 2, 3, 4, 5, float32(math.Inf(-1))}),
		F32("a.bias", []int{2}, []float32{-0.5, 7}),
		{Name: "empty", DType: "F64", Shape: []int{0, 4}, Data: []byte{}},
		{Name: "scalar", DType: "BF16", Shape: []int{}, Data: []byte{0x80, 0x3f}},
		F32(`odd "name"\`+"\x01é", []int{1}, []float32{9}),
	}
	meta := map[string]string{"format": "pt", "note": "a \"quoted\"\nline"}
	b, err := Marshal(ts, meta)
	if err != nil {
		t.Fatal(err)
	}
	hl := binary.LittleEndian.Uint64(b)
	if hl%8 != 0 || !bytes.HasPrefix(b[8:], []byte(`{"__metadata__":{"format":"pt"`)) {
		t.Fatalf("header of %d bytes: %q", hl, b[8:8+hl])
	}
	f, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Metadata) != 2 || f.Metadata["note"] != meta["note"] {
		t.Fatalf("metadata %q", f.Metadata)
	}
	if len(f.Tensors) != len(ts) {
		t.Fatalf("%d tensors", len(f.Tensors))
	}
	for _, want := range ts {
		got, ok := f.Tensor(want.Name)
		if !ok || got.DType != want.DType || !slices.Equal(got.Shape, want.Shape) || !bytes.Equal(got.Data, want.Data) {
			t.Errorf("tensor %q: got %+v, want %+v", want.Name, got, want)
		}
	}
	v, _ := f.Tensors[len(f.Tensors)-1].Float32s() // the BF16 scalar, data last
	if s, _ := f.Tensor("scalar"); s.Len() != 1 {
		t.Fatal("a scalar has one element")
	}
	_ = v
	if sc, _ := f.Tensor("scalar"); true {
		v, err := sc.Float32s()
		if err != nil || len(v) != 1 || v[0] != 1 {
			t.Fatalf("BF16 0x3f80 = %v (%v), want 1", v, err)
		}
	}
	// No metadata: none written, none read.
	b, _ = Marshal(ts[:1], nil)
	if f, err := Parse(b); err != nil || f.Metadata != nil || bytes.Contains(b, []byte("__metadata__")) {
		t.Fatalf("without metadata: %v, %v", f, err)
	}
	for _, bad := range [][]Tensor{
		{ts[0], ts[0]},
		{{Name: "__metadata__", DType: "F32", Shape: []int{0}}},
		{{Name: "x", DType: "F33", Shape: []int{0}}},
		{{Name: "x", DType: "F32", Shape: []int{2}, Data: make([]byte, 4)}},
		{{Name: "\xff", DType: "F32", Shape: []int{0}}},
	} {
		if _, err := Marshal(bad, nil); err == nil {
			t.Errorf("Marshal(%+v) succeeded", bad)
		}
	}
}

// TestHeaderSyntax: the JSON the parser accepts and refuses.
func TestHeaderSyntax(t *testing.T) {
	four := []byte{0, 0, 0x80, 0x3f}
	ok := []string{
		`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`,
		" {\"a\" : {\"data_offsets\" : [ 0 , 4 ] , \"shape\":[1],\"dtype\":\"F32\"}}   ",
		`{"\u0061\t\/\"\\\ud83d\ude00":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"__metadata__":{}}`,
		`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}` + "\n\t ",
	}
	for _, h := range ok {
		if h[0] == ' ' {
			// A header must start with '{'.
			if _, err := Parse(file(h, four)); err == nil {
				t.Errorf("header starting with a space accepted: %q", h)
			}
			continue
		}
		if _, err := Parse(file(h, four)); err != nil {
			t.Errorf("%q: %v", h, err)
		}
	}
	f, err := Parse(file(ok[2], four))
	if err != nil || f.Tensors[0].Name != "a\t/\"\\😀" {
		t.Errorf("escapes: %q, %v", f.Tensors[0].Name, err)
	}
	bad := map[string]string{
		"not JSON":             `not json at all`,
		"truncated":            `{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}`,
		"array":                `[1,2]`,
		"trailing garbage":     `{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}x`,
		"two objects":          `{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}{}`,
		"duplicate name":       `{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[0],"data_offsets":[4,4]}}`,
		"duplicate metadata":   `{"__metadata__":{},"__metadata__":{},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`,
		"duplicate meta key":   `{"__metadata__":{"k":"1","k":"2"},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`,
		"duplicate field":      `{"a":{"dtype":"F32","dtype":"F32","shape":[1],"data_offsets":[0,4]}}`,
		"unknown field":        `{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":1}}`,
		"missing dtype":        `{"a":{"shape":[1],"data_offsets":[0,4]}}`,
		"missing shape":        `{"a":{"dtype":"F32","data_offsets":[0,4]}}`,
		"missing offsets":      `{"a":{"dtype":"F32","shape":[1]}}`,
		"unknown dtype":        `{"a":{"dtype":"F33","shape":[1],"data_offsets":[0,4]}}`,
		"dtype not a string":   `{"a":{"dtype":4,"shape":[1],"data_offsets":[0,4]}}`,
		"negative dim":         `{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}`,
		"fraction":             `{"a":{"dtype":"F32","shape":[1.0],"data_offsets":[0,4]}}`,
		"exponent":             `{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4e0]}}`,
		"leading zero":         `{"a":{"dtype":"F32","shape":[01],"data_offsets":[0,4]}}`,
		"huge integer":         `{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,99999999999999999999]}}`,
		"huge dimension":       `{"a":{"dtype":"F32","shape":[2147483648],"data_offsets":[0,4]}}`,
		"three offsets":        `{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4,4]}}`,
		"one offset":           `{"a":{"dtype":"F32","shape":[1],"data_offsets":[4]}}`,
		"metadata number":      `{"__metadata__":{"k":1},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`,
		"control char":         "{\"a\x01\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
		"bad escape":           `{"a\q":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`,
		"bad unicode escape":   `{"a\u12":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`,
		"unterminated string":  `{"a`,
		"invalid UTF-8":        "{\"a\xff\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
		"trailing comma":       `{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},}`,
		"missing colon":        `{"a" {"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`,
		"65 dimensions":        `{"a":{"dtype":"F32","shape":[1` + strings.Repeat(",1", 64) + `],"data_offsets":[0,4]}}`,
		"empty header":         ``,
		"null":                 `null`,
		"tensor not an object": `{"a":[1]}`,
	}
	for name, h := range bad {
		_, err := Parse(file(h, four))
		if err == nil {
			t.Errorf("%s: accepted %q", name, h)
		} else if !errors.Is(err, ErrFormat) {
			t.Errorf("%s: error %v does not wrap ErrFormat", name, err)
		}
	}
	// 64 dimensions are fine.
	if _, err := Parse(file(`{"a":{"dtype":"F32","shape":[1`+strings.Repeat(",1", 63)+`],"data_offsets":[0,4]}}`, four)); err != nil {
		t.Errorf("64 dimensions: %v", err)
	}
}

// TestLayoutChecks: the header length, the offsets and the sizes.
func TestLayoutChecks(t *testing.T) {
	t2 := func(o1, o2 string) string {
		return `{"a":{"dtype":"F32","shape":[1],"data_offsets":` + o1 + `},"b":{"dtype":"F16","shape":[2],"data_offsets":` + o2 + `}}`
	}
	data := make([]byte, 8)
	if _, err := Parse(file(t2("[0,4]", "[4,8]"), data)); err != nil {
		t.Fatalf("valid file: %v", err)
	}
	if f, err := Parse(file(t2("[4,8]", "[0,4]"), data)); err != nil || f.Tensors[0].Name != "b" {
		t.Fatalf("tensors out of header order: %v (want them in data order)", err)
	}
	for name, b := range map[string][]byte{
		"empty":                   nil,
		"7 bytes":                 make([]byte, 7),
		"header past the end":     binary.LittleEndian.AppendUint64(nil, 100),
		"header length 2^64-1":    binary.LittleEndian.AppendUint64(nil, math.MaxUint64),
		"header beyond MaxHeader": append(binary.LittleEndian.AppendUint64(nil, MaxHeader+1), make([]byte, MaxHeader+1)...),
		"overlap":                 file(t2("[0,4]", "[2,6]"), data),
		"gap":                     file(t2("[0,4]", "[5,9]"), make([]byte, 9)),
		"not from 0":              file(t2("[1,5]", "[5,9]"), make([]byte, 9)),
		"end before begin":        file(t2("[0,4]", "[8,4]"), data),
		"out of range":            file(t2("[0,4]", "[4,8]"), data[:6]),
		"trailing data":           file(t2("[0,4]", "[4,8]"), make([]byte, 9)),
		"size mismatch":           file(t2("[0,4]", "[4,6]"), data[:6]),
		"shape vs bytes":          file(`{"a":{"dtype":"F64","shape":[1],"data_offsets":[0,4]}}`, data[:4]),
		"huge shape":              file(`{"a":{"dtype":"F64","shape":[2147483647,2147483647,2147483647],"data_offsets":[0,4]}}`, data[:4]),
		"data without tensors":    file(`{}`, data[:4]),
		"same range twice":        file(t2("[0,4]", "[0,4]"), data[:4]),
	} {
		_, err := Parse(b)
		if err == nil {
			t.Errorf("%s: accepted", name)
		} else if !errors.Is(err, ErrFormat) {
			t.Errorf("%s: error %v does not wrap ErrFormat", name, err)
		}
	}
	// Zero-size tensors may share an offset; an empty file of tensors is valid.
	if _, err := Parse(file(`{"a":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},"b":{"dtype":"U8","shape":[3,0],"data_offsets":[0,0]},"c":{"dtype":"I8","shape":[2],"data_offsets":[0,2]}}`, data[:2])); err != nil {
		t.Errorf("zero-size tensors: %v", err)
	}
	if f, err := Parse(file(`{}`, nil)); err != nil || len(f.Tensors) != 0 {
		t.Errorf("no tensors: %v", err)
	}
	// A shape with a zero anywhere has no elements, however large the rest.
	if _, err := Parse(file(`{"a":{"dtype":"F64","shape":[2147483647,0,2147483647],"data_offsets":[0,0]}}`, nil)); err != nil {
		t.Errorf("zero dimension: %v", err)
	}
}

// TestHeaderAlloc: hostile headers of many small entries (tensors with
// many dimensions, tensors with none, the most metadata keys) allocate at
// most AllocBound: a small multiple of the file, plus a constant for the
// bounded metadata. A header length beyond the file is refused before
// anything is allocated for it.
func TestHeaderAlloc(t *testing.T) {
	name := func(i int) string {
		var b []byte
		for ; ; i /= 26 {
			b = append(b, byte('a'+i%26))
			if i < 26 {
				return string(b)
			}
		}
	}
	var dims, bare, meta strings.Builder
	dims.WriteString(`{`)
	bare.WriteString(`{`)
	meta.WriteString(`{"__metadata__":{`)
	for i := range 20000 {
		if i > 0 {
			dims.WriteByte(',')
			bare.WriteByte(',')
		}
		dims.WriteString(`"` + name(i) + `":{"dtype":"U8","shape":[1,1,1,1,1,1,1,1,1,1,1,1,1,1],"data_offsets":[` + strconv.Itoa(i) + `,` + strconv.Itoa(i+1) + `]}`)
		bare.WriteString(`"` + name(i) + `":{"dtype":"U8","shape":[0],"data_offsets":[0,0]}`)
	}
	for i := range maxMetadata {
		if i > 0 {
			meta.WriteByte(',')
		}
		meta.WriteString(`"` + name(i) + `":""`)
	}
	dims.WriteString(`}`)
	bare.WriteString(`}`)
	meta.WriteString(`}}`)
	for what, b := range map[string][]byte{
		"20000 tensors of 14 dimensions": file(dims.String(), make([]byte, 20000)),
		"20000 empty tensors":            file(bare.String(), nil),
		"4096 metadata keys":             file(meta.String(), nil),
	} {
		var err error
		alloc := allocated(func() { _, err = Parse(b) })
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		t.Logf("%s, %d bytes: %d bytes allocated (%.1f×)", what, len(b), alloc, float64(alloc)/float64(len(b)))
		if alloc > AllocBound(len(b)) {
			t.Errorf("%s: allocated %d bytes for a %d-byte file, bound %d", what, alloc, len(b), AllocBound(len(b)))
		}
	}
	if a := allocated(func() { Parse(binary.LittleEndian.AppendUint64(nil, MaxHeader)) }); a > 64<<10 {
		t.Errorf("a header length past the file allocated %d bytes", a)
	}
}

func allocated(f func()) uint64 {
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	f()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

// TestFloat32s: F32 as is, F64 rounded to nearest once, F16 and BF16
// exactly (every one of the 65536 halves against its value computed from
// the bits in float64).
func TestFloat32s(t *testing.T) {
	f64 := []float64{1, 1 + 0x1p-24, 1 + 0x1p-24 + 0x1p-50, -3.40282350e38, 1e39, 1e-46, math.NaN()}
	b := make([]byte, 8*len(f64))
	for i, v := range f64 {
		binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(v))
	}
	v, err := Tensor{Name: "d", DType: "F64", Shape: []int{len(f64)}, Data: b}.Float32s()
	if err != nil {
		t.Fatal(err)
	}
	want := []float32{1, 1, 1 + 0x1p-23, -math.MaxFloat32, float32(math.Inf(1)), 0}
	for i, w := range want {
		if math.Float32bits(v[i]) != math.Float32bits(w) {
			t.Errorf("F64 %v → %v, want %v", f64[i], v[i], w)
		}
	}
	if !math.IsNaN(float64(v[6])) {
		t.Error("F64 NaN did not stay NaN")
	}
	h := make([]byte, 2<<16)
	for i := range 1 << 16 {
		binary.LittleEndian.PutUint16(h[2*i:], uint16(i))
	}
	half, err := Tensor{Name: "h", DType: "F16", Shape: []int{1 << 16}, Data: h}.Float32s()
	if err != nil {
		t.Fatal(err)
	}
	bf, err := Tensor{Name: "b", DType: "BF16", Shape: []int{1 << 16}, Data: h}.Float32s()
	if err != nil {
		t.Fatal(err)
	}
	for i := range 1 << 16 {
		sign := 1.0
		if i&0x8000 != 0 {
			sign = -1
		}
		e, m := i>>10&0x1f, float64(i&0x3ff)
		var w float64
		switch {
		case e == 0x1f && m == 0:
			w = math.Inf(int(sign))
		case e == 0x1f:
			w = math.NaN()
		case e == 0:
			w = sign * m * 0x1p-24
		default:
			w = sign * (1 + m/1024) * math.Ldexp(1, e-15)
		}
		got := float64(half[i])
		if got != w && !(math.IsNaN(got) && math.IsNaN(w)) || w == 0 && math.Signbit(got) != (sign < 0) {
			t.Fatalf("F16 %#04x → %v, want %v", i, got, w)
		}
		if math.Float32bits(bf[i]) != uint32(i)<<16 {
			t.Fatalf("BF16 %#04x → %#08x", i, math.Float32bits(bf[i]))
		}
	}
	for _, dt := range []string{"I64", "U8", "BOOL"} {
		if _, err := (Tensor{Name: "i", DType: dt, Shape: []int{1}, Data: make([]byte, DTypeSize(dt))}).Float32s(); err == nil {
			t.Errorf("Float32s of %s succeeded", dt)
		}
	}
}

// TestMarshalHeaderLimit: Marshal refuses a header longer than MaxHeader,
// which Parse, and so an import of the file, would refuse.
func TestMarshalHeaderLimit(t *testing.T) {
	ts := []Tensor{F32("a", []int{1}, []float32{1})}
	if _, err := Marshal(ts, map[string]string{"note": strings.Repeat("x", MaxHeader)}); err == nil || !strings.Contains(err.Error(), "MaxHeader") {
		t.Errorf("a header over MaxHeader: %v", err)
	}
	b, err := Marshal(ts, map[string]string{"note": strings.Repeat("x", MaxHeader-200)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Parse(b); err != nil {
		t.Errorf("a header just under MaxHeader does not parse: %v", err)
	}
}

// TestMarshalShapeChecks: Marshal refuses a shape with negative
// dimensions (two of them multiply to a positive length that matches the
// data) or whose product wraps past an int (to 0, matching no data).
func TestMarshalShapeChecks(t *testing.T) {
	for _, c := range []struct {
		shape []int
		bytes int
	}{{[]int{-1, -1}, 4}, {[]int{-2, -3}, 24}, {[]int{1 << 62, 4}, 0}, {[]int{1 << 32, 1 << 32}, 0}} {
		if _, err := Marshal([]Tensor{{Name: "a", DType: "F32", Shape: c.shape, Data: make([]byte, c.bytes)}}, nil); err == nil {
			t.Errorf("shape %v with %d bytes: written", c.shape, c.bytes)
		}
	}
}
