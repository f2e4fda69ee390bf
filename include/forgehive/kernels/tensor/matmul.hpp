// Deterministic GEMM C = A B for f32 and f64 (docs/tensor-kernels.md): every element of C is one chain of
// fused multiply-adds over k ascending, so its bits do not depend on row sharding, blocking, vector width
// or the thread count.
#pragma once

#include "forgehive/kernels/tensor/matrix.hpp"

#include <cstdint>

namespace forgehive::kernels::tensor {

// C = A B, a.rows x b.cols, in the operands' dtype. Throws std::invalid_argument (naming the operand and
// the rule) when an operand is invalid (validate_matrix), the dtypes differ, a.cols != b.rows, or the
// result would exceed options.max_elements.
Matrix matmul(const Matrix& a, const Matrix& b, const TensorOptions& options = {});

// Rows [first_row, first_row + row_count) of A B, as a row_count x b.cols matrix whose bits equal those
// rows of matmul(a, b): the shard form. Also throws std::invalid_argument when the row range is empty or
// leaves [0, a.rows).
Matrix matmul_rows(const Matrix& a, const Matrix& b, std::int64_t first_row, std::int64_t row_count,
                   const TensorOptions& options = {});

}  // namespace forgehive::kernels::tensor
