// Definitions shared by the quantile kernels (quant_avx512_amd64.s,
// quant_amd64.s): the offsets of the structs they read and write
// (TestQuantKernelLayout holds Go to them) and the comparison predicates.

// qbatch: one array of qMaxK·qLanes float64 per field, then the sums.
#define B_W 0
#define B_M 2048
#define B_S 4096
#define B_INV 6144
#define B_WI 8192
#define B_WI2 10240
#define B_BELOW 12288
#define B_SUMS 14336

// qlevel
#define L_A 0
#define L_SG 8
#define L_TOL 16
#define L_HTOL 24
#define L_UPPER 32

// qout
#define O_Y0 0
#define O_P 64
#define O_F 128
#define O_FP 192
#define O_LO 448
#define O_HI 512
#define O_RLO 576
#define O_RHI 640
#define O_DX1 704
#define O_DX2 768
#define O_Q 832
#define O_DONE 864
#define O_CONT 865
#define O_CONT2 866
#define O_START 867
#define O_ACT 868
#define QOUT_SIZE 872
#define QLEVEL_SIZE 40
#define B_ITER 14528

// Comparison predicates (ordered, quiet: false for NaN, as Go's).
#define EQ 0x00
#define LT 0x11
#define LE 0x12
#define NE 0x0c
#define GE 0x1d
#define GT 0x1e
