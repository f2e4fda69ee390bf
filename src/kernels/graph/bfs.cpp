// Breadth-first search with a vector as the queue; canonical rows make the visit order deterministic.
#include "forgehive/kernels/graph/bfs.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace forgehive::kernels::graph {

BfsResult bfs(const CsrGraph& graph, NodeId source, std::optional<std::int64_t> depth_limit) {
    if (source >= graph.node_count())
        throw std::invalid_argument(
            fmt::format("source: node id {} is out of range [0, {})", source, graph.node_count()));
    if (depth_limit && *depth_limit < 0)
        throw std::invalid_argument(fmt::format("depth_limit: {} must not be negative", *depth_limit));

    BfsResult r{std::vector<std::int64_t>(graph.node_count(), -1), {}};
    r.levels[source] = 0;
    r.order.push_back(source);
    for (std::size_t head = 0; head < r.order.size(); ++head) {
        const NodeId u = r.order[head];
        const std::int64_t next_level = r.levels[u] + 1;
        if (depth_limit && next_level > *depth_limit) break;  // levels only grow along the queue
        for (NodeId v : graph.neighbors(u)) {
            if (r.levels[v] != -1) continue;
            r.levels[v] = next_level;
            r.order.push_back(v);
        }
    }
    return r;
}

}  // namespace forgehive::kernels::graph
