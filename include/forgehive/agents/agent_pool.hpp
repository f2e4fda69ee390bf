// The agent pool: the threads that run compute, apart from the network threads (DESIGN.md §1).
// Each agent is one thread with its own queue and its own Ed25519 identity, so the hub can send a
// shard to a chosen agent (verification re-runs a shard on a different one) and every result is
// signed by the agent that produced it. Network handlers co_await work posted here (offload.hpp).
#pragma once

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "forgehive/crypto/ed25519.hpp"

namespace forgehive::agents {

// What a task may know of the agent running it.
class Agent {
public:
    Agent(std::size_t index, crypto::KeyPair key);
    std::size_t index() const { return index_; }
    const std::string& id() const { return id_; }  // "ed25519:<hex public key>"
    std::array<std::uint8_t, 64> sign(std::string_view message) const;
    bool quarantined() const { return quarantined_; }

private:
    friend class AgentPool;
    std::size_t index_;
    crypto::KeyPair key_;
    std::string id_;
    std::atomic<bool> quarantined_{false};
};

using Task = std::function<void(const Agent&)>;

struct AgentPoolOptions {
    std::size_t threads = 0;   // 0: one per hardware thread
    std::string identity_dir;  // agent-<i>.key files live here (0600); empty: fresh keys every start
};

class AgentPool {
public:
    explicit AgentPool(const AgentPoolOptions& options);
    ~AgentPool();
    AgentPool(const AgentPool&) = delete;
    AgentPool& operator=(const AgentPool&) = delete;

    // Queues a task on the least-loaded agent that is not quarantined.
    void post(Task task);
    // Queues a task on one agent.
    void post_to(std::size_t agent, Task task);
    // Finishes queued tasks, then joins the threads. Idempotent.
    void stop();

    bool running() const;
    std::size_t size() const { return agents_.size(); }
    std::size_t queued() const;
    const Agent& agent(std::size_t index) const { return *agents_[index]->agent; }
    // A quarantined agent gets no new work from post() or the hub's planning.
    void quarantine(std::size_t agent);
    std::vector<std::size_t> healthy_agents() const;

private:
    struct Slot {
        std::unique_ptr<Agent> agent;
        std::deque<Task> tasks;
        std::size_t busy = 0;  // queued + running
        std::thread thread;
    };
    void work(Slot& slot);

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::vector<std::unique_ptr<Slot>> agents_;
};

}  // namespace forgehive::agents
