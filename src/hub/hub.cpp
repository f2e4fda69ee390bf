// Hub stages. Shards run on agent threads; the coroutine that called execute() only waits (on a
// concurrent channel), so no network thread ever computes.
#include "forgehive/hub/hub.hpp"

#include <algorithm>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "forgehive/crypto/hash.hpp"
#include "forgehive/crypto/jcs.hpp"

namespace forgehive::hub {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using Done = asio::experimental::concurrent_channel<void(boost::system::error_code, std::size_t)>;

// Units run in small batches so cancellation and progress are seen promptly.
constexpr std::uint64_t kUnitsPerBatch = 16;

double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

struct ShardRun {
    std::size_t agent = 0;
    std::uint64_t first_unit = 0;
    std::uint64_t units = 0;
};

struct ShardOutcome {
    std::shared_ptr<PartialResult> partial;
    std::string result_hash;
    std::string signature;
    double wall_ms = 0;
    std::exception_ptr error;
};

template <class Json>
std::string hash_of(const Json& value) {
    return crypto::sha256_hex(crypto::canonicalize(nlohmann::json(value)));
}

// Runs on the agent: compute the range, hash the canonical result, sign the hash.
ShardOutcome run_shard(const agents::Agent& agent, const JobSpec& job, const ShardRun& shard,
                       const HubOptions& options, bool count_progress) {
    auto start = Clock::now();
    ShardOutcome out;
    std::unique_ptr<PartialResult> total;
    for (std::uint64_t done = 0; done < shard.units; done += kUnitsPerBatch) {
        if (job.control->cancelled) throw HubError("cancelled", "job cancelled");
        auto batch = std::min(kUnitsPerBatch, shard.units - done);
        auto part = job.workload->run(shard.first_unit + done, batch);
        if (total) {
            total->merge(*part);
        } else {
            total = std::move(part);
        }
        if (count_progress) job.control->units_done += batch;
    }
    if (agent.index() == options.fault_inject_agent) total->merge(*job.workload->run(0, 1));  // TEST ONLY fault
    out.result_hash = hash_of(total->canonical());
    auto signature = agent.sign(out.result_hash);
    out.signature = crypto::to_hex(signature.data(), signature.size());
    out.partial = std::move(total);
    out.wall_ms = ms_since(start);
    return out;
}

// Runs every shard on its agent and waits for all of them; results come back in input order.
asio::awaitable<std::vector<ShardOutcome>> run_all(agents::AgentPool& pool, const JobSpec& job,
                                                   const std::vector<ShardRun>& runs, const HubOptions& options,
                                                   bool count_progress) {
    std::vector<ShardOutcome> outcomes(runs.size());
    Done done(co_await asio::this_coro::executor, runs.size());
    for (std::size_t i = 0; i < runs.size(); ++i) {
        pool.post_to(runs[i].agent, [&, i](const agents::Agent& agent) {
            try {
                outcomes[i] = run_shard(agent, job, runs[i], options, count_progress);
            } catch (...) {
                outcomes[i].error = std::current_exception();
            }
            done.try_send(boost::system::error_code{}, i);
        });
    }
    for (std::size_t i = 0; i < runs.size(); ++i) co_await done.async_receive(asio::use_awaitable);
    for (auto& outcome : outcomes)
        if (outcome.error) std::rethrow_exception(outcome.error);
    co_return outcomes;
}

// The first healthy agent after `after` that is not in `avoid`; `after` itself when there is none
// (with one agent, verification re-runs on the same agent: it still catches non-determinism).
std::size_t other_agent(const std::vector<std::size_t>& healthy, std::size_t after, std::vector<std::size_t> avoid) {
    auto pos = std::find(healthy.begin(), healthy.end(), after);
    auto start = pos == healthy.end() ? 0 : static_cast<std::size_t>(pos - healthy.begin());
    for (std::size_t step = 1; step <= healthy.size(); ++step) {
        auto candidate = healthy[(start + step) % healthy.size()];
        if (std::find(avoid.begin(), avoid.end(), candidate) == avoid.end()) return candidate;
    }
    return after;
}

struct Plan {
    std::vector<std::size_t> healthy;
    std::vector<ShardRun> shards;
    std::size_t agents_used = 0;
};

Plan plan(const agents::AgentPool& pool, const JobSpec& job) {
    Plan out;
    out.healthy = pool.healthy_agents();
    if (out.healthy.empty()) throw HubError("hub_unavailable", "no healthy agents (all quarantined)");
    auto units = job.workload->unit_count();
    // One shard per healthy agent, within [min_agents, max_agents] and never more than the units.
    // With fewer healthy agents than min_agents, agents take several shards each.
    auto shards = std::clamp<std::uint64_t>(out.healthy.size(), static_cast<std::uint64_t>(job.min_agents),
                                            static_cast<std::uint64_t>(job.max_agents));
    shards = std::max<std::uint64_t>(1, std::min(shards, units));
    auto bounds = shard_bounds(units, shards);
    for (std::size_t k = 0; k + 1 < bounds.size(); ++k)
        out.shards.push_back(ShardRun{out.healthy[k % out.healthy.size()], bounds[k], bounds[k + 1] - bounds[k]});
    out.agents_used = std::min<std::size_t>(shards, out.healthy.size());
    return out;
}

Execution describe(const agents::AgentPool& pool, const JobSpec& job, std::size_t shard_id, const ShardRun& run,
                   const ShardOutcome& outcome) {
    Execution e;
    e.agent_id = pool.agent(run.agent).id();
    e.shard_id = shard_id;
    e.first_unit = run.first_unit;
    e.units = run.units;
    e.iterations = job.workload->work_in(run.first_unit, run.units);
    e.wall_ms = outcome.wall_ms;
    e.seed = fmt::format("{}/units/{}-{}", job.root_seed.substr(0, 16), run.first_unit, run.first_unit + run.units);
    e.result_hash = outcome.result_hash;
    e.signature = outcome.signature;
    e.verified = "none";
    return e;
}

// Re-runs the chosen shards on other agents. A disagreement goes to a third agent; the agent in the
// minority is quarantined and the majority result kept. No majority fails the job.
asio::awaitable<void> verify(agents::AgentPool& pool, const JobSpec& job, const Plan& plan,
                             std::vector<ShardOutcome>& outcomes, std::vector<Execution>& executions,
                             const std::vector<std::size_t>& chosen, const HubOptions& options, HubMetrics& metrics) {
    std::vector<ShardRun> checks;
    for (auto k : chosen) {
        auto run = plan.shards[k];
        run.agent = other_agent(plan.healthy, run.agent, std::vector<std::size_t>(1, run.agent));
        checks.push_back(run);
    }
    auto rechecked = co_await run_all(pool, job, checks, options, false);
    metrics.shards_verified = chosen.size();
    for (std::size_t i = 0; i < chosen.size(); ++i) {
        auto k = chosen[i];
        if (rechecked[i].result_hash == outcomes[k].result_hash) {
            executions[k].verified = "match";
            continue;
        }
        ++metrics.mismatches;
        auto first = plan.shards[k].agent, second = checks[i].agent;
        auto third_run = plan.shards[k];
        // No braced lists in this coroutine: GCC 12 miscompiles initializer_list temporaries there.
        std::vector<std::size_t> both;
        both.push_back(first);
        both.push_back(second);
        third_run.agent = other_agent(plan.healthy, second, both);
        if (third_run.agent == second)
            throw HubError("execution_failed",
                           fmt::format("shard {} results differ between two agents and no third agent can break the tie", k));
        auto third = co_await run_all(pool, job, std::vector<ShardRun>(1, third_run), options, false);
        if (third[0].result_hash == outcomes[k].result_hash) {
            pool.quarantine(second);
        } else if (third[0].result_hash == rechecked[i].result_hash) {
            pool.quarantine(first);
            outcomes[k] = std::move(rechecked[i]);
            executions[k] = describe(pool, job, k, checks[i], outcomes[k]);
        } else {
            throw HubError("execution_failed", fmt::format("shard {} has no majority result across agents", k));
        }
        executions[k].verified = "majority";
        spdlog::warn("shard {} result mismatch resolved by majority", k);
    }
}

std::vector<std::size_t> chosen_shards(const JobSpec& job, std::size_t shards) {
    if (job.verify == Verify::none) return {};
    if (job.verify == Verify::spotcheck) return spotcheck_shards(job.root_seed, shards);
    std::vector<std::size_t> all(shards);
    for (std::size_t k = 0; k < shards; ++k) all[k] = k;
    return all;
}

}  // namespace

std::vector<std::uint64_t> shard_bounds(std::uint64_t units, std::size_t shards) {
    std::vector<std::uint64_t> bounds;
    for (std::size_t k = 0; k <= shards; ++k) bounds.push_back(units * k / shards);
    return bounds;
}

std::vector<std::size_t> spotcheck_shards(const std::string& root_seed, std::size_t shards) {
    // About one shard in ten, at least one, ordered by SHA-256(root_seed ":spotcheck:" k).
    std::vector<std::pair<std::string, std::size_t>> keyed;
    for (std::size_t k = 0; k < shards; ++k) keyed.emplace_back(crypto::sha256_hex(fmt::format("{}:spotcheck:{}", root_seed, k)), k);
    std::sort(keyed.begin(), keyed.end());
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < std::max<std::size_t>(1, (shards + 9) / 10); ++i) out.push_back(keyed[i].second);
    std::sort(out.begin(), out.end());
    return out;
}

asio::awaitable<HubResult> execute(agents::AgentPool& pool, const JobSpec& job, const HubOptions& options) {
    auto start = Clock::now();
    HubResult result;
    auto p = plan(pool, job);

    auto outcomes = co_await run_all(pool, job, p.shards, options, true);
    for (std::size_t k = 0; k < p.shards.size(); ++k)
        result.executions.push_back(describe(pool, job, k, p.shards[k], outcomes[k]));

    auto verify_start = Clock::now();
    co_await verify(pool, job, p, outcomes, result.executions, chosen_shards(job, p.shards.size()), options,
                    result.metrics);
    result.metrics.verify_ms = ms_since(verify_start);

    auto reduce_start = Clock::now();
    auto total = outcomes[0].partial;
    for (std::size_t k = 1; k < outcomes.size(); ++k) total->merge(*outcomes[k].partial);
    result.output = total->output();
    result.output_hash = hash_of(result.output);
    result.metrics.reduce_ms = ms_since(reduce_start);

    result.metrics.agents_used = p.agents_used;
    result.metrics.shards = p.shards.size();
    result.metrics.units = job.workload->unit_count();
    result.unit_size = job.workload->unit_size();
    result.kernel_versions = job.workload->kernel_versions();
    result.metrics.wall_ms = ms_since(start);
    co_return result;
}

}  // namespace forgehive::hub
