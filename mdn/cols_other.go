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

// linearColsGradW is linearColsGo into dz and then gradColsGo here (see
// cols_amd64.go for the contract).
func linearColsGradW(gw, gb, acc, dz, src, w, gate, x []float32, nIn, nOut, wo, wi, nx, n, ld int) {
	checkLinearCols(dz, src, w, nil, gate, nIn, nOut, wo, wi, n, ld)
	checkGradCols(gw, gb, dz, x, nOut, nx, n, ld, ld)
	linearColsGo(dz, src, w, nil, gate, nIn, nOut, wo, wi, n, ld)
	gradColsGo(gw, gb, dz, x, nOut, nx, n, ld, ld)
}
