package cpufeat

import (
	"slices"
	"testing"
)

// TestForce checks that Force selects each path this process can run, that
// restore puts the bools back, and that a path it cannot run panics.
func TestForce(t *testing.T) {
	start := Path()
	paths := Paths()
	if paths[0] != start || paths[len(paths)-1] != Generic {
		t.Fatalf("Paths() = %q, want %q first and %q last", paths, start, Generic)
	}
	for _, p := range paths {
		restore := Force(p)
		if got := Path(); got != p {
			t.Errorf("after Force(%q), Path() = %q", p, got)
		}
		inner := Force(Generic)
		inner()
		if got := Path(); got != p {
			t.Errorf("after a nested Force and restore, Path() = %q, want %q", got, p)
		}
		restore()
		if got := Path(); got != start {
			t.Errorf("after restoring Force(%q), Path() = %q, want %q", p, got, start)
		}
	}
	for _, p := range []string{AVX512, AVX2FMA, NEON, "sse"} {
		if slices.Contains(paths, p) {
			continue
		}
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Force(%q) did not panic on a process that runs only %q", p, paths)
				}
			}()
			Force(p)
		}()
		if got := Path(); got != start {
			t.Errorf("a refused Force(%q) changed Path() to %q", p, got)
		}
	}
}
