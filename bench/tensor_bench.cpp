// Tensor kernel throughput: GEMM GFLOP/s for f32 and f64 per ISA build on one thread, and on two threads
// as two row shards (matmul_rows), the way the hub splits a job across agents.
#include "forgehive/kernels/tensor/matmul.hpp"

#include <benchmark/benchmark.h>

#include <random>
#include <thread>

namespace tensor = forgehive::kernels::tensor;

namespace {

tensor::Matrix random_matrix(std::int64_t n, tensor::DType dtype, std::uint64_t seed) {
    std::mt19937_64 engine(seed);
    std::uniform_real_distribution<double> uniform(-1.0, 1.0);
    tensor::Matrix m = tensor::Matrix::zeros(n, n, dtype);
    for (auto& x : m.f32) x = static_cast<float>(uniform(engine));
    for (auto& x : m.f64) x = uniform(engine);
    return m;
}

void set_flops(benchmark::State& state, std::int64_t n) {
    state.counters["GFLOP/s"] = benchmark::Counter(2.0 * static_cast<double>(n) * static_cast<double>(n) * static_cast<double>(n),
                                                   benchmark::Counter::kIsIterationInvariantRate, benchmark::Counter::kIs1000);
}

// Args: n, dtype (0 f32, 1 f64), ISA (KernelIsa as int).
void BM_gemm(benchmark::State& state) {
    const std::int64_t n = state.range(0);
    const auto dtype = state.range(1) == 0 ? tensor::DType::f32 : tensor::DType::f64;
    tensor::TensorOptions options;
    options.isa = static_cast<tensor::KernelIsa>(state.range(2));
    if (!tensor::kernel_isa_supported(options.isa)) {
        state.SkipWithError("ISA not supported by this CPU");
        return;
    }
    const tensor::Matrix a = random_matrix(n, dtype, 1);
    const tensor::Matrix b = random_matrix(n, dtype, 2);
    for (auto _ : state) benchmark::DoNotOptimize(tensor::matmul(a, b, options));
    state.SetLabel(std::string(tensor::dtype_name(dtype)) + " " + std::string(tensor::kernel_isa_name(options.isa)));
    set_flops(state, n);
}

// Two row shards on two threads (best ISA). Wall-clock rate: the work runs outside the benchmark thread.
void BM_gemm_two_threads(benchmark::State& state) {
    const std::int64_t n = state.range(0);
    const auto dtype = state.range(1) == 0 ? tensor::DType::f32 : tensor::DType::f64;
    const tensor::Matrix a = random_matrix(n, dtype, 1);
    const tensor::Matrix b = random_matrix(n, dtype, 2);
    for (auto _ : state) {
        tensor::Matrix top;
        tensor::Matrix bottom;
        std::thread worker([&] { top = tensor::matmul_rows(a, b, 0, n / 2); });
        bottom = tensor::matmul_rows(a, b, n / 2, n - n / 2);
        worker.join();
        benchmark::DoNotOptimize(top);
        benchmark::DoNotOptimize(bottom);
    }
    state.SetLabel(std::string(tensor::dtype_name(dtype)) + " best, 2 shards");
    set_flops(state, n);
}

constexpr auto kAvx2 = static_cast<std::int64_t>(tensor::KernelIsa::avx2);
constexpr auto kAvx512 = static_cast<std::int64_t>(tensor::KernelIsa::avx512);

BENCHMARK(BM_gemm)
    ->ArgsProduct({{1024}, {0, 1}, {kAvx512, kAvx2}})
    ->ArgsProduct({{4096}, {0, 1}, {kAvx512}})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_gemm_two_threads)->ArgsProduct({{1024, 4096}, {0, 1}})->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
