// Hive routes: POST /v1/compute, GET /v1/compute/recent, GET /v1/compute/{job_id}[/proof]. Thin
// adapters: the ComputeService does the work; errors render through the /v1/ error surface.
#include "forgehive/app/handlers.hpp"
#include "query_limit.hpp"

namespace forgehive::app {
namespace {

using boost::asio::awaitable;

http::Response json_body(int status, const nlohmann::ordered_json& body) { return http::json_response(status, body.dump()); }

}  // namespace

void add_hive_routes(http::Router& router, hive::ComputeService& service) {
    router.add(
        "POST", "/v1/compute",
        [&service](http::Request& request) -> awaitable<http::Response> {
            auto reply = co_await service.compute(request.body, request.header("X-GNS-Signature"));
            auto response = json_body(200, reply.body);
            if (reply.replayed) response.headers.emplace_back("X-GNS-Replay", "true");
            co_return response;
        },
        http::RouteOptions{.json_body = true});
    // Registered before /v1/compute/{job_id}: the router takes the first pattern that matches.
    router.add("GET", "/v1/compute/recent", [&service](http::Request& request) -> awaitable<http::Response> {
        co_return json_body(200, service.recent(query_limit(request.query, 50, 500)));
    });
    router.add("GET", "/v1/compute/{job_id}", [&service](http::Request& request) -> awaitable<http::Response> {
        co_return json_body(200, service.job(request.params.at("job_id")));
    });
    router.add("GET", "/v1/compute/{job_id}/proof", [&service](http::Request& request) -> awaitable<http::Response> {
        co_return json_body(200, service.proof(request.params.at("job_id")));
    });
}

}  // namespace forgehive::app
