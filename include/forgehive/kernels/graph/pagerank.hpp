// PageRank by power iteration (networkx's formulation) with a sweep over vertex ranges whose result bits
// do not depend on how the vertices are split into ranges. Method and determinism: docs/graph-kernels.md.
#pragma once

#include "forgehive/kernels/graph/csr_graph.hpp"
#include "forgehive/kernels/graph/fixed_sum.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace forgehive::kernels::graph {

struct PageRankOptions {
    double damping = 0.85;                // in (0, 1)
    double tolerance = 1e-10;             // stop when a sweep's L1 change is below this; not scaled by n
    std::uint32_t max_iterations = 100;   // in [1, kMaxPageRankIterations]
    std::vector<double> personalization{};  // empty: uniform; else one non-negative weight per node
    bool weighted = false;                // transition weights from edge weights instead of 1 per edge
};

inline constexpr std::uint32_t kMaxPageRankIterations = 100'000;

struct PageRankResult {
    std::vector<double> scores;  // sums to 1 up to rounding
    std::uint32_t iterations = 0;
    double residual = 0;  // L1 change of the last sweep
    bool converged = false;  // false: max_iterations ran out first (scores are the last iterate)
};

// Everything a sweep reads, built once per graph and options.
struct PageRankProblem {
    CsrGraph in_edges;               // transpose of the graph; weights only when options.weighted
    std::vector<double> out_scale;   // 1 / out-weight of each node; 0 marks a dangling node
    std::vector<double> teleport;    // normalised personalization; empty: uniform 1/n
    double damping = 0.85;
    double tolerance = 1e-10;
    std::uint32_t max_iterations = 100;
};

// One iterate x_t with what the next sweep needs of it.
struct PageRankIterate {
    std::vector<double> scores;         // x_t
    std::vector<double> contributions;  // x_t[u] * out_scale[u]: what u sends along each unit edge
    double dangling_mass = 0;           // sum of x_t over dangling nodes (from FixedSum)
};

struct VertexRange {
    NodeId first = 0;
    NodeId count = 0;
};

// A range's share of a sweep's global sums. Exact, so partials combine in any grouping.
struct SweepPartial {
    FixedSum change;         // sum of |x_{t+1}[v] - x_t[v]| over the range
    FixedSum dangling_mass;  // sum of x_{t+1}[v] over the range's dangling nodes
};

// Validates the options against the graph (throws std::invalid_argument naming the option and the rule:
// damping outside (0, 1), tolerance not positive and finite, max_iterations out of range,
// personalization of the wrong length, negative, non-finite or summing to 0; weighted with a negative
// edge weight or an out-weight whose sum or reciprocal is not finite) and builds the problem.
PageRankProblem make_pagerank_problem(const CsrGraph& graph, const PageRankOptions& options);

// x_0 = 1/n everywhere, as networkx starts.
PageRankIterate initial_iterate(const PageRankProblem& problem);

// Computes x_{t+1}[v] = d * (sum over in-edges u->v, in in_edges row order, of contributions[u] * w)
//                       + (d * dangling_mass + 1 - d) * teleport[v]
// for v in range, writing scores and contributions of next (sized n) in that range only; ranges of one
// sweep may run concurrently on the same next. Each vertex's sum has one fixed order, so the bits of
// next do not depend on the ranges. Throws std::invalid_argument for a range outside [0, n).
SweepPartial sweep_range(const PageRankProblem& problem, const PageRankIterate& previous, VertexRange range,
                         PageRankIterate& next);

// Splits [0, n) into `parts` contiguous ranges of near-equal size (the first n % parts one longer);
// parts above n give n ranges of one vertex.
std::vector<VertexRange> split_vertices(std::size_t node_count, std::size_t parts);

// Power iteration with each sweep done range by range (ranges must tile [0, n) in order; throws
// std::invalid_argument otherwise). The result is bit-identical for any ranges.
PageRankResult pagerank(const PageRankProblem& problem, std::span<const VertexRange> ranges);

// The whole computation on one range.
PageRankResult pagerank(const CsrGraph& graph, const PageRankOptions& options);

// The k highest-scoring nodes (all when k >= n), by descending score, ties by ascending node id: the
// order of the Forge output's `top`.
std::vector<NodeId> top_nodes(std::span<const double> scores, std::size_t k);

}  // namespace forgehive::kernels::graph
