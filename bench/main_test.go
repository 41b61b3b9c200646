package bench

import (
	"fmt"
	"os"
	"testing"

	"github.com/mdnsimd/mdnsimd"
)

// TestMain names the kernel path in the output, beside go test's goos/cpu
// lines, so a results file says which path its impl=mdnsimd rows ran on.
func TestMain(m *testing.M) {
	fmt.Printf("mdnsimd: kernel path %s\n", mdnsimd.Impl())
	os.Exit(m.Run())
}
