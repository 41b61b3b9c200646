//go:build unix

package mdn

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestSavePermissions: Save and checkpoints give a new file the
// permissions os.Create would (0666 less the umask) under umasks 022 and
// 077. The umask is process-wide; no test of this package runs in
// parallel, so none creates files while it is changed.
func TestSavePermissions(t *testing.T) {
	d := Sinusoid(20, 1, true)
	for _, c := range []struct {
		mask int
		want os.FileMode
	}{{0o022, 0o644}, {0o077, 0o600}} {
		dir := t.TempDir()
		model, ckpt := filepath.Join(dir, "m.mdn"), filepath.Join(dir, "m.ckpt")
		old := syscall.Umask(c.mask)
		m, _ := New(seedCfg, 1)
		_, err := m.Train(context.Background(), d, TrainOptions{Epochs: 2, CheckpointEvery: 1, CheckpointPath: ckpt})
		if err == nil {
			err = m.Save(model)
		}
		syscall.Umask(old)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{model, ckpt} {
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
