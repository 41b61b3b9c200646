package fuzz

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mdnsimd/mdnsimd/mdn"
)

// The command line is package main, so it is fuzzed from outside: the mdn
// binary is built once per process and run on fuzzed arguments, in a
// scratch directory holding a small data set (data.csv, inputs.csv) and a
// small model (model.mdn, and its export model.safetensors).

var (
	cliOnce sync.Once
	cliBin  string
	cliErr  error
)

func buildCLI() (string, error) {
	cliOnce.Do(func() {
		goTool, err := exec.LookPath("go")
		if err != nil {
			goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
		}
		bin := filepath.Join(tmpDir, "mdn")
		args := []string{"build", "-o", bin}
		if pureGo {
			args = append(args, "-tags", "purego")
		}
		cmd := exec.Command(goTool, append(args, "github.com/mdnsimd/mdnsimd/cmd/mdn")...)
		if out, err := cmd.CombinedOutput(); err != nil {
			cliErr = errors.New(strings.TrimSpace(string(out)))
			return
		}
		// The binary must run here (not, say, a cross-built test under qemu).
		if err := exec.Command(bin, "cpu").Run(); err != nil {
			cliErr = err
			return
		}
		cliBin = bin
	})
	return cliBin, cliErr
}

// cliWorkDir writes the fixtures into a fresh directory.
func cliWorkDir(t *testing.T) string {
	dir, err := os.MkdirTemp(tmpDir, "cli")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	d := mdn.Sinusoid(24, 1, true)
	var b strings.Builder
	b.WriteString("x,y\n")
	for i := 0; i < d.N; i++ {
		x, y := d.Row(i)
		b.WriteString(errorf("%g,%g\n", x[0], y[0]).Error())
	}
	m, err := mdn.New(mdn.Config{In: 1, Out: 1, Hidden: []int{4}, K: 2}, 1)
	if err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{"data.csv": b.String(), "inputs.csv": "x\n1\n2\n-3\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.Save(filepath.Join(dir, "model.mdn")); err != nil {
		t.Fatal(err)
	}
	if err := m.SaveSafetensors(filepath.Join(dir, "model.safetensors"), mdn.ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	return dir
}

var cliCommands = []string{"train", "eval", "sample", "cpu", "demo", "help", "", "nosuch", "import", "export"}

// bigNumber matches numbers that would ask for real work (≥ 100 epochs,
// rows, widths or samples, or exponent notation).
var bigNumber = regexp.MustCompile(`[0-9]{3}|[0-9][eEpP][+-]?[0-9]|0[xX]`)

// cliArgs turns the fuzz input into an argument list: one argument per
// line of args. Inputs that could write outside the scratch directory or
// ask for long training are skipped (not failed).
func cliArgs(cmd uint8, args string) ([]string, bool) {
	c := cliCommands[int(cmd)%len(cliCommands)]
	var argv []string
	if c != "" {
		argv = append(argv, c)
	}
	if c == "demo" {
		argv = append(argv, "-epochs", "2", "-mlp-epochs", "2", "-n", "20", "-heldout", "20", "-no-plots", "-out", "demo")
	}
	if args != "" {
		argv = append(argv, strings.Split(args, "\n")...)
	}
	for _, a := range argv {
		// A NUL cannot be passed in an argument at all.
		if strings.ContainsAny(a, "/\\\x00") || strings.Contains(a, "..") || bigNumber.MatchString(a) {
			return nil, false
		}
	}
	return argv, true
}

// FuzzCLI runs `mdn <command> <args…>` with fuzzed arguments and requires:
// exit status 0, 1 (an error) or 2 (a usage error) — never a panic, a
// runtime fatal error or a signal; no hang (30 s); at most 512 MiB resident;
// and, on failure, a message on stderr that names the command ("mdn …").
// Standard input is empty, so "-" as a file reads nothing.
func FuzzCLI(f *testing.F) {
	f.Fuzz(func(t *testing.T, cmd uint8, args string) {
		argv, ok := cliArgs(cmd, args)
		if !ok {
			return
		}
		bin, err := buildCLI()
		if err != nil {
			t.Skipf("cannot build or run cmd/mdn here: %v", err)
		}
		dir := cliWorkDir(t)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c := exec.CommandContext(ctx, bin, argv...)
		c.Dir = dir
		c.Stdin = bytes.NewReader(nil)
		var stdout, stderr bytes.Buffer
		c.Stdout, c.Stderr = &stdout, &stderr
		err = c.Run()
		who := errorf("mdn %q", argv).Error()
		if ctx.Err() != nil {
			t.Fatalf("%s: still running after 30 s", who)
		}
		code := c.ProcessState.ExitCode()
		se := stderr.String()
		if code < 0 || code > 2 || strings.Contains(se, "panic:") || strings.Contains(se, "fatal error:") || strings.Contains(se, "goroutine ") {
			t.Fatalf("%s: exit %d (%v)\nstderr:\n%s", who, code, err, se)
		}
		if code != 0 && !strings.Contains(se, "mdn") {
			t.Errorf("%s: exit %d with stderr %q, want a message naming the command", who, code, se)
		}
		if kib, ok := maxRSS(c.ProcessState); ok && kib > 512<<10 {
			t.Errorf("%s: %d KiB resident, bound 512 MiB", who, kib)
		}
	})
}
