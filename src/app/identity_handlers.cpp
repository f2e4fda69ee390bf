// GET /api/v0/whoami lets a client check its token before sending work.
#include <nlohmann/json.hpp>

#include "forgehive/app/handlers.hpp"
#include "forgehive/gateway/tokens.hpp"

namespace forgehive::app {

void add_identity_routes(http::Router& router, store::Store& store) {
    router.add("GET", "/api/v0/whoami", [&store](http::Request& request) -> boost::asio::awaitable<http::Response> {
        auto caller = gateway::authenticate(store, request.header("Authorization"));
        nlohmann::ordered_json body = {
            {"ok", true},
            {"project", caller.project_name},
            {"token", {{"id", caller.token_id}, {"prefix", "fpak_" + caller.token_prefix}}},
        };
        co_return http::json_response(200, body.dump());
    });
}

}  // namespace forgehive::app
