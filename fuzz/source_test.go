package fuzz

import (
	"encoding/binary"
	"hash/fnv"
	"math"
	"math/rand/v2"

	"github.com/mdnsimd/mdnsimd/internal/f32test"
)

// source turns fuzz bytes into float32 values. The low two bits of mode pick
// the decoder; bit 2 asks for in-place operation where a kernel allows it;
// bits 3..7 pick a scale 2^(e−12) for the tame decoders. When the bytes run
// out, values come from a PCG seeded with a hash of mode and bytes, so a
// short input still fills large shapes reproducibly.
//
//	mode&3 == 0  raw: 4 bytes reinterpreted as float32 bits (NaN payloads,
//	             ±Inf, −0, subnormals, every exponent)
//	mode&3 == 1  tame: int16/2^15 · scale
//	mode&3 == 2  tame with specials: as 1, but an int16 whose low byte is
//	             0x80 selects f32test.Specials[high byte]
//	mode&3 == 3  near one: random sign and mantissa, exponent within 2^±8,
//	             the range where exp and tanh do their real work
type source struct {
	b     []byte
	mode  uint8
	scale float32
	r     *rand.Rand
	frees []func()
}

// release unmaps the fenced slices input handed out.
func (s *source) release() {
	for _, f := range s.frees {
		f()
	}
	s.frees = nil
}

// input returns a slice of n values from s for a kernel to read only. One
// time in two it lies against an inaccessible page (fenced: before its
// start or after its end, at random), so an over-read faults; otherwise it
// is guarded like an output. The caller must defer s.release().
func (s *source) input(n int) ([]float32, func() error) {
	if s.r.IntN(2) == 0 {
		if x, free := f32test.Fenced(n, s.r.IntN(2) == 0); free != nil {
			s.frees = append(s.frees, free)
			s.fill(x)
			return x, func() error { return nil }
		}
	}
	x, check := f32test.Guarded(n, s.offset())
	s.fill(x)
	return x, check
}

// inputOrInPlace is input, or guarded when the kernel is to work in place
// on the slice (it is then also an output).
func (s *source) inputOrInPlace(n int) ([]float32, func() error) {
	if s.inPlace() {
		return s.guarded(n)
	}
	return s.input(n)
}

func newSource(mode uint8, data []byte) *source {
	h := fnv.New64a()
	h.Write([]byte{mode})
	h.Write(data)
	s := h.Sum64()
	return &source{
		b:     data,
		mode:  mode,
		scale: float32(math.Ldexp(1, int(mode>>3)-12)),
		r:     rand.New(rand.NewPCG(s, s^0x9e3779b97f4a7c15)),
	}
}

func (s *source) inPlace() bool { return s.mode&4 != 0 }

func (s *source) take(n int) ([]byte, bool) {
	if len(s.b) < n {
		s.b = nil
		return nil, false
	}
	b := s.b[:n]
	s.b = s.b[n:]
	return b, true
}

func (s *source) f32() float32 {
	switch s.mode & 3 {
	case 0:
		if b, ok := s.take(4); ok {
			return math.Float32frombits(binary.LittleEndian.Uint32(b))
		}
		return math.Float32frombits(s.r.Uint32())
	case 1, 2:
		var v int16
		if b, ok := s.take(2); ok {
			v = int16(binary.LittleEndian.Uint16(b))
		} else {
			v = int16(s.r.Uint32())
			if s.r.IntN(32) != 0 {
				v &^= 0x80 // rarely a special when the bytes ran out
			}
		}
		if s.mode&3 == 2 && v&0xff == 0x80 {
			sp := f32test.Specials
			return sp[int(uint16(v)>>8)%len(sp)]
		}
		return float32(v) / 32768 * s.scale
	default:
		var u uint32
		if b, ok := s.take(4); ok {
			u = binary.LittleEndian.Uint32(b)
		} else {
			u = s.r.Uint32()
		}
		e := uint32(int32(127) + int32(int8(u>>24))>>4) // 119..134
		return math.Float32frombits(u&0x807fffff | e<<23)
	}
}

func (s *source) fill(x []float32) {
	for i := range x {
		x[i] = s.f32()
	}
}

// offset is the guard offset (0..7 elements past a 32-byte boundary).
func (s *source) offset() int { return s.r.IntN(8) }

// guarded returns a slice of n values from s for a kernel to write (or to
// read and write), and its check: see output.
func (s *source) guarded(n int) ([]float32, func() error) {
	x, check := s.output(n)
	s.fill(x)
	return x, check
}

// output returns a slice of n elements for an output. One time in two it
// lies against an inaccessible page (fenced, before its start or after its
// end, at random), so that any access past that end faults, a masked store
// whose masked-off lanes reach over it included, which guard values
// cannot show; otherwise f32test.Guarded places it at a varying alignment
// and check looks at its guards. The caller must defer s.release().
func (s *source) output(n int) (x []float32, check func() error) {
	if s.r.IntN(2) == 0 {
		if x, free := f32test.Fenced(n, s.r.IntN(2) == 0); free != nil {
			s.frees = append(s.frees, free)
			return x, func() error { return nil }
		}
	}
	return f32test.Guarded(n, s.offset())
}

// garbage returns an output (see output) of n NaNs with a payload no
// kernel produces, for outputs the kernel must overwrite.
func garbage(s *source, n int) ([]float32, func() error) {
	x, check := s.output(n)
	for i := range x {
		x[i] = math.Float32frombits(0x7fc0dead)
	}
	return x, check
}

// Shapes. Each dimension comes from a fuzzed integer; the ranges cover the
// unroll and register-block boundaries (…7,8,9…63,64,65…255,256,257) while
// keeping one execution cheap enough for the fuzzer.

// vlen is the length of an elementwise input: 0..4199.
func vlen(v uint16) int { return int(v % 4200) }

// gdim is one GEMM dimension: 0..263.
func gdim(v uint16) int { return int(v % 264) }

// gemmShape caps rows·in·out at 1<<19 multiply-adds by shrinking rows, so
// the float64 oracle stays fast; in and out keep their fuzzed values.
func gemmShape(r, i, o uint16) (rows, in, out int) {
	rows, in, out = gdim(r), gdim(i), gdim(o)
	if rows*in*out > 1<<19 {
		rows = 1 + rows%5
	}
	return rows, in, out
}

func snapshot(x []float32) []uint32 {
	b := make([]uint32, len(x))
	for i, v := range x {
		b[i] = math.Float32bits(v)
	}
	return b
}

// unchanged reports the first element of x whose bits differ from snap.
func unchanged(name string, x []float32, snap []uint32) error {
	for i, v := range x {
		if math.Float32bits(v) != snap[i] {
			return errorf("input %s[%d] changed from %#x to %#x", name, i, snap[i], math.Float32bits(v))
		}
	}
	return nil
}
