// CSR construction: limits and endpoints checked before allocation, counting sort by source, then each
// row sorted by (neighbour, weight) so that the graph is a function of the edge multiset alone.
#include "forgehive/kernels/graph/csr_graph.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <tuple>
#include <utility>

namespace forgehive::kernels::graph {
namespace {

void check_limits(std::size_t node_count, std::size_t edge_count, const GraphLimits& limits) {
    if (limits.max_nodes > kMaxNodeCapacity)
        throw std::invalid_argument(
            fmt::format("limits.max_nodes: {} is above the node id capacity {}", limits.max_nodes, kMaxNodeCapacity));
    if (node_count == 0) throw std::invalid_argument("nodes: the graph is empty (node count must be at least 1)");
    if (node_count > limits.max_nodes)
        throw std::invalid_argument(
            fmt::format("nodes: node count {} is above the limit max_nodes = {}", node_count, limits.max_nodes));
    if (edge_count > limits.max_edges)
        throw std::invalid_argument(
            fmt::format("edges: edge count {} is above the limit max_edges = {}", edge_count, limits.max_edges));
}

void check_endpoint(std::int64_t id, std::size_t node_count, std::size_t index, const char* end) {
    if (id < 0 || static_cast<std::uint64_t>(id) >= node_count)
        throw std::invalid_argument(
            fmt::format("edges[{}].{}: node id {} is out of range [0, {})", index, end, id, node_count));
}

void check_edges(std::size_t node_count, std::span<const Edge> edges) {
    for (std::size_t i = 0; i < edges.size(); ++i) {
        check_endpoint(edges[i].source, node_count, i, "source");
        check_endpoint(edges[i].target, node_count, i, "target");
        if (!std::isfinite(edges[i].weight))
            throw std::invalid_argument(fmt::format("edges[{}].weight: {} is not finite", i, edges[i].weight));
    }
}

bool stored_twice(const Edge& e, bool directed) { return !directed && e.source != e.target; }

// Row starts from the out-degrees (prefix sums).
std::vector<std::uint64_t> row_offsets(std::size_t node_count, std::span<const Edge> edges, bool directed) {
    std::vector<std::uint64_t> offsets(node_count + 1, 0);
    for (const Edge& e : edges) {
        ++offsets[static_cast<std::size_t>(e.source) + 1];
        if (stored_twice(e, directed)) ++offsets[static_cast<std::size_t>(e.target) + 1];
    }
    for (std::size_t v = 0; v < node_count; ++v) offsets[v + 1] += offsets[v];
    return offsets;
}

// Sorts each row by (neighbour, weight). -0.0 was already made +0.0, so the order is total.
void sort_rows(const std::vector<std::uint64_t>& offsets, std::vector<NodeId>& neighbors,
               std::vector<double>& weights) {
    std::vector<std::pair<NodeId, double>> row;
    for (std::size_t v = 0; v + 1 < offsets.size(); ++v) {
        const auto begin = offsets[v];
        const auto end = offsets[v + 1];
        if (weights.empty()) {
            std::sort(neighbors.begin() + static_cast<std::ptrdiff_t>(begin),
                      neighbors.begin() + static_cast<std::ptrdiff_t>(end));
            continue;
        }
        row.clear();
        for (auto i = begin; i < end; ++i) row.emplace_back(neighbors[i], weights[i]);
        std::sort(row.begin(), row.end());
        for (auto i = begin; i < end; ++i) std::tie(neighbors[i], weights[i]) = row[i - begin];
    }
}

}  // namespace

CsrGraph::CsrGraph(std::size_t node_count, bool directed, std::vector<std::uint64_t> offsets,
                   std::vector<NodeId> neighbors, std::vector<double> weights)
    : node_count_(node_count),
      directed_(directed),
      offsets_(std::move(offsets)),
      neighbors_(std::move(neighbors)),
      weights_(std::move(weights)) {
    if (node_count_ == 0 || node_count_ > kMaxNodeCapacity)
        throw std::invalid_argument(fmt::format("CsrGraph: node count {} is out of range", node_count_));
    if (offsets_.size() != node_count_ + 1 || offsets_.front() != 0 || offsets_.back() != neighbors_.size())
        throw std::invalid_argument("CsrGraph: offsets must run from 0 to the neighbour count, one per node plus one");
    if (!std::is_sorted(offsets_.begin(), offsets_.end()))
        throw std::invalid_argument("CsrGraph: offsets must not decrease");
    if (std::any_of(neighbors_.begin(), neighbors_.end(), [&](NodeId u) { return u >= node_count_; }))
        throw std::invalid_argument("CsrGraph: a neighbour id is out of range");
    if (!weights_.empty() && weights_.size() != neighbors_.size())
        throw std::invalid_argument("CsrGraph: weights must be empty or one per neighbour");
}

std::span<const NodeId> CsrGraph::neighbors(NodeId v) const {
    return std::span<const NodeId>(neighbors_).subspan(offsets_[v], degree(v));
}

std::span<const double> CsrGraph::weights(NodeId v) const {
    if (weights_.empty()) return {};
    return std::span<const double>(weights_).subspan(offsets_[v], degree(v));
}

CsrGraph build_graph(std::size_t node_count, std::span<const Edge> edges, const GraphOptions& options) {
    check_limits(node_count, edges.size(), options.limits);
    check_edges(node_count, edges);
    auto offsets = row_offsets(node_count, edges, options.directed);
    const bool weighted = std::any_of(edges.begin(), edges.end(), [](const Edge& e) { return e.weight != 1.0; });

    std::vector<NodeId> neighbors(offsets.back());
    std::vector<double> weights(weighted ? offsets.back() : 0);
    std::vector<std::uint64_t> next(offsets.begin(), offsets.end() - 1);
    auto place = [&](std::int64_t from, std::int64_t to, double weight) {
        const auto slot = next[static_cast<std::size_t>(from)]++;
        neighbors[slot] = static_cast<NodeId>(to);
        if (weighted) weights[slot] = weight == 0.0 ? 0.0 : weight;  // -0.0 becomes +0.0
    };
    for (const Edge& e : edges) {
        place(e.source, e.target, e.weight);
        if (stored_twice(e, options.directed)) place(e.target, e.source, e.weight);
    }
    sort_rows(offsets, neighbors, weights);
    return CsrGraph(node_count, options.directed, std::move(offsets), std::move(neighbors), std::move(weights));
}

CsrGraph transpose(const CsrGraph& graph) {
    const std::size_t n = graph.node_count();
    std::vector<std::uint64_t> offsets(n + 1, 0);
    for (NodeId target : graph.all_neighbors()) ++offsets[target + 1];
    for (std::size_t v = 0; v < n; ++v) offsets[v + 1] += offsets[v];

    std::vector<NodeId> sources(graph.stored_edge_count());
    std::vector<double> weights(graph.weighted() ? graph.stored_edge_count() : 0);
    std::vector<std::uint64_t> next(offsets.begin(), offsets.end() - 1);
    // Visiting sources in increasing order, each row already sorted by weight within a neighbour, leaves
    // every reverse row sorted by (source, weight).
    for (NodeId u = 0; u < n; ++u) {
        for (auto i = graph.offsets()[u]; i < graph.offsets()[u + 1]; ++i) {
            const auto slot = next[graph.all_neighbors()[i]]++;
            sources[slot] = u;
            if (graph.weighted()) weights[slot] = graph.all_weights()[i];
        }
    }
    return CsrGraph(n, graph.directed(), std::move(offsets), std::move(sources), std::move(weights));
}

}  // namespace forgehive::kernels::graph
