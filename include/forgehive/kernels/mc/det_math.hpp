// Deterministic log, exp, sin/cos and uniform conversion used by the Monte Carlo samplers: fixed
// polynomials on IEEE basic operations only, so every host and ISA gets the same bits (DESIGN.md §4).
#pragma once

#include <cstdint>

namespace forgehive::kernels::mc {

// Natural logarithm. Exact special cases: log(+0) = -inf, log(x < 0) = NaN, log(+inf) = +inf;
// subnormals are handled. Measured max error 0.76 ulp (det_math_test, docs/mc-models.md).
double det_log(double x);

// e^x. Returns +inf above 709.78, and flushes to +0 below -708.39 (results that would be subnormal):
// no sampler needs them. Measured max error 0.67 ulp.
double det_exp(double x);

// sin and cos of 2*pi * turn / 2^32: the angle is a 32-bit fraction of a full turn, reduced exactly in
// integer arithmetic, so no argument-reduction error exists. Measured max error 0.83 ulp.
struct SinCos {
    double sin;
    double cos;
};
SinCos det_sincos_turn(std::uint32_t turn);

// sin and cos of |x| <= pi/4 (the polynomial kernels behind det_sincos_turn).
double det_sin_small(double x);
double det_cos_small(double x);

// A uniform double in (0, 1] from 53 bits of two 32-bit words: m = (w1 >> 6) * 2^27 + (w0 >> 5),
// u = (m + 1) / 2^53. Exact.
double det_u53(std::uint32_t w0, std::uint32_t w1);

}  // namespace forgehive::kernels::mc
