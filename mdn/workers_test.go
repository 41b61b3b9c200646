package mdn

import (
	"sync/atomic"
	"testing"
	"time"
)

// TestWaiter signals a waiter after delays shorter and longer than spinFor,
// with and without spinning, so that both the spin and the park paths and
// their races with wake run (under -race in CI too).
func TestWaiter(t *testing.T) {
	for _, spin := range []bool{true, false} {
		var v atomic.Uint64
		wt := waiter{ch: make(chan struct{}, 1), spin: spin}
		delays := []time.Duration{0, time.Microsecond, 20 * time.Microsecond, 3 * spinFor}
		for i := range 40 {
			want := uint64(i + 1)
			d := delays[i%len(delays)]
			go func() {
				time.Sleep(d)
				v.Add(1)
				wt.wake()
			}()
			wt.waitFor(&v, want)
			if got := v.Load(); got < want {
				t.Fatalf("spin=%v round %d: waitFor returned at %d", spin, i, got)
			}
		}
	}
}
