// PageRank power iteration (networkx's formulation, fixed L1 tolerance) over vertex ranges. Each vertex
// sums its in-edges in CSR order and the global sums are exact, so the bits never depend on the ranges.
#include "forgehive/kernels/graph/pagerank.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

namespace forgehive::kernels::graph {
namespace {

void check_scalars(const PageRankOptions& options) {
    if (!(options.damping > 0.0 && options.damping < 1.0))
        throw std::invalid_argument(fmt::format("damping: {} must be in (0, 1)", options.damping));
    if (!(options.tolerance > 0.0 && std::isfinite(options.tolerance)))
        throw std::invalid_argument(fmt::format("tolerance: {} must be positive and finite", options.tolerance));
    if (options.max_iterations < 1 || options.max_iterations > kMaxPageRankIterations)
        throw std::invalid_argument(fmt::format("max_iterations: {} must be in [1, {}]", options.max_iterations,
                                                kMaxPageRankIterations));
}

// networkx divides the personalization by its sum; the sum here runs in node order.
std::vector<double> normalised_teleport(const std::vector<double>& personalization, std::size_t node_count) {
    if (personalization.empty()) return {};
    if (personalization.size() != node_count)
        throw std::invalid_argument(fmt::format("personalization: has {} entries, the graph has {} nodes",
                                                personalization.size(), node_count));
    double total = 0.0;
    for (std::size_t v = 0; v < node_count; ++v) {
        const double w = personalization[v];
        if (!(w >= 0.0 && std::isfinite(w)))
            throw std::invalid_argument(
                fmt::format("personalization[{}]: {} must be non-negative and finite", v, w));
        total += w;
    }
    if (!(total > 0.0 && std::isfinite(total)))
        throw std::invalid_argument(fmt::format("personalization: sums to {}; it must sum to a positive finite value", total));
    std::vector<double> teleport(node_count);
    for (std::size_t v = 0; v < node_count; ++v) teleport[v] = personalization[v] / total;
    return teleport;
}

// 1 / (out-degree or out-weight, summed in row order); 0 marks a dangling node, as networkx treats a
// node whose out-weight is 0.
std::vector<double> out_scales(const CsrGraph& graph, bool weighted) {
    std::vector<double> scale(graph.node_count(), 0.0);
    for (NodeId u = 0; u < graph.node_count(); ++u) {
        double out = static_cast<double>(graph.degree(u));
        if (weighted && graph.weighted()) {
            out = 0.0;
            for (double w : graph.weights(u)) out += w;
        }
        if (out == 0.0) continue;
        scale[u] = 1.0 / out;
        // Weights are finite, but their sum can overflow, or a tiny one have no finite reciprocal.
        if (!std::isfinite(out) || !std::isfinite(scale[u]))
            throw std::invalid_argument(
                fmt::format("weighted: node {} has out-weight {}, which cannot be normalised", u, out));
    }
    return scale;
}

void check_weights(const CsrGraph& graph) {
    for (NodeId u = 0; u < graph.node_count(); ++u) {
        const auto targets = graph.neighbors(u);
        const auto weights = graph.weights(u);
        for (std::size_t i = 0; i < weights.size(); ++i) {
            if (weights[i] < 0.0)
                throw std::invalid_argument(fmt::format(
                    "weighted: edge {} -> {} has negative weight {}; PageRank needs non-negative weights", u,
                    targets[i], weights[i]));
        }
    }
}

CsrGraph reverse_edges(const CsrGraph& graph, bool weighted) {
    CsrGraph reverse = transpose(graph);
    if (weighted || !reverse.weighted()) return reverse;
    return CsrGraph(reverse.node_count(), reverse.directed(), reverse.offsets(), reverse.all_neighbors(), {});
}

void check_range(VertexRange range, std::size_t node_count) {
    if (static_cast<std::uint64_t>(range.first) + range.count > node_count)
        throw std::invalid_argument(fmt::format("range [{}, {}) is outside the {} nodes", range.first,
                                                static_cast<std::uint64_t>(range.first) + range.count, node_count));
}

void check_sizes(const PageRankIterate& iterate, std::size_t node_count, const char* which) {
    if (iterate.scores.size() != node_count || iterate.contributions.size() != node_count)
        throw std::invalid_argument(fmt::format("{} iterate must hold {} scores and contributions", which, node_count));
}

void check_tiling(std::span<const VertexRange> ranges, std::size_t node_count) {
    std::uint64_t next = 0;
    for (const VertexRange& r : ranges) {
        if (r.first != next || r.count == 0)
            throw std::invalid_argument("ranges: must be non-empty and tile [0, n) in order");
        next += r.count;
    }
    if (next != node_count) throw std::invalid_argument("ranges: must tile [0, n) in order");
}

// The in-edge sum of v in row order; one fixed order per vertex whatever the range. Weighted and
// unweighted loops are separate so the common case reads no weights.
template <bool kWeighted>
double in_sum(const CsrGraph& in_edges, const double* contributions, NodeId v) {
    const std::uint64_t begin = in_edges.offsets()[v];
    const std::uint64_t end = in_edges.offsets()[v + 1];
    const NodeId* sources = in_edges.all_neighbors().data();
    double sum = 0.0;
    if constexpr (kWeighted) {
        const double* weights = in_edges.all_weights().data();
        for (std::uint64_t i = begin; i < end; ++i) sum += contributions[sources[i]] * weights[i];
    } else {
        for (std::uint64_t i = begin; i < end; ++i) sum += contributions[sources[i]];
    }
    return sum;
}

template <bool kWeighted>
SweepPartial sweep(const PageRankProblem& problem, const PageRankIterate& previous, VertexRange range,
                   PageRankIterate& next) {
    const double damping = problem.damping;
    const double teleport_mass = damping * previous.dangling_mass + (1.0 - damping);
    const double uniform_share = teleport_mass / static_cast<double>(problem.out_scale.size());
    SweepPartial partial;
    for (NodeId v = range.first; v < range.first + range.count; ++v) {
        const double share = problem.teleport.empty() ? uniform_share : teleport_mass * problem.teleport[v];
        const double x = damping * in_sum<kWeighted>(problem.in_edges, previous.contributions.data(), v) + share;
        next.scores[v] = x;
        next.contributions[v] = x * problem.out_scale[v];
        partial.change.add(std::fabs(x - previous.scores[v]));
        if (problem.out_scale[v] == 0.0) partial.dangling_mass.add(x);
    }
    return partial;
}

}  // namespace

PageRankProblem make_pagerank_problem(const CsrGraph& graph, const PageRankOptions& options) {
    check_scalars(options);
    auto teleport = normalised_teleport(options.personalization, graph.node_count());
    if (options.weighted) check_weights(graph);
    return PageRankProblem{reverse_edges(graph, options.weighted), out_scales(graph, options.weighted),
                           std::move(teleport), options.damping, options.tolerance, options.max_iterations};
}

PageRankIterate initial_iterate(const PageRankProblem& problem) {
    const std::size_t n = problem.out_scale.size();
    const double start = 1.0 / static_cast<double>(n);
    PageRankIterate iterate{std::vector<double>(n, start), std::vector<double>(n), 0.0};
    FixedSum dangling;
    for (std::size_t v = 0; v < n; ++v) {
        iterate.contributions[v] = start * problem.out_scale[v];
        if (problem.out_scale[v] == 0.0) dangling.add(start);
    }
    iterate.dangling_mass = dangling.value();
    return iterate;
}

SweepPartial sweep_range(const PageRankProblem& problem, const PageRankIterate& previous, VertexRange range,
                         PageRankIterate& next) {
    const std::size_t n = problem.out_scale.size();
    check_range(range, n);
    check_sizes(previous, n, "previous");
    check_sizes(next, n, "next");
    return problem.in_edges.weighted() ? sweep<true>(problem, previous, range, next)
                                       : sweep<false>(problem, previous, range, next);
}

std::vector<VertexRange> split_vertices(std::size_t node_count, std::size_t parts) {
    if (parts == 0) throw std::invalid_argument("parts: must be at least 1");
    if (node_count > kMaxNodeCapacity) throw std::invalid_argument("node_count: above the node id capacity");
    parts = std::min(parts, node_count);
    std::vector<VertexRange> ranges;
    NodeId first = 0;
    for (std::size_t i = 0; i < parts; ++i) {
        const auto count = static_cast<NodeId>(node_count / parts + (i < node_count % parts ? 1 : 0));
        ranges.push_back(VertexRange{first, count});
        first += count;
    }
    return ranges;
}

PageRankResult pagerank(const PageRankProblem& problem, std::span<const VertexRange> ranges) {
    check_tiling(ranges, problem.out_scale.size());
    PageRankIterate current = initial_iterate(problem);
    PageRankIterate next = current;
    PageRankResult result;
    while (result.iterations < problem.max_iterations) {
        FixedSum change;
        FixedSum dangling;
        for (const VertexRange& range : ranges) {
            const SweepPartial partial = sweep_range(problem, current, range, next);
            change += partial.change;
            dangling += partial.dangling_mass;
        }
        next.dangling_mass = dangling.value();
        std::swap(current, next);
        ++result.iterations;
        result.residual = change.value();
        if (result.residual < problem.tolerance) {
            result.converged = true;
            break;
        }
    }
    result.scores = std::move(current.scores);
    return result;
}

PageRankResult pagerank(const CsrGraph& graph, const PageRankOptions& options) {
    const PageRankProblem problem = make_pagerank_problem(graph, options);
    const VertexRange all{0, static_cast<NodeId>(graph.node_count())};
    return pagerank(problem, std::span<const VertexRange>(&all, 1));
}

std::vector<NodeId> top_nodes(std::span<const double> scores, std::size_t k) {
    if (scores.size() > kMaxNodeCapacity) throw std::invalid_argument("scores: more than the node id capacity");
    std::vector<NodeId> nodes(scores.size());
    for (NodeId v = 0; v < nodes.size(); ++v) nodes[v] = v;
    k = std::min(k, nodes.size());
    const auto k_end = nodes.begin() + static_cast<std::ptrdiff_t>(k);
    std::partial_sort(nodes.begin(), k_end, nodes.end(), [&](NodeId a, NodeId b) {
        return scores[a] > scores[b] || (scores[a] == scores[b] && a < b);
    });
    nodes.erase(k_end, nodes.end());
    return nodes;
}

}  // namespace forgehive::kernels::graph
