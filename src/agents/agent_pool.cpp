// A plain mutex + condition-variable queue: compute tasks are coarse (whole shards), so queue
// overhead is negligible next to the work.
#include "forgehive/agents/agent_pool.hpp"

#include <spdlog/spdlog.h>

namespace forgehive::agents {

AgentPool::AgentPool(std::size_t threads) {
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    threads_.reserve(threads);
    for (std::size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
}

AgentPool::~AgentPool() { stop(); }

void AgentPool::post(std::function<void()> task) {
    {
        std::lock_guard lock(mutex_);
        tasks_.push_back(std::move(task));
    }
    wake_.notify_one();
}

void AgentPool::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (auto& t : threads_)
        if (t.joinable()) t.join();
}

bool AgentPool::running() const {
    std::lock_guard lock(mutex_);
    return !stopping_ && !threads_.empty();
}

std::size_t AgentPool::queued() const {
    std::lock_guard lock(mutex_);
    return tasks_.size();
}

void AgentPool::work() {
    for (;;) {
        std::function<void()> task;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
            if (tasks_.empty()) return;
            task = std::move(tasks_.front());
            tasks_.pop_front();
        }
        try {
            task();
        } catch (const std::exception& e) {
            spdlog::error("agent task failed: {}", e.what());
        }
    }
}

}  // namespace forgehive::agents
