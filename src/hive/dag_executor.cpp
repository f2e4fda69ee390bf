// The DAG executor: launch ready steps, wait for any one to finish, launch what it unblocked.
#include "forgehive/hive/dag_executor.hpp"

#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <fmt/format.h>

namespace forgehive::hive {
namespace {

namespace asio = boost::asio;
using Done = asio::experimental::concurrent_channel<void(boost::system::error_code, std::size_t)>;

enum class State { waiting, running, finished };

struct Run {
    const std::vector<Step>& steps;
    const std::vector<std::vector<std::size_t>>& dependencies;
    std::vector<StepResult> results;
    std::vector<State> state;
    std::size_t finished = 0;
};

void execute_on_agent(const agents::Agent& agent, const Step& step, const std::vector<const StepResult*>& inputs,
                      const StepFunction& function, StepResult& result) {
    auto start = std::chrono::steady_clock::now();
    result.agent_id = agent.id();
    try {
        result.output = function(step, inputs);
        result.status = "complete";
    } catch (const std::exception& e) {
        result.status = "failed";
        result.error = e.what();
        result.output = nullptr;
    }
    result.latency_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

// The first dependency that did not complete, if any.
const std::size_t* blocked_by(const Run& run, std::size_t i) {
    for (const auto& d : run.dependencies[i])
        if (run.results[d].status != "complete") return &d;
    return nullptr;
}

// Starts every waiting step whose dependencies have all finished; a step behind a failed or skipped
// dependency is skipped on the spot (which may unblock further skips, hence the loop).
void launch_ready(Run& run, agents::AgentPool& pool, const StepFunction& function, Done& done) {
    for (bool changed = true; changed;) {
        changed = false;
        for (std::size_t i = 0; i < run.steps.size(); ++i) {
            if (run.state[i] != State::waiting) continue;
            bool ready = true;
            for (auto d : run.dependencies[i]) ready = ready && run.state[d] == State::finished;
            if (!ready) continue;
            if (const auto* d = blocked_by(run, i)) {
                run.results[i].status = "skipped";
                run.results[i].error = fmt::format("dependency '{}' {}", run.steps[*d].id, run.results[*d].status);
                run.state[i] = State::finished;
                ++run.finished;
                changed = true;
                continue;
            }
            run.state[i] = State::running;
            std::vector<const StepResult*> inputs;
            for (auto d : run.dependencies[i]) inputs.push_back(&run.results[d]);
            pool.post([&run, &function, &done, i, inputs](const agents::Agent& agent) {
                execute_on_agent(agent, run.steps[i], inputs, function, run.results[i]);
                done.try_send(boost::system::error_code{}, i);
            });
        }
    }
}

// Outside the coroutine: GCC 12 miscompiles braced initialisers in coroutine bodies.
Run start_run(const std::vector<Step>& steps, const std::vector<std::vector<std::size_t>>& dependencies) {
    return Run{steps, dependencies, std::vector<StepResult>(steps.size()), std::vector<State>(steps.size(), State::waiting)};
}

}  // namespace

asio::awaitable<std::vector<StepResult>> run_dag(agents::AgentPool& pool, const std::vector<Step>& steps,
                                                 const std::vector<std::vector<std::size_t>>& dependencies,
                                                 StepFunction function) {
    auto run = start_run(steps, dependencies);
    Done done(co_await asio::this_coro::executor, steps.size());
    launch_ready(run, pool, function, done);
    while (run.finished < steps.size()) {
        if (std::count(run.state.begin(), run.state.end(), State::running) == 0) break;
        auto i = co_await done.async_receive(asio::use_awaitable);
        run.state[i] = State::finished;
        ++run.finished;
        launch_ready(run, pool, function, done);
    }
    co_return std::move(run.results);
}

}  // namespace forgehive::hive
