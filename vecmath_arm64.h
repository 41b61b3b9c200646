// NEON exp, log and tanh sequences shared by the arm64 kernels.

#define TANH4_V16_V19
