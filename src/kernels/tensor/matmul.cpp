// matmul and its row-shard form: validation, then the GEMM build for the chosen ISA (gemm_kernel.inc).
#include "forgehive/kernels/tensor/matmul.hpp"

#include "gemm_kernel.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace forgehive::kernels::tensor {
namespace {

void validate_operands(const Matrix& a, const Matrix& b, const TensorOptions& options) {
    validate_matrix(a, "a", options);
    validate_matrix(b, "b", options);
    if (a.dtype != b.dtype) {
        throw std::invalid_argument(
            fmt::format("matmul: a and b must have the same dtype (a is {}, b is {})", dtype_name(a.dtype), dtype_name(b.dtype)));
    }
    if (a.cols != b.rows) {
        throw std::invalid_argument(fmt::format("matmul: a.cols ({}) must equal b.rows ({})", a.cols, b.rows));
    }
    if (a.rows > options.max_elements / b.cols) {
        throw std::invalid_argument(fmt::format("matmul: c = a.rows x b.cols ({} x {}) exceeds max_elements {}", a.rows,
                                                b.cols, options.max_elements));
    }
}

template <typename T>
gemm::GemmArgs<T> rows_of(const std::vector<T>& a, const Matrix& am, const std::vector<T>& b, const Matrix& bm,
                          std::vector<T>& c, std::int64_t first_row, std::int64_t row_count) {
    return {a.data() + first_row * am.cols, am.cols, b.data(), bm.cols, c.data(), bm.cols, row_count, bm.cols, am.cols};
}

void run_gemm(KernelIsa isa, const gemm::GemmArgs<float>& g) {
    switch (isa) {
    case KernelIsa::avx512: gemm::isa_avx512::gemm_f32(g); return;
    case KernelIsa::avx2: gemm::isa_avx2::gemm_f32(g); return;
    default: gemm::isa_generic::gemm_f32(g); return;
    }
}

void run_gemm(KernelIsa isa, const gemm::GemmArgs<double>& g) {
    switch (isa) {
    case KernelIsa::avx512: gemm::isa_avx512::gemm_f64(g); return;
    case KernelIsa::avx2: gemm::isa_avx2::gemm_f64(g); return;
    default: gemm::isa_generic::gemm_f64(g); return;
    }
}

Matrix compute_rows(const Matrix& a, const Matrix& b, std::int64_t first_row, std::int64_t row_count, KernelIsa isa) {
    Matrix c = Matrix::zeros(row_count, b.cols, a.dtype);
    if (a.dtype == DType::f32) {
        run_gemm(isa, rows_of(a.f32, a, b.f32, b, c.f32, first_row, row_count));
    } else {
        run_gemm(isa, rows_of(a.f64, a, b.f64, b, c.f64, first_row, row_count));
    }
    return c;
}

}  // namespace

Matrix matmul(const Matrix& a, const Matrix& b, const TensorOptions& options) {
    validate_operands(a, b, options);
    return compute_rows(a, b, 0, a.rows, resolve_kernel_isa(options.isa));
}

Matrix matmul_rows(const Matrix& a, const Matrix& b, std::int64_t first_row, std::int64_t row_count,
                   const TensorOptions& options) {
    validate_operands(a, b, options);
    if (first_row < 0 || first_row >= a.rows) {
        throw std::invalid_argument(fmt::format("matmul_rows: first_row ({}) must be in [0, a.rows = {})", first_row, a.rows));
    }
    if (row_count <= 0 || row_count > a.rows - first_row) {
        throw std::invalid_argument(fmt::format("matmul_rows: row_count ({}) must be in [1, a.rows - first_row = {}]",
                                                row_count, a.rows - first_row));
    }
    return compute_rows(a, b, first_row, row_count, resolve_kernel_isa(options.isa));
}

}  // namespace forgehive::kernels::tensor
