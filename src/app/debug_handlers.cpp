// Test-only routes, mounted only when server.debug_routes is true. They let the integration tests
// reach behaviour that the public routes of this stage do not yet exercise: a JSON body under each
// error surface, bearer auth on a POST, and slow compute on the agent pool.
#include <charconv>
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "forgehive/agents/offload.hpp"
#include "forgehive/app/handlers.hpp"
#include "forgehive/core/json_body.hpp"
#include "forgehive/gateway/tokens.hpp"

namespace forgehive::app {
namespace {

using boost::asio::awaitable;

http::Response echo(const http::Request& request) {
    nlohmann::ordered_json body = {{"ok", true}, {"echo", core::parse_json_object(request.body)}};
    return http::json_response(200, body.dump());
}

std::int64_t sleep_ms(const std::string& query) {
    constexpr std::string_view kKey = "ms=";
    std::int64_t ms = -1;
    if (query.rfind(kKey, 0) == 0) std::from_chars(query.data() + kKey.size(), query.data() + query.size(), ms);
    if (ms < 0 || ms > 60'000) throw core::ApiError("invalid_request", 400, "query parameter 'ms' must be 0..60000");
    return ms;
}

}  // namespace

void add_debug_routes(http::Router& router, store::Store& store, agents::AgentPool& pool) {
    http::RouteOptions json{.json_body = true};
    router.add("POST", "/debug/echo", [](http::Request& r) -> awaitable<http::Response> { co_return echo(r); }, json);
    router.add("POST", "/v1/debug/echo", [](http::Request& r) -> awaitable<http::Response> { co_return echo(r); }, json);
    router.add(
        "POST", "/api/v0/debug/echo",
        [&store](http::Request& r) -> awaitable<http::Response> {
            gateway::authenticate(store, r.header("Authorization"));
            co_return echo(r);
        },
        json);
    router.add("GET", "/debug/sleep", [&pool](http::Request& r) -> awaitable<http::Response> {
        auto ms = sleep_ms(r.query);
        auto slept = co_await agents::offload(pool, [ms](const agents::Agent&) {
            std::this_thread::sleep_for(std::chrono::milliseconds(ms));
            return ms;
        });
        co_return http::json_response(200, nlohmann::json{{"slept_ms", slept}}.dump());
    });
}

}  // namespace forgehive::app
