// Hager-Higham 1-norm estimation of A^-1 for the reciprocal condition number (condition.hpp).
#include "condition.hpp"

#include <cmath>

namespace forgehive::kernels::tensor::factor {
namespace {

constexpr int kMaxIterations = 5;  // as DLACON's ITMAX

double sum_abs(const std::vector<double>& v) {
    double s = 0.0;
    for (double x : v) s += std::fabs(x);
    return s;
}

std::vector<double> signs(const std::vector<double>& v) {
    std::vector<double> out(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) out[i] = v[i] >= 0.0 ? 1.0 : -1.0;
    return out;
}

std::size_t argmax_abs(const std::vector<double>& v) {
    std::size_t best = 0;
    for (std::size_t i = 1; i < v.size(); ++i) {
        if (std::fabs(v[i]) > std::fabs(v[best])) best = i;
    }
    return best;
}

// Higham's safeguard: x_i = (-1)^i (1 + i / (n - 1)) catches matrices on which the power steps stall.
double alternative_estimate(std::int64_t n, const ApplyInverse& inverse) {
    std::vector<double> x(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) {
        const double magnitude = 1.0 + static_cast<double>(i) / static_cast<double>(n - 1);
        x[static_cast<std::size_t>(i)] = i % 2 == 0 ? magnitude : -magnitude;
    }
    inverse(x);
    return 2.0 * sum_abs(x) / (3.0 * static_cast<double>(n));
}

}  // namespace

double inverse_norm1_estimate(std::int64_t n, const ApplyInverse& inverse, const ApplyInverse& inverse_transposed) {
    std::vector<double> x(static_cast<std::size_t>(n), 1.0 / static_cast<double>(n));
    inverse(x);
    double estimate = sum_abs(x);
    if (n == 1) return estimate;
    std::vector<double> xi = signs(x);
    std::vector<double> z = xi;
    inverse_transposed(z);
    std::size_t j = argmax_abs(z);
    for (int iteration = 2; iteration <= kMaxIterations; ++iteration) {
        x.assign(static_cast<std::size_t>(n), 0.0);
        x[j] = 1.0;
        inverse(x);
        const double previous = estimate;
        estimate = sum_abs(x);
        std::vector<double> next_signs = signs(x);
        if (next_signs == xi || estimate <= previous) {
            estimate = std::fmax(estimate, previous);
            break;
        }
        xi = std::move(next_signs);
        z = xi;
        inverse_transposed(z);
        const std::size_t last = j;
        j = argmax_abs(z);
        if (std::fabs(z[last]) == std::fabs(z[j])) break;
    }
    return std::fmax(estimate, alternative_estimate(n, inverse));
}

double norm1(std::int64_t n, const std::vector<double>& a) {
    std::vector<double> column_sums(static_cast<std::size_t>(n), 0.0);
    for (std::int64_t i = 0; i < n; ++i) {
        for (std::int64_t j = 0; j < n; ++j) column_sums[static_cast<std::size_t>(j)] += std::fabs(a[static_cast<std::size_t>(i * n + j)]);
    }
    double best = 0.0;
    for (double s : column_sums) best = std::fmax(best, s);
    return best;
}

}  // namespace forgehive::kernels::tensor::factor
