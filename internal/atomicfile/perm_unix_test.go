//go:build unix

package atomicfile

import (
	"io"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
)

// umaskMu serialises the tests that change the umask, which is
// process-wide. No test of this package runs in parallel, so nothing else
// creates files while a test's umask is in force.
var umaskMu sync.Mutex

// WithUmask runs f with the process umask set to mask and restores it.
func withUmask(t *testing.T, mask int, f func()) {
	t.Helper()
	umaskMu.Lock()
	defer umaskMu.Unlock()
	old := syscall.Umask(mask)
	defer syscall.Umask(old)
	f()
}

// TestPermissions: a new file gets 0666 less the umask, as os.Create gives
// it, under umasks 022 and 077; a replaced file keeps its own permissions.
func TestPermissions(t *testing.T) {
	for _, c := range []struct {
		mask int
		want os.FileMode
	}{{0o022, 0o644}, {0o077, 0o600}, {0o002, 0o664}} {
		dir := t.TempDir()
		path := filepath.Join(dir, "f")
		var created, replaced, ref os.FileMode
		withUmask(t, c.mask, func() {
			if err := Write(path, func(w io.Writer) error { _, err := io.WriteString(w, "one"); return err }); err != nil {
				t.Fatal(err)
			}
			created = mode(t, path)
			f, err := os.Create(filepath.Join(dir, "ref"))
			if err != nil {
				t.Fatal(err)
			}
			f.Close()
			ref = mode(t, filepath.Join(dir, "ref"))
			if err := os.Chmod(path, 0o640); err != nil {
				t.Fatal(err)
			}
			if err := Write(path, func(w io.Writer) error { _, err := io.WriteString(w, "two"); return err }); err != nil {
				t.Fatal(err)
			}
			replaced = mode(t, path)
		})
		if created != c.want || created != ref {
			t.Errorf("umask %03o: new file %v, want %v (os.Create gives %v)", c.mask, created, c.want, ref)
		}
		if replaced != 0o640 {
			t.Errorf("umask %03o: replaced file %v, want its own 0640", c.mask, replaced)
		}
		if b, _ := os.ReadFile(path); string(b) != "two" {
			t.Errorf("content %q", b)
		}
	}
}

func mode(t *testing.T, path string) os.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}
