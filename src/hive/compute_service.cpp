// POST /v1/compute, in the order the seed fixes: gate 1 (signature, and replay of a seen signature),
// then the request's fields, gate 2 (jurisdiction), gate 3 (delegation), gate 4 (geometry), the budget;
// only then is the job persisted and run. A request that fails a gate never reaches the next.
#include "forgehive/hive/compute_service.hpp"

#include <algorithm>
#include <chrono>
#include <fmt/format.h>

#include "forgehive/core/api_error.hpp"
#include "forgehive/core/ids.hpp"
#include "forgehive/crypto/hash.hpp"
#include "forgehive/crypto/jcs.hpp"
#include "forgehive/hive/dag.hpp"
#include "forgehive/hive/geometry_gate.hpp"
#include "forgehive/hive/gns.hpp"
#include "forgehive/hive/proof.hpp"
#include "forgehive/hive/steps.hpp"

namespace forgehive::hive {
namespace {

using core::ApiError;
using nlohmann::ordered_json;

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

ordered_json jurisdiction_json(const Jurisdiction& j) {
    return {{"h3_cell", j.h3_cell}, {"resolution", j.resolution}, {"lat", j.lat}, {"lng", j.lng},
            {"country", j.country ? ordered_json(*j.country) : ordered_json(nullptr)}, {"frameworks", j.frameworks}};
}

std::string job_status(const std::vector<StepResult>& results) {
    auto complete = std::count_if(results.begin(), results.end(), [](const auto& r) { return r.status == "complete"; });
    if (complete == static_cast<std::ptrdiff_t>(results.size())) return "complete";
    return complete == 0 ? "failed" : "partial";
}

ordered_json steps_json(const ComputeRequest& request, const std::vector<StepResult>& results) {
    ordered_json steps = ordered_json::array();
    for (std::size_t i = 0; i < results.size(); ++i) {
        const auto& r = results[i];
        ordered_json step = {{"id", request.steps[i].id}, {"type", request.steps[i].type}, {"status", r.status},
                             {"output", r.output}, {"latency_ms", r.latency_ms}};
        if (!r.agent_id.empty()) step["agent_id"] = r.agent_id;
        if (!r.error.empty()) step["error"] = r.error;
        steps.push_back(std::move(step));
    }
    return steps;
}

// Built outside the coroutine: GCC 12 miscompiles braced initialisers and capturing lambdas that are
// temporaries of a co_await expression.
ComputeReply replayed(ordered_json body) { return ComputeReply{std::move(body), true}; }
ComputeReply fresh(ordered_json body) { return ComputeReply{std::move(body), false}; }

StepFunction step_function(const std::string& h3_cell, std::int64_t epoch_seconds) {
    StepContext context{h3_cell, epoch_seconds};
    return [context](const Step& step, const std::vector<const StepResult*>& inputs) { return run_step(step, inputs, context); };
}

ordered_json parse_stored(const std::string& text) { return ordered_json::parse(text); }

}  // namespace

struct ComputeService::Admitted {
    ComputeRequest request;
    std::vector<std::vector<std::size_t>> dependencies;
    Jurisdiction jurisdiction;
    DelegationOutcome authority;
    std::vector<std::int64_t> prices;
    std::int64_t epoch = 0;
};

ComputeService::ComputeService(store::Store& store, agents::AgentPool& pool, HiveGeography geography,
                               crypto::KeyPair worker, HiveOptions options)
    : store_(store),
      pool_(pool),
      geography_(std::move(geography)),
      worker_(worker),
      worker_pk_(crypto::to_hex(worker.public_key.data(), worker.public_key.size())),
      options_(std::move(options)) {}

ComputeService::Admitted ComputeService::admit(const SignedRequest& signed_request) {
    Admitted out;
    out.request = parse_compute_request(signed_request.body, options_.limits);
    out.dependencies = resolve_dependencies(out.request.steps);
    out.jurisdiction = resolve_jurisdiction(out.request, geography_.countries, geography_.policy);
    std::vector<std::string> types;
    for (const auto& step : out.request.steps) types.push_back(step.type);
    DelegationRequest wanted{out.request.requester_pk, types, out.request.budget_nano, out.request.h3_cell,
                             std::chrono::system_clock::now()};
    auto is_principal = [this](const std::string& pk) {
        auto principal = store_.find_principal(pk);
        return principal && !principal->revoked_at;
    };
    out.authority = check_delegation(out.request.delegation, wanted, options_.delegation, is_principal, cell_within);
    check_geometry(out.request, options_.geometry);
    require_implemented(out.request);
    out.prices = step_prices(out.request, options_.pricing);
    check_budget(out.prices, out.request.budget_nano);
    out.epoch = unix_now() / options_.epoch_seconds;
    return out;
}

struct ComputeService::Gated {
    SignedRequest signed_request;
    std::optional<ordered_json> replay;  // the original job, when the signature was seen before
    std::optional<Admitted> admitted;
};

ComputeService::Gated ComputeService::gate(std::string_view body, std::string_view signature_header) {
    try {
        Gated out;
        out.signed_request = check_signature(body, signature_header, options_.signature, std::chrono::system_clock::now());
        if (auto seen = store_.find_hive_job_by_signature(out.signed_request.signature)) {
            out.replay = job(seen->id);
        } else {
            out.admitted = admit(out.signed_request);
        }
        return out;
    } catch (const ApiError& e) {
        std::lock_guard lock(stats_mutex_);
        ++stats_.rejections_by_error[e.code()];
        throw;
    }
}

boost::asio::awaitable<ComputeReply> ComputeService::compute(std::string_view body, std::string_view signature_header) {
    auto gated = gate(body, signature_header);
    if (gated.replay) co_return replayed(std::move(*gated.replay));
    auto response = co_await run(gated.signed_request, std::move(*gated.admitted));
    co_return fresh(std::move(response));
}

boost::asio::awaitable<ordered_json> ComputeService::run(const SignedRequest& signed_request, Admitted admitted) {
    const auto& request = admitted.request;
    store::HiveJobRecord record;
    record.id = core::new_uuid_v4();
    record.requester_pk = request.requester_pk;
    record.signature = signed_request.signature;
    record.h3_cell = request.h3_cell;
    record.epoch = admitted.epoch;
    record.status = "running";
    record.request_json = crypto::canonicalize(signed_request.body);
    if (auto earlier = persist(record)) co_return job(*earlier);
    auto function = step_function(request.h3_cell, options_.epoch_seconds);
    auto results = co_await run_dag(pool_, request.steps, admitted.dependencies, std::move(function));
    co_return finish(record.id, admitted, results);
}

std::optional<std::string> ComputeService::persist(const store::HiveJobRecord& record) {
    try {
        store_.insert_hive_job(record);
        return std::nullopt;
    } catch (const store::StoreError& e) {
        // The same signed request raced in on another connection: answer with that job.
        auto seen = e.kind() == store::StoreError::Kind::conflict ? store_.find_hive_job_by_signature(record.signature) : std::nullopt;
        if (!seen) throw;
        return seen->id;
    }
}

ordered_json ComputeService::finish(const std::string& job_id, const Admitted& admitted, const std::vector<StepResult>& results) {
    const auto& request = admitted.request;
    auto settlement = settle(request, results, admitted.prices);
    ordered_json response = {{"job_id", job_id}, {"status", job_status(results)}, {"worker_pk", worker_pk_},
                             {"requester_pk", request.requester_pk}, {"h3_cell", request.h3_cell},
                             {"epoch", admitted.epoch}, {"jurisdiction", jurisdiction_json(admitted.jurisdiction)},
                             {"authority", {{"principal_pk", admitted.authority.principal_pk},
                                            {"delegation_length", admitted.authority.chain_length}}},
                             {"steps", steps_json(request, results)}, {"settlement", settlement.body}};
    auto proof = build_proof(nlohmann::json(response["steps"]));
    response["proof"] = {{"job_hash", proof.job_hash}, {"algorithm", kProofAlgorithm}, {"tree_size", proof.leaves.size()},
                         {"signature", sign_proof(job_id, proof.job_hash, proof.leaves.size(), worker_)},
                         {"verify_url", fmt::format("{}/v1/compute/{}/proof", options_.public_url, job_id)}};
    store_.finish_hive_job(job_id, response["status"].get<std::string>(), response.dump(), settlement.total_nano);
    std::lock_guard lock(stats_mutex_);
    ++stats_.jobs_by_status[response["status"].get<std::string>()];
    return response;
}

HiveStats ComputeService::stats() const {
    std::lock_guard lock(stats_mutex_);
    return stats_;
}

ordered_json ComputeService::job(const std::string& id) {
    auto record = store_.find_hive_job(id);
    if (!record) throw ApiError("job_not_found", 404, fmt::format("no compute job with id '{}'", id));
    if (record->response_json) return parse_stored(*record->response_json);
    return {{"job_id", record->id}, {"status", record->status}, {"requester_pk", record->requester_pk},
            {"h3_cell", record->h3_cell}, {"epoch", record->epoch}, {"created_at", record->created_at}};
}

ordered_json ComputeService::proof(const std::string& id) {
    auto response = job(id);
    if (!response.contains("proof"))
        throw ApiError("job_running", 409, fmt::format("compute job '{}' has no proof yet: it is {}", id,
                                                       response["status"].get<std::string>()));
    auto proof = build_proof(nlohmann::json(response["steps"]));
    ordered_json leaves = ordered_json::array();
    for (std::size_t i = 0; i < proof.leaves.size(); ++i)
        leaves.push_back({{"index", i}, {"step_id", proof.leaves[i].step_id}, {"leaf_hash", proof.leaves[i].leaf_hash},
                          {"path", proof.leaves[i].path}});
    return {{"job_id", id}, {"algorithm", kProofAlgorithm}, {"job_hash", response["proof"]["job_hash"]},
            {"tree_size", proof.leaves.size()}, {"worker_pk", response["worker_pk"]},
            {"signature", response["proof"]["signature"]}, {"leaves", std::move(leaves)}, {"steps", response["steps"]}};
}

ordered_json ComputeService::recent(int limit) {
    ordered_json jobs = ordered_json::array();
    for (const auto& record : store_.recent_hive_jobs(limit)) {
        ordered_json summary = {{"job_id", record.id}, {"status", record.status}, {"requester_pk", record.requester_pk},
                                  {"h3_cell", record.h3_cell}, {"epoch", record.epoch},
                                  {"total_gns", gns_to_json(record.total_nano)}, {"created_at", record.created_at}};
        if (record.response_json) summary["steps"] = parse_stored(*record.response_json)["steps"].size();
        jobs.push_back(std::move(summary));
    }
    return {{"jobs", std::move(jobs)}, {"limit", limit}};
}

}  // namespace forgehive::hive
