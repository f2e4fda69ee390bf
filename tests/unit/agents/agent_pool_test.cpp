// Unit tests for agents::AgentPool (running, draining, stopping, surviving throws, placement, identities) and agents::offload.
#include "forgehive/agents/agent_pool.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <future>
#include <memory>
#include <mutex>
#include <filesystem>
#include <set>
#include <stdexcept>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <vector>

#include "forgehive/agents/offload.hpp"
#include "forgehive/crypto/ed25519.hpp"
#include "forgehive/crypto/hex.hpp"

namespace forgehive::agents {
namespace {

// Failsafe only: every wait below ends as soon as its condition holds.
constexpr auto kFailsafe = std::chrono::seconds(60);

namespace fs = std::filesystem;

using forgehive::testing::TempDir;

using forgehive::testing::mode_of;

// A pool of `threads` agents with fresh (unsaved) identities.
AgentPoolOptions options(std::size_t threads) {
    AgentPoolOptions out;
    out.threads = threads;
    return out;
}

// Counts finished tasks and lets a test wait for a number of them.
class Countdown {
public:
    void hit() {
        {
            std::lock_guard lock(mutex_);
            ++count_;
        }
        changed_.notify_all();
    }
    bool wait_for(int n) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, kFailsafe, [&] { return count_ >= n; });
    }
    int count() {
        std::lock_guard lock(mutex_);
        return count_;
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    int count_ = 0;
};

// A gate that holds tasks until it is opened.
class Gate {
public:
    void open() {
        {
            std::lock_guard lock(mutex_);
            open_ = true;
        }
        changed_.notify_all();
    }
    void wait() {
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, kFailsafe, [&] { return open_; });
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    bool open_ = false;
};

TEST(AgentPool, RunsEveryPostedTask) {
    AgentPool pool(options(4));
    Countdown done;
    constexpr int kTasks = 1000;
    for (int i = 0; i < kTasks; ++i) pool.post([&done](const Agent&) { done.hit(); });
    ASSERT_TRUE(done.wait_for(kTasks));
    EXPECT_EQ(done.count(), kTasks);
    pool.stop();
    EXPECT_EQ(done.count(), kTasks);
}

TEST(AgentPool, TasksRunOnPoolThreads) {
    AgentPool pool(options(3));
    std::mutex mutex;
    std::set<std::thread::id> ids;
    Countdown done;
    for (int i = 0; i < 200; ++i)
        pool.post([&](const Agent&) {
            {
                std::lock_guard lock(mutex);
                ids.insert(std::this_thread::get_id());
            }
            done.hit();
        });
    ASSERT_TRUE(done.wait_for(200));
    pool.stop();
    EXPECT_EQ(ids.count(std::this_thread::get_id()), 0u);
    EXPECT_GE(ids.size(), 1u);
    EXPECT_LE(ids.size(), 3u);
}

TEST(AgentPool, SizeZeroMeansOnePerHardwareThread) {
    AgentPool pool(options(0));
    EXPECT_EQ(pool.size(), static_cast<std::size_t>(std::max(1u, std::thread::hardware_concurrency())));
}

TEST(AgentPool, ExplicitSize) {
    AgentPool one(options(1));
    EXPECT_EQ(one.size(), 1u);
    AgentPool three(options(3));
    EXPECT_EQ(three.size(), 3u);
}

TEST(AgentPool, RunningUntilStopped) {
    AgentPool pool(options(2));
    EXPECT_TRUE(pool.running());
    pool.stop();
    EXPECT_FALSE(pool.running());
    EXPECT_EQ(pool.size(), 2u);
}

TEST(AgentPool, StopIsIdempotent) {
    AgentPool pool(options(2));
    Countdown done;
    pool.post([&done](const Agent&) { done.hit(); });
    pool.stop();
    EXPECT_NO_THROW(pool.stop());
    EXPECT_FALSE(pool.running());
    EXPECT_EQ(done.count(), 1);
}  // the destructor stops a third time

TEST(AgentPool, StopDrainsQueuedTasks) {
    AgentPool pool(options(1));
    Gate gate;
    std::promise<void> blocker_started;
    pool.post([&](const Agent&) {
        blocker_started.set_value();
        gate.wait();
    });
    ASSERT_EQ(blocker_started.get_future().wait_for(kFailsafe), std::future_status::ready);

    std::atomic<int> ran{0};
    constexpr int kQueued = 100;
    for (int i = 0; i < kQueued; ++i) pool.post([&ran](const Agent&) { ran.fetch_add(1); });
    EXPECT_EQ(pool.queued(), static_cast<std::size_t>(kQueued));

    // Ask to stop while the only worker is busy and 100 tasks wait; stop() must still run them all.
    std::thread stopper([&pool] { pool.stop(); });
    auto deadline = std::chrono::steady_clock::now() + kFailsafe;
    while (pool.running() && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
    EXPECT_FALSE(pool.running());
    EXPECT_EQ(ran.load(), 0);
    gate.open();
    stopper.join();
    EXPECT_EQ(ran.load(), kQueued);
    EXPECT_EQ(pool.queued(), 0u);
}

TEST(AgentPool, DestructorDrainsQueuedTasks) {
    std::atomic<int> ran{0};
    {
        AgentPool pool(options(2));
        for (int i = 0; i < 500; ++i) pool.post([&ran](const Agent&) { ran.fetch_add(1); });
    }
    EXPECT_EQ(ran.load(), 500);
}

TEST(AgentPool, ThrowingTaskDoesNotKillTheWorker) {
    AgentPool pool(options(1));  // one worker: the later tasks can only run if it survived
    Countdown done;
    pool.post([](const Agent&) { throw std::runtime_error("task failed on purpose"); });
    pool.post([&done](const Agent&) { done.hit(); });
    pool.post([](const Agent&) { throw std::logic_error("again"); });
    pool.post([&done](const Agent&) { done.hit(); });
    ASSERT_TRUE(done.wait_for(2));
    EXPECT_TRUE(pool.running());
    pool.stop();
    EXPECT_EQ(done.count(), 2);
}

TEST(AgentPoolDeathTest, TaskThrowingANonStandardExceptionDoesNotKillTheProcess) {
    // A failing task must not take the agent (or the process) down, whatever it throws: the worker catches
    // std::exception today, so anything else escapes the thread and calls std::terminate. Run in a child
    // process so a failure cannot take the other tests with it.
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_EXIT(
        {
            std::atomic<int> ran{0};
            {
                AgentPool pool(options(1));
                pool.post([](const Agent&) { throw 42; });
                pool.post([&ran](const Agent&) { ran.fetch_add(1); });
            }
            std::exit(ran.load() == 1 ? 0 : 3);
        },
        ::testing::ExitedWithCode(0), "");
}

TEST(AgentPool, PostToRunsOnTheChosenAgent) {
    AgentPool pool(options(3));
    std::mutex mutex;
    std::vector<std::set<std::size_t>> ran_on(3);
    std::vector<std::set<std::thread::id>> threads(3);
    Countdown done;
    constexpr int kRounds = 20;
    for (int round = 0; round < kRounds; ++round)
        for (std::size_t i = 0; i < 3; ++i)
            pool.post_to(i, [&, i](const Agent& agent) {
                {
                    std::lock_guard lock(mutex);
                    ran_on[i].insert(agent.index());
                    threads[i].insert(std::this_thread::get_id());
                }
                done.hit();
            });
    ASSERT_TRUE(done.wait_for(3 * kRounds));
    pool.stop();
    std::set<std::thread::id> all_threads;
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(ran_on[i], std::set<std::size_t>{i}) << "agent " << i;
        EXPECT_EQ(threads[i].size(), 1u) << "an agent is one thread";
        all_threads.insert(threads[i].begin(), threads[i].end());
    }
    EXPECT_EQ(all_threads.size(), 3u);
}

TEST(AgentPool, PostToAnUnknownAgentIsRefused) {
    AgentPool pool(options(2));
    EXPECT_ANY_THROW(pool.post_to(2, [](const Agent&) {}));
    EXPECT_EQ(pool.queued(), 0u);
}

TEST(AgentPool, PostPrefersTheLeastLoadedAgent) {
    AgentPool pool(options(2));
    Gate gate;
    std::promise<void> blocker_started;
    pool.post_to(0, [&](const Agent&) {
        blocker_started.set_value();
        gate.wait();
    });
    ASSERT_EQ(blocker_started.get_future().wait_for(kFailsafe), std::future_status::ready);
    std::promise<std::size_t> ran_on;
    pool.post([&](const Agent& agent) { ran_on.set_value(agent.index()); });
    auto future = ran_on.get_future();
    ASSERT_EQ(future.wait_for(kFailsafe), std::future_status::ready) << "the task waited behind the busy agent";
    EXPECT_EQ(future.get(), 1u);
    gate.open();
}

TEST(AgentPool, QuarantinedAgentGetsNoPostedWork) {
    AgentPool pool(options(3));
    EXPECT_EQ(pool.healthy_agents(), (std::vector<std::size_t>{0, 1, 2}));
    EXPECT_FALSE(pool.agent(1).quarantined());
    pool.quarantine(1);
    pool.quarantine(1);  // idempotent
    EXPECT_TRUE(pool.agent(1).quarantined());
    EXPECT_EQ(pool.healthy_agents(), (std::vector<std::size_t>{0, 2}));

    std::mutex mutex;
    std::set<std::size_t> used;
    Countdown done;
    constexpr int kTasks = 90;
    for (int i = 0; i < kTasks; ++i)
        pool.post([&](const Agent& agent) {
            {
                std::lock_guard lock(mutex);
                used.insert(agent.index());
            }
            done.hit();
        });
    ASSERT_TRUE(done.wait_for(kTasks));
    EXPECT_EQ(used.count(1), 0u);
    // A quarantined agent still runs work sent to it by name (e.g. to re-check it).
    std::promise<std::size_t> ran_on;
    pool.post_to(1, [&](const Agent& agent) { ran_on.set_value(agent.index()); });
    auto future = ran_on.get_future();
    ASSERT_EQ(future.wait_for(kFailsafe), std::future_status::ready);
    EXPECT_EQ(future.get(), 1u);
}

TEST(Agent, IdentityIsAnEd25519KeyThatSigns) {
    AgentPool pool(options(2));
    std::set<std::string> ids;
    for (std::size_t i = 0; i < pool.size(); ++i) {
        const auto& agent = pool.agent(i);
        EXPECT_EQ(agent.index(), i);
        const auto& id = agent.id();
        ASSERT_EQ(id.rfind("ed25519:", 0), 0u) << id;
        auto public_key = crypto::from_hex(id.substr(8));
        ASSERT_TRUE(public_key.has_value()) << id;
        ASSERT_EQ(public_key->size(), 32u);
        EXPECT_EQ(id.substr(8).find_first_not_of("0123456789abcdef"), std::string::npos) << id;
        auto signature = agent.sign("shard result");
        EXPECT_TRUE(crypto::verify("shard result", signature, *public_key));
        EXPECT_FALSE(crypto::verify("shard resulT", signature, *public_key));
        ids.insert(id);
    }
    EXPECT_EQ(ids.size(), 2u) << "agents share a key";
}

TEST(Agent, IdentityPersistsInTheIdentityDir) {
    TempDir temp;
    AgentPoolOptions persistent;
    persistent.threads = 2;
    persistent.identity_dir = (temp.path() / "agents").string();
    std::vector<std::string> first;
    {
        AgentPool pool(persistent);
        for (std::size_t i = 0; i < pool.size(); ++i) first.push_back(pool.agent(i).id());
    }
    EXPECT_EQ(mode_of(persistent.identity_dir), 0700u);
    for (const char* name : {"agent-0.key", "agent-1.key"}) {
        auto file = fs::path(persistent.identity_dir) / name;
        ASSERT_TRUE(fs::is_regular_file(file)) << file;
        EXPECT_EQ(mode_of(file), 0600u) << file;
    }
    {
        AgentPool again(persistent);
        for (std::size_t i = 0; i < again.size(); ++i) EXPECT_EQ(again.agent(i).id(), first[i]) << i;
    }
    // Without an identity dir every pool gets fresh keys.
    AgentPool a(options(1));
    AgentPool b(options(1));
    EXPECT_NE(a.agent(0).id(), b.agent(0).id());
}

// Runs `coroutine` on a fresh io_context in this thread and returns once it has finished (rethrowing
// what escaped it).
template <class Coroutine>
void run_on_io(Coroutine coroutine) {
    boost::asio::io_context io;
    std::exception_ptr escaped;
    bool finished = false;
    boost::asio::co_spawn(io, std::move(coroutine), [&](std::exception_ptr e) {
        escaped = e;
        finished = true;
    });
    io.run_for(kFailsafe);
    ASSERT_TRUE(finished) << "the coroutine never finished";
    if (escaped) std::rethrow_exception(escaped);
}

TEST(Offload, ReturnsTheValueAndResumesOnTheIoThread) {
    AgentPool pool(options(2));
    const auto io_thread = std::this_thread::get_id();
    std::thread::id fn_thread;
    std::thread::id resumed_on;
    int value = 0;
    run_on_io([&]() -> boost::asio::awaitable<void> {
        value = co_await offload(pool, [&](const Agent&) {
            fn_thread = std::this_thread::get_id();
            return 6 * 7;
        });
        resumed_on = std::this_thread::get_id();
    });
    EXPECT_EQ(value, 42);
    EXPECT_NE(fn_thread, std::thread::id{});
    EXPECT_NE(fn_thread, io_thread);
    EXPECT_EQ(resumed_on, io_thread);
}

TEST(Offload, RunsOnTheChosenAgent) {
    AgentPool pool(options(3));
    std::size_t ran_on = 99;
    run_on_io([&]() -> boost::asio::awaitable<void> {
        ran_on = co_await offload(pool, [](const Agent& agent) { return agent.index(); }, std::size_t{2});
    });
    EXPECT_EQ(ran_on, 2u);
}

TEST(Offload, RethrowsTheFunctionsExceptionInTheCoroutine) {
    AgentPool pool(options(1));
    const auto io_thread = std::this_thread::get_id();
    std::string caught;
    std::thread::id caught_on;
    run_on_io([&]() -> boost::asio::awaitable<void> {
        try {
            co_await offload(pool, [](const Agent&) -> int { throw std::runtime_error("kernel exploded"); });
            caught = "nothing thrown";
        } catch (const std::runtime_error& e) {
            caught = e.what();
            caught_on = std::this_thread::get_id();
        }
    });
    EXPECT_EQ(caught, "kernel exploded");
    EXPECT_EQ(caught_on, io_thread);
    // The worker survives and serves the next offload.
    int after = 0;
    run_on_io([&]() -> boost::asio::awaitable<void> { after = co_await offload(pool, [](const Agent&) { return 1; }); });
    EXPECT_EQ(after, 1);
}

TEST(Offload, PreservesTheExceptionType) {
    struct KernelError {
        int code;
    };
    AgentPool pool(options(1));
    int code = 0;
    run_on_io([&]() -> boost::asio::awaitable<void> {
        try {
            co_await offload(pool, [](const Agent&) -> int { throw KernelError{17}; });
        } catch (const KernelError& e) {
            code = e.code;
        }
    });
    EXPECT_EQ(code, 17);
}

TEST(Offload, MoveOnlyAndStringResults) {
    AgentPool pool(options(2));
    std::unique_ptr<int> pointer;
    std::string text;
    run_on_io([&]() -> boost::asio::awaitable<void> {
        pointer = co_await offload(pool, [](const Agent&) { return std::make_unique<int>(5); });
        text = co_await offload(pool, [](const Agent&) { return std::string(1000, 'z'); });
    });
    ASSERT_NE(pointer, nullptr);
    EXPECT_EQ(*pointer, 5);
    EXPECT_EQ(text, std::string(1000, 'z'));
}

TEST(Offload, ManyConcurrentCoroutines) {
    AgentPool pool(options(3));
    boost::asio::io_context io;
    const auto io_thread = std::this_thread::get_id();
    constexpr int kCoroutines = 64;
    long long sum = 0;
    int finished = 0;
    int resumed_elsewhere = 0;
    for (int i = 0; i < kCoroutines; ++i)
        boost::asio::co_spawn(
            io,
            [&, i]() -> boost::asio::awaitable<void> {
                auto square = co_await offload(pool, [i](const Agent&) { return static_cast<long long>(i) * i; });
                if (std::this_thread::get_id() != io_thread) ++resumed_elsewhere;
                sum += square;
            },
            [&](std::exception_ptr e) {
                EXPECT_FALSE(e);
                ++finished;
            });
    io.run_for(kFailsafe);
    EXPECT_EQ(finished, kCoroutines);
    EXPECT_EQ(resumed_elsewhere, 0);
    long long want = 0;
    for (int i = 0; i < kCoroutines; ++i) want += static_cast<long long>(i) * i;
    EXPECT_EQ(sum, want);
}

}  // namespace
}  // namespace forgehive::agents
