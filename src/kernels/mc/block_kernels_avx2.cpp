// The avx2 build of the Monte Carlo block kernels (compile flags in src/CMakeLists.txt).
#define FORGEHIVE_MC_ISA_NS isa_avx2
#include "block_kernels.inc"
