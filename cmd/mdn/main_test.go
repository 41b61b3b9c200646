package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/mdnsimd/mdnsimd"
	"github.com/mdnsimd/mdnsimd/mdn"
)

// mdnCmd runs the command line in-process and returns its exit status and
// output.
func mdnCmd(t *testing.T, ctx context.Context, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(ctx, args, &o, &e)
	return code, o.String(), e.String()
}

// writeSinusoidCSV writes n rows of the inverse sinusoid problem with a
// header "noise,y,x" (the first column is unused) and returns the path.
func writeSinusoidCSV(t *testing.T, dir string, n int, seed uint64) string {
	t.Helper()
	d := mdn.Sinusoid(n, seed, true)
	var b strings.Builder
	b.WriteString("noise,y,x\n")
	for i := range d.N {
		fmt.Fprintf(&b, "%d,%g,%g\n", i%7, d.X[i], d.Y[i])
	}
	path := filepath.Join(dir, fmt.Sprintf("sin%d.csv", seed))
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestHelp(t *testing.T) {
	for cmd, flags := range map[string][]string{
		"demo":   {"-epochs", "-mlp-epochs", "-hidden", "-k", "-lr", "-workers", "-seed", "-out", "-n", "-heldout", "-no-plots"},
		"train":  {"-x", "-y", "-header", "-comma", "-comment", "-max-line", "-max-cols", "-hidden", "-k", "-sigma-floor", "-epochs", "-batch", "-optimizer", "-lr", "-momentum", "-val", "-patience", "-workers", "-seed", "-clip", "-model", "-checkpoint", "-checkpoint-every", "-resume", "-progress", "-every"},
		"eval":   {"-model", "-x", "-y", "-header", "-plot"},
		"sample": {"-model", "-x", "-in", "-x-cols", "-o", "-what", "-n", "-temp-pi", "-temp-sigma", "-seed", "-q", "-coverage"},
		"import": {"-from", "-model", "-names", "-mu-order"},
		"export": {"-model", "-to", "-names", "-scaling"},
		"cpu":    nil,
	} {
		code, out, errOut := mdnCmd(t, context.Background(), cmd, "-h")
		if code != 0 || errOut != "" {
			t.Errorf("%s -h: status %d, stderr %q", cmd, code, errOut)
		}
		if !strings.HasPrefix(out, "Usage: mdn "+cmd) {
			t.Errorf("%s -h: output does not start with its usage line:\n%s", cmd, out)
		}
		for _, f := range flags {
			if !strings.Contains(out, "  "+f+" ") && !strings.Contains(out, "  "+f+"\n") {
				t.Errorf("%s -h does not describe %s:\n%s", cmd, f, out)
			}
		}
	}
	code, out, _ := mdnCmd(t, context.Background(), "-h")
	if code != 0 || !strings.Contains(out, "demo") || !strings.Contains(out, "sample") {
		t.Errorf("mdn -h: status %d, output %q", code, out)
	}
	if code, _, errOut := mdnCmd(t, context.Background()); code != exitUsage || !strings.Contains(errOut, "Commands:") {
		t.Errorf("mdn with no command: status %d, stderr %q", code, errOut)
	}
	if code, _, errOut := mdnCmd(t, context.Background(), "fly"); code != exitUsage || !strings.Contains(errOut, `unknown command "fly"`) {
		t.Errorf("unknown command: status %d, stderr %q", code, errOut)
	}
}

func TestCPU(t *testing.T) {
	code, out, _ := mdnCmd(t, context.Background(), "cpu")
	if code != 0 || !strings.Contains(out, "kernels:  "+mdnsimd.Impl()) || !strings.Contains(out, "caches:") {
		t.Errorf("cpu: status %d, output:\n%s", code, out)
	}
	if code, _, _ := mdnCmd(t, context.Background(), "cpu", "extra"); code != exitUsage {
		t.Errorf("cpu extra: status %d, want %d", code, exitUsage)
	}
}

func TestTrainEvalSample(t *testing.T) {
	dir := t.TempDir()
	data := writeSinusoidCSV(t, dir, 300, 1)
	model := filepath.Join(dir, "m.mdn")
	ctx := context.Background()

	code, out, errOut := mdnCmd(t, ctx, "train", "-x", "y", "-y", "3", "-hidden", "8", "-k", "3", "-epochs", "40",
		"-progress", "plain", "-every", "10", "-val", "0.2", "-checkpoint-every", "20", "-model", model, data)
	if code != 0 {
		t.Fatalf("train: status %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	for _, want := range []string{"300 rows", "1 inputs, 1 targets", "1→8→1", "MDN, 3 components", "kernels " + mdnsimd.Impl(), "units: inputs and targets standardised", "scaling: inputs y mean ", "targets x mean ", "trained 40 epochs", "validation", "model saved to " + model + " (40 epochs)"} {
		if !strings.Contains(out, want) {
			t.Errorf("train output lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(errOut, "\n"); n != 4 || !strings.Contains(errOut, "epoch 10/40  loss ") || !strings.Contains(errOut, "epoch 40/40") || !strings.Contains(errOut, "val ") {
		t.Errorf("plain progress: want 4 lines for epochs 10..40 with val loss, got:\n%s", errOut)
	}
	if _, err := os.Stat(model + ".ckpt"); err != nil {
		t.Errorf("-checkpoint-every 20 wrote no checkpoint: %v", err)
	}

	// The model evaluates to the same NLL as the library computes.
	code, out, errOut = mdnCmd(t, ctx, "eval", "-model", model, "-x", "2", "-y", "x", data)
	if code != 0 {
		t.Fatalf("eval: status %d, stderr %s", code, errOut)
	}
	m, err := mdn.Load(model)
	if err != nil {
		t.Fatal(err)
	}
	want, err := m.Loss(mdn.Sinusoid(300, 1, true))
	if err != nil {
		t.Fatal(err)
	}
	var got float64
	var rows int
	if _, err := fmt.Sscanf(out, "nll %g nats per row over %d rows", &got, &rows); err != nil || rows != 300 {
		t.Fatalf("eval output %q: %v", out, err)
	}
	if d := got - want; d > 1e-5 || d < -1e-5 { // the CSV's %g text round-trips float32 exactly
		t.Errorf("eval nll %v, library %v", got, want)
	}
	// Without -x and -y, eval takes the columns the model was trained on.
	if _, xc := m.Scaling(); !xc {
		t.Error("mdn train did not standardise by default")
	}
	if x, y := m.Columns(); len(x) != 1 || x[0] != "y" || len(y) != 1 || y[0] != "x" {
		t.Errorf("model columns %q, %q, want y and x", x, y)
	}
	if _, again, _ := mdnCmd(t, ctx, "eval", "-model", model, data); again != out {
		t.Errorf("eval with the model's columns: %q, with -x 2 -y x: %q", again, out)
	}
	// Calibration: the CRPS and coverage the library computes, and the PIT
	// histogram.
	sc, err := m.Score(mdn.Sinusoid(300, 1, true))
	if err != nil {
		t.Fatal(err)
	}
	wantLine := fmt.Sprintf("x: crps %.6g; central intervals hold %.4f (50%%), %.4f (90%%), %.4f (95%%)\n", sc.CRPS[0], sc.Coverage[0][0], sc.Coverage[1][0], sc.Coverage[2][0])
	if lines := strings.SplitAfter(out, "\n"); len(lines) < 2 || lines[1] != wantLine {
		t.Errorf("eval output:\n%s\nwant its second line\n%s", out, wantLine)
	}
	pitPath := filepath.Join(dir, "pit.png")
	if code, out, errOut = mdnCmd(t, ctx, "eval", "-model", model, "-plot", pitPath, data); code != 0 || !strings.Contains(out, "PIT histogram written to "+pitPath) {
		t.Errorf("eval -plot: status %d\n%s%s", code, out, errOut)
	}
	if f, err := os.Open(pitPath); err != nil {
		t.Error(err)
	} else {
		img, err := png.Decode(f)
		f.Close()
		if err != nil || img.Bounds().Dx() < 100 {
			t.Errorf("PIT histogram: %v", err)
		}
	}

	// Samples: header and n rows per input, inputs echoed.
	code, out, errOut = mdnCmd(t, ctx, "sample", "-model", model, "-x", "-2:2:5", "-n", "3")
	if code != 0 {
		t.Fatalf("sample: status %d, stderr %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 16 || lines[0] != "x,y" || !strings.HasPrefix(lines[1], "-2,") || !strings.HasPrefix(lines[16-1], "2,") {
		t.Errorf("sample output: want header and 15 rows from x=-2 to 2, got:\n%s", out)
	}
	for _, l := range lines[1:] {
		f := strings.Split(l, ",")
		if len(f) != 2 {
			t.Fatalf("sample row %q", l)
		}
		if v, err := strconv.ParseFloat(f[1], 32); err != nil || v != v {
			t.Errorf("sample row %q: bad y", l)
		}
	}
	// The same seed gives the same samples.
	if _, again, _ := mdnCmd(t, ctx, "sample", "-model", model, "-x", "-2:2:5", "-n", "3"); again != out {
		t.Error("sample with the same seed gave different output")
	}

	// Mean matches Model.Mean; mode and mixture have their shapes.
	code, out, _ = mdnCmd(t, ctx, "sample", "-model", model, "-what", "mean", "-x", "0.5,1")
	mean, _ := m.Mean([]float32{0.5, 1})
	if wantOut := fmt.Sprintf("x,mean\n0.5,%s\n1,%s\n", ff(mean[0]), ff(mean[1])); code != 0 || out != wantOut {
		t.Errorf("sample -what mean: status %d, got\n%s\nwant\n%s", code, out, wantOut)
	}
	code, out, _ = mdnCmd(t, ctx, "sample", "-model", model, "-what", "mode", "-x", "0.5")
	if code != 0 || !strings.HasPrefix(out, "x,mode\n0.5,") {
		t.Errorf("sample -what mode: status %d, output %q", code, out)
	}
	code, out, _ = mdnCmd(t, ctx, "sample", "-model", model, "-what", "mixture", "-x", "0.5")
	if code != 0 || !strings.HasPrefix(out, "x,pi1,pi2,pi3,mu1_1,mu2_1,mu3_1,sigma1_1,sigma2_1,sigma3_1\n0.5,") || strings.Count(out, ",") != 18 {
		t.Errorf("sample -what mixture: status %d, output %q", code, out)
	}

	// Standard deviations, quantiles and intervals match the library's.
	p := m.NewPredictor()
	xs := []float32{-1, 0.5}
	sd, q, lo, hi := make([]float32, 2), make([]float32, 6), make([]float32, 2), make([]float32, 2)
	if err := errors.Join(p.Std(sd, xs), p.Quantiles(q, xs, []float64{0.1, 0.5, 0.9}), p.Interval(lo, hi, xs, 0.8)); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-what", "std"}, fmt.Sprintf("x,std\n-1,%s\n0.5,%s\n", ff(sd[0]), ff(sd[1]))},
		{[]string{"-what", "quantiles", "-q", "0.1,0.5,0.9"}, fmt.Sprintf("x,q0.1,q0.5,q0.9\n-1,%s,%s,%s\n0.5,%s,%s,%s\n", ff(q[0]), ff(q[1]), ff(q[2]), ff(q[3]), ff(q[4]), ff(q[5]))},
		{[]string{"-what", "interval", "-coverage", "0.8"}, fmt.Sprintf("x,lo,hi\n-1,%s,%s\n0.5,%s,%s\n", ff(lo[0]), ff(hi[0]), ff(lo[1]), ff(hi[1]))},
	} {
		code, out, errOut := mdnCmd(t, ctx, append([]string{"sample", "-model", model, "-x", "-1,0.5"}, c.args...)...)
		if code != 0 || out != c.want {
			t.Errorf("sample %q: status %d, stderr %s, got\n%s\nwant\n%s", c.args, code, errOut, out, c.want)
		}
	}
	if !(q[0] < q[1] && q[1] < q[2] && lo[0] < hi[0]) {
		t.Errorf("quantiles %v and interval [%v, %v] out of order", q[:3], lo[0], hi[0])
	}

	// Inputs from a CSV file, to an output file.
	outPath := filepath.Join(dir, "s.csv")
	code, _, errOut = mdnCmd(t, ctx, "sample", "-model", model, "-in", data, "-x-cols", "y", "-o", outPath)
	b1, err := os.ReadFile(outPath)
	if code != 0 || err != nil || strings.Count(string(b1), "\n") != 301 {
		t.Errorf("sample -in: status %d, stderr %s, %d lines (err %v), want 301", code, errOut, strings.Count(string(b1), "\n"), err)
	}
	// Without -x-cols, the model's input columns.
	code, _, errOut = mdnCmd(t, ctx, "sample", "-model", model, "-in", data, "-o", outPath)
	if b2, _ := os.ReadFile(outPath); code != 0 || !bytes.Equal(b1, b2) {
		t.Errorf("sample -in with the model's columns: status %d, stderr %s, output differs from -x-cols y", code, errOut)
	}

	// Resume to a total of 60 epochs.
	code, out, errOut = mdnCmd(t, ctx, "train", "-x", "y", "-y", "x", "-epochs", "60", "-progress", "none", "-resume", model, "-model", model, data)
	if code != 0 || !strings.Contains(out, "trained 20 epochs") || !strings.Contains(out, "(60 epochs)") {
		t.Errorf("resume: status %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}

	// A plain network (k 0) trains, evaluates as MSE and predicts its output.
	mlp := filepath.Join(dir, "mlp.mdn")
	if code, out, errOut = mdnCmd(t, ctx, "train", "-x", "y", "-y", "x", "-k", "0", "-optimizer", "rmsprop", "-epochs", "5", "-val", "0", "-progress", "none", "-model", mlp, data); code != 0 || !strings.Contains(out, "plain network, MSE loss") {
		t.Errorf("train -k 0: status %d\n%s%s", code, out, errOut)
	}
	if code, out, _ = mdnCmd(t, ctx, "eval", "-model", mlp, "-x", "y", "-y", "x", data); code != 0 || !strings.HasPrefix(out, "mse ") {
		t.Errorf("eval of a plain network: status %d, %q", code, out)
	}
	if code, _, errOut = mdnCmd(t, ctx, "eval", "-model", mlp, "-plot", pitPath, "-x", "y", "-y", "x", data); code != exitError || !strings.Contains(errOut, "-plot: the model") {
		t.Errorf("eval -plot of a plain network: status %d, %q", code, errOut)
	}
	if code, _, errOut = mdnCmd(t, ctx, "sample", "-model", mlp, "-x", "1"); code != exitError || !strings.Contains(errOut, "only -what mean") {
		t.Errorf("sampling a plain network: status %d, %q", code, errOut)
	}
}

// TestTrainUnits: on data in other units (target ×1000, input shifted and
// scaled), mdn train with its defaults (standardised, 1000 epochs) fits far
// better than with -standardize=false, and eval and sample report in the
// data's units.
func TestTrainUnits(t *testing.T) {
	dir := t.TempDir()
	d := mdn.Sinusoid(300, 5, true)
	var b strings.Builder
	b.WriteString("pressure,depth\n")
	for i := range d.N {
		fmt.Fprintf(&b, "%g,%g\n", 0.25*d.X[i]+300, 1000*d.Y[i])
	}
	data := filepath.Join(dir, "other.csv")
	if err := os.WriteFile(data, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	nll := map[string]float64{}
	for _, std := range []string{"true", "false"} {
		model := filepath.Join(dir, std+".mdn")
		code, out, errOut := mdnCmd(t, ctx, "train", "-standardize="+std, "-progress", "none", "-model", model, data)
		if code != 0 {
			t.Fatalf("train -standardize=%s: %d\n%s%s", std, code, out, errOut)
		}
		wantUnits := map[string]string{"true": "units: inputs and targets standardised", "false": "units: raw values"}[std]
		if !strings.Contains(out, wantUnits) {
			t.Errorf("train -standardize=%s output lacks %q:\n%s", std, wantUnits, out)
		}
		code, out, errOut = mdnCmd(t, ctx, "eval", "-model", model, data)
		var v float64
		if _, err := fmt.Sscanf(out, "nll %g", &v); code != 0 || err != nil {
			t.Fatalf("eval: %d %q %s", code, out, errOut)
		}
		nll[std] = v
	}
	t.Logf("NLL on data in other units after 1000 epochs: standardised %.3f, raw %.3f (log 1000 = %.3f)", nll["true"], nll["false"], math.Log(1000))
	if !(nll["true"] < nll["false"]-1) || nll["true"] > 1.6+math.Log(1000) {
		t.Errorf("standardised NLL %v, raw %v: want the standardised fit within 1.6 nats (+log 1000) and far better", nll["true"], nll["false"])
	}
	// Means come out in the data's units: near 1000× the sinusoid's range.
	code, out, _ := mdnCmd(t, ctx, "sample", "-model", filepath.Join(dir, "true.mdn"), "-what", "mean", "-x", "300")
	var x, mean float64
	if _, err := fmt.Sscanf(out, "x,mean\n%g,%g", &x, &mean); code != 0 || err != nil || math.Abs(mean) > 12000 || x != 300 {
		t.Errorf("sample -what mean at x = 300: %q (%v)", out, err)
	}
}

// TestImportExport: mdn import reads the PyTorch fixture, the imported
// model predicts as the library's import does, and mdn export writes a file
// that imports back to the same network; bad input is refused.
func TestImportExport(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	fixture := filepath.Join("..", "..", "mdn", "testdata", "torch", "seed.safetensors")
	model := filepath.Join(dir, "seed.mdn")
	code, out, errOut := mdnCmd(t, ctx, "import", "-from", fixture, "-model", model)
	if code != 0 || !strings.Contains(out, "imported 1→20→1 (MDN, 5 components), 355 parameters") || !strings.Contains(out, "raw units") {
		t.Fatalf("import: status %d\n%s%s", code, out, errOut)
	}
	lib, err := mdn.LoadSafetensors(fixture, mdn.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := mdn.Load(model)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m.Params(), lib.Params()) {
		t.Fatal("mdn import and LoadSafetensors give different parameters")
	}
	code, out, _ = mdnCmd(t, ctx, "sample", "-model", model, "-what", "mean", "-x", "2")
	mean, _ := lib.Mean([]float32{2})
	if want := fmt.Sprintf("x,mean\n2,%s\n", ff(mean[0])); code != 0 || out != want {
		t.Errorf("sample of the imported model: %q, want %q", out, want)
	}

	// Export in both layouts; each imports back to the same parameters.
	for _, names := range []string{"seed", "heads", "hidden=trunk.0;pi=a;mu=b;sigma=c"} {
		st := filepath.Join(dir, "out.safetensors")
		code, out, errOut = mdnCmd(t, ctx, "export", "-model", model, "-names", names, "-to", st)
		if code != 0 || !strings.Contains(out, "exported 1→20→1") {
			t.Fatalf("export -names %s: status %d\n%s%s", names, code, out, errOut)
		}
		back := filepath.Join(dir, "back.mdn")
		args := []string{"import", "-from", st, "-model", back}
		if strings.Contains(names, "=") {
			args = append(args, "-names", names)
		}
		if code, out, errOut = mdnCmd(t, ctx, args...); code != 0 {
			t.Fatalf("import of the export (-names %s): status %d\n%s%s", names, code, out, errOut)
		}
		m2, err := mdn.Load(back)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(m2.Params(), m.Params()) {
			t.Errorf("-names %s: export then import changed the parameters", names)
		}
	}

	// A standardised model: folded by default, kept on request.
	data := writeSinusoidCSV(t, dir, 100, 4)
	trained := filepath.Join(dir, "trained.mdn")
	if code, out, errOut = mdnCmd(t, ctx, "train", "-x", "y", "-y", "x", "-epochs", "5", "-sigma-floor", "0.01", "-progress", "none", "-model", trained, data); code != 0 {
		t.Fatalf("train: %d %s%s", code, out, errOut)
	}
	st := filepath.Join(dir, "t.safetensors")
	code, out, errOut = mdnCmd(t, ctx, "export", "-model", trained, "-to", st)
	if code != 0 || !strings.Contains(out, "scaling folded into the weights") || !strings.Contains(errOut, "σ floor 0.01 is recorded") {
		t.Errorf("export of a standardised model: %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = mdnCmd(t, ctx, "export", "-model", trained, "-scaling", "keep", "-to", st)
	if code != 0 || !strings.Contains(out, "scaling kept in the metadata") {
		t.Errorf("export -scaling keep: %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = mdnCmd(t, ctx, "import", "-from", st, "-model", filepath.Join(dir, "k.mdn"))
	if code != 0 || !strings.Contains(out, "standardised (scaling from the metadata), σ floor 0.01, columns -x y -y x") {
		t.Errorf("import of a kept scaling: %d\n%s%s", code, out, errOut)
	}

	corrupt := filepath.Join(dir, "corrupt.safetensors")
	os.WriteFile(corrupt, []byte("\x10\x00\x00\x00\x00\x00\x00\x00{not json here!}"), 0o644)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"import", "-model", model}, exitUsage, "-from must name"},
		{[]string{"import", "-from", fixture, "-names", "pi=a"}, exitUsage, "-names"},
		{[]string{"import", "-from", fixture, "-mu-order", "diagonal"}, exitUsage, "-mu-order"},
		{[]string{"import", "-from", fixture, "extra"}, exitUsage, "unexpected arguments"},
		{[]string{"import", "-from", filepath.Join(dir, "missing"), "-model", model}, exitError, "no such file"},
		{[]string{"import", "-from", corrupt, "-model", model}, exitError, "corrupt.safetensors: mdn: malformed model file"},
		{[]string{"import", "-from", fixture, "-names", "hidden=z_h.0;pi=z_pi;mu=z_mu;sigma=nope", "-model", model}, exitError, `no tensor "nope.weight"`},
		{[]string{"import", "-from", model, "-model", model}, exitError, "malformed"},
		{[]string{"export", "-model", model}, exitUsage, "-to must name"},
		{[]string{"export", "-model", model, "-to", corrupt, "-scaling", "half"}, exitUsage, "-scaling"},
		{[]string{"export", "-model", model, "-to", corrupt, "-names", "hidden=a.*;out=x"}, exitUsage, `-names "hidden=a.*;out=x": want every hidden layer's name`},
		{[]string{"export", "-model", model, "-to", corrupt, "-names", "hidden=a;out=x"}, exitError, "a mixture model needs pi, mu and sigma names"},
		{[]string{"export", "-model", corrupt, "-to", st}, exitError, "corrupt.safetensors"},
	} {
		code, _, errOut := mdnCmd(t, ctx, tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.want) {
			t.Errorf("mdn %s: status %d, stderr %q; want status %d and %q", strings.Join(tc.args, " "), code, errOut, tc.code, tc.want)
		}
	}
	// The failed imports left the model as it was.
	if again, err := mdn.Load(model); err != nil || !slices.Equal(again.Params(), m.Params()) {
		t.Errorf("a failed import changed %s: %v", model, err)
	}
}

func TestTrainInterrupted(t *testing.T) {
	dir := t.TempDir()
	data := writeSinusoidCSV(t, dir, 50, 2)
	model := filepath.Join(dir, "m.mdn")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	code, _, errOut := mdnCmd(t, ctx, "train", "-epochs", "1000", "-progress", "none", "-model", model, data)
	if code != exitInterrupt || !strings.Contains(errOut, "checkpoint saved to "+model+".ckpt") || !strings.Contains(errOut, "-resume") {
		t.Fatalf("interrupted train: status %d, stderr %q", code, errOut)
	}
	if _, err := mdn.Load(model + ".ckpt"); err != nil {
		t.Errorf("the checkpoint does not load: %v", err)
	}
	if _, err := os.Stat(model); err == nil {
		t.Error("an interrupted run wrote the final model file")
	}
}

// TestSampleEvalInterrupted: sample and eval stop on Ctrl-C with status
// 130, and an interrupted sample leaves the file at -o as it was, with no
// temporary file beside it; a complete one replaces it.
func TestSampleEvalInterrupted(t *testing.T) {
	dir := t.TempDir()
	model := saveSmallModel(t, dir)
	out := filepath.Join(dir, "out.csv")
	if err := os.WriteFile(out, []byte("precious\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, what := range []string{"sample", "mean", "quantiles"} {
		code, _, errOut := mdnCmd(t, ctx, "sample", "-model", model, "-x", "-5:5:10000", "-what", what, "-o", out)
		if code != exitInterrupt {
			t.Errorf("interrupted sample -what %s: status %d, stderr %q", what, code, errOut)
		}
	}
	if b, _ := os.ReadFile(out); string(b) != "precious\n" {
		t.Errorf("the file at -o after interrupted runs holds %q", b)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 2 {
		t.Errorf("the directory holds %d entries after interrupted runs, want the model and the old output", len(ents))
	}
	code, _, errOut := mdnCmd(t, ctx, "eval", "-model", model, "-x", "y", "-y", "x", writeSinusoidCSV(t, dir, 20, 3))
	if code != exitInterrupt {
		t.Errorf("interrupted eval: status %d, stderr %q", code, errOut)
	}
	code, _, errOut = mdnCmd(t, context.Background(), "sample", "-model", model, "-x", "-5:5:3", "-what", "mean", "-o", out)
	if b, _ := os.ReadFile(out); code != 0 || !strings.HasPrefix(string(b), "x,mean\n") || strings.Count(string(b), "\n") != 4 {
		t.Errorf("sample -o: status %d, stderr %q, file %q", code, errOut, b)
	}
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	data := writeSinusoidCSV(t, dir, 50, 3)
	ragged := filepath.Join(dir, "ragged.csv")
	os.WriteFile(ragged, []byte("a,b\n1,2\n3\n"), 0o644)
	text := filepath.Join(dir, "text.csv")
	os.WriteFile(text, []byte("a,b\n1,2\n3,four\n"), 0o644)
	corrupt := filepath.Join(dir, "corrupt.mdn")
	os.WriteFile(corrupt, []byte("not a model at all"), 0o644)
	model := filepath.Join(dir, "m.mdn")
	ctx := context.Background()
	if code, _, e := mdnCmd(t, ctx, "train", "-x", "y", "-y", "x", "-epochs", "2", "-progress", "none", "-model", model, data); code != 0 {
		t.Fatalf("train: %d %s", code, e)
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"train", "-epochs", "x", data}, exitUsage, "invalid value"},
		{[]string{"train", "-nosuchflag", data}, exitUsage, "flag provided but not defined"},
		{[]string{"train"}, exitUsage, "want one CSV file"},
		{[]string{"train", "-k", "-1", data}, exitUsage, "-k -1"},
		// A usage error before the data is read: the file does not exist.
		{[]string{"train", "-k", "-1", filepath.Join(dir, "missing.csv")}, exitUsage, "-k -1"},
		{[]string{"train", "-sigma-floor", "-1", filepath.Join(dir, "missing.csv")}, exitUsage, "-sigma-floor"},
		{[]string{"train", "-hidden", "0", data}, exitUsage, "not a positive integer"},
		{[]string{"train", "-optimizer", "lbfgs", data}, exitUsage, "-optimizer"},
		{[]string{"train", "-val", "1", data}, exitUsage, "-val 1"},
		{[]string{"train", "-patience", "5", "-val", "0", data}, exitUsage, "-patience 5: want 0 without a validation split"},
		{[]string{"train", "-header", "maybe", data}, exitUsage, "-header"},
		{[]string{"train", "-comma", "ab", data}, exitUsage, "-comma"},
		{[]string{"train", "-comma", `"`, data}, exitUsage, `-comma '"': want`},
		{[]string{"train", "-comment", ",", data}, exitUsage, "-comment ',': want a character other than the delimiter"},
		{[]string{"train", "-max-line", "-1", data}, exitUsage, "-max-line -1"},
		{[]string{"train", "-max-cols", "1", data}, exitUsage, "-max-cols 1"},
		{[]string{"train", "-lr", "-1", data}, exitUsage, "-lr -1: want"},
		{[]string{"train", "-momentum", "1", data}, exitUsage, "-momentum 1: want"},
		{[]string{"train", "-workers", "5000", data}, exitUsage, "-workers 5000: want"},
		{[]string{"train", "-clip", "NaN", data}, exitUsage, "-clip NaN: want"},
		{[]string{"train", "-epochs", "0", data}, exitUsage, "-epochs 0: want"},
		{[]string{"train", "-checkpoint-every", "-2", data}, exitUsage, "-checkpoint-every -2: want"},
		{[]string{"train", "-k", "0", "-sigma-floor", "0.1", data}, exitUsage, "-sigma-floor 0.1: want 0 without a mixture head"},
		{[]string{"train", "-hidden", "2000000", data}, exitUsage, "-hidden 2000000: want 1.."},
		{[]string{"demo", "-batch", "-1"}, exitUsage, "-batch -1: want"},
		{[]string{"demo", "-workers", "0", "-lr", "Inf"}, exitUsage, "-lr +Inf: want"},
		{[]string{"train", filepath.Join(dir, "missing.csv")}, exitError, "no such file"},
		{[]string{"train", ragged}, exitError, "line 3 (data row 2): 1 fields, want 2"},
		{[]string{"train", text}, exitError, `line 3 (data row 2), column 2 "b": "four" is not a number`},
		{[]string{"train", "-y", "zz", data}, exitError, `y column "zz": no such column`},
		{[]string{"train", "-resume", corrupt, data}, exitError, "corrupt.mdn"},
		{[]string{"eval", "-model", corrupt, data}, exitError, "corrupt.mdn"},
		{[]string{"eval", "-model", model, "-y", "x", data}, exitError, "selected 2 input and 1 target columns, but the model"},
		{[]string{"eval", "-model", model, ragged}, exitError, `no such column; the header has "a", "b" (the columns the model was trained on: -x y -y x`},
		{[]string{"eval", "-model", model}, exitUsage, "want one CSV file"},
		{[]string{"sample", "-model", model}, exitUsage, "exactly one of -x and -in"},
		{[]string{"sample", "-model", model, "-x", "1", "-in", data}, exitUsage, "exactly one of -x and -in"},
		{[]string{"sample", "-model", model, "-x", "1,a"}, exitUsage, `"a" is not a number`},
		{[]string{"sample", "-model", model, "-x", "0:1:0"}, exitUsage, "count 0"},
		{[]string{"sample", "-model", model, "-x", "1", "-what", "median"}, exitUsage, "-what"},
		{[]string{"sample", "-model", model, "-x", "1", "-n", "0"}, exitUsage, "-n 0"},
		{[]string{"sample", "-model", model, "-x", "1", "-temp-pi", "-1"}, exitUsage, "temp"},
		{[]string{"sample", "-model", model, "-x", "1", "-what", "quantiles", "-q", "0.5,1"}, exitUsage, "-q: level 1 is outside (0, 1)"},
		{[]string{"sample", "-model", model, "-x", "1", "-what", "quantiles", "-q", "0.5,,0.9"}, exitUsage, `-q: "" is not a number`},
		{[]string{"sample", "-model", model, "-x", "1", "-what", "interval", "-coverage", "0"}, exitUsage, "-coverage 0: want"},
		{[]string{"sample", "-model", model, "-in", data, "-x-cols", "noise,y,x"}, exitError, "selected 3 input columns, but the model"},
		{[]string{"sample", "-model", model, "-in", text}, exitError, "(the model's input columns: -x-cols y;"},
		{[]string{"demo", "-k", "0"}, exitUsage, "-k 0"},
		{[]string{"demo", "-n", "1"}, exitUsage, "-n 1"},
	} {
		code, _, errOut := mdnCmd(t, ctx, tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.want) {
			t.Errorf("mdn %s: status %d, stderr %q; want status %d and %q", strings.Join(tc.args, " "), code, errOut, tc.code, tc.want)
		}
	}
}

func TestDemo(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "plots")
	model := filepath.Join(dir, "demo.mdn")
	code, out, errOut := mdnCmd(t, context.Background(), "demo", "-n", "200", "-mlp-epochs", "20", "-epochs", "1000", "-hidden", "6", "-k", "3", "-heldout", "500", "-out", dir, "-model", model)
	if code != 0 {
		t.Fatalf("demo: status %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	for _, want := range []string{"kernels: " + mdnsimd.Impl(), "1. plain network", "2. the same network", "3. mixture density network", "epoch   1000  loss ", "trained in", "per epoch", "held-out", "on 500 fresh points", "best possible 1.326", "plots: "} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
	if m, err := mdn.Load(model); err != nil || m.Epochs() != 1000 || m.Config().K != 3 {
		t.Errorf("demo -model: loading the saved MDN: %v", err)
	} else if _, scaled := m.Scaling(); scaled {
		t.Error("the demo's MDN has a scaling: the seed's experiment fits raw values")
	}
	var train, held float64
	i := strings.Index(out, "MDN NLL: ")
	if i < 0 {
		t.Fatalf("no NLL line:\n%s", out)
	}
	if _, err := fmt.Sscanf(out[i:], "MDN NLL: training %g, held-out %g", &train, &held); err != nil || !(held > 1 && held < 5) {
		t.Errorf("NLL line %q: %v (held-out %v)", out[i:], err, held)
	}
	for _, name := range []string{"data.png", "mlp-forward.png", "mlp-inverse.png", "mdn-samples.png"} {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Error(err)
			continue
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		// 8×5 inches at the default 96 dpi, mostly white with some colour.
		b := img.Bounds()
		if b.Dx() < 400 || b.Dy() < 250 {
			t.Errorf("%s is %v", name, b)
		}
		coloured := 0
		for y := b.Min.Y; y < b.Max.Y; y += 2 {
			for x := b.Min.X; x < b.Max.X; x += 2 {
				r, g, bl, _ := img.At(x, y).RGBA()
				if r != g || g != bl {
					coloured++
				}
			}
		}
		if coloured < 100 {
			t.Errorf("%s has only %d coloured pixels sampled: no data drawn?", name, coloured)
		}
	}
}

func ff(v float32) string { return strconv.FormatFloat(float64(v), 'g', -1, 32) }

// TestSampleInputsRoundOnce: -x values are rounded to float32 once, from
// the decimal (1.0000000596046448, just above the midpoint of 1 and
// 1 + 2⁻²³, through float64 would come out as 1), and one beyond the
// float32 range is a usage error.
func TestSampleInputsRoundOnce(t *testing.T) {
	dir := t.TempDir()
	model := saveSmallModel(t, dir)
	code, out, errOut := mdnCmd(t, context.Background(), "sample", "-model", model, "-x", "1.0000000596046448,-2", "-what", "mean")
	lines := strings.Split(out, "\n")
	if code != 0 || len(lines) < 3 || !strings.HasPrefix(lines[1], "1.0000001,") || !strings.HasPrefix(lines[2], "-2,") {
		t.Errorf("status %d, stderr %q, output %q", code, errOut, out)
	}
	if code, _, errOut := mdnCmd(t, context.Background(), "sample", "-model", model, "-x", "4e38", "-what", "mean"); code != exitUsage || !strings.Contains(errOut, "finite float32") {
		t.Errorf("-x 4e38: status %d, stderr %q", code, errOut)
	}
}

// saveSmallModel saves an untrained 1→4→K=2 model in dir and returns its
// path.
func saveSmallModel(t *testing.T, dir string) string {
	t.Helper()
	model := filepath.Join(dir, "m.mdn")
	m, _ := mdn.New(mdn.Config{In: 1, Out: 1, Hidden: []int{4}, K: 2}, 1)
	if err := m.Save(model); err != nil {
		t.Fatal(err)
	}
	return model
}
