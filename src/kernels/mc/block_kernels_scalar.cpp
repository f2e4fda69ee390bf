// The scalar build of the Monte Carlo block kernels (compile flags in src/CMakeLists.txt).
#define FORGEHIVE_MC_ISA_NS isa_scalar
#include "block_kernels.inc"
