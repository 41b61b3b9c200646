package mdn

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
)

// trainedModel returns a small mixture model trained a few epochs, so it has
// optimizer state and an epoch count.
func trainedModel(t testing.TB) (*Model, Dataset) {
	t.Helper()
	d := Sinusoid(64, 1, true)
	m, err := New(Config{In: 1, Out: 1, Hidden: []int{6, 4}, K: 3, SigmaFloor: 1e-3}, 3)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Train(context.Background(), d, TrainOptions{Epochs: 3}); err != nil {
		t.Fatal(err)
	}
	return m, d
}

func sameModel(t *testing.T, a, b *Model) {
	t.Helper()
	ca, cb := a.Config(), b.Config()
	if ca.In != cb.In || ca.Out != cb.Out || ca.K != cb.K || ca.SigmaFloor != cb.SigmaFloor || !slices.Equal(ca.Hidden, cb.Hidden) {
		t.Fatalf("config %+v, want %+v", cb, ca)
	}
	if !slices.Equal(a.params, b.params) || a.epochs != b.epochs {
		t.Fatalf("parameters or epochs differ after the round trip")
	}
	if a.opt.name != b.opt.name || a.opt.step != b.opt.step || !slices.Equal(a.opt.m, b.opt.m) || !slices.Equal(a.opt.v, b.opt.v) {
		t.Fatalf("optimizer state differs after the round trip")
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	m, d := trainedModel(t)
	path := filepath.Join(t.TempDir(), "model.mdn")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	// Saving again replaces the file atomically and leaves no temporary.
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(filepath.Dir(path))
	if len(ents) != 1 {
		t.Fatalf("directory holds %d entries after saving, want 1", len(ents))
	}
	m2, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	sameModel(t, m, m2)
	l1, _ := m.Loss(d)
	l2, _ := m2.Loss(d)
	if l1 != l2 {
		t.Fatalf("loss %v after loading, %v before", l2, l1)
	}

	var buf bytes.Buffer
	if _, err := m.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	var m3 Model
	if _, err := m3.ReadFrom(&buf); err != nil {
		t.Fatal(err)
	}
	sameModel(t, m, &m3)

	// A fresh model has no optimizer state; that round-trips too.
	f, _ := New(Config{In: 2, Out: 3}, 1)
	b, _ := f.MarshalBinary()
	var f2 Model
	if err := f2.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	sameModel(t, f, &f2)
}

func TestSaveErrors(t *testing.T) {
	m, _ := New(Config{In: 1, Out: 1, K: 1}, 1)
	if err := m.Save(filepath.Join(t.TempDir(), "missing", "m.mdn")); err == nil {
		t.Fatal("Save into a missing directory succeeded")
	}
	if _, err := Load(filepath.Join(t.TempDir(), "none")); err == nil {
		t.Fatal("Load of a missing file succeeded")
	}
}

// reseal recomputes the checksum of an edited encoding, so the decoder's
// other checks are what reject it.
func reseal(b []byte) []byte {
	b = slices.Clone(b)
	binary.LittleEndian.PutUint32(b[len(b)-4:], crc32.Checksum(b[:len(b)-4], castagnoli))
	return b
}

func TestLoadRejectsCorruptFiles(t *testing.T) {
	m, _ := trainedModel(t)
	good, _ := m.MarshalBinary()
	mustFail := func(name string, b []byte) {
		t.Helper()
		var x Model
		err := x.UnmarshalBinary(b)
		if err == nil {
			t.Fatalf("%s: accepted", name)
		}
		if !errors.Is(err, ErrFormat) {
			t.Fatalf("%s: error %v does not wrap ErrFormat", name, err)
		}
		if x.params != nil {
			t.Fatalf("%s: model changed by a failed load", name)
		}
	}
	for n := range len(good) {
		mustFail("truncated", good[:n])
	}
	mustFail("extended", append(slices.Clone(good), 0))
	for i := range len(good) * 8 {
		b := slices.Clone(good)
		b[i/8] ^= 1 << (i % 8)
		mustFail("bit flip", b)
	}

	// Field offsets of the encoding (two hidden layers).
	const (
		offVersion = 8
		offIn      = 12
		offK       = 20
		offNHidden = 24
		offHidden0 = 28
		offFloor   = 36
		offEpochs  = 44
		offScaling = 52
		offXCols   = 53
		offYCols   = 57
		offNParams = 61
		offParams  = 69
	)
	put32 := func(off int, v uint32) []byte {
		b := slices.Clone(good)
		binary.LittleEndian.PutUint32(b[off:], v)
		return reseal(b)
	}
	put64 := func(off int, v uint64) []byte {
		b := slices.Clone(good)
		binary.LittleEndian.PutUint64(b[off:], v)
		return reseal(b)
	}
	mustFail("bad magic", reseal(append([]byte("XDNSIMD\x1a"), good[8:]...)))
	mustFail("wrong version", put32(offVersion, 3))
	mustFail("version 0", put32(offVersion, 0))
	mustFail("version 2 body labelled version 1", put32(offVersion, 1))
	mustFail("in = 0", put32(offIn, 0))
	mustFail("huge in", put32(offIn, 1<<31))
	mustFail("huge k", put32(offK, 0xffffffff))
	mustFail("hidden count 2^32-1", put32(offNHidden, 0xffffffff))
	mustFail("hidden count 3", put32(offNHidden, 3))
	mustFail("hidden count 0", put32(offNHidden, 0))
	mustFail("zero hidden width", put32(offHidden0, 0))
	mustFail("huge hidden width", put32(offHidden0, 1<<30))
	mustFail("NaN sigma floor", put64(offFloor, math.Float64bits(math.NaN())))
	mustFail("negative sigma floor", put64(offFloor, math.Float64bits(-1)))
	mustFail("epochs > MaxInt64", put64(offEpochs, 1<<63))
	b0 := slices.Clone(good)
	b0[offScaling] = 2
	mustFail("scaling flag 2", reseal(b0))
	b0[offScaling] = 1
	mustFail("scaling flag set, no scaling", reseal(b0))
	mustFail("input names without target names", put32(offXCols, 1))
	mustFail("target names without input names", put32(offYCols, 1))
	mustFail("input name count 2^32-1", put32(offXCols, 0xffffffff))
	mustFail("param count 2^64-1", put64(offNParams, math.MaxUint64))
	mustFail("param count +1", put64(offNParams, uint64(len(m.params)+1)))
	mustFail("NaN parameter", put32(offParams, math.Float32bits(float32(math.NaN()))))
	mustFail("Inf parameter", put32(offParams, math.Float32bits(float32(math.Inf(1)))))
	offOpt := offParams + 4*len(m.params)
	b := slices.Clone(good)
	b[offOpt+1] = 'x' // "adam" → "xdam"
	mustFail("unknown optimizer", reseal(b))
	b = slices.Clone(good)
	b[offOpt] = 200
	mustFail("optimizer name too long", reseal(b))
	b = slices.Clone(good)
	b[offOpt+1+len(m.opt.name)+8] = 7
	mustFail("bad optimizer flags", reseal(b))
	mustFail("negative optimizer step", put64(offOpt+1+len(m.opt.name), 1<<63))
	mustFail("optimizer step past maxOptStep", put64(offOpt+1+len(m.opt.name), maxOptStep+1))
	// Adam with its first moment alone (flags 1, the v floats dropped), and
	// with a negative mean of squares.
	offFlags := offOpt + 1 + len(m.opt.name) + 8
	offV := offFlags + 1 + 4*len(m.params)
	if m.opt.name != Adam || good[offFlags] != 3 {
		t.Fatal("the offsets above assume a model trained with Adam")
	}
	b = append(slices.Clone(good[:offFlags]), 1)
	b = append(b, good[offFlags+1:offV]...)
	mustFail("Adam without v", reseal(append(b, 0, 0, 0, 0)))
	mustFail("negative Adam v", put32(offV, math.Float32bits(-1)))

	// A hostile header that declares a huge model is rejected without
	// allocating for it: a 1→1024→1024→(K=1024) model would need ~1.1M
	// parameters (4 MiB), the file holds a few hundred bytes.
	h := slices.Clone(good[:offParams])
	if m.units != nil || m.xCols != nil {
		t.Fatal("the offsets above assume a model without scaling or column names")
	}
	binary.LittleEndian.PutUint32(h[offHidden0:], 1024)
	binary.LittleEndian.PutUint32(h[offHidden0+4:], 1024)
	binary.LittleEndian.PutUint32(h[offK:], 1024)
	cfg := Config{In: 1, Out: 1, Hidden: []int{1024, 1024}, K: 1024}
	np, _ := cfg.validate()
	binary.LittleEndian.PutUint64(h[offNParams:], uint64(np))
	h = append(h, good[offParams:]...)
	h = reseal(h)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	before := ms.TotalAlloc
	mustFail("hostile size", h)
	runtime.ReadMemStats(&ms)
	if got := ms.TotalAlloc - before; got > 64<<10 {
		t.Fatalf("rejecting a hostile header allocated %d bytes", got)
	}

	// The same checks apply through Load and ReadFrom.
	path := filepath.Join(t.TempDir(), "bad.mdn")
	os.WriteFile(path, good[:len(good)/2], 0o644)
	if _, err := Load(path); !errors.Is(err, ErrFormat) {
		t.Fatalf("Load of a truncated file: %v", err)
	}
	var x Model
	if _, err := x.ReadFrom(bytes.NewReader(h)); !errors.Is(err, ErrFormat) {
		t.Fatalf("ReadFrom of a hostile stream: %v", err)
	}
}

// FuzzUnmarshal checks that no input makes decoding panic, and that what
// decodes re-encodes to the same bytes.
func FuzzUnmarshal(f *testing.F) {
	m, _ := trainedModel(f)
	good, _ := m.MarshalBinary()
	f.Add(good)
	f.Add(good[:40])
	fresh, _ := New(Config{In: 1, Out: 2, K: 2}, 1)
	b, _ := fresh.MarshalBinary()
	f.Add(b)
	f.Fuzz(func(t *testing.T, data []byte) {
		var x Model
		if err := x.UnmarshalBinary(data); err != nil {
			return
		}
		again, _ := x.MarshalBinary()
		if binary.LittleEndian.Uint32(data[8:]) == 1 {
			// Version 1 is written as version 2; that must read back the same.
			var y Model
			if err := y.UnmarshalBinary(again); err != nil {
				t.Fatalf("re-encoded version 1 model does not decode: %v", err)
			}
			data, _ = y.MarshalBinary()
		}
		if !bytes.Equal(again, data) {
			t.Fatal("decoded model re-encodes differently")
		}
	})
}

// FuzzUnmarshalSealed fixes up the checksum of every input, so the fuzzer
// explores the parser behind it: sizes, counts and names.
func FuzzUnmarshalSealed(f *testing.F) {
	m, _ := trainedModel(f)
	good, _ := m.MarshalBinary()
	f.Add(good)
	fresh, _ := New(Config{In: 1, Out: 2, K: 2}, 1)
	b, _ := fresh.MarshalBinary()
	f.Add(b)
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 4 {
			return
		}
		data = reseal(data)
		var x Model
		if err := x.UnmarshalBinary(data); err != nil {
			return
		}
		if _, err := x.Mixture(make([]float32, x.cfg.In)); err != nil && x.cfg.K > 0 {
			t.Fatalf("decoded model cannot predict: %v", err)
		}
	})
}
