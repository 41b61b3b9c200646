package mdnsimd

import "github.com/mdnsimd/mdnsimd/kernels"

// Linear sets dst = x·wᵀ + b: dst[r][o] = b[o] + Σ_j x[r][j]·w[o][j], with
// x rows×in, w out×in (PyTorch's layout), b of length out or empty for no
// bias, dst rows×out. dst must not overlap x, w or b.
//
// The linear kernels do not allocate; what scratch they need (a packed
// panel of w, at most 128 KiB) is on the calling goroutine's stack. Sums are
// float32, in an order that depends on the path and the shape: each result
// is within about K·2⁻²⁴·Σ|terms| of the exact sum, K the summed length.
func Linear(dst, x, w, b []float32, rows, in, out int) {
	checkLinear("Linear", dst, x, w, b, rows, in, out)
	if len(dst) == 0 {
		return // rows·out = 0: nothing to write, however many rows
	}
	linear(dst, x, w, b, rows, in, out)
}

// LinearTanh sets dst = tanh(x·wᵀ + b), the tanh applied while each output
// tile is in registers (the same ≤ 2 ULP tanh as Tanh). The result is bit for
// bit Tanh of what Linear returns on the same path. Shapes as in Linear.
func LinearTanh(dst, x, w, b []float32, rows, in, out int) {
	checkLinear("LinearTanh", dst, x, w, b, rows, in, out)
	if len(dst) == 0 {
		return
	}
	linearTanh(dst, x, w, b, rows, in, out)
}

// LinearTanhCols is LinearTanh on data stored by columns (feature-major),
// as a network that keeps one row per vector lane holds it and as
// MixtureNLLCols takes its head: input j of row r at x[j*ld+r] and output
// o of row r at dst[o*ld+r], with ld ≥ n, len(x) = in·ld and
// len(dst) = out·ld; w (out×in) and b (out or empty) as in Linear. It
// writes the n lanes of each output column only and reads only the n
// lanes of each input column. dst must not overlap x, w or b.
//
// Each output column is one sweep over the rows: the sum starts at the
// bias and adds the inputs in order, one FMA each on the avx512 and
// avx2fma paths, where with in = 1 the results are the same bits as
// LinearTanh's on the same rows; the tanh is Tanh's. The cost per row
// grows with in (every input column is read once per output), so the
// layout suits layers with few inputs, a network's first. Other paths
// form the sums in Go (kernels.LinearCols) and run Tanh over each column.
func LinearTanhCols(dst, x, w, b []float32, n, in, out, ld int) {
	const k = "LinearTanhCols"
	checkDim(k, "n", n)
	checkDim(k, "in", in)
	checkDim(k, "out", out)
	checkDim(k, "ld", ld)
	if ld < n {
		panic("mdnsimd." + k + ": ld is less than the number of rows")
	}
	checkLen(k, "x", x, mul(k, in, ld))
	checkLen(k, "w", w, mul(k, out, in))
	checkOptLen(k, "b", b, out)
	checkLen(k, "dst", dst, mul(k, out, ld))
	if n == 0 || out == 0 {
		return
	}
	linearTanhCols(dst, x, w, b, n, in, out, ld)
}

// linearTanhColsGo is LinearTanhCols by kernels.LinearCols and this
// path's Tanh.
func linearTanhColsGo(dst, x, w, b []float32, n, in, out, ld int) {
	kernels.LinearCols(dst, x, w, b, n, in, out, ld)
	for o := range out {
		d := dst[o*ld : o*ld+n]
		tanh(d, d)
	}
}

// LinearGradWeights accumulates the weight and bias gradients of a linear
// layer: dw += dzᵀ·x (dw[o][j] += Σ_r dz[r][o]·x[r][j]) and
// db[o] += Σ_r dz[r][o]. dz is rows×out, x rows×in, dw out×in; db has length
// out or is empty to skip it.
func LinearGradWeights(dw, db, dz, x []float32, rows, in, out int) {
	checkGradWeights("LinearGradWeights", dw, db, dz, x, rows, in, out)
	if out == 0 {
		return // dw and db are empty
	}
	linearGradWeights(dw, db, dz, x, rows, in, out)
}

// LinearTanhGradWeights is LinearGradWeights for a tanh layer h = tanh(z):
// it forms dz = dh ⊙ (1 − h²) (written to dz, for LinearGradInput) a block
// of rows at a time, and each block of dz goes into dw += dzᵀ·x and
// db += Σ_r dz while it is still in cache. dh and h are rows×out; dz may be
// dh (in place).
func LinearTanhGradWeights(dw, db, dz, dh, h, x []float32, rows, in, out int) {
	checkGradWeights("LinearTanhGradWeights", dw, db, dz, x, rows, in, out)
	checkLen("LinearTanhGradWeights", "dh", dh, rows*out)
	checkLen("LinearTanhGradWeights", "h", h, rows*out)
	if out == 0 {
		return // dw, db and dz are empty
	}
	linearTanhGradWeights(dw, db, dz, dh, h, x, rows, in, out)
}

// LinearGradInput sets dx = dz·w (dx[r][j] = Σ_o dz[r][o]·w[o][j]), the
// gradient flowing to the layer's input. dz is rows×out, w out×in, dx
// rows×in; dx must not overlap dz or w.
func LinearGradInput(dx, dz, w []float32, rows, in, out int) {
	const k = "LinearGradInput"
	checkShape(k, rows, in, out)
	checkLen(k, "dx", dx, mul(k, rows, in))
	checkLen(k, "dz", dz, mul(k, rows, out))
	checkLen(k, "w", w, mul(k, out, in))
	if len(dx) == 0 {
		return
	}
	linearGradInput(dx, dz, w, rows, in, out)
}

func checkLinear(k string, dst, x, w, b []float32, rows, in, out int) {
	checkShape(k, rows, in, out)
	checkLen(k, "x", x, mul(k, rows, in))
	checkLen(k, "w", w, mul(k, out, in))
	checkOptLen(k, "b", b, out)
	checkLen(k, "dst", dst, mul(k, rows, out))
}

func checkGradWeights(k string, dw, db, dz, x []float32, rows, in, out int) {
	checkShape(k, rows, in, out)
	checkLen(k, "dw", dw, mul(k, out, in))
	checkOptLen(k, "db", db, out)
	checkLen(k, "dz", dz, mul(k, rows, out))
	checkLen(k, "x", x, mul(k, rows, in))
}

// checkShape checks the three sizes of a linear layer.
func checkShape(k string, rows, in, out int) {
	checkDim(k, "rows", rows)
	checkDim(k, "in", in)
	checkDim(k, "out", out)
}
