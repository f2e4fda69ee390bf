// Each family's entry point, called by prepare_work once op.name has chosen the family.
#pragma once

#include "forgehive/gateway/families.hpp"

namespace forgehive::gateway {

// tensor_family.cpp: tensor.matmul.v1, tensor.solve.v1, tensor.reduce.v1.
PreparedWork prepare_tensor_work(const api::OpIdentity& op, const nlohmann::json& args, const FamilyOptions& options,
                                 const api::ArtifactResolver& artifacts);

// graph_family.cpp: graph.pagerank.v1, graph.sssp.v1, graph.bfs.v1, graph.components.v1.
PreparedWork prepare_graph_work(const api::OpIdentity& op, const nlohmann::json& args, const FamilyOptions& options,
                                const api::ArtifactResolver& artifacts);

}  // namespace forgehive::gateway
