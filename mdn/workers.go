package mdn

import (
	"runtime"
	"sync/atomic"
	"time"
)

// workers runs a step's rows as fixed contiguous shards, shard i on pass i.
// Shard 0 runs on the calling goroutine; shards 1.. on persistent goroutines
// started once per Train call and signalled per step (see waiter), so a
// step starts no goroutine and allocates nothing. Losses and gradients are
// reduced in shard order, so the result does not depend on scheduling.
type workers struct {
	m      *Model
	passes []*pass
	losses []float64
	block  int // rows per pass through the network

	// the current job, written before gen is advanced
	x, y     []float32
	n        int
	wantGrad bool
	scale    float32
	quit     bool

	gen  atomic.Uint64 // jobs posted
	done atomic.Uint64 // shards finished, over all jobs
	main *waiter       // the caller, waiting for done
	wait []*waiter     // worker i waits on wait[i-1] for gen
}

// blockBytes is the scratch one block of rows may use: each worker runs its
// shard through the network in blocks of rows whose activations and
// gradients fit in about this much memory (about a core's L2 cache), so the
// backward pass finds the forward pass's activations in cache. The block
// size depends only on the model, so results stay deterministic.
var blockBytes = 1 << 20

// blockRows returns the rows per block for m: at least 128, so that every
// kernel call has enough rows to run at speed.
func blockRows(m *Model) int {
	per := m.cfg.headWidth() * 2 // head and its gradient
	maxHidden := 0
	for _, l := range m.layers[:len(m.layers)-1] {
		per += l.out
		maxHidden = max(maxHidden, l.out)
	}
	per += 2*maxHidden + 1
	return max(128, blockBytes/(4*per))
}

// newWorkers makes n workers for steps of up to rows rows in all.
func newWorkers(m *Model, n, rows int) *workers {
	w := &workers{m: m, losses: make([]float64, n), block: min(blockRows(m), (rows+n-1)/n)}
	spin := runtime.GOMAXPROCS(0) >= n
	w.main = newWaiter(spin)
	for i := range n {
		w.passes = append(w.passes, newPass(m, w.block))
		if i > 0 {
			wt := newWaiter(spin)
			w.wait = append(w.wait, wt)
			go w.loop(i, wt)
		}
	}
	return w
}

func (w *workers) loop(i int, wt *waiter) {
	for seen := uint64(1); ; seen++ {
		wt.waitFor(&w.gen, seen)
		if w.quit {
			return
		}
		w.shard(i)
		w.done.Add(1)
		w.main.wake()
	}
}

// close stops the goroutines.
func (w *workers) close() {
	if w.quit {
		return
	}
	w.quit = true
	w.gen.Add(1)
	for _, wt := range w.wait {
		wt.wake()
	}
}

// run computes the summed loss over the n rows of x, y and, with grad, the
// gradient of (summed loss)/n, left in grad(). Shard i is rows
// [n·i/W, n·(i+1)/W), run in ⌈rows/w.block⌉ blocks of nearly equal size.
func (w *workers) run(x, y []float32, n int, grad bool) float64 {
	w.x, w.y, w.n, w.wantGrad = x, y, n, grad
	w.scale = 1 / float32(n)
	if len(w.wait) > 0 {
		w.gen.Add(1)
		for _, wt := range w.wait {
			wt.wake()
		}
	}
	w.shard(0)
	if len(w.wait) > 0 {
		w.main.waitFor(&w.done, w.gen.Load()*uint64(len(w.wait)))
	}
	loss := w.losses[0]
	g := w.passes[0].grad
	for i := 1; i < len(w.passes); i++ {
		loss += w.losses[i]
		if grad {
			addTo(g, w.passes[i].grad)
		}
	}
	return loss
}

// grad returns the gradient of the last run with grad set.
func (w *workers) grad() []float32 { return w.passes[0].grad }

func (w *workers) shard(i int) {
	nw := len(w.passes)
	lo, hi := w.n*i/nw, w.n*(i+1)/nw
	p := w.passes[i]
	if w.wantGrad {
		clear(p.grad)
	}
	w.losses[i] = 0
	in, out := w.m.cfg.In, w.m.cfg.Out
	var loss float64
	// ⌈rows/block⌉ blocks of nearly equal size (at most block rows each),
	// rather than full blocks and a remainder: a remainder of a few rows
	// would make a kernel call that is mostly overhead (the mixture kernel
	// pads fewer than 8 rows to 8).
	nb := (hi - lo + w.block - 1) / w.block
	for j := range nb {
		b0, b1 := lo+(hi-lo)*j/nb, lo+(hi-lo)*(j+1)/nb
		rows := b1 - b0
		x, y := w.x[b0*in:b1*in], w.y[b0*out:b1*out]
		if w.wantGrad && p.cols != nil {
			loss += p.cols.step(p.grad, x, y, rows, w.scale)
			continue
		}
		head := p.forward(x, rows)
		loss += p.lossGrad(head, y, rows, w.scale, w.wantGrad)
		if w.wantGrad {
			p.backward(x, rows)
		}
	}
	w.losses[i] = loss
}

// A waiter busy-waits before it parks, for up to spinFor: longer than the
// gaps a training run leaves between and within its steps (the shard
// imbalance, the reduction and the optimizer: microseconds for the seed
// model, tens of microseconds for a wide one), so that on an otherwise idle
// machine the workers never park and a step pays no wake-up latency:
// parking and waking through the scheduler costs tens of microseconds, as
// much as a whole step of a small model.
//
// When the machine is busy, the goroutine waited for may not be running,
// and spinning only takes a core from it. So the budget adapts: every wait
// that has to park quarters it, down to spinMin; a wait that the spin ends
// restores spinFor; and every probeEvery-th wait spins the full spinFor, so
// that a run finds out when the machine is idle again.
//
// With fewer threads (GOMAXPROCS) than workers nobody spins: a spinning
// goroutine would only hold the thread the one it waits for needs.
const (
	spinFor    = 100 * time.Microsecond
	spinMin    = time.Microsecond
	probeEvery = 64
)

// spinBatch is the number of loads between looks at the clock.
const spinBatch = 256

// waiter lets one goroutine wait for an atomic counter to reach a value,
// spinning first and then parking on a channel. The signaller advances the
// counter and then calls wake, which sends only if the waiter has parked.
type waiter struct {
	state  atomic.Int32  // waiterAwake, waiterParked or waiterSignalled
	ch     chan struct{} // capacity 1
	spin   bool          // spin before parking
	budget time.Duration // the spin's current bound, spinMin..spinFor
	waits  uint32        // waits so far, for the probes
	_      [64]byte      // keep waiters on separate cache lines
}

func newWaiter(spin bool) *waiter {
	return &waiter{ch: make(chan struct{}, 1), spin: spin, budget: spinFor}
}

const (
	waiterAwake = iota
	waiterParked
	waiterSignalled
)

// waitFor returns once v ≥ want.
func (wt *waiter) waitFor(v *atomic.Uint64, want uint64) {
	if wt.spin {
		wt.waits++
		limit := wt.budget
		if wt.waits%probeEvery == 0 {
			limit = spinFor
		}
		if spinUntil(v, want, limit) {
			wt.budget = spinFor
			return
		}
		wt.budget = max(wt.budget/4, spinMin)
	}
	for {
		wt.state.Store(waiterParked)
		if v.Load() >= want {
			if wt.state.CompareAndSwap(waiterParked, waiterAwake) {
				return
			}
			// wake has committed to a send: take it.
			<-wt.ch
			wt.state.Store(waiterAwake)
			return
		}
		<-wt.ch
		wt.state.Store(waiterAwake)
		if v.Load() >= want {
			return
		}
	}
}

// spinUntil loads v until it reaches want (true) or limit has passed
// (false); the clock is read every spinBatch loads, first after one batch.
func spinUntil(v *atomic.Uint64, want uint64, limit time.Duration) bool {
	var start time.Time
	for {
		for range spinBatch {
			if v.Load() >= want {
				return true
			}
		}
		if start.IsZero() {
			start = time.Now()
		} else if time.Since(start) >= limit {
			return false
		}
	}
}

// wake unparks the waiter if it is parked. Call it after advancing the
// counter.
func (wt *waiter) wake() {
	if wt.state.CompareAndSwap(waiterParked, waiterSignalled) {
		wt.ch <- struct{}{}
	}
}
