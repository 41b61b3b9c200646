package mdn

import (
	"github.com/mdnsimd/mdnsimd"
	"github.com/mdnsimd/mdnsimd/internal/cpufeat"
)

// colPass is a pass that runs a training step's forward and backward
// computations by columns (feature-major: value f of row r at a[f*ld+r]),
// one row per vector lane, for the models where that layout is faster:
//
//   - each layer is linearCols (the weights broadcast, 16 rows a vector,
//     every store a whole vector), then Tanh over its columns;
//   - the mixture is mdnsimd.MixtureNLLGradCols, which reads and writes
//     the head's columns as they lie instead of transposing 16-row blocks;
//   - the backward pass is linearCols again (the input gradient, with the
//     tanh derivative 1 − h² as its epilogue) and gradCols (each weight
//     gradient a dot product over the rows); the first layer's gradient,
//     which only its weight gradient needs, is summed into that as the
//     tiles of linearColsGradW form it, never stored (for up to
//     colFuseIn inputs).
//
// By rows, every kernel moves its outputs through masked row stores and the
// mixture transposes its input and its gradient; by columns nothing is
// transposed but the step's inputs. The results are those of the row pass
// up to the order of the float32 sums (the tests hold the two together).
type colPass struct {
	m     *Model
	ld    int          // lanes per column: ≥ the rows of a block, see colLd
	x     []float32    // in×ld: the block's inputs by columns
	acts  [][]float32  // acts[i]: out_i×ld, the output of layer i; the last is the head
	dhead []float32    // headWidth×ld
	dbuf  [2][]float32 // maxHidden×ld: the gradients flowing between layers
	loss  []float32    // per-row loss
	acc   []float32    // the first layer's weight-gradient partial sums (linearColsGradW)
}

// colStep reports whether training steps of m run by columns: on the
// avx512 path, for a mixture of 5 components in one dimension (the shape
// MixtureNLLGradCols has its assembly for: any other runs its Go
// reference, slower than the row pass), with one tanh hidden layer and no
// σ floor (whose clamp the row pass applies between the head and the
// loss). With one hidden layer of 20 to 1024 units the column step was
// faster on both 1 and 2 workers (BenchmarkEpochLayout, Zen 5: 8 to 52%);
// with two hidden layers of 64 it was 5% and 22% slower (likely the 64→64
// layer, whose 64 input rows of a group of blocks do not fit L1 and are
// read again for each tile of 5 outputs; not measured apart), so such
// models train by rows. colPass itself takes any number of tanh layers.
func colStep(m *Model) bool {
	return colStepOn && cpufeat.HasAVX512 && m.cfg.K == 5 && m.cfg.Out == 1 &&
		m.logFloors == nil && len(m.layers) == 2 && m.layers[0].tanh
}

// colFuseIn is the most inputs for which the step by columns fuses the
// first layer both ways. Forward, a tanh layer is mdnsimd.LinearTanhCols,
// the sums formed inside the tanh's sweep, rather than linearCols and
// then Tanh over its columns: the fused sweep reads every input column
// again for each output, so its cost grows with the inputs faster than
// linearCols'. For 1000 rows and 20 outputs (Zen 5, side by side) fused
// against two passes took 3.01 against 3.54 µs with 1 input, 3.33/3.57
// with 2, 3.61/3.71 with 3, 4.11/3.91 with 4 and 4.90/4.21 with 6.
// Backward, linearColsGradW sums the first layer's gradient into its
// weight gradient (scratch of 16 floats per weight): from the head's 15
// outputs to 20 units over 1000 rows it took 3.78 against 4.26 µs for
// linearCols and gradCols with 1 input, 4.12/4.77 with 2, 4.69/5.30
// with 3 and 5.29/5.92 with 4.
const colFuseIn = 3

// colStepOn lets the benchmarks compare the two layouts.
var colStepOn = true

// colLd returns the lanes per column for blocks of up to rows rows: a whole
// number of vectors, and not a multiple of 512 floats, so that the columns
// of a buffer (2 KiB or 4 KiB apart at such multiples) do not all fall in
// the same few L1 cache sets. (The seed's mixture by columns took 4.74 µs
// at ld = 1024 against 4.17 at 1008 and 4.15 at 1040:
// BenchmarkMixtureNLLGradCols, Zen 5.)
func colLd(rows int) int {
	ld := (max(rows, 1) + 15) &^ 15
	if ld%512 == 0 {
		ld += 16
	}
	return ld
}

func newColPass(m *Model, rows int) *colPass {
	ld := colLd(rows)
	c := &colPass{m: m, ld: ld, x: make([]float32, m.cfg.In*ld), loss: make([]float32, max(rows, 1))}
	maxHidden := 0
	for i, l := range m.layers {
		c.acts = append(c.acts, make([]float32, l.out*ld))
		if i < len(m.layers)-1 {
			maxHidden = max(maxHidden, l.out)
		}
	}
	c.dhead = make([]float32, m.cfg.headWidth()*ld)
	c.dbuf[0] = make([]float32, maxHidden*ld)
	c.dbuf[1] = make([]float32, maxHidden*ld)
	f := m.layers[0]
	c.acc = make([]float32, colsAccLen(f.out, f.in))
	return c
}

// step computes the loss of the n rows of x, y (n ≤ the rows colPass was
// made for) and adds scale times its gradient to grad. It returns the summed
// per-row loss.
func (c *colPass) step(grad, x, y []float32, n int, scale float32) float64 {
	m, ld := c.m, c.ld
	in := m.cfg.In
	if in == 1 {
		copy(c.x, x[:n])
	} else {
		for r := range n {
			for i, v := range x[r*in : (r+1)*in] {
				c.x[i*ld+r] = v
			}
		}
	}
	// The lanes from n to the next multiple of 16 take part in whole-vector
	// arithmetic (linearCols, Tanh) and hold whatever a larger block left
	// there; no result of the n rows depends on them: the mixture and
	// gradCols read exactly n lanes.
	r16 := (n + 15) &^ 15
	src := c.x
	for i, l := range m.layers {
		dst := c.acts[i]
		w, b := m.params[l.w:l.w+l.out*l.in], m.params[l.b:l.b+l.out]
		switch {
		case l.tanh && l.in <= colFuseIn:
			mdnsimd.LinearTanhCols(dst, src, w, b, n, l.in, l.out, ld)
		case l.tanh:
			linearCols(dst, src, w, b, nil, l.in, l.out, l.in, 1, n, ld)
			a := dst[:(l.out-1)*ld+r16]
			mdnsimd.Tanh(a, a)
		default:
			linearCols(dst, src, w, b, nil, l.in, l.out, l.in, 1, n, ld)
		}
		src = dst
	}
	loss := c.loss[:n]
	mdnsimd.MixtureNLLGradCols(loss, c.dhead, src, y[:n*m.cfg.Out], m.cfg.K, m.cfg.Out, ld, scale)

	dz := c.dhead
	buf := 0
	for i := len(m.layers) - 1; i >= 0; i-- {
		l := m.layers[i]
		below := c.x
		if i > 0 {
			below = c.acts[i-1]
		}
		gradCols(grad[l.w:l.w+l.out*l.in], grad[l.b:l.b+l.out], dz, below, l.out, l.in, n, ld, ld)
		if i == 0 {
			break
		}
		// The layer below is tanh (colStep): its pre-activation's
		// gradient is wᵀ·dz ⊙ (1 − h²).
		w := m.params[l.w : l.w+l.out*l.in]
		dx := c.dbuf[buf][:l.in*ld]
		buf ^= 1
		if f := m.layers[0]; i == 1 && f.in <= colFuseIn {
			// The first layer's gradient is needed for its weight
			// gradient only: summed as the tiles form it, not stored.
			linearColsGradW(grad[f.w:f.w+f.out*f.in], grad[f.b:f.b+f.out], c.acc, dx, dz, w, below, c.x, l.out, l.in, 1, l.in, f.in, n, ld)
			break
		}
		linearCols(dx, dz, w, nil, below, l.out, l.in, 1, l.in, n, ld)
		dz = dx
	}
	return sum64(loss)
}
