// Admission and job lifecycle. Store writes are the acknowledgement points: a job is QUEUED (and its
// credits reserved) before any compute, and COMPLETED together with its debit in one transaction.
#include "forgehive/gateway/execute_service.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <cmath>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "forgehive/api/forge_errors.hpp"
#include "forgehive/core/api_error.hpp"
#include "forgehive/core/ids.hpp"
#include "forgehive/crypto/base64.hpp"
#include "forgehive/crypto/hash.hpp"
#include "forgehive/crypto/jcs.hpp"
#include "forgehive/gateway/families.hpp"

namespace forgehive::gateway {
namespace {

namespace asio = boost::asio;
using core::ApiError;

nlohmann::json op_json(const api::OpIdentity& op) {
    return {{"name", op.name}, {"version", op.version}, {"profile", op.profile}};
}

// The contract: everything that decides the output or the charge. Same ctx.job_id with another
// contract is a client error, not a replay.
nlohmann::json contract_json(const api::ExecuteEnvelope& e) {
    nlohmann::json seed = {{"mode", api::to_string(e.seed.mode)}};
    if (e.seed.mode == api::SeedMode::explicit_value) seed["value"] = e.seed.value;
    return {{"op", op_json(e.op)},
            {"seed", seed},
            {"policy",
             {{"target", api::to_string(e.policy.target)},
              {"min_agents", e.policy.min_agents},
              {"max_agents", e.policy.max_agents},
              {"verify", api::to_string(e.policy.verify)}}},
            {"args", e.args},
            {"billing", api::to_string(e.ctx.billing)}};
}

// The envelope as stored for replay: canonical, with defaults made explicit.
std::string stored_request(const api::ExecuteEnvelope& e) {
    auto contract = contract_json(e);
    nlohmann::json ctx = {{"billing", {{"mode", api::to_string(e.ctx.billing)}}}};
    if (e.ctx.job_id) ctx["job_id"] = *e.ctx.job_id;
    if (e.ctx.trace_id) ctx["trace_id"] = *e.ctx.trace_id;
    nlohmann::json envelope = {{"ctx", ctx},          {"op", contract["op"]},     {"seed", contract["seed"]},
                               {"policy", contract["policy"]}, {"args", e.args}, {"artifacts", e.artifacts}};
    return crypto::canonicalize(envelope);
}

hub::Verify to_hub(api::VerifyMode mode) {
    return mode == api::VerifyMode::full ? hub::Verify::full
           : mode == api::VerifyMode::spotcheck ? hub::Verify::spotcheck
                                                : hub::Verify::none;
}

const hub::OutputBlob* find_blob(const std::vector<hub::OutputBlob>& blobs, const nlohmann::ordered_json& value) {
    if (!value.is_object() || !value.contains("artifact")) return nullptr;
    for (const auto& blob : blobs)
        if (value["artifact"] == blob.id) return &blob;
    return nullptr;
}

// A member naming a blob: inline as base64 when that fits within the limit, else stored as an artifact
// (the reference the hub rendered stays as it is).
void deliver_blob(nlohmann::ordered_json& value, const hub::OutputBlob& blob, ArtifactStore& artifacts,
                  std::int64_t project_id) {
    auto base64_size = (blob.bytes->size() + 2) / 3 * 4;
    if (base64_size <= static_cast<std::size_t>(artifacts.limits().inline_output_max_bytes)) {
        value.erase("artifact");
        value.erase("media_type");
        value.erase("bytes");
        value["base64"] = crypto::to_base64(*blob.bytes);
        return;
    }
    if (artifacts.put(project_id, blob.media_type, *blob.bytes).id != blob.id)
        throw std::logic_error("an output blob's bytes do not match its id");
}

// Sends the output as artifacts.inline_output_max_bytes says (docs/artifacts.md): blobs inline as
// base64 or as artifacts; any other member whose JSON text is longer is stored as a JSON artifact and
// replaced by {artifact, media_type, bytes}. output_hash was taken before, over the hub's form, so it
// does not depend on the setting.
nlohmann::ordered_json deliver_output(nlohmann::ordered_json output, const std::vector<hub::OutputBlob>& blobs,
                                      ArtifactStore& artifacts, std::int64_t project_id) {
    if (!output.is_object()) return output;
    auto limit = static_cast<std::size_t>(artifacts.limits().inline_output_max_bytes);
    for (auto& [name, value] : output.items()) {
        if (const auto* blob = find_blob(blobs, value)) {
            deliver_blob(value, *blob, artifacts, project_id);
            continue;
        }
        auto text = value.dump();
        if (text.size() <= limit) continue;
        auto info = artifacts.put(project_id, "application/json", text);
        value = {{"artifact", info.id}, {"media_type", info.media_type}, {"bytes", info.size}};
    }
    return output;
}

ApiError hub_error(const hub::HubError& e) {
    if (e.code() == "hub_unavailable") return ApiError("hub_unavailable", 503, e.what()).retry_after(1);
    return ApiError("execution_failed", 500, e.what());
}

}  // namespace

std::array<std::uint8_t, 32> root_seed_digest(const api::ExecuteEnvelope& envelope) {
    if (envelope.seed.mode == api::SeedMode::explicit_value) return crypto::sha256(envelope.seed.value);
    nlohmann::json material = {{"op", op_json(envelope.op)}, {"args", envelope.args}};
    return crypto::sha256(crypto::canonicalize(material));
}

struct ExecuteService::Admitted {
    Caller caller;
    store::JobRecord record;
    hub::JobSpec spec;
    bool existing = false;  // an idempotent repeat: nothing to run
};

ExecuteService::ExecuteService(store::Store& store, agents::AgentPool& pool, ArtifactStore& artifacts,
                               ExecuteOptions options)
    : store_(store), pool_(pool), artifacts_(artifacts), options_(std::move(options)),
      rate_limiter_(options_.rate_per_second, options_.rate_burst) {}

// Admission chain, in order, each stage cheap before the next dearer one:
//   rate limit (protects everything below) -> target (refuse what no agent can run) ->
//   family args (validate before touching the store) -> idempotency (a repeat is answered from the
//   store, never charged twice) -> admission control (bounded queue) -> quota + persistence (one
//   transaction reserves the credits and records the job QUEUED).
ExecuteService::Admitted ExecuteService::admit(const Caller& caller, const api::ExecuteEnvelope& envelope) {
    if (!rate_limiter_.try_acquire(caller.project_id))
        throw ApiError("quota_exceeded", 429,
                       fmt::format("request rate limit exceeded for project '{}' ({}/s, burst {})",
                                   caller.project_name, options_.rate_per_second, options_.rate_burst))
            .retry_after(rate_limiter_.retry_after_s());
    if (envelope.policy.target == api::Target::gpu)
        throw ApiError("hub_unavailable", 503,
                       "policy.target is gpu but this deployment has no GPU agents; use cpu or any");

    auto digest = root_seed_digest(envelope);
    auto work = prepare_work(envelope.op, envelope.args, digest, options_.families, artifacts_.resolver(caller.project_id));
    auto contract_hash = crypto::sha256_hex(crypto::canonicalize(contract_json(envelope)));

    Admitted admitted;
    admitted.caller = caller;
    if (envelope.ctx.job_id) {
        if (auto found = store_.find_job_by_client_id(caller.project_id, *envelope.ctx.job_id)) {
            if (found->contract_hash != contract_hash)
                throw ApiError("invalid_request", 409,
                               fmt::format("ctx.job_id '{}' was already used with a different contract",
                                           *envelope.ctx.job_id));
            admitted.record = *found;
            admitted.existing = true;
            return admitted;
        }
    }
    if (active_jobs() >= options_.max_queued_jobs)
        throw ApiError("hub_unavailable", 503,
                       fmt::format("job queue is full ({} jobs); retry later", options_.max_queued_jobs))
            .retry_after(1);

    bool billable = envelope.ctx.billing == api::BillingMode::billable;
    auto credits = billable ? std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(
                                                            static_cast<double>(work.billable_work) *
                                                            static_cast<double>(options_.credits_per_million) / 1e6)))
                            : 0;
    store::NewJob job{core::new_ulid(), caller.project_id, envelope.ctx.job_id, envelope.ctx.trace_id,
                      contract_hash, api::to_string(envelope.ctx.billing), credits, stored_request(envelope),
                      static_cast<std::int64_t>(work.workload->unit_count())};
    try {
        store_.insert_job(job);
    } catch (const store::StoreError& e) {
        if (e.kind() == store::StoreError::Kind::insufficient_credits)
            throw ApiError("quota_exceeded", 429, fmt::format("insufficient credits for project '{}': {}",
                                                              caller.project_name, e.what()));
        if (e.kind() == store::StoreError::Kind::conflict)
            throw ApiError("invalid_request", 409, "ctx.job_id is being used by a concurrent request");
        throw;
    }
    admitted.record = *store_.find_job(caller.project_id, job.id);
    auto& spec = admitted.spec;
    spec.root_seed = crypto::to_hex(digest.data(), digest.size());
    spec.seed_mode = api::to_string(envelope.seed.mode);
    spec.min_agents = envelope.policy.min_agents;
    spec.max_agents = envelope.policy.max_agents;
    spec.verify = to_hub(envelope.policy.verify);
    spec.workload = work.workload;
    return admitted;
}

boost::asio::awaitable<JobView> ExecuteService::execute(const Caller& caller, const api::ExecuteEnvelope& envelope,
                                                        bool async) {
    auto admitted = std::make_shared<Admitted>(admit(caller, envelope));
    if (admitted->existing) co_return view(admitted->record);
    {
        std::lock_guard lock(mutex_);
        active_[admitted->record.id] = admitted->spec.control;
    }
    if (async) {
        asio::co_spawn(co_await asio::this_coro::executor, run(admitted), asio::detached);
        co_return view(admitted->record);
    }
    co_await run(admitted);
    auto finished = view(*store_.find_job(caller.project_id, admitted->record.id));
    if (finished.record.status != "COMPLETED") {
        auto code = finished.record.error_code.value_or("execution_failed");
        throw ApiError(code, api::failed_job_status(code),
                       finished.record.error_message.value_or("job did not complete"));
    }
    co_return finished;
}

boost::asio::awaitable<void> ExecuteService::run(std::shared_ptr<Admitted> job) {
    const auto& id = job->record.id;
    auto control = job->spec.control;
    asio::steady_timer deadline(co_await asio::this_coro::executor);
    // Shared with the timer's handler, which may run after this frame has finished.
    auto deadline_hit = std::make_shared<bool>(false);
    deadline.expires_after(options_.job_deadline);
    deadline.async_wait([control, deadline_hit](boost::system::error_code ec) {
        if (ec) return;
        *deadline_hit = true;
        control->cancelled = true;
    });
    std::optional<ApiError> failure;
    std::string status = "FAILED";
    try {
        auto result = co_await hub::execute(pool_, job->spec, options_.hub);
        bool billable = job->record.billing_mode == "billable";
        nlohmann::ordered_json document = {
            {"billing",
             {{"mode", job->record.billing_mode},
              {"credits", billable ? job->record.credits : 0},
              {"eur", billable ? static_cast<double>(job->record.credits * options_.eur_micros_per_credit) / 1e6 : 0.0}}},
            {"hub", hub::to_json(result, job->spec)}};
        document["hub"]["output"] =
            deliver_output(std::move(document["hub"]["output"]), result.blobs, artifacts_, job->caller.project_id);
        store_.complete_job(id, document.dump());
        count("COMPLETED", &result);
    } catch (const hub::HubError& e) {
        if (e.code() == "cancelled") {
            status = *deadline_hit ? "FAILED" : "CANCELLED";
            failure = *deadline_hit ? ApiError("execution_failed", 500,
                                              fmt::format("job exceeded its deadline of {} ms",
                                                          options_.job_deadline.count()))
                                   : ApiError("execution_failed", 500, "job was cancelled");
        } else {
            failure = hub_error(e);
        }
    } catch (const ApiError& e) {
        failure = e;  // storing an output as an artifact went past the project's quota or size limit
    } catch (const std::exception& e) {
        spdlog::error("job {} failed: {}", id, e.what());
        failure = ApiError("execution_failed", 500, std::string("internal error: ") + e.what());
    }
    deadline.cancel();
    if (failure) {
        store_.finish_job_unsuccessfully(id, status, failure->code(), failure->message());
        count(status, nullptr);
    }
    std::lock_guard lock(mutex_);
    active_.erase(id);
}

void ExecuteService::count(const std::string& status, const hub::HubResult* result) {
    std::lock_guard lock(mutex_);
    ++stats_.jobs_by_status[status];
    if (!result) return;
    const auto& m = result->metrics;
    stats_.shards += m.shards;
    stats_.shards_verified += m.shards_verified;
    stats_.mismatches += m.mismatches;
    std::uint64_t iterations = 0;
    for (const auto& e : result->executions) iterations += e.iterations;
    stats_.iterations += iterations;
    stats_.compute_seconds += m.wall_ms / 1000.0;
    if (m.wall_ms > 0) stats_.last_iterations_per_second = static_cast<double>(iterations) / (m.wall_ms / 1000.0);
}

ExecuteStats ExecuteService::stats() const {
    std::lock_guard lock(mutex_);
    return stats_;
}

JobView ExecuteService::view(store::JobRecord record) const {
    JobView out;
    if (record.response_json) out.result = nlohmann::ordered_json::parse(*record.response_json);
    out.record = std::move(record);
    if (out.record.status == "QUEUED") {
        std::lock_guard lock(mutex_);
        if (auto it = active_.find(out.record.id); it != active_.end()) {
            out.record.status = "RUNNING";  // executing in this process (see store::JobRecord)
            out.record.units_done = static_cast<std::int64_t>(it->second->units_done.load());
            out.round = it->second->round.load();
        }
    }
    return out;
}

JobView ExecuteService::job(const Caller& caller, const std::string& job_id) {
    auto record = store_.find_job(caller.project_id, job_id);
    if (!record) throw ApiError("not_found", 404, fmt::format("no job '{}' in project '{}'", job_id, caller.project_name));
    return view(*record);
}

std::vector<JobView> ExecuteService::jobs(const Caller& caller, int limit) {
    std::vector<JobView> out;
    for (auto& record : store_.list_jobs(caller.project_id, limit)) out.push_back(view(std::move(record)));
    return out;
}

JobView ExecuteService::cancel(const Caller& caller, const std::string& job_id) {
    auto current = job(caller, job_id);
    std::lock_guard lock(mutex_);
    if (auto it = active_.find(job_id); it != active_.end()) it->second->cancelled = true;
    return current;
}

void ExecuteService::cancel_all() {
    std::lock_guard lock(mutex_);
    for (auto& [id, control] : active_) control->cancelled = true;
}

std::int64_t ExecuteService::active_jobs() const {
    std::lock_guard lock(mutex_);
    return static_cast<std::int64_t>(active_.size());
}

boost::asio::awaitable<nlohmann::ordered_json> ExecuteService::replay(const Caller& caller, const std::string& job_id) {
    auto original = job(caller, job_id);
    if (original.record.status != "COMPLETED")
        throw ApiError("invalid_request", 409, fmt::format("job '{}' is {}; only COMPLETED jobs can be replayed",
                                                           job_id, original.record.status));
    auto envelope = api::parse_execute_envelope(nlohmann::json::parse(original.record.request_json));
    auto digest = root_seed_digest(envelope);
    hub::JobSpec spec;
    spec.root_seed = crypto::to_hex(digest.data(), digest.size());
    spec.seed_mode = api::to_string(envelope.seed.mode);
    spec.min_agents = envelope.policy.min_agents;
    spec.max_agents = envelope.policy.max_agents;
    spec.verify = to_hub(envelope.policy.verify);
    spec.workload =
        prepare_work(envelope.op, envelope.args, digest, options_.families, artifacts_.resolver(caller.project_id)).workload;
    hub::HubResult result;
    try {
        result = co_await hub::execute(pool_, spec, options_.hub);
    } catch (const hub::HubError& e) {
        throw hub_error(e);
    }
    auto expected = original.result["hub"]["replay"]["output_hash"].get<std::string>();
    co_return nlohmann::ordered_json{{"ok", true},
                                     {"job_id", job_id},
                                     {"match", result.output_hash == expected},
                                     {"output_hash", result.output_hash},
                                     {"original_output_hash", expected}};
}

}  // namespace forgehive::gateway
