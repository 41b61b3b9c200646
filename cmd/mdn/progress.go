package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"

	"golang.org/x/term"
)

// progressLine reports training progress: on a terminal one line redrawn in
// place at most every 100 ms, otherwise a plain line every `every` epochs.
type progressLine struct {
	w       io.Writer
	live    bool
	every   int64 // plain mode: print every this many epochs
	total   int64 // epoch number training stops at
	start   time.Time
	drawn   time.Time
	startEp int64 // epoch count when the run started (resumed runs)
	width   int   // terminal width, for truncation
	pending bool  // a live line is on screen and needs a newline
	// recent rate, epochs per second, smoothed over about a second
	rate             float64
	rateEp           int64
	rateAt           time.Time
	lastEp           int64
	lastLoss, lastVl float64
	hasVal           bool
}

// isTerminal reports whether w is a terminal, and its width.
func isTerminal(w io.Writer) (bool, int) {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return false, 0
	}
	width, _, err := term.GetSize(int(f.Fd()))
	if err != nil || width <= 0 {
		width = 80
	}
	return true, width
}

func newProgressLine(w io.Writer, mode string, every, startEpoch, total int64) *progressLine {
	p := &progressLine{w: w, every: max(every, 1), total: total, start: time.Now(), startEp: startEpoch, rateEp: startEpoch}
	p.rateAt = p.start
	switch mode {
	case "live":
		p.live, p.width = true, 100
		if ok, wd := isTerminal(w); ok {
			p.width = wd
		}
	case "auto":
		p.live, p.width = isTerminal(w)
	}
	return p
}

// update records the state after epoch (1-based, counting from the model's
// first epoch) with training loss and validation loss (NaN if none).
func (p *progressLine) update(epoch int64, loss, val float64) {
	now := time.Now()
	p.lastEp, p.lastLoss, p.lastVl = epoch, loss, val
	p.hasVal = !math.IsNaN(val)
	if dt := now.Sub(p.rateAt).Seconds(); dt >= 0.5 {
		r := float64(epoch-p.rateEp) / dt
		if p.rate == 0 {
			p.rate = r
		} else {
			p.rate = 0.5*p.rate + 0.5*r
		}
		p.rateEp, p.rateAt = epoch, now
	}
	if p.live {
		if epoch < p.total && now.Sub(p.drawn) < 100*time.Millisecond {
			return
		}
		p.drawn = now
		line := p.format(now)
		if p.width > 1 && len(line) > p.width-1 {
			line = line[:p.width-1]
		}
		fmt.Fprintf(p.w, "\r\033[K%s", line)
		p.pending = true
		return
	}
	if epoch%p.every == 0 || epoch == p.total {
		fmt.Fprintln(p.w, p.format(now))
	}
}

func (p *progressLine) format(now time.Time) string {
	var b strings.Builder
	digits := len(fmt.Sprint(p.total))
	fmt.Fprintf(&b, "epoch %*d/%d  loss %.5f", digits, p.lastEp, p.total, p.lastLoss)
	if p.hasVal {
		fmt.Fprintf(&b, "  val %.5f", p.lastVl)
	}
	rate := p.rate
	elapsed := now.Sub(p.start)
	if rate == 0 && elapsed > 0 {
		rate = float64(p.lastEp-p.startEp) / elapsed.Seconds()
	}
	if rate > 0 {
		fmt.Fprintf(&b, "  %s epochs/s", humanRate(rate))
		if left := p.total - p.lastEp; left > 0 {
			fmt.Fprintf(&b, "  %s left", roundDuration(time.Duration(float64(left)/rate*float64(time.Second))))
		} else {
			fmt.Fprintf(&b, "  %s", roundDuration(elapsed))
		}
	}
	return b.String()
}

// finish ends a live line so that what follows starts on a new line.
func (p *progressLine) finish() {
	if p.pending {
		fmt.Fprintln(p.w)
		p.pending = false
	}
}

func humanRate(r float64) string {
	switch {
	case r >= 100:
		return fmt.Sprintf("%.0f", r)
	case r >= 10:
		return fmt.Sprintf("%.1f", r)
	}
	return fmt.Sprintf("%.2f", r)
}

func roundDuration(d time.Duration) time.Duration {
	switch {
	case d >= time.Minute:
		return d.Round(time.Second)
	case d >= time.Second:
		return d.Round(100 * time.Millisecond)
	}
	return d.Round(time.Millisecond)
}
