// ExecuteService: Forge admission and job lifecycle around the hub. The admission chain runs in
// one fixed order (see execute()); the hub never sees money, the store sees every state change.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "forgehive/agents/agent_pool.hpp"
#include "forgehive/api/forge_request.hpp"
#include "forgehive/gateway/artifact_store.hpp"
#include "forgehive/gateway/families.hpp"
#include "forgehive/gateway/rate_limiter.hpp"
#include "forgehive/gateway/tokens.hpp"
#include "forgehive/hub/hub.hpp"
#include "forgehive/store/store.hpp"

namespace forgehive::gateway {

struct ExecuteOptions {
    std::int64_t max_queued_jobs = 256;
    std::int64_t credits_per_million = 1;       // price: credits per million units of work, at least 1 a job
    std::int64_t eur_micros_per_credit = 100;   // 1 credit = 0.0001 EUR
    std::chrono::milliseconds job_deadline{600'000};
    double rate_per_second = 50;
    double rate_burst = 100;
    hub::HubOptions hub;
    FamilyOptions families;
};

// Counters for /metrics since start-up.
struct ExecuteStats {
    std::map<std::string, std::uint64_t> jobs_by_status;  // COMPLETED, FAILED, CANCELLED
    std::uint64_t shards = 0;
    std::uint64_t shards_verified = 0;
    std::uint64_t mismatches = 0;
    std::uint64_t iterations = 0;
    double compute_seconds = 0;             // summed hub wall time of completed jobs
    double last_iterations_per_second = 0;  // of the most recent completed job
};

// What the API layer renders: the job as stored, plus its stored result document when finished.
struct JobView {
    store::JobRecord record;
    nlohmann::ordered_json result;  // {"billing": {...}, "hub": {...}} when COMPLETED; null otherwise
    std::uint64_t round = 0;        // while RUNNING: the round an iterative workload is in
};

class ExecuteService {
public:
    ExecuteService(store::Store& store, agents::AgentPool& pool, ArtifactStore& artifacts, ExecuteOptions options);

    // Admits the envelope and runs it to completion (or, with `async`, returns once it is QUEUED and
    // runs it in the background). Throws core::ApiError with the Forge codes.
    boost::asio::awaitable<JobView> execute(const Caller& caller, const api::ExecuteEnvelope& envelope, bool async);
    // The caller's own job; another project's job is not found.
    JobView job(const Caller& caller, const std::string& job_id);
    std::vector<JobView> jobs(const Caller& caller, int limit);
    // Cancels a QUEUED or RUNNING job of the caller's; returns its view after the request.
    JobView cancel(const Caller& caller, const std::string& job_id);
    // Re-executes a finished job from its stored contract and compares output hashes.
    boost::asio::awaitable<nlohmann::ordered_json> replay(const Caller& caller, const std::string& job_id);
    // Cancels every running job (shutdown).
    void cancel_all();

    std::int64_t active_jobs() const;
    ExecuteStats stats() const;

private:
    struct Admitted;
    Admitted admit(const Caller& caller, const api::ExecuteEnvelope& envelope);
    boost::asio::awaitable<void> run(std::shared_ptr<Admitted> job);
    JobView view(store::JobRecord record) const;
    void count(const std::string& status, const hub::HubResult* result);

    store::Store& store_;
    agents::AgentPool& pool_;
    ArtifactStore& artifacts_;
    ExecuteOptions options_;
    RateLimiter rate_limiter_;
    mutable std::mutex mutex_;
    std::map<std::string, std::shared_ptr<hub::JobControl>> active_;
    ExecuteStats stats_;
};

// SHA-256 digest and hex of the root seed (forge-pool-execute-api "seed"): explicit -> of the
// value's UTF-8 bytes; derived -> of the JCS canonical {op, args}.
std::array<std::uint8_t, 32> root_seed_digest(const api::ExecuteEnvelope& envelope);

}  // namespace forgehive::gateway
