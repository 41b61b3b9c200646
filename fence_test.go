package mdnsimd

import (
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"testing"

	"github.com/mdnsimd/mdnsimd/internal/f32test"
)

// TestLinearFenced runs the linear family with every slice against an
// inaccessible page, past its end and then before its start, on shapes
// that reach each plan's edge tiles (the 17- to 20-column panels, masked
// tails of 1 to 15, a lone row): any access outside a slice faults,
// including masked stores whose masked-off lanes reach over the end,
// which some CPUs fault on and guard values cannot show. The results must
// equal those of the same calls on ordinary memory.
func TestLinearFenced(t *testing.T) { forEachPath(t, linearFencedCases) }

func linearFencedCases(t *testing.T) {
	if e := os.Getenv("MDNSIMD_EMULATED"); e == "qemu-x86_64" && Impl() != "generic" {
		// qemu faults on the masked-off lanes of VMASKMOVPS loads, which
		// hardware never does (.ci/run says so in its log).
		t.Skipf("MDNSIMD_EMULATED=%s: the emulator's masked loads fault where the CPU's do not", e)
	}
	if x, free := f32test.Fenced(1, false); free == nil {
		t.Skip("no fenced memory on this system")
	} else {
		_ = x
		free()
	}
	rng := rand.New(rand.NewPCG(21, 22))
	shapes := []linShape{
		{4, 2, 17}, {4, 2, 18}, {8, 3, 19}, {16, 5, 20}, {12, 20, 49}, {16, 49, 2}, {1, 49, 32},
		{1, 20, 15}, {3, 7, 33}, {5, 1, 20}, {80, 1, 20}, {1000, 1, 20}, {1000, 20, 15}, {2, 91, 63},
		{29, 20, 17}, {7, 17, 1}, {1, 1, 1}, {33, 256, 60},
	}
	for _, sh := range shapes {
		rows, in, out := sh.rows, sh.in, sh.out
		for _, atStart := range []bool{false, true} {
			name := fmt.Sprintf("%dx%d->%d fenced at start=%v", rows, in, out, atStart)
			var frees []func()
			fenced := func(src []float32) []float32 {
				s, free := f32test.Fenced(len(src), atStart)
				frees = append(frees, free)
				copy(s, src)
				return s
			}
			gen := func(n int) []float32 {
				v := make([]float32, n)
				f32test.Uniform(rng, v, -1, 1)
				return v
			}
			x, w, b, dz, h := gen(rows*in), gen(out*in), gen(out), gen(rows*out), gen(rows*out)
			type outs struct{ y, yt, dx, dw, db, dwt, dbt, dzt []float32 }
			run := func(fence bool) outs {
				id := func(s []float32) []float32 { return slices.Clone(s) }
				if fence {
					id = fenced
				}
				o := outs{
					y: id(make([]float32, rows*out)), yt: id(make([]float32, rows*out)),
					dx: id(make([]float32, rows*in)), dw: id(make([]float32, out*in)), db: id(make([]float32, out)),
					dwt: id(make([]float32, out*in)), dbt: id(make([]float32, out)), dzt: id(make([]float32, rows*out)),
				}
				xs, ws, bs, dzs, hs := id(x), id(w), id(b), id(dz), id(h)
				Linear(o.y, xs, ws, bs, rows, in, out)
				LinearTanh(o.yt, xs, ws, bs, rows, in, out)
				LinearGradInput(o.dx, dzs, ws, rows, in, out)
				LinearGradWeights(o.dw, o.db, dzs, xs, rows, in, out)
				LinearTanhGradWeights(o.dwt, o.dbt, o.dzt, dzs, hs, xs, rows, in, out)
				return o
			}
			want, got := run(false), run(true)
			for _, c := range []struct {
				name      string
				got, want []float32
			}{{"Linear", got.y, want.y}, {"LinearTanh", got.yt, want.yt}, {"LinearGradInput", got.dx, want.dx},
				{"LinearGradWeights dw", got.dw, want.dw}, {"db", got.db, want.db},
				{"LinearTanhGradWeights dw", got.dwt, want.dwt}, {"db", got.dbt, want.dbt}, {"dz", got.dzt, want.dzt}} {
				if !slices.Equal(c.got, c.want) {
					t.Errorf("%s: %s differs on fenced memory", name, c.name)
				}
			}
			for _, f := range frees {
				f()
			}
		}
	}
}
