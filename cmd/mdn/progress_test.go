package main

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/mdnsimd/mdnsimd/mdn"
)

func TestProgressPlain(t *testing.T) {
	var b bytes.Buffer
	p := newProgressLine(&b, "plain", 25, 0, 100)
	for e := int64(1); e <= 100; e++ {
		p.update(e, 1/float64(e), math.NaN())
	}
	p.finish()
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "epoch  25/100  loss 0.04000") || !strings.HasPrefix(lines[3], "epoch 100/100  loss 0.01000") {
		t.Errorf("plain progress: want 4 lines at epochs 25..100, got:\n%s", b.String())
	}
	if strings.Contains(b.String(), "val") || strings.Contains(b.String(), "\r") {
		t.Errorf("plain progress without validation shows val or redraws:\n%q", b.String())
	}
}

func TestProgressLive(t *testing.T) {
	var b bytes.Buffer
	// Resumed at epoch 50 of 80: every redraw starts with \r and clears
	// the line, the last one shows epoch 80, and finish ends the line.
	p := newProgressLine(&b, "live", 1, 50, 80)
	for e := int64(51); e <= 80; e++ {
		p.update(e, 2, 3)
	}
	p.finish()
	out := b.String()
	if !strings.HasPrefix(out, "\r\033[Kepoch 51/80  loss 2.00000  val 3.00000") || !strings.HasSuffix(out, "\n") {
		t.Errorf("live progress: got %q", out)
	}
	last := out[strings.LastIndex(out, "\r"):]
	if !strings.Contains(last, "epoch 80/80") || strings.Count(out, "\n") != 1 {
		t.Errorf("live progress: last redraw %q, %d newlines", last, strings.Count(out, "\n"))
	}
	// A none/auto line on a non-terminal is plain.
	if p := newProgressLine(&b, "auto", 1, 0, 1); p.live {
		t.Error("auto progress is live on a buffer")
	}
}

func TestThin(t *testing.T) {
	small := mdn.Sinusoid(maxPlotPoints, 1, false)
	if x, _ := thin(small); len(x) != maxPlotPoints {
		t.Errorf("thin kept %d of %d points, want all", len(x), maxPlotPoints)
	}
	big := mdn.Sinusoid(20001, 1, false)
	x, y := thin(big)
	if len(x) > maxPlotPoints || len(x) < maxPlotPoints*9/10 || len(x) != len(y) || x[1] != big.X[11] || y[1] != big.Y[11] {
		t.Errorf("thin of 20001 points: %d kept, x[1]=%v (want every 11th: %v)", len(x), x[1], big.X[11])
	}
	for n, want := range map[int]string{1: "st", 2: "nd", 3: "rd", 4: "th", 11: "th", 12: "th", 13: "th", 21: "st", 102: "nd"} {
		if got := ordinalSuffix(n); got != want {
			t.Errorf("ordinalSuffix(%d) = %q, want %q", n, got, want)
		}
	}
}
