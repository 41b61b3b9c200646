// Anchor figures for the kernel benchmarks, one thread, float32, printed as
// `go test -bench` lines so benchstat and cmd/report read them beside the Go
// results:
//
//   BenchmarkPeakFMA/impl=avx2          this core's AVX2 FMA peak (GFLOP/s)
//   BenchmarkPeakFMA/impl=avx512        its AVX-512 FMA peak, where it has AVX-512
//   BenchmarkLinear/…/impl=openblas     cblas_sgemm, C = X·Wᵀ (no bias, no tanh)
//   BenchmarkLinearTanh/…/impl=openblas+sleef
//                                       sgemm, then bias and SLEEF tanhf u35
//                                       (its AVX-512 function where the CPU has it)
//   BenchmarkTanh, BenchmarkExp /…/impl=sleef-u35-avx2, sleef-u10-avx2 (SLEEF's
//                                       8-lane AVX2 functions), sleef-u35-avx512,
//                                       sleef-u10-avx512 (its 16-lane AVX-512F
//                                       ones, where the CPU has AVX-512F), libm
//
// Build: cc -O2 -mavx2 -mfma kernels.c -lopenblas -lsleef -lm (GCC: the
// AVX-512 functions are compiled for AVX-512F by target attributes and run
// only where the CPU reports it).
// Usage: kernels [benchtime-seconds] [count] [suffix]
//
// With a suffix only the GEMMs run, their impl names ending in -suffix: run
// with OPENBLAS_CORETYPE=Haswell and suffix avx2 to measure OpenBLAS's AVX2
// kernels on a CPU where it would pick AVX-512 ones.
#include <immintrin.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cblas.h>
// sleef.h declares its AVX-512 functions only where __AVX512F__ is defined,
// which GCC's target pragma does for what follows it.
#pragma GCC push_options
#pragma GCC target("avx512f")
#include <sleef.h>
#pragma GCC pop_options

#define AVX512 __attribute__((target("avx512f")))

static int has_avx512(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f");
}

void openblas_set_num_threads(int);
char *openblas_get_config(void);

static double benchtime = 0.2;
static volatile float sink;

static double seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

// Ramps the iteration count the way the Go benchmark harness does until one
// timed run lasts at least benchtime, and returns its iterations and ns/op.
typedef void (*op_fn)(void *);
static double measure(op_fn f, void *arg, long *iters) {
  f(arg);
  long n = 1;
  for (;;) {
    double t0 = seconds();
    for (long i = 0; i < n; i++) f(arg);
    double dt = seconds() - t0;
    if (dt >= benchtime || n >= 1000000000L) {
      *iters = n;
      return dt * 1e9 / (double)n;
    }
    double want = benchtime * 1.2 / (dt > 1e-9 ? dt : 1e-9) * (double)n;
    long next = (long)want;
    if (next > 100 * n) next = 100 * n;
    if (next <= n) next = n + 1;
    n = next;
  }
}

static float *randoms(long n, float scale, unsigned *state) {
  float *v = aligned_alloc(64, (size_t)((n * 4 + 63) / 64 * 64));
  for (long i = 0; i < n; i++) {
    *state = *state * 1664525u + 1013904223u;
    v[i] = scale * ((float)(*state >> 8) / 8388608.0f - 1.0f);
  }
  return v;
}

// ---- peak FMA: ten independent accumulator chains, enough to cover the FMA
// latency on both pipes of current x86 cores.
static void peak_op(void *arg) {
  (void)arg;
  __m256 a0 = _mm256_set1_ps(0.1f), a1 = _mm256_set1_ps(0.2f), a2 = _mm256_set1_ps(0.3f),
         a3 = _mm256_set1_ps(0.4f), a4 = _mm256_set1_ps(0.5f), a5 = _mm256_set1_ps(0.6f),
         a6 = _mm256_set1_ps(0.7f), a7 = _mm256_set1_ps(0.8f), a8 = _mm256_set1_ps(0.9f),
         a9 = _mm256_set1_ps(1.0f);
  const __m256 m = _mm256_set1_ps(0.999f), c = _mm256_set1_ps(0.001f);
  for (int i = 0; i < 1000; i++) {
    a0 = _mm256_fmadd_ps(a0, m, c); a1 = _mm256_fmadd_ps(a1, m, c);
    a2 = _mm256_fmadd_ps(a2, m, c); a3 = _mm256_fmadd_ps(a3, m, c);
    a4 = _mm256_fmadd_ps(a4, m, c); a5 = _mm256_fmadd_ps(a5, m, c);
    a6 = _mm256_fmadd_ps(a6, m, c); a7 = _mm256_fmadd_ps(a7, m, c);
    a8 = _mm256_fmadd_ps(a8, m, c); a9 = _mm256_fmadd_ps(a9, m, c);
  }
  __m256 s = _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)),
                           _mm256_add_ps(_mm256_add_ps(a4, a5), _mm256_add_ps(a6, a7)));
  s = _mm256_add_ps(s, _mm256_add_ps(a8, a9));
  sink = _mm256_cvtss_f32(s);
}

// The same with 512-bit vectors: twelve chains (Zen 4 and 5 and the Xeons
// have two 512-bit FMA pipes of latency 4).
AVX512 static void peak512_op(void *arg) {
  (void)arg;
  __m512 a[12];
  for (int j = 0; j < 12; j++) a[j] = _mm512_set1_ps(0.1f * (float)(j + 1));
  const __m512 m = _mm512_set1_ps(0.999f), c = _mm512_set1_ps(0.001f);
  for (int i = 0; i < 1000; i++) {
#pragma GCC unroll 12
    for (int j = 0; j < 12; j++) a[j] = _mm512_fmadd_ps(a[j], m, c);
  }
  __m512 s = a[0];
  for (int j = 1; j < 12; j++) s = _mm512_add_ps(s, a[j]);
  sink = _mm512_reduce_add_ps(s);
}

static void bench_peak(void) {
  long it;
  double ns = measure(peak_op, NULL, &it);
  double flop = 1000.0 * 10 * 8 * 2;
  printf("BenchmarkPeakFMA/impl=avx2 \t%ld\t%.1f ns/op\t%.2f GFLOP/s\n", it, ns, flop / ns);
  if (has_avx512()) {
    ns = measure(peak512_op, NULL, &it);
    flop = 1000.0 * 12 * 16 * 2;
    printf("BenchmarkPeakFMA/impl=avx512 \t%ld\t%.1f ns/op\t%.2f GFLOP/s\n", it, ns, flop / ns);
  }
}

// ---- GEMM
typedef struct {
  int m, k, n;
  float *x, *w, *b, *c;
} gemm_t;

static void sgemm_op(void *arg) {
  gemm_t *g = arg;
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, g->m, g->n, g->k, 1.0f, g->x, g->k, g->w,
              g->k, 0.0f, g->c, g->n);
}

// sgemm, then the bias added row by row and SLEEF's tanhf u35 over the whole
// contiguous result: the linear+tanh a C programmer assembles from these
// libraries.
static void sgemm_tanh_op(void *arg) {
  gemm_t *g = arg;
  sgemm_op(arg);
  for (int r = 0; r < g->m; r++) {
    float *row = g->c + (long)r * g->n;
    for (int j = 0; j < g->n; j++) row[j] += g->b[j];
  }
  long n = (long)g->m * g->n, i = 0;
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(g->c + i, Sleef_tanhf8_u35avx2(_mm256_loadu_ps(g->c + i)));
  for (; i < n; i++) g->c[i] = Sleef_tanhf_u35(g->c[i]);
}

AVX512 static void sgemm_tanh512_op(void *arg) {
  gemm_t *g = arg;
  sgemm_op(arg);
  for (int r = 0; r < g->m; r++) {
    float *row = g->c + (long)r * g->n;
    for (int j = 0; j < g->n; j++) row[j] += g->b[j];
  }
  long n = (long)g->m * g->n, i = 0;
  for (; i + 16 <= n; i += 16) _mm512_storeu_ps(g->c + i, Sleef_tanhf16_u35avx512f(_mm512_loadu_ps(g->c + i)));
  for (; i < n; i++) g->c[i] = Sleef_tanhf_u35(g->c[i]);
}

static const char *suffix = "";

static void bench_gemm(int m, int k, int n) {
  unsigned st = 12345;
  gemm_t g = {m, k, n, randoms((long)m * k, 1, &st), randoms((long)n * k, 0.1f, &st),
              randoms(n, 0.1f, &st), randoms((long)m * n, 0, &st)};
  double flop = 2.0 * m * k * n;
  long it;
  double ns = measure(sgemm_op, &g, &it);
  printf("BenchmarkLinear/size=%dx%dx%d/impl=openblas%s \t%ld\t%.0f ns/op\t%.3f GFLOP/s\n", m, k, n,
         suffix, it, ns, flop / ns);
  ns = measure(*suffix == 0 && has_avx512() ? sgemm_tanh512_op : sgemm_tanh_op, &g, &it);
  printf("BenchmarkLinearTanh/size=%dx%dx%d/impl=openblas+sleef%s \t%ld\t%.0f ns/op\t%.3f GFLOP/s\n",
         m, k, n, suffix, it, ns, flop / ns);
  sink = g.c[0];
  free(g.x), free(g.w), free(g.b), free(g.c);
}

// ---- vector math over the inputs the Go benchmarks use: n values spread
// evenly over [−10, 10).
typedef struct {
  int n;
  float *x, *y;
} vec_t;

#define VEC_OP(name, call)                                                           \
  static void name(void *arg) {                                                      \
    vec_t *v = arg;                                                                  \
    for (int i = 0; i < v->n; i += 8) _mm256_store_ps(v->y + i, call(_mm256_load_ps(v->x + i))); \
  }
VEC_OP(tanh_u35, Sleef_tanhf8_u35avx2)
VEC_OP(tanh_u10, Sleef_tanhf8_u10avx2)
VEC_OP(exp_u10, Sleef_expf8_u10avx2)

#define VEC_OP512(name, call)                                                           \
  AVX512 static void name(void *arg) {                                                  \
    vec_t *v = arg;                                                                     \
    for (int i = 0; i < v->n; i += 16) _mm512_store_ps(v->y + i, call(_mm512_load_ps(v->x + i))); \
  }
VEC_OP512(tanh512_u35, Sleef_tanhf16_u35avx512f)
VEC_OP512(tanh512_u10, Sleef_tanhf16_u10avx512f)
VEC_OP512(exp512_u10, Sleef_expf16_u10avx512f)

static void tanh_libm(void *arg) {
  vec_t *v = arg;
  for (int i = 0; i < v->n; i++) v->y[i] = tanhf(v->x[i]);
}
static void exp_libm(void *arg) {
  vec_t *v = arg;
  for (int i = 0; i < v->n; i++) v->y[i] = expf(v->x[i]);
}

static void bench_vec(const char *fam, const char *impl, op_fn f, int n) {
  vec_t v = {n, aligned_alloc(64, (size_t)n * 4), aligned_alloc(64, (size_t)n * 4)};
  for (int i = 0; i < n; i++) v.x[i] = (float)(i - n / 2) * (20.0f / (float)n);
  long it;
  double ns = measure(f, &v, &it);
  printf("Benchmark%s/size=%d/impl=%s \t%ld\t%.1f ns/op\t%.4f ns/elem\n", fam, n, impl, it, ns,
         ns / n);
  sink = v.y[n / 3];
  free(v.x), free(v.y);
}

int main(int argc, char **argv) {
  if (argc > 1) benchtime = atof(argv[1]);
  int count = argc > 2 ? atoi(argv[2]) : 1;
  static char sfx[64];
  if (argc > 3) snprintf(sfx, sizeof sfx, "-%s", argv[3]), suffix = sfx;
  openblas_set_num_threads(1);
  static const int shapes[][3] = {{1000, 1, 20},  {1000, 20, 15},  {10000, 1, 256},
                                  {10000, 256, 60}, {10000, 256, 256}, {32, 32, 32},
                                  {64, 64, 64},   {128, 128, 128}, {256, 256, 256},
                                  {512, 512, 512}};
  static const int sizes[] = {64, 256, 1024, 4096, 16384, 20000, 65536};
  printf("pkg: anchors/c openblas=\"%s\" sleef=%d.%d.%d\n", openblas_get_config(), SLEEF_VERSION_MAJOR,
         SLEEF_VERSION_MINOR, SLEEF_VERSION_PATCHLEVEL);
  for (int c = 0; c < count; c++) {
    if (*suffix == 0) bench_peak();
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++)
      bench_gemm(shapes[i][0], shapes[i][1], shapes[i][2]);
    for (size_t i = 0; *suffix == 0 && i < sizeof sizes / sizeof sizes[0]; i++) {
      if (has_avx512()) {
        bench_vec("Tanh", "sleef-u35-avx512", tanh512_u35, sizes[i]);
        bench_vec("Tanh", "sleef-u10-avx512", tanh512_u10, sizes[i]);
        bench_vec("Exp", "sleef-u10-avx512", exp512_u10, sizes[i]);
      }
      bench_vec("Tanh", "sleef-u35-avx2", tanh_u35, sizes[i]);
      bench_vec("Tanh", "sleef-u10-avx2", tanh_u10, sizes[i]);
      bench_vec("Tanh", "libm", tanh_libm, sizes[i]);
      bench_vec("Exp", "sleef-u10-avx2", exp_u10, sizes[i]);
      bench_vec("Exp", "libm", exp_libm, sizes[i]);
    }
    fflush(stdout);
  }
  return 0;
}
