// Liveness, readiness and metrics. Liveness never touches the store or the pool: it must answer
// while both are busy.
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "forgehive/app/handlers.hpp"

namespace forgehive::app {

using boost::asio::awaitable;

void add_health_routes(http::Router& router, store::Store& store, const agents::AgentPool& pool,
                       const http::Metrics& metrics) {
    router.add("GET", "/healthz", [](http::Request&) -> awaitable<http::Response> {
        co_return http::json_response(200, R"({"status":"ok"})");
    });

    router.add("GET", "/readyz", [&store, &pool](http::Request&) -> awaitable<http::Response> {
        nlohmann::ordered_json checks = {{"store", "ok"}, {"agents", "ok"}};
        bool ready = true;
        try {
            store.ping();
        } catch (const std::exception& e) {
            spdlog::warn("readiness: store check failed: {}", e.what());
            checks["store"] = std::string("failed: ") + e.what();
            ready = false;
        }
        if (!pool.running()) {
            checks["agents"] = "not running";
            ready = false;
        } else if (pool.healthy_agents().empty()) {
            checks["agents"] = "all agents quarantined";
            ready = false;
        }
        nlohmann::ordered_json body = {{"status", ready ? "ready" : "not_ready"}, {"checks", checks}};
        co_return http::json_response(ready ? 200 : 503, body.dump());
    });

    router.add("GET", "/metrics", [&metrics](http::Request&) -> awaitable<http::Response> {
        http::Response response;
        response.content_type = "text/plain; version=0.0.4; charset=utf-8";
        response.body = metrics.render();
        co_return response;
    });
}

}  // namespace forgehive::app
