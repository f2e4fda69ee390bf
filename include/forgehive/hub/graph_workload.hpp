// The graph family as hub Workloads: PageRank as rounds of power-iteration sweeps over fixed vertex
// blocks (one round per sweep, any block grouping gives the same bits); SSSP, BFS and components as
// one unit each. Contract, outputs and hashes: docs/graph-kernels.md (Forge API).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "forgehive/hub/workload.hpp"
#include "forgehive/kernels/graph/csr_graph.hpp"
#include "forgehive/kernels/graph/pagerank.hpp"
#include "forgehive/kernels/graph/sssp.hpp"

namespace forgehive::hub {

// PageRank's unit: a block of this many consecutive vertices (the last one may be shorter). A contract
// constant: it changes no output bit (sweeps are split-invariant) but it does change shard hashes.
inline constexpr std::uint64_t kPageRankUnitNodes = 4096;

// SSSP renders `paths` only while they hold at most this many nodes in total; above it `paths` is null
// (long paths to many targets would otherwise make the output quadratic in the graph).
inline constexpr std::size_t kMaxPathNodes = std::size_t{1} << 20;

// How outputs name nodes: labels[id] when the request named nodes by label, else the integer id.
struct GraphNodes {
    std::shared_ptr<const kernels::graph::CsrGraph> graph;
    std::vector<std::string> labels;  // empty: integer ids
};

// The first round of PageRank (sweep 1 from x_0 = 1/n); next_round chains the others. Builds the
// kernel's problem now, so throws std::invalid_argument for options the graph cannot take
// (make_pagerank_problem's rules, "item: rule").
std::unique_ptr<Workload> make_pagerank_workload(GraphNodes nodes, kernels::graph::PageRankOptions options,
                                                 std::size_t top_k);

std::unique_ptr<Workload> make_sssp_workload(GraphNodes nodes, kernels::graph::NodeId source,
                                             kernels::graph::SsspOptions options);

std::unique_ptr<Workload> make_bfs_workload(GraphNodes nodes, kernels::graph::NodeId source,
                                            std::optional<std::int64_t> depth_limit);

std::unique_ptr<Workload> make_components_workload(GraphNodes nodes, bool strong);

}  // namespace forgehive::hub
