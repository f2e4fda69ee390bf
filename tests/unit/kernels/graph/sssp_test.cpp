// Unit tests for Dijkstra: distances and paths on small graphs, deterministic tie-breaking, zero-weight
// cycles, early stops (targets, k nearest), and the validation rules.
#include "forgehive/kernels/graph/sssp.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

namespace forgehive::kernels::graph {
namespace {

using testing::ElementsAre;
using testing::HasSubstr;
using testing::IsEmpty;

constexpr double kInf = std::numeric_limits<double>::infinity();

template <typename F>
void expect_invalid(F&& f, const std::string& message_part) {
    EXPECT_THAT(f, testing::ThrowsMessage<std::invalid_argument>(HasSubstr(message_part)));
}

// 0 -> 1 (4), 0 -> 2 (1), 2 -> 1 (2), 1 -> 3 (1), 2 -> 3 (5), 4 isolated.
CsrGraph diamond() {
    return build_graph(5, std::vector<Edge>{{0, 1, 4.0}, {0, 2, 1.0}, {2, 1, 2.0}, {1, 3, 1.0}, {2, 3, 5.0}}, {});
}

TEST(Sssp, DistancesAndPaths) {
    const SsspResult r = sssp(diamond(), 0, {});
    EXPECT_THAT(r.distances, ElementsAre(0.0, 3.0, 1.0, 4.0, kInf));
    EXPECT_THAT(shortest_path(r, 3), ElementsAre(0, 2, 1, 3));
    EXPECT_THAT(shortest_path(r, 0), ElementsAre(0));
    EXPECT_THAT(shortest_path(r, 4), IsEmpty());
    EXPECT_THAT(r.settled, ElementsAre(0, 2, 1, 3));
    EXPECT_EQ(r.predecessors[0], kNoNode);
    EXPECT_EQ(r.predecessors[4], kNoNode);
}

TEST(Sssp, TiesGoToTheSmallestPredecessorAndSettleBySmallestId) {
    // 0 -> 3 -> 5 and 0 -> 2 -> 5 and 0 -> 4 -> 5, all of length 2; 1 is unreachable.
    const std::vector<Edge> edges{{0, 4, 1.0}, {0, 3, 1.0}, {0, 2, 1.0}, {4, 5, 1.0}, {3, 5, 1.0}, {2, 5, 1.0}};
    const SsspResult r = sssp(build_graph(6, edges, {}), 0, {});
    EXPECT_EQ(r.predecessors[5], 2u);
    EXPECT_THAT(r.settled, ElementsAre(0, 2, 3, 4, 5));
}

TEST(Sssp, ZeroWeightEdgesKeepTheSettledOrderByDistanceThenId) {
    // 3 is settled first at distance 1 and reaches 1 and 2 at no extra cost; they rank before it.
    const std::vector<Edge> edges{{0, 3, 1.0}, {3, 2, 0.0}, {3, 1, 0.0}, {0, 4, 1.0}};
    const CsrGraph g = build_graph(5, edges, {});
    EXPECT_THAT(sssp(g, 0, {}).settled, ElementsAre(0, 1, 2, 3, 4));
    const SsspResult two = sssp(g, 0, {.k_nearest = 2});
    EXPECT_THAT(two.settled, ElementsAre(0, 1));
    EXPECT_THAT(shortest_path(two, 1), ElementsAre(0, 3, 1));  // 3 is settled though not among the 2
}

TEST(Sssp, ZeroWeightCyclesGiveATreeOfPredecessors) {
    // 1 and 2 reach each other at no cost; both sit at distance 1 from 0 through 3.
    const std::vector<Edge> edges{{0, 3, 1.0}, {3, 2, 0.0}, {3, 1, 0.0}, {1, 2, 0.0}, {2, 1, 0.0}, {0, 1, 1.0}};
    const SsspResult r = sssp(build_graph(4, edges, {}), 0, {});
    EXPECT_THAT(r.distances, ElementsAre(0.0, 1.0, 1.0, 1.0));
    for (NodeId v = 0; v < 4; ++v) {
        const auto path = shortest_path(r, v);
        ASSERT_FALSE(path.empty());
        EXPECT_EQ(path.front(), 0u);
        EXPECT_LE(path.size(), 4u);
    }
}

TEST(Sssp, UnweightedGraphsCountHopsAndUndirectedGoesBothWays) {
    const std::vector<Edge> edges{{1, 0}, {2, 1}, {3, 2}};
    const SsspResult directed = sssp(build_graph(4, edges, {}), 0, {});
    EXPECT_THAT(directed.distances, ElementsAre(0.0, kInf, kInf, kInf));
    const SsspResult undirected = sssp(build_graph(4, edges, {.directed = false}), 0, {});
    EXPECT_THAT(undirected.distances, ElementsAre(0.0, 1.0, 2.0, 3.0));
    EXPECT_THAT(shortest_path(undirected, 3), ElementsAre(0, 1, 2, 3));
}

TEST(Sssp, ParallelEdgesUseTheLightest) {
    const std::vector<Edge> edges{{0, 1, 7.0}, {0, 1, 2.5}, {0, 1, 4.0}};
    EXPECT_EQ(sssp(build_graph(2, edges, {}), 0, {}).distances[1], 2.5);
}

CsrGraph random_weighted(std::size_t n, std::size_t m, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::vector<Edge> edges;
    for (std::size_t i = 0; i < m; ++i)
        edges.push_back({static_cast<std::int64_t>(rng() % n), static_cast<std::int64_t>(rng() % n),
                         static_cast<double>(rng() % 10)});
    return build_graph(n, edges, {});
}

TEST(Sssp, TargetsStopEarlyWithTheSameDistances) {
    const CsrGraph g = random_weighted(400, 1600, 1);
    const SsspResult full = sssp(g, 0, {});
    const SsspResult some = sssp(g, 0, {.targets = {17, 5, 17}});
    EXPECT_EQ(some.distances[17], full.distances[17]);
    EXPECT_EQ(some.distances[5], full.distances[5]);
    EXPECT_EQ(shortest_path(some, 17), shortest_path(full, 17));
    EXPECT_LT(some.settled.size(), full.settled.size());
    for (NodeId v = 0; v < 400; ++v) {
        const bool settled = std::find(some.settled.begin(), some.settled.end(), v) != some.settled.end();
        EXPECT_EQ(some.distances[v], settled ? full.distances[v] : kInf) << v;
    }
}

TEST(Sssp, KNearestIsAPrefixOfTheSettleOrder) {
    const CsrGraph g = random_weighted(400, 1600, 2);
    const SsspResult full = sssp(g, 3, {});
    const SsspResult near = sssp(g, 3, {.k_nearest = 25});
    ASSERT_EQ(near.settled.size(), 25u);
    EXPECT_TRUE(std::equal(near.settled.begin(), near.settled.end(), full.settled.begin()));
    for (std::size_t i = 1; i < full.settled.size(); ++i) {
        const NodeId a = full.settled[i - 1];
        const NodeId b = full.settled[i];
        EXPECT_TRUE(full.distances[a] < full.distances[b] || (full.distances[a] == full.distances[b] && a < b));
    }
    EXPECT_EQ(sssp(g, 3, {.k_nearest = 100000}).settled, full.settled);
}

TEST(Sssp, PathsAreShortest) {
    const CsrGraph g = random_weighted(300, 1500, 3);
    const SsspResult r = sssp(g, 7, {});
    for (NodeId v : r.settled) {
        const auto path = shortest_path(r, v);
        double length = 0.0;
        for (std::size_t i = 1; i < path.size(); ++i) {
            const auto targets = g.neighbors(path[i - 1]);
            const auto weights = g.weights(path[i - 1]);
            double lightest = kInf;
            for (std::size_t j = 0; j < targets.size(); ++j)
                if (targets[j] == path[i]) lightest = std::min(lightest, weights[j]);
            length += lightest;
        }
        EXPECT_EQ(length, r.distances[v]) << v;
    }
}

TEST(SsspValidation, RejectsBadSourcesTargetsAndOptions) {
    const CsrGraph g = diamond();
    expect_invalid([&] { sssp(g, 5, {}); }, "source: node id 5 is out of range [0, 5)");
    expect_invalid([&] { sssp(g, 0, {.targets = {1, 9}}); }, "targets[1]: node id 9 is out of range");
    expect_invalid([&] { sssp(g, 0, {.targets = {1}, .k_nearest = 2}); }, "give at most one of them");
    expect_invalid([&] { sssp(g, 0, {.k_nearest = 0}); }, "k_nearest: must be at least 1");
    const SsspResult r = sssp(g, 0, {});
    expect_invalid([&] { shortest_path(r, 5); }, "target: node id 5 is out of range");
}

TEST(SsspValidation, RejectsNegativeWeights) {
    const CsrGraph g = build_graph(3, std::vector<Edge>{{0, 1, 1.0}, {2, 1, -0.5}}, {});
    expect_invalid([&] { sssp(g, 0, {}); }, "edge 2 -> 1 has negative weight -0.5");
}

}  // namespace
}  // namespace forgehive::kernels::graph
