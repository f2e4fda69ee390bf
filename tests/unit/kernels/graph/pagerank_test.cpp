// Unit tests for PageRank: closed forms, bit-identical results for any split into vertex ranges (also run
// concurrently), the residual and stopping rule, and every validation rule.
#include "forgehive/kernels/graph/pagerank.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <random>
#include <stdexcept>
#include <thread>
#include <vector>

namespace forgehive::kernels::graph {
namespace {

using testing::HasSubstr;

// A random multigraph with self loops, parallel edges and (nodes >= 90% of n get no out-edges) dangling
// nodes; integer weights 0..4 when weighted.
CsrGraph random_graph(std::size_t n, std::size_t m, bool weighted, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::vector<Edge> edges;
    const auto sources = n - n / 10;
    for (std::size_t i = 0; i < m; ++i) {
        edges.push_back({static_cast<std::int64_t>(rng() % sources), static_cast<std::int64_t>(rng() % n),
                         weighted ? static_cast<double>(rng() % 5) : 1.0});
    }
    for (std::size_t i = 0; i < 20; ++i) edges.push_back({static_cast<std::int64_t>(i), static_cast<std::int64_t>(i), 1.0});
    return build_graph(n, edges, {});
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

void expect_same_result(const PageRankResult& a, const PageRankResult& b) {
    EXPECT_TRUE(same_bits(a.scores, b.scores));
    EXPECT_EQ(a.iterations, b.iterations);
    EXPECT_EQ(std::bit_cast<std::uint64_t>(a.residual), std::bit_cast<std::uint64_t>(b.residual));
    EXPECT_EQ(a.converged, b.converged);
}

double sum(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); }

TEST(PageRank, DirectedCycleIsUniform) {
    const CsrGraph g = build_graph(5, std::vector<Edge>{{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 0}}, {});
    const PageRankResult r = pagerank(g, {});
    EXPECT_TRUE(r.converged);
    EXPECT_EQ(r.iterations, 1u);  // the uniform start is already the fixed point
    for (double s : r.scores) EXPECT_DOUBLE_EQ(s, 0.2);
}

TEST(PageRank, TwoNodeChainClosedForm) {
    // 0 -> 1, node 1 dangling. With d = 0.85: x1 = x0 (1 + d) and x0 = (1 - d) / 2 + d x1 / 2, so
    // x0 = 1 / (2 + d) and x1 = (1 + d) / (2 + d).
    const CsrGraph g = build_graph(2, std::vector<Edge>{{0, 1}}, {});
    const PageRankResult r = pagerank(g, {.tolerance = 1e-15, .max_iterations = 1000});
    ASSERT_TRUE(r.converged);
    EXPECT_NEAR(r.scores[0], 1.0 / 2.85, 1e-14);
    EXPECT_NEAR(r.scores[1], 1.85 / 2.85, 1e-14);
}

TEST(PageRank, AllDanglingGraphStaysUniformAndPersonalizationWins) {
    const CsrGraph g = build_graph(4, std::vector<Edge>{}, {});
    const PageRankResult uniform = pagerank(g, {});
    for (double s : uniform.scores) EXPECT_DOUBLE_EQ(s, 0.25);
    // Teleport and dangling mass both follow the personalization, so it is the fixed point.
    const PageRankResult personal = pagerank(g, {.tolerance = 1e-15, .personalization = {0, 1, 3, 0}});
    EXPECT_NEAR(personal.scores[0], 0.0, 1e-15);
    EXPECT_NEAR(personal.scores[1], 0.25, 1e-15);
    EXPECT_NEAR(personal.scores[2], 0.75, 1e-15);
}

TEST(PageRank, EveryParallelEdgeCounts) {
    // Two parallel edges 0 -> 1 carry twice what the single 0 -> 2 does: the same as weight 2.
    const CsrGraph multi = build_graph(3, std::vector<Edge>{{0, 1}, {0, 1}, {0, 2}, {1, 0}, {2, 0}}, {});
    const CsrGraph weighted = build_graph(3, std::vector<Edge>{{0, 1, 2.0}, {0, 2, 1.0}, {1, 0, 1.0}, {2, 0, 1.0}}, {});
    const PageRankResult a = pagerank(multi, {.tolerance = 1e-15, .max_iterations = 1000});
    const PageRankResult b = pagerank(weighted, {.tolerance = 1e-15, .max_iterations = 1000, .weighted = true});
    for (std::size_t v = 0; v < 3; ++v) EXPECT_NEAR(a.scores[v], b.scores[v], 1e-14);
    // Beyond the teleport share (1 - d) / 3 that every node gets, 1 receives twice what 2 does.
    const double teleport = 0.15 / 3;
    EXPECT_NEAR(a.scores[1] - teleport, 2.0 * (a.scores[2] - teleport), 1e-14);
}

TEST(PageRank, ScoresSumToOne) {
    const PageRankResult r = pagerank(random_graph(2000, 9000, false, 1), {});
    EXPECT_NEAR(sum(r.scores), 1.0, 1e-12);
}

TEST(PageRank, BitIdenticalForAnySplitIntoRanges) {
    const CsrGraph g = random_graph(1000, 6000, false, 2);
    const PageRankOptions options{.tolerance = 1e-13, .max_iterations = 500};
    const PageRankProblem problem = make_pagerank_problem(g, options);
    const PageRankResult one = pagerank(problem, split_vertices(1000, 1));
    EXPECT_TRUE(one.converged);
    for (std::size_t parts : {2u, 3u, 16u, 1000u, 5000u}) {
        SCOPED_TRACE(parts);
        expect_same_result(one, pagerank(problem, split_vertices(1000, parts)));
    }
    const std::vector<VertexRange> uneven{{0, 1}, {1, 498}, {499, 500}, {999, 1}};
    expect_same_result(one, pagerank(problem, uneven));
    expect_same_result(one, pagerank(g, options));
}

TEST(PageRank, BitIdenticalSplitsWeightedAndPersonalized) {
    const CsrGraph g = random_graph(997, 5000, true, 3);
    std::vector<double> personalization(997);
    for (std::size_t v = 0; v < personalization.size(); ++v) personalization[v] = static_cast<double>(v % 7);
    const PageRankOptions options{.damping = 0.9, .tolerance = 1e-12, .personalization = personalization, .weighted = true};
    const PageRankProblem problem = make_pagerank_problem(g, options);
    const PageRankResult one = pagerank(problem, split_vertices(997, 1));
    for (std::size_t parts : {2u, 3u, 16u}) {
        SCOPED_TRACE(parts);
        expect_same_result(one, pagerank(problem, split_vertices(997, parts)));
    }
}

TEST(PageRank, ConcurrentRangesWriteTheSameSweep) {
    const CsrGraph g = random_graph(3000, 20000, false, 4);
    const PageRankProblem problem = make_pagerank_problem(g, {});
    const PageRankIterate start = initial_iterate(problem);

    PageRankIterate serial = start;
    const SweepPartial whole = sweep_range(problem, start, {0, 3000}, serial);

    PageRankIterate parallel = start;
    const auto ranges = split_vertices(3000, 4);
    std::vector<SweepPartial> partials(ranges.size());
    {
        std::vector<std::jthread> workers;
        for (std::size_t i = 0; i < ranges.size(); ++i)
            workers.emplace_back([&, i] { partials[i] = sweep_range(problem, start, ranges[i], parallel); });
    }
    SweepPartial combined;
    for (auto it = partials.rbegin(); it != partials.rend(); ++it) {  // any combining order
        combined.change += it->change;
        combined.dangling_mass += it->dangling_mass;
    }
    EXPECT_TRUE(same_bits(serial.scores, parallel.scores));
    EXPECT_TRUE(same_bits(serial.contributions, parallel.contributions));
    EXPECT_TRUE(combined.change == whole.change);
    EXPECT_TRUE(combined.dangling_mass == whole.dangling_mass);
}

TEST(PageRank, ResidualIsTheL1ChangeOfTheLastSweep) {
    const CsrGraph g = random_graph(500, 3000, false, 5);
    const PageRankResult before = pagerank(g, {.tolerance = 1e-300, .max_iterations = 6});
    const PageRankResult after = pagerank(g, {.tolerance = 1e-300, .max_iterations = 7});
    EXPECT_FALSE(after.converged);
    EXPECT_EQ(after.iterations, 7u);
    double l1 = 0.0;
    for (std::size_t v = 0; v < 500; ++v) l1 += std::fabs(after.scores[v] - before.scores[v]);
    EXPECT_NEAR(after.residual, l1, 1e-15);
    EXPECT_GT(after.residual, 0.0);
}

TEST(PageRank, StopsAtTheFirstSweepBelowTheTolerance) {
    const CsrGraph g = random_graph(500, 3000, false, 6);
    const PageRankResult r = pagerank(g, {.tolerance = 1e-8});
    ASSERT_TRUE(r.converged);
    EXPECT_LT(r.residual, 1e-8);
    const PageRankResult one_less = pagerank(g, {.tolerance = 1e-8, .max_iterations = r.iterations - 1});
    EXPECT_FALSE(one_less.converged);
    EXPECT_GE(one_less.residual, 1e-8);
}

TEST(PageRank, OneSweepFromTheFinalVectorRepeatsOnAnyRange) {
    // What the hub's verification re-executes: a sweep of one range from a given iterate.
    const CsrGraph g = random_graph(800, 5000, false, 7);
    const PageRankProblem problem = make_pagerank_problem(g, {});
    PageRankIterate x = initial_iterate(problem);
    PageRankIterate full = x;
    sweep_range(problem, x, {0, 800}, full);
    PageRankIterate part = x;
    sweep_range(problem, x, {300, 200}, part);
    EXPECT_EQ(std::memcmp(full.scores.data() + 300, part.scores.data() + 300, 200 * sizeof(double)), 0);
}

template <typename F>
void expect_invalid(F&& f, const std::string& message_part) {
    EXPECT_THAT(f, testing::ThrowsMessage<std::invalid_argument>(HasSubstr(message_part)));
}

TEST(PageRankValidation, RejectsBadScalars) {
    const CsrGraph g = build_graph(3, std::vector<Edge>{{0, 1}}, {});
    const double nan = std::numeric_limits<double>::quiet_NaN();
    expect_invalid([&] { pagerank(g, {.damping = 0.0}); }, "damping: 0 must be in (0, 1)");
    expect_invalid([&] { pagerank(g, {.damping = 1.0}); }, "damping: 1 must be in (0, 1)");
    expect_invalid([&] { pagerank(g, {.damping = nan}); }, "damping: nan");
    expect_invalid([&] { pagerank(g, {.tolerance = 0.0}); }, "tolerance: 0 must be positive and finite");
    expect_invalid([&] { pagerank(g, {.tolerance = std::numeric_limits<double>::infinity()}); }, "tolerance: inf");
    expect_invalid([&] { pagerank(g, {.max_iterations = 0}); }, "max_iterations: 0 must be in [1, 100000]");
    expect_invalid([&] { pagerank(g, {.max_iterations = kMaxPageRankIterations + 1}); }, "max_iterations: 100001");
}

TEST(PageRankValidation, RejectsBadPersonalization) {
    const CsrGraph g = build_graph(3, std::vector<Edge>{{0, 1}}, {});
    expect_invalid([&] { pagerank(g, {.personalization = {1, 2}}); }, "personalization: has 2 entries, the graph has 3 nodes");
    expect_invalid([&] { pagerank(g, {.personalization = {1, -2, 0}}); }, "personalization[1]: -2 must be non-negative");
    expect_invalid([&] { pagerank(g, {.personalization = {1, std::numeric_limits<double>::quiet_NaN(), 0}}); },
                   "personalization[1]: nan");
    expect_invalid([&] { pagerank(g, {.personalization = {0, 0, 0}}); }, "personalization: sums to 0");
    expect_invalid([&] { pagerank(g, {.personalization = {1e308, 1e308, 0}}); }, "personalization: sums to inf");
}

TEST(PageRankValidation, RejectsNegativeWeightsOnlyWhenWeighted) {
    const CsrGraph g = build_graph(3, std::vector<Edge>{{0, 1, 2.0}, {1, 2, -1.0}}, {});
    expect_invalid([&] { pagerank(g, {.weighted = true}); }, "weighted: edge 1 -> 2 has negative weight -1");
    EXPECT_TRUE(pagerank(g, {}).converged);
}

TEST(PageRankValidation, RejectsOutWeightsThatCannotBeNormalised) {
    const CsrGraph huge = build_graph(2, std::vector<Edge>{{0, 1, 1e308}, {0, 0, 1e308}}, {});
    expect_invalid([&] { pagerank(huge, {.weighted = true}); }, "weighted: node 0 has out-weight inf");
    const CsrGraph tiny = build_graph(2, std::vector<Edge>{{0, 1, 1e-320}}, {});
    expect_invalid([&] { pagerank(tiny, {.weighted = true}); }, "weighted: node 0 has out-weight");
}

TEST(PageRankValidation, RejectsBadRangesAndIterates) {
    const CsrGraph g = build_graph(4, std::vector<Edge>{{0, 1}}, {});
    const PageRankProblem problem = make_pagerank_problem(g, {});
    const std::vector<VertexRange> gap{{0, 2}, {3, 1}};
    expect_invalid([&] { pagerank(problem, gap); }, "ranges: must be non-empty and tile [0, n)");
    const std::vector<VertexRange> short_tiling{{0, 3}};
    expect_invalid([&] { pagerank(problem, short_tiling); }, "ranges: must tile [0, n)");
    PageRankIterate x = initial_iterate(problem);
    PageRankIterate next = x;
    expect_invalid([&] { sweep_range(problem, x, {2, 3}, next); }, "range [2, 5) is outside the 4 nodes");
    PageRankIterate small{{0.5}, {0.5}, 0.0};
    expect_invalid([&] { sweep_range(problem, x, {0, 1}, small); }, "next iterate must hold 4 scores");
    expect_invalid([] { split_vertices(4, 0); }, "parts: must be at least 1");
}

TEST(TopNodes, DescendingScoreThenAscendingId) {
    const std::vector<double> scores{0.1, 0.3, 0.2, 0.3, 0.1};
    EXPECT_THAT(top_nodes(scores, 3), testing::ElementsAre(1, 3, 2));
    EXPECT_THAT(top_nodes(scores, 10), testing::ElementsAre(1, 3, 2, 0, 4));
    EXPECT_THAT(top_nodes(scores, 0), testing::IsEmpty());
}

TEST(SplitVertices, NearEqualContiguousRanges) {
    const auto r = split_vertices(10, 3);
    ASSERT_EQ(r.size(), 3u);
    EXPECT_EQ(r[0].first, 0u);
    EXPECT_EQ(r[0].count, 4u);
    EXPECT_EQ(r[1].first, 4u);
    EXPECT_EQ(r[1].count, 3u);
    EXPECT_EQ(r[2].first, 7u);
    EXPECT_EQ(r[2].count, 3u);
    EXPECT_EQ(split_vertices(2, 16).size(), 2u);
}

}  // namespace
}  // namespace forgehive::kernels::graph
