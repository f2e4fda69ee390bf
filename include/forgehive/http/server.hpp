// The HTTP/1.1 server: Beast over Asio with C++20 coroutines. One listener that only accepts; one
// session per connection on its own strand that owns its socket, buffer and deadline. Every read is
// bounded in size (header bytes, header count, body bytes) and in time (idle and read timeouts).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "forgehive/core/config.hpp"
#include "forgehive/http/metrics.hpp"
#include "forgehive/http/router.hpp"

namespace forgehive::http {

struct ServerOptions {
    core::HostPort listen;
    int io_threads = 2;
    std::chrono::milliseconds shutdown_grace{10'000};
    core::Limits limits;
    std::string tls_cert_file;  // TLS is on when both are set
    std::string tls_key_file;
    // Work that is not a connection but should hold shutdown open within the grace period (jobs
    // running in the background). Called on the io threads; empty: none.
    std::function<bool()> busy;
};

class Server {
public:
    Server(ServerOptions options, const Router& router, Metrics& metrics);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds and starts accepting; logs and returns the bound address ("127.0.0.1:40213").
    std::string listen();
    // Serves until stop() or SIGINT/SIGTERM, then shuts down gracefully: stops accepting, closes idle
    // connections, lets in-flight requests (and `busy` work) finish within the grace period, then
    // closes the rest.
    void run();
    // Thread-safe; may be called from a signal handler's thread or a test.
    void stop();

private:
    class Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace forgehive::http
