// Agent threads with per-agent queues. One mutex guards all queues: tasks are whole shards, so queue
// operations are rare next to the work.
#include "forgehive/agents/agent_pool.hpp"

#include <filesystem>
#include <spdlog/spdlog.h>

#include "forgehive/crypto/hash.hpp"
#include "forgehive/crypto/secrets.hpp"

namespace forgehive::agents {
namespace {

namespace fs = std::filesystem;

// An agent keeps its identity across restarts: its key lives in identity_dir/agent-<i>.key.
crypto::KeyPair load_or_create_identity(const std::string& dir, std::size_t index) {
    if (dir.empty()) return crypto::generate_keypair();
    fs::create_directories(dir);
    fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace);
    auto path = (fs::path(dir) / ("agent-" + std::to_string(index) + ".key")).string();
    if (fs::exists(path)) return crypto::load_secret_key(path);
    auto key = crypto::generate_keypair();
    crypto::save_secret_key(path, key);
    return key;
}

}  // namespace

Agent::Agent(std::size_t index, crypto::KeyPair key)
    : index_(index), key_(key), id_("ed25519:" + crypto::to_hex(key.public_key.data(), key.public_key.size())) {}

std::array<std::uint8_t, 64> Agent::sign(std::string_view message) const { return crypto::sign(message, key_); }

AgentPool::AgentPool(const AgentPoolOptions& options) {
    crypto::init_sodium();
    auto threads = options.threads == 0 ? std::max<std::size_t>(1, std::thread::hardware_concurrency()) : options.threads;
    for (std::size_t i = 0; i < threads; ++i) {
        auto slot = std::make_unique<Slot>();
        slot->agent = std::make_unique<Agent>(i, load_or_create_identity(options.identity_dir, i));
        agents_.push_back(std::move(slot));
    }
    for (auto& slot : agents_) slot->thread = std::thread([this, s = slot.get()] { work(*s); });
}

AgentPool::~AgentPool() { stop(); }

void AgentPool::post(Task task) {
    std::size_t best = 0;
    {
        std::lock_guard lock(mutex_);
        bool found = false;
        for (std::size_t i = 0; i < agents_.size(); ++i) {
            if (agents_[i]->agent->quarantined()) continue;
            if (!found || agents_[i]->busy < agents_[best]->busy) best = i;
            found = true;
        }
    }
    post_to(best, std::move(task));
}

void AgentPool::post_to(std::size_t agent, Task task) {
    {
        std::lock_guard lock(mutex_);
        auto& slot = *agents_.at(agent);
        slot.tasks.push_back(std::move(task));
        ++slot.busy;
    }
    wake_.notify_all();
}

void AgentPool::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (auto& slot : agents_)
        if (slot->thread.joinable()) slot->thread.join();
}

bool AgentPool::running() const {
    std::lock_guard lock(mutex_);
    return !stopping_ && !agents_.empty();
}

std::size_t AgentPool::queued() const {
    std::lock_guard lock(mutex_);
    std::size_t total = 0;
    for (const auto& slot : agents_) total += slot->tasks.size();
    return total;
}

void AgentPool::quarantine(std::size_t agent) {
    auto& a = *agents_.at(agent)->agent;
    if (!a.quarantined_.exchange(true)) spdlog::warn("agent {} ({}) quarantined", agent, a.id());
}

std::vector<std::size_t> AgentPool::healthy_agents() const {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < agents_.size(); ++i)
        if (!agents_[i]->agent->quarantined()) out.push_back(i);
    return out;
}

void AgentPool::work(Slot& slot) {
    for (;;) {
        Task task;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return stopping_ || !slot.tasks.empty(); });
            if (slot.tasks.empty()) return;
            task = std::move(slot.tasks.front());
            slot.tasks.pop_front();
        }
        try {
            task(*slot.agent);
        } catch (const std::exception& e) {
            spdlog::error("agent {} task failed: {}", slot.agent->index(), e.what());
        } catch (...) {
            spdlog::error("agent {} task failed with a non-standard exception", slot.agent->index());
        }
        std::lock_guard lock(mutex_);
        --slot.busy;
    }
}

}  // namespace forgehive::agents
