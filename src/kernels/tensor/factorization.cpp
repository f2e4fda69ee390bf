// LU with partial pivoting and Cholesky, unblocked and in f64, so that every element's operations happen in
// one fixed order (k ascending) on every host: no cache-size-dependent blocking as in Eigen's blocked LU.
// Row operations run over contiguous rows, which the compiler may vectorise without changing any order.
#include "factorization.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace forgehive::kernels::tensor::factor {
namespace {

std::size_t at(std::int64_t row, std::int64_t col, std::int64_t width) {
    return static_cast<std::size_t>(row * width + col);
}

// row_i[j] -= factor * row_k[j] for j in [0, count), one rounding for the product and one for the difference.
void subtract_scaled(double* row_i, const double* row_k, double factor, std::int64_t count) {
    for (std::int64_t j = 0; j < count; ++j) row_i[j] -= factor * row_k[j];
}

std::int64_t pivot_row(const std::vector<double>& a, std::int64_t n, std::int64_t k) {
    std::int64_t best = k;
    for (std::int64_t i = k + 1; i < n; ++i) {
        if (std::fabs(a[at(i, k, n)]) > std::fabs(a[at(best, k, n)])) best = i;  // first of equal maxima
    }
    return best;
}

}  // namespace

std::optional<std::int64_t> lu_factor(std::int64_t n, std::vector<double> a, Lu& out) {
    out.n = n;
    out.perm.resize(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) out.perm[static_cast<std::size_t>(i)] = i;
    for (std::int64_t k = 0; k < n; ++k) {
        const std::int64_t p = pivot_row(a, n, k);
        if (a[at(p, k, n)] == 0.0) return k;
        if (p != k) {
            std::swap_ranges(a.begin() + static_cast<std::ptrdiff_t>(at(k, 0, n)),
                             a.begin() + static_cast<std::ptrdiff_t>(at(k + 1, 0, n)),
                             a.begin() + static_cast<std::ptrdiff_t>(at(p, 0, n)));
            std::swap(out.perm[static_cast<std::size_t>(k)], out.perm[static_cast<std::size_t>(p)]);
        }
        const double pivot = a[at(k, k, n)];
        for (std::int64_t i = k + 1; i < n; ++i) {
            const double l = a[at(i, k, n)] / pivot;
            a[at(i, k, n)] = l;
            subtract_scaled(&a[at(i, k + 1, n)], &a[at(k, k + 1, n)], l, n - k - 1);
        }
    }
    out.lu = std::move(a);
    return std::nullopt;
}

void lu_solve(const Lu& f, std::vector<double>& rhs, std::int64_t m) {
    const std::int64_t n = f.n;
    std::vector<double> y(rhs.size());
    for (std::int64_t i = 0; i < n; ++i) {
        std::copy_n(&rhs[at(f.perm[static_cast<std::size_t>(i)], 0, m)], m, &y[at(i, 0, m)]);
    }
    for (std::int64_t i = 0; i < n; ++i) {
        for (std::int64_t k = 0; k < i; ++k) subtract_scaled(&y[at(i, 0, m)], &y[at(k, 0, m)], f.lu[at(i, k, n)], m);
    }
    for (std::int64_t i = n - 1; i >= 0; --i) {
        for (std::int64_t k = i + 1; k < n; ++k) subtract_scaled(&y[at(i, 0, m)], &y[at(k, 0, m)], f.lu[at(i, k, n)], m);
        const double diagonal = f.lu[at(i, i, n)];
        for (std::int64_t j = 0; j < m; ++j) y[at(i, j, m)] /= diagonal;
    }
    rhs = std::move(y);
}

// A^T = U^T L^T P: forward substitution with U^T, back substitution with L^T, then undo the permutation.
void lu_solve_transposed(const Lu& f, std::vector<double>& v) {
    const std::int64_t n = f.n;
    std::vector<double> w(v);
    for (std::int64_t i = 0; i < n; ++i) {
        double s = w[static_cast<std::size_t>(i)];
        for (std::int64_t k = 0; k < i; ++k) s -= f.lu[at(k, i, n)] * w[static_cast<std::size_t>(k)];
        w[static_cast<std::size_t>(i)] = s / f.lu[at(i, i, n)];
    }
    for (std::int64_t i = n - 1; i >= 0; --i) {
        double s = w[static_cast<std::size_t>(i)];
        for (std::int64_t k = i + 1; k < n; ++k) s -= f.lu[at(k, i, n)] * w[static_cast<std::size_t>(k)];
        w[static_cast<std::size_t>(i)] = s;
    }
    for (std::int64_t i = 0; i < n; ++i) v[static_cast<std::size_t>(f.perm[static_cast<std::size_t>(i)])] = w[static_cast<std::size_t>(i)];
}

// Row-oriented Cholesky-Crout: l_ij = (a_ij - sum_{k<j} l_ik l_jk) / l_jj, the sum taken k ascending.
std::optional<std::int64_t> cholesky_factor(std::int64_t n, const std::vector<double>& a, Cholesky& out) {
    out.n = n;
    out.l.assign(static_cast<std::size_t>(n * n), 0.0);
    std::vector<double>& l = out.l;
    for (std::int64_t i = 0; i < n; ++i) {
        for (std::int64_t j = 0; j <= i; ++j) {
            double s = a[at(i, j, n)];
            for (std::int64_t k = 0; k < j; ++k) s -= l[at(i, k, n)] * l[at(j, k, n)];
            if (i == j) {
                if (!(s > 0.0)) return i;
                l[at(i, i, n)] = std::sqrt(s);
            } else {
                l[at(i, j, n)] = s / l[at(j, j, n)];
            }
        }
    }
    return std::nullopt;
}

void cholesky_solve(const Cholesky& f, std::vector<double>& rhs, std::int64_t m) {
    const std::int64_t n = f.n;
    for (std::int64_t i = 0; i < n; ++i) {
        for (std::int64_t k = 0; k < i; ++k) subtract_scaled(&rhs[at(i, 0, m)], &rhs[at(k, 0, m)], f.l[at(i, k, n)], m);
        const double diagonal = f.l[at(i, i, n)];
        for (std::int64_t j = 0; j < m; ++j) rhs[at(i, j, m)] /= diagonal;
    }
    for (std::int64_t i = n - 1; i >= 0; --i) {
        for (std::int64_t k = i + 1; k < n; ++k) subtract_scaled(&rhs[at(i, 0, m)], &rhs[at(k, 0, m)], f.l[at(k, i, n)], m);
        const double diagonal = f.l[at(i, i, n)];
        for (std::int64_t j = 0; j < m; ++j) rhs[at(i, j, m)] /= diagonal;
    }
}

}  // namespace forgehive::kernels::tensor::factor
