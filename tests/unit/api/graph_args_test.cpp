// graph args parsing: defaults, integer ids and labels, inline and artifact edge lists, and the field
// and rule named by every error.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "forgehive/api/graph_args.hpp"
#include "forgehive/core/api_error.hpp"

namespace forgehive::api {
namespace {

using nlohmann::json;
namespace kg = kernels::graph;

const kg::GraphLimits kLimits{.max_nodes = 100, .max_edges = 20};
const std::string kCsvId = "sha256:" + std::string(64, 'c');
const std::string kTsvId = "sha256:" + std::string(64, 't');

// Resolves the artifacts a test registered; any other id is the resolver's own invalid_request.
class FakeArtifacts {
public:
    void add(const std::string& id, const std::string& media_type, std::string bytes) {
        items_[id] = ArtifactContent{id, media_type, std::make_shared<const std::string>(std::move(bytes))};
    }
    ArtifactResolver resolver() const {
        return [this](const std::string& id, const std::string& field) {
            auto it = items_.find(id);
            if (it == items_.end()) throw core::ApiError("invalid_request", 400, "field '" + field + "' no such artifact");
            return it->second;
        };
    }

private:
    std::map<std::string, ArtifactContent> items_;
};

class GraphArgs : public testing::Test {
protected:
    GraphProfileArgs parse(const std::string& profile, const json& args, kg::GraphLimits limits = kLimits) {
        return parse_graph_args(profile, args, limits, artifacts_.resolver());
    }

    std::string error_of(const std::string& profile, const json& args, kg::GraphLimits limits = kLimits) {
        try {
            parse(profile, args, limits);
        } catch (const core::ApiError& e) {
            EXPECT_EQ(e.code(), "invalid_request");
            EXPECT_EQ(e.http_status(), 400);
            return e.message();
        }
        ADD_FAILURE() << "no error for " << args.dump();
        return "";
    }

    // `edges` as a CSV artifact with `nodes` as given.
    json csv_args(const std::string& text, const json& nodes = 4) {
        artifacts_.add(kCsvId, "text/csv", text);
        json args = {{"edges", {{"artifact", kCsvId}}}};
        if (!nodes.is_null()) args["nodes"] = nodes;
        return args;
    }

    FakeArtifacts artifacts_;
};

json merged(json args, const json& extra) {
    args.update(extra);
    return args;
}

// nlohmann reads {{"a", "b"}} as an object; edge lists are built as explicit arrays.
json edges(std::initializer_list<json> items) {
    json out = json::array();
    for (const auto& item : items) out.push_back(item);
    return out;
}

json small(json extra = json::object()) {
    json args = {{"nodes", 4}, {"edges", {{0, 1}, {1, 2, 2.5}, {2, 0}, {3, 3}}}};
    args.update(extra);
    return args;
}

std::vector<kg::NodeId> row(const kg::CsrGraph& g, kg::NodeId v) {
    auto r = g.neighbors(v);
    return {r.begin(), r.end()};
}

TEST_F(GraphArgs, PageRankDefaults) {
    auto args = std::get<PageRankArgs>(parse("pagerank.v1", small()));
    EXPECT_EQ(args.options.damping, 0.85);
    EXPECT_EQ(args.options.tolerance, 1e-10);
    EXPECT_EQ(args.options.max_iterations, 100u);
    EXPECT_FALSE(args.options.weighted);
    EXPECT_TRUE(args.options.personalization.empty());
    EXPECT_EQ(args.top_k, kDefaultPageRankTopK);
    EXPECT_TRUE(args.input.labels.empty());
    const auto& g = *args.input.graph;
    EXPECT_TRUE(g.directed());
    EXPECT_EQ(g.node_count(), 4u);
    EXPECT_EQ(g.stored_edge_count(), 4u);
    EXPECT_EQ(row(g, 1), std::vector<kg::NodeId>{2});
    EXPECT_EQ(g.weights(1)[0], 2.5);
}

TEST_F(GraphArgs, PageRankOptions) {
    auto args = std::get<PageRankArgs>(parse(
        "pagerank.v1", small({{"damping", 0.5}, {"tolerance", 1e-6}, {"max_iterations", 7}, {"top_k", 3},
                              {"weighted", true}, {"personalization", {1, 0, 2, 1}}})));
    EXPECT_EQ(args.options.damping, 0.5);
    EXPECT_EQ(args.options.tolerance, 1e-6);
    EXPECT_EQ(args.options.max_iterations, 7u);
    EXPECT_TRUE(args.options.weighted);
    EXPECT_EQ(args.top_k, 3u);
    EXPECT_EQ(args.options.personalization, (std::vector<double>{1, 0, 2, 1}));
    // The object form names nodes; the others weigh 0.
    args = std::get<PageRankArgs>(parse("pagerank.v1", small({{"personalization", {{"2", 0.5}, {"0", 1}}}})));
    EXPECT_EQ(args.options.personalization, (std::vector<double>{1, 0, 0.5, 0}));
}

TEST_F(GraphArgs, UndirectedStoresBothDirections) {
    auto args = std::get<ComponentsArgs>(parse("components.v1", small({{"directed", false}, {"strong", true}})));
    EXPECT_TRUE(args.strong);
    EXPECT_FALSE(args.input.graph->directed());
    EXPECT_EQ(args.input.graph->stored_edge_count(), 7u);  // three edges twice, the self loop once
}

TEST_F(GraphArgs, SsspTargetsOrK) {
    auto args = std::get<SsspArgs>(parse("sssp.v1", small({{"source", 1}, {"targets", {3, 0}}})));
    EXPECT_EQ(args.source, 1u);
    EXPECT_EQ(args.options.targets, (std::vector<kg::NodeId>{3, 0}));
    EXPECT_FALSE(args.options.k_nearest);
    args = std::get<SsspArgs>(parse("sssp.v1", small({{"source", 0}, {"k", 2}})));
    EXPECT_EQ(args.options.k_nearest, 2u);
    EXPECT_TRUE(args.options.targets.empty());
}

TEST_F(GraphArgs, BfsDepthLimit) {
    auto args = std::get<BfsArgs>(parse("bfs.v1", small({{"source", 2}, {"depth_limit", 0}})));
    EXPECT_EQ(args.source, 2u);
    EXPECT_EQ(args.depth_limit, 0);
    EXPECT_FALSE(std::get<BfsArgs>(parse("bfs.v1", small({{"source", 2}}))).depth_limit);
}

TEST_F(GraphArgs, LabelsAreNumberedInByteOrderWithoutNodes) {
    json args = {{"edges", {{"paris", "berlin", 2}, {"berlin", "oslo"}, {"oslo", "paris"}}}, {"source", "oslo"}};
    auto parsed = std::get<SsspArgs>(parse("sssp.v1", args));
    EXPECT_EQ(parsed.input.labels, (std::vector<std::string>{"berlin", "oslo", "paris"}));
    EXPECT_EQ(parsed.source, 1u);
    EXPECT_EQ(row(*parsed.input.graph, 2), std::vector<kg::NodeId>{0});  // paris -> berlin
    EXPECT_EQ(parsed.input.graph->weights(2)[0], 2.0);
}

TEST_F(GraphArgs, LabelListAddsIsolatedNodes) {
    json args = {{"nodes", {"c", "a", "b", "z"}}, {"edges", edges({json::array({"a", "b"})})}, {"personalization", {{"z", 1}}}};
    auto parsed = std::get<PageRankArgs>(parse("pagerank.v1", args));
    EXPECT_EQ(parsed.input.labels, (std::vector<std::string>{"a", "b", "c", "z"}));
    EXPECT_EQ(parsed.input.graph->node_count(), 4u);
    EXPECT_EQ(parsed.options.personalization, (std::vector<double>{0, 0, 0, 1}));
}

TEST_F(GraphArgs, UnknownProfileAndMembers) {
    EXPECT_EQ(error_of("pagerank.v2", small()),
              "field 'op.profile' must be one of: pagerank.v1, sssp.v1, bfs.v1, components.v1 for op.name graph");
    EXPECT_EQ(error_of("pagerank.v1", small({{"dampening", 0.8}})), "field 'args.dampening' is not a known field");
    // A member of another profile is unknown here.
    EXPECT_EQ(error_of("components.v1", small({{"source", 0}})), "field 'args.source' is not a known field");
    EXPECT_EQ(error_of("bfs.v1", json::array()), "field 'args' must be an object");
}

TEST_F(GraphArgs, NodesRules) {
    EXPECT_EQ(error_of("components.v1", small({{"nodes", 0}})), "field 'args.nodes' must be an integer between 1 and 100");
    EXPECT_EQ(error_of("components.v1", small({{"nodes", 101}})), "field 'args.nodes' must be an integer between 1 and 100");
    EXPECT_EQ(error_of("components.v1", small({{"nodes", 2.5}})), "field 'args.nodes' must be an integer between 1 and 100");
    EXPECT_EQ(error_of("components.v1", small({{"nodes", "4"}})),
              "field 'args.nodes' must be a node count or a list of node labels");
    EXPECT_EQ(error_of("components.v1", {{"nodes", {"a", 1}}, {"edges", json::array()}}),
              "field 'args.nodes[1]' must be a node label (a string)");
    EXPECT_EQ(error_of("components.v1", {{"nodes", {"a", ""}}, {"edges", json::array()}}),
              "field 'args.nodes[1]' must not be an empty node label");
    EXPECT_EQ(error_of("components.v1", {{"nodes", {"a", "b", "a"}}, {"edges", json::array()}}),
              "field 'args.nodes' must not list a label twice");
    EXPECT_EQ(error_of("components.v1", {{"nodes", json::array()}, {"edges", json::array()}}),
              "field 'args.nodes' the graph is empty: give nodes or edges");
    EXPECT_EQ(error_of("components.v1", {{"nodes", json(std::vector<std::string>(3, "x"))}, {"edges", json::array()}},
                       {.max_nodes = 2, .max_edges = 20}),
              "field 'args.nodes' lists 3 nodes; the limit is 2");
}

TEST_F(GraphArgs, InlineEdgeRules) {
    auto with_edges = [](json edges) { return json{{"nodes", 3}, {"edges", std::move(edges)}}; };
    EXPECT_EQ(error_of("components.v1", {{"nodes", 3}}),
              "field 'args.edges' is required (a list of [u, v] or [u, v, w], or {\"artifact\": id})");
    EXPECT_EQ(error_of("components.v1", with_edges("0-1")),
              "field 'args.edges' must be a list of [u, v] or [u, v, w], or {\"artifact\": id}");
    EXPECT_EQ(error_of("components.v1", with_edges({{0, 1}, {1}})), "field 'args.edges[1]' must be [u, v] or [u, v, w]");
    EXPECT_EQ(error_of("components.v1", with_edges({{0, 1, 1, 1}})), "field 'args.edges[0]' must be [u, v] or [u, v, w]");
    EXPECT_EQ(error_of("components.v1", with_edges({{0, 1}, 7})), "field 'args.edges[1]' must be [u, v] or [u, v, w]");
    EXPECT_EQ(error_of("components.v1", with_edges({{0, 1.5}})),
              "field 'args.edges[0][1]' must be an integer node id (args.nodes is a count)");
    EXPECT_EQ(error_of("components.v1", with_edges(edges({json::array({"0", 1})}))),
              "field 'args.edges[0][0]' must be an integer node id (args.nodes is a count)");
    EXPECT_EQ(error_of("components.v1", with_edges({{0, 1}, {1, 2}, {2, 0}, {1, 3}})),
              "field 'args.edges[3][1]' node id 3 is out of range [0, 3)");
    EXPECT_EQ(error_of("components.v1", with_edges({{-1, 0}})), "field 'args.edges[0][0]' node id -1 is out of range [0, 3)");
    EXPECT_EQ(error_of("components.v1", with_edges({{0, 18446744073709551615ull}})),
              "field 'args.edges[0][1]' node id 18446744073709551615 is out of range [0, 3)");
    EXPECT_EQ(error_of("components.v1", with_edges({{0, 1, "2"}})),
              "field 'args.edges[0][2]' must be a finite number (the edge weight)");
    EXPECT_EQ(error_of("components.v1", with_edges(json(std::vector<std::vector<int>>(21, {0, 1})))),
              "field 'args.edges' has 21 edges; the limit is 20");
}

TEST_F(GraphArgs, NegativeWeightsOnlyWhereTheProfileNeedsThemNonNegative) {
    EXPECT_EQ(error_of("sssp.v1", small({{"edges", {{0, 1}, {1, 2, -0.5}}}, {"source", 0}})),
              "field 'args.edges[1][2]' must not be negative: shortest paths need non-negative weights");
    EXPECT_EQ(error_of("pagerank.v1", small({{"edges", {{0, 1}, {1, 2, -0.5}}}, {"weighted", true}})),
              "field 'args.edges[1][2]' must not be negative: weighted PageRank needs non-negative weights");
    EXPECT_NO_THROW(parse("pagerank.v1", small({{"edges", {{0, 1}, {1, 2, -0.5}}}})));
    EXPECT_NO_THROW(parse("bfs.v1", small({{"edges", {{0, 1}, {1, 2, -0.5}}}, {"source", 0}})));
}

TEST_F(GraphArgs, LabelRules) {
    EXPECT_EQ(error_of("components.v1", {{"edges", edges({json::array({"a", 1})})}}),
              "field 'args.edges[0][1]' must be a node label (a string), as args.nodes is not a count");
    EXPECT_EQ(error_of("components.v1", {{"edges", edges({json::array({"a", ""})})}}),
              "field 'args.edges[0][1]' must be a node label of 1 to 256 bytes");
    EXPECT_EQ(error_of("components.v1", {{"edges", edges({json::array({std::string(257, 'x'), "a"})})}}),
              "field 'args.edges[0][0]' must be a node label of 1 to 256 bytes");
    EXPECT_EQ(error_of("components.v1", {{"nodes", {"a", "b"}}, {"edges", edges({json::array({"a", "b"}), json::array({"b", "c"})})}}),
              "field 'args.edges[1][1]' names a node label that args.nodes does not list");
    EXPECT_EQ(error_of("components.v1", {{"edges", edges({json::array({"a", "b"}), json::array({"c", "d"})})}}, {.max_nodes = 3, .max_edges = 20}),
              "field 'args.edges' names more than 3 distinct nodes (the limit)");
    const json labelled = {{"edges", edges({json::array({"a", "b"})})}};
    EXPECT_EQ(error_of("bfs.v1", merged(labelled, {{"source", 0}})), "field 'args.source' must be a node label (a string)");
    EXPECT_EQ(error_of("bfs.v1", merged(labelled, {{"source", "q"}})), "field 'args.source' is not a node of the graph");
    EXPECT_EQ(error_of("pagerank.v1", merged(labelled, {{"personalization", {1, 1}}})),
              "field 'args.personalization' must be an object {label: weight} when nodes are labels");
    EXPECT_EQ(error_of("pagerank.v1", merged(labelled, {{"personalization", {{"q", 1}}}})),
              "field 'args.personalization.q' is not a node of the graph");
}

TEST_F(GraphArgs, PageRankRules) {
    EXPECT_EQ(error_of("pagerank.v1", small({{"damping", 1}})), "field 'args.damping' must be a number strictly between 0 and 1");
    EXPECT_EQ(error_of("pagerank.v1", small({{"damping", 0}})), "field 'args.damping' must be a number strictly between 0 and 1");
    EXPECT_EQ(error_of("pagerank.v1", small({{"tolerance", 0}})), "field 'args.tolerance' must be a positive number");
    EXPECT_EQ(error_of("pagerank.v1", small({{"max_iterations", 0}})),
              "field 'args.max_iterations' must be an integer between 1 and 100000");
    EXPECT_EQ(error_of("pagerank.v1", small({{"top_k", 0}})), "field 'args.top_k' must be an integer between 1 and 100");
    EXPECT_EQ(error_of("pagerank.v1", small({{"weighted", 1}})), "field 'args.weighted' must be true or false");
    EXPECT_EQ(error_of("pagerank.v1", small({{"personalization", {1, 2, 3}}})),
              "field 'args.personalization' must hold one weight per node (4); it holds 3");
    EXPECT_EQ(error_of("pagerank.v1", small({{"personalization", {1, 2, -3, 0}}})),
              "field 'args.personalization[2]' must be a non-negative finite number");
    EXPECT_EQ(error_of("pagerank.v1", small({{"personalization", {{"01", 1}}}})),
              "field 'args.personalization.01' must be named by a node id in [0, 4) written in decimal");
    EXPECT_EQ(error_of("pagerank.v1", small({{"personalization", {{"4", 1}}}})),
              "field 'args.personalization.4' must be named by a node id in [0, 4) written in decimal");
    EXPECT_EQ(error_of("pagerank.v1", small({{"personalization", 1}})),
              "field 'args.personalization' must be an object {node: weight} or a list of one weight per node");
}

// What only the kernel checks (a personalization summing to 0) keeps the API error shape.
TEST_F(GraphArgs, KernelErrorsNameTheArgsField) {
    auto args = std::get<PageRankArgs>(parse("pagerank.v1", small({{"personalization", {0, 0, 0, 0}}})));
    std::string message;
    try {
        kg::make_pagerank_problem(*args.input.graph, args.options);
    } catch (const std::invalid_argument& e) {
        try {
            throw_graph_kernel_error(e);
        } catch (const core::ApiError& api) {
            EXPECT_EQ(api.code(), "invalid_request");
            message = api.message();
        }
    }
    EXPECT_EQ(message, "field 'args.personalization' sums to 0; it must sum to a positive finite value");
}

TEST_F(GraphArgs, SsspAndBfsRules) {
    EXPECT_EQ(error_of("sssp.v1", small()), "field 'args.source' is required");
    EXPECT_EQ(error_of("sssp.v1", small({{"source", 4}})), "field 'args.source' must be an integer node id in [0, 4)");
    EXPECT_EQ(error_of("sssp.v1", small({{"source", -1}})), "field 'args.source' must be an integer node id in [0, 4)");
    EXPECT_EQ(error_of("sssp.v1", small({{"source", 0}, {"targets", {1}}, {"k", 2}})),
              "field 'args.k' cannot be combined with args.targets (give one of them)");
    EXPECT_EQ(error_of("sssp.v1", small({{"source", 0}, {"k", 5}})), "field 'args.k' must be an integer between 1 and 4");
    EXPECT_EQ(error_of("sssp.v1", small({{"source", 0}, {"targets", json::array()}})),
              "field 'args.targets' must be a list of 1 to 4 nodes");
    EXPECT_EQ(error_of("sssp.v1", small({{"source", 0}, {"targets", {1, 9}}})),
              "field 'args.targets[1]' must be an integer node id in [0, 4)");
    EXPECT_EQ(error_of("bfs.v1", small({{"source", 0}, {"depth_limit", -1}})),
              "field 'args.depth_limit' must be an integer between 0 and 9223372036854775807");
    EXPECT_EQ(error_of("components.v1", small({{"strong", "yes"}})), "field 'args.strong' must be true or false");
    EXPECT_EQ(error_of("components.v1", small({{"directed", 0}})), "field 'args.directed' must be true or false");
}

TEST_F(GraphArgs, CsvArtifactWithCommentsBlankLinesAndCrlf) {
    auto args = csv_args("# u,v,w\n0,1\r\n\n  \n1, 2 ,2.5\n# trailing comment\n3,3");
    auto parsed = std::get<ComponentsArgs>(parse("components.v1", args));
    const auto& g = *parsed.input.graph;
    EXPECT_EQ(g.stored_edge_count(), 3u);
    EXPECT_EQ(row(g, 1), std::vector<kg::NodeId>{2});
    EXPECT_EQ(g.weights(1)[0], 2.5);
    EXPECT_EQ(row(g, 3), std::vector<kg::NodeId>{3});
}

TEST_F(GraphArgs, TsvArtifactWithLabels) {
    artifacts_.add(kTsvId, "text/tab-separated-values; charset=utf-8", "b\ta\t1\nz\xc3\xa9\tb\n");
    json args = {{"edges", {{"artifact", kTsvId}}}, {"source", "b"}};
    auto parsed = std::get<BfsArgs>(parse("bfs.v1", args));
    EXPECT_EQ(parsed.input.labels, (std::vector<std::string>{"a", "b", "z\xc3\xa9"}));
    EXPECT_EQ(parsed.source, 1u);
    EXPECT_EQ(row(*parsed.input.graph, 2), std::vector<kg::NodeId>{1});
}

TEST_F(GraphArgs, ArtifactRules) {
    EXPECT_EQ(error_of("components.v1", csv_args("0,1\n1,2,3,4\n")),
              "field 'args.edges' line 2: must have 2 or 3 fields (u, v and an optional weight)");
    EXPECT_EQ(error_of("components.v1", csv_args("0,1\n\n5\n")),
              "field 'args.edges' line 3: must have 2 or 3 fields (u, v and an optional weight)");
    EXPECT_EQ(error_of("components.v1", csv_args("0,1\nx,2\n")),
              "field 'args.edges' line 2 column 1: must be an integer node id (args.nodes is a count)");
    EXPECT_EQ(error_of("components.v1", csv_args("0,1.0\n")),
              "field 'args.edges' line 1 column 2: must be an integer node id (args.nodes is a count)");
    EXPECT_EQ(error_of("components.v1", csv_args("0,\n")),
              "field 'args.edges' line 1 column 2: must be an integer node id (args.nodes is a count)");
    EXPECT_EQ(error_of("components.v1", csv_args("# c\n0,1\n1,2\n2,3\n3,4\n")),
              "field 'args.edges' line 5 column 2: node id 4 is out of range [0, 4)");
    EXPECT_EQ(error_of("components.v1", csv_args("0,99999999999999999999\n")),
              "field 'args.edges' line 1 column 2: node id 99999999999999999999 is out of range [0, 4)");
    EXPECT_EQ(error_of("components.v1", csv_args("0,1,heavy\n")),
              "field 'args.edges' line 1 column 3: must be a finite number (the edge weight)");
    EXPECT_EQ(error_of("components.v1", csv_args("0,1,inf\n")),
              "field 'args.edges' line 1 column 3: must be a finite number (the edge weight)");
    EXPECT_EQ(error_of("sssp.v1", merged(csv_args("0,1,1\n1,2,-1\n"), {{"source", 0}})),
              "field 'args.edges' line 2 column 3: must not be negative: shortest paths need non-negative weights");
    EXPECT_EQ(error_of("components.v1", csv_args("a,b\nc,\xff\n", nullptr)), "field 'args.edges' line 2: is not valid UTF-8 text");
    EXPECT_EQ(error_of("components.v1", csv_args("a,b\n,b\n", nullptr)),
              "field 'args.edges' line 2 column 1: must be a node label of 1 to 256 bytes");
    std::string many;
    for (int i = 0; i < 21; ++i) many += "0,1\n";
    EXPECT_EQ(error_of("components.v1", csv_args(many)),
              "field 'args.edges' names an artifact with more than 20 edges (the limit)");
}

TEST_F(GraphArgs, ArtifactReferenceRules) {
    artifacts_.add(kCsvId, "application/octet-stream", "0,1\n");
    EXPECT_EQ(error_of("components.v1", {{"nodes", 2}, {"edges", {{"artifact", kCsvId}}}}),
              "field 'args.edges' names an artifact of media type 'application/octet-stream'; an edge list is "
              "text/csv or text/tab-separated-values");
    EXPECT_EQ(error_of("components.v1", {{"nodes", 2}, {"edges", {{"artifact", kCsvId}, {"format", "csv"}}}}),
              "field 'args.edges.format' is not a known field");
    EXPECT_EQ(error_of("components.v1", {{"nodes", 2}, {"edges", {{"artifact", "sha256:00"}}}}),
              "field 'args.edges.artifact' no such artifact");
    EXPECT_EQ(error_of("components.v1", {{"nodes", 2}, {"edges", json::object()}}),
              "field 'args.edges.artifact' is required");
}

TEST_F(GraphArgs, InlineAndArtifactGiveTheSameGraph) {
    auto inline_graph = std::get<ComponentsArgs>(parse("components.v1", small())).input.graph;
    auto artifact_graph =
        std::get<ComponentsArgs>(parse("components.v1", csv_args("3,3\n2,0\n1,2,2.5\n0,1\n"))).input.graph;
    EXPECT_EQ(inline_graph->offsets(), artifact_graph->offsets());
    EXPECT_EQ(inline_graph->all_neighbors(), artifact_graph->all_neighbors());
    EXPECT_EQ(inline_graph->all_weights(), artifact_graph->all_weights());
}

}  // namespace
}  // namespace forgehive::api
