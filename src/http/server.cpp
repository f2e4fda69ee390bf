// The listener and the shutdown sequence. Accepted sockets get their own strand; the listener never
// touches a request.
#include "forgehive/http/server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <csignal>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <thread>

#include "server_state.hpp"
#include "session.hpp"

namespace forgehive::http {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

std::uint64_t ServerState::add_connection(std::weak_ptr<Connection> connection) {
    std::lock_guard lock(mutex_);
    connections_.emplace(++next_id_, std::move(connection));
    return next_id_;
}

void ServerState::remove_connection(std::uint64_t id) {
    std::lock_guard lock(mutex_);
    connections_.erase(id);
}

namespace {

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

std::string format_endpoint(const tcp::endpoint& endpoint) {
    auto address = endpoint.address();
    return address.is_v6() ? fmt::format("[{}]:{}", address.to_string(), endpoint.port())
                           : fmt::format("{}:{}", address.to_string(), endpoint.port());
}

asio::ssl::context make_tls_context(const ServerOptions& options) {
    asio::ssl::context context(asio::ssl::context::tls_server);
    context.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                        asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                        asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
    context.use_certificate_chain_file(options.tls_cert_file);
    context.use_private_key_file(options.tls_key_file, asio::ssl::context::pem);
    return context;
}

}  // namespace

class Server::Impl {
public:
    Impl(ServerOptions options, const Router& router, Metrics& metrics)
        : state_(std::move(options), router, metrics), acceptor_(io_), signals_(io_, SIGINT, SIGTERM) {
        if (!state_.options.tls_cert_file.empty()) state_.tls.emplace(make_tls_context(state_.options));
    }

    std::string listen() {
        tcp::resolver resolver(io_);
        auto results = resolver.resolve(state_.options.listen.host, std::to_string(state_.options.listen.port),
                                        tcp::resolver::passive);
        auto endpoint = results.begin()->endpoint();
        acceptor_.open(endpoint.protocol());
        acceptor_.set_option(asio::socket_base::reuse_address(true));
        acceptor_.bind(endpoint);
        acceptor_.listen(asio::socket_base::max_listen_connections);
        auto bound = format_endpoint(acceptor_.local_endpoint());
        spdlog::info("listening on {}{}", bound, state_.tls ? " (TLS)" : "");
        asio::co_spawn(io_, accept_loop(), asio::detached);
        return bound;
    }

    void run() {
        signals_.async_wait([this](boost::system::error_code ec, int signal) {
            if (ec) return;
            spdlog::info("received signal {}, shutting down", signal);
            begin_shutdown();
        });
        std::vector<std::thread> threads;
        for (int i = 1; i < state_.options.io_threads; ++i) threads.emplace_back([this] { io_.run(); });
        io_.run();
        for (auto& t : threads) t.join();
        spdlog::info("server stopped");
    }

    void stop() {
        asio::post(io_, [this] { begin_shutdown(); });
    }

private:
    asio::awaitable<void> accept_loop() {
        for (;;) {
            auto [ec, socket] = co_await acceptor_.async_accept(asio::make_strand(io_), kNoThrow);
            if (state_.stopping) co_return;
            if (ec) {
                spdlog::warn("accept failed: {}", ec.message());
                co_await pause(std::chrono::milliseconds(50));  // e.g. out of file descriptors
                continue;
            }
            auto executor = socket.get_executor();
            if (state_.open_connections >= state_.options.limits.max_connections) {
                asio::co_spawn(executor, reject_connection(std::move(socket), state_), asio::detached);
                continue;
            }
            ++state_.open_connections;
            asio::co_spawn(executor, run_session(std::move(socket), state_), asio::detached);
        }
    }

    asio::awaitable<void> pause(std::chrono::milliseconds duration) {
        asio::steady_timer timer(io_);
        timer.expires_after(duration);
        co_await timer.async_wait(kNoThrow);
    }

    // Runs on the io_context: stop accepting, close idle connections now, give the busy ones the
    // grace period, then cancel whatever is left and stop.
    void begin_shutdown() {
        if (state_.stopping.exchange(true)) return;
        boost::system::error_code ec;
        acceptor_.close(ec);
        signals_.cancel(ec);
        state_.for_each_connection([](Connection& c) {
            if (c.idle()) c.cancel_io();
        });
        asio::co_spawn(io_, drain(), asio::detached);
    }

    asio::awaitable<void> drain() {
        auto deadline = std::chrono::steady_clock::now() + state_.options.shutdown_grace;
        auto busy = [this] { return state_.open_connections > 0 || (state_.options.busy && state_.options.busy()); };
        while (busy() && std::chrono::steady_clock::now() < deadline) co_await pause(std::chrono::milliseconds(20));
        if (state_.open_connections > 0) {
            spdlog::warn("shutdown grace period over; closing {} connection(s)", state_.open_connections.load());
            state_.for_each_connection([](Connection& c) { c.cancel_io(); });
            co_await pause(std::chrono::milliseconds(100));
        }
        io_.stop();
    }

    // Declared first so it is destroyed last: sessions still in io_ refer to it.
    ServerState state_;
    asio::io_context io_;
    tcp::acceptor acceptor_;
    asio::signal_set signals_;
};

Server::Server(ServerOptions options, const Router& router, Metrics& metrics)
    : impl_(std::make_unique<Impl>(std::move(options), router, metrics)) {}
Server::~Server() = default;
std::string Server::listen() { return impl_->listen(); }
void Server::run() { impl_->run(); }
void Server::stop() { impl_->stop(); }

}  // namespace forgehive::http
