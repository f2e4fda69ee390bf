// The graph kernels against networkx (tests/fixtures/graph/make_graph_fixtures.py): PageRank within an L1
// bound, SSSP distances, BFS levels and component labels exactly, on hand-made and random graphs.
#include "forgehive/kernels/graph/bfs.hpp"
#include "forgehive/kernels/graph/components.hpp"
#include "forgehive/kernels/graph/pagerank.hpp"
#include "forgehive/kernels/graph/sssp.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace forgehive::kernels::graph {
namespace {

using nlohmann::json;

// The kernel stops at an L1 change below 1e-13; its distance to the fixed point is then at most
// d / (1 - d) * 1e-13 (1.9e-12 for d = 0.95), and the reference eigenvector agrees with networkx's power
// iteration to 1e-11 (checked by the generator). 1e-11 in L1 bounds every score's error.
constexpr double kPageRankTolerance = 1e-13;
constexpr double kPageRankL1 = 1e-11;

const json& fixtures() {
    static const json data = [] {
        const auto path = std::filesystem::path(FORGEHIVE_TEST_SOURCE_DIR) / "tests/fixtures/graph/graph_fixtures.json";
        std::ifstream in(path);
        if (!in) throw std::runtime_error("cannot open " + path.string());
        return json::parse(in);
    }();
    return data;
}

CsrGraph graph_of(const json& g) {
    std::vector<Edge> edges;
    for (const auto& e : g.at("edges")) edges.push_back({e.at(0).get<std::int64_t>(), e.at(1).get<std::int64_t>(), e.at(2).get<double>()});
    return build_graph(g.at("nodes").get<std::size_t>(), edges, {.directed = g.at("directed").get<bool>()});
}

PageRankOptions options_of(const json& c) {
    PageRankOptions options{.damping = c.at("damping").get<double>(),
                            .tolerance = kPageRankTolerance,
                            .max_iterations = 2000,
                            .weighted = c.at("weighted").get<bool>()};
    if (c.contains("personalization")) options.personalization = c.at("personalization").get<std::vector<double>>();
    return options;
}

class GraphFixture : public testing::TestWithParam<std::size_t> {
protected:
    const json& graph() const { return fixtures().at("graphs").at(GetParam()); }
};

TEST_P(GraphFixture, PageRankMatchesNetworkx) {
    const CsrGraph g = graph_of(graph());
    for (const auto& c : graph().at("pagerank")) {
        SCOPED_TRACE(c.at("name").get<std::string>());
        const PageRankOptions options = options_of(c);
        const PageRankResult r = pagerank(g, options);
        ASSERT_TRUE(r.converged);
        const auto expected = c.at("scores").get<std::vector<double>>();
        ASSERT_EQ(r.scores.size(), expected.size());
        double l1 = 0.0;
        for (std::size_t v = 0; v < expected.size(); ++v) l1 += std::fabs(r.scores[v] - expected[v]);
        EXPECT_LT(l1, kPageRankL1);

        const PageRankProblem problem = make_pagerank_problem(g, options);
        for (std::size_t parts : {2u, 3u, 16u}) {
            const PageRankResult split = pagerank(problem, split_vertices(g.node_count(), parts));
            EXPECT_EQ(std::memcmp(split.scores.data(), r.scores.data(), r.scores.size() * sizeof(double)), 0) << parts;
            EXPECT_EQ(split.iterations, r.iterations);
        }
    }
}

TEST_P(GraphFixture, SsspDistancesMatchNetworkx) {
    const CsrGraph g = graph_of(graph());
    for (const auto& c : graph().at("sssp")) {
        const auto source = c.at("source").get<NodeId>();
        SCOPED_TRACE(source);
        const SsspResult r = sssp(g, source, {});
        const auto& expected = c.at("distances");
        for (NodeId v = 0; v < g.node_count(); ++v) {
            const double want = expected.at(v).is_null() ? std::numeric_limits<double>::infinity() : expected.at(v).get<double>();
            EXPECT_EQ(r.distances[v], want) << v;
        }
    }
}

TEST_P(GraphFixture, BfsLevelsMatchNetworkx) {
    const CsrGraph g = graph_of(graph());
    for (const auto& c : graph().at("bfs")) {
        std::optional<std::int64_t> depth;
        if (!c.at("depth_limit").is_null()) depth = c.at("depth_limit").get<std::int64_t>();
        const BfsResult r = bfs(g, c.at("source").get<NodeId>(), depth);
        EXPECT_EQ(r.levels, c.at("levels").get<std::vector<std::int64_t>>());
    }
}

TEST_P(GraphFixture, ComponentLabelsMatchNetworkx) {
    const CsrGraph g = graph_of(graph());
    const auto& expected = graph().at("components");
    EXPECT_EQ(components(g).labels, expected.at("weak").get<std::vector<NodeId>>());
    EXPECT_EQ(components(g, true).labels, expected.at("strong").get<std::vector<NodeId>>());
}

// Fixture names use [a-z0-9_] only, as test names must.
std::string graph_name(const testing::TestParamInfo<std::size_t>& info) {
    return fixtures().at("graphs").at(info.param).at("name").get<std::string>();
}

INSTANTIATE_TEST_SUITE_P(Networkx, GraphFixture, testing::Range<std::size_t>(0, 7), graph_name);

TEST(GraphFixtures, CoverEveryGraph) { EXPECT_EQ(fixtures().at("graphs").size(), 7u); }

}  // namespace
}  // namespace forgehive::kernels::graph
