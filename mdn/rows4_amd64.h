// ROW4_LOADS(p, s, s3, x, y) loads the float32 at p of four rows s bytes
// apart (s3 = 3·s, both registers) into x and widens them into y's float64
// lanes: one column of four rows of a row-major block, for the kernels
// that take four rows at a time in float64 lanes (vec_amd64.s,
// cdf_amd64.s). ROW4_LOAD(p, x, y) is ROW4_LOADS with R11 and R14.
#define ROW4_LOADS(p, s, s3, x, y) \
	VMOVSS    (p), x;               \
	VINSERTPS $0x10, (p)(s*1), x, x; \
	VINSERTPS $0x20, (p)(s*2), x, x; \
	VINSERTPS $0x30, (p)(s3*1), x, x; \
	VCVTPS2PD x, y

#define ROW4_LOAD(p, x, y) ROW4_LOADS(p, R11, R14, x, y)
