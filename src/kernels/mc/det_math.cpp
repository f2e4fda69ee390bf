// Scalar entry points of the deterministic elementary functions (the same code the block kernels inline).
#include "forgehive/kernels/mc/det_math.hpp"

#include <cstdint>
#include <limits>

namespace forgehive::kernels::mc {
namespace {
#include "det_math_impl.inc"

constexpr double kLogMax = 709.782712893384;     // ln(DBL_MAX)
constexpr double kLogMin = -708.3964185322641;   // ln(smallest normal)
}  // namespace

double det_log(double x) {
    if (x != x || x < 0.0) return std::numeric_limits<double>::quiet_NaN();
    if (x == 0.0) return -std::numeric_limits<double>::infinity();
    if (x == std::numeric_limits<double>::infinity()) return x;
    if (x < 0x1p-1022) return log_core(x * 0x1p54) - (54.0 * kDmLn2Hi + 54.0 * kDmLn2Lo);  // subnormal
    return log_core(x);
}

double det_exp(double x) {
    if (x != x) return x;
    if (x > kLogMax) return std::numeric_limits<double>::infinity();
    if (x < kLogMin) return 0.0;
    return exp_core(x);
}

SinCos det_sincos_turn(std::uint32_t turn) {
    SinCos out{0.0, 0.0};
    sincos_turn_core(turn, out.sin, out.cos);
    return out;
}

double det_sin_small(double x) { return sin_small(x, 0.0); }
double det_cos_small(double x) { return cos_small(x, 0.0); }
double det_u53(std::uint32_t w0, std::uint32_t w1) { return u53_core(w0, w1); }

}  // namespace forgehive::kernels::mc
