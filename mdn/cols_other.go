//go:build !amd64 || purego

package mdn

// linearCols is linearColsGo here, after checkLinearCols (see
// cols_amd64.go for the contract).
func linearCols(dst, src, w, b, gate []float32, nIn, nOut, wo, wi, n, ld int) {
	checkLinearCols(dst, src, w, b, gate, nIn, nOut, wo, wi, n, ld)
	linearColsGo(dst, src, w, b, gate, nIn, nOut, wo, wi, n, ld)
}

// gradCols is gradColsGo here, after checkGradCols (see cols_amd64.go for
// the contract).
func gradCols(gw, gb, a, b []float32, na, nb, n, lda, ldb int) {
	checkGradCols(gw, gb, a, b, na, nb, n, lda, ldb)
	gradColsGo(gw, gb, a, b, na, nb, n, lda, ldb)
}
