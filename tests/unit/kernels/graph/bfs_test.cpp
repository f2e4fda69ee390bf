// Unit tests for BFS levels: directed and undirected, depth limits, unreachable nodes, validation.
#include "forgehive/kernels/graph/bfs.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

namespace forgehive::kernels::graph {
namespace {

using testing::ElementsAre;
using testing::HasSubstr;

// 0 -> 1 -> 2 -> 3, 0 -> 2, 4 -> 0, 5 isolated, 2 -> 2.
CsrGraph chain() {
    return build_graph(6, std::vector<Edge>{{0, 1}, {1, 2}, {2, 3}, {0, 2}, {4, 0}, {2, 2}}, {});
}

TEST(Bfs, LevelsFollowOutEdges) {
    const BfsResult r = bfs(chain(), 0);
    EXPECT_THAT(r.levels, ElementsAre(0, 1, 1, 2, -1, -1));
    EXPECT_THAT(r.order, ElementsAre(0, 1, 2, 3));
}

TEST(Bfs, UndirectedReachesBackwards) {
    const CsrGraph g = build_graph(6, std::vector<Edge>{{0, 1}, {1, 2}, {2, 3}, {0, 2}, {4, 0}}, {.directed = false});
    EXPECT_THAT(bfs(g, 3).levels, ElementsAre(2, 2, 1, 0, 3, -1));
}

TEST(Bfs, DepthLimitCutsLevels) {
    EXPECT_THAT(bfs(chain(), 0, 1).levels, ElementsAre(0, 1, 1, -1, -1, -1));
    EXPECT_THAT(bfs(chain(), 4, 0).levels, ElementsAre(-1, -1, -1, -1, 0, -1));
    EXPECT_THAT(bfs(chain(), 4, 100).levels, ElementsAre(1, 2, 2, 3, 0, -1));
}

TEST(Bfs, LongPathNeedsNoRecursion) {
    constexpr std::int64_t n = 200'000;
    std::vector<Edge> edges;
    for (std::int64_t v = 0; v + 1 < n; ++v) edges.push_back({v, v + 1});
    const BfsResult r = bfs(build_graph(n, edges, {}), 0);
    EXPECT_EQ(r.levels.back(), n - 1);
}

TEST(BfsValidation, RejectsBadSourceAndDepth) {
    EXPECT_THAT([] { bfs(chain(), 6); },
                testing::ThrowsMessage<std::invalid_argument>(HasSubstr("source: node id 6 is out of range [0, 6)")));
    EXPECT_THAT([] { bfs(chain(), 0, -1); },
                testing::ThrowsMessage<std::invalid_argument>(HasSubstr("depth_limit: -1 must not be negative")));
}

}  // namespace
}  // namespace forgehive::kernels::graph
