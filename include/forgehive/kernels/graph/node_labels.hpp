// String node labels mapped to the ids 0..n-1 the graph kernels use: the id of a label is its rank in
// byte-wise sorted order, so the mapping depends on the set of labels only, never on their order.
#pragma once

#include "forgehive/kernels/graph/csr_graph.hpp"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace forgehive::kernels::graph {

struct LabelledEdge {
    std::string source;
    std::string target;
    double weight = 1.0;
};

struct LabelledGraph {
    std::vector<std::string> labels;  // labels[id], sorted byte-wise (UTF-8: code point order), unique
    std::vector<Edge> edges;          // the input edges with ids, in input order
};

// Collects the labels of the edges' endpoints and of isolated_nodes (nodes that may have no edge), sorts
// them byte-wise, drops duplicates, and rewrites the edges with ids. Throws std::invalid_argument for an
// empty label (naming the edge or isolated_nodes entry) and for more labels than max_nodes.
LabelledGraph index_labels(std::span<const LabelledEdge> edges, std::span<const std::string> isolated_nodes,
                           std::size_t max_nodes);

// The id of a label (binary search in labels sorted as index_labels returns them); nullopt if absent.
std::optional<NodeId> find_label(std::span<const std::string> labels, std::string_view label);

}  // namespace forgehive::kernels::graph
