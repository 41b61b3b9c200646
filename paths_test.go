package mdnsimd

import (
	"math"
	"math/big"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
)

// forEachPath runs f once on every path this process can run, the
// dispatched one first and the generic one last. Each subtest is named after
// the path it ran.
func forEachPath(t *testing.T, f func(t *testing.T)) {
	t.Helper()
	paths := cpufeat.Paths()
	if len(paths) == 1 {
		t.Logf("no assembly path on this CPU/build; running the generic path only")
	}
	for _, p := range paths {
		restore := cpufeat.Force(p)
		t.Run(p, f)
		restore()
	}
}

// benchEachPath runs f as the sub-benchmark name+"/impl=P" for every path
// P this process can run, with dispatch forced to P. Every benchmark of the
// module names its sub-benchmarks size=…/impl=…, with any other parameter
// (workers=…, opt=…) between the two, so that benchstat -col /impl puts
// the paths in columns; name is "size=…" or "size=…/key=…".
func benchEachPath(b *testing.B, name string, f func(b *testing.B, path string)) {
	for _, p := range cpufeat.Paths() {
		b.Run(name+"/impl="+p, func(b *testing.B) {
			defer cpufeat.Force(p)()
			f(b, p)
		})
	}
}

// TestRequireImpl fails when MDNSIMD_REQUIRE names a path dispatch did not
// choose, so CI proves which path its runs exercised.
func TestRequireImpl(t *testing.T) {
	want := os.Getenv("MDNSIMD_REQUIRE")
	t.Logf("dispatch chose %q", Impl())
	if want == "" {
		t.Skip("MDNSIMD_REQUIRE not set")
	}
	if got := Impl(); got != want {
		t.Fatalf("dispatch chose %q, MDNSIMD_REQUIRE=%q", got, want)
	}
}

func TestCPUReport(t *testing.T) {
	c := CPU()
	s := c.String()
	if c.Impl != Impl() || !strings.Contains(s, "kernels:  "+Impl()) {
		t.Fatalf("report does not name the path %q:\n%s", Impl(), s)
	}
	t.Logf("\n%s", s)
}

// mustPanic runs f and checks it panics with a message containing each of want.
func mustPanic(t *testing.T, f func(), want ...string) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if r == nil {
			t.Fatalf("no panic, want one mentioning %q", want)
		}
		msg, _ := r.(string)
		for _, w := range want {
			if !strings.Contains(msg, w) {
				t.Fatalf("panic %q does not mention %q", msg, w)
			}
		}
	}()
	f()
}

func TestLengthChecks(t *testing.T) {
	a, b := make([]float32, 4), make([]float32, 5)
	mustPanic(t, func() { Tanh(a, b) }, "mdnsimd.Tanh", "len(dst) = 4, want 5")
	mustPanic(t, func() { Exp(b, a) }, "mdnsimd.Exp", "len(dst)")
	mustPanic(t, func() { Softmax(a, a, 2, 3) }, "mdnsimd.Softmax", "len(x) = 4, want 6")
	mustPanic(t, func() { LogSoftmax(a, a, -1, 3) }, "mdnsimd.LogSoftmax", "rows = -1")
	mustPanic(t, func() { MixtureNLL(a[:1], a, a[:1], 2, 1) }, "mdnsimd.MixtureNLL", "len(head) = 4, want 6")
	mustPanic(t, func() { MixtureNLLGrad(a[:1], b, make([]float32, 6), a[:1], 2, 1, 1) }, "mdnsimd.MixtureNLLGrad", "len(dhead)")
	mustPanic(t, func() { MixtureNLL(a[:1], a, a[:1], 0, 1) }, "mdnsimd.MixtureNLL", "at least 1")
	mustPanic(t, func() { Linear(a, a, a, b, 2, 2, 2) }, "mdnsimd.Linear", "len(b) = 5, want 2 or 0")
	mustPanic(t, func() { LinearTanh(b, a, a, nil, 2, 2, 2) }, "mdnsimd.LinearTanh", "len(dst) = 5, want 4")
	mustPanic(t, func() { LinearGradWeights(a, nil, a, b, 2, 2, 2) }, "mdnsimd.LinearGradWeights", "len(x) = 5")
	mustPanic(t, func() { LinearTanhGradWeights(a, nil, a, a, b, a, 2, 2, 2) }, "mdnsimd.LinearTanhGradWeights", "len(h) = 5")
	mustPanic(t, func() { LinearGradInput(a, a, b, 2, 2, 2) }, "mdnsimd.LinearGradInput", "len(w) = 5")
	mustPanic(t, func() { Linear(a, a, a, nil, 1<<62, 1<<62, 1) }, "mdnsimd.Linear", "overflows")
	mustPanic(t, func() { MixtureNLL(nil, nil, nil, 1, 1<<62) }, "mdnsimd.MixtureNLL", "overflows")
	mustPanic(t, func() { MixtureNLLGrad(nil, nil, nil, nil, 1, 1<<62, 1) }, "mdnsimd.MixtureNLLGrad", "overflows")
	mustPanic(t, func() { MixtureWidth(1<<40, 1<<40) }, "mdnsimd.MixtureWidth", "overflows")
}

// TestEmptyCalls: calls with nothing to write return at once on every
// path, whatever their other sizes: many rows of no columns (a loop over
// 2⁶² empty rows would not end), and a mixture of no rows with k and d
// whose per-call scratch would not fit in memory.
func TestEmptyCalls(t *testing.T) { forEachPath(t, emptyCalls) }

func emptyCalls(t *testing.T) {
	const many = 1 << 62
	Softmax(nil, nil, many, 0)
	LogSoftmax(nil, nil, many, 0)
	Linear(nil, nil, nil, nil, many, 0, 0)
	LinearTanh(nil, nil, nil, nil, many, 0, 0)
	LinearGradInput(nil, nil, nil, many, 0, 0)
	LinearGradWeights(nil, nil, nil, nil, many, 0, 0)
	LinearTanhGradWeights(nil, nil, nil, nil, nil, nil, many, 0, 0)
	MixtureNLL(nil, nil, nil, 1<<30, 1<<31)
	MixtureNLLGrad(nil, nil, nil, nil, 1<<30, 1<<31, 1)
}

// TestMul checks the size product of the argument checks against exact
// arithmetic: the product where it fits an int, a panic naming the kernel
// where it does not, and for a negative operand what the general check
// gives (the product, or a panic where b > MaxInt/a).
func TestMul(t *testing.T) {
	vals := []int{0, 1, 2, 3, 7, 1 << 31, 1<<32 - 1, 1 << 32, 1<<32 + 1, 3037000499, 3037000500, 1 << 62, math.MaxInt / 3, math.MaxInt/2 + 1, math.MaxInt}
	for _, v := range slices.Clone(vals) {
		vals = append(vals, -v)
	}
	vals = append(vals, math.MinInt)
	for _, a := range vals {
		for _, b := range vals {
			exact := new(big.Int).Mul(big.NewInt(int64(a)), big.NewInt(int64(b)))
			var panics bool
			if a < 0 || b < 0 {
				panics = a != 0 && b > math.MaxInt/a
			} else {
				panics = !exact.IsInt64()
			}
			if panics {
				mustPanic(t, func() { mul("K", a, b) }, "mdnsimd.K", "overflows")
				continue
			}
			if got := mul("K", a, b); got != a*b || a >= 0 && b >= 0 && int64(got) != exact.Int64() {
				t.Fatalf("mul(%d, %d) = %d, want %d", a, b, got, a*b)
			}
		}
	}
}
