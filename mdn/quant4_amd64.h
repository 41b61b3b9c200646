// The byte offsets of quantConst4's constants (quant_amd64.go), each in
// four lanes, for the AVX2 kernels that read them (quant_amd64.s,
// cdf_amd64.s).

// quantConst's index·32, then the kernels' own.
#define D_HALF 0
#define D_ONE 32
#define D_TWO 64
#define D_MTWO 96
#define D_MONE 128
#define D_ZMAX 160
#define D_NZMAX 192
#define D_PERZ 224
#define D_PERZ2 256
#define D_THREE 288
#define D_SIX 320
#define D_MAXF 352
#define D_NMAXF 384
#define D_INF 416
#define D_PLOW 448
#define D_PHIGH 480
#define D_SQRT2 512
#define D_LN2HI 544
#define D_LN2LO 576
#define D_LG 608
#define D_A 832
#define D_B 1024
#define D_C 1184
#define D_D 1376
#define D_SB3 1504
#define D_SB2 1536
#define D_SB1 1568
#define D_SB0 1600
#define D_QUARTER 1632
#define D_ABS 1664
#define D_MANT 1696
#define D_EXPBASE 1728
#define D_EXPBIAS 1760
#define D_MINNORM 1792
#define D_LANEBITS 1824
#define D_LASTCELL 1856
#define D_KEYMASK 1888
#define D_INT1 1920
