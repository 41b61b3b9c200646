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
		wt := newWaiter(spin)
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

// TestWaiterBudget checks how the spin budget adapts: a wait that parks
// quarters it, down to spinMin; a wait the spin ends restores spinFor.
func TestWaiterBudget(t *testing.T) {
	var v atomic.Uint64
	wt := newWaiter(true)
	park := func() {
		want := v.Load() + 1
		go func() {
			time.Sleep(3 * spinFor)
			v.Add(1)
			wt.wake()
		}()
		wt.waitFor(&v, want)
	}
	ready := func() { wt.waitFor(&v, v.Load()) }
	park()
	if wt.budget != spinFor/4 {
		t.Fatalf("after a parked wait the budget is %v, want %v", wt.budget, spinFor/4)
	}
	for range 10 {
		park()
	}
	if wt.budget != spinMin {
		t.Fatalf("after parked waits the budget is %v, want %v", wt.budget, spinMin)
	}
	ready()
	if wt.budget != spinFor {
		t.Fatalf("after a spun wait the budget is %v, want %v", wt.budget, spinFor)
	}
}
