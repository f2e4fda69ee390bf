// The per-ISA builds of the blocked GEMM (gemm_kernel.inc), each in its own namespace, and the arguments
// they share. Private to kernels_tensor.
#pragma once

#include <cstdint>

namespace forgehive::kernels::tensor::gemm {

// C (m x n, leading dimension ldc) = A (m x k, lda) B (k x n, ldb), all row-major. C is overwritten.
template <typename T>
struct GemmArgs {
    const T* a = nullptr;
    std::int64_t lda = 0;
    const T* b = nullptr;
    std::int64_t ldb = 0;
    T* c = nullptr;
    std::int64_t ldc = 0;
    std::int64_t m = 0;
    std::int64_t n = 0;
    std::int64_t k = 0;
};

#define FORGEHIVE_TENSOR_DECLARE_GEMM(ns)      \
    namespace ns {                             \
    void gemm_f32(const GemmArgs<float>& g);   \
    void gemm_f64(const GemmArgs<double>& g);  \
    }
FORGEHIVE_TENSOR_DECLARE_GEMM(isa_generic)
FORGEHIVE_TENSOR_DECLARE_GEMM(isa_avx2)
FORGEHIVE_TENSOR_DECLARE_GEMM(isa_avx512)
#undef FORGEHIVE_TENSOR_DECLARE_GEMM

}  // namespace forgehive::kernels::tensor::gemm
