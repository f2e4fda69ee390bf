// `args` of the graph family's profiles (pagerank.v1, sssp.v1, bfs.v1, components.v1) as a built CSR graph
// and typed kernel options. Every size is checked against GraphLimits before memory is reserved for it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "forgehive/api/artifact_ref.hpp"
#include "forgehive/kernels/graph/csr_graph.hpp"
#include "forgehive/kernels/graph/pagerank.hpp"
#include "forgehive/kernels/graph/sssp.hpp"

namespace forgehive::api {

// A node label (string node id) holds 1 to kMaxGraphLabelBytes bytes.
inline constexpr std::size_t kMaxGraphLabelBytes = 256;
inline constexpr std::size_t kDefaultPageRankTopK = 10;

// The graph of a request. Node ids are integers 0..n-1 when `nodes` is a count; when `nodes` is a list of
// labels or absent, every node is named by a string label and `labels[id]` is the label of id (ids are
// ranks in byte-wise sorted label order, kernels::graph::index_labels).
struct GraphInput {
    std::shared_ptr<const kernels::graph::CsrGraph> graph;
    std::vector<std::string> labels;  // empty: integer ids
};

struct PageRankArgs {
    GraphInput input;
    kernels::graph::PageRankOptions options;
    std::size_t top_k = kDefaultPageRankTopK;
};

struct SsspArgs {
    GraphInput input;
    kernels::graph::NodeId source = 0;
    kernels::graph::SsspOptions options;  // targets or k_nearest, never both
};

struct BfsArgs {
    GraphInput input;
    kernels::graph::NodeId source = 0;
    std::optional<std::int64_t> depth_limit;
};

struct ComponentsArgs {
    GraphInput input;
    bool strong = false;
};

using GraphProfileArgs = std::variant<PageRankArgs, SsspArgs, BfsArgs, ComponentsArgs>;

// Parses and checks the args of graph.<profile>; `edges` may name an edge-list artifact (text/csv or
// text/tab-separated-values), fetched through `artifacts`. Throws core::ApiError("invalid_request", 400)
// naming the field ("args.edges[3][1]", or "args.edges" with the artifact's line and column) and the
// rule. The rules are in docs/graph-kernels.md (Forge API).
GraphProfileArgs parse_graph_args(const std::string& profile, const nlohmann::json& args,
                                  const kernels::graph::GraphLimits& limits, const ArtifactResolver& artifacts);

// A graph kernel's std::invalid_argument ("item: rule", e.g. from make_pagerank_problem) as the same
// core::ApiError("invalid_request", 400): "field 'args.item' rule".
[[noreturn]] void throw_graph_kernel_error(const std::invalid_argument& error);

}  // namespace forgehive::api
