// ROW4_LOAD(p, x, y) loads the float32 at p of four rows R11 bytes apart
// (R14 = 3·R11) into x and widens them into y's float64 lanes: one
// column of four rows of a row-major block, for the kernels that take
// four rows at a time in float64 lanes (vec_amd64.s, cdf_amd64.s).
#define ROW4_LOAD(p, x, y) \
	VMOVSS    (p), x;                  \
	VINSERTPS $0x10, (p)(R11*1), x, x; \
	VINSERTPS $0x20, (p)(R11*2), x, x; \
	VINSERTPS $0x30, (p)(R14*1), x, x; \
	VCVTPS2PD x, y
