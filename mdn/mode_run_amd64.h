// The mode kernels' scalar parts (mode_amd64.s, mode_avx512_amd64.s):
// free lanes taking starts from the queue, and stopped lanes handing
// their results over. DI holds the modeBatch, SI the modeQueue, DX K.

// REFILL(stride): while a lane is free and the queue has a start, the
// lowest free lane takes the next one: its row's lw, μ and iv into the
// lane's column (stride bytes from one component to the next), its y and
// σ, 0 steps and its id; the lane becomes active. On the way out R12
// holds the lanes still free (0 or the queue is empty). Clobbers AX, BX,
// CX, R8, R10, R11, R13 and R14.
#define REFILL(stride) \
	MOVQ   modeQueue_next(SI), R13;         \
refill:                                          \
	CMPQ   R13, modeQueue_n(SI);            \
	JGE    refilled;                        \
	BSFQ   R12, R14;                        \
	IMUL3Q $modeStart__size, R13, AX;       \
	LEAQ   modeQueue_starts(SI)(AX*1), AX;  \
	MOVQ   modeStart_y(AX), CX;             \
	MOVQ   CX, modeBatch_y(DI)(R14*8);      \
	MOVQ   modeStart_sg(AX), CX;            \
	MOVQ   CX, modeBatch_sg(DI)(R14*8);     \
	MOVQ   modeStart_id(AX), CX;            \
	MOVQ   CX, modeBatch_id(DI)(R14*8);     \
	MOVQ   $0, modeBatch_steps(DI)(R14*8);  \
	MOVQ   modeStart_row(AX), BX;           \
	LEAQ   modeQueue_rows(SI)(BX*8), BX;    \
	LEAQ   (BX)(DX*8), R11;                 \
	LEAQ   (R11)(DX*8), R8;                 \
	LEAQ   (DI)(R14*8), R10;                \
	MOVQ   DX, CX;                          \
column:                                          \
	MOVQ   (BX), AX;                        \
	MOVQ   AX, modeBatch_lw(R10);           \
	MOVQ   (R11), AX;                       \
	MOVQ   AX, modeBatch_mu(R10);           \
	MOVQ   (R8), AX;                        \
	MOVQ   AX, modeBatch_iv(R10);           \
	ADDQ   $8, BX;                          \
	ADDQ   $8, R11;                         \
	ADDQ   $8, R8;                          \
	ADDQ   $stride, R10;                    \
	DECQ   CX;                              \
	JNZ    column;                          \
	BTRQ   R14, R12;                        \
	MOVQ   modeBatch_active(DI), AX;        \
	BTSQ   R14, AX;                         \
	MOVQ   AX, modeBatch_active(DI);        \
	INCQ   R13;                             \
	TESTQ  R12, R12;                        \
	JNZ    refill;                          \
refilled:                                        \
	MOVQ   R13, modeQueue_next(SI);         \
	MOVQ   R12, modeBatch_free(DI)

// EMIT: each lane of R12 (the lanes that stopped a pass ago, whose mx and
// s are in the batch) appends its y, mx, s, id and steps to the queue's
// results; they become free. Clobbers AX, CX, R12, R13 and R14.
#define EMIT \
	MOVQ   modeQueue_nout(SI), R13;         \
emit:                                            \
	BSFQ   R12, R14;                        \
	IMUL3Q $modeOut__size, R13, AX;         \
	LEAQ   modeQueue_out(SI)(AX*1), AX;     \
	MOVQ   modeBatch_y(DI)(R14*8), CX;      \
	MOVQ   CX, modeOut_y(AX);               \
	MOVQ   modeBatch_mx(DI)(R14*8), CX;     \
	MOVQ   CX, modeOut_mx(AX);              \
	MOVQ   modeBatch_s(DI)(R14*8), CX;      \
	MOVQ   CX, modeOut_s(AX);               \
	MOVQ   modeBatch_id(DI)(R14*8), CX;     \
	MOVQ   CX, modeOut_id(AX);              \
	MOVQ   modeBatch_steps(DI)(R14*8), CX;  \
	MOVQ   CX, modeOut_steps(AX);           \
	INCQ   R13;                             \
	BTRQ   R14, R12;                        \
	TESTQ  R12, R12;                        \
	JNZ    emit;                            \
	MOVQ   R13, modeQueue_nout(SI);         \
	MOVQ   modeBatch_final(DI), AX;         \
	ORQ    AX, modeBatch_free(DI);          \
	MOVQ   $0, modeBatch_final(DI)
