// The AVX-512 build of the GEMM kernel (flags in src/CMakeLists.txt): 6 x 64 f32 and 6 x 32 f64 register
// tiles, 24 zmm accumulators each (the fastest of 6, 7, 8, 12 and 14 rows measured on this machine).
#define FORGEHIVE_TENSOR_ISA_NS isa_avx512
#define FORGEHIVE_TENSOR_MR_F32 6
#define FORGEHIVE_TENSOR_NR_F32 64
#define FORGEHIVE_TENSOR_MR_F64 6
#define FORGEHIVE_TENSOR_NR_F64 32
#include "gemm_kernel.inc"
