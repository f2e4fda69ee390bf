// graph Workloads driven round by hand as the hub drives them: PageRank gives kernels::graph::pagerank's
// bits for any grouping of its vertex blocks (threads included) and stops where it stops; every profile
// against the networkx fixtures; outputs by integer id and by label.
#include "forgehive/hub/graph_workload.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

namespace forgehive::hub {
namespace {

namespace kg = kernels::graph;
using nlohmann::json;
using nlohmann::ordered_json;

std::shared_ptr<const kg::CsrGraph> random_graph(std::size_t n, std::size_t m, std::uint64_t seed, bool weighted) {
    std::mt19937_64 rng(seed);
    std::vector<kg::Edge> edges;
    for (std::size_t i = 0; i < m; ++i) {
        const auto u = static_cast<std::int64_t>(rng() % n);
        const auto v = static_cast<std::int64_t>(rng() % n);
        edges.push_back({u, v, weighted ? static_cast<double>(1 + rng() % 5) : 1.0});
    }
    return std::make_shared<const kg::CsrGraph>(kg::build_graph(n, edges, {}));
}

std::shared_ptr<const kg::CsrGraph> graph_of(std::size_t n, const std::vector<kg::Edge>& edges, bool directed = true) {
    return std::make_shared<const kg::CsrGraph>(kg::build_graph(n, edges, {.directed = directed}));
}

struct Driven {
    ordered_json output;
    json canonical;  // of the last round's merged partial
    std::uint32_t rounds = 0;
};

// The runs of one round: units grouped by the sizes in `pattern` (cycled), each at most 16 units.
std::vector<std::pair<std::uint64_t, std::uint64_t>> runs_of(std::uint64_t units, const std::vector<std::uint64_t>& pattern) {
    std::vector<std::pair<std::uint64_t, std::uint64_t>> runs;
    for (std::uint64_t first = 0, k = 0; first < units; ++k) {
        const auto count = std::min(pattern[k % pattern.size()], units - first);
        runs.emplace_back(first, count);
        first += count;
    }
    return runs;
}

// Runs round after round until next_round says the last one is done; with `threads`, a round's runs are
// spread over that many threads before they merge in unit order.
Driven drive(std::shared_ptr<const Workload> workload, const std::vector<std::uint64_t>& pattern, std::size_t threads = 1) {
    Driven out;
    const auto units = workload->unit_count();
    while (true) {
        ++out.rounds;
        EXPECT_EQ(workload->unit_count(), units);
        const auto runs = runs_of(units, pattern);
        std::vector<std::unique_ptr<PartialResult>> parts(runs.size());
        std::vector<std::thread> pool;
        for (std::size_t t = 0; t < threads; ++t)
            pool.emplace_back([&, t] {
                for (std::size_t i = t; i < runs.size(); i += threads) parts[i] = workload->run(runs[i].first, runs[i].second);
            });
        for (auto& thread : pool) thread.join();
        for (std::size_t i = 1; i < parts.size(); ++i) parts[0]->merge(*parts[i]);
        auto next = workload->next_round(*parts[0]);
        if (!next) {
            out.output = parts[0]->output();
            out.canonical = parts[0]->canonical();
            return out;
        }
        workload = std::move(next);
    }
}

std::uint64_t bits(double x) { return std::bit_cast<std::uint64_t>(x); }

// The output's `top` holds every node: it must be the kernel's scores, in top_nodes order, bit for bit.
void expect_kernel_bits(const Driven& driven, const kg::PageRankResult& expected) {
    const auto order = kg::top_nodes(expected.scores, expected.scores.size());
    const auto& top = driven.output.at("top");
    ASSERT_EQ(top.size(), order.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        ASSERT_EQ(top[i].at("node").get<kg::NodeId>(), order[i]) << i;
        ASSERT_EQ(bits(top[i].at("score").get<double>()), bits(expected.scores[order[i]])) << i;
    }
    EXPECT_EQ(driven.output.at("iterations").get<std::uint32_t>(), expected.iterations);
    EXPECT_EQ(bits(driven.output.at("residual").get<double>()), bits(expected.residual));
    EXPECT_EQ(driven.output.at("converged").get<bool>(), expected.converged);
    EXPECT_EQ(driven.rounds, expected.iterations);
}

// 5 full vertex blocks and a short sixth, ~5% dangling nodes, self loops and parallel edges by chance.
constexpr std::size_t kNodes = 5 * kPageRankUnitNodes + 123;

TEST(PageRankWorkload, AnyGroupingOfBlocksGivesTheKernelsBits) {
    const auto graph = random_graph(kNodes, 3 * kNodes, 7, false);
    const kg::PageRankOptions options{};
    const auto expected = kg::pagerank(*graph, options);
    ASSERT_TRUE(expected.converged);
    std::shared_ptr<const Workload> first = make_pagerank_workload({graph, {}}, options, kNodes);
    EXPECT_EQ(first->unit_count(), 6u);
    EXPECT_EQ(first->unit_size(), kPageRankUnitNodes);
    const auto reference = drive(first, {16});
    expect_kernel_bits(reference, expected);
    for (const auto& pattern : std::vector<std::vector<std::uint64_t>>{{1}, {2}, {3}, {5, 1}, {1, 16}}) {
        const auto driven = drive(first, pattern);
        EXPECT_EQ(driven.output.dump(), reference.output.dump());
        EXPECT_EQ(driven.canonical, reference.canonical);
    }
    EXPECT_EQ(drive(first, {1}, 3).output.dump(), reference.output.dump());
}

TEST(PageRankWorkload, WeightedPersonalizedAndCutOffByMaxIterations) {
    const auto graph = random_graph(kNodes, 4 * kNodes, 11, true);
    kg::PageRankOptions options{.damping = 0.9, .tolerance = 1e-300, .max_iterations = 7, .weighted = true};
    options.personalization.resize(kNodes);
    for (std::size_t v = 0; v < kNodes; ++v) options.personalization[v] = static_cast<double>(v % 7);
    const auto expected = kg::pagerank(*graph, options);
    ASSERT_FALSE(expected.converged);
    std::shared_ptr<const Workload> first = make_pagerank_workload({graph, {}}, options, kNodes);
    const auto driven = drive(first, {4, 1});
    expect_kernel_bits(driven, expected);
    EXPECT_EQ(driven.rounds, 7u);
    EXPECT_EQ(drive(first, {2}, 2).output.dump(), driven.output.dump());
}

TEST(PageRankWorkload, CanonicalIsSmallAndReproducible) {
    const auto graph = random_graph(kNodes, 3 * kNodes, 3, false);
    std::shared_ptr<const Workload> first = make_pagerank_workload({graph, {}}, {}, 10);
    const auto once = first->run(2, 3)->canonical();
    EXPECT_EQ(first->run(2, 3)->canonical(), once);  // what verification re-executes
    EXPECT_LT(once.dump().size(), 512u);
    EXPECT_EQ(once.at("first_node"), 2 * kPageRankUnitNodes);
    EXPECT_EQ(once.at("nodes"), 3 * kPageRankUnitNodes);
    EXPECT_EQ(once.at("sweep"), 1);
    EXPECT_EQ(once.at("change").get<std::string>().size(), 32u);

    auto total = first->run(0, 6);
    const auto second = first->next_round(*total);
    ASSERT_TRUE(second);
    EXPECT_NE(second->run(2, 3)->canonical(), once);
    EXPECT_EQ(second->run(2, 3)->canonical().at("sweep"), 2);
}

TEST(PageRankWorkload, WorkCoversNodesAndStoredEdgesPerSweep) {
    const auto graph = random_graph(kNodes, 3 * kNodes, 5, false);
    const auto first = make_pagerank_workload({graph, {}}, {}, 10);
    std::uint64_t work = 0;
    for (std::uint64_t u = 0; u < first->unit_count(); ++u) work += first->work_in(u, 1);
    EXPECT_EQ(work, graph->node_count() + graph->stored_edge_count());
    EXPECT_EQ(first->work_in(0, 6), work);
}

TEST(PageRankWorkload, RejectsRangesOutsideItsUnitsAndMergesOutOfOrder) {
    const auto graph = random_graph(kNodes, 3 * kNodes, 5, false);
    const auto first = make_pagerank_workload({graph, {}}, {}, 10);
    EXPECT_THROW(first->run(6, 1), std::out_of_range);
    EXPECT_THROW(first->run(5, 2), std::out_of_range);
    EXPECT_THROW(first->run(0, 0), std::out_of_range);
    auto a = first->run(0, 1);
    EXPECT_THROW(a->merge(*first->run(2, 1)), std::logic_error);
    EXPECT_THROW(a->output(), std::logic_error);
    EXPECT_THROW(first->next_round(*a), std::logic_error);
}

TEST(PageRankWorkload, KernelRulesSurfaceAsInvalidArgument) {
    const auto graph = graph_of(3, {{0, 1}, {1, 2}});
    kg::PageRankOptions options;
    options.personalization = {0, 0, 0};
    EXPECT_THROW(make_pagerank_workload({graph, {}}, options, 3), std::invalid_argument);
}

TEST(PageRankWorkload, OutputNamesNodesByLabel) {
    // A cycle: every score is 1/3, so `top` is in label (= id) order.
    const auto graph = graph_of(3, {{0, 1}, {1, 2}, {2, 0}});
    const auto driven = drive(make_pagerank_workload({graph, {"a", "b", "c"}}, {}, 2), {1});
    const auto& top = driven.output.at("top");
    ASSERT_EQ(top.size(), 2u);
    EXPECT_EQ(top[0].at("node"), "a");
    EXPECT_EQ(top[1].at("node"), "b");
    EXPECT_NEAR(top[0].at("score").get<double>(), 1.0 / 3, 1e-15);
    EXPECT_EQ(driven.output.at("converged"), true);
    std::vector<std::string> members;
    for (const auto& [key, value] : driven.output.items()) members.push_back(key);
    EXPECT_EQ(members, (std::vector<std::string>{"top", "iterations", "residual", "converged"}));
}

// ---- networkx fixtures (tests/fixtures/graph/make_graph_fixtures.py)

const json& fixtures() {
    static const json data = [] {
        std::ifstream in(std::filesystem::path(FORGEHIVE_TEST_SOURCE_DIR) / "tests/fixtures/graph/graph_fixtures.json");
        if (!in) throw std::runtime_error("cannot open the graph fixtures");
        return json::parse(in);
    }();
    return data;
}

std::shared_ptr<const kg::CsrGraph> fixture_graph(const json& g) {
    std::vector<kg::Edge> edges;
    for (const auto& e : g.at("edges"))
        edges.push_back({e.at(0).get<std::int64_t>(), e.at(1).get<std::int64_t>(), e.at(2).get<double>()});
    return graph_of(g.at("nodes").get<std::size_t>(), edges, g.at("directed").get<bool>());
}

TEST(GraphFixtures, PageRankMatchesNetworkx) {
    for (const auto& g : fixtures().at("graphs")) {
        const auto graph = fixture_graph(g);
        const std::size_t n = graph->node_count();
        for (const auto& c : g.at("pagerank")) {
            kg::PageRankOptions options{.damping = c.at("damping").get<double>(),
                                        .tolerance = 1e-13,
                                        .max_iterations = 2000,
                                        .weighted = c.at("weighted").get<bool>()};
            if (c.contains("personalization")) options.personalization = c.at("personalization").get<std::vector<double>>();
            const auto driven = drive(make_pagerank_workload({graph, {}}, options, n), {1});
            const auto reference = c.at("scores").get<std::vector<double>>();
            double l1 = 0;
            for (const auto& entry : driven.output.at("top"))
                l1 += std::fabs(entry.at("score").get<double>() - reference.at(entry.at("node").get<std::size_t>()));
            EXPECT_LT(l1, 1e-11) << g.at("name") << " " << c.at("name");
            EXPECT_EQ(driven.output.at("top").size(), n);
        }
    }
}

TEST(GraphFixtures, SsspBfsAndComponentsMatchNetworkx) {
    for (const auto& g : fixtures().at("graphs")) {
        const auto graph = fixture_graph(g);
        const std::size_t n = graph->node_count();
        for (const auto& c : g.at("sssp")) {
            const auto out = drive(make_sssp_workload({graph, {}}, c.at("source").get<kg::NodeId>(), {}), {1}).output;
            const auto& distances = c.at("distances");
            for (std::size_t v = 0; v < n; ++v) {
                const auto key = std::to_string(v);
                if (distances[v].is_null())
                    EXPECT_FALSE(out.at("distances").contains(key)) << g.at("name") << " " << v;
                else
                    EXPECT_EQ(out.at("distances").at(key).get<double>(), distances[v].get<double>()) << g.at("name") << " " << v;
            }
            EXPECT_FALSE(out.contains("paths"));
        }
        for (const auto& c : g.at("bfs")) {
            std::optional<std::int64_t> limit;
            if (!c.at("depth_limit").is_null()) limit = c.at("depth_limit").get<std::int64_t>();
            const auto out = drive(make_bfs_workload({graph, {}}, c.at("source").get<kg::NodeId>(), limit), {1}).output;
            std::size_t reached = 0;
            for (std::size_t v = 0; v < n; ++v) {
                const auto level = c.at("levels")[v].get<std::int64_t>();
                if (level < 0) continue;
                ++reached;
                EXPECT_EQ(out.at("levels").at(std::to_string(v)).get<std::int64_t>(), level) << g.at("name") << " " << v;
            }
            EXPECT_EQ(out.at("reached").get<std::size_t>(), reached) << g.at("name");
        }
        for (bool strong : {false, true}) {
            const auto out = drive(make_components_workload({graph, {}}, strong), {1}).output;
            const auto expected = g.at("components").at(strong ? "strong" : "weak").get<std::vector<kg::NodeId>>();
            EXPECT_EQ(out.at("labels").get<std::vector<kg::NodeId>>(), expected) << g.at("name");
            std::vector<kg::NodeId> distinct = expected;
            std::sort(distinct.begin(), distinct.end());
            distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
            EXPECT_EQ(out.at("count").get<std::size_t>(), distinct.size()) << g.at("name");
        }
    }
}

// ---- one-unit profiles by hand

// networkx's small_directed fixture graph.
std::shared_ptr<const kg::CsrGraph> small_directed() {
    return graph_of(7, {{0, 1, 1}, {0, 2, 4}, {1, 2, 2}, {2, 0, 7}, {2, 3, 1}, {3, 4, 3}, {4, 3, 1}, {5, 4, 2}});
}

TEST(SsspWorkload, TargetsGiveDistancesAndPathsInTheirOrder) {
    kg::SsspOptions options;
    options.targets = {4, 5, 2};
    const auto out = drive(make_sssp_workload({small_directed(), {}}, 0, options), {1}).output;
    EXPECT_EQ(out.dump(),
              R"({"source":0,"distances":{"4":7.0,"5":null,"2":3.0},"paths":{"4":[0,1,2,3,4],"5":null,"2":[0,1,2]}})");
}

TEST(SsspWorkload, KNearestByDistanceThenId) {
    kg::SsspOptions options;
    options.k_nearest = 3;
    const auto out = drive(make_sssp_workload({small_directed(), {}}, 0, options), {1}).output;
    EXPECT_EQ(out.dump(), R"({"source":0,"distances":{"0":0.0,"1":1.0,"2":3.0},"paths":{"0":[0],"1":[0,1],"2":[0,1,2]}})");
}

TEST(SsspWorkload, LabelsNameNodesEverywhere) {
    // berlin = 0, oslo = 1, paris = 2.
    const auto graph = graph_of(3, {{2, 0, 2}, {0, 1, 1}, {1, 2, 1}});
    kg::SsspOptions options;
    options.targets = {1};
    const auto out = drive(make_sssp_workload({graph, {"berlin", "oslo", "paris"}}, 2, options), {1}).output;
    EXPECT_EQ(out.dump(), R"({"source":"paris","distances":{"oslo":3.0},"paths":{"oslo":["paris","berlin","oslo"]}})");
}

TEST(SsspWorkload, PathsAboveTheCapAreNull) {
    // A path of 1500 nodes, each a target: 1500 * 1501 / 2 = 1 125 750 path nodes, above 2^20.
    constexpr std::size_t n = 1500;
    std::vector<kg::Edge> edges;
    for (std::size_t v = 0; v + 1 < n; ++v) edges.push_back({static_cast<std::int64_t>(v), static_cast<std::int64_t>(v + 1)});
    kg::SsspOptions options;
    for (kg::NodeId t = 0; t < n; ++t) options.targets.push_back(t);
    const auto out = drive(make_sssp_workload({graph_of(n, edges), {}}, 0, options), {1}).output;
    EXPECT_TRUE(out.at("paths").is_null());
    EXPECT_EQ(out.at("distances").at("1499"), 1499.0);
}

TEST(BfsWorkload, LevelsInVisitOrder) {
    const auto out = drive(make_bfs_workload({small_directed(), {}}, 0, std::nullopt), {1}).output;
    EXPECT_EQ(out.dump(), R"({"levels":{"0":0,"1":1,"2":1,"3":2,"4":3},"reached":5,"max_level":3})");
    const auto limited = drive(make_bfs_workload({small_directed(), {}}, 0, 1), {1}).output;
    EXPECT_EQ(limited.dump(), R"({"levels":{"0":0,"1":1,"2":1},"reached":3,"max_level":1})");
}

TEST(ComponentsWorkload, IntegerIdsAndLabels) {
    const auto graph = graph_of(4, {{1, 0}, {2, 3}, {3, 2}});
    const auto weak = drive(make_components_workload({graph, {}}, false), {1}).output;
    EXPECT_EQ(weak.dump(), R"({"count":2,"sizes":{"0":2,"2":2},"labels":[0,0,2,2]})");
    const auto strong = drive(make_components_workload({graph, {"a", "b", "c", "d"}}, true), {1}).output;
    EXPECT_EQ(strong.dump(), R"({"count":3,"sizes":{"a":1,"b":1,"c":2},"labels":{"a":"a","b":"b","c":"c","d":"c"}})");
}

TEST(OneUnitWorkloads, OneUnitThatRunsAloneAndHashesSmall) {
    const auto graph = small_directed();
    const auto workload = make_components_workload({graph, {}}, false);
    EXPECT_EQ(workload->unit_count(), 1u);
    EXPECT_EQ(workload->work_in(0, 1), graph->node_count() + graph->stored_edge_count());
    EXPECT_THROW(workload->run(0, 2), std::out_of_range);
    EXPECT_THROW(workload->run(1, 1), std::out_of_range);
    auto partial = workload->run(0, 1);
    EXPECT_EQ(partial->canonical(), workload->run(0, 1)->canonical());
    EXPECT_LT(partial->canonical().dump().size(), 256u);
    EXPECT_THROW(partial->merge(*workload->run(0, 1)), std::logic_error);
    EXPECT_EQ(workload->next_round(*partial), nullptr);
}

}  // namespace
}  // namespace forgehive::hub
