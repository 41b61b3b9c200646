package mdn

// workers runs a step's rows as fixed contiguous shards, shard i on pass i.
// Shard 0 runs on the calling goroutine; shards 1.. on persistent goroutines
// started once per Train call and signalled per step over channels, so a
// step starts no goroutine and allocates nothing. Losses and gradients are
// reduced in shard order, so the result does not depend on scheduling.
type workers struct {
	m      *Model
	passes []*pass
	losses []float64

	// the current job, written before the workers are signalled
	x, y     []float32
	n        int
	wantGrad bool
	scale    float32

	start []chan struct{}
	done  chan struct{}
}

func newWorkers(m *Model, n, rows int) *workers {
	w := &workers{m: m, losses: make([]float64, n), done: make(chan struct{}, n)}
	for i := range n {
		w.passes = append(w.passes, newPass(m, rows, true))
		if i > 0 {
			c := make(chan struct{}, 1)
			w.start = append(w.start, c)
			go w.loop(i, c)
		}
	}
	return w
}

func (w *workers) loop(i int, start <-chan struct{}) {
	for range start {
		w.shard(i)
		w.done <- struct{}{}
	}
}

// close stops the goroutines.
func (w *workers) close() {
	for _, c := range w.start {
		close(c)
	}
	w.start = nil
}

// capacity is the most rows one run can take.
func (w *workers) capacity() int { return w.passes[0].rows * len(w.passes) }

// run computes the summed loss over the n rows of x, y and, with grad, the
// gradient of (summed loss)/n, left in grad().
func (w *workers) run(x, y []float32, n int, grad bool) float64 {
	w.x, w.y, w.n, w.wantGrad = x, y, n, grad
	w.scale = 1 / float32(n)
	for _, c := range w.start {
		c <- struct{}{}
	}
	w.shard(0)
	for range w.start {
		<-w.done
	}
	loss := w.losses[0]
	g := w.passes[0].grad
	for i := 1; i < len(w.passes); i++ {
		loss += w.losses[i]
		if grad {
			gi := w.passes[i].grad[:len(g)]
			for j := range g {
				g[j] += gi[j]
			}
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
	rows := hi - lo
	if rows == 0 {
		return
	}
	in, out := w.m.cfg.In, w.m.cfg.Out
	x, y := w.x[lo*in:hi*in], w.y[lo*out:hi*out]
	head := p.forward(x, rows)
	w.losses[i] = p.lossGrad(head, y, rows, w.scale, w.wantGrad)
	if w.wantGrad {
		p.backward(x, rows)
	}
}
