package mdnsimd

// MixtureWidth returns the width of one row of mixture head output for k
// components and d output dimensions: k logits, k·d means, k·d log-sigmas.
// It panics if the width overflows an int.
func MixtureWidth(k, d int) int {
	return mul("MixtureWidth", k, 1+mul("MixtureWidth", 2, d))
}

// MixtureNLL computes, for each of n = len(nll) rows, the negative
// log-likelihood of y under a diagonal Gaussian mixture:
//
//	nll[i] = −LSE_k( log_softmax(logits)_k + Σ_d [ −logσ_kd − ½log2π − ½z_kd² ] )
//	z_kd = (y_d − μ_kd)/σ_kd,  σ = exp(logσ)
//
// Row i of head (width MixtureWidth(k, d)) is laid out
// [logits k | μ k·d | logσ k·d], component-major (μ[c*d+j]), which is the
// output of one fused head GEMM; row i of y has d values.
//
// This is the numeric contract of the mixture kernels, on every path (the
// Go reference is kernels.MixtureNLL, its constants kernels.LogSigmaMin and
// kernels.ZMax):
//
//   - 1/σ = exp(−max(logσ, −87)), so 1/σ stays finite; the −logσ term uses
//     logσ itself.
//   - z is clamped to |z| ≤ 2⁶⁰.
//   - Results beyond the float32 range saturate at ±MaxFloat32.
//
// So the NLL and its gradient are finite for every finite input (σ at the
// float32 limits, logits far apart, y far from μ), exact up to rounding
// while σ ≥ e⁻⁸⁷ and |z| ≤ 2⁶⁰. A NaN anywhere in a row gives NaN in that
// row's NLL (and gradient) only. An infinite input is outside the
// contract, and the paths differ on it: an infinite logσ gives NaN on the
// generic path and ±MaxFloat32 with a finite gradient on the avx512 and
// neon paths. No path reads or writes outside the slices, whatever n.
//
// Accuracy: the generic path computes in float64 and rounds once. The
// assembly paths compute in float32, several rows at a time (one per
// vector lane): their NLL is within about 16·(d+2)·M·2⁻²⁴ of the exact
// value, M being the magnitude of the largest term of a row (1 + the logit
// spread + Σ_j |logσ| + ½z²). They hold each component's log-likelihood
// within ±MaxFloat32, so the accuracy needs, besides σ ≥ e⁻⁸⁷ and
// |z| ≤ 2⁶⁰, the largest component log-likelihood of a row within that
// range (which only logits or d·logσ beyond about ±10³⁸ can leave).
//
// Subnormals, per path: the neon and generic paths leave the floating-point
// environment as it is and compute with IEEE gradual underflow, so inputs
// and intermediate values below 2⁻¹²⁶ in magnitude keep their values
// (rounded to the subnormal spacing 2⁻¹⁴⁹ where they are results). The
// avx2fma and avx512 paths run with FTZ/DAZ set (restored on return):
// inputs and intermediate values below 2⁻¹²⁶ count as zero there (on
// Intel cores each vector operation with a subnormal result would take a
// microcode assist). The avx2fma kernels form ½y − ½μ, so a y−μ below
// 2⁻¹²⁵ counts as 0 (below 2⁻¹²⁶ on avx512), and 1/σ is 0 when
// logσ > 87.3 (σ > 8.5·10³⁷), which makes z 0; this matters only for
// gradients that small, for σ near e⁻⁸⁷ with y that close to μ, and for σ
// that large.
func MixtureNLL(nll, head, y []float32, k, d int) {
	n := len(nll)
	checkMixture("MixtureNLL", n, head, y, k, d)
	if n == 0 {
		return // no rows: the kernels' scratch for k and d is not needed
	}
	mixtureNLL(nll, head, y, k, d)
}

// MixtureNLLGrad computes nll as MixtureNLL does and, in the same pass,
// dhead[i] = scale · ∂nll[i]/∂head[i] (same layout as head), from the
// responsibilities γ_k = softmax_k of the per-component log-likelihoods:
//
//	∂/∂logit_k = π_k − γ_k
//	∂/∂μ_kd    = −γ_k · z_kd / σ_kd
//	∂/∂logσ_kd = γ_k · (1 − z_kd²)
//
// Pass scale = 1/n for the gradient of the mean NLL. dhead must not
// overlap head. The gradient is finite for every finite input and scale,
// under MixtureNLL's contract. Its accuracy bounds hold for |scale| ≤ 1:
// with a larger scale, products of scale, γ, z and σ⁻¹ near the float32
// limits may overflow (or flush) in float32 before they saturate, so an
// entry that should saturate at ±MaxFloat32 may come out smaller, or one
// just below the limit may saturate. On the assembly paths the
// responsibilities carry a relative error of about twice the NLL's
// absolute error, as exponentials of differences of log-likelihoods, and
// the gradient entries follow from them.
func MixtureNLLGrad(nll, dhead, head, y []float32, k, d int, scale float32) {
	n := len(nll)
	checkMixture("MixtureNLLGrad", n, head, y, k, d)
	checkLen("MixtureNLLGrad", "dhead", dhead, len(head))
	if n == 0 {
		return
	}
	mixtureNLLGrad(nll, dhead, head, y, k, d, scale)
}

func checkMixture(kernel string, n int, head, y []float32, k, d int) {
	checkDim(kernel, "k", k)
	checkDim(kernel, "d", d)
	if k < 1 || d < 1 {
		panic("mdnsimd." + kernel + ": k and d must be at least 1")
	}
	w := mul(kernel, k, 1+mul(kernel, 2, d)) // 2d is even, so 2d + 1 fits too
	checkLen(kernel, "head", head, mul(kernel, n, w))
	checkLen(kernel, "y", y, mul(kernel, n, d))
}

// MixtureNLLCols is MixtureNLL with the head stored by columns
// (feature-major), as a network that keeps one row per vector lane
// produces it: value c of row i, c < MixtureWidth(k, d), at head[c*ld+i],
// with ld ≥ n = len(nll) and len(head) = MixtureWidth(k, d)·ld (the lanes
// from n to ld of each column are not read). y stays row-major (n×d). The numeric contract is
// MixtureNLL's. On the avx512 path, k = 5 and d = 1 run the same assembly
// as MixtureNLL, column loads taking the place of its transposes, so the
// results are the same bits. One dimension (d = 1) with any other k runs
// the avx2fma path's assembly for d = 1 the same way, on avx2fma and on
// avx512 (the same bits as MixtureNLL on avx2fma). Every other path and
// shape runs the Go reference (kernels.MixtureNLLCols).
func MixtureNLLCols(nll, head, y []float32, k, d, ld int) {
	n := len(nll)
	checkMixtureCols("MixtureNLLCols", n, head, y, k, d, ld)
	if n == 0 {
		return
	}
	mixtureCols(nll, nil, head, y, k, d, ld, 0)
}

// MixtureNLLGradCols is MixtureNLLGrad with head and dhead stored by
// columns, as in MixtureNLLCols (len(dhead) = len(head)): it writes
// dhead[c*ld+i] for the n rows only, leaving the lanes from n to ld as they
// are. dhead must not overlap head.
func MixtureNLLGradCols(nll, dhead, head, y []float32, k, d, ld int, scale float32) {
	n := len(nll)
	w := checkMixtureCols("MixtureNLLGradCols", n, head, y, k, d, ld)
	checkLen("MixtureNLLGradCols", "dhead", dhead, mul("MixtureNLLGradCols", w, ld))
	if n == 0 {
		return
	}
	mixtureCols(nll, dhead, head, y, k, d, ld, scale)
}

// checkMixtureCols checks the arguments of the column kernels and returns
// the head width.
func checkMixtureCols(kernel string, n int, head, y []float32, k, d, ld int) int {
	checkDim(kernel, "k", k)
	checkDim(kernel, "d", d)
	checkDim(kernel, "ld", ld)
	if k < 1 || d < 1 {
		panic("mdnsimd." + kernel + ": k and d must be at least 1")
	}
	if ld < n {
		panic("mdnsimd." + kernel + ": ld is less than the number of rows")
	}
	w := mul(kernel, k, 1+mul(kernel, 2, d))
	checkLen(kernel, "head", head, mul(kernel, w, ld))
	checkLen(kernel, "y", y, mul(kernel, n, d))
	return w
}
