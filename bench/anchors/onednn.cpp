// Anchor: oneDNN's fp32 matmul, C = X·Wᵀ + b, with and without its fused
// tanh post-op, on the shapes of the Go GEMM benchmarks. One thread (run with
// OMP_NUM_THREADS=1). Prints `go test -bench` lines:
//
//   BenchmarkLinear/size=RxIxO/impl=onednn        matmul + bias
//   BenchmarkLinearTanh/size=RxIxO/impl=onednn    matmul + bias + eltwise_tanh post-op
//
// Build: c++ -O2 onednn.cpp -ldnnl
// Usage: onednn [benchtime-seconds] [count] [suffix]
//
// A suffix is appended to the impl names: run with ONEDNN_MAX_CPU_ISA=AVX2
// and suffix avx2 to measure oneDNN's AVX2 code on a CPU with AVX-512.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unordered_map>
#include <vector>

#include <oneapi/dnnl/dnnl.hpp>

using namespace dnnl;

static double benchtime = 0.2;
static std::string suffix;

static double now() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

static void bench(engine &eng, stream &s, int rows, int in, int out, bool act) {
  memory::desc x_md({rows, in}, memory::data_type::f32, memory::format_tag::ab);
  memory::desc w_md({in, out}, memory::data_type::f32, memory::format_tag::ba);  // stored out×in
  memory::desc b_md({1, out}, memory::data_type::f32, memory::format_tag::ab);
  memory::desc c_md({rows, out}, memory::data_type::f32, memory::format_tag::ab);
  post_ops po;
  primitive_attr attr;
#if DNNL_VERSION_MAJOR >= 3
  if (act) po.append_eltwise(algorithm::eltwise_tanh, 0.f, 0.f);
  attr.set_post_ops(po);
  auto pd = matmul::primitive_desc(eng, x_md, w_md, b_md, c_md, attr);
#else
  if (act) po.append_eltwise(1.f, algorithm::eltwise_tanh, 0.f, 0.f);
  attr.set_post_ops(po);
  auto pd = matmul::primitive_desc(matmul::desc(x_md, w_md, b_md, c_md), attr, eng);
#endif
  std::vector<float> x((size_t)rows * in), w((size_t)out * in), b(out), c((size_t)rows * out);
  unsigned st = 12345;
  auto rnd = [&st](float scale) {
    st = st * 1664525u + 1013904223u;
    return scale * ((float)(st >> 8) / 8388608.0f - 1.0f);
  };
  for (auto &v : x) v = rnd(1);
  for (auto &v : w) v = rnd(0.1f);
  for (auto &v : b) v = rnd(0.1f);
  memory xm(x_md, eng, x.data()), wm(w_md, eng, w.data()), bm(b_md, eng, b.data()),
      cm(c_md, eng, c.data());
  matmul mm(pd);
  std::unordered_map<int, memory> args{
      {DNNL_ARG_SRC, xm}, {DNNL_ARG_WEIGHTS, wm}, {DNNL_ARG_BIAS, bm}, {DNNL_ARG_DST, cm}};
  mm.execute(s, args);
  s.wait();
  long n = 1;
  double dt;
  for (;;) {
    double t0 = now();
    for (long i = 0; i < n; i++) mm.execute(s, args);
    s.wait();
    dt = now() - t0;
    if (dt >= benchtime) break;
    long next = (long)(benchtime * 1.2 / (dt > 1e-9 ? dt : 1e-9) * (double)n);
    if (next > 100 * n) next = 100 * n;
    if (next <= n) next = n + 1;
    n = next;
  }
  double ns = dt * 1e9 / (double)n;
  std::printf("Benchmark%s/size=%dx%dx%d/impl=onednn%s \t%ld\t%.0f ns/op\t%.3f GFLOP/s\n",
              act ? "LinearTanh" : "Linear", rows, in, out, suffix.c_str(), n, ns,
              2.0 * rows * in * out / ns);
}

int main(int argc, char **argv) {
  if (argc > 1) benchtime = std::atof(argv[1]);
  int count = argc > 2 ? std::atoi(argv[2]) : 1;
  if (argc > 3) suffix = std::string("-") + argv[3];
  static const int shapes[][3] = {{1000, 1, 20},  {1000, 20, 15},  {10000, 1, 256},
                                  {10000, 256, 60}, {10000, 256, 256}, {32, 32, 32},
                                  {64, 64, 64},   {128, 128, 128}, {256, 256, 256},
                                  {512, 512, 512}};
  engine eng(engine::kind::cpu, 0);
  stream s(eng);
  const dnnl_version_t *v = dnnl_version();
  std::printf("pkg: anchors/onednn onednn=%d.%d.%d\n", v->major, v->minor, v->patch);
  for (int c = 0; c < count; c++)
    for (auto &sh : shapes) {
      bench(eng, s, sh[0], sh[1], sh[2], false);
      bench(eng, s, sh[0], sh[1], sh[2], true);
      std::fflush(stdout);
    }
  return 0;
}
