// End-to-end tests of POST /api/v0/ops/execute and the job resources against the real server:
// the seed's example, determinism across agent counts, verify modes and restarts, admission
// (auth, tenancy, quota, rate, idempotency), async jobs, cancellation, deadlines, fault injection.
#include <csignal>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <thread>

#include "test_server.hpp"

namespace forgehive::testing {
namespace {

using nlohmann::json;

// The example request of forge-pool-execute-api, verbatim.
const char* kSeedExample = R"({
"ctx": {"job_id": "eta-demo-001", "trace_id": "trace-eta-001", "billing": {"mode": "test"}},
"op": {"name": "mc", "version": 1, "profile": "eta.v1"},
"seed": {"mode": "explicit", "value": "eta-seed-001"},
"policy": {"target": "cpu", "min_agents": 1, "max_agents": 16, "verify": "spotcheck"},
"args": {"iterations": 1000000, "base_eta": 3600, "traffic_mean": 120, "traffic_std": 60, "weather_prob": 0.2,
         "weather_mean": 300, "weather_std": 120, "incident_prob": 0.05, "incident_mean": 600, "incident_std": 200}
})";

const std::string kFourAgents = "[agents]\nthreads = 4\n";

json seed_example() { return json::parse(kSeedExample); }

struct Client {
    int port;
    std::string token;

    HttpResponse post(const std::string& path, const json& body, std::vector<std::pair<std::string, std::string>> extra = {}) const {
        extra.emplace_back("Authorization", "Bearer " + token);
        extra.emplace_back("Content-Type", "application/json");
        return request(port, "POST", path, extra, body.dump());
    }
    HttpResponse execute(const json& body, std::vector<std::pair<std::string, std::string>> extra = {}) const {
        return post("/api/v0/ops/execute", body, std::move(extra));
    }
    HttpResponse get(const std::string& path) const {
        return request(port, "GET", path, {{"Authorization", "Bearer " + token}});
    }
    HttpResponse del(const std::string& path) const {
        return request(port, "DELETE", path, {{"Authorization", "Bearer " + token}});
    }
};

json body_of(const HttpResponse& r) { return json::parse(r.body); }

json with(json base, const json::json_pointer& pointer, const json& value) {
    base[pointer] = value;
    return base;
}

json without(json base, const std::string& section, const std::string& key) {
    base[section].erase(key);
    return base;
}

class ExecuteTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        server_ = new ServerProcess(with_config(kFourAgents + "[gateway]\nrate_per_second = 0\n"));
        client_ = new Client{server_->port(), server_->make_token("exec", 1000)};
    }
    static void TearDownTestSuite() {
        delete client_;
        delete server_;
    }
    static ServerProcess* server_;
    static Client* client_;
};
ServerProcess* ExecuteTest::server_ = nullptr;
Client* ExecuteTest::client_ = nullptr;

TEST_F(ExecuteTest, SeedExampleCompletesWithEveryDocumentedField) {
    auto r = client_->execute(seed_example());
    ASSERT_EQ(r.status, 200) << r.body;
    auto body = body_of(r);
    EXPECT_EQ(body["ok"], true);
    EXPECT_EQ(body["status"], "COMPLETED");
    EXPECT_EQ(body["job_id"].get<std::string>().size(), 26u);
    EXPECT_EQ(body["billing"], json({{"mode", "test"}, {"credits", 0}, {"eur", 0.0}}));
    const auto& hub = body["hub"];
    EXPECT_EQ(hub["status"], "ok");
    for (const char* key : {"wall_ms", "agents_used", "shards", "units", "reduce_ms", "verify_ms"})
        EXPECT_TRUE(hub["metrics"].contains(key)) << key;
    EXPECT_EQ(hub["metrics"]["units"], 16);  // ceil(1e6 / 65536)
    std::uint64_t iterations = 0;
    int verified = 0;
    for (const auto& e : hub["executions"]) {
        for (const char* key : {"agent_id", "shard_id", "iterations", "wall_ms", "seed", "result_hash", "verified"})
            EXPECT_TRUE(e.contains(key)) << key;
        EXPECT_EQ(e["agent_id"].get<std::string>().rfind("ed25519:", 0), 0u);
        EXPECT_EQ(e["agent_id"].get<std::string>().size(), 8u + 64u);
        EXPECT_EQ(e["result_hash"].get<std::string>().size(), 64u);
        iterations += e["iterations"].get<std::uint64_t>();
        verified += e["verified"] == "match";
    }
    EXPECT_EQ(iterations, 1000000u);
    EXPECT_GE(verified, 1);  // spotcheck re-ran at least one shard
    for (const char* key : {"mean", "std", "stderr", "min", "max", "p50", "p90", "p95", "p99", "histogram"})
        EXPECT_TRUE(hub["output"].contains(key)) << key;
    EXPECT_EQ(hub["replay"]["seed_mode"], "explicit");
    EXPECT_EQ(hub["replay"]["unit_size"], 65536);
    EXPECT_EQ(hub["replay"]["root_seed"].get<std::string>().size(), 64u);
    EXPECT_EQ(hub["replay"]["output_hash"].get<std::string>().size(), 64u);
    EXPECT_TRUE(hub["replay"]["kernel_versions"].contains("mc"));
    EXPECT_EQ(body["client_job_id"], "eta-demo-001");
    EXPECT_EQ(body["trace_id"], "trace-eta-001");
}

TEST_F(ExecuteTest, OutputIsBitIdenticalForAnyAgentCountAndVerifyMode) {
    std::string reference_hash;
    json reference_output;
    for (int agents : {1, 2, 3, 16}) {
        for (const char* verify : {"none", "spotcheck", "full"}) {
            auto request_body = without(seed_example(), "ctx", "job_id");
            request_body["policy"]["max_agents"] = agents;
            request_body["policy"]["verify"] = verify;
            auto r = client_->execute(request_body);
            ASSERT_EQ(r.status, 200) << r.body;
            auto body = body_of(r);
            auto hash = body["hub"]["replay"]["output_hash"].get<std::string>();
            EXPECT_EQ(body["hub"]["metrics"]["agents_used"], std::min(agents, 4));
            if (reference_hash.empty()) {
                reference_hash = hash;
                reference_output = body["hub"]["output"];
            }
            EXPECT_EQ(hash, reference_hash) << agents << " agents, verify " << verify;
            EXPECT_EQ(body["hub"]["output"].dump(), reference_output.dump());
        }
    }
}

TEST_F(ExecuteTest, DerivedSeedIsAFunctionOfOpAndArgs) {
    auto derived = without(seed_example(), "ctx", "job_id");
    derived["seed"] = {{"mode", "derived"}};
    auto a = body_of(client_->execute(derived));
    auto b = body_of(client_->execute(derived));
    EXPECT_EQ(a["hub"]["replay"]["root_seed"], b["hub"]["replay"]["root_seed"]);
    EXPECT_EQ(a["hub"]["replay"]["output_hash"], b["hub"]["replay"]["output_hash"]);
    derived["args"]["base_eta"] = 3601;
    auto c = body_of(client_->execute(derived));
    EXPECT_NE(a["hub"]["replay"]["root_seed"], c["hub"]["replay"]["root_seed"]);
}

TEST_F(ExecuteTest, OtherProfilesRun) {
    json insurance = {{"ctx", {{"billing", {{"mode", "test"}}}}},
                      {"op", {{"name", "mc"}, {"version", 1}, {"profile", "insurance.loss.v1"}}},
                      {"args",
                       {{"iterations", 200000},
                        {"frequency", {{"dist", "poisson"}, {"lambda", 2.5}}},
                        {"severity", {{"dist", "lognormal"}, {"mu", 8.0}, {"sigma", 1.2}}},
                        {"deductible", 500},
                        {"limit", 50000}}}};
    auto r = client_->execute(insurance);
    ASSERT_EQ(r.status, 200) << r.body;
    for (const char* key : {"mean", "std", "stderr", "var_95", "var_99", "var_995", "tvar_95", "tvar_99", "tvar_995", "p_loss", "max"})
        EXPECT_TRUE(body_of(r)["hub"]["output"].contains(key)) << key;

    json option = {{"ctx", {{"billing", {{"mode", "test"}}}}},
                   {"op", {{"name", "mc"}, {"version", 1}, {"profile", "finance.option.v1"}}},
                   {"args",
                    {{"iterations", 200000}, {"spot", 100}, {"strike", 105}, {"rate", 0.03}, {"volatility", 0.2},
                     {"maturity", 1.0}, {"type", "call"}, {"antithetic", true}}}};
    auto o = client_->execute(option);
    ASSERT_EQ(o.status, 200) << o.body;
    auto out = body_of(o)["hub"]["output"];
    EXPECT_TRUE(out.contains("price") && out.contains("stderr") && out["ci95"].size() == 2);
}

TEST_F(ExecuteTest, EveryValidationRuleNamesTheField) {
    struct Case {
        json body;
        std::string field;
    };
    auto base = without(seed_example(), "ctx", "job_id");
    std::vector<Case> cases = {
        {without(base, "args", "traffic_std"), "args.traffic_std"},
        {with(base, "/args/iterations"_json_pointer, 0), "args.iterations"},
        {with(base, "/args/iterations"_json_pointer, 1.5), "args.iterations"},
        {with(base, "/args/weather_prob"_json_pointer, 1.5), "args.weather_prob"},
        {with(base, "/args/traffic_std"_json_pointer, -1), "args.traffic_std"},
        {with(base, "/args/base_eta"_json_pointer, "3600"), "args.base_eta"},
        {with(base, "/args/bogus"_json_pointer, 1), "args.bogus"},
        {with(base, "/args/thresholds"_json_pointer, json::array({1, "x"})), "args.thresholds[1]"},
        {with(base, "/policy/min_agents"_json_pointer, 0), "policy.min_agents"},
        {with(base, "/policy/max_agents"_json_pointer, 1000), "policy.max_agents"},
        {with(with(base, "/policy/min_agents"_json_pointer, 5), "/policy/max_agents"_json_pointer, 2), "policy.min_agents"},
        {with(base, "/policy/verify"_json_pointer, "always"), "policy.verify"},
        {with(base, "/policy/target"_json_pointer, "tpu"), "policy.target"},
        {with(base, "/ctx/billing/mode"_json_pointer, "free"), "ctx.billing.mode"},
        {without(base, "ctx", "billing"), "ctx.billing"},
        {with(base, "/seed/value"_json_pointer, ""), "seed.value"},
        {with(base, "/seed/mode"_json_pointer, "random"), "seed.mode"},
        {with(base, "/op/name"_json_pointer, "quantum"), "op.name"},
        {with(base, "/op/version"_json_pointer, 2), "op.version"},
        {with(base, "/op/profile"_json_pointer, "eta.v9"), "op.profile"},
        {with(base, "/extra"_json_pointer, 1), "extra"},
        {with(base, "/artifacts"_json_pointer, 5), "artifacts"},
        {with(base, "/ctx/job_id"_json_pointer, "has space"), "ctx.job_id"},
    };
    for (const auto& c : cases) {
        auto r = client_->execute(c.body);
        EXPECT_EQ(r.status, 400) << c.field << ": " << r.body;
        auto body = body_of(r);
        EXPECT_EQ(body["error"]["code"], "invalid_request") << c.field;
        EXPECT_NE(body["error"]["message"].get<std::string>().find("'" + c.field + "'"), std::string::npos)
            << c.field << ": " << body["error"]["message"];
    }
}

TEST_F(ExecuteTest, GpuTargetIsUnavailableAndAnyFallsBackToCpu) {
    auto base = without(seed_example(), "ctx", "job_id");
    auto gpu = client_->execute(with(base, "/policy/target"_json_pointer, "gpu"));
    EXPECT_EQ(gpu.status, 503);
    EXPECT_EQ(body_of(gpu)["error"]["code"], "hub_unavailable");
    EXPECT_NE(body_of(gpu)["error"]["message"].get<std::string>().find("gpu"), std::string::npos);
    EXPECT_EQ(client_->execute(with(base, "/policy/target"_json_pointer, "any")).status, 200);
}

TEST_F(ExecuteTest, IdempotentJobIdReturnsTheStoredJobAndRejectsAnotherContract) {
    auto first = with(seed_example(), "/ctx/job_id"_json_pointer, "idem-1");
    auto a = body_of(client_->execute(first));
    auto b = body_of(client_->execute(first));
    EXPECT_EQ(a["job_id"], b["job_id"]);
    EXPECT_EQ(a.dump(), b.dump());
    auto changed = client_->execute(with(first, "/args/base_eta"_json_pointer, 1));
    EXPECT_EQ(changed.status, 409);
    EXPECT_EQ(body_of(changed)["error"]["code"], "invalid_request");
}

TEST_F(ExecuteTest, JobsAreReadableByTheirProjectOnly) {
    auto done = body_of(client_->execute(without(seed_example(), "ctx", "job_id")));
    auto id = done["job_id"].get<std::string>();
    auto fetched = client_->get("/api/v0/ops/jobs/" + id);
    ASSERT_EQ(fetched.status, 200);
    EXPECT_EQ(body_of(fetched)["hub"]["replay"], done["hub"]["replay"]);

    Client other{server_->port(), server_->make_token("other-tenant")};
    auto hidden = other.get("/api/v0/ops/jobs/" + id);
    EXPECT_EQ(hidden.status, 404);
    EXPECT_EQ(body_of(hidden)["error"]["code"], "not_found");
    EXPECT_EQ(body_of(other.get("/api/v0/ops/jobs"))["jobs"].size(), 0u);

    client_->execute(without(seed_example(), "ctx", "job_id"));
    client_->execute(without(seed_example(), "ctx", "job_id"));
    auto list = body_of(client_->get("/api/v0/ops/jobs?limit=2"));
    ASSERT_EQ(list["jobs"].size(), 2u);
    EXPECT_GT(list["jobs"][0]["job_id"].get<std::string>(), list["jobs"][1]["job_id"].get<std::string>());
    EXPECT_EQ(client_->get("/api/v0/ops/jobs?limit=0").status, 400);
}

TEST_F(ExecuteTest, ReplayReExecutesAndMatches) {
    auto done = body_of(client_->execute(without(seed_example(), "ctx", "job_id")));
    auto r = client_->post("/api/v0/ops/jobs/" + done["job_id"].get<std::string>() + "/replay", json::object());
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(body_of(r)["match"], true);
    EXPECT_EQ(body_of(r)["output_hash"], done["hub"]["replay"]["output_hash"]);
}

TEST_F(ExecuteTest, MissingOrBadTokenIsUnauthorized) {
    auto r = request(server_->port(), "POST", "/api/v0/ops/execute", {{"Content-Type", "application/json"}},
                     seed_example().dump());
    EXPECT_EQ(r.status, 401);
    Client bad{server_->port(), "fpak_" + std::string(48, 'a')};
    EXPECT_EQ(bad.execute(seed_example()).status, 401);
    EXPECT_EQ(bad.get("/api/v0/ops/jobs").status, 401);
}

TEST_F(ExecuteTest, AsyncJobIsAcceptedThenPolledToCompletion) {
    auto body = without(seed_example(), "ctx", "job_id");
    body["args"]["iterations"] = 20000000;
    auto r = client_->execute(body, {{"Prefer", "respond-async"}});
    ASSERT_EQ(r.status, 202) << r.body;
    auto location = r.header("Location");
    auto accepted = body_of(r);
    EXPECT_EQ(location, "/api/v0/ops/jobs/" + accepted["job_id"].get<std::string>());
    EXPECT_TRUE(accepted["status"] == "QUEUED" || accepted["status"] == "RUNNING");
    EXPECT_EQ(accepted["progress"]["units_total"], 306);
    json last;
    for (int i = 0; i < 600; ++i) {
        last = body_of(client_->get(location));
        if (last["status"] == "COMPLETED") break;
        std::this_thread::sleep_for(100ms);
    }
    EXPECT_EQ(last["status"], "COMPLETED");
    EXPECT_EQ(last["hub"]["metrics"]["units"], 306);
}

TEST_F(ExecuteTest, RunningJobCanBeCancelled) {
    auto body = without(seed_example(), "ctx", "job_id");
    body["args"]["iterations"] = 2000000000;
    auto r = client_->execute(body, {{"Prefer", "respond-async"}});
    ASSERT_EQ(r.status, 202);
    auto location = r.header("Location");
    auto cancel = client_->del(location);
    EXPECT_EQ(cancel.status, 202) << cancel.body;
    EXPECT_EQ(body_of(cancel)["cancel_requested"], true);
    json last;
    for (int i = 0; i < 300; ++i) {
        last = body_of(client_->get(location));
        if (last["status"] != "RUNNING" && last["status"] != "QUEUED") break;
        std::this_thread::sleep_for(100ms);
    }
    EXPECT_EQ(last["status"], "CANCELLED");
    EXPECT_EQ(last["ok"], false);
    EXPECT_EQ(client_->del(location).status, 409);  // finished jobs cannot be cancelled
}

// Separate servers: billing, deadlines, faults, rate limits and restarts change server state.

TEST(ExecuteBilling, BillableJobsDebitOnceAndRefusalsChargeNothing) {
    ServerProcess server(with_config(kFourAgents));
    Client client{server.port(), server.make_token("payer", 5)};
    auto billable = with(without(seed_example(), "ctx", "job_id"), "/ctx/billing/mode"_json_pointer, "billable");
    billable["args"]["iterations"] = 3000000;  // 3 credits at 1 credit per million
    auto ok = client.execute(billable);
    ASSERT_EQ(ok.status, 200) << ok.body;
    EXPECT_EQ(body_of(ok)["billing"]["credits"], 3);
    EXPECT_DOUBLE_EQ(body_of(ok)["billing"]["eur"].get<double>(), 0.0003);
    auto refused = client.execute(billable);  // 2 credits left
    EXPECT_EQ(refused.status, 429);
    EXPECT_EQ(body_of(refused)["error"]["code"], "quota_exceeded");
    EXPECT_EQ(project_credits(server.store_dir(), "payer"), 2);
    EXPECT_EQ(client.execute(with(billable, "/ctx/billing/mode"_json_pointer, "test")).status, 200);
    EXPECT_EQ(project_credits(server.store_dir(), "payer"), 2);  // test mode never touches the ledger
}

TEST(ExecuteLimits, RateLimitAnswers429WithRetryAfter) {
    ServerProcess server(with_config(kFourAgents + "[gateway]\nrate_per_second = 1\nrate_burst = 2\n"));
    Client client{server.port(), server.make_token("busy")};
    auto small = without(seed_example(), "ctx", "job_id");
    small["args"]["iterations"] = 1000;
    EXPECT_EQ(client.execute(small).status, 200);
    EXPECT_EQ(client.execute(small).status, 200);
    // The burst is spent; within the next few requests (well under a second) one is refused.
    std::optional<HttpResponse> limited;
    for (int i = 0; i < 5 && !limited; ++i)
        if (auto r = client.execute(small); r.status == 429) limited = r;
    ASSERT_TRUE(limited);
    EXPECT_EQ(limited->header("Retry-After"), "1");
    EXPECT_NE(body_of(*limited)["error"]["message"].get<std::string>().find("rate limit"), std::string::npos);
}

TEST(ExecuteLimits, FullQueueAnswers503WithRetryAfter) {
    ServerProcess server(with_config(kFourAgents + "[limits]\nmax_queued_jobs = 1\n"));
    Client client{server.port(), server.make_token("queue")};
    auto big = without(seed_example(), "ctx", "job_id");
    big["args"]["iterations"] = 5000000000LL;
    auto first = client.execute(big, {{"Prefer", "respond-async"}});
    ASSERT_EQ(first.status, 202);
    auto second = client.execute(big);
    EXPECT_EQ(second.status, 503);
    EXPECT_EQ(second.header("Retry-After"), "1");
    EXPECT_EQ(body_of(second)["error"]["code"], "hub_unavailable");
    // The network stays responsive while the agents are saturated.
    EXPECT_EQ(request(server.port(), "GET", "/healthz").status, 200);
    EXPECT_EQ(client.del(first.header("Location")).status, 202);
}

TEST(ExecuteLimits, JobDeadlineFailsOverlongJobsCleanly) {
    ServerProcess server(with_config(kFourAgents + "[hub]\njob_deadline_ms = 200\n"));
    Client client{server.port(), server.make_token("slow")};
    auto big = without(seed_example(), "ctx", "job_id");
    big["args"]["iterations"] = 5000000000LL;
    auto r = client.execute(big);
    EXPECT_EQ(r.status, 500) << r.body;
    EXPECT_EQ(body_of(r)["error"]["code"], "execution_failed");
    EXPECT_NE(body_of(r)["error"]["message"].get<std::string>().find("deadline"), std::string::npos);
    EXPECT_EQ(request(server.port(), "GET", "/healthz").status, 200);
}

TEST(ExecuteFaults, CorruptAgentIsDetectedQuarantinedAndTheAnswerIsRight) {
    std::string expected;
    {
        ServerProcess clean(with_config(kFourAgents));
        Client client{clean.port(), clean.make_token("clean")};
        expected = body_of(client.execute(without(seed_example(), "ctx", "job_id")))["hub"]["replay"]["output_hash"];
    }
    ServerProcess server(with_config("[agents]\nthreads = 4\nfault_inject_agent = 1\n"));
    Client client{server.port(), server.make_token("faulty")};
    auto full = with(without(seed_example(), "ctx", "job_id"), "/policy/verify"_json_pointer, "full");
    full["policy"]["max_agents"] = 4;
    auto r = client.execute(full);
    ASSERT_EQ(r.status, 200) << r.body;
    auto body = body_of(r);
    EXPECT_EQ(body["hub"]["replay"]["output_hash"], expected);
    EXPECT_GE(body["hub"]["metrics"]["mismatches"].get<int>(), 1);
    EXPECT_TRUE(server.wait_for_log("quarantined"));
    // Later jobs avoid the quarantined agent: three agents remain.
    auto next = body_of(client.execute(full));
    EXPECT_EQ(next["hub"]["metrics"]["agents_used"], 3);
    EXPECT_EQ(next["hub"]["metrics"]["mismatches"], 0);
    EXPECT_EQ(next["hub"]["replay"]["output_hash"], expected);
    auto metrics = request(server.port(), "GET", "/metrics").body;
    EXPECT_NE(metrics.find("forgehive_jobs_total{status=\"COMPLETED\"} 2"), std::string::npos) << metrics;
    EXPECT_NE(metrics.find("forgehive_hub_verification_mismatches_total "), std::string::npos);
    EXPECT_EQ(metrics.find("forgehive_hub_verification_mismatches_total 0\n"), std::string::npos);
}

TEST(ExecuteRestart, OutputSurvivesRestartAndUnfinishedJobsAreFailed) {
    TempDir keep;
    auto spec = with_config(kFourAgents);
    spec.data_dir = keep.path() + "/data";
    std::string token, hash, running;
    {
        ServerProcess server(spec);
        token = server.make_token("restart");
        Client client{server.port(), token};
        hash = body_of(client.execute(without(seed_example(), "ctx", "job_id")))["hub"]["replay"]["output_hash"];
        auto big = without(seed_example(), "ctx", "job_id");
        big["args"]["iterations"] = 5000000000LL;
        auto accepted = client.execute(big, {{"Prefer", "respond-async"}});
        ASSERT_EQ(accepted.status, 202);
        running = body_of(accepted)["job_id"];
        EXPECT_EQ(server.stop(SIGKILL), 128 + SIGKILL);
    }
    ServerProcess again(spec);
    Client client{again.port(), token};
    auto abandoned = body_of(client.get("/api/v0/ops/jobs/" + running));
    EXPECT_EQ(abandoned["status"], "FAILED");
    EXPECT_NE(abandoned["error"]["message"].get<std::string>().find("restarted"), std::string::npos);
    auto rerun = body_of(client.execute(without(seed_example(), "ctx", "job_id")));
    EXPECT_EQ(rerun["hub"]["replay"]["output_hash"], hash);
}

TEST(ExecuteRestart, ShutdownLetsBackgroundJobsFinishWithinTheGracePeriod) {
    TempDir keep;
    auto spec = with_config(kFourAgents + "[server]\nshutdown_grace_ms = 120000\n");
    spec.data_dir = keep.path() + "/data";
    std::string token, id;
    {
        ServerProcess server(spec);
        token = server.make_token("graceful");
        Client client{server.port(), token};
        auto job = without(seed_example(), "ctx", "job_id");
        job["args"]["iterations"] = 50000000;
        auto accepted = client.execute(job, {{"Prefer", "respond-async"}});
        ASSERT_EQ(accepted.status, 202);
        id = body_of(accepted)["job_id"];
        EXPECT_EQ(server.stop(SIGTERM, 120s), 0) << server.log();
    }
    ServerProcess again(spec);
    Client client{again.port(), token};
    auto finished = body_of(client.get("/api/v0/ops/jobs/" + id));
    EXPECT_EQ(finished["status"], "COMPLETED") << finished.dump();
}

}  // namespace
}  // namespace forgehive::testing
