// The agent pool: the threads that run compute, apart from the network threads (DESIGN.md §1).
// Network handlers co_await work posted here and resume on their own executor when it completes.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace forgehive::agents {

class AgentPool {
public:
    // threads == 0: one per hardware thread.
    explicit AgentPool(std::size_t threads);
    ~AgentPool();
    AgentPool(const AgentPool&) = delete;
    AgentPool& operator=(const AgentPool&) = delete;

    // Queues a task; tasks must not throw (exceptions are caught and logged).
    void post(std::function<void()> task);
    // Finishes queued tasks, then joins the threads. Idempotent.
    void stop();

    bool running() const;
    std::size_t size() const { return threads_.size(); }
    std::size_t queued() const;

private:
    void work();

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::function<void()>> tasks_;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace forgehive::agents
