// Unblocked LU (partial pivoting) and Cholesky factorisations in f64 with a fixed operation order, and
// the triangular solves that use them. Private to kernels_tensor; solve.cpp validates before calling.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace forgehive::kernels::tensor::factor {

// P A = L U, row-major n x n: U on and above the diagonal, L's multipliers below (unit diagonal implied).
// perm[i] is the row of A that became row i.
struct Lu {
    std::int64_t n = 0;
    std::vector<double> lu;
    std::vector<std::int64_t> perm;
};

// A = L L^T, L lower triangular, row-major n x n (upper part zero).
struct Cholesky {
    std::int64_t n = 0;
    std::vector<double> l;
};

// Factorises a (row-major n x n). Returns the column of the first exact zero pivot, if any.
std::optional<std::int64_t> lu_factor(std::int64_t n, std::vector<double> a, Lu& out);
// Overwrites rhs (n x m, row-major) with A^-1 rhs.
void lu_solve(const Lu& f, std::vector<double>& rhs, std::int64_t m);
// Overwrites v (n) with A^-T v.
void lu_solve_transposed(const Lu& f, std::vector<double>& v);

// Factorises a (row-major n x n, only the lower triangle read). Returns the column whose pivot is not
// positive (A is not positive definite), if any.
std::optional<std::int64_t> cholesky_factor(std::int64_t n, const std::vector<double>& a, Cholesky& out);
// Overwrites rhs (n x m, row-major) with A^-1 rhs.
void cholesky_solve(const Cholesky& f, std::vector<double>& rhs, std::int64_t m);

}  // namespace forgehive::kernels::tensor::factor
