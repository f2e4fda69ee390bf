// Matrix construction, element access, ISA selection and operand validation for the tensor kernels.
#include "forgehive/kernels/tensor/matrix.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace forgehive::kernels::tensor {
namespace {

template <typename T>
void check_finite(const std::vector<T>& data, std::int64_t cols, std::string_view name) {
    for (std::size_t i = 0; i < data.size(); ++i) {
        if (!std::isfinite(data[i])) {
            const auto index = static_cast<std::int64_t>(i);
            throw std::invalid_argument(fmt::format("{}: element ({}, {}) is not finite", name, index / cols, index % cols));
        }
    }
}

void check_storage(std::size_t used, std::size_t unused, std::int64_t expected, DType dtype, std::string_view name) {
    if (static_cast<std::int64_t>(used) != expected) {
        throw std::invalid_argument(fmt::format("{}: {} data holds {} elements, rows * cols is {}", name,
                                                dtype_name(dtype), used, expected));
    }
    if (unused != 0) {
        throw std::invalid_argument(
            fmt::format("{}: dtype is {}, but the other storage holds {} elements", name, dtype_name(dtype), unused));
    }
}

// Large results go on transparent huge pages where the kernel offers them on request (THP "madvise" mode,
// as on the project's machines): a 4 KiB page fault costs ~3 us there, 0.2 s for a 64 MiB result, about a
// quarter of the 4096 x 4096 GEMM itself. NumPy advises its large arrays the same way. Only a hint: if it
// fails, nothing changes but the time.
void advise_huge_pages(const void* data, std::size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    constexpr std::uintptr_t kHugePage = std::uintptr_t{2} << 20;
    if (bytes < 4 * kHugePage) return;
    const auto start = reinterpret_cast<std::uintptr_t>(data);
    const std::uintptr_t begin = (start + kHugePage - 1) & ~(kHugePage - 1);
    const std::uintptr_t end = (start + bytes) & ~(kHugePage - 1);
    if (end > begin) (void)madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#else
    (void)data;
    (void)bytes;
#endif
}

template <typename T>
void assign_zeros(std::vector<T>& v, std::size_t n) {
    v.reserve(n);  // allocated, not yet touched: the advice applies before the first page fault
    advise_huge_pages(v.data(), n * sizeof(T));
    v.assign(n, T(0));
}

}  // namespace

Matrix Matrix::zeros(std::int64_t rows, std::int64_t cols, DType dtype) {
    Matrix m{rows, cols, dtype, {}, {}};
    const auto n = static_cast<std::size_t>(rows * cols);
    if (dtype == DType::f32) {
        assign_zeros(m.f32, n);
    } else {
        assign_zeros(m.f64, n);
    }
    return m;
}

Matrix Matrix::from_f32(std::int64_t rows, std::int64_t cols, std::vector<float> data) {
    return Matrix{rows, cols, DType::f32, std::move(data), {}};
}

Matrix Matrix::from_f64(std::int64_t rows, std::int64_t cols, std::vector<double> data) {
    return Matrix{rows, cols, DType::f64, {}, std::move(data)};
}

double Matrix::at(std::int64_t row, std::int64_t col) const {
    const auto i = static_cast<std::size_t>(row * cols + col);
    return dtype == DType::f32 ? static_cast<double>(f32.at(i)) : f64.at(i);
}

std::string_view dtype_name(DType dtype) { return dtype == DType::f32 ? "f32" : "f64"; }

std::string_view kernel_isa_name(KernelIsa isa) {
    switch (isa) {
    case KernelIsa::best: return "best";
    case KernelIsa::generic: return "generic";
    case KernelIsa::avx2: return "avx2";
    case KernelIsa::avx512: return "avx512";
    }
    return "unknown";
}

bool kernel_isa_supported(KernelIsa isa) {
    switch (isa) {
    case KernelIsa::best:
    case KernelIsa::generic: return true;
#if defined(__x86_64__) && defined(__GNUC__)
    case KernelIsa::avx2: return __builtin_cpu_supports("avx2") != 0 && __builtin_cpu_supports("fma") != 0;
    case KernelIsa::avx512:
        return __builtin_cpu_supports("avx512f") != 0 && __builtin_cpu_supports("avx512dq") != 0 &&
               __builtin_cpu_supports("avx512vl") != 0 && __builtin_cpu_supports("avx512bw") != 0;
#endif
    default: return false;
    }
}

KernelIsa resolve_kernel_isa(KernelIsa requested) {
    if (requested == KernelIsa::best) {
        for (KernelIsa isa : {KernelIsa::avx512, KernelIsa::avx2}) {
            if (kernel_isa_supported(isa)) return isa;
        }
        return KernelIsa::generic;
    }
    if (!kernel_isa_supported(requested)) {
        throw std::invalid_argument(fmt::format("kernel ISA {} is not supported by this CPU", kernel_isa_name(requested)));
    }
    return requested;
}

void validate_matrix(const Matrix& m, std::string_view name, const TensorOptions& options) {
    if (m.rows <= 0) throw std::invalid_argument(fmt::format("{}: rows must be > 0 (got {})", name, m.rows));
    if (m.cols <= 0) throw std::invalid_argument(fmt::format("{}: cols must be > 0 (got {})", name, m.cols));
    if (m.rows > options.max_elements / m.cols) {
        throw std::invalid_argument(fmt::format("{}: rows * cols ({} x {}) exceeds max_elements {}", name, m.rows,
                                                m.cols, options.max_elements));
    }
    if (m.dtype == DType::f32) {
        check_storage(m.f32.size(), m.f64.size(), m.size(), m.dtype, name);
        check_finite(m.f32, m.cols, name);
    } else {
        check_storage(m.f64.size(), m.f32.size(), m.size(), m.dtype, name);
        check_finite(m.f64, m.cols, name);
    }
}

}  // namespace forgehive::kernels::tensor
