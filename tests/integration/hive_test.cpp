// POST /v1/compute through the real server, signed by an independent client (PyNaCl, with its own
// RFC 8785 code: tests/fixtures/hive/hive_client.py): every gate and error code, gate order, replay,
// delegation, budget, the DAG, settlement, proofs checked by the same independent script, restarts.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "test_server.hpp"

namespace forgehive::testing {
namespace {

const std::string kPrincipalSeed(64, '1');
const std::string kAgentSeed(64, '2');
const std::string kStrangerSeed(64, '3');
constexpr std::string_view kRome7 = "871e8052affffff";
constexpr std::string_view kVatican9 = "891e80505c7ffff";
constexpr std::string_view kSanMarino9 = "891ea3cea87ffff";
constexpr std::string_view kOpenPacific7 = "87798aaf3ffffff";
constexpr std::string_view kPyongyang9 = "89302989dcfffff";

// Runs the independent client with `input` on stdin; returns its stdout.
std::string client(const std::string& args, const std::string& input = "", int* exit_code = nullptr) {
    TempDir tmp;
    auto in_path = tmp.path() + "/in.json";
    std::ofstream(in_path) << input;
    auto command = "/usr/bin/python3 " + source_dir() + "/tests/fixtures/hive/hive_client.py " + args + " < " + in_path;
    std::string out;
    FILE* pipe = ::popen(command.c_str(), "r");
    std::array<char, 4096> buffer{};
    while (auto n = std::fread(buffer.data(), 1, buffer.size(), pipe)) out.append(buffer.data(), n);
    int status = ::pclose(pipe);
    if (exit_code) *exit_code = WEXITSTATUS(status);
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
}

std::string public_key(const std::string& seed) { return client("pk " + seed); }

std::int64_t now_s() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

nlohmann::json reading(const std::string& id, double value, double variance, std::int64_t t = now_s()) {
    return {{"sensor_id", id}, {"value", value}, {"variance", variance}, {"timestamp", t}};
}

nlohmann::json fusion_step(const std::string& id, nlohmann::json readings) {
    return {{"id", id}, {"type", "sensor_fusion"}, {"readings", std::move(readings)}};
}

nlohmann::json request_for(const std::string& seed, nlohmann::json steps) {
    return {{"requester_pk", public_key(seed)}, {"h3_cell", kRome7}, {"steps", std::move(steps)}, {"budget_gns", 0.01}};
}

std::string signed_body(const nlohmann::json& request, const std::string& seed) { return client("sign " + seed, request.dump()); }

struct Reply {
    int status;
    nlohmann::json body;
    HttpResponse raw;
};

Reply post(int port, const std::string& body, std::vector<std::pair<std::string, std::string>> headers = {}) {
    headers.emplace_back("Content-Type", "application/json");
    auto r = request(port, "POST", "/v1/compute", headers, body);
    return {r.status, nlohmann::json::parse(r.body, nullptr, false), r};
}

Reply get(int port, const std::string& target) {
    auto r = request(port, "GET", target);
    return {r.status, nlohmann::json::parse(r.body, nullptr, false), r};
}

void expect_error(const Reply& reply, int status, const std::string& code, const std::string& detail_part = "") {
    EXPECT_EQ(reply.status, status) << reply.raw.body;
    EXPECT_EQ(reply.body.value("error", ""), code) << reply.raw.body;
    EXPECT_NE(reply.body.value("detail", "").find(detail_part), std::string::npos) << reply.raw.body;
}

class HiveTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        server_ = new ServerProcess();
        auto added = run_cli({"principal", "add", "--data-dir", server_->store_dir(), "--pk", public_key(kPrincipalSeed),
                              "--name", "alice"});
        ASSERT_EQ(added.exit_code, 0) << added.out;
    }
    static void TearDownTestSuite() {
        delete server_;
        server_ = nullptr;
    }
    int port() const { return server_->port(); }
    static ServerProcess* server_;
};
ServerProcess* HiveTest::server_ = nullptr;

TEST_F(HiveTest, SensorFusionJobHasTheSeedsShapeAndAnIndependentlyVerifiableProof) {
    auto request = request_for(kPrincipalSeed, {fusion_step("fuse", {reading("a", 20, 1), reading("b", 22, 1)})});
    auto reply = post(port(), signed_body(request, kPrincipalSeed));
    ASSERT_EQ(reply.status, 200) << reply.raw.body;
    const auto& job = reply.body;
    EXPECT_EQ(job["job_id"].get<std::string>().size(), 36u);
    EXPECT_EQ(job["worker_pk"].get<std::string>().size(), 64u);
    EXPECT_EQ(job["h3_cell"], kRome7);
    EXPECT_EQ(job["epoch"], now_s() / 3600);
    EXPECT_EQ(job["status"], "complete");
    EXPECT_EQ(job["jurisdiction"]["country"], "IT");
    EXPECT_EQ(job["jurisdiction"]["frameworks"], nlohmann::json({"GDPR", "EU_AI_ACT"}));
    EXPECT_EQ(job["jurisdiction"]["resolution"], 7);
    const auto& step = job["steps"][0];
    EXPECT_EQ(step["status"], "complete");
    EXPECT_DOUBLE_EQ(step["output"]["estimate"].get<double>(), 21);
    EXPECT_DOUBLE_EQ(step["output"]["variance"].get<double>(), 0.5);
    EXPECT_EQ(job["settlement"]["stellar_tx"], nullptr);
    EXPECT_EQ(job["settlement"]["total_gns"].dump(), "0.0005");
    EXPECT_EQ(job["settlement"]["breakdown"]["fuse"].dump(), "0.0005");
    EXPECT_EQ(job["proof"]["verify_url"], "/v1/compute/" + job["job_id"].get<std::string>() + "/proof");
    int code = -1;
    EXPECT_EQ(client("verify-proof", reply.raw.body, &code), "ok");
    EXPECT_EQ(code, 0);
    auto metrics = get(port(), "/metrics").raw.body;
    EXPECT_NE(metrics.find("forgehive_hive_jobs_total{status=\"complete\"} "), std::string::npos) << metrics;

    auto again = get(port(), "/v1/compute/" + job["job_id"].get<std::string>());
    EXPECT_EQ(again.status, 200);
    EXPECT_EQ(again.body, job);
    auto proof = get(port(), job["proof"]["verify_url"].get<std::string>());
    ASSERT_EQ(proof.status, 200) << proof.raw.body;
    EXPECT_EQ(proof.body["job_hash"], job["proof"]["job_hash"]);
    EXPECT_EQ(proof.body["leaves"].size(), 1u);
    EXPECT_EQ(client("verify-proof", proof.raw.body), "ok");
    auto tampered = job;
    tampered["steps"][0]["output"]["estimate"] = 99;
    EXPECT_NE(client("verify-proof", tampered.dump(), &code), "ok");
    EXPECT_EQ(code, 1);

    // The same checks with `forgehive proof verify`, on a saved response and on the proof document.
    TempDir tmp;
    auto save = [&](const std::string& name, const std::string& text) {
        std::ofstream(tmp.path() + "/" + name) << text;
        return tmp.path() + "/" + name;
    };
    auto ok = run_cli({"proof", "verify", save("job.json", reply.raw.body)});
    EXPECT_EQ(ok.exit_code, 0) << ok.out;
    EXPECT_NE(ok.out.find("proof OK"), std::string::npos) << ok.out;
    EXPECT_EQ(run_cli({"proof", "verify", save("proof.json", proof.raw.body)}).exit_code, 0);
    auto bad = run_cli({"proof", "verify", save("bad.json", tampered.dump())});
    EXPECT_EQ(bad.exit_code, 1);
    EXPECT_NE(bad.out.find("proof FAILED: job_hash"), std::string::npos) << bad.out;
}

TEST_F(HiveTest, MissingSignatureGetsTheSeedsExactAnswer) {
    auto reply = post(port(), request_for(kPrincipalSeed, {fusion_step("f", {reading("a", 1, 1)})}).dump());
    EXPECT_EQ(reply.status, 401);
    EXPECT_EQ(reply.raw.body, R"({"error":"signature_required","detail":"X-GNS-Signature header is required"})" "\n");
    auto metrics = get(port(), "/metrics").raw.body;
    EXPECT_NE(metrics.find("forgehive_hive_rejections_total{error=\"signature_required\"} "), std::string::npos) << metrics;
}

TEST_F(HiveTest, HeaderSignatureAndLayoutIndependence) {
    auto request = request_for(kPrincipalSeed, {fusion_step("f", {reading("a", 1, 1)})});
    auto body = nlohmann::json::parse(signed_body(request, kPrincipalSeed));
    auto signature = body["signature"].get<std::string>();
    body.erase("signature");
    auto reply = post(port(), body.dump(4), {{"X-GNS-Signature", signature}});
    EXPECT_EQ(reply.status, 200) << reply.raw.body;
}

TEST_F(HiveTest, BadSignaturesAndUnrepresentableJson) {
    auto request = request_for(kPrincipalSeed, {fusion_step("f", {reading("a", 1, 1)})});
    auto body = nlohmann::json::parse(signed_body(request, kPrincipalSeed));
    body["budget_gns"] = 0.02;
    expect_error(post(port(), body.dump()), 401, "signature_invalid", "does not verify");
    body["signature"] = "abc";
    expect_error(post(port(), body.dump()), 401, "signature_invalid", "128 hex digits");
    expect_error(post(port(), R"({"requester_pk":"aa","requester_pk":"bb","signature":"00"})"), 400, "invalid_request", "duplicate");
    expect_error(post(port(), R"({"x":"\ud800","signature":"00"})"), 400, "invalid_request");
}

TEST_F(HiveTest, GatesRunInOrder) {
    nlohmann::json bowtie = {{"type", "Polygon"}, {"coordinates", {{{0, 0}, {1, 1}, {1, 0}, {0, 1}, {0, 0}}}}};
    auto step = fusion_step("f", {reading("a", 1, 1)});
    step["context"] = {{"aoi", bowtie}};
    auto request = request_for(kPrincipalSeed, {step});
    // Gates 1 and 4 both fail: gate 1 answers.
    auto body = nlohmann::json::parse(signed_body(request, kPrincipalSeed));
    body["signature"] = std::string(128, '0');
    expect_error(post(port(), body.dump()), 401, "signature_invalid");
    // Gates 2 and 4: gate 2.
    auto bad_cell = request;
    bad_cell["h3_cell"] = "871e8052affff00";
    expect_error(post(port(), signed_body(bad_cell, kPrincipalSeed)), 400, "invalid_h3_cell", "h3_cell");
    // Gates 3 and 4: gate 3 (a stranger without a delegation chain).
    expect_error(post(port(), signed_body(request_for(kStrangerSeed, {step}), kStrangerSeed)), 403, "delegation_invalid");
    // Gate 4 alone: GEOS's reason and location.
    expect_error(post(port(), signed_body(request, kPrincipalSeed)), 422, "geometry_invalid",
                 "steps[0].context/aoi: Self-intersection[0.5 0.5]");
    auto cell_step = fusion_step("f", {reading("a", 1, 1)});
    cell_step["center_cell"] = "not-a-cell";
    expect_error(post(port(), signed_body(request_for(kPrincipalSeed, {cell_step}), kPrincipalSeed)), 400,
                 "invalid_h3_cell", "steps[0].center_cell");
}

TEST_F(HiveTest, ReplayReturnsTheOriginalJobAndChargesOnce) {
    auto body = signed_body(request_for(kPrincipalSeed, {fusion_step("f", {reading("replay", 5, 1)})}), kPrincipalSeed);
    auto first = post(port(), body);
    ASSERT_EQ(first.status, 200) << first.raw.body;
    auto second = post(port(), nlohmann::json::parse(body).dump(2));
    EXPECT_EQ(second.status, 200);
    EXPECT_EQ(second.raw.header("X-GNS-Replay"), "true");
    EXPECT_EQ(second.body["job_id"], first.body["job_id"]);
    EXPECT_EQ(second.body, first.body);
    auto recent = get(port(), "/v1/compute/recent?limit=500");
    int copies = 0;
    for (const auto& job : recent.body["jobs"]) copies += job["job_id"] == first.body["job_id"];
    EXPECT_EQ(copies, 1);
}

TEST_F(HiveTest, DelegationChainsAreCheckedLinkByLink) {
    auto agent = public_key(kAgentSeed);
    auto principal = public_key(kPrincipalSeed);
    auto cert = [&](const std::string& issuer_seed, const std::string& subject, const std::string& steps,
                    const std::string& budget, const std::string& expires) {
        return nlohmann::json::parse(
            client("cert " + issuer_seed + " " + subject + " " + steps + " " + budget + " 2026-01-01T00:00:00Z " + expires));
    };
    auto request = request_for(kAgentSeed, {fusion_step("f", {reading("a", 1, 1)})});
    request["delegation"] = {cert(kPrincipalSeed, agent, "sensor_fusion,inference", "0.05", "2099-01-01T00:00:00Z")};
    auto ok = post(port(), signed_body(request, kAgentSeed));
    EXPECT_EQ(ok.status, 200) << ok.raw.body;
    EXPECT_EQ(ok.body["authority"]["principal_pk"], principal);
    EXPECT_EQ(ok.body["authority"]["delegation_length"], 1);

    request["delegation"] = {cert(kPrincipalSeed, agent, "sensor_fusion", "0.05", "2026-02-01T00:00:00Z")};
    expect_error(post(port(), signed_body(request, kAgentSeed)), 403, "delegation_invalid", "expire");
    request["delegation"] = {cert(kPrincipalSeed, agent, "inference", "0.05", "2099-01-01T00:00:00Z")};
    expect_error(post(port(), signed_body(request, kAgentSeed)), 403, "delegation_invalid", "sensor_fusion");
    request["delegation"] = {cert(kPrincipalSeed, agent, "sensor_fusion", "0.001", "2099-01-01T00:00:00Z")};
    expect_error(post(port(), signed_body(request, kAgentSeed)), 403, "delegation_invalid", "budget");
    request["delegation"] = {cert(kStrangerSeed, agent, "sensor_fusion", "0.05", "2099-01-01T00:00:00Z")};
    expect_error(post(port(), signed_body(request, kAgentSeed)), 403, "delegation_invalid", "principal");
    auto forged = cert(kPrincipalSeed, agent, "sensor_fusion", "0.05", "2099-01-01T00:00:00Z");
    forged["scope"]["max_budget_gns"] = 5;
    request["delegation"] = {forged};
    expect_error(post(port(), signed_body(request, kAgentSeed)), 403, "delegation_invalid", "signature");
}

TEST_F(HiveTest, JurisdictionResolvesEnclavesAndTheOpenSea) {
    auto resolve = [&](std::string_view cell) {
        auto request = request_for(kPrincipalSeed, {fusion_step("f", {reading("a", 1, 1)})});
        request["h3_cell"] = cell;
        auto reply = post(port(), signed_body(request, kPrincipalSeed));
        EXPECT_EQ(reply.status, 200) << reply.raw.body;
        return reply.body["jurisdiction"];
    };
    EXPECT_EQ(resolve(kVatican9)["country"], "VA");
    EXPECT_EQ(resolve(kVatican9)["frameworks"], nlohmann::json::array());
    EXPECT_EQ(resolve(kSanMarino9)["country"], "SM");
    EXPECT_EQ(resolve(kOpenPacific7)["country"], nullptr);
    auto request = request_for(kPrincipalSeed, {fusion_step("f", {reading("a", 1, 1)})});
    request["h3_cell"] = kPyongyang9;
    expect_error(post(port(), signed_body(request, kPrincipalSeed)), 451, "jurisdiction_denied", "KP");
}

TEST_F(HiveTest, BudgetIsCheckedBeforeAnyStepRuns) {
    auto request = request_for(kPrincipalSeed, {fusion_step("a", {reading("x", 1, 1)}), fusion_step("b", {reading("y", 1, 1)})});
    request["budget_gns"] = 0.0009;
    expect_error(post(port(), signed_body(request, kPrincipalSeed)), 402, "budget_exceeded", "0.001 GNS");
}

TEST_F(HiveTest, DagErrorsAndFailedStepsSkipTheirDependants) {
    auto a = fusion_step("a", {reading("x", 1, 1)});
    auto b = fusion_step("b", {reading("y", 1, 1)});
    a["depends_on"] = "b";
    b["depends_on"] = {"a"};
    expect_error(post(port(), signed_body(request_for(kPrincipalSeed, {a, b}), kPrincipalSeed)), 400, "dag_cycle",
                 "a -> b -> a");
    b["depends_on"] = "ghost";
    a.erase("depends_on");
    expect_error(post(port(), signed_body(request_for(kPrincipalSeed, {a, b}), kPrincipalSeed)), 400, "invalid_request",
                 "unknown step 'ghost'");

    auto stale = fusion_step("stale", {reading("old", 1, 1)});
    stale["context"] = {{"epoch", 1}};  // no reading falls in epoch 1: the step fails
    auto child = fusion_step("child", {reading("z", 2, 1)});
    child["depends_on"] = "stale";
    auto good = fusion_step("good", {reading("w", 3, 1)});
    auto reply = post(port(), signed_body(request_for(kPrincipalSeed, {stale, child, good}), kPrincipalSeed));
    ASSERT_EQ(reply.status, 200) << reply.raw.body;
    EXPECT_EQ(reply.body["status"], "partial");
    EXPECT_EQ(reply.body["steps"][0]["status"], "failed");
    EXPECT_NE(reply.body["steps"][0]["error"].get<std::string>().find("no readings in epoch 1"), std::string::npos);
    EXPECT_EQ(reply.body["steps"][1]["status"], "skipped");
    EXPECT_EQ(reply.body["steps"][2]["status"], "complete");
    EXPECT_EQ(reply.body["settlement"]["total_ngns"], 500000);
    EXPECT_EQ(client("verify-proof", reply.raw.body), "ok");
}

TEST_F(HiveTest, FusionChainsHandOutputsToDependants) {
    auto first = fusion_step("first", {reading("a", 10, 1), reading("b", 12, 1)});
    auto second = fusion_step("second", {reading("c", 14, 0.5)});
    second["depends_on"] = "first";
    auto reply = post(port(), signed_body(request_for(kPrincipalSeed, {first, second}), kPrincipalSeed));
    ASSERT_EQ(reply.status, 200) << reply.raw.body;
    // first: 11 with variance 0.5; second fuses it with 14 (variance 0.5): 12.5.
    EXPECT_DOUBLE_EQ(reply.body["steps"][1]["output"]["estimate"].get<double>(), 12.5);
    EXPECT_EQ(reply.body["steps"][1]["output"]["used"], nlohmann::json({"step:first", "c"}));
}

TEST_F(HiveTest, OtherStepTypesAnswerNotImplemented) {
    nlohmann::json ask = {{"id", "ask"}, {"type", "inference"}, {"messages", {{{"role", "user"}, {"content", "hi"}}}}};
    expect_error(post(port(), signed_body(request_for(kPrincipalSeed, {ask}), kPrincipalSeed)), 501, "not_implemented",
                 "'inference'");
}

TEST_F(HiveTest, SignedFreshnessMembersAreChecked) {
    auto request = request_for(kPrincipalSeed, {fusion_step("f", {reading("a", 1, 1)})});
    request["nonce"] = "nonce-0001";
    request["issued_at"] = "2020-01-01T00:00:00Z";
    expect_error(post(port(), signed_body(request, kPrincipalSeed)), 401, "signature_invalid", "issued_at");
}

TEST_F(HiveTest, ARunningJobHasNoProofYet) {
    // A row as the server writes it before the steps run (status running, no response yet).
    auto id = std::string("11111111-2222-4333-8444-555555555555");
    auto sql = "INSERT INTO hive_jobs(id, requester_pk, signature, h3_cell, epoch, status, request_json) VALUES ('" + id +
               "', 'pk', 'sig-running', '871e8052affffff', 1, 'running', '{}')";
    ASSERT_EQ(std::system(("sqlite3 " + server_->store_dir() + "/forgehive.db \"" + sql + "\"").c_str()), 0);
    auto job = get(port(), "/v1/compute/" + id);
    EXPECT_EQ(job.status, 200);
    EXPECT_EQ(job.body["status"], "running");
    expect_error(get(port(), "/v1/compute/" + id + "/proof"), 409, "job_running");
}

TEST_F(HiveTest, JobResourcesValidateTheirInput) {
    expect_error(get(port(), "/v1/compute/00000000-0000-4000-8000-000000000000"), 404, "job_not_found");
    expect_error(get(port(), "/v1/compute/recent?limit=0"), 400, "invalid_request", "between 1 and 500");
    expect_error(get(port(), "/v1/compute/recent?limit=501"), 400, "invalid_request");
    auto recent = get(port(), "/v1/compute/recent");
    EXPECT_EQ(recent.status, 200);
    EXPECT_EQ(recent.body["limit"], 50);
    auto body = request_for(kPrincipalSeed, {fusion_step("f", {reading("a", 1, 1)})}).dump();
    auto wrong_type = request(port(), "POST", "/v1/compute", {{"Content-Type", "text/plain"}}, body);
    EXPECT_EQ(wrong_type.status, 415);
}

TEST(HivePolicy, ConfiguredFrameworksForbidStepTypesAndUnresolvedCellsCanBeDenied) {
    TempDir tmp;
    auto policy = tmp.path() + "/jurisdictions.toml";
    std::ofstream(policy) << "[policy]\nunresolved = \"deny\"\n[countries]\nIT = [\"TEST_FW\"]\n"
                             "[frameworks.TEST_FW]\ntitle = \"Test framework\"\nforbidden_steps = [\"sensor_fusion\"]\n";
    ServerProcess server(with_config("", {{"FORGEHIVE_HIVE_JURISDICTIONS_FILE", policy}}));
    ASSERT_EQ(run_cli({"principal", "add", "--data-dir", server.store_dir(), "--pk", public_key(kPrincipalSeed), "--name", "a"}).exit_code, 0);
    auto request = request_for(kPrincipalSeed, {fusion_step("f", {reading("a", 1, 1)})});
    expect_error(post(server.port(), signed_body(request, kPrincipalSeed)), 451, "jurisdiction_denied",
                 "step 'f' of type 'sensor_fusion' is forbidden under TEST_FW");
    request["h3_cell"] = kOpenPacific7;
    expect_error(post(server.port(), signed_body(request, kPrincipalSeed)), 451, "jurisdiction_denied", "no country");
}

TEST(HiveRestart, JobsSurviveARestart) {
    TempDir data;
    ServerSpec spec;
    spec.data_dir = data.path() + "/store";
    nlohmann::json job;
    {
        ServerProcess server(spec);
        ASSERT_EQ(run_cli({"principal", "add", "--data-dir", spec.data_dir, "--pk", public_key(kPrincipalSeed), "--name", "a"}).exit_code, 0);
        auto reply = post(server.port(), signed_body(request_for(kPrincipalSeed, {fusion_step("f", {reading("a", 3, 1)})}), kPrincipalSeed));
        ASSERT_EQ(reply.status, 200) << reply.raw.body;
        job = reply.body;
        EXPECT_EQ(server.stop(SIGTERM), 0);
    }
    ServerProcess server(spec);
    auto again = get(server.port(), "/v1/compute/" + job["job_id"].get<std::string>());
    EXPECT_EQ(again.status, 200);
    EXPECT_EQ(again.body, job);
    EXPECT_EQ(get(server.port(), "/v1/compute/recent").body["jobs"][0]["job_id"], job["job_id"]);
}

}  // namespace
}  // namespace forgehive::testing
