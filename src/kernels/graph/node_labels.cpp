// Label -> id mapping by sorted rank: deterministic for any order of the edges and labels.
#include "forgehive/kernels/graph/node_labels.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace forgehive::kernels::graph {
namespace {

void check_label(const std::string& label, std::string_view where) {
    if (label.empty()) throw std::invalid_argument(fmt::format("{}: a node label must not be empty", where));
}

std::vector<std::string> sorted_labels(std::span<const LabelledEdge> edges, std::span<const std::string> isolated) {
    std::vector<std::string> labels;
    labels.reserve(edges.size() * 2 + isolated.size());
    for (std::size_t i = 0; i < edges.size(); ++i) {
        check_label(edges[i].source, fmt::format("edges[{}].source", i));
        check_label(edges[i].target, fmt::format("edges[{}].target", i));
        labels.push_back(edges[i].source);
        labels.push_back(edges[i].target);
    }
    for (std::size_t i = 0; i < isolated.size(); ++i) {
        check_label(isolated[i], fmt::format("isolated_nodes[{}]", i));
        labels.push_back(isolated[i]);
    }
    // std::string compares with char_traits<char>, which orders bytes as unsigned char (memcmp).
    std::sort(labels.begin(), labels.end());
    labels.erase(std::unique(labels.begin(), labels.end()), labels.end());
    return labels;
}

}  // namespace

LabelledGraph index_labels(std::span<const LabelledEdge> edges, std::span<const std::string> isolated_nodes,
                           std::size_t max_nodes) {
    LabelledGraph graph{sorted_labels(edges, isolated_nodes), {}};
    if (graph.labels.size() > std::min(max_nodes, kMaxNodeCapacity))
        throw std::invalid_argument(fmt::format("nodes: {} distinct labels, above the limit max_nodes = {}",
                                                graph.labels.size(), max_nodes));
    graph.edges.reserve(edges.size());
    for (const LabelledEdge& e : edges) {
        graph.edges.push_back(Edge{static_cast<std::int64_t>(*find_label(graph.labels, e.source)),
                                   static_cast<std::int64_t>(*find_label(graph.labels, e.target)), e.weight});
    }
    return graph;
}

std::optional<NodeId> find_label(std::span<const std::string> labels, std::string_view label) {
    const auto it = std::lower_bound(labels.begin(), labels.end(), label,
                                     [](const std::string& a, std::string_view b) { return std::string_view(a) < b; });
    if (it == labels.end() || *it != label) return std::nullopt;
    return static_cast<NodeId>(it - labels.begin());
}

}  // namespace forgehive::kernels::graph
