// Dense row-major matrices for the tensor kernels (docs/tensor-kernels.md): the value type, the options
// that bound every operand, and the validation each kernel runs before it allocates anything.
#pragma once

#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

namespace forgehive::kernels::tensor {

struct Matrix {
    enum class DType { f32, f64 };

    std::int64_t rows = 0;
    std::int64_t cols = 0;
    DType dtype = DType::f64;
    std::vector<float> f32;   // the rows * cols elements, row-major, when dtype is f32 (f64 stays empty)
    std::vector<double> f64;  // the rows * cols elements, row-major, when dtype is f64 (f32 stays empty)

    static Matrix zeros(std::int64_t rows, std::int64_t cols, DType dtype);
    static Matrix from_f32(std::int64_t rows, std::int64_t cols, std::vector<float> data);
    static Matrix from_f64(std::int64_t rows, std::int64_t cols, std::vector<double> data);

    std::int64_t size() const { return rows * cols; }
    double at(std::int64_t row, std::int64_t col) const;  // the element, widened to double
};

using DType = Matrix::DType;

// Which build of the GEMM micro-kernel runs. Every build gives the same bits (each output element is the
// same chain of fused multiply-adds); `best` picks the widest the CPU has. Tests name one explicitly.
enum class KernelIsa { best, generic, avx2, avx512 };

struct TensorOptions {
    // Largest rows * cols of any operand or result (2^24 elements: 64 MiB of f32, 128 MiB of f64).
    std::int64_t max_elements = std::int64_t{1} << 24;
    // Largest n of an n x n system for solve (its factorisation is unblocked, O(n^3)).
    std::int64_t max_solve_dimension = 2048;
    // solve refuses a system whose reciprocal 1-norm condition estimate is below this: LAPACK's
    // "singular to working precision" test (xGESVX returns INFO = N+1 when RCOND < EPS).
    double min_rcond = std::numeric_limits<double>::epsilon();
    KernelIsa isa = KernelIsa::best;
};

std::string_view dtype_name(DType dtype);
std::string_view kernel_isa_name(KernelIsa isa);
bool kernel_isa_supported(KernelIsa isa);
// `best` becomes the widest supported build; an explicit build the CPU lacks throws std::invalid_argument.
KernelIsa resolve_kernel_isa(KernelIsa requested);

// Throws std::invalid_argument naming `name` and the rule when: rows or cols is not positive, rows * cols
// exceeds options.max_elements, the storage of the dtype does not hold exactly rows * cols elements (or
// the other storage is not empty), or an element is NaN or infinite.
void validate_matrix(const Matrix& m, std::string_view name, const TensorOptions& options);

}  // namespace forgehive::kernels::tensor
