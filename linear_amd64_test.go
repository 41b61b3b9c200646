//go:build !purego

package mdnsimd

import (
	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
	"testing"
)

// TestLinearSmallBlocks reruns the linear cases on the assembly path with
// the blocking a CPU with an 8 KiB L1d and a 32 KiB L2 would get (k blocks
// of 64, row blocks of 64), so that block edges fall inside many of the test
// shapes.
func TestLinearSmallBlocks(t *testing.T) {
	if !cpufeat.HasAVX2FMA {
		t.Skip("no AVX2+FMA")
	}
	k, m := kDepth, mRows
	kDepth, mRows = cacheBlocks(8<<10, 32<<10)
	defer func() { kDepth, mRows = k, m }()
	if kDepth != 64 || mRows != 64 {
		t.Fatalf("cacheBlocks(8 KiB, 32 KiB) = %d, %d, want 64, 64", kDepth, mRows)
	}
	t.Run("Linear", linearCases)
	t.Run("GradWeights", gradWeightsCases)
	t.Run("GradInput", gradInputCases)
}
