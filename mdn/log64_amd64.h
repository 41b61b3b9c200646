// math.Log in the four float64 lanes of a YMM register (LOG64), for
// positive, finite, normal arguments: the operations of Go's amd64
// assembly for it (archLog, the algorithm of FreeBSD's e_log.c) in their
// order, for the mode kernel (mode_amd64.s), and the offsets of the
// constants it reads from logConst4 (mode_amd64.go).

// logConst4, byte offsets
#define G_MANT 0
#define G_HALF 32
#define G_B3FE 64
#define G_MAGIC 96
#define G_HSQRT2 128
#define G_ONE 160
#define G_TWO 192
#define G_L1 224
#define G_L2 256
#define G_L3 288
#define G_L4 320
#define G_L5 352
#define G_L6 384
#define G_L7 416
#define G_LN2HI 448
#define G_LN2LO 480

// LOG64(x, r, f, k, t0, t1, s, s2): r = math.Log(x) lane-wise for x > 0
// finite and normal (no lane may hold anything else: the special cases'
// branches are not here); f, k, t0, t1, s, s2 scratch; R8 holds
// ·logConst4. x = 2^k·f1 with f1 in [½, 1) from the bit fields (k + 2^52
// + 2^51 formed in the integer lane, then 1.5·2^52 subtracted: exact),
// where f1 ≤ √2/2, k − 1 and 2·f1; f = f1 − 1, s = f/(2 + f), and
// log x = k·ln2hi − ((½f² − (s·(½f² + R) + k·ln2lo)) − f), R the two
// polynomials in s² and s⁴, all without fused operations, as archLog.
#define LOG64(x, r, f, k, t0, t1, s, s2) \
	VANDPD      G_MANT(R8), x, f;     \
	VORPD       G_HALF(R8), f, f;     \
	VPSRLQ      $52, x, k;            \
	VPSUBQ      G_B3FE(R8), k, k;     \
	VPADDQ      G_MAGIC(R8), k, k;    \
	VSUBPD      G_MAGIC(R8), k, k;    \
	VCMPPD      $0x02, G_HSQRT2(R8), f, t0; \
	VANDPD      G_ONE(R8), t0, t0;    \
	VSUBPD      t0, k, k;             \
	VADDPD      G_ONE(R8), t0, t0;    \
	VMULPD      t0, f, f;             \
	VSUBPD      G_ONE(R8), f, f;      \
	VADDPD      G_TWO(R8), f, t0;     \
	VDIVPD      t0, f, s;             \
	VMULPD      s, s, s2;             \
	VMULPD      s2, s2, t1;           \
	VMULPD      G_L7(R8), t1, t0;     \
	VADDPD      G_L5(R8), t0, t0;     \
	VMULPD      t1, t0, t0;           \
	VADDPD      G_L3(R8), t0, t0;     \
	VMULPD      t1, t0, t0;           \
	VADDPD      G_L1(R8), t0, t0;     \
	VMULPD      t0, s2, s2;           \
	VMULPD      G_L6(R8), t1, t0;     \
	VADDPD      G_L4(R8), t0, t0;     \
	VMULPD      t1, t0, t0;           \
	VADDPD      G_L2(R8), t0, t0;     \
	VMULPD      t0, t1, t1;           \
	VADDPD      t1, s2, s2;           \
	VMULPD      G_HALF(R8), f, t0;    \
	VMULPD      f, t0, t0;            \
	VADDPD      t0, s2, s2;           \
	VMULPD      s2, s, s;             \
	VMULPD      G_LN2LO(R8), k, t1;   \
	VADDPD      t1, s, s;             \
	VSUBPD      s, t0, t0;            \
	VSUBPD      f, t0, t0;            \
	VMULPD      G_LN2HI(R8), k, r;    \
	VSUBPD      t0, r, r
