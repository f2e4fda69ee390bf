// The Forge Pool execute envelope {ctx, op, seed, policy, args, artifacts} as typed, validated values
// (forge-pool-execute-api "Canonical Request Envelope"). Parsing happens once, here; inner layers
// never see the JSON. `args` stays JSON only until its family's parser (api/mc_args) types it.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace forgehive::api {

enum class BillingMode { test, billable };
enum class SeedMode { explicit_value, derived };
enum class Target { cpu, gpu, any };
enum class VerifyMode { none, spotcheck, full };

struct ExecuteContext {
    std::optional<std::string> job_id;    // client-supplied; the idempotency key within a project
    std::optional<std::string> trace_id;
    BillingMode billing = BillingMode::billable;
};

struct OpIdentity {
    std::string name;     // primitive family: mc, graph, search, media, tensor
    std::int64_t version = 1;
    std::string profile;  // e.g. eta.v1
};

struct SeedSpec {
    SeedMode mode = SeedMode::derived;
    std::string value;    // explicit mode only
};

struct ExecutionPolicy {
    Target target = Target::cpu;
    std::int64_t min_agents = 1;
    std::int64_t max_agents = 999;
    VerifyMode verify = VerifyMode::none;
};

struct ExecuteEnvelope {
    ExecuteContext ctx;
    OpIdentity op;
    SeedSpec seed;
    ExecutionPolicy policy;
    nlohmann::json args;       // the profile's arguments, validated by the family parser
    nlohmann::json artifacts;  // an object (possibly empty)
};

// Throws core::ApiError("invalid_request", 400) naming the field and the rule.
ExecuteEnvelope parse_execute_envelope(const nlohmann::json& body);

std::string to_string(BillingMode mode);
std::string to_string(SeedMode mode);
std::string to_string(Target target);
std::string to_string(VerifyMode mode);

}  // namespace forgehive::api
