// Unit tests for the DAG executor on a real agent pool: order, hand-over of outputs, concurrency,
// failure and skipping.
#include "forgehive/hive/dag_executor.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <mutex>
#include <stdexcept>

#include "forgehive/hive/dag.hpp"
#include "step_graph.hpp"

namespace forgehive::hive {
namespace {

using testing::step_graph;

std::vector<StepResult> run(agents::AgentPool& pool, const std::vector<Step>& steps, StepFunction function) {
    boost::asio::io_context io;
    auto deps = resolve_dependencies(steps);
    auto future = boost::asio::co_spawn(io, run_dag(pool, steps, deps, std::move(function)), boost::asio::use_future);
    io.run();
    return future.get();
}

TEST(DagExecutor, HandsEachStepItsDependenciesOutputs) {
    agents::AgentPool pool({3, ""});
    auto steps = step_graph({{"sum", {"a", "b"}}, {"a", {}}, {"b", {}}, {"double", {"sum"}}});
    auto results = run(pool, steps, [](const Step& step, const std::vector<const StepResult*>& inputs) {
        if (step.id == "a") return nlohmann::json(2);
        if (step.id == "b") return nlohmann::json(3);
        int total = 0;
        for (const auto* in : inputs) total += in->output.get<int>();
        return nlohmann::json(step.id == "double" ? 2 * total : total);
    });
    EXPECT_EQ(results[0].output, 5);
    EXPECT_EQ(results[3].output, 10);
    for (const auto& r : results) {
        EXPECT_EQ(r.status, "complete");
        EXPECT_EQ(r.agent_id.rfind("ed25519:", 0), 0u);
    }
}

TEST(DagExecutor, RunsIndependentStepsConcurrently) {
    agents::AgentPool pool({2, ""});
    std::mutex mutex;
    std::condition_variable both;
    int arrived = 0;
    // Each step waits until the other has started: this finishes only if they run at the same time.
    auto results = run(pool, step_graph({{"x", {}}, {"y", {}}}), [&](const Step&, const std::vector<const StepResult*>&) {
        std::unique_lock lock(mutex);
        ++arrived;
        both.notify_all();
        if (!both.wait_for(lock, std::chrono::seconds(60), [&] { return arrived == 2; }))
            throw std::runtime_error("the other step never started");
        return nlohmann::json(true);
    });
    EXPECT_EQ(results[0].status, "complete");
    EXPECT_EQ(results[1].status, "complete");
}

TEST(DagExecutor, AFailedStepSkipsItsDependantsTransitively) {
    agents::AgentPool pool({2, ""});
    std::atomic<int> calls{0};
    auto steps = step_graph({{"bad", {}}, {"child", {"bad"}}, {"grandchild", {"child"}}, {"free", {}}});
    auto results = run(pool, steps, [&](const Step& step, const std::vector<const StepResult*>&) {
        ++calls;
        if (step.id == "bad") throw std::runtime_error("sensor offline");
        return nlohmann::json("ok");
    });
    EXPECT_EQ(results[0].status, "failed");
    EXPECT_EQ(results[0].error, "sensor offline");
    EXPECT_EQ(results[1].status, "skipped");
    EXPECT_EQ(results[1].error, "dependency 'bad' failed");
    EXPECT_EQ(results[2].status, "skipped");
    EXPECT_EQ(results[2].error, "dependency 'child' skipped");
    EXPECT_EQ(results[3].status, "complete");
    EXPECT_EQ(calls.load(), 2);
    EXPECT_TRUE(results[1].agent_id.empty());
}

}  // namespace
}  // namespace forgehive::hive
