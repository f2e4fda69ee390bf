// The AVX2 + FMA build of the GEMM kernel (flags in src/CMakeLists.txt): 6 x 16 f32 and 6 x 8 f64 register
// tiles, 12 ymm accumulators each.
#define FORGEHIVE_TENSOR_ISA_NS isa_avx2
#define FORGEHIVE_TENSOR_MR_F32 6
#define FORGEHIVE_TENSOR_NR_F32 16
#define FORGEHIVE_TENSOR_MR_F64 6
#define FORGEHIVE_TENSOR_NR_F64 8
#include "gemm_kernel.inc"
