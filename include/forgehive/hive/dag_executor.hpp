// Runs a request's steps on the agent pool in dependency order: every step whose dependencies are
// complete runs at once, concurrently with the others; a failed step's dependants are skipped.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "forgehive/agents/agent_pool.hpp"
#include "forgehive/hive/compute_request.hpp"

namespace forgehive::hive {

struct StepResult {
    std::string status;  // complete | failed | skipped
    nlohmann::json output;  // complete: the step's output; otherwise null
    std::string error;      // failed or skipped: why
    double latency_ms = 0;
    std::string agent_id;   // the agent that ran it ("" when it did not run)
};

// Computes one step on an agent thread from the outputs of its dependencies (in depends_on order).
// A thrown exception fails the step with its message.
using StepFunction = std::function<nlohmann::json(const Step& step, const std::vector<const StepResult*>& inputs)>;

// `dependencies[i]` are the indexes step i depends on (resolve_dependencies). Results come back in
// request order. The coroutine only waits; steps run on the pool.
boost::asio::awaitable<std::vector<StepResult>> run_dag(agents::AgentPool& pool, const std::vector<Step>& steps,
                                                        const std::vector<std::vector<std::size_t>>& dependencies,
                                                        StepFunction function);

}  // namespace forgehive::hive
