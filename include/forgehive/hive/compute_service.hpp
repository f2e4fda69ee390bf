// ComputeService: POST /v1/compute end to end — the four gates in order (signature, jurisdiction,
// delegation, geometry), the budget check, persistence, the DAG run on the agent pool, settlement
// and the Merkle proof — and the job resources behind the GET routes.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "forgehive/agents/agent_pool.hpp"
#include "forgehive/crypto/ed25519.hpp"
#include "forgehive/geo/country_index.hpp"
#include "forgehive/geo/geometry_validator.hpp"
#include "forgehive/hive/compute_request.hpp"
#include "forgehive/hive/dag_executor.hpp"
#include "forgehive/hive/delegation.hpp"
#include "forgehive/hive/jurisdiction.hpp"
#include "forgehive/hive/settlement.hpp"
#include "forgehive/hive/signature_gate.hpp"
#include "forgehive/store/store.hpp"

namespace forgehive::hive {

struct HiveOptions {
    RequestLimits limits;
    SignatureOptions signature;
    DelegationPolicy delegation;
    geo::GeometryLimits geometry;
    Pricing pricing;
    std::int64_t epoch_seconds = 3600;
    std::string public_url;  // prefix of proof.verify_url ("" gives a path relative to this server)
};

// What the geography gates need, loaded once at start-up.
struct HiveGeography {
    const geo::CountryIndex& countries;
    JurisdictionPolicy policy;
};

// Counters since start, for /metrics.
struct HiveStats {
    std::map<std::string, std::int64_t> jobs_by_status;       // complete | partial | failed
    std::map<std::string, std::int64_t> rejections_by_error;  // gate and validation error codes
};

struct ComputeReply {
    nlohmann::ordered_json body;
    bool replayed = false;  // the signature was seen before: this is the original job
};

class ComputeService {
public:
    ComputeService(store::Store& store, agents::AgentPool& pool, HiveGeography geography, crypto::KeyPair worker,
                   HiveOptions options);

    // Throws core::ApiError with the Hive codes (docs/hive-api.md).
    boost::asio::awaitable<ComputeReply> compute(std::string_view body, std::string_view signature_header);
    // GET /v1/compute/{id}; 404 job_not_found.
    nlohmann::ordered_json job(const std::string& id);
    // GET /v1/compute/{id}/proof; 404 job_not_found, 409 job_running.
    nlohmann::ordered_json proof(const std::string& id);
    // GET /v1/compute/recent: summaries, newest first.
    nlohmann::ordered_json recent(int limit);

    const std::string& worker_pk() const { return worker_pk_; }
    HiveStats stats() const;

private:
    struct Admitted;
    struct Gated;
    // Gate 1 and the replay lookup, then admit; refusals are counted by error code.
    Gated gate(std::string_view body, std::string_view signature_header);
    Admitted admit(const SignedRequest& signed_request);
    boost::asio::awaitable<nlohmann::ordered_json> run(const SignedRequest& signed_request, Admitted admitted);
    // Writes the running job; the id of the job that already holds its signature, if any.
    std::optional<std::string> persist(const store::HiveJobRecord& record);
    // Settlement, proof and the finished job's row; the response.
    nlohmann::ordered_json finish(const std::string& job_id, const Admitted& admitted, const std::vector<StepResult>& results);

    store::Store& store_;
    agents::AgentPool& pool_;
    HiveGeography geography_;
    crypto::KeyPair worker_;
    std::string worker_pk_;
    HiveOptions options_;
    mutable std::mutex stats_mutex_;
    HiveStats stats_;
};

}  // namespace forgehive::hive
