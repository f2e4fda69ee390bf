// End-to-end tests of the graph and tensor families over HTTP against the real server: outputs
// bit-identical for 1, 2, 3 and 16 agents and any verify mode, multi-round PageRank, validation errors,
// failures with the family's message, billing, artifact inputs and large outputs returned as artifacts.
#include <cmath>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "forgehive/crypto/base64.hpp"
#include "forgehive/crypto/hash.hpp"
#include "test_server.hpp"

namespace forgehive::testing {
namespace {

using nlohmann::json;

// 16 agents; outputs larger than 8 KiB of JSON come back as artifacts.
const std::string kConfig =
    "[agents]\nthreads = 16\n[gateway]\nrate_per_second = 0\n[artifacts]\ninline_output_max_bytes = 8192\n";

struct Client {
    int port;
    std::string token;

    HttpResponse execute(const json& body) const {
        return request(port, "POST", "/api/v0/ops/execute",
                       {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}}, body.dump());
    }
    HttpResponse upload(const std::string& media_type, const std::string& bytes) const {
        return request(port, "POST", "/api/v0/artifacts", {{"Authorization", "Bearer " + token}, {"Content-Type", media_type}},
                       bytes);
    }
    HttpResponse get(const std::string& path) const {
        return request(port, "GET", path, {{"Authorization", "Bearer " + token}});
    }
};

json envelope(const std::string& name, const std::string& profile, json args) {
    return {{"ctx", {{"billing", {{"mode", "test"}}}}},
            {"op", {{"name", name}, {"version", 1}, {"profile", profile}}},
            {"args", std::move(args)}};
}

// Deterministic pseudo-random values in [-1, 1) with few significant bits (an LCG; exact in f32 and f64).
std::vector<double> values(std::size_t count, std::uint64_t seed) {
    std::vector<double> out;
    for (std::size_t i = 0; i < count; ++i) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        out.push_back(static_cast<double>(static_cast<std::int64_t>(seed >> 52) - 2048) / 2048.0);
    }
    return out;
}

json matrix(std::int64_t rows, std::int64_t cols, const std::string& dtype, std::uint64_t seed) {
    return {{"shape", {rows, cols}}, {"dtype", dtype}, {"data", values(static_cast<std::size_t>(rows * cols), seed)}};
}

// A random directed graph with dangling nodes, self loops and parallel edges.
json random_edges(std::int64_t nodes, std::size_t count, std::uint64_t seed) {
    json edges = json::array();
    for (std::size_t i = 0; i < count; ++i) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        auto u = static_cast<std::int64_t>((seed >> 33) % static_cast<std::uint64_t>(nodes - nodes / 10));
        auto v = static_cast<std::int64_t>((seed >> 13) % static_cast<std::uint64_t>(nodes));
        edges.push_back({u, v});
    }
    return edges;
}

json pagerank_args() {
    return {{"nodes", 10000}, {"edges", random_edges(10000, 30000, 7)}, {"tolerance", 1e-10}, {"top_k", 10}};
}

class FamiliesTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        server_ = new ServerProcess(with_config(kConfig));
        client_ = new Client{server_->port(), server_->make_token("families", 100000)};
    }
    static void TearDownTestSuite() {
        delete client_;
        delete server_;
    }

    // Runs the envelope with max_agents 1, 2, 3 and 16 and every verify mode; all output hashes must agree.
    static json run_everywhere(const json& request_body) {
        std::string reference;
        json output;
        for (int agents : {1, 2, 3, 16}) {
            for (const char* verify : {"none", "spotcheck", "full"}) {
                auto body = request_body;
                body["policy"] = {{"max_agents", agents}, {"verify", verify}};
                auto r = client_->execute(body);
                EXPECT_EQ(r.status, 200) << r.body;
                if (r.status != 200) return json();
                auto parsed = json::parse(r.body);
                auto hash = parsed["hub"]["replay"]["output_hash"].get<std::string>();
                if (reference.empty()) {
                    reference = hash;
                    output = parsed["hub"]["output"];
                }
                EXPECT_EQ(hash, reference) << agents << " agents, verify " << verify;
                EXPECT_EQ(parsed["hub"]["output"].dump(), output.dump());
            }
        }
        return output;
    }

    static ServerProcess* server_;
    static Client* client_;
};
ServerProcess* FamiliesTest::server_ = nullptr;
Client* FamiliesTest::client_ = nullptr;

TEST_F(FamiliesTest, MatmulOfSmallIntegersIsExact) {
    json args = {{"a", {{"shape", {2, 3}}, {"dtype", "f64"}, {"data", {1, 2, 3, 4, 5, 6}}}},
                 {"b", {{"shape", {3, 2}}, {"dtype", "f64"}, {"data", {{7, 8}, {9, 10}, {11, 12}}}}}};
    auto r = client_->execute(envelope("tensor", "matmul.v1", args));
    ASSERT_EQ(r.status, 200) << r.body;
    auto c = json::parse(r.body)["hub"]["output"]["c"];
    EXPECT_EQ(c["shape"], json({2, 2}));
    EXPECT_EQ(c["dtype"], "f64");
    EXPECT_EQ(c["data"], json({58.0, 64.0, 139.0, 154.0}));
}

TEST_F(FamiliesTest, MatmulIsBitIdenticalForAnyAgentCount) {
    for (const char* dtype : {"f32", "f64"}) {
        auto output = run_everywhere(
            envelope("tensor", "matmul.v1", {{"a", matrix(300, 70, dtype, 1)}, {"b", matrix(70, 40, dtype, 2)}}));
        EXPECT_EQ(output["c"]["shape"], json({300, 40}));
    }
}

TEST_F(FamiliesTest, SolveReportsTheResidualAndRefusesSingularSystems) {
    json a = {{"shape", {2, 2}}, {"dtype", "f64"}, {"data", {4, 1, 1, 3}}};
    json b = {{"shape", {2, 1}}, {"dtype", "f64"}, {"data", {1, 2}}};
    auto r = client_->execute(envelope("tensor", "solve.v1", {{"a", a}, {"b", b}}));
    ASSERT_EQ(r.status, 200) << r.body;
    auto output = json::parse(r.body)["hub"]["output"];
    EXPECT_NEAR(output["x"]["data"][0].get<double>(), 1.0 / 11.0, 1e-15);
    EXPECT_NEAR(output["x"]["data"][1].get<double>(), 7.0 / 11.0, 1e-15);
    EXPECT_LT(output["residual"].get<double>(), 1e-15);

    json singular = {{"shape", {2, 2}}, {"dtype", "f64"}, {"data", {1, 2, 2, 4}}};
    r = client_->execute(envelope("tensor", "solve.v1", {{"a", singular}, {"b", b}}));
    EXPECT_EQ(r.status, 500) << r.body;
    auto error = json::parse(r.body)["error"];
    EXPECT_EQ(error["code"], "execution_failed");
    EXPECT_NE(error["message"].get<std::string>().find("singular"), std::string::npos) << error;
}

TEST_F(FamiliesTest, ReduceIsBitIdenticalForAnyAgentCount) {
    auto output = run_everywhere(envelope(
        "tensor", "reduce.v1", {{"x", matrix(1000, 3, "f64", 3)}, {"axis", 0}, {"ops", {"sum", "mean", "min", "max", "l2"}}}));
    EXPECT_EQ(output["sum"]["shape"], json({1, 3}));
}

TEST_F(FamiliesTest, PageRankRunsManySweepsAndIsBitIdenticalForAnyAgentCount) {
    auto output = run_everywhere(envelope("graph", "pagerank.v1", pagerank_args()));
    ASSERT_EQ(output["top"].size(), 10u);
    EXPECT_GT(output["iterations"].get<int>(), 5);
    EXPECT_EQ(output["converged"], true);
    EXPECT_LT(output["residual"].get<double>(), 1e-10);
    for (std::size_t i = 1; i < output["top"].size(); ++i)
        EXPECT_GE(output["top"][i - 1]["score"].get<double>(), output["top"][i]["score"].get<double>());
}

TEST_F(FamiliesTest, PageRankExecutionsCoverEveryRound) {
    auto body = envelope("graph", "pagerank.v1", pagerank_args());
    body["policy"] = {{"max_agents", 3}};
    auto r = client_->execute(body);
    ASSERT_EQ(r.status, 200) << r.body;
    auto hub = json::parse(r.body)["hub"];
    auto iterations = hub["output"]["iterations"].get<std::uint64_t>();
    EXPECT_EQ(hub["metrics"]["rounds"], iterations);
    EXPECT_EQ(hub["executions"].size(), 3u);
    for (const auto& e : hub["executions"]) EXPECT_EQ(e["rounds"], iterations);
}

TEST_F(FamiliesTest, OtherGraphProfilesAnswerOnASmallGraph) {
    json edges = {{0, 1, 2.0}, {1, 2, 1.0}, {0, 2, 5.0}, {3, 4, 1.0}};
    auto r = client_->execute(envelope("graph", "sssp.v1", {{"nodes", 5}, {"edges", edges}, {"source", 0}, {"targets", {2, 4}}}));
    ASSERT_EQ(r.status, 200) << r.body;
    auto sssp = json::parse(r.body)["hub"]["output"];
    EXPECT_EQ(sssp["distances"]["2"], 3.0) << sssp;
    EXPECT_EQ(sssp["paths"]["2"], json({0, 1, 2})) << sssp;

    r = client_->execute(envelope("graph", "components.v1", {{"nodes", 5}, {"edges", edges}}));
    ASSERT_EQ(r.status, 200) << r.body;
    auto components = json::parse(r.body)["hub"]["output"];
    EXPECT_EQ(components["count"], 2);
    EXPECT_EQ(components["labels"], json({0, 0, 0, 3, 3}));

    r = client_->execute(envelope("graph", "bfs.v1", {{"nodes", 5}, {"edges", edges}, {"source", 0}}));
    ASSERT_EQ(r.status, 200) << r.body;
}

TEST_F(FamiliesTest, MalformedArgsAreRefusedNamingTheField) {
    struct Case {
        json body;
        std::string field;
    };
    json a = {{"shape", {2, 2}}, {"dtype", "f64"}, {"data", {1, 2, 3, 4}}};
    const Case cases[] = {
        {envelope("tensor", "matmul.v1", {{"a", {{"shape", {2, 2}}, {"dtype", "f64"}, {"data", {{1, 2}, {3}}}}}, {"b", a}}),
         "args.a"},
        {envelope("tensor", "matmul.v1", {{"a", a}, {"b", {{"shape", {3, 1}}, {"dtype", "f64"}, {"data", {1, 2, 3}}}}}),
         "args.b"},
        {envelope("tensor", "matmul.v1", {{"a", a}}), "args.b"},
        {envelope("tensor", "reduce.v1", {{"x", a}, {"axis", 0}, {"ops", {"median"}}}), "args.ops"},
        {envelope("graph", "pagerank.v1", {{"nodes", 3}, {"edges", {{0, 3}}}}), "args.edges"},
        {envelope("graph", "sssp.v1", {{"nodes", 2}, {"edges", {{0, 1, -1.0}}}, {"source", 0}}), "weight"},
        {envelope("graph", "pagerank.v1", {{"nodes", 2}, {"edges", {{0, 1}}}, {"damping", 1.5}}), "damping"},
        {envelope("graph", "shortest.v1", {{"nodes", 2}, {"edges", {{0, 1}}}}), "profile"},
    };
    for (const auto& c : cases) {
        auto r = client_->execute(c.body);
        EXPECT_EQ(r.status, 400) << c.body["args"].dump() << " -> " << r.body;
        auto message = json::parse(r.body)["error"]["message"].get<std::string>();
        EXPECT_NE(message.find(c.field), std::string::npos) << message;
    }
}

TEST_F(FamiliesTest, LargeOutputsComeBackAsArtifacts) {
    auto r = client_->execute(envelope("tensor", "matmul.v1", {{"a", matrix(65, 64, "f64", 4)}, {"b", matrix(64, 64, "f64", 5)}}));
    ASSERT_EQ(r.status, 200) << r.body;
    auto output = json::parse(r.body)["hub"]["output"];
    auto c = output["c"];
    ASSERT_TRUE(c.contains("artifact")) << c;
    EXPECT_EQ(c["shape"], json({65, 64}));
    EXPECT_EQ(c["bytes"], 65 * 64 * 8);
    auto download = client_->get("/api/v0/artifacts/" + c["artifact"].get<std::string>());
    ASSERT_EQ(download.status, 200);
    EXPECT_EQ(download.body.size(), 65u * 64u * 8u);
    EXPECT_EQ("sha256:" + crypto::sha256_hex(download.body), c["artifact"]);
    EXPECT_EQ("sha256:" + crypto::sha256_hex(download.body), output["c_hash"]);
}

TEST_F(FamiliesTest, ArgsMayReferenceUploadedArtifacts) {
    std::string csv = "# edges\n0,1\n1,2\n2,0\n2,3\n";
    auto up = client_->upload("text/csv", csv);
    ASSERT_TRUE(up.status == 200 || up.status == 201) << up.body;
    auto edges_id = json::parse(up.body)["artifact"]["id"].get<std::string>();
    auto r = client_->execute(envelope("graph", "pagerank.v1", {{"nodes", 4}, {"edges", {{"artifact", edges_id}}}}));
    ASSERT_EQ(r.status, 200) << r.body;
    auto inline_r = client_->execute(envelope("graph", "pagerank.v1", {{"nodes", 4}, {"edges", {{0, 1}, {1, 2}, {2, 0}, {2, 3}}}}));
    ASSERT_EQ(inline_r.status, 200) << inline_r.body;
    EXPECT_EQ(json::parse(r.body)["hub"]["output"], json::parse(inline_r.body)["hub"]["output"]);

    std::string bytes;
    for (double v : {1.0, 2.0, 3.0, 4.0}) bytes.append(reinterpret_cast<const char*>(&v), sizeof v);
    up = client_->upload("application/vnd.forgehive.tensor; dtype=f64; shape=2x2", bytes);
    ASSERT_TRUE(up.status == 200 || up.status == 201) << up.body;
    auto matrix_id = json::parse(up.body)["artifact"]["id"].get<std::string>();
    json identity = {{"shape", {2, 2}}, {"dtype", "f64"}, {"data", {1, 0, 0, 1}}};
    r = client_->execute(envelope("tensor", "matmul.v1", {{"a", {{"artifact", matrix_id}}}, {"b", identity}}));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(json::parse(r.body)["hub"]["output"]["c"]["data"], json({1.0, 2.0, 3.0, 4.0}));

    r = client_->execute(envelope("tensor", "matmul.v1", {{"a", {{"artifact", "sha256:" + std::string(64, '0')}}}, {"b", identity}}));
    EXPECT_EQ(r.status, 400) << r.body;
}

TEST(FamiliesLimits, ConfiguredLimitsRefuseOversizeInputs) {
    ServerProcess server(with_config("[gateway]\nrate_per_second = 0\n[graph]\nmax_nodes = 100\nmax_edges = 3\n"
                                     "[tensor]\nmax_elements = 100\nmax_solve_dimension = 4\n"));
    Client client{server.port(), server.make_token("limited")};
    struct Case {
        json body;
        std::string says;
    };
    const Case cases[] = {
        {envelope("graph", "bfs.v1", {{"nodes", 101}, {"edges", {{0, 1}}}, {"source", 0}}), "100"},
        {envelope("graph", "bfs.v1", {{"nodes", 5}, {"edges", {{0, 1}, {1, 2}, {2, 3}, {3, 4}}}, {"source", 0}}), "3"},
        {envelope("tensor", "matmul.v1", {{"a", matrix(11, 10, "f64", 1)}, {"b", matrix(10, 1, "f64", 2)}}), "100"},
        {envelope("tensor", "solve.v1", {{"a", matrix(5, 5, "f64", 1)}, {"b", matrix(5, 1, "f64", 2)}}), "4"},
    };
    for (const auto& c : cases) {
        auto r = client.execute(c.body);
        EXPECT_EQ(r.status, 400) << r.body;
        EXPECT_NE(json::parse(r.body)["error"]["message"].get<std::string>().find(c.says), std::string::npos) << r.body;
    }
    auto r = client.execute(envelope("tensor", "matmul.v1", {{"a", matrix(10, 10, "f64", 1)}, {"b", matrix(10, 1, "f64", 2)}}));
    EXPECT_EQ(r.status, 200) << r.body;
}

TEST(FamiliesBilling, BillableJobsAreChargedForTheirDeclaredWork) {
    ServerProcess server(with_config("[gateway]\nrate_per_second = 0\n"));
    Client client{server.port(), server.make_token("payer", 100)};
    auto body = envelope("tensor", "matmul.v1", {{"a", matrix(100, 100, "f64", 1)}, {"b", matrix(100, 100, "f64", 2)}});
    body["ctx"]["billing"]["mode"] = "billable";
    auto r = client.execute(body);
    ASSERT_EQ(r.status, 200) << r.body;
    auto result = json::parse(r.body);
    EXPECT_EQ(result["billing"]["credits"], 1);  // 1e6 multiply-adds at 1 credit per million
    // 80,000 bytes of c: over the inline data limit, under the default 1 MiB artifact threshold: base64.
    auto c = result["hub"]["output"]["c"];
    ASSERT_TRUE(c.contains("base64")) << c.dump().substr(0, 200);
    auto bytes = crypto::from_base64(c["base64"].get<std::string>());
    ASSERT_TRUE(bytes);
    EXPECT_EQ(bytes->size(), 100u * 100u * 8u);
    EXPECT_EQ("sha256:" + crypto::sha256_hex(*bytes), result["hub"]["output"]["c_hash"]);
    EXPECT_EQ(project_credits(server.store_dir(), "payer"), 99);

    Client poor{server.port(), server.make_token("poor", 0)};
    r = poor.execute(body);
    EXPECT_EQ(r.status, 429) << r.body;
}

}  // namespace
}  // namespace forgehive::testing
