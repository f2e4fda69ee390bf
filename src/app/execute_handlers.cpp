// Forge Pool routes: POST /api/v0/ops/execute and the job resources. Each handler authenticates,
// parses, calls the ExecuteService and renders; the job document shape is defined here once.
#include <nlohmann/json.hpp>

#include "forgehive/app/handlers.hpp"
#include "forgehive/api/forge_errors.hpp"
#include "forgehive/core/api_error.hpp"
#include "forgehive/core/json_body.hpp"
#include "forgehive/gateway/tokens.hpp"
#include "query_limit.hpp"

namespace forgehive::app {
namespace {

using boost::asio::awaitable;
using nlohmann::ordered_json;

ordered_json render(const gateway::JobView& job) {
    const auto& r = job.record;
    ordered_json body = {{"ok", r.status != "FAILED" && r.status != "CANCELLED"}, {"job_id", r.id}, {"status", r.status}};
    if (r.status == "COMPLETED") {
        body["billing"] = job.result["billing"];
        body["hub"] = job.result["hub"];
    } else if (r.status == "QUEUED" || r.status == "RUNNING") {
        body["progress"] = {{"units_done", r.units_done}, {"units_total", r.units_total}, {"round", job.round}};
    } else {
        body["error"] = {{"code", r.error_code.value_or("execution_failed")}, {"message", r.error_message.value_or("")}};
    }
    if (r.client_job_id) body["client_job_id"] = *r.client_job_id;
    if (r.trace_id) body["trace_id"] = *r.trace_id;
    return body;
}

http::Response json_body(int status, const ordered_json& body) { return http::json_response(status, body.dump()); }

// RFC 7240: "Prefer: respond-async" (possibly among other preferences).
bool prefers_async(std::string_view prefer) { return prefer.find("respond-async") != std::string_view::npos; }

}  // namespace

void add_execute_routes(http::Router& router, store::Store& store, gateway::ExecuteService& service) {
    http::RouteOptions json{.json_body = true};
    router.add(
        "POST", "/api/v0/ops/execute",
        [&store, &service](http::Request& request) -> awaitable<http::Response> {
            auto caller = gateway::authenticate(store, request.header("Authorization"));
            auto envelope = api::parse_execute_envelope(core::parse_json_object(request.body));
            bool async = prefers_async(request.header("Prefer"));
            auto job = co_await service.execute(caller, envelope, async);
            const auto& status = job.record.status;
            if (status == "COMPLETED") co_return json_body(200, render(job));
            // An idempotent repeat of a job that failed answers as the job did.
            if (status == "FAILED" || status == "CANCELLED") {
                auto code = job.record.error_code.value_or("execution_failed");
                throw core::ApiError(code, api::failed_job_status(code), job.record.error_message.value_or(""));
            }
            // Accepted for background execution, or a repeat of a job still running.
            auto response = json_body(202, render(job));
            response.headers.emplace_back("Location", "/api/v0/ops/jobs/" + job.record.id);
            if (async) response.headers.emplace_back("Preference-Applied", "respond-async");
            co_return response;
        },
        json);

    router.add("GET", "/api/v0/ops/jobs/{job_id}", [&store, &service](http::Request& request) -> awaitable<http::Response> {
        auto caller = gateway::authenticate(store, request.header("Authorization"));
        co_return json_body(200, render(service.job(caller, request.params.at("job_id"))));
    });

    router.add("GET", "/api/v0/ops/jobs", [&store, &service](http::Request& request) -> awaitable<http::Response> {
        auto caller = gateway::authenticate(store, request.header("Authorization"));
        ordered_json list = ordered_json::array();
        for (const auto& job : service.jobs(caller, query_limit(request.query, 20, 100))) list.push_back(render(job));
        co_return json_body(200, ordered_json{{"ok", true}, {"jobs", list}});
    });

    router.add("DELETE", "/api/v0/ops/jobs/{job_id}", [&store, &service](http::Request& request) -> awaitable<http::Response> {
        auto caller = gateway::authenticate(store, request.header("Authorization"));
        auto job = service.cancel(caller, request.params.at("job_id"));
        if (job.record.status != "QUEUED" && job.record.status != "RUNNING")
            throw core::ApiError("invalid_request", 409,
                                 "job '" + job.record.id + "' is " + job.record.status + "; only running jobs can be cancelled");
        auto body = render(job);
        body["cancel_requested"] = true;
        co_return json_body(202, body);
    });

    router.add(
        "POST", "/api/v0/ops/jobs/{job_id}/replay",
        [&store, &service](http::Request& request) -> awaitable<http::Response> {
            auto caller = gateway::authenticate(store, request.header("Authorization"));
            co_return json_body(200, co_await service.replay(caller, request.params.at("job_id")));
        });
}

}  // namespace forgehive::app
