// solve: validation, the f64 factorisation (factorization.cpp), the singularity checks, and the backward
// error of the returned x.
#include "forgehive/kernels/tensor/solve.hpp"

#include "condition.hpp"
#include "factorization.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <stdexcept>

namespace forgehive::kernels::tensor {
namespace {

constexpr double kSymmetryUlps = 64.0;

std::vector<double> widened(const Matrix& m) {
    if (m.dtype == DType::f64) return m.f64;
    return {m.f32.begin(), m.f32.end()};
}

void validate_system(const Matrix& a, const Matrix& b, const TensorOptions& options) {
    validate_matrix(a, "a", options);
    validate_matrix(b, "b", options);
    if (a.dtype != b.dtype) {
        throw std::invalid_argument(
            fmt::format("solve: a and b must have the same dtype (a is {}, b is {})", dtype_name(a.dtype), dtype_name(b.dtype)));
    }
    if (a.rows != a.cols) throw std::invalid_argument(fmt::format("solve: a must be square (got {} x {})", a.rows, a.cols));
    if (a.rows > options.max_solve_dimension) {
        throw std::invalid_argument(
            fmt::format("solve: a is {} x {}, larger than max_solve_dimension {}", a.rows, a.cols, options.max_solve_dimension));
    }
    if (b.rows != a.rows) throw std::invalid_argument(fmt::format("solve: b.rows ({}) must equal a.rows ({})", b.rows, a.rows));
}

// Cholesky reads the lower triangle; a declared-SPD matrix whose halves differ by more than rounding noise
// is a caller error, not something to solve silently.
void require_symmetric(const Matrix& a) {
    const double eps = a.dtype == DType::f32 ? std::numeric_limits<float>::epsilon() : std::numeric_limits<double>::epsilon();
    for (std::int64_t i = 0; i < a.rows; ++i) {
        for (std::int64_t j = 0; j < i; ++j) {
            const double lower = a.at(i, j);
            const double upper = a.at(j, i);
            if (std::fabs(lower - upper) > kSymmetryUlps * eps * std::fmax(std::fabs(lower), std::fabs(upper))) {
                throw std::invalid_argument(fmt::format(
                    "solve: cholesky needs a symmetric a, but a({}, {}) = {} and a({}, {}) = {}", i, j, lower, j, i, upper));
            }
        }
    }
}

double frobenius(const std::vector<double>& v) {
    double s = 0.0;
    for (double x : v) s += x * x;
    return std::sqrt(s);
}

// ||A x - B||_F with each element's dot product summed k ascending.
double residual_norm(std::int64_t n, std::int64_t m, const std::vector<double>& a, const std::vector<double>& x,
                     const std::vector<double>& b) {
    double s = 0.0;
    for (std::int64_t i = 0; i < n; ++i) {
        for (std::int64_t j = 0; j < m; ++j) {
            double dot = 0.0;
            for (std::int64_t k = 0; k < n; ++k) dot += a[static_cast<std::size_t>(i * n + k)] * x[static_cast<std::size_t>(k * m + j)];
            const double r = dot - b[static_cast<std::size_t>(i * m + j)];
            s += r * r;
        }
    }
    return std::sqrt(s);
}

void require_conditioned(double rcond, const TensorOptions& options) {
    if (!(rcond >= options.min_rcond)) {
        throw std::domain_error(fmt::format(
            "solve: a is numerically singular: reciprocal condition estimate {:.3e} is below min_rcond {:.3e}", rcond,
            options.min_rcond));
    }
}

double reciprocal_condition(double norm, double inverse_norm) {
    const double product = norm * inverse_norm;
    return std::isfinite(product) && product > 0.0 ? 1.0 / product : 0.0;
}

// Solves in f64 and returns x (n x m) and the reciprocal condition estimate.
std::pair<std::vector<double>, double> solve_lu(std::int64_t n, std::int64_t m, const std::vector<double>& a,
                                                std::vector<double> x) {
    factor::Lu lu;
    if (const auto column = factor::lu_factor(n, a, lu)) {
        throw std::domain_error(fmt::format("solve: a is singular: zero pivot in column {} of the LU factorisation", *column));
    }
    const double inverse_norm = factor::inverse_norm1_estimate(
        n, [&](std::vector<double>& v) { factor::lu_solve(lu, v, 1); },
        [&](std::vector<double>& v) { factor::lu_solve_transposed(lu, v); });
    factor::lu_solve(lu, x, m);
    return {std::move(x), reciprocal_condition(factor::norm1(n, a), inverse_norm)};
}

std::pair<std::vector<double>, double> solve_cholesky(std::int64_t n, std::int64_t m, const std::vector<double>& a,
                                                      std::vector<double> x) {
    factor::Cholesky llt;
    if (const auto column = factor::cholesky_factor(n, a, llt)) {
        throw std::domain_error(fmt::format(
            "solve: a is not positive definite: pivot {} of the Cholesky factorisation is not positive", *column));
    }
    const auto inverse = [&](std::vector<double>& v) { factor::cholesky_solve(llt, v, 1); };
    const double inverse_norm = factor::inverse_norm1_estimate(n, inverse, inverse);
    factor::cholesky_solve(llt, x, m);
    return {std::move(x), reciprocal_condition(factor::norm1(n, a), inverse_norm)};
}

// x in the dtype to return; an f32 x is also rounded in place, so that the residual is that of the x returned.
Matrix in_dtype(std::int64_t rows, std::int64_t cols, DType dtype, std::vector<double>& x) {
    if (dtype == DType::f64) return Matrix::from_f64(rows, cols, x);
    std::vector<float> narrowed(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
        narrowed[i] = static_cast<float>(x[i]);
        x[i] = narrowed[i];
    }
    return Matrix::from_f32(rows, cols, std::move(narrowed));
}

}  // namespace

SolveResult solve(const Matrix& a, const Matrix& b, SolveMethod method, const TensorOptions& options) {
    validate_system(a, b, options);
    if (method == SolveMethod::cholesky) require_symmetric(a);
    const std::int64_t n = a.rows;
    const std::int64_t m = b.cols;
    const std::vector<double> a64 = widened(a);
    const std::vector<double> b64 = widened(b);
    auto [x, rcond] = method == SolveMethod::lu ? solve_lu(n, m, a64, b64) : solve_cholesky(n, m, a64, b64);
    require_conditioned(rcond, options);
    SolveResult result;
    result.rcond = rcond;
    result.x = in_dtype(n, m, a.dtype, x);
    result.residual_norm = residual_norm(n, m, a64, x, b64);
    const double scale = frobenius(a64) * frobenius(x) + frobenius(b64);
    result.residual = scale > 0.0 ? result.residual_norm / scale : 0.0;
    return result;
}

}  // namespace forgehive::kernels::tensor
