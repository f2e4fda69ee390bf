// Envelope validation. Defaults: seed derived, policy {cpu, 1, 999, none}, artifacts {}. ctx and
// ctx.billing.mode are required: whether a call is charged is never guessed.
#include "forgehive/api/forge_request.hpp"

#include "forgehive/core/json_reader.hpp"

namespace forgehive::api {
namespace {

// Client identifiers are echoed and stored: keep them printable and bounded.
void check_identifier(core::JsonReader& reader, std::string_view key, const std::optional<std::string>& value) {
    if (!value) return;
    bool ok = !value->empty();
    for (unsigned char c : *value) ok = ok && c >= 0x21 && c <= 0x7e;
    if (!ok) reader.fail(key, "must be 1-128 printable ASCII characters without spaces");
}

ExecuteContext parse_ctx(core::JsonReader ctx) {
    ExecuteContext out;
    out.job_id = ctx.optional_string("job_id", 128);
    check_identifier(ctx, "job_id", out.job_id);
    out.trace_id = ctx.optional_string("trace_id", 128);
    check_identifier(ctx, "trace_id", out.trace_id);
    auto billing = ctx.object("billing");
    out.billing = billing.one_of("mode", {"test", "billable"}) == "test" ? BillingMode::test : BillingMode::billable;
    billing.finish();
    ctx.finish();
    return out;
}

OpIdentity parse_op(core::JsonReader op) {
    OpIdentity out;
    out.name = op.one_of("name", {"mc", "graph", "search", "media", "tensor"});
    out.version = op.integer("version", 1, 1000);
    out.profile = op.string("profile", 64);
    if (out.profile.empty()) op.fail("profile", "must not be empty");
    op.finish();
    return out;
}

SeedSpec parse_seed(std::optional<core::JsonReader> seed) {
    SeedSpec out;
    if (!seed) return out;
    out.mode = seed->one_of("mode", {"explicit", "derived"}) == "explicit" ? SeedMode::explicit_value : SeedMode::derived;
    auto value = seed->optional_string("value", 256);
    if (out.mode == SeedMode::explicit_value) {
        if (!value || value->empty()) seed->fail("value", "is required (non-empty) when seed.mode is explicit");
        out.value = *value;
    } else if (value) {
        seed->fail("value", "must be absent when seed.mode is derived");
    }
    seed->finish();
    return out;
}

ExecutionPolicy parse_policy(std::optional<core::JsonReader> policy) {
    ExecutionPolicy out;
    if (!policy) return out;
    auto target = policy->optional_one_of("target", {"cpu", "gpu", "any"}).value_or("cpu");
    out.target = target == "gpu" ? Target::gpu : target == "any" ? Target::any : Target::cpu;
    out.min_agents = policy->optional_integer("min_agents", 1, 999).value_or(1);
    out.max_agents = policy->optional_integer("max_agents", 1, 999).value_or(999);
    if (out.min_agents > out.max_agents) policy->fail("min_agents", "must be <= policy.max_agents");
    auto verify = policy->optional_one_of("verify", {"none", "spotcheck", "full"}).value_or("none");
    out.verify = verify == "full" ? VerifyMode::full : verify == "spotcheck" ? VerifyMode::spotcheck : VerifyMode::none;
    policy->finish();
    return out;
}

}  // namespace

ExecuteEnvelope parse_execute_envelope(const nlohmann::json& body) {
    core::JsonReader root(body, "");
    ExecuteEnvelope out;
    out.ctx = parse_ctx(root.object("ctx"));
    out.op = parse_op(root.object("op"));
    out.seed = parse_seed(root.optional_object("seed"));
    out.policy = parse_policy(root.optional_object("policy"));
    root.object("args");  // must be an object; its members are checked by the family parser
    out.args = root.raw("args");
    auto artifacts = root.optional_object("artifacts");
    out.artifacts = artifacts ? root.raw("artifacts") : nlohmann::json::object();
    root.finish();
    return out;
}

std::string to_string(BillingMode mode) { return mode == BillingMode::test ? "test" : "billable"; }
std::string to_string(SeedMode mode) { return mode == SeedMode::derived ? "derived" : "explicit"; }
std::string to_string(Target target) {
    return target == Target::cpu ? "cpu" : target == Target::gpu ? "gpu" : "any";
}
std::string to_string(VerifyMode mode) {
    return mode == VerifyMode::none ? "none" : mode == VerifyMode::spotcheck ? "spotcheck" : "full";
}

}  // namespace forgehive::api
