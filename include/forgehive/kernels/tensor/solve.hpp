// Dense linear systems A X = B (docs/tensor-kernels.md): LU with partial pivoting, or Cholesky when the
// caller declares A symmetric positive definite, with a condition estimate and the backward error.
#pragma once

#include "forgehive/kernels/tensor/matrix.hpp"

namespace forgehive::kernels::tensor {

enum class SolveMethod { lu, cholesky };

struct SolveResult {
    Matrix x;                  // n x b.cols, in a's dtype (an f32 system is solved in f64 and x rounded)
    double residual = 0;       // normwise backward error ||A x - B||_F / (||A||_F ||x||_F + ||B||_F)
    double residual_norm = 0;  // ||A x - B||_F, both with x as returned
    double rcond = 0;          // reciprocal 1-norm condition estimate 1 / (||A||_1 est(||A^-1||_1))
};

// Solves A X = B for square A (n x n) and B (n x m). Throws std::invalid_argument naming the operand and
// the rule when an operand is invalid (validate_matrix), the dtypes differ, A is not square, n exceeds
// options.max_solve_dimension, or b.rows != n; for cholesky also when A is not symmetric (to 64 ulps of
// its dtype). Throws std::domain_error when A is singular: an exact zero pivot (LU), a pivot that is not
// positive (Cholesky: A is not positive definite), or rcond below options.min_rcond.
SolveResult solve(const Matrix& a, const Matrix& b, SolveMethod method = SolveMethod::lu,
                  const TensorOptions& options = {});

}  // namespace forgehive::kernels::tensor
