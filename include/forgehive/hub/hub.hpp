// The hub: plans a job into shards, dispatches them to agents, verifies, reduces and hashes, as named
// timed stages (plan -> dispatch -> verify -> reduce -> hash) whose timings feed hub.metrics. It is
// money-blind and knows nothing of HTTP (forge-pool-execute-api "Public Runtime Flow").
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "forgehive/agents/agent_pool.hpp"
#include "forgehive/hub/workload.hpp"

namespace forgehive::hub {

enum class Verify { none, spotcheck, full };

// Shared between the hub and whoever may cancel the job or watch its progress.
struct JobControl {
    std::atomic<bool> cancelled{false};
    std::atomic<std::uint64_t> units_done{0};  // in the current round
    std::atomic<std::uint64_t> round{0};       // 0-based; iterative workloads only go past 0
};

struct JobSpec {
    std::string root_seed;  // 64 hex digits: SHA-256 of the explicit seed, or of JCS {op, args}
    std::string seed_mode;  // explicit | derived
    std::int64_t min_agents = 1;
    std::int64_t max_agents = 999;
    Verify verify = Verify::none;
    std::shared_ptr<const Workload> workload;  // the first round
    std::shared_ptr<JobControl> control = std::make_shared<JobControl>();
};

struct HubOptions {
    // TEST ONLY (config agents.fault_inject_agent): this agent corrupts every result it returns.
    std::size_t fault_inject_agent = std::numeric_limits<std::size_t>::max();
};

// One shard of the plan. A shard keeps its unit range in every round; for iterative workloads the
// entry sums work and time over the rounds and names the agent, hash and signature of the last one.
struct Execution {
    std::string agent_id;
    std::uint64_t shard_id = 0;
    std::uint64_t first_unit = 0;
    std::uint64_t units = 0;
    std::uint64_t iterations = 0;
    double wall_ms = 0;
    std::string seed;         // the shard's stream reference: root seed prefix and unit range
    std::string result_hash;  // SHA-256 of the JCS canonical shard result
    std::string signature;    // the agent's Ed25519 signature of result_hash (hex)
    std::string verified;     // none | match | majority (majority if any round needed one)
    std::uint64_t rounds = 0;
};

struct HubMetrics {
    double wall_ms = 0;
    std::size_t agents_used = 0;
    std::size_t shards = 0;
    std::uint64_t units = 0;
    double reduce_ms = 0;
    double verify_ms = 0;
    std::size_t shards_verified = 0;
    std::size_t mismatches = 0;
    std::uint64_t rounds = 0;
};

struct HubResult {
    HubMetrics metrics;
    std::vector<Execution> executions;
    nlohmann::ordered_json output;
    std::vector<OutputBlob> blobs;  // the binary members output names
    std::string output_hash;
    std::uint64_t unit_size = 0;
    std::map<std::string, std::string> kernel_versions;
};

class HubError : public std::runtime_error {
public:
    HubError(std::string code, const std::string& message) : std::runtime_error(message), code_(std::move(code)) {}
    const std::string& code() const { return code_; }  // execution_failed | hub_unavailable | cancelled

private:
    std::string code_;
};

// Runs the job on the pool; the calling coroutine waits without blocking its thread.
boost::asio::awaitable<HubResult> execute(agents::AgentPool& pool, const JobSpec& job, const HubOptions& options);

// The shard boundaries for `units` over `shards` shards: shard k covers [bounds[k], bounds[k+1]).
std::vector<std::uint64_t> shard_bounds(std::uint64_t units, std::size_t shards);
// Shards re-executed by spotcheck in a round: a deterministic function of the root seed and the round,
// at least one.
std::vector<std::size_t> spotcheck_shards(const std::string& root_seed, std::size_t shards, std::uint64_t round = 0);

}  // namespace forgehive::hub

namespace forgehive::hub {

// The hub's part of the public response: {status, metrics, executions, output, replay}.
nlohmann::ordered_json to_json(const HubResult& result, const JobSpec& job);

}  // namespace forgehive::hub
