// Monte Carlo kernel throughput: ns per iteration of each profile on one thread, for each ISA build of
// the block kernels (insurance is scalar code), plus the exact-sum and sketch building blocks.
#include "forgehive/kernels/mc/kernels.hpp"

#include <benchmark/benchmark.h>

#include <random>

namespace mc = forgehive::kernels::mc;

namespace {

constexpr mc::RootKey kKey{{0x9e3779b9, 0x7f4a7c15}};

mc::EtaArgs eta_args() {
    mc::EtaArgs a;
    a.iterations = 64 * mc::kUnitIterations;
    a.base_eta = 20;
    a.traffic_mean = 5;
    a.traffic_std = 3;
    a.weather_prob = 0.2;
    a.weather_mean = 4;
    a.weather_std = 2;
    a.incident_prob = 0.05;
    a.incident_mean = 15;
    a.incident_std = 10;
    a.thresholds = {25, 30, 45};
    return a;
}

mc::OptionArgs option_args(bool antithetic) {
    return {64 * mc::kUnitIterations, 100, 105, 0.03, 0.2, 1.0, true, antithetic};
}

mc::InsuranceArgs insurance_args() {
    mc::InsuranceArgs a;
    a.iterations = 64 * mc::kUnitIterations;
    a.frequency = {mc::Frequency::Dist::poisson, 5.0, 1.0};
    a.severity = {mc::Severity::Dist::lognormal, 8.0, 1.2, 0, 0};
    a.deductible = 1000;
    a.limit = 100000;
    return a;
}

// One benchmark iteration = one work unit (65536 model iterations); ns_per_iter is wall time per model
// iteration on one thread.
void run_profile(benchmark::State& state, const mc::ProfileArgs& args, mc::Isa isa) {
    if (!mc::isa_supported(isa)) {
        state.SkipWithError("ISA not supported by this CPU");
        return;
    }
    std::uint64_t units = mc::unit_count(args);
    std::uint64_t unit = 0;
    std::uint64_t model_iterations = 0;
    for (auto _ : state) {
        mc::Partial p = mc::run_units(args, kKey, unit, 1, isa);
        benchmark::DoNotOptimize(p);
        model_iterations += p.count;
        unit = (unit + 1) % units;
    }
    state.counters["ns_per_iter"] =
        benchmark::Counter(static_cast<double>(model_iterations) * 1e-9, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
    state.SetLabel(std::string(mc::isa_name(isa)));
}

void eta(benchmark::State& state) { run_profile(state, eta_args(), static_cast<mc::Isa>(state.range(0))); }
void option(benchmark::State& state) { run_profile(state, option_args(false), static_cast<mc::Isa>(state.range(0))); }
void option_antithetic(benchmark::State& state) {
    run_profile(state, option_args(true), static_cast<mc::Isa>(state.range(0)));
}
void insurance(benchmark::State& state) { run_profile(state, insurance_args(), mc::Isa::scalar); }

// Whole-job cost at the end: finalize of a merged eta partial (quantiles, histogram) is per job, not
// per iteration.
void eta_finalize(benchmark::State& state) {
    mc::EtaArgs a = eta_args();
    a.iterations = 4 * mc::kUnitIterations;
    mc::Partial p = mc::run_units(a, kKey, 0, 4);
    for (auto _ : state) benchmark::DoNotOptimize(mc::finalize(a, p));
}

void exact_sum_add(benchmark::State& state) {
    std::mt19937_64 rng(1);
    std::vector<double> values(4096);
    for (double& v : values) v = std::normal_distribution<double>(0, 1e6)(rng);
    for (auto _ : state) {
        mc::ExactSum sum;
        for (double v : values) sum.add(v);
        benchmark::DoNotOptimize(sum);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * values.size()));
}

void sketch_add(benchmark::State& state) {
    std::mt19937_64 rng(2);
    std::vector<double> values(4096);
    for (double& v : values) v = std::lognormal_distribution<double>(3, 1)(rng);
    for (auto _ : state) {
        mc::LogSketch sketch;
        for (double v : values) sketch.add(v);
        benchmark::DoNotOptimize(sketch);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * values.size()));
}

void isa_args(benchmark::internal::Benchmark* b) {
    for (mc::Isa isa : {mc::Isa::scalar, mc::Isa::avx2, mc::Isa::avx512}) b->Arg(static_cast<int>(isa));
}

}  // namespace

BENCHMARK(eta)->Apply(isa_args)->Unit(benchmark::kMillisecond);
BENCHMARK(option)->Apply(isa_args)->Unit(benchmark::kMillisecond);
BENCHMARK(option_antithetic)->Apply(isa_args)->Unit(benchmark::kMillisecond);
BENCHMARK(insurance)->Unit(benchmark::kMillisecond);
BENCHMARK(eta_finalize)->Unit(benchmark::kMicrosecond);
BENCHMARK(exact_sum_add);
BENCHMARK(sketch_add);

BENCHMARK_MAIN();
