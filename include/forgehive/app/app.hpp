// App: wires config, store, agent pool, router and HTTP server together. Owns them all, in the order
// that lets each be torn down safely (server first, store last).
#pragma once

#include <memory>
#include <string>

#include "forgehive/core/config.hpp"

namespace forgehive::app {

class App {
public:
    explicit App(core::Config config);
    ~App();
    App(const App&) = delete;
    App& operator=(const App&) = delete;

    // Binds the listening socket; returns "HOST:PORT".
    std::string listen();
    // Serves until SIGINT/SIGTERM or stop(), then shuts down gracefully and closes the store.
    void run();
    void stop();

private:
    struct Parts;
    std::unique_ptr<Parts> parts_;
};

}  // namespace forgehive::app
