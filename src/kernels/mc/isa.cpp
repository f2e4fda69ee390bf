// Runtime choice of the block-kernel build: CPU detection, the FORGEHIVE_KERNEL_ISA override, and the
// table of entry points per ISA.
#include "drivers.hpp"

#include <cstdlib>
#include <stdexcept>
#include <string>

namespace forgehive::kernels::mc {
namespace {

Isa best_supported() {
    if (isa_supported(Isa::avx512)) return Isa::avx512;
    if (isa_supported(Isa::avx2)) return Isa::avx2;
    return Isa::scalar;
}

Isa lower(Isa isa) { return isa == Isa::avx512 ? Isa::avx2 : Isa::scalar; }

Isa parse_isa(std::string_view name) {
    for (Isa isa : {Isa::scalar, Isa::avx2, Isa::avx512}) {
        if (isa_name(isa) == name) return isa;
    }
    throw std::invalid_argument("FORGEHIVE_KERNEL_ISA must be scalar, avx2 or avx512, not '" + std::string(name) + "'");
}

Isa choose_default() {
    const char* requested = std::getenv("FORGEHIVE_KERNEL_ISA");
    if (requested == nullptr || *requested == '\0') return best_supported();
    Isa isa = parse_isa(requested);
    while (!isa_supported(isa)) isa = lower(isa);
    return isa;
}

}  // namespace

std::string_view isa_name(Isa isa) {
    switch (isa) {
    case Isa::scalar: return "scalar";
    case Isa::avx2: return "avx2";
    case Isa::avx512: return "avx512";
    }
    return "unknown";
}

bool isa_supported(Isa isa) {
#if defined(__x86_64__) && defined(__GNUC__)
    switch (isa) {
    case Isa::scalar: return true;
    case Isa::avx2: return __builtin_cpu_supports("avx2") != 0;
    case Isa::avx512:
        return __builtin_cpu_supports("avx512f") != 0 && __builtin_cpu_supports("avx512dq") != 0 &&
               __builtin_cpu_supports("avx512vl") != 0 && __builtin_cpu_supports("avx512bw") != 0;
    }
    return false;
#else
    return isa == Isa::scalar;
#endif
}

Isa default_isa() {
    static const Isa chosen = choose_default();
    return chosen;
}

namespace detail {

blocks::Variant variant_for(Isa isa) {
    if (!isa_supported(isa)) throw std::invalid_argument("ISA variant not supported by this CPU: " + std::string(isa_name(isa)));
    switch (isa) {
#if defined(__x86_64__) && defined(__GNUC__)
    case Isa::avx512: return {blocks::isa_avx512::eta_block, blocks::isa_avx512::option_block};
    case Isa::avx2: return {blocks::isa_avx2::eta_block, blocks::isa_avx2::option_block};
#endif
    default: return {blocks::isa_scalar::eta_block, blocks::isa_scalar::option_block};
    }
}

}  // namespace detail
}  // namespace forgehive::kernels::mc
