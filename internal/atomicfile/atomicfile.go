// Package atomicfile writes files so that a crash or an error never leaves
// a partial file at the destination: the content goes to a temporary file
// in the same directory, which is synced and then renamed over the
// destination.
//
// The file gets the permissions os.Create would give it: 0666 less the
// process's umask for a new file, and the permission bits of the file it
// replaces otherwise. (os.CreateTemp would give 0600, so that another user
// or a service account could not read what was written.)
package atomicfile

import (
	"errors"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
)

// Write calls write with a temporary file in path's directory and, if it
// returns nil, syncs the file and renames it to path. On any error the
// temporary file is removed and path is left as it was. Where path is a
// symbolic link to a file, the file it leads to is replaced, not the link
// (as os.Create would write through it).
func Write(path string, write func(w io.Writer) error) (err error) {
	if fi, lerr := os.Lstat(path); lerr == nil && fi.Mode()&fs.ModeSymlink != 0 {
		if target, eerr := filepath.EvalSymlinks(path); eerr == nil {
			path = target
		}
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := create(dir, base)
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	// os.Create truncates an existing file and keeps its mode; the renamed
	// file keeps the old file's permission bits to match.
	if fi, serr := os.Stat(path); serr == nil && fi.Mode().IsRegular() {
		if err = f.Chmod(fi.Mode().Perm()); err != nil {
			return err
		}
	}
	if err = write(f); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp, path); err != nil {
		return err
	}
	// Make the rename durable; not every system can sync a directory.
	if d, derr := os.Open(dir); derr == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// create makes a new file ".<base>.tmp<random>" in dir with mode 0666, which
// the system reduces by the umask as it does for os.Create.
func create(dir, base string) (*os.File, error) {
	for try := 0; ; try++ {
		name := filepath.Join(dir, "."+base+".tmp"+strconv.FormatUint(uint64(rand.Uint32()), 36))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if errors.Is(err, fs.ErrExist) && try < 100 {
			continue
		}
		return f, err
	}
}
