// Single-source shortest paths on non-negative weights: Dijkstra with a binary heap keyed by (distance,
// node id), so that distances, predecessors and the settle order are deterministic.
#pragma once

#include "forgehive/kernels/graph/csr_graph.hpp"

#include <cstddef>
#include <optional>
#include <vector>

namespace forgehive::kernels::graph {

// At most one of targets and k_nearest; neither settles every reachable node.
struct SsspOptions {
    std::vector<NodeId> targets{};          // stop once all of them are settled (or unreachable)
    std::optional<std::size_t> k_nearest{}; // stop after this many settled nodes, the source included
};

struct SsspResult {
    std::vector<double> distances;     // +infinity where not settled (unreachable, or cut off by a stop)
    std::vector<NodeId> predecessors;  // kNoNode for the source and for nodes not settled
    std::vector<NodeId> settled;       // settled nodes by ascending (distance, node id); with k_nearest
                                       // the first k (distances cover all nodes at the k-th distance)
};

// Among the in-neighbours u settled before v with distance(u) + w(u, v) == distance(v), v's predecessor
// is the smallest id; following predecessors from a settled node always ends at the source. A path
// whose length overflows double (weights near 1e308) counts as unreachable. Unweighted graphs weigh 1 per edge; parallel edges count with their lightest weight.
// Throws std::invalid_argument for a source or target out of range, both targets and k_nearest, a
// k_nearest of 0, or a negative edge weight (naming the edge).
SsspResult sssp(const CsrGraph& graph, NodeId source, const SsspOptions& options);

// Nodes from the source to target along the predecessors; empty when target was not settled.
std::vector<NodeId> shortest_path(const SsspResult& result, NodeId target);

}  // namespace forgehive::kernels::graph
