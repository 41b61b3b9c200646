//go:build !purego

package mdnsimd

import (
	"slices"
	"testing"

	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
)

// TestLinearSmallBlocks reruns the linear cases on the assembly path with
// the blocking a CPU with an 8 KiB L1d and a 32 KiB L2 would get (k blocks
// of 64, row blocks of 64), so that block edges fall inside many of the test
// shapes.
func TestLinearSmallBlocks(t *testing.T) {
	if !cpufeat.HasAVX2FMA {
		t.Skip("no AVX2+FMA")
	}
	defer setBlocks(cacheBlocks(8<<10, 32<<10))()
	if kDepth != 64 || mRows != 64 {
		t.Fatalf("cacheBlocks(8 KiB, 32 KiB) = %d, %d, want 64, 64", kDepth, mRows)
	}
	t.Run("Linear", linearCases)
	t.Run("GradWeights", gradWeightsCases)
	t.Run("GradInput", gradInputCases)
}

// setBlocks sets the cache blocking and returns a function that restores it.
func setBlocks(k, m int) (restore func()) {
	k0, m0 := kDepth, mRows
	kDepth, mRows = k, m
	return func() { kDepth, mRows = k0, m0 }
}

// TestLinearPlans checks that the shapes the linear tests run reach every
// plan of each operation on every path, and no plan outside the path's
// list, under the host's cache blocking and under the smallest and largest
// blocking cacheBlocks gives (so that no plan is tested only on hosts with
// some cache size).
func TestLinearPlans(t *testing.T) {
	forward := linShapes()                             // TestLinear
	backward := append(linShapes(), narrowShapes()...) // the gradient tests
	wantLinear := map[string][]linearPlan{
		cpufeat.Generic: {linGeneric},
		cpufeat.AVX2FMA: {linEmpty, linOne, linBlocked, linPanels},
		cpufeat.AVX512:  {linEmpty, linOne, linBlocked, linPanels},
	}
	wantGradWeights := map[string][]gradWeightsPlan{
		cpufeat.Generic: {gwGeneric},
		cpufeat.AVX2FMA: {gwEmpty, gwOne, gw20, gwColumn, gwTransposed, gwDirect},
		cpufeat.AVX512:  {gwEmpty, gwOne, gw20, gwColumn, gwTransposed, gwDirect},
	}
	wantGradInput := map[string][]gradInputPlan{
		cpufeat.Generic: {giGeneric},
		cpufeat.AVX2FMA: {giEmpty, giZero, giRowDot, gi20, giPanels},
		cpufeat.AVX512:  {giEmpty, giZero, giRowDot, gi20, giPanels},
	}
	type blocking struct {
		name string
		k, m int
	}
	blockings := []blocking{{"host", kDepth, mRows}}
	k, m := cacheBlocks(1, 1)
	blockings = append(blockings, blocking{"smallest", k, m})
	k, m = cacheBlocks(1<<30, 1<<40)
	blockings = append(blockings, blocking{"largest", k, m})
	for _, blocks := range blockings {
		restore := setBlocks(blocks.k, blocks.m)
		t.Run(blocks.name, func(t *testing.T) {
			forEachPath(t, func(t *testing.T) {
				p := cpufeat.Path()
				checkPlans(t, "linear", wantLinear[p], forward, func(s linShape) linearPlan {
					return planLinear(s.rows, s.in, s.out, true)
				}, func(s linShape) linearPlan {
					return planLinear(s.rows, s.in, s.out, false)
				})
				checkPlans(t, "grad weights", wantGradWeights[p], backward, func(s linShape) gradWeightsPlan {
					return planGradWeights(s.rows, s.in, s.out)
				})
				checkPlans(t, "grad input", wantGradInput[p], backward, func(s linShape) gradInputPlan {
					return planGradInput(s.rows, s.in, s.out)
				})
			})
		})
		restore()
	}
}

// checkPlans checks that the plans the functions give for the shapes are
// exactly the set want.
func checkPlans[P interface {
	comparable
	String() string
}](t *testing.T, what string, want []P, shapes []linShape, plans ...func(linShape) P) {
	t.Helper()
	if len(want) == 0 {
		t.Fatalf("%s: no plans listed for path %s", what, cpufeat.Path())
	}
	reached := map[P]linShape{}
	for _, s := range shapes {
		for _, plan := range plans {
			p := plan(s)
			if !slices.Contains(want, p) {
				t.Errorf("%s: shape %v gets plan %v, not one of %v", what, s, p, want)
			}
			if _, ok := reached[p]; !ok {
				reached[p] = s
			}
		}
	}
	for _, p := range want {
		s, ok := reached[p]
		if !ok {
			t.Errorf("%s: no test shape reaches plan %v", what, p)
			continue
		}
		t.Logf("%s: plan %v first reached by %v", what, p, s)
	}
}
