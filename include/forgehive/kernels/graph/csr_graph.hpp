// Graph kernels' graph: compressed sparse rows (CSR) over node ids 0..n-1, built from an edge list with
// the limits checked before anything is allocated. Rows are canonical, so the input order never matters.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

namespace forgehive::kernels::graph {

using NodeId = std::uint32_t;
// Marks "no node" (no predecessor, unreached); never a valid id, so node counts stop one below it.
inline constexpr NodeId kNoNode = std::numeric_limits<NodeId>::max();
inline constexpr std::size_t kMaxNodeCapacity = kNoNode;

// One input edge. Ids are signed and wide so that negative or oversized ids from a request reach the
// range check instead of wrapping. A weight of exactly 1 everywhere makes an unweighted graph.
struct Edge {
    std::int64_t source = 0;
    std::int64_t target = 0;
    double weight = 1.0;
};

struct GraphLimits {
    std::size_t max_nodes = 10'000'000;  // at most kMaxNodeCapacity
    std::size_t max_edges = 50'000'000;  // input edges (an undirected edge is stored twice)
};

struct GraphOptions {
    bool directed = true;
    GraphLimits limits{};
};

// Row v lists v's out-neighbours sorted by (neighbour id, weight); parallel edges and self loops are
// kept. An undirected edge {u, v} is stored as u->v and v->u, an undirected self loop once (as
// networkx's adjacency does). Weights are stored only when some edge weight differs from 1.
class CsrGraph {
public:
    // Checks the shape (offsets from 0 to neighbors.size(), non-decreasing; neighbour ids below
    // node_count; weights empty or one per neighbour); throws std::invalid_argument otherwise.
    CsrGraph(std::size_t node_count, bool directed, std::vector<std::uint64_t> offsets,
             std::vector<NodeId> neighbors, std::vector<double> weights);

    std::size_t node_count() const { return node_count_; }
    std::size_t stored_edge_count() const { return neighbors_.size(); }
    bool directed() const { return directed_; }
    bool weighted() const { return !weights_.empty(); }

    std::size_t degree(NodeId v) const { return offsets_[v + 1] - offsets_[v]; }
    std::span<const NodeId> neighbors(NodeId v) const;
    // Empty for an unweighted graph: every edge weighs 1.
    std::span<const double> weights(NodeId v) const;

    const std::vector<std::uint64_t>& offsets() const { return offsets_; }
    const std::vector<NodeId>& all_neighbors() const { return neighbors_; }
    const std::vector<double>& all_weights() const { return weights_; }

private:
    std::size_t node_count_;
    bool directed_;
    std::vector<std::uint64_t> offsets_;
    std::vector<NodeId> neighbors_;
    std::vector<double> weights_;
};

// Builds the CSR graph of node_count nodes. Throws std::invalid_argument naming the item and the rule
// for: no nodes (empty graph), more nodes or edges than the limits, limits above kMaxNodeCapacity, an
// endpoint outside [0, node_count), a weight that is not finite. Negative weights are accepted here;
// the kernels that need non-negative weights check them.
CsrGraph build_graph(std::size_t node_count, std::span<const Edge> edges, const GraphOptions& options);

// The reverse graph: row v lists the sources u of the edges u->v, sorted by (u, weight). An undirected
// graph is its own transpose.
CsrGraph transpose(const CsrGraph& graph);

}  // namespace forgehive::kernels::graph
