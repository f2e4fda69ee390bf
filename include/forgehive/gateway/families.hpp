// The primitive families the gateway can run: each turns a validated envelope's op and args into a
// hub Workload. New families register in families.cpp.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>

#include "forgehive/api/artifact_ref.hpp"
#include "forgehive/api/forge_request.hpp"
#include "forgehive/hub/workload.hpp"
#include "forgehive/kernels/graph/csr_graph.hpp"
#include "forgehive/kernels/tensor/matrix.hpp"

namespace forgehive::gateway {

struct PreparedWork {
    std::shared_ptr<const hub::Workload> workload;
    // What pricing counts, known at admission: iterations (mc), multiply-adds or elements (tensor),
    // edge visits for the declared iteration bound (graph). See docs/tensor-kernels.md, graph-kernels.md.
    std::uint64_t billable_work = 0;
};

// Operator limits on family inputs (config keys graph.* and tensor.*).
struct FamilyOptions {
    kernels::graph::GraphLimits graph{};
    kernels::tensor::TensorOptions tensor{};
};

// Throws core::ApiError(invalid_request) for an unknown family/profile/version or bad args, and
// ApiError(hub_unavailable) for a family this deployment does not run.
PreparedWork prepare_work(const api::OpIdentity& op, const nlohmann::json& args,
                          const std::array<std::uint8_t, 32>& root_seed, const FamilyOptions& options,
                          const api::ArtifactResolver& artifacts);

}  // namespace forgehive::gateway
