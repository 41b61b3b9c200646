package mdnsimd

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestNoLegacySSE reads every amd64 assembly file and header of the
// module and fails on an instruction without the VEX or EVEX encoding (a
// mnemonic not starting with V or K) that names an XMM register: the
// kernels keep the upper halves of the YMM and ZMM registers in use, and
// a legacy SSE instruction among them must merge with those halves. On a
// Zen 3, one MOVQ AX, X0 in a loop of the AVX2 quantile kernel
// (mdn/quant_amd64.s) makes Quantiles about three times slower than
// VMOVQ, the same move in its VEX form, does. Code the Go compiler writes
// is outside this test: every kernel ends with VZEROUPPER before it
// returns to it.
func TestNoLegacySSE(t *testing.T) {
	var files []string
	for _, pat := range []string{"*_amd64.s", "*_amd64.h", "mdn/*_amd64.s", "mdn/*_amd64.h"} {
		m, err := filepath.Glob(pat)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 10 {
		t.Fatalf("found %d amd64 assembly files (%v): the test runs from the module root", len(files), files)
	}
	xmm := regexp.MustCompile(`\bX(1[0-5]|[0-9])\b`)
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for n, line := range strings.Split(string(src), "\n") {
			code, _, _ := strings.Cut(line, "//")
			code = strings.TrimSuffix(strings.TrimSpace(code), `\`)
			fields := strings.Fields(code)
			if len(fields) < 2 || strings.HasPrefix(fields[0], "#") {
				continue
			}
			op := fields[0]
			if strings.HasPrefix(op, "V") || strings.HasPrefix(op, "K") || strings.HasSuffix(op, ":") || strings.Contains(op, "(") {
				// VEX or EVEX, a label, or a macro's use (its body is
				// checked where it is defined).
				continue
			}
			if xmm.MatchString(strings.Join(fields[1:], " ")) {
				t.Errorf("%s:%d: %s: a legacy SSE instruction on an XMM register (use its VEX form)", f, n+1, strings.TrimSpace(code))
			}
		}
	}
}
