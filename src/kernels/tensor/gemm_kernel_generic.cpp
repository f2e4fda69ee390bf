// The portable build of the GEMM kernel: no vector FMA, so each std::fma is a call to libm's correctly
// rounded fma. Slow, but it gives the same bits as the vector builds on any CPU.
#define FORGEHIVE_TENSOR_ISA_NS isa_generic
#define FORGEHIVE_TENSOR_MR_F32 4
#define FORGEHIVE_TENSOR_NR_F32 4
#define FORGEHIVE_TENSOR_MR_F64 4
#define FORGEHIVE_TENSOR_NR_F64 4
#include "gemm_kernel.inc"
