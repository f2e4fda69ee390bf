// What the listener shares with its sessions: options, router, metrics, the shutdown flag and the
// registry of live connections that graceful shutdown walks.
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ssl/context.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "forgehive/http/metrics.hpp"
#include "forgehive/http/router.hpp"
#include "forgehive/http/server.hpp"

namespace forgehive::http {

// A live connection as the server sees it; its methods run on the connection's strand.
class Connection {
public:
    virtual ~Connection() = default;
    virtual boost::asio::any_io_executor executor() = 0;
    virtual bool idle() const = 0;
    virtual void cancel_io() = 0;
};

struct ServerState {
    ServerState(ServerOptions opts, const Router& r, Metrics& m) : options(std::move(opts)), router(r), metrics(m) {}

    ServerOptions options;
    const Router& router;
    Metrics& metrics;
    std::optional<boost::asio::ssl::context> tls;
    std::atomic<bool> stopping{false};
    std::atomic<std::int64_t> open_connections{0};

    std::uint64_t add_connection(std::weak_ptr<Connection> connection);
    void remove_connection(std::uint64_t id);
    // Posts `action` to each live connection's strand.
    template <class Action>
    void for_each_connection(Action action);

private:
    std::mutex mutex_;
    std::uint64_t next_id_ = 0;
    std::map<std::uint64_t, std::weak_ptr<Connection>> connections_;
};

}  // namespace forgehive::http

#include <boost/asio/post.hpp>

namespace forgehive::http {

template <class Action>
void ServerState::for_each_connection(Action action) {
    std::lock_guard lock(mutex_);
    for (auto& [id, weak] : connections_) {
        if (auto connection = weak.lock())
            boost::asio::post(connection->executor(), [connection, action] { action(*connection); });
    }
}

}  // namespace forgehive::http
