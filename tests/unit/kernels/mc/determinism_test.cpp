// Unit tests for the determinism promise (DESIGN.md §4): any split of the units into ranges, merged in
// any order, and every ISA build give bit-identical Partials and outputs, equal to states pinned for the
// current kernel version; samples are reproducible from the public building blocks; misuse of the range
// API throws.
#include "forgehive/kernels/mc/kernels.hpp"

#include "forgehive/kernels/mc/det_math.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <iostream>
#include <tuple>
#include <utility>

namespace forgehive::kernels::mc {
namespace {

constexpr RootKey kKey{{0xdeadbeef, 0x01234567}};

EtaArgs eta_args(std::uint64_t iterations) {
    EtaArgs a;
    a.iterations = iterations;
    a.base_eta = 20;
    a.traffic_mean = 5;
    a.traffic_std = 3;
    a.weather_prob = 0.2;
    a.weather_mean = 4;
    a.weather_std = 2;
    a.incident_prob = 0.05;
    a.incident_mean = 15;
    a.incident_std = 10;
    a.thresholds = {25, 30, 45, 1e6};
    return a;
}

InsuranceArgs insurance_args(std::uint64_t iterations) {
    InsuranceArgs a;
    a.iterations = iterations;
    a.frequency = {Frequency::Dist::negbin, 2.0, 1.5};
    a.severity = {Severity::Dist::lognormal, 7.0, 1.3, 0, 0};
    a.deductible = 500;
    a.limit = 20000;
    a.aggregate_limit = 40000;
    return a;
}

OptionArgs option_args(std::uint64_t iterations) { return {iterations, 100, 110, 0.02, 0.25, 2.0, true, true}; }

// Every double compared by its bits, so -0.0 vs 0.0 or a different NaN would count as a difference.
void expect_same_bits(double a, double b, const char* what) {
    EXPECT_EQ(std::bit_cast<std::uint64_t>(a), std::bit_cast<std::uint64_t>(b)) << what << ": " << a << " vs " << b;
}

void expect_same_output(const Output& a, const Output& b) {
    ASSERT_EQ(a.index(), b.index());
    if (const auto* x = std::get_if<EtaOutput>(&a)) {
        const auto& y = std::get<EtaOutput>(b);
        std::vector<std::tuple<double, double, const char*>> fields = {
            {x->mean, y.mean, "mean"}, {x->std, y.std, "std"}, {x->stderr_, y.stderr_, "stderr"},
            {x->min, y.min, "min"},    {x->max, y.max, "max"}, {x->p50, y.p50, "p50"},
            {x->p90, y.p90, "p90"},    {x->p95, y.p95, "p95"}, {x->p99, y.p99, "p99"}};
        for (auto [p, q, name] : fields) expect_same_bits(p, q, name);
        ASSERT_EQ(x->histogram.size(), y.histogram.size());
        for (std::size_t i = 0; i < x->histogram.size(); ++i) {
            expect_same_bits(x->histogram[i].lower, y.histogram[i].lower, "histogram.lower");
            expect_same_bits(x->histogram[i].upper, y.histogram[i].upper, "histogram.upper");
            EXPECT_EQ(x->histogram[i].count, y.histogram[i].count);
        }
        ASSERT_EQ(x->exceedance.size(), y.exceedance.size());
        for (std::size_t i = 0; i < x->exceedance.size(); ++i) expect_same_bits(x->exceedance[i].second, y.exceedance[i].second, "exceedance");
    } else if (const auto* x = std::get_if<InsuranceOutput>(&a)) {
        const auto& y = std::get<InsuranceOutput>(b);
        std::vector<std::pair<double, double>> fields = {
            {x->mean, y.mean},       {x->std, y.std},         {x->stderr_, y.stderr_},   {x->var_95, y.var_95},
            {x->var_99, y.var_99},   {x->var_995, y.var_995}, {x->tvar_95, y.tvar_95},   {x->tvar_99, y.tvar_99},
            {x->tvar_995, y.tvar_995}, {x->p_loss, y.p_loss}, {x->max, y.max}};
        for (auto [p, q] : fields) expect_same_bits(p, q, "insurance field");
    } else {
        const auto& u = std::get<OptionOutput>(a);
        const auto& v = std::get<OptionOutput>(b);
        std::vector<std::pair<double, double>> fields = {
            {u.price, v.price}, {u.stderr_, v.stderr_}, {u.ci95_low, v.ci95_low}, {u.ci95_high, v.ci95_high}};
        for (auto [p, q] : fields) expect_same_bits(p, q, "option field");
    }
}

// Runs the units as the given contiguous ranges (sizes), then merges the pieces in `order`.
Partial run_split(const ProfileArgs& args, const std::vector<std::uint64_t>& sizes, const std::vector<std::size_t>& order) {
    std::vector<Partial> pieces;
    std::uint64_t first = 0;
    for (std::uint64_t size : sizes) {
        pieces.push_back(run_units(args, kKey, first, size));
        first += size;
    }
    EXPECT_EQ(first, unit_count(args));
    Partial merged;
    for (std::size_t i : order) merge(merged, pieces[i]);
    return merged;
}

// 7 full units and a partial one: splits into 1, 2, 3 and 7 ranges, merged forwards, backwards,
// shuffled and as a tree, all equal to the single run, state and output bits alike.
void expect_split_invariance(const ProfileArgs& args) {
    ASSERT_EQ(unit_count(args), 8U);
    Partial whole = run_units(args, kKey, 0, 8);
    Output want = finalize(args, whole);
    std::vector<std::pair<std::vector<std::uint64_t>, std::vector<std::size_t>>> plans = {
        {{8}, {0}},
        {{3, 5}, {1, 0}},
        {{1, 6, 1}, {2, 0, 1}},
        {{1, 1, 1, 2, 1, 1, 1}, {6, 5, 4, 3, 2, 1, 0}},
        {{2, 1, 1, 1, 1, 1, 1}, {3, 0, 6, 1, 5, 2, 4}},
    };
    for (const auto& [sizes, order] : plans) {
        Partial merged = run_split(args, sizes, order);
        EXPECT_EQ(merged, whole) << "split into " << sizes.size();
        expect_same_output(finalize(args, merged), want);
    }
    // A tree of merges: ((0 1) (2 3)) ((4 5) 6 7), each leaf one unit.
    std::vector<Partial> leaves;
    for (std::uint64_t u = 0; u < 8; ++u) leaves.push_back(run_units(args, kKey, u, 1));
    Partial left = leaves[0], left2 = leaves[2], right = leaves[4], right2 = leaves[6];
    merge(left, leaves[1]);
    merge(left2, leaves[3]);
    merge(left, left2);
    merge(right2, leaves[7]);
    merge(right, leaves[5]);
    merge(right2, right);
    merge(right2, left);
    EXPECT_EQ(right2, whole);
}

TEST(Determinism, EtaSplitsAndMergeOrdersGiveIdenticalBits) {
    expect_split_invariance(eta_args(7 * kUnitIterations + 1234));
}

TEST(Determinism, OptionSplitsAndMergeOrdersGiveIdenticalBits) {
    expect_split_invariance(option_args(7 * kUnitIterations + 77));
    OptionArgs put = option_args(7 * kUnitIterations + 1);
    put.call = false;
    put.antithetic = false;
    expect_split_invariance(put);
}

TEST(Determinism, InsuranceSplitsAndMergeOrdersGiveIdenticalBits) {
    // Insurance is scalar and slower: a small unit count with a short last unit.
    InsuranceArgs a = insurance_args(7 * kUnitIterations + 5);
    a.frequency.lambda = 0.3;
    expect_split_invariance(a);
}

TEST(Determinism, EveryIsaBuildGivesTheScalarBits) {
    std::vector<ProfileArgs> cases = {eta_args(3 * kUnitIterations + 1000), option_args(2 * kUnitIterations + 3)};
    OptionArgs put = option_args(kUnitIterations + 999);
    put.call = false;
    put.antithetic = false;
    cases.push_back(put);
    EtaArgs degenerate = eta_args(5000);  // zeros in the sketch, all-equal samples
    degenerate.base_eta = 0;
    degenerate.traffic_mean = -1;
    degenerate.traffic_std = 0;
    degenerate.weather_prob = 1;
    degenerate.incident_prob = 0;
    cases.push_back(degenerate);
    EtaArgs frequent = eta_args(kUnitIterations + 77);  // long incident lists; every incident fires
    frequent.incident_prob = 0.7;
    cases.push_back(frequent);
    frequent.incident_prob = 1;
    cases.push_back(frequent);
    EtaArgs few = eta_args(kUnitIterations + 5);  // the block kernel counts up to 4 thresholds in its pass
    few.thresholds = {24};
    cases.push_back(few);
    few.thresholds = {21, 25, 30, 45, 60, 1e6};  // ... and any further ones separately
    cases.push_back(few);
    for (const ProfileArgs& args : cases) {
        Partial reference = run_units(args, kKey, 0, unit_count(args), Isa::scalar);
        for (Isa isa : {Isa::avx2, Isa::avx512}) {
            if (!isa_supported(isa)) {
                std::cout << "[ SKIPPED  ] " << isa_name(isa) << ": not supported by this CPU\n";
                continue;
            }
            Partial got = run_units(args, kKey, 0, unit_count(args), isa);
            EXPECT_EQ(got, reference) << isa_name(isa);
            expect_same_output(finalize(args, got), finalize(args, reference));
        }
    }
}

// FNV-1a over the bytes of the sketch counts: a short fingerprint for the pinned states below.
std::uint64_t bins_fingerprint(const LogSketch& sketch) {
    std::uint64_t h = 1469598103934665603ULL;
    for (std::uint64_t bin : sketch.bins) {
        for (int byte = 0; byte < 8; ++byte) {
            h ^= (bin >> (8 * byte)) & 0xffU;
            h *= 1099511628211ULL;
        }
    }
    return h;
}

// eta.v1 state recorded with kernel k3 as first released (before the block kernels took the bucket and
// exceedance counts in the lane-sum pass): any rework of the kernels must reproduce these bits on every
// ISA build, or bump kernel_version.
TEST(Determinism, EtaKernelK3StateIsPinned) {
    struct Pinned {
        EtaArgs args;
        std::vector<std::uint64_t> exceed;
        std::uint64_t min, max, sum, sum_sq;  // bit patterns
        std::int32_t offset;
        std::size_t bins;
        std::uint64_t fingerprint;
    };
    EtaArgs usual = eta_args(3 * kUnitIterations + 777);
    EtaArgs wide = usual;  // bucket ranges too wide for the block's own count; five thresholds
    wide.base_eta = 1;
    wide.traffic_mean = 1000;
    wide.traffic_std = 2000;
    wide.incident_prob = 1;
    wide.thresholds = {10, 100, 1000, 5000, 1e4};
    std::vector<Pinned> pinned = {
        {usual, {117441, 30403, 3372, 0}, 0x4034000000000000, 0x4055539d681539b8, 0x40cdb7c013f6aa40,
         0x4154554070c2ff51, 65744, 134, 0x03f4a23eed04f1ef},
        {wide, {181919, 133788, 99683, 4635, 2}, 0x3ff0000000000000, 0x40c74e09086fb4a6, 0x4192ec9db5af6112,
         0x425b70ef55707674, 65472, 862, 0x971a5810ff3b27ec},
    };
    for (const Pinned& want : pinned) {
        for (Isa isa : {Isa::scalar, Isa::avx2, Isa::avx512}) {
            if (!isa_supported(isa)) continue;
            Partial got = run_units(want.args, kKey, 0, unit_count(want.args), isa);
            EXPECT_EQ(got.count, want.args.iterations) << isa_name(isa);
            EXPECT_EQ(got.exceed, want.exceed) << isa_name(isa);
            EXPECT_EQ(std::bit_cast<std::uint64_t>(got.min), want.min) << isa_name(isa);
            EXPECT_EQ(std::bit_cast<std::uint64_t>(got.max), want.max) << isa_name(isa);
            EXPECT_EQ(std::bit_cast<std::uint64_t>(got.sum.to_double()), want.sum) << isa_name(isa);
            EXPECT_EQ(std::bit_cast<std::uint64_t>(got.sum_sq.to_double()), want.sum_sq) << isa_name(isa);
            EXPECT_EQ(got.sketch.offset, want.offset) << isa_name(isa);
            EXPECT_EQ(got.sketch.bins.size(), want.bins) << isa_name(isa);
            EXPECT_EQ(got.sketch.zero_count, 0U) << isa_name(isa);
            EXPECT_EQ(bins_fingerprint(got.sketch), want.fingerprint) << isa_name(isa);
        }
    }
}

// The block kernels count sketch buckets in a per-unit window around the pivot and leave the samples
// outside it to the driver: whatever the window catches, the sketch must equal one built by adding every
// sample on its own.
TEST(Determinism, EtaSketchHoldsEverySampleInItsBucket) {
    EtaArgs usual = eta_args(2 * kUnitIterations + 333);  // partial last block
    EtaArgs wide = usual;                                 // samples beyond both ends of the window
    wide.base_eta = 0;
    wide.traffic_mean = 1e3;
    wide.traffic_std = 1e6;
    EtaArgs zeros = usual;  // about half the samples exactly 0
    zeros.base_eta = 0;
    zeros.traffic_mean = 0;
    zeros.weather_prob = 0;
    zeros.incident_prob = 0;
    EtaArgs no_pivot = zeros;  // pivot 0: no bucket to centre the window on, every sample outside it
    no_pivot.traffic_mean = -1;
    no_pivot.weather_prob = 0.5;
    no_pivot.weather_mean = -2;
    std::vector<std::pair<const char*, EtaArgs>> cases = {
        {"usual", usual}, {"wide", wide}, {"zeros", zeros}, {"no_pivot", no_pivot}};
    for (const auto& [name, args] : cases) {
        LogSketch reference;
        for (double x : samples(args, kKey, 0, args.iterations)) reference.add(x);
        ASSERT_GT(reference.count(), reference.zero_count) << name;
        if (args.base_eta == 0) {
            ASSERT_GT(reference.zero_count, 0U) << name;
        }
        for (Isa isa : {Isa::scalar, Isa::avx2, Isa::avx512}) {
            if (!isa_supported(isa)) continue;
            Partial got = run_units(args, kKey, 0, unit_count(args), isa);
            EXPECT_EQ(got.sketch, reference) << name << " " << isa_name(isa);
        }
    }
}

TEST(Determinism, DefaultPartialIsTheMergeIdentity) {
    ProfileArgs args = eta_args(kUnitIterations + 10);
    Partial whole = run_units(args, kKey, 0, 2);
    Partial merged;
    merge(merged, Partial{});
    merge(merged, whole);
    merge(merged, run_units(args, kKey, 1, 0));
    EXPECT_EQ(merged, whole);
}

// Iteration i of eta.v1, recomputed from the public pieces as docs/mc-models.md describes it.
double eta_by_hand(const EtaArgs& a, std::uint64_t i) {
    PhiloxCounter pair = philox4x32(stream_counter(i / 2, 0, 0), kKey.key);   // one Box–Muller pair, two iterations
    PhiloxCounter flags = philox4x32(stream_counter(i / 2, 1, 0), kKey.key);  // two indicators per iteration
    PhiloxCounter s2 = philox4x32(stream_counter(i, 2, 0), kKey.key);
    PhiloxCounter s3 = philox4x32(stream_counter(i, 3, 0), kKey.key);
    auto radius = [](const PhiloxCounter& w) { return std::sqrt(-2.0 * det_log(det_u53(w[0], w[1]))); };
    SinCos angle = det_sincos_turn(pair[2]);
    double traffic_z = radius(pair) * (i % 2 == 0 ? angle.cos : angle.sin);
    auto positive = [](double x) { return x > 0.0 ? x : 0.0; };
    auto cut = [](double p) { return static_cast<std::uint64_t>(std::ceil(p * 4294967296.0)); };
    double traffic = positive(a.traffic_mean + a.traffic_std * traffic_z);
    bool weather_fires = flags[2 * (i % 2)] < cut(a.weather_prob);
    bool incident_fires = flags[2 * (i % 2) + 1] < cut(a.incident_prob);
    double weather = weather_fires ? positive(a.weather_mean + a.weather_std * (radius(s2) * det_sincos_turn(s2[2]).cos)) : 0.0;
    double incident = incident_fires ? positive(a.incident_mean + a.incident_std * (radius(s3) * det_sincos_turn(s3[2]).cos)) : 0.0;
    return ((a.base_eta + traffic) + weather) + incident;
}

TEST(Determinism, EtaSamplesFollowTheDocumentedStreams) {
    EtaArgs a = eta_args(1 << 20);
    std::vector<double> got = samples(a, kKey, 123456, 1000);
    for (std::uint64_t k = 0; k < got.size(); ++k) ASSERT_EQ(got[k], eta_by_hand(a, 123456 + k)) << k;
}

TEST(Determinism, EtaSamplesFollowTheDocumentedStreamsWhateverTheProbabilities) {
    for (double p : {0.0, 0.3, 0.9, 1.0}) {
        EtaArgs a = eta_args(1 << 20);
        a.incident_prob = p;
        a.weather_prob = 1.0 - p;
        std::vector<double> got = samples(a, kKey, 4097, 2100);  // unaligned start, three blocks
        for (std::uint64_t k = 0; k < got.size(); ++k) ASSERT_EQ(got[k], eta_by_hand(a, 4097 + k)) << p << " " << k;
    }
}

TEST(Determinism, OptionSamplesFollowTheDocumentedStream) {
    OptionArgs a = option_args(1 << 20);
    std::vector<double> got = samples(a, kKey, 999, 300);
    double drift = (a.rate - 0.5 * (a.volatility * a.volatility)) * a.maturity;
    double vol = a.volatility * std::sqrt(a.maturity);
    for (std::uint64_t k = 0; k < got.size(); ++k) {
        PhiloxCounter w = philox4x32(stream_counter(999 + k, 0, 0), kKey.key);
        double z = std::sqrt(-2.0 * det_log(det_u53(w[0], w[1]))) * det_sincos_turn(w[2]).cos;
        double up = std::max(a.spot * det_exp(drift + vol * z) - a.strike, 0.0);
        double down = std::max(a.spot * det_exp(drift - vol * z) - a.strike, 0.0);
        ASSERT_EQ(got[k], (up + down) * 0.5) << k;
    }
}

TEST(Determinism, SamplesDoNotDependOnWhereARunStarts) {
    EtaArgs a = eta_args(1 << 20);
    std::vector<double> long_run = samples(a, kKey, 1000, 700);
    std::vector<double> late_start = samples(a, kKey, 1500, 200);
    EXPECT_TRUE(std::equal(late_start.begin(), late_start.end(), long_run.begin() + 500));
    InsuranceArgs ins = insurance_args(1000);
    std::vector<double> ins_long = samples(ins, kKey, 0, 50);
    std::vector<double> ins_late = samples(ins, kKey, 30, 20);
    EXPECT_TRUE(std::equal(ins_late.begin(), ins_late.end(), ins_long.begin() + 30));
}

TEST(Determinism, DifferentKeysGiveDifferentSamples) {
    EtaArgs a = eta_args(1000);
    EXPECT_NE(samples(a, kKey, 0, 100), samples(a, RootKey{{1, 2}}, 0, 100));
}

TEST(KernelApi, MisuseThrows) {
    EtaArgs a = eta_args(2 * kUnitIterations);
    EXPECT_THROW(run_units(a, kKey, 1, 2), std::invalid_argument);
    EXPECT_THROW(run_units(a, kKey, 3, 0), std::invalid_argument);
    EXPECT_NO_THROW(run_units(a, kKey, 2, 0));
    EtaArgs bad = a;
    bad.traffic_std = -1;
    EXPECT_THROW(run_units(bad, kKey, 0, 1), std::invalid_argument);
    Partial half = run_units(a, kKey, 0, 1);
    EXPECT_THROW(finalize(a, half), std::invalid_argument);
    Partial other = run_units(eta_args(100), kKey, 0, 1);
    other.exceed.push_back(0);
    EXPECT_THROW(merge(half, other), std::invalid_argument);
}

TEST(KernelApi, PartialRecordsUnitsAndCounts) {
    EtaArgs a = eta_args(2 * kUnitIterations + 5);
    Partial p = run_units(a, kKey, 1, 2);
    EXPECT_EQ(p.units, 2U);
    EXPECT_EQ(p.count, kUnitIterations + 5);
    EXPECT_EQ(p.sketch.count(), p.count);
    EXPECT_EQ(p.exceed.size(), a.thresholds.size());
}

TEST(KernelApi, IsaNamesAndDefault) {
    EXPECT_EQ(isa_name(Isa::scalar), "scalar");
    EXPECT_EQ(isa_name(Isa::avx2), "avx2");
    EXPECT_EQ(isa_name(Isa::avx512), "avx512");
    EXPECT_TRUE(isa_supported(Isa::scalar));
    EXPECT_TRUE(isa_supported(default_isa()));
}

}  // namespace
}  // namespace forgehive::kernels::mc
