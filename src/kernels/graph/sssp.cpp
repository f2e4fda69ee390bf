// Dijkstra with a binary heap keyed by (distance, node id): the settle order, and with it every output,
// is a function of the graph alone.
#include "forgehive/kernels/graph/sssp.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <limits>
#include <optional>
#include <queue>
#include <stdexcept>
#include <utility>

namespace forgehive::kernels::graph {
namespace {

constexpr double kUnreached = std::numeric_limits<double>::infinity();

void check_node(NodeId id, std::size_t node_count, std::string_view what) {
    if (id >= node_count)
        throw std::invalid_argument(fmt::format("{}: node id {} is out of range [0, {})", what, id, node_count));
}

void check_options(const CsrGraph& graph, NodeId source, const SsspOptions& options) {
    check_node(source, graph.node_count(), "source");
    for (std::size_t i = 0; i < options.targets.size(); ++i)
        check_node(options.targets[i], graph.node_count(), fmt::format("targets[{}]", i));
    if (!options.targets.empty() && options.k_nearest)
        throw std::invalid_argument("targets, k_nearest: give at most one of them");
    if (options.k_nearest && *options.k_nearest == 0)
        throw std::invalid_argument("k_nearest: must be at least 1");
}

void check_weights(const CsrGraph& graph) {
    for (NodeId u = 0; u < graph.node_count(); ++u) {
        const auto weights = graph.weights(u);
        for (std::size_t i = 0; i < weights.size(); ++i) {
            if (weights[i] < 0.0)
                throw std::invalid_argument(fmt::format("edges: edge {} -> {} has negative weight {}; shortest "
                                                        "paths need non-negative weights",
                                                        u, graph.neighbors(u)[i], weights[i]));
        }
    }
}

// Counts down the distinct targets still unsettled; stop() is true once none is left.
class TargetCountdown {
public:
    TargetCountdown(std::size_t node_count, const std::vector<NodeId>& targets) {
        if (targets.empty()) return;
        pending_.assign(node_count, 0);
        for (NodeId t : targets) {
            if (!pending_[t]) ++remaining_;
            pending_[t] = 1;
        }
    }
    // Called once per settled node.
    bool settle_and_done(NodeId v) {
        if (pending_.empty() || !pending_[v]) return false;
        pending_[v] = 0;
        return --remaining_ == 0;
    }

private:
    std::vector<char> pending_;
    std::size_t remaining_ = 0;
};

using HeapEntry = std::pair<double, NodeId>;
using MinHeap = std::priority_queue<HeapEntry, std::vector<HeapEntry>, std::greater<>>;

// Relaxes u's out-edges. A node settled before v and tight for v's distance may replace a larger id as
// v's predecessor; settled nodes are never touched again.
void relax(const CsrGraph& graph, NodeId u, const std::vector<char>& settled, SsspResult& r, MinHeap& heap) {
    const auto targets = graph.neighbors(u);
    const auto weights = graph.weights(u);
    for (std::size_t i = 0; i < targets.size(); ++i) {
        const NodeId v = targets[i];
        if (settled[v]) continue;
        const double candidate = r.distances[u] + (weights.empty() ? 1.0 : weights[i]);
        if (candidate < r.distances[v]) {
            r.distances[v] = candidate;
            r.predecessors[v] = u;
            heap.emplace(candidate, v);
        } else if (candidate == r.distances[v] && u < r.predecessors[v]) {
            r.predecessors[v] = u;
        }
    }
}

// Zero-weight edges can settle a larger id before a smaller one at the same distance; sorting restores
// the documented (distance, id) order before the list is cut to the k nearest.
void rank_settled(SsspResult& r, std::size_t k) {
    std::sort(r.settled.begin(), r.settled.end(), [&](NodeId a, NodeId b) {
        return r.distances[a] < r.distances[b] || (r.distances[a] == r.distances[b] && a < b);
    });
    if (r.settled.size() > k) r.settled.resize(k);
}

}  // namespace

SsspResult sssp(const CsrGraph& graph, NodeId source, const SsspOptions& options) {
    check_options(graph, source, options);
    check_weights(graph);
    const std::size_t n = graph.node_count();
    SsspResult r{std::vector<double>(n, kUnreached), std::vector<NodeId>(n, kNoNode), {}};
    std::vector<char> settled(n, 0);
    TargetCountdown targets(n, options.targets);
    const std::size_t k = options.k_nearest.value_or(n);

    MinHeap heap;
    r.distances[source] = 0.0;
    heap.emplace(0.0, source);
    std::optional<double> cutoff;  // distance of the k-th settled node
    while (!heap.empty()) {
        const auto [distance, u] = heap.top();
        heap.pop();
        if (settled[u] || distance > r.distances[u]) continue;  // a stale entry
        // Past the k-th node, settling goes on through its distance: zero-weight edges can still reach
        // nodes at that distance with smaller ids, which rank before it.
        if (cutoff && distance > *cutoff) break;
        settled[u] = 1;
        r.settled.push_back(u);
        if (!cutoff && r.settled.size() == k) cutoff = distance;
        if (targets.settle_and_done(u)) break;
        relax(graph, u, settled, r, heap);
    }
    rank_settled(r, k);
    // Tentative labels of nodes a stop left unsettled are not shortest distances: drop them.
    for (std::size_t v = 0; v < n; ++v) {
        if (settled[v]) continue;
        r.distances[v] = kUnreached;
        r.predecessors[v] = kNoNode;
    }
    return r;
}

std::vector<NodeId> shortest_path(const SsspResult& result, NodeId target) {
    check_node(target, result.distances.size(), "target");
    std::vector<NodeId> path;
    if (result.distances[target] == kUnreached) return path;
    for (NodeId v = target; v != kNoNode; v = result.predecessors[v]) path.push_back(v);
    std::reverse(path.begin(), path.end());
    return path;
}

}  // namespace forgehive::kernels::graph
