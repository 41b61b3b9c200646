package fuzz

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mdnsimd/mdnsimd/internal/f32test"
	"github.com/mdnsimd/mdnsimd/mdn"
)

// The seed corpus in testdata/fuzz/<Target>/seed-* is written by
//
//	MDNSIMD_WRITE_SEEDS=1 go test -run TestWriteSeeds ./fuzz
//
// and committed; plain `go test ./fuzz` replays it with every entry the
// fuzzer has found (the files with hash names). The seeds put every shape
// on the unroll and register-block boundaries of the kernels (lengths 0, 1,
// 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, … 4099; GEMM tiles of 6×16)
// with raw, tame, special-laden and near-one values.

// Decoder modes (see source).
const (
	modeRaw     = 0
	modeTame    = 1 | 12<<3 // values in ±1
	modeSpecial = 2 | 12<<3 // ±1 and f32test.Specials
	modeNear1   = 3
	modeInPlace = 4
)

// tameMode returns the tame decoder with values in ±2^e.
func tameMode(e int) uint8 { return uint8(1 | (e+12)<<3) }

var boundaryLens = []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 15, 16, 17, 23, 24, 25, 31, 32, 33, 47, 48, 49, 63, 64, 65, 127, 128, 129, 255, 256, 257, 1000, 4096, 4099}

type seed struct {
	name string
	args []any
}

func marshalSeed(args []any) []byte {
	var b bytes.Buffer
	b.WriteString("go test fuzz v1\n")
	for _, a := range args {
		switch v := a.(type) {
		case uint8:
			fmt.Fprintf(&b, "uint8(%d)\n", v)
		case uint16, uint32, uint64, bool:
			fmt.Fprintf(&b, "%T(%v)\n", v, v)
		case float32:
			if math.IsNaN(float64(v)) {
				fmt.Fprintf(&b, "math.Float32frombits(0x%x)\n", math.Float32bits(v))
			} else {
				fmt.Fprintf(&b, "float32(%v)\n", v)
			}
		case string:
			fmt.Fprintf(&b, "string(%q)\n", v)
		case rune:
			if utf8.ValidRune(v) {
				fmt.Fprintf(&b, "rune(%q)\n", v)
			} else {
				fmt.Fprintf(&b, "int32(%d)\n", v)
			}
		case []byte:
			fmt.Fprintf(&b, "[]byte(%q)\n", v)
		default:
			panic(fmt.Sprintf("seed type %T", a))
		}
	}
	return b.Bytes()
}

func rawFloats(v ...float32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}

func seedsFor(target string) []seed {
	var s []seed
	add := func(name string, args ...any) { s = append(s, seed{name, args}) }
	specials := rawFloats(f32test.Specials...)
	switch target {
	case "FuzzExp", "FuzzTanh", "FuzzLogSumExp":
		for _, n := range boundaryLens {
			add(fmt.Sprintf("n%d-near1", n), uint16(n), uint8(modeNear1), []byte(nil))
			add(fmt.Sprintf("n%d-raw", n), uint16(n), uint8(modeRaw), []byte(nil))
		}
		for _, n := range []int{7, 8, 9, 33} {
			add(fmt.Sprintf("n%d-inplace", n), uint16(n), uint8(modeNear1|modeInPlace), []byte(nil))
			add(fmt.Sprintf("n%d-special", n), uint16(n), uint8(modeSpecial), []byte(nil))
		}
		add("specials", uint16(len(f32test.Specials)), uint8(modeRaw), specials)
		add("range", uint16(64), tameMode(7), []byte(nil)) // ±128: overflow, underflow, saturation
		add("subnormal-results", uint16(16), uint8(modeRaw), rawFloats(-87.5, -90, -100, -103.2, -103.9, -104, -110, -149*0.6931472, -0.0, 0x1p-149, -0x1p-149, 1e-38, 88.7, 88.72283, 88.72284, 89))
	case "FuzzSoftmax", "FuzzLogSoftmax":
		for _, c := range boundaryLens {
			add(fmt.Sprintf("1x%d", c), uint16(1), uint16(c), tameMode(4), []byte(nil))
			add(fmt.Sprintf("3x%d-raw", c), uint16(3), uint16(c), uint8(modeRaw), []byte(nil))
		}
		for _, c := range []int{1, 7, 8, 9, 17, 33} {
			add(fmt.Sprintf("5x%d-special", c), uint16(5), uint16(c), uint8(modeSpecial), []byte(nil))
			add(fmt.Sprintf("4x%d-inplace", c), uint16(4), uint16(c), tameMode(6)|modeInPlace, []byte(nil))
		}
		inf, ninf := float32(math.Inf(1)), float32(math.Inf(-1))
		add("special-rows", uint16(4), uint16(3), uint8(modeRaw), rawFloats(ninf, ninf, ninf, 1, inf, 2, float32(math.NaN()), 0, 1, ninf, 0, -1e30))
		add("wide-spread", uint16(2), uint16(9), uint8(modeRaw), rawFloats(3e38, -3e38, 0, 1, 2, -1e30, 88, -104, 1e-45, -3e38, 3e38, 1e38, -1e38, 0, 0, 0, 5, 5))
	case "FuzzLinear", "FuzzLinearTanh", "FuzzLinearGradInput", "FuzzLinearGradWeights", "FuzzLinearTanhGradWeights":
		dims := []int{0, 1, 5, 6, 7, 8, 9, 15, 16, 17, 20, 31, 32, 33, 63, 64, 65}
		for i, b := range dims {
			m := []uint8{modeTame, tameMode(3), modeSpecial, modeRaw}[i%4]
			add(fmt.Sprintf("cube%d", b), uint16(b), uint16(b), uint16(b), m, []byte(nil))
			add(fmt.Sprintf("6x%dx16", b), uint16(6), uint16(b), uint16(16), uint8(modeTame), []byte(nil))
			add(fmt.Sprintf("7x20x%d", b), uint16(7), uint16(20), uint16(b), uint8(modeTame|modeInPlace), []byte(nil))
			add(fmt.Sprintf("%dx1x20", b), uint16(b), uint16(1), uint16(20), tameMode(2), []byte(nil))
			add(fmt.Sprintf("13x%dx%d", b, b+1), uint16(13), uint16(b), uint16(b+1), uint8(modeSpecial), []byte(nil))
		}
		// One-input layers at every width with its own backward kernel,
		// and 20-input layers past one 128-row block of the weight gradient.
		for i, o := range []int{4, 8, 12, 16, 24, 32, 40} {
			m := []uint8{tameMode(2), modeSpecial}[i%2]
			add(fmt.Sprintf("33x1x%d", o), uint16(33), uint16(1), uint16(o), m, []byte(nil))
		}
		add("300x20x15", uint16(300), uint16(20), uint16(15), uint8(modeTame), []byte(nil))
		add("129x20x20-special", uint16(129), uint16(20), uint16(20), uint8(modeSpecial), []byte(nil))
		add("seed-layers", uint16(40), uint16(20), uint16(15), uint8(modeTame), []byte(nil))
		add("256", uint16(3), uint16(256), uint16(257), uint8(modeTame), []byte(nil))
		add("overflow", uint16(2), uint16(9), uint16(17), tameMode(70), []byte(nil))
	case "FuzzQuantiles":
		// Rows across batches of eight, K across the kernel's 32, spreads
		// from overlapping to far apart (lv's top bits) and levels from the
		// tails to the middle (all of lv).
		i := 0
		for _, n := range []int{0, 1, 7, 8, 9, 17, 40} {
			for _, k := range []int{1, 2, 5, 20, 32, 33} {
				d := 1 + i%3
				m := []uint8{tameMode(0), tameMode(-2), tameMode(2), modeSpecial, modeRaw}[i%5]
				lv := []uint16{0x0000, 0x9f00, 0xa800, 0xb0ff, 0xffff, 0x2a13, 0xc000}[i%7]
				add(fmt.Sprintf("n%d-k%d-d%d-m%d-l%04x", n, k, d, m, lv), uint16(n), uint16(k-1), uint16(d-1), m, lv, []byte(nil))
				i++
			}
		}
	case "FuzzLinearTanhCols":
		// Rows across the four-vector groups and their masked rest, one
		// to three inputs (the trainer's) and more.
		for i, r := range []int{0, 1, 15, 16, 17, 63, 64, 65, 100, 129} {
			m := []uint8{modeTame, tameMode(3), modeSpecial, modeRaw, tameMode(2) | 4}[i%5]
			in := []int{1, 1, 2, 3, 5}[i%5]
			add(fmt.Sprintf("%dx%dx%d", r, in, 7+i), uint16(r), uint16(in), uint16(7+i), m, uint8(i*9), []byte(nil))
		}
		add("200x1x20", uint16(200), uint16(1), uint16(20), tameMode(2), uint8(13), []byte(nil))
		add("overflow", uint16(33), uint16(9), uint16(3), tameMode(70), uint8(5), []byte(nil))
	case "FuzzMixtureNLLGradCols":
		for i, n := range []int{0, 1, 7, 15, 16, 17, 33, 64, 65} {
			m := []uint8{tameMode(2), tameMode(4), modeSpecial, modeRaw, tameMode(8)}[i%5]
			sc := []float32{1, 0.01, 1.0 / 7, -2, 3e38}[i%5]
			add(fmt.Sprintf("n%d-k5-d1-m%d", n, m), uint16(n), uint16(4), uint16(0), m, sc, uint8(i*7), []byte(nil))
		}
		add("n9-k3-d2", uint16(9), uint16(2), uint16(1), tameMode(2), float32(1), uint8(3), []byte(nil))
	case "FuzzMixtureNLL", "FuzzMixtureNLLGrad":
		type shape struct{ n, k, d int }
		var shapes []shape
		for _, n := range []int{0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 64, 65} {
			shapes = append(shapes, shape{n, 5, 1})
		}
		for _, k := range []int{1, 2, 3, 4, 7, 8, 9, 16, 17} {
			shapes = append(shapes, shape{9, k, 1}, shape{5, k, 2}, shape{3, k, 3})
		}
		for i, sh := range shapes {
			m := []uint8{tameMode(2), tameMode(4), modeSpecial, modeRaw, tameMode(8)}[i%5]
			args := []any{uint16(sh.n), uint16(sh.k - 1), uint16(sh.d - 1), m}
			if target == "FuzzMixtureNLLGrad" {
				args = append(args, []float32{1, 0.01, 1.0 / 7, -2, 3e38}[i%5])
			}
			add(fmt.Sprintf("n%d-k%d-d%d-m%d", sh.n, sh.k, sh.d, m), append(args, []byte(nil))...)
		}
		// Clamp edges: logσ at and beyond LogSigmaMin, z at ZMax, huge logits.
		row := rawFloats(1e30, -1e30, 0, 5, -5, -87, -88, 3e38, 0, 1e20, 0x1p60, -0x1p60, 3.4e38, -3.4e38, 0)
		args := []any{uint16(1), uint16(4), uint16(0), uint8(modeRaw)}
		if target == "FuzzMixtureNLLGrad" {
			args = append(args, float32(1))
		}
		add("clamps", append(args, row)...)
		// A subnormal y − μ scaled by σ⁻¹ = e^87: dμ ≈ −5e30, zero if the
		// kernel treats subnormal inputs as zero.
		args = []any{uint16(1), uint16(0), uint16(0), uint8(modeRaw)}
		if target == "FuzzMixtureNLLGrad" {
			args = append(args, float32(1))
		}
		add("subnormal-input", append(args, rawFloats(0, 0, -87, 0x1p-149))...)
	case "FuzzMixtureGradFD":
		for _, sh := range [][3]int{{1, 1, 1}, {1, 5, 1}, {4, 3, 2}, {9, 8, 4}, {8, 2, 3}} {
			add(fmt.Sprintf("n%d-k%d-d%d", sh[0], sh[1], sh[2]), uint16(sh[0]-1), uint16(sh[1]-1), uint16(sh[2]-1), []byte(nil))
		}
	case "FuzzTrainerGradFD":
		add("seed-net-1-20-k5", packTrainerShape(1, 1, 5, []int{20}, 40, 1), uint64(1), []byte(nil))
		add("mlp-1-20", packTrainerShape(1, 1, 0, []int{20}, 17, 2), uint64(2), []byte(nil))
		add("deep-2d", packTrainerShape(3, 2, 3, []int{7, 9}, 9, 2), uint64(3), []byte(nil))
		add("no-hidden", packTrainerShape(2, 3, 2, nil, 8, 1), uint64(4), []byte(nil))
		add("one-row", packTrainerShape(4, 1, 6, []int{24, 1}, 1, 2), uint64(5), []byte(nil))
		add("cols-3in-k5", packTrainerShape(3, 1, 5, []int{9}, 37, 2), uint64(6), []byte(nil)) // by columns on avx512
	case "FuzzCLI":
		cmds := map[string]uint8{}
		for i, c := range cliCommands {
			cmds[c] = uint8(i)
		}
		for i, c := range []struct{ cmd, args string }{
			{"train", "data.csv"},
			{"train", "-epochs\n5\n-hidden\n4,4\n-k\n3\ndata.csv"},
			{"train", "-x\nx\n-y\ny\n-epochs\n2\ndata.csv"},
			{"train", "-x\nq\ndata.csv"},
			{"train", "-optimizer\nsgd\n-lr\nNaN\ndata.csv"},
			{"train", "-optimizer\nlbfgs\ndata.csv"},
			{"train", "-val\n1.5\ndata.csv"},
			{"train", "-comma\n\"\ndata.csv"},
			{"train", "-comment\n,\ndata.csv"},
			{"train", "-header\nmaybe\ndata.csv"},
			{"train", "-resume\nmodel.mdn\n-epochs\n2\ndata.csv"},
			{"train", "-resume\ndata.csv\ndata.csv"},
			{"train", "-batch\n-1\n-workers\n0\ndata.csv"},
			{"train", "-max-line\n0\ndata.csv"},
			{"train", "-hidden\n0\ndata.csv"},
			{"train", "-hidden\nnone\n-k\n0\n-epochs\n3\ndata.csv"},
			{"train", "-sigma-floor\n-1\ndata.csv"},
			{"train", "-momentum\n1\ndata.csv"},
			{"train", "-clip\nInf\n-epochs\n2\ndata.csv"},
			{"train", "-progress\nbogus\ndata.csv"},
			{"train", "-checkpoint-every\n1\n-epochs\n2\ndata.csv"},
			{"train", "nosuch.csv"},
			{"train", "inputs.csv"},
			{"train", "data.csv\ndata.csv"},
			{"train", "-"},
			{"train", ""},
			{"eval", "-model\nmodel.mdn\ndata.csv"},
			{"eval", "-model\ndata.csv\ndata.csv"},
			{"eval", "-model\nmodel.mdn\ninputs.csv"},
			{"eval", "-model\nmodel.mdn\n-x\n9\ndata.csv"},
			{"sample", "-model\nmodel.mdn\n-x\n1,2,3"},
			{"sample", "-x\n0:1:5\n-what\nmean"},
			{"sample", "-x\n0:1:-1"},
			{"sample", "-x\n1;2"},
			{"sample", "-x\nabc"},
			{"sample", "-x\n1e39"},
			{"sample", "-x\n"},
			{"sample", "-in\ninputs.csv\n-what\nmode"},
			{"sample", "-in\n-"},
			{"sample", "-in\ninputs.csv\n-x\n1"},
			{"sample", "-temp-pi\n-1\n-x\n1"},
			{"sample", "-temp-sigma\nNaN\n-x\n1"},
			{"sample", "-n\n0\n-x\n1"},
			{"sample", "-what\nbogus\n-x\n1"},
			{"sample", "-x\n1\n-o\nout.csv\n-n\n3"},
			{"cpu", ""},
			{"cpu", "extra"},
			{"demo", ""},
			{"demo", "-k\n0"},
			{"demo", "-hidden\n-1"},
			{"demo", "-lr\nInf"},
			{"demo", "-workers\n-2"},
			{"help", ""},
			{"help", "train"},
			{"help", "nosuch"},
			{"", ""},
			{"", "-h"},
			{"nosuch", ""},
			{"train", "-h"},
			{"sample", "--\n-x"},
			{"import", "-from\nmodel.safetensors\n-model\nm2.mdn"},
			{"import", "-from\nmodel.mdn"},
			{"import", "-from\ndata.csv"},
			{"import", "-from\nmodel.safetensors\n-names\nhidden=z_h.*;pi=z_pi;mu=z_mu;sigma=z_sigma\n-mu-order\ndimension"},
			{"import", "-from\nmodel.safetensors\n-names\npi=x"},
			{"import", ""},
			{"export", "-to\nout.safetensors"},
			{"export", "-to\nout.safetensors\n-names\nheads\n-scaling\nkeep"},
			{"export", "-model\ndata.csv\n-to\nx"},
			{"export", "-to\nout.safetensors\n-names\nhidden=a;out=b"},
		} {
			add(fmt.Sprintf("%s-%d", strings.Trim(c.cmd, " "), i), cmds[c.cmd], c.args)
		}
	case "FuzzModelDecode":
		for _, e := range modelEncodings() {
			add(e.name, e.b, false)
			add(e.name+"-truncated", e.b[:len(e.b)/2], false)
			add(e.name+"-truncated-fixed", e.b[:len(e.b)-5], true)
		}
		valid := modelEncodings()[0].b
		hostile := func(name string, off int, v uint32) {
			b := append([]byte(nil), valid...)
			binary.LittleEndian.PutUint32(b[off:], v)
			add(name, b, true)
		}
		hostile("version-3", 8, 3)
		hostile("version-1-body-2", 8, 1)
		hostile("version-0", 8, 0)
		hostile("in-huge", 12, 1<<31)
		hostile("out-zero", 16, 0)
		hostile("k-huge", 20, 0xffffffff)
		hostile("hidden-count-huge", 24, 0xfffffff0)
		hostile("hidden-width-huge", 28, 1<<20)
		add("empty", []byte{}, false)
		add("magic-only", []byte("MDNSIMD\x1a"), false)
		v1, err := os.ReadFile(filepath.Join("..", "mdn", "testdata", "model-v1.mdn"))
		if err != nil {
			panic(err)
		}
		add("version-1-file", v1, false)
		add("version-1-file-truncated", v1[:len(v1)-9], true)
	case "FuzzSafetensors":
		for _, name := range []string{"seed", "half", "deep", "mlp"} {
			b, err := os.ReadFile(filepath.Join("..", "mdn", "testdata", "torch", name+".safetensors"))
			if err != nil {
				panic(err)
			}
			add("torch-"+name, b, "", uint8(0))
			add("torch-"+name+"-truncated", b[:len(b)-3], "", uint8(0))
		}
		deep, _ := os.ReadFile(filepath.Join("..", "mdn", "testdata", "torch", "deep.safetensors"))
		add("torch-deep-map", deep, "hidden=hidden.0,hidden.2;pi=pi;mu=mu;sigma=sigma", uint8(2))
		add("torch-deep-seq", deep, "hidden=hidden.*;pi=pi;mu=mu;sigma=sigma", uint8(1))
		for _, e := range safetensorsEncodings() {
			add(e.name, e.b, "", uint8(0))
		}
		hdr := func(h string, data int) []byte {
			b := binary.LittleEndian.AppendUint64(nil, uint64(len(h)))
			return append(append(b, h...), make([]byte, data)...)
		}
		for name, h := range map[string]string{
			"dup-names":    `{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`,
			"overlap":      `{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`,
			"gap":          `{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[0],"data_offsets":[6,6]}}`,
			"size":         `{"a":{"dtype":"F16","shape":[3],"data_offsets":[0,8]}}`,
			"dtype":        `{"a":{"dtype":"Q4","shape":[1],"data_offsets":[0,8]}}`,
			"not-json":     `{"a" = 1}`,
			"metadata":     `{"__metadata__":{"mdn.activation":"relu"},"z_pi.weight":{"dtype":"F32","shape":[1,1],"data_offsets":[0,4]},"z_mu.weight":{"dtype":"F32","shape":[1,1],"data_offsets":[4,8]}}`,
			"huge-dims":    `{"a":{"dtype":"F64","shape":[2147483647,2147483647,2147483647,2147483647],"data_offsets":[0,8]}}`,
			"escapes":      `{"\u007a_pi.weight":{"dtype":"BF16","shape":[2,2],"data_offsets":[0,8]}}`,
			"single-layer": `{"0.weight":{"dtype":"F32","shape":[1,1],"data_offsets":[0,4]},"0.bias":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`,
		} {
			add(name, hdr(h, 8), "", uint8(0))
		}
		add("header-len-huge", binary.LittleEndian.AppendUint64(nil, 1<<62), "", uint8(0))
		add("header-len-past-end", append(binary.LittleEndian.AppendUint64(nil, 64), "{}"...), "", uint8(0))
		add("empty", []byte{}, "", uint8(0))
	case "FuzzReadCSV":
		texts := []string{
			"x,y\n1,2\n3,4\n",
			"1,2\n3,4\n5,6\n",
			"a,b,c\n1,2,3\n4,5\n",
			"a,b\n1,NaN\n",
			"a,b\n1,+Inf\n2,-inf\n",
			"a,b\n1,1e39\n",
			"a,b\n1,abc\n",
			"a,b\n\"1\",\"2\"\n\"3\n",
			"",
			"\n\n\n",
			"x,y\n",
			"# comment\nx;y\n1;2\n",
			"x\ty\n1\t2\n",
			" 1 , 2 \n 3 , 4 \n",
			"x,y,z\n1,2,3\n4,5,6\n",
			"0x1p-2,1_0\n",
			strings.Repeat("1,", 300) + "1\n",
			strings.Repeat("9", 2000) + ",1\n",
			"x,x\n1,2\n",
			"\xff\xfe,1\n1,2\n",
			strings.Repeat(",", 20000) + "\n",
		}
		for i, tx := range texts {
			add(fmt.Sprintf("text%d", i), []byte(tx), "", "", uint8(0), rune(0), rune(0), uint16(0))
		}
		add("cols-by-name", []byte("x,y,z\n1,2,3\n"), "z,x", "y", uint8(1), rune(0), rune(0), uint16(0))
		add("cols-missing", []byte("x,y\n1,2\n"), "q", "", uint8(0), rune(0), rune(0), uint16(0))
		add("cols-number-out-of-range", []byte("1,2\n"), "0", "99", uint8(2), rune(0), rune(0), uint16(0))
		add("semicolon-comment", []byte("# c\nx;y\n1;2\n"), "", "", uint8(0), ';', '#', uint16(0))
		add("line-limit", []byte("x,y\n1,2\n123456789,1\n"), "", "", uint8(0), rune(0), rune(0), uint16(8))
		add("header-no-names", []byte("x,y\n1,2\n"), "x", "y", uint8(2), rune(0), rune(0), uint16(0))
	}
	return s
}

// modelEncodings returns valid encodings of small models: fresh, and after
// training with each optimizer (so the optimizer state is present).
func modelEncodings() []struct {
	name string
	b    []byte
} {
	var out []struct {
		name string
		b    []byte
	}
	d := mdn.Sinusoid(16, 1, true)
	for _, c := range []struct {
		name string
		cfg  mdn.Config
		opt  mdn.TrainOptions
	}{
		{"mdn-fresh", mdn.Config{In: 1, Out: 1, Hidden: []int{3}, K: 2}, mdn.TrainOptions{}},
		{"mdn-adam", mdn.Config{In: 1, Out: 1, Hidden: []int{4}, K: 2, SigmaFloor: 1e-3}, mdn.TrainOptions{Epochs: 2}},
		{"mlp-sgd-momentum", mdn.Config{In: 1, Out: 1, Hidden: []int{2, 2}}, mdn.TrainOptions{Epochs: 1, Optimizer: mdn.SGD, Momentum: 0.9}},
		{"mdn-rmsprop", mdn.Config{In: 1, Out: 1, K: 1}, mdn.TrainOptions{Epochs: 1, Optimizer: mdn.RMSprop}},
		{"mdn-standardized", mdn.Config{In: 1, Out: 1, Hidden: []int{3}, K: 2, SigmaFloor: 0.1}, mdn.TrainOptions{Epochs: 1, Standardize: true}},
	} {
		m, err := mdn.New(c.cfg, 1)
		if err != nil {
			panic(err)
		}
		if c.opt.Epochs > 0 {
			td := d
			if c.opt.Standardize {
				td.XCols, td.YCols = []string{"y"}, []string{"x"}
			}
			if _, err := m.Train(context.Background(), td, c.opt); err != nil {
				panic(err)
			}
		}
		b, err := m.MarshalBinary()
		if err != nil {
			panic(err)
		}
		out = append(out, struct {
			name string
			b    []byte
		}{c.name, b})
	}
	return out
}

// safetensorsEncodings returns exports of small trained models: without
// hidden layers, a plain network, and a standardised one with its scaling
// kept in the metadata.
func safetensorsEncodings() []struct {
	name string
	b    []byte
} {
	var out []struct {
		name string
		b    []byte
	}
	d := mdn.Sinusoid(16, 1, true)
	for _, c := range []struct {
		name string
		cfg  mdn.Config
		opt  mdn.TrainOptions
	}{
		{"export-no-hidden", mdn.Config{In: 1, Out: 1, K: 2}, mdn.TrainOptions{Epochs: 1}},
		{"export-plain", mdn.Config{In: 1, Out: 1, Hidden: []int{3, 2}}, mdn.TrainOptions{Epochs: 1}},
		{"export-kept-scaling", mdn.Config{In: 1, Out: 1, Hidden: []int{3}, K: 2, SigmaFloor: 0.1}, mdn.TrainOptions{Epochs: 1, Standardize: true}},
	} {
		m, err := mdn.New(c.cfg, 1)
		if err != nil {
			panic(err)
		}
		if _, err := m.Train(context.Background(), d, c.opt); err != nil {
			panic(err)
		}
		b, err := m.MarshalSafetensors(mdn.ExportOptions{Scaling: mdn.KeepScaling})
		if err != nil {
			panic(err)
		}
		out = append(out, struct {
			name string
			b    []byte
		}{c.name, b})
	}
	return out
}

var targets = []string{
	"FuzzExp", "FuzzTanh", "FuzzLogSumExp", "FuzzSoftmax", "FuzzLogSoftmax",
	"FuzzLinear", "FuzzLinearTanh", "FuzzLinearGradInput", "FuzzLinearGradWeights", "FuzzLinearTanhGradWeights",
	"FuzzLinearTanhCols",
	"FuzzMixtureNLL", "FuzzMixtureNLLGrad", "FuzzMixtureNLLGradCols", "FuzzMixtureGradFD", "FuzzTrainerGradFD",
	"FuzzModelDecode", "FuzzReadCSV", "FuzzCLI", "FuzzSafetensors", "FuzzQuantiles",
}

func TestWriteSeeds(t *testing.T) {
	if os.Getenv("MDNSIMD_WRITE_SEEDS") == "" {
		t.Skip("set MDNSIMD_WRITE_SEEDS=1 to rewrite testdata/fuzz/*/seed-*")
	}
	for _, tg := range targets {
		dir := filepath.Join("testdata", "fuzz", tg)
		old, _ := filepath.Glob(filepath.Join(dir, "seed-*"))
		for _, f := range old {
			os.Remove(f)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		ss := seedsFor(tg)
		if len(ss) == 0 {
			t.Errorf("no seeds for %s", tg)
		}
		for _, s := range ss {
			if err := os.WriteFile(filepath.Join(dir, "seed-"+s.name), marshalSeed(s.args), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestSeedsCurrent fails when the committed seeds differ from seedsFor, so
// the generator and the corpus cannot drift apart.
func TestSeedsCurrent(t *testing.T) {
	for _, tg := range targets {
		for _, s := range seedsFor(tg) {
			path := filepath.Join("testdata", "fuzz", tg, "seed-"+s.name)
			b, err := os.ReadFile(path)
			// Trained models depend on the kernel path's rounding: only
			// their presence is checked.
			trained := tg == "FuzzModelDecode" && !strings.HasPrefix(s.name, "mdn-fresh") || tg == "FuzzSafetensors" && strings.HasPrefix(s.name, "export-")
			if err != nil || !trained && !bytes.Equal(b, marshalSeed(s.args)) {
				t.Errorf("%s missing or stale: run MDNSIMD_WRITE_SEEDS=1 go test -run TestWriteSeeds ./fuzz", path)
			}
		}
	}
}
