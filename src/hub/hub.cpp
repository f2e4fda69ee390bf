// Hub stages. Shards run on agent threads; the coroutine that called execute() only waits (on a
// concurrent channel), so no network thread ever computes.
#include "forgehive/hub/hub.hpp"

#include <algorithm>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <functional>
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
ShardOutcome run_shard(const agents::Agent& agent, const JobSpec& job, const Workload& workload, const ShardRun& shard,
                       const HubOptions& options, bool count_progress) {
    auto start = Clock::now();
    ShardOutcome out;
    std::unique_ptr<PartialResult> total;
    for (std::uint64_t done = 0; done < shard.units; done += kUnitsPerBatch) {
        if (job.control->cancelled) throw HubError("cancelled", "job cancelled");
        auto batch = std::min(kUnitsPerBatch, shard.units - done);
        auto part = workload.run(shard.first_unit + done, batch);
        if (total) {
            total->merge(*part);
        } else {
            total = std::move(part);
        }
        if (count_progress) job.control->units_done += batch;
    }
    if (agent.index() == options.fault_inject_agent) total->merge(*workload.run(0, 1));  // TEST ONLY fault
    out.result_hash = hash_of(total->canonical());
    auto signature = agent.sign(out.result_hash);
    out.signature = crypto::to_hex(signature.data(), signature.size());
    out.partial = std::move(total);
    out.wall_ms = ms_since(start);
    return out;
}

// Errors from family code (a singular matrix, say) fail the job with the family's message.
std::exception_ptr as_hub_error(std::exception_ptr error) {
    try {
        std::rethrow_exception(error);
    } catch (const HubError&) {
        return error;
    } catch (const std::exception& e) {
        return std::make_exception_ptr(HubError("execution_failed", e.what()));
    }
}

// Runs task(agent) on one agent thread and waits for it without blocking this coroutine's thread.
asio::awaitable<void> on_agent(agents::AgentPool& pool, std::size_t agent,
                               const std::function<void(const agents::Agent&)>& task) {
    std::exception_ptr error;
    Done done(co_await asio::this_coro::executor, 1);
    pool.post_to(agent, [&](const agents::Agent& a) {
        try {
            task(a);
        } catch (...) {
            error = as_hub_error(std::current_exception());
        }
        done.try_send(boost::system::error_code{}, 0);
    });
    co_await done.async_receive(asio::use_awaitable);
    if (error) std::rethrow_exception(error);
}

// Runs every shard on its agent and waits for all of them; results come back in input order.
asio::awaitable<std::vector<ShardOutcome>> run_all(agents::AgentPool& pool, const JobSpec& job, const Workload& workload,
                                                   const std::vector<ShardRun>& runs, const HubOptions& options,
                                                   bool count_progress) {
    std::vector<ShardOutcome> outcomes(runs.size());
    Done done(co_await asio::this_coro::executor, runs.size());
    for (std::size_t i = 0; i < runs.size(); ++i) {
        pool.post_to(runs[i].agent, [&, i](const agents::Agent& agent) {
            try {
                outcomes[i] = run_shard(agent, job, workload, runs[i], options, count_progress);
            } catch (...) {
                outcomes[i].error = as_hub_error(std::current_exception());
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

std::vector<std::size_t> healthy_agents(const agents::AgentPool& pool) {
    auto healthy = pool.healthy_agents();
    if (healthy.empty()) throw HubError("hub_unavailable", "no healthy agents (all quarantined)");
    return healthy;
}

// Shard k runs on the k-th healthy agent (round robin): re-done every round, so an agent quarantined in
// one round gets no shard in the next. The unit ranges never change.
void assign_agents(Plan& plan, std::vector<std::size_t> healthy) {
    plan.healthy = std::move(healthy);
    for (std::size_t k = 0; k < plan.shards.size(); ++k) plan.shards[k].agent = plan.healthy[k % plan.healthy.size()];
    plan.agents_used = std::min(plan.shards.size(), plan.healthy.size());
}

Plan plan(const agents::AgentPool& pool, const JobSpec& job) {
    Plan out;
    auto healthy = healthy_agents(pool);
    auto units = job.workload->unit_count();
    // One shard per healthy agent, within [min_agents, max_agents] and never more than the units.
    // With fewer healthy agents than min_agents, agents take several shards each.
    auto shards = std::clamp<std::uint64_t>(healthy.size(), static_cast<std::uint64_t>(job.min_agents),
                                            static_cast<std::uint64_t>(job.max_agents));
    shards = std::max<std::uint64_t>(1, std::min(shards, units));
    auto bounds = shard_bounds(units, shards);
    for (std::size_t k = 0; k + 1 < bounds.size(); ++k) out.shards.push_back(ShardRun{0, bounds[k], bounds[k + 1] - bounds[k]});
    assign_agents(out, std::move(healthy));
    return out;
}

Execution describe(const agents::AgentPool& pool, const JobSpec& job, const Workload& workload, std::size_t shard_id,
                   const ShardRun& run, const ShardOutcome& outcome) {
    Execution e;
    e.agent_id = pool.agent(run.agent).id();
    e.shard_id = shard_id;
    e.first_unit = run.first_unit;
    e.units = run.units;
    e.iterations = workload.work_in(run.first_unit, run.units);
    e.wall_ms = outcome.wall_ms;
    e.seed = fmt::format("{}/units/{}-{}", job.root_seed.substr(0, 16), run.first_unit, run.first_unit + run.units);
    e.result_hash = outcome.result_hash;
    e.signature = outcome.signature;
    e.verified = "none";
    e.rounds = 1;
    return e;
}

// Folds a later round's entry for the same shard into the job's entry.
void add_round(Execution& total, const Execution& round) {
    auto verified = total.verified == "majority" || round.verified == "majority" ? "majority"
                    : total.verified == "match" || round.verified == "match"     ? "match"
                                                                                 : "none";
    total.agent_id = round.agent_id;
    total.iterations += round.iterations;
    total.wall_ms += round.wall_ms;
    total.result_hash = round.result_hash;
    total.signature = round.signature;
    total.verified = verified;
    ++total.rounds;
}

struct RoundContext {
    const JobSpec& job;
    const Workload& workload;
    const Plan& plan;
    const HubOptions& options;
};

// Outside the coroutines: GCC 12 mishandles braced initialisation inside them.
RoundContext round_context(const JobSpec& job, const Workload& workload, const Plan& plan, const HubOptions& options) {
    return RoundContext{job, workload, plan, options};
}

// Re-runs the chosen shards on other agents. A disagreement goes to a third agent; the agent in the
// minority is quarantined and the majority result kept. No majority fails the job.
asio::awaitable<void> verify(agents::AgentPool& pool, const RoundContext& round, std::vector<ShardOutcome>& outcomes,
                             std::vector<Execution>& executions, const std::vector<std::size_t>& chosen,
                             HubMetrics& metrics) {
    const auto& plan = round.plan;
    std::vector<ShardRun> checks;
    for (auto k : chosen) {
        auto run = plan.shards[k];
        run.agent = other_agent(plan.healthy, run.agent, std::vector<std::size_t>(1, run.agent));
        checks.push_back(run);
    }
    auto rechecked = co_await run_all(pool, round.job, round.workload, checks, round.options, false);
    metrics.shards_verified += chosen.size();
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
        auto third = co_await run_all(pool, round.job, round.workload, std::vector<ShardRun>(1, third_run),
                                      round.options, false);
        if (third[0].result_hash == outcomes[k].result_hash) {
            pool.quarantine(second);
        } else if (third[0].result_hash == rechecked[i].result_hash) {
            pool.quarantine(first);
            outcomes[k] = std::move(rechecked[i]);
            executions[k] = describe(pool, round.job, round.workload, k, checks[i], outcomes[k]);
        } else {
            throw HubError("execution_failed", fmt::format("shard {} has no majority result across agents", k));
        }
        executions[k].verified = "majority";
        spdlog::warn("shard {} result mismatch resolved by majority", k);
    }
}

std::vector<std::size_t> chosen_shards(const JobSpec& job, std::size_t shards, std::uint64_t round) {
    if (job.verify == Verify::none) return {};
    if (job.verify == Verify::spotcheck) return spotcheck_shards(job.root_seed, shards, round);
    std::vector<std::size_t> all(shards);
    for (std::size_t k = 0; k < shards; ++k) all[k] = k;
    return all;
}

// What merging a round's shards gives: the next round's workload, or (after the last round) the output.
struct RoundEnd {
    std::shared_ptr<const Workload> next;
    nlohmann::ordered_json output;
    std::vector<OutputBlob> blobs;
    std::string output_hash;
};

// Merges the shards in unit order and asks the workload for the next round; renders the output when
// there is none. Runs on an agent: for large partials (matrix rows, score vectors) this is real work.
RoundEnd end_round(const Workload& workload, std::vector<ShardOutcome>& outcomes) {
    auto total = outcomes[0].partial;
    for (std::size_t k = 1; k < outcomes.size(); ++k) total->merge(*outcomes[k].partial);
    RoundEnd end;
    end.next = workload.next_round(*total);
    if (end.next && end.next->unit_count() != workload.unit_count())
        throw HubError("execution_failed", "an iterative workload changed its unit count between rounds");
    if (!end.next) {
        end.output = total->output();
        end.blobs = total->output_blobs();
        end.output_hash = hash_of(end.output);
    }
    return end;
}

// One round: run every shard, verify as the policy says, merge. Fills the round's executions.
asio::awaitable<RoundEnd> run_round(agents::AgentPool& pool, const RoundContext& round, std::uint64_t index,
                                    std::vector<Execution>& executions, HubMetrics& metrics) {
    round.job.control->round = index;
    round.job.control->units_done = 0;
    auto outcomes = co_await run_all(pool, round.job, round.workload, round.plan.shards, round.options, true);
    for (std::size_t k = 0; k < round.plan.shards.size(); ++k)
        executions.push_back(describe(pool, round.job, round.workload, k, round.plan.shards[k], outcomes[k]));

    auto verify_start = Clock::now();
    co_await verify(pool, round, outcomes, executions, chosen_shards(round.job, round.plan.shards.size(), index),
                    metrics);
    metrics.verify_ms += ms_since(verify_start);

    auto reduce_start = Clock::now();
    RoundEnd end;
    std::function<void(const agents::Agent&)> task = [&](const agents::Agent&) { end = end_round(round.workload, outcomes); };
    co_await on_agent(pool, round.plan.healthy.front(), task);
    metrics.reduce_ms += ms_since(reduce_start);
    co_return end;
}

}  // namespace

std::vector<std::uint64_t> shard_bounds(std::uint64_t units, std::size_t shards) {
    std::vector<std::uint64_t> bounds;
    for (std::size_t k = 0; k <= shards; ++k) bounds.push_back(units * k / shards);
    return bounds;
}

std::vector<std::size_t> spotcheck_shards(const std::string& root_seed, std::size_t shards, std::uint64_t round) {
    // About one shard in ten, at least one, ordered by SHA-256(key ":spotcheck:" k), where the key is the
    // root seed in round 0 and "<root seed>:round:<r>" after, so each round checks other shards.
    auto key = round == 0 ? root_seed : fmt::format("{}:round:{}", root_seed, round);
    std::vector<std::pair<std::string, std::size_t>> keyed;
    for (std::size_t k = 0; k < shards; ++k) keyed.emplace_back(crypto::sha256_hex(fmt::format("{}:spotcheck:{}", key, k)), k);
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
    auto workload = job.workload;
    for (std::uint64_t index = 0;; ++index) {
        if (index > 0) assign_agents(p, healthy_agents(pool));
        auto round = round_context(job, *workload, p, options);
        std::vector<Execution> executions;
        auto end = co_await run_round(pool, round, index, executions, result.metrics);
        if (index == 0) {
            result.executions = std::move(executions);
        } else {
            for (std::size_t k = 0; k < executions.size(); ++k) add_round(result.executions[k], executions[k]);
        }
        result.metrics.rounds = index + 1;
        if (!end.next) {
            result.output = std::move(end.output);
            result.blobs = std::move(end.blobs);
            result.output_hash = std::move(end.output_hash);
            break;
        }
        workload = end.next;
    }
    result.metrics.agents_used = p.agents_used;
    result.metrics.shards = p.shards.size();
    result.metrics.units = job.workload->unit_count();
    result.unit_size = job.workload->unit_size();
    result.kernel_versions = job.workload->kernel_versions();
    result.metrics.wall_ms = ms_since(start);
    co_return result;
}

}  // namespace forgehive::hub
