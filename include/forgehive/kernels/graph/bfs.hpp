// Breadth-first levels from a source, following out-edges (both directions when undirected).
#pragma once

#include "forgehive/kernels/graph/csr_graph.hpp"

#include <cstdint>
#include <optional>
#include <vector>

namespace forgehive::kernels::graph {

struct BfsResult {
    std::vector<std::int64_t> levels;  // hops from the source; -1 when unreachable or beyond the limit
    std::vector<NodeId> order;         // visit (queue) order; canonical rows make it deterministic
};

// Throws std::invalid_argument for a source out of range or a negative depth limit.
BfsResult bfs(const CsrGraph& graph, NodeId source, std::optional<std::int64_t> depth_limit = std::nullopt);

}  // namespace forgehive::kernels::graph
