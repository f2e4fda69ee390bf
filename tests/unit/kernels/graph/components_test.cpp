// Unit tests for connected components: weak and strong labels (smallest id), sizes and counts, and a
// million-node path that a recursive Tarjan would overflow the stack on.
#include "forgehive/kernels/graph/components.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

namespace forgehive::kernels::graph {
namespace {

using testing::ElementsAre;

// Strong: {0, 1, 2} (cycle), {3, 4} (2-cycle), {5}, {6} (self loop), {7}; weak: {0..5}, {6, 7}.
CsrGraph mixed() {
    const std::vector<Edge> edges{{1, 0}, {0, 2}, {2, 1}, {2, 3}, {3, 4}, {4, 3}, {5, 4}, {6, 6}, {7, 6}};
    return build_graph(8, edges, {});
}

TEST(Components, WeakLabelsAreTheSmallestIds) {
    const ComponentsResult r = components(mixed());
    EXPECT_THAT(r.labels, ElementsAre(0, 0, 0, 0, 0, 0, 6, 6));
    EXPECT_THAT(r.component_labels, ElementsAre(0, 6));
    EXPECT_THAT(r.sizes, ElementsAre(6, 2));
    EXPECT_EQ(r.count, 2u);
}

TEST(Components, StrongLabelsAreTheSmallestIds) {
    const ComponentsResult r = components(mixed(), true);
    EXPECT_THAT(r.labels, ElementsAre(0, 0, 0, 3, 3, 5, 6, 7));
    EXPECT_THAT(r.component_labels, ElementsAre(0, 3, 5, 6, 7));
    EXPECT_THAT(r.sizes, ElementsAre(3, 2, 1, 1, 1));
    EXPECT_EQ(r.count, 5u);
}

TEST(Components, UndirectedStrongEqualsWeak) {
    const std::vector<Edge> edges{{3, 1}, {1, 4}, {0, 2}};
    const CsrGraph g = build_graph(6, edges, {.directed = false});
    EXPECT_THAT(components(g).labels, ElementsAre(0, 1, 0, 1, 1, 5));
    EXPECT_EQ(components(g, true).labels, components(g).labels);
}

TEST(Components, MillionNodeCycleAndPathNeedNoRecursion) {
    constexpr std::int64_t n = 1'000'000;
    std::vector<Edge> edges;
    for (std::int64_t v = 0; v + 1 < n; ++v) edges.push_back({v + 1, v});  // a path n-1 -> ... -> 0
    const CsrGraph path = build_graph(n, edges, {});
    EXPECT_EQ(components(path, true).count, static_cast<std::size_t>(n));
    EXPECT_EQ(components(path).count, 1u);
    edges.push_back({0, n - 1});  // closes the cycle
    const ComponentsResult cycle = components(build_graph(n, edges, {}), true);
    EXPECT_EQ(cycle.count, 1u);
    EXPECT_THAT(cycle.sizes, ElementsAre(n));
}

}  // namespace
}  // namespace forgehive::kernels::graph
