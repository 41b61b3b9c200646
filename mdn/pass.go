package mdn

import (
	"github.com/mdnsimd/mdnsimd"
)

// pass holds the scratch of one forward/backward pass over up to rows
// samples: every layer's activations, the head's gradient, two ping-pong
// buffers for the gradients flowing between hidden layers, the per-row loss
// and a gradient vector shaped like the parameters. Each training worker owns
// one, so nothing mutable is shared.
type pass struct {
	m     *Model
	rows  int
	acts  [][]float32 // acts[i]: output of layer i, rows×out_i; the last is the head
	dhead []float32   // rows×headWidth
	dbuf  [2][]float32
	loss  []float32 // per-row loss
	clamp []bool    // rows×K·D: logσ clamped to the floor (only with a σ floor)
	grad  []float32 // len(m.params)
	cols  *colPass  // training steps by columns (colStep); nil: by rows

	// Training a plain network with a Scaling: each target's weight in the
	// reported loss (YStd², so the loss is the data-unit MSE; the gradient
	// is that of the model-unit MSE, every target weighing the same).
	mseW []float32
}

// newPass returns a pass for training steps of up to rows rows of m (its
// forward pass also serves the tests' reference heads).
func newPass(m *Model, rows int) *pass {
	rows = max(rows, 1)
	p := &pass{m: m, rows: rows, loss: make([]float32, rows)}
	maxHidden := 0
	for i, l := range m.layers {
		p.acts = append(p.acts, make([]float32, rows*l.out))
		if i < len(m.layers)-1 {
			maxHidden = max(maxHidden, l.out)
		}
	}
	if m.logFloors != nil {
		p.clamp = make([]bool, rows*m.cfg.K*m.cfg.Out)
	}
	if m.units != nil && m.cfg.K == 0 {
		p.mseW = m.units.mseW
	}
	p.dhead = make([]float32, rows*m.cfg.headWidth())
	p.dbuf[0] = make([]float32, rows*maxHidden)
	p.dbuf[1] = make([]float32, rows*maxHidden)
	p.grad = make([]float32, len(m.params))
	if colStep(m) {
		p.cols = newColPass(m, rows)
	}
	return p
}

// forward runs the network on n ≤ p.rows rows of x (model units) and
// returns the head output (n×headWidth, model units), with logσ clamped to
// the σ floor when one is set.
func (p *pass) forward(x []float32, n int) []float32 {
	m := p.m
	in := x[:n*m.cfg.In]
	for i, l := range m.layers {
		dst := p.acts[i][:n*l.out]
		w := m.params[l.w : l.w+l.out*l.in]
		b := m.params[l.b : l.b+l.out]
		if l.tanh {
			mdnsimd.LinearTanh(dst, in, w, b, n, l.in, l.out)
		} else {
			mdnsimd.Linear(dst, in, w, b, n, l.in, l.out)
		}
		in = dst
	}
	if floors := m.logFloors; floors != nil {
		k, d, hw := m.cfg.K, m.cfg.Out, m.cfg.headWidth()
		kd := k * d
		for r := range n {
			row := in[r*hw+k+kd : (r+1)*hw]
			mask := p.clamp[r*kd : (r+1)*kd]
			for c := 0; c < kd; c += d {
				for j, lf := range floors {
					v := row[c+j]
					cl := v < lf
					if cl {
						row[c+j] = lf
					}
					mask[c+j] = cl
				}
			}
		}
	}
	return in
}

// lossGrad computes the per-row loss of head against y into p.loss and,
// when grad is set, the head gradient scaled by scale into p.dhead. It
// returns the sum of the per-row losses. For an MDN the per-row loss is the
// NLL; for an MLP it is the row's mean squared error (each target's squared
// error weighted by p.mseW when set).
func (p *pass) lossGrad(head, y []float32, n int, scale float32, grad bool) float64 {
	m := p.m
	cfg := &m.cfg
	loss := p.loss[:n]
	y = y[:n*cfg.Out]
	if cfg.K == 0 {
		var dh []float32
		if grad {
			dh = p.dhead[:n*cfg.Out]
		}
		mseRows(loss, dh, head, y, p.mseW, cfg.Out, scale)
		return sum64(loss)
	}
	if !grad {
		mdnsimd.MixtureNLL(loss, head, y, cfg.K, cfg.Out)
		return sum64(loss)
	}
	hw := cfg.headWidth()
	dh := p.dhead[:n*hw]
	mdnsimd.MixtureNLLGrad(loss, dh, head, y, cfg.K, cfg.Out, scale)
	if p.clamp != nil {
		k, kd := cfg.K, cfg.K*cfg.Out
		for r := range n {
			row := dh[r*hw+k+kd : (r+1)*hw]
			for j, c := range p.clamp[r*kd : (r+1)*kd] {
				if c {
					row[j] = 0
				}
			}
		}
	}
	return sum64(loss)
}

// mseRows sets loss[r] to the mean squared error of row r of head against
// y (d values a row, each squared error weighted by w[j] when w is set)
// and, when dh is set, dh to the gradient of the rows' losses times scale
// (unweighted: 2·scale·e/d).
func mseRows(loss, dh, head, y, w []float32, d int, scale float32) {
	inv := 1 / float32(d)
	g := 2 * scale * inv
	for r := range loss {
		var s float32
		for j := range d {
			e := head[r*d+j] - y[r*d+j]
			if w != nil {
				s += w[j] * (e * e)
			} else {
				s += e * e
			}
			if dh != nil {
				dh[r*d+j] = g * e
			}
		}
		loss[r] = s * inv
	}
}

// backward accumulates into p.grad the gradient of the loss whose head
// gradient is in p.dhead, for the n rows of x that forward last ran on.
// p.grad must be zeroed by the caller when it starts a new step.
func (p *pass) backward(x []float32, n int) {
	m := p.m
	dz := p.dhead[:n*m.cfg.headWidth()]
	buf := 0
	for i := len(m.layers) - 1; i >= 0; i-- {
		l := m.layers[i]
		var in []float32
		if i == 0 {
			in = x[:n*m.cfg.In]
		} else {
			in = p.acts[i-1][:n*l.in]
		}
		gw := p.grad[l.w : l.w+l.out*l.in]
		gb := p.grad[l.b : l.b+l.out]
		if l.tanh {
			mdnsimd.LinearTanhGradWeights(gw, gb, dz, dz, p.acts[i][:n*l.out], in, n, l.in, l.out)
		} else {
			mdnsimd.LinearGradWeights(gw, gb, dz, in, n, l.in, l.out)
		}
		if i > 0 {
			dx := p.dbuf[buf][:n*l.in]
			buf ^= 1
			mdnsimd.LinearGradInput(dx, dz, m.params[l.w:l.w+l.out*l.in], n, l.in, l.out)
			dz = dx
		}
	}
}

// addTo sets g[i] = g[i] + s[i] for i < len(g) (len(s) ≥ len(g)): the
// vector loop where the path has one, then the Go loop, the same bits.
func addTo(g, s []float32) {
	s = s[:len(g)]
	i0 := 0
	if vecLoops() {
		i0 = addLen(len(g))
		addVec(g[:i0], s[:i0])
	}
	for i := i0; i < len(g); i++ {
		g[i] += s[i]
	}
}

// sum64 returns Σ s in float64, in a fixed order, so the result is
// deterministic: the vector loop's 16 partial sums over the first
// 16·⌊len(s)/16⌋ values (when the path has one), then four accumulators.
func sum64(s []float32) float64 {
	var v float64
	if vecLoops() && len(s) >= 16 {
		n := len(s) &^ 15
		v, s = sumVec(s[:n]), s[n:]
	}
	var a, b, c, d float64
	i := 0
	for ; i+4 <= len(s); i += 4 {
		a += float64(s[i])
		b += float64(s[i+1])
		c += float64(s[i+2])
		d += float64(s[i+3])
	}
	for ; i < len(s); i++ {
		a += float64(s[i])
	}
	return v + ((a + b) + (c + d))
}
