// The tensor family as hub Workloads (docs/tensor-kernels.md, "Forge API"): matmul in fixed blocks of rows
// of A, solve as one unit, reduce in kReduceUnitRows blocks; outputs rendered in the documented member order.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "forgehive/hub/workload.hpp"
#include "forgehive/kernels/tensor/matrix.hpp"
#include "forgehive/kernels/tensor/reduce.hpp"
#include "forgehive/kernels/tensor/solve.hpp"

namespace forgehive::hub {

// Rows of A (and of C) per matmul unit. A contract constant: it fixes how work is planned and billed per
// shard; the bits of c do not depend on it (each element is one fma chain, docs/tensor-kernels.md).
constexpr std::int64_t kMatmulUnitRows = 64;

// Output matrices of at most this many elements are rendered with `data` (JSON numbers), larger ones as a
// reference to their bytes (an OutputBlob). A contract constant, not config, so output bytes never
// depend on config.
constexpr std::int64_t kInlineDataMaxElements = 4096;

// Operands are valid and consistent (api::parse_tensor_args checked them).
std::unique_ptr<Workload> make_matmul_workload(kernels::tensor::Matrix a, kernels::tensor::Matrix b,
                                               const kernels::tensor::TensorOptions& options);
// Run throws HubError("execution_failed") with the kernel's message when A is singular.
std::unique_ptr<Workload> make_solve_workload(kernels::tensor::Matrix a, kernels::tensor::Matrix b,
                                              kernels::tensor::SolveMethod method, bool b_is_vector,
                                              const kernels::tensor::TensorOptions& options);
std::unique_ptr<Workload> make_reduce_workload(kernels::tensor::Matrix x, kernels::tensor::ReduceAxis axis,
                                               std::vector<kernels::tensor::ReduceOp> ops,
                                               const kernels::tensor::TensorOptions& options);

// The public form of a matrix: {shape, dtype, data} (flat row-major, the exact value of every element as
// a JSON number) when it has at most kInlineDataMaxElements elements, all finite; otherwise a reference
// {shape, dtype, artifact, media_type, bytes} to its little-endian row-major bytes, whose blob
// matrix_blob returns (the gateway sends it inline as base64 or as an artifact). `vector` writes
// shape [n] for an n x 1.
nlohmann::ordered_json render_matrix(const kernels::tensor::Matrix& m, bool vector = false);
// The bytes a referenced matrix's form names; nullopt when render_matrix inlines it.
std::optional<OutputBlob> matrix_blob(const kernels::tensor::Matrix& m);

// "sha256:<hex>" of the matrix's little-endian row-major bytes (c_hash).
std::string matrix_sha256(const kernels::tensor::Matrix& m);

}  // namespace forgehive::hub
