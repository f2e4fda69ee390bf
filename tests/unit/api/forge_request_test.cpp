// Forge envelope and mc args parsing: defaults, every rule, and the field named in each error.
#include <gtest/gtest.h>

#include "forgehive/api/forge_request.hpp"
#include "forgehive/api/mc_args.hpp"
#include "forgehive/core/api_error.hpp"

namespace forgehive::api {
namespace {

using nlohmann::json;

json minimal() {
    return {{"ctx", {{"billing", {{"mode", "test"}}}}},
            {"op", {{"name", "mc"}, {"version", 1}, {"profile", "eta.v1"}}},
            {"args", json::object()}};
}

std::string error_of(const json& body) {
    try {
        parse_execute_envelope(body);
    } catch (const core::ApiError& e) {
        EXPECT_EQ(e.code(), "invalid_request");
        EXPECT_EQ(e.http_status(), 400);
        return e.message();
    }
    return "";
}

TEST(ForgeEnvelope, DefaultsWhenOptionalSectionsAreAbsent) {
    auto e = parse_execute_envelope(minimal());
    EXPECT_EQ(e.ctx.billing, BillingMode::test);
    EXPECT_FALSE(e.ctx.job_id);
    EXPECT_EQ(e.seed.mode, SeedMode::derived);
    EXPECT_EQ(e.policy.target, Target::cpu);
    EXPECT_EQ(e.policy.min_agents, 1);
    EXPECT_EQ(e.policy.max_agents, 999);
    EXPECT_EQ(e.policy.verify, VerifyMode::none);
    EXPECT_TRUE(e.artifacts.is_object());
}

TEST(ForgeEnvelope, ParsesEveryField) {
    auto body = minimal();
    body["ctx"]["job_id"] = "job-1";
    body["ctx"]["trace_id"] = "t-1";
    body["ctx"]["billing"]["mode"] = "billable";
    body["seed"] = {{"mode", "explicit"}, {"value", "s"}};
    body["policy"] = {{"target", "any"}, {"min_agents", 2}, {"max_agents", 3}, {"verify", "full"}};
    body["artifacts"] = {{"persist", true}};
    auto e = parse_execute_envelope(body);
    EXPECT_EQ(*e.ctx.job_id, "job-1");
    EXPECT_EQ(*e.ctx.trace_id, "t-1");
    EXPECT_EQ(e.ctx.billing, BillingMode::billable);
    EXPECT_EQ(e.seed.mode, SeedMode::explicit_value);
    EXPECT_EQ(e.seed.value, "s");
    EXPECT_EQ(e.policy.target, Target::any);
    EXPECT_EQ(e.policy.min_agents, 2);
    EXPECT_EQ(e.policy.verify, VerifyMode::full);
    EXPECT_EQ(e.artifacts["persist"], true);
}

TEST(ForgeEnvelope, EachRuleNamesItsField) {
    struct Case {
        std::string pointer;
        json value;
        std::string field;
    };
    std::vector<Case> cases = {
        {"/ctx/billing/mode", "free", "ctx.billing.mode"},
        {"/ctx/job_id", "", "ctx.job_id"},
        {"/ctx/trace_id", std::string(129, 'x'), "ctx.trace_id"},
        {"/ctx/extra", 1, "ctx.extra"},
        {"/op/name", "rpc", "op.name"},
        {"/op/version", "1", "op.version"},
        {"/op/profile", "", "op.profile"},
        {"/seed", json{{"mode", "explicit"}}, "seed.value"},
        {"/seed", json{{"mode", "derived"}, {"value", "x"}}, "seed.value"},
        {"/policy", json{{"min_agents", 0}}, "policy.min_agents"},
        {"/policy", json{{"max_agents", 1.5}}, "policy.max_agents"},
        {"/policy", json{{"min_agents", 3}, {"max_agents", 2}}, "policy.min_agents"},
        {"/policy", json{{"verify", "sometimes"}}, "policy.verify"},
        {"/args", json::array(), "args"},
        {"/artifacts", "x", "artifacts"},
        {"/unknown", 1, "unknown"},
    };
    for (const auto& c : cases) {
        auto body = minimal();
        body[json::json_pointer(c.pointer)] = c.value;
        auto message = error_of(body);
        EXPECT_NE(message.find("'" + c.field + "'"), std::string::npos) << c.pointer << " -> " << message;
    }
    auto no_ctx = minimal();
    no_ctx.erase("ctx");
    EXPECT_NE(error_of(no_ctx).find("'ctx'"), std::string::npos);
}

json eta_args() {
    return {{"iterations", 1000},   {"base_eta", 3600},     {"traffic_mean", 120}, {"traffic_std", 60},
            {"weather_prob", 0.2},  {"weather_mean", 300},  {"weather_std", 120},  {"incident_prob", 0.05},
            {"incident_mean", 600}, {"incident_std", 200}};
}

TEST(McArgs, ParsesEachProfile) {
    auto eta = std::get<kernels::mc::EtaArgs>(parse_mc_args("eta.v1", eta_args()));
    EXPECT_EQ(eta.iterations, 1000u);
    EXPECT_DOUBLE_EQ(eta.incident_std, 200);

    json insurance = {{"iterations", 10},
                      {"frequency", {{"dist", "negbin"}, {"lambda", 2}, {"dispersion", 3}}},
                      {"severity", {{"dist", "pareto"}, {"shape", 2.5}, {"scale", 1000}}},
                      {"deductible", 0},
                      {"limit", 1e6},
                      {"aggregate_limit", 5e6}};
    auto ins = std::get<kernels::mc::InsuranceArgs>(parse_mc_args("insurance.loss.v1", insurance));
    EXPECT_EQ(ins.frequency.dist, kernels::mc::Frequency::Dist::negbin);
    EXPECT_EQ(ins.severity.dist, kernels::mc::Severity::Dist::pareto);
    EXPECT_DOUBLE_EQ(*ins.aggregate_limit, 5e6);

    json option = {{"iterations", 10}, {"spot", 100}, {"strike", 90}, {"rate", 0.01},
                   {"volatility", 0.3}, {"maturity", 2}, {"type", "put"}};
    auto opt = std::get<kernels::mc::OptionArgs>(parse_mc_args("finance.option.v1", option));
    EXPECT_FALSE(opt.call);
    EXPECT_FALSE(opt.antithetic);
}

TEST(McArgs, RejectsUnknownMembersWrongTypesAndRanges) {
    auto expect_field = [](const std::string& profile, const json& args, const std::string& field) {
        try {
            parse_mc_args(profile, args);
            ADD_FAILURE() << "accepted " << args.dump();
        } catch (const core::ApiError& e) {
            EXPECT_NE(e.message().find("'" + field + "'"), std::string::npos) << e.message();
        }
    };
    auto args = eta_args();
    args["speed"] = 1;
    expect_field("eta.v1", args, "args.speed");
    args = eta_args();
    args["traffic_std"] = "60";
    expect_field("eta.v1", args, "args.traffic_std");
    args = eta_args();
    args["weather_prob"] = 2;
    expect_field("eta.v1", args, "args.weather_prob");
    args = eta_args();
    args["iterations"] = 0;
    expect_field("eta.v1", args, "args.iterations");
    expect_field("insurance.loss.v1", json{{"iterations", 1}, {"frequency", {{"dist", "binomial"}}}},
                 "args.frequency.dist");
    expect_field("eta.v2", eta_args(), "op.profile");
}

}  // namespace
}  // namespace forgehive::api
