// The Monte Carlo kernels: run a contiguous range of work units into a mergeable Partial, merge Partials
// exactly (any grouping, any order, same bits), and finalize a Partial into the profile's output.
#pragma once

#include "forgehive/kernels/mc/exact_sum.hpp"
#include "forgehive/kernels/mc/philox.hpp"
#include "forgehive/kernels/mc/profiles.hpp"
#include "forgehive/kernels/mc/sketch.hpp"

#include <cstdint>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace forgehive::kernels::mc {

// The exactly mergeable state of a range of units. Sums are of d = x - pivot(args) (docs/mc-models.md:
// the pivot only keeps the variance free of cancellation). Within a unit, d and d^2 are summed in a
// fixed order into 8 lanes with error-free (TwoSum) compensation; each lane's sum and compensation then
// enter the exact accumulators, so the result never depends on how units were grouped or merged.
struct Partial {
    std::uint64_t units = 0;       // work units folded in
    std::uint64_t count = 0;       // samples (iterations) folded in
    ExactSum sum;                  // sum of (x - pivot)
    ExactSum sum_sq;               // sum of (x - pivot)^2
    double min = 0;                // exact minimum sample; meaningful when count > 0
    double max = 0;                // exact maximum sample; meaningful when count > 0
    LogSketch sketch;              // eta and insurance samples (empty for options)
    std::vector<std::uint64_t> exceed;  // eta: count of samples > thresholds[k]
    std::uint64_t positive = 0;    // insurance: count of samples > 0

    bool operator==(const Partial&) const = default;
};

// Which build of the vectorised block kernels runs (eta and option; insurance is scalar code).
// scalar: baseline x86-64 with auto-vectorisation off (the reference); avx2: AVX2, FMA off;
// avx512: AVX-512F/DQ/VL/BW with 512-bit vectors, FMA off. All give identical bits.
enum class Isa { scalar, avx2, avx512 };
std::string_view isa_name(Isa isa);
bool isa_supported(Isa isa);
// The best supported variant, or FORGEHIVE_KERNEL_ISA=scalar|avx2|avx512 when set (lowered to the best
// supported variant when the CPU lacks it). Read once.
Isa default_isa();

// Runs units [first_unit, first_unit + count). Throws std::invalid_argument when validate(args) fails or
// the range is past unit_count(args) (caller bugs; expected conditions never throw).
Partial run_units(const ProfileArgs& args, const RootKey& key, std::uint64_t first_unit, std::uint64_t count);
Partial run_units(const ProfileArgs& args, const RootKey& key, std::uint64_t first_unit, std::uint64_t count,
                  Isa isa);

// Folds next into `into`. Exact: associative and commutative, so the merged state (and every output
// bit) is the same for any grouping of units into ranges and any merge order. A default Partial is the
// identity. Throws std::invalid_argument if the two come from different exceedance threshold counts.
void merge(Partial& into, const Partial& next);

struct HistogramBin {
    double lower;
    double upper;
    std::uint64_t count;
};

struct EtaOutput {
    double mean, std, stderr_, min, max, p50, p90, p95, p99;
    std::vector<HistogramBin> histogram;                // kEtaHistogramBins equal-width bins on [min, max]
    std::vector<std::pair<double, double>> exceedance;  // (threshold, P(eta > threshold)), args order
};
inline constexpr std::size_t kEtaHistogramBins = 20;

struct InsuranceOutput {
    double mean, std, stderr_, var_95, var_99, var_995, tvar_95, tvar_99, tvar_995, p_loss, max;
};

struct OptionOutput {
    double price, stderr_, ci95_low, ci95_high;
};

using Output = std::variant<EtaOutput, InsuranceOutput, OptionOutput>;

// The profile's output from the merged Partial of all units. std is the sample standard deviation
// (divisor n - 1; 0 when n < 2), stderr_ = std / sqrt(n). Throws std::invalid_argument if the Partial
// does not hold exactly iterations_of(args) samples.
Output finalize(const ProfileArgs& args, const Partial& partial);

// The per-iteration sample values of iterations [first, first + count): eta, annual loss, or the
// undiscounted (pair-averaged) option payoff. For tests and replay; memory grows with count.
std::vector<double> samples(const ProfileArgs& args, const RootKey& key, std::uint64_t first, std::uint64_t count);

// Black–Scholes closed-form price of the option (uses libm; for tests and documentation only).
double black_scholes(const OptionArgs& args);

}  // namespace forgehive::kernels::mc
