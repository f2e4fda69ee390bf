// The interface between the profile drivers and the vectorised block kernels, which are compiled once
// per ISA (block_kernels_<isa>.cpp). Plain structs only: no inline code may cross the ISA boundary.
#pragma once

#include <cstddef>
#include <cstdint>

namespace forgehive::kernels::mc::blocks {

inline constexpr std::size_t kBlock = 1024;  // iterations generated and transformed together
inline constexpr std::size_t kLanes = 8;    // fixed summation lanes: lane = iteration index mod 8

// Per-unit accumulators, lane j taking the iterations j, j + 8, ... of the unit, each a TwoSum-
// compensated sum (sum + comp) of d = x - pivot and of d^2, and the running min and max of x.
struct LaneAcc {
    double sum[kLanes];
    double sum_comp[kLanes];
    double sq[kLanes];
    double sq_comp[kLanes];
    double min[kLanes];
    double max[kLanes];
};

struct EtaParams {
    std::uint32_t key[2];
    double base, traffic_mean, traffic_std, weather_mean, weather_std, incident_mean, incident_std;
    std::uint64_t weather_cut;   // indicator: Philox word < cut, cut = ceil(p * 2^32)
    std::uint64_t incident_cut;
    double pivot;
    const double* thresholds;
    std::size_t threshold_count;
};

struct OptionParams {
    std::uint32_t key[2];
    double spot, strike, drift, vol_sqrt_t;  // drift = (r - vol^2/2) T, vol_sqrt_t = vol sqrt(T)
    bool call, antithetic;
};

// Output of one block: the samples, and for eta the number of valid samples whose sketch bucket lay
// outside the unit's tally window (EtaTally), which the driver adds to the sketch itself.
struct BlockOut {
    double values[kBlock];
    std::uint32_t outside;
};

// A work unit's sketch bucket counts while its eta blocks run: kTallyWindow consecutive buckets from
// window_low (16 octaves, chosen around the job's pivot, so a unit's samples normally all fall inside),
// then the samples of the zero bucket, those outside the window and the masked-out lanes of a last
// partial block. Each entry has kTallies interleaved copies, sample j counting in copy j mod kTallies,
// so a run of equal buckets does not chain increments of one memory word. Integer counts, flushed into
// the sketch once per unit (the sketch's trimmed window is canonical): the same state as counting each
// sample on its own. uint32 is enough: a unit has 2^16 samples.
inline constexpr std::size_t kTallyWindow = 1024;
inline constexpr int kTallyShift = 2;
inline constexpr std::size_t kTallies = std::size_t{1} << kTallyShift;
inline constexpr std::size_t kTallyZero = kTallyWindow;
inline constexpr std::size_t kTallyOutside = kTallyWindow + 1;
inline constexpr std::size_t kTallyMasked = kTallyWindow + 2;
struct EtaTally {
    std::int32_t window_low;
    std::uint32_t table[kTallies * (kTallyWindow + 3)];
};

// One block of kBlock iterations starting at `first` (eta: a multiple of 2); only the first `valid` enter acc,
// exceed and the tally (the rest are computed by the same vector code and masked out). exceed has
// threshold_count entries.
using EtaBlockFn = void (*)(const EtaParams&, std::uint64_t first, std::size_t valid, BlockOut&, LaneAcc&,
                            std::uint64_t* exceed, EtaTally&);
using OptionBlockFn = void (*)(const OptionParams&, std::uint64_t first, std::size_t valid, BlockOut&,
                               LaneAcc&);

struct Variant {
    EtaBlockFn eta_block;
    OptionBlockFn option_block;
};

// Sketch bucket constants, duplicated here so the ISA builds include no header with inline library
// code; sketch.cpp checks they equal LogSketch's.
inline constexpr int kSketchBucketShift = 46;
inline constexpr double kSketchMinIndexable = 0x1p-1022;

// Random streams (docs/mc-models.md): word 2 of the Philox counter.
inline constexpr std::uint32_t kEtaStreamTraffic = 0;    // counter i / 2: one Box–Muller pair, two iterations
inline constexpr std::uint32_t kEtaStreamFlags = 1;      // counter i / 2: weather and incident indicators
inline constexpr std::uint32_t kEtaStreamWeather = 2;    // counter i, drawn only where weather fires
inline constexpr std::uint32_t kEtaStreamIncident = 3;   // counter i, drawn only where an incident fires
inline constexpr std::uint32_t kOptionStreamPath = 0;

// One definition per ISA build (block_kernels.inc compiled by block_kernels_<isa>.cpp).
namespace isa_scalar {
void eta_block(const EtaParams&, std::uint64_t, std::size_t, BlockOut&, LaneAcc&, std::uint64_t*, EtaTally&);
void option_block(const OptionParams&, std::uint64_t, std::size_t, BlockOut&, LaneAcc&);
}  // namespace isa_scalar
namespace isa_avx2 {
void eta_block(const EtaParams&, std::uint64_t, std::size_t, BlockOut&, LaneAcc&, std::uint64_t*, EtaTally&);
void option_block(const OptionParams&, std::uint64_t, std::size_t, BlockOut&, LaneAcc&);
}  // namespace isa_avx2
namespace isa_avx512 {
void eta_block(const EtaParams&, std::uint64_t, std::size_t, BlockOut&, LaneAcc&, std::uint64_t*, EtaTally&);
void option_block(const OptionParams&, std::uint64_t, std::size_t, BlockOut&, LaneAcc&);
}  // namespace isa_avx512

}  // namespace forgehive::kernels::mc::blocks
