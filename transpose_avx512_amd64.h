// 16×16 transposes of float32 in ZMM registers, for the AVX-512 kernels.

// TRANSPOSE16 transposes the 16×16 matrix whose rows are Z0…Z15 (Z0 row
// 0) into Z0…Z15 (Z0 column 0), with Z16–Z31 as scratch: 32-bit and 64-bit
// unpacks within 128-bit lanes, then two rounds of 128-bit lane shuffles.
#define TP_PS(a, b, lo, hi) \
	VUNPCKLPS b, a, lo; \
	VUNPCKHPS b, a, hi

#define TP_PD(a, b, lo, hi) \
	VUNPCKLPD b, a, lo; \
	VUNPCKHPD b, a, hi

#define TP_Q(a, b, lo, hi, ilo, ihi) \
	VSHUFF32X4 ilo, b, a, lo; \
	VSHUFF32X4 ihi, b, a, hi

#define TRANSPOSE16 \
	TP_PS(Z0, Z1, Z16, Z17);                    \
	TP_PS(Z2, Z3, Z18, Z19);                    \
	TP_PS(Z4, Z5, Z20, Z21);                    \
	TP_PS(Z6, Z7, Z22, Z23);                    \
	TP_PS(Z8, Z9, Z24, Z25);                    \
	TP_PS(Z10, Z11, Z26, Z27);                  \
	TP_PS(Z12, Z13, Z28, Z29);                  \
	TP_PS(Z14, Z15, Z30, Z31);                  \
	TP_PD(Z16, Z18, Z0, Z1);                    \
	TP_PD(Z17, Z19, Z2, Z3);                    \
	TP_PD(Z20, Z22, Z4, Z5);                    \
	TP_PD(Z21, Z23, Z6, Z7);                    \
	TP_PD(Z24, Z26, Z8, Z9);                    \
	TP_PD(Z25, Z27, Z10, Z11);                  \
	TP_PD(Z28, Z30, Z12, Z13);                  \
	TP_PD(Z29, Z31, Z14, Z15);                  \
	TP_Q(Z0, Z4, Z16, Z20, $0x44, $0xee);       \
	TP_Q(Z1, Z5, Z17, Z21, $0x44, $0xee);       \
	TP_Q(Z2, Z6, Z18, Z22, $0x44, $0xee);       \
	TP_Q(Z3, Z7, Z19, Z23, $0x44, $0xee);       \
	TP_Q(Z8, Z12, Z24, Z28, $0x44, $0xee);      \
	TP_Q(Z9, Z13, Z25, Z29, $0x44, $0xee);      \
	TP_Q(Z10, Z14, Z26, Z30, $0x44, $0xee);     \
	TP_Q(Z11, Z15, Z27, Z31, $0x44, $0xee);     \
	TP_Q(Z16, Z24, Z0, Z4, $0x88, $0xdd);       \
	TP_Q(Z17, Z25, Z1, Z5, $0x88, $0xdd);       \
	TP_Q(Z18, Z26, Z2, Z6, $0x88, $0xdd);       \
	TP_Q(Z19, Z27, Z3, Z7, $0x88, $0xdd);       \
	TP_Q(Z20, Z28, Z8, Z12, $0x88, $0xdd);      \
	TP_Q(Z21, Z29, Z9, Z13, $0x88, $0xdd);      \
	TP_Q(Z22, Z30, Z10, Z14, $0x88, $0xdd);     \
	TP_Q(Z23, Z31, Z11, Z15, $0x88, $0xdd)
