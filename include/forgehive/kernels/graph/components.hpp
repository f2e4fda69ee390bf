// Connected components: weakly connected (edge direction ignored) or strongly connected (iterative
// Tarjan, no recursion, so a path of a million nodes cannot overflow the stack).
#pragma once

#include "forgehive/kernels/graph/csr_graph.hpp"

#include <cstddef>
#include <vector>

namespace forgehive::kernels::graph {

struct ComponentsResult {
    std::vector<NodeId> labels;             // labels[v]: the smallest node id in v's component
    std::vector<NodeId> component_labels;   // each component's label, ascending
    std::vector<std::size_t> sizes;         // sizes[i]: node count of component_labels[i]
    std::size_t count = 0;
};

// strong = false: weakly connected components (for an undirected graph, its connected components).
// strong = true: strongly connected components (the same as weak for an undirected graph).
ComponentsResult components(const CsrGraph& graph, bool strong = false);

}  // namespace forgehive::kernels::graph
