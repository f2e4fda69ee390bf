// `args` of the tensor family's profiles (matmul.v1, solve.v1, reduce.v1) as typed kernel arguments:
// matrices inline, in base64 or as artifacts, checked in full before the hub sees them (docs/tensor-kernels.md).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <variant>
#include <vector>

#include "forgehive/api/artifact_ref.hpp"
#include "forgehive/kernels/tensor/matrix.hpp"
#include "forgehive/kernels/tensor/reduce.hpp"
#include "forgehive/kernels/tensor/solve.hpp"

namespace forgehive::api {

struct MatmulArgs {
    kernels::tensor::Matrix a;
    kernels::tensor::Matrix b;
};

struct SolveArgs {
    kernels::tensor::Matrix a;
    kernels::tensor::Matrix b;  // n x m; a vector b (shape [n]) is n x 1 with b_is_vector set
    kernels::tensor::SolveMethod method = kernels::tensor::SolveMethod::lu;
    bool b_is_vector = false;  // x is then returned with shape [n] too
};

struct ReduceArgs {
    kernels::tensor::Matrix x;
    kernels::tensor::ReduceAxis axis = kernels::tensor::ReduceAxis::all;
    std::vector<kernels::tensor::ReduceOp> ops;  // in request order, no repeats
};

using TensorArgs = std::variant<MatmulArgs, SolveArgs, ReduceArgs>;

// A matrix argument at `field` ("args.a"), before the cross-operand checks.
struct MatrixArg {
    kernels::tensor::Matrix matrix;
    bool vector = false;  // its shape had one dimension, [n] (read as n x 1)
};

// One matrix object: {shape, dtype, data} (flat or nested rows), {shape, dtype, base64} or {artifact}
// with optional shape and dtype. A one-dimensional shape is accepted only when allow_vector is set.
// Sizes are checked against options.max_elements before anything is allocated; every element must be
// finite. Throws core::ApiError("invalid_request", 400) naming the field path and the rule.
MatrixArg parse_matrix(const nlohmann::json& value, const std::string& field, bool allow_vector,
                       const kernels::tensor::TensorOptions& options, const ArtifactResolver& artifacts);

// The whole `args` object of `profile`; unknown members, shape mismatches between operands, a result
// above max_elements, a solve above max_solve_dimension and a non-symmetric matrix declared for
// cholesky are all errors here. Throws core::ApiError("invalid_request", 400) naming the field.
TensorArgs parse_tensor_args(const std::string& profile, const nlohmann::json& args,
                             const kernels::tensor::TensorOptions& options, const ArtifactResolver& artifacts);

}  // namespace forgehive::api
