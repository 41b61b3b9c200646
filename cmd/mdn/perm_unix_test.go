//go:build unix

package main

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestFilePermissions: the files mdn writes (model, checkpoint, plots) get
// 0666 less the umask, as os.Create gives, under umasks 022 and 077. The
// umask is process-wide; no test of this package runs in parallel.
func TestFilePermissions(t *testing.T) {
	for _, c := range []struct {
		mask int
		want os.FileMode
	}{{0o022, 0o644}, {0o077, 0o600}} {
		dir := t.TempDir()
		data := writeSinusoidCSV(t, dir, 40, 1)
		model := filepath.Join(dir, "m.mdn")
		plots := filepath.Join(dir, "plots")
		old := syscall.Umask(c.mask)
		code1, _, e1 := mdnCmd(t, context.Background(), "train", "-epochs", "2", "-checkpoint-every", "1", "-progress", "none", "-model", model, data)
		code2, _, e2 := mdnCmd(t, context.Background(), "demo", "-n", "50", "-mlp-epochs", "2", "-epochs", "2", "-heldout", "20", "-out", plots)
		syscall.Umask(old)
		if code1 != 0 || code2 != 0 {
			t.Fatalf("train: %d %s; demo: %d %s", code1, e1, code2, e2)
		}
		for _, p := range []string{model, model + ".ckpt", filepath.Join(plots, "data.png"), filepath.Join(plots, "mdn-samples.png")} {
			fi, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			if got := fi.Mode().Perm(); got != c.want {
				t.Errorf("umask %03o: %s has mode %v, want %v", c.mask, filepath.Base(p), got, c.want)
			}
		}
	}
}
