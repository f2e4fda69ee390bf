// Unit tests for CSR construction: canonical rows, parallel edges and self loops, undirected storage,
// weights, the transpose, and every validation rule.
#include "forgehive/kernels/graph/csr_graph.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

namespace forgehive::kernels::graph {
namespace {

using testing::ElementsAre;
using testing::HasSubstr;
using testing::IsEmpty;

std::vector<NodeId> row(const CsrGraph& g, NodeId v) {
    const auto r = g.neighbors(v);
    return {r.begin(), r.end()};
}

std::vector<double> row_weights(const CsrGraph& g, NodeId v) {
    const auto r = g.weights(v);
    return {r.begin(), r.end()};
}

template <typename F>
void expect_invalid(F&& f, const std::string& message_part) {
    try {
        f();
        FAIL() << "expected std::invalid_argument containing: " << message_part;
    } catch (const std::invalid_argument& e) {
        EXPECT_THAT(e.what(), HasSubstr(message_part));
    }
}

TEST(CsrGraph, DirectedRowsAreSortedAndKeepParallelEdgesAndSelfLoops) {
    const std::vector<Edge> edges{{0, 2}, {0, 1}, {2, 2}, {0, 2}, {1, 0}};
    const CsrGraph g = build_graph(3, edges, {});
    EXPECT_TRUE(g.directed());
    EXPECT_FALSE(g.weighted());
    EXPECT_EQ(g.stored_edge_count(), 5u);
    EXPECT_THAT(row(g, 0), ElementsAre(1, 2, 2));
    EXPECT_THAT(row(g, 1), ElementsAre(0));
    EXPECT_THAT(row(g, 2), ElementsAre(2));
    EXPECT_THAT(g.weights(0), IsEmpty());
}

TEST(CsrGraph, UndirectedStoresBothDirectionsAndSelfLoopsOnce) {
    const std::vector<Edge> edges{{0, 1}, {1, 1}, {2, 0}};
    const CsrGraph g = build_graph(3, edges, {.directed = false});
    EXPECT_FALSE(g.directed());
    EXPECT_EQ(g.stored_edge_count(), 5u);
    EXPECT_THAT(row(g, 0), ElementsAre(1, 2));
    EXPECT_THAT(row(g, 1), ElementsAre(0, 1));
    EXPECT_THAT(row(g, 2), ElementsAre(0));
}

TEST(CsrGraph, WeightsAreKeptWhenAnyDiffersFromOneAndRowsSortByWeight) {
    const std::vector<Edge> edges{{0, 1, 5.0}, {0, 1, -0.0}, {0, 1, 2.0}, {1, 0, 1.0}};
    const CsrGraph g = build_graph(2, edges, {});
    ASSERT_TRUE(g.weighted());
    EXPECT_THAT(row_weights(g, 0), ElementsAre(0.0, 2.0, 5.0));
    EXPECT_FALSE(std::signbit(g.weights(0)[0]));  // -0.0 stored as +0.0, so the row order is total
    EXPECT_THAT(row_weights(g, 1), ElementsAre(1.0));
}

TEST(CsrGraph, ExplicitUnitWeightsMakeAnUnweightedGraph) {
    const std::vector<Edge> edges{{0, 1, 1.0}, {1, 0, 1.0}};
    EXPECT_FALSE(build_graph(2, edges, {}).weighted());
}

TEST(CsrGraph, InputOrderDoesNotChangeTheGraph) {
    std::vector<Edge> edges;
    std::mt19937_64 rng(5);
    for (int i = 0; i < 400; ++i)
        edges.push_back({static_cast<std::int64_t>(rng() % 50), static_cast<std::int64_t>(rng() % 50),
                         static_cast<double>(rng() % 4)});
    const CsrGraph a = build_graph(50, edges, {.directed = false});
    std::shuffle(edges.begin(), edges.end(), rng);
    const CsrGraph b = build_graph(50, edges, {.directed = false});
    EXPECT_EQ(a.offsets(), b.offsets());
    EXPECT_EQ(a.all_neighbors(), b.all_neighbors());
    EXPECT_EQ(a.all_weights(), b.all_weights());
}

TEST(CsrGraph, TransposeListsSourcesSortedBySourceThenWeight) {
    const std::vector<Edge> edges{{2, 0, 3.0}, {1, 0, 1.0}, {2, 0, 1.5}, {0, 1, 2.0}, {0, 0, 4.0}};
    const CsrGraph t = transpose(build_graph(3, edges, {}));
    EXPECT_THAT(row(t, 0), ElementsAre(0, 1, 2, 2));
    EXPECT_THAT(row_weights(t, 0), ElementsAre(4.0, 1.0, 1.5, 3.0));
    EXPECT_THAT(row(t, 1), ElementsAre(0));
    EXPECT_THAT(row(t, 2), IsEmpty());
}

TEST(CsrGraph, UndirectedGraphIsItsOwnTranspose) {
    const std::vector<Edge> edges{{0, 1, 2.0}, {1, 2, 3.0}, {2, 2, 1.0}, {0, 1, 1.0}};
    const CsrGraph g = build_graph(3, edges, {.directed = false});
    const CsrGraph t = transpose(g);
    EXPECT_EQ(g.offsets(), t.offsets());
    EXPECT_EQ(g.all_neighbors(), t.all_neighbors());
    EXPECT_EQ(g.all_weights(), t.all_weights());
}

TEST(CsrGraph, IsolatedNodesHaveEmptyRows) {
    const CsrGraph g = build_graph(4, std::vector<Edge>{}, {});
    EXPECT_EQ(g.node_count(), 4u);
    EXPECT_EQ(g.degree(3), 0u);
}

TEST(CsrGraphValidation, RejectsAnEmptyGraph) {
    expect_invalid([] { build_graph(0, std::vector<Edge>{}, {}); }, "nodes: the graph is empty");
}

TEST(CsrGraphValidation, RejectsMoreNodesOrEdgesThanTheLimits) {
    const GraphOptions small{.directed = true, .limits = {.max_nodes = 10, .max_edges = 2}};
    expect_invalid([&] { build_graph(11, std::vector<Edge>{}, small); }, "node count 11 is above the limit max_nodes = 10");
    const std::vector<Edge> three{{0, 1}, {1, 2}, {2, 0}};
    expect_invalid([&] { build_graph(3, three, small); }, "edge count 3 is above the limit max_edges = 2");
    const GraphOptions huge{.directed = true, .limits = {.max_nodes = kMaxNodeCapacity + 1, .max_edges = 2}};
    expect_invalid([&] { build_graph(3, three, huge); }, "limits.max_nodes");
}

TEST(CsrGraphValidation, RejectsNodeIdsOutOfRange) {
    expect_invalid([] { build_graph(3, std::vector<Edge>{{0, 1}, {1, 3}}, {}); },
                   "edges[1].target: node id 3 is out of range [0, 3)");
    expect_invalid([] { build_graph(3, std::vector<Edge>{{-1, 1}}, {}); },
                   "edges[0].source: node id -1 is out of range [0, 3)");
    expect_invalid([] { build_graph(3, std::vector<Edge>{{std::int64_t{1} << 40, 1}}, {}); }, "edges[0].source");
}

TEST(CsrGraphValidation, RejectsNonFiniteWeights) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    expect_invalid([&] { build_graph(2, std::vector<Edge>{{0, 1, 2.0}, {1, 0, nan}}, {}); },
                   "edges[1].weight: nan is not finite");
    expect_invalid([&] { build_graph(2, std::vector<Edge>{{0, 1, -inf}}, {}); }, "edges[0].weight: -inf is not finite");
}

TEST(CsrGraphValidation, ConstructorChecksTheShape) {
    expect_invalid([] { CsrGraph(2, true, {0, 1}, {1}, {}); }, "offsets");
    expect_invalid([] { CsrGraph(2, true, {0, 2, 1}, {1}, {}); }, "offsets");
    expect_invalid([] { CsrGraph(2, true, {0, 1, 1}, {2}, {}); }, "neighbour id");
    expect_invalid([] { CsrGraph(2, true, {0, 1, 1}, {1}, {1.0, 2.0}); }, "weights");
    EXPECT_NO_THROW(CsrGraph(2, true, {0, 1, 1}, {1}, {}));
}

}  // namespace
}  // namespace forgehive::kernels::graph
