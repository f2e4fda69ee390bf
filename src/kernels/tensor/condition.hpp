// A 1-norm estimate of the inverse of a factorised matrix (Hager's method as refined by Higham), for the
// reciprocal condition number that solve reports and checks. Private to kernels_tensor.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

namespace forgehive::kernels::tensor::factor {

using ApplyInverse = std::function<void(std::vector<double>&)>;

// Estimates ||A^-1||_1 from x -> A^-1 x and x -> A^-T x (N. J. Higham, "FORTRAN codes for estimating the
// one-norm of a real or complex matrix", ACM TOMS 14(4), 1988, Algorithm 4.1; LAPACK's DLACON). The
// estimate is a lower bound, almost always within a factor 3. Deterministic: fixed steps, first maxima.
double inverse_norm1_estimate(std::int64_t n, const ApplyInverse& inverse, const ApplyInverse& inverse_transposed);

// ||A||_1, the largest column sum of |a_ij| (row-major n x n), columns summed in row order.
double norm1(std::int64_t n, const std::vector<double>& a);

}  // namespace forgehive::kernels::tensor::factor
