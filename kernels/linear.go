package kernels

// Linear sets dst = x·wᵀ + b (b may be empty).
func Linear(dst, x, w, b []float32, rows, in, out int) {
	for r := 0; r < rows; r++ {
		xr := x[r*in : (r+1)*in]
		for o := 0; o < out; o++ {
			var s float32
			if len(b) > 0 {
				s = b[o]
			}
			wo := w[o*in : (o+1)*in]
			for j, v := range xr {
				s += v * wo[j]
			}
			dst[r*out+o] = s
		}
	}
}

// LinearTanh sets dst = tanh(x·wᵀ + b).
func LinearTanh(dst, x, w, b []float32, rows, in, out int) {
	Linear(dst, x, w, b, rows, in, out)
	d := dst[:rows*out]
	Tanh(d, d)
}

// LinearGradWeights accumulates dw += dzᵀ·x and db += Σ_rows dz (db may be empty).
func LinearGradWeights(dw, db, dz, x []float32, rows, in, out int) {
	for r := 0; r < rows; r++ {
		xr := x[r*in : (r+1)*in]
		for o := 0; o < out; o++ {
			g := dz[r*out+o]
			if len(db) > 0 {
				db[o] += g
			}
			wo := dw[o*in : (o+1)*in]
			for j, v := range xr {
				wo[j] += g * v
			}
		}
	}
}

// LinearTanhGradWeights sets dz = dh ⊙ (1 − h²), then accumulates
// dw += dzᵀ·x and db += Σ_rows dz. dz may be dh.
func LinearTanhGradWeights(dw, db, dz, dh, h, x []float32, rows, in, out int) {
	n := rows * out
	dz, dh, h = dz[:n], dh[:n], h[:n]
	for i := range dz {
		dz[i] = dh[i] * (1 - h[i]*h[i])
	}
	LinearGradWeights(dw, db, dz, x, rows, in, out)
}

// LinearGradInput sets dx = dz·w.
func LinearGradInput(dx, dz, w []float32, rows, in, out int) {
	for r := 0; r < rows; r++ {
		dxr := dx[r*in : (r+1)*in]
		for j := range dxr {
			dxr[j] = 0
		}
		for o := 0; o < out; o++ {
			g := dz[r*out+o]
			wo := w[o*in : (o+1)*in]
			for j, v := range wo {
				dxr[j] += g * v
			}
		}
	}
}

// LinearCols sets dst = x·wᵀ + b on data stored by columns: input j of row
// r at x[j*ld+r], output o of row r at dst[o*ld+r], for the n rows (the
// lanes from n to ld are neither read nor written); w out×in, b of length
// out or empty. Each sum starts at the bias and adds the inputs in order.
func LinearCols(dst, x, w, b []float32, n, in, out, ld int) {
	for o := 0; o < out; o++ {
		wo := w[o*in : (o+1)*in]
		d := dst[o*ld : o*ld+n]
		for r := range d {
			var s float32
			if len(b) > 0 {
				s = b[o]
			}
			for j, v := range wo {
				s += x[j*ld+r] * v
			}
			d[r] = s
		}
	}
}

// LinearTanhCols sets dst = tanh(x·wᵀ + b) by columns, as LinearCols.
func LinearTanhCols(dst, x, w, b []float32, n, in, out, ld int) {
	LinearCols(dst, x, w, b, n, in, out, ld)
	for o := 0; o < out; o++ {
		d := dst[o*ld : o*ld+n]
		Tanh(d, d)
	}
}
