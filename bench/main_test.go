package bench

import (
	"fmt"
	"os"
	"testing"

	"github.com/mdnsimd/mdnsimd"
)

// TestMain names the dispatched kernel path and the paths mdnsimd's rows
// run on in the output, beside go test's goos/cpu lines.
func TestMain(m *testing.M) {
	fmt.Printf("mdnsimd: kernel path %s (impl= rows for %v)\n", mdnsimd.Impl(), kernelPaths)
	os.Exit(m.Run())
}
