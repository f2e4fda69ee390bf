// Unit tests for http::Router (matching, params, 404/405, error renderers) and Request::header.
#include "forgehive/http/router.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "forgehive/http/message.hpp"

namespace forgehive::http {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

// A handler whose response body names it, so a test can tell which handler a match would run.
Handler named(std::string name) {
    return [name](Request&) -> boost::asio::awaitable<Response> {
        Response r;
        r.body = name;
        co_return r;
    };
}

// Runs a matched route's handler to completion and returns its response body.
std::string run_handler(const Route& route, Request& request) {
    boost::asio::io_context io;
    std::string body;
    boost::asio::co_spawn(
        io, [&]() -> boost::asio::awaitable<void> { body = (co_await route.handler(request)).body; },
        [](std::exception_ptr e) {
            if (e) std::rethrow_exception(e);
        });
    io.run();
    return body;
}

Router sample_router() {
    Router router;
    router.add("GET", "/health", named("health"));
    router.add("POST", "/v1/jobs", named("create_job"), RouteOptions{true});
    router.add("GET", "/v1/jobs/{id}", named("get_job"));
    router.add("DELETE", "/v1/jobs/{id}", named("delete_job"));
    router.add("GET", "/v1/jobs/{id}/shards/{index}", named("get_shard"));
    router.add("GET", "/", named("root"));
    return router;
}

TEST(Router, ExactMatch) {
    auto router = sample_router();
    auto m = router.match("GET", "/health");
    ASSERT_NE(m.route, nullptr);
    EXPECT_EQ(m.route->method, "GET");
    EXPECT_EQ(m.route->pattern, "/health");
    EXPECT_TRUE(m.params.empty());
    EXPECT_TRUE(m.allowed_methods.empty());
    Request request;
    EXPECT_EQ(run_handler(*m.route, request), "health");

    auto root = router.match("GET", "/");
    ASSERT_NE(root.route, nullptr);
    EXPECT_EQ(root.route->pattern, "/");
}

TEST(Router, RouteOptionsAreKept) {
    auto router = sample_router();
    auto post = router.match("POST", "/v1/jobs");
    ASSERT_NE(post.route, nullptr);
    EXPECT_TRUE(post.route->options.json_body);
    EXPECT_FALSE(router.match("GET", "/health").route->options.json_body);
}

TEST(Router, ParamSegmentsFillParams) {
    auto router = sample_router();
    auto m = router.match("GET", "/v1/jobs/01ARYZ6S41TSV4RRFFQ69G5FAV");
    ASSERT_NE(m.route, nullptr);
    EXPECT_EQ(m.route->pattern, "/v1/jobs/{id}");
    ASSERT_EQ(m.params.size(), 1u);
    EXPECT_EQ(m.params.at("id"), "01ARYZ6S41TSV4RRFFQ69G5FAV");

    auto shard = router.match("GET", "/v1/jobs/abc/shards/7");
    ASSERT_NE(shard.route, nullptr);
    EXPECT_EQ(shard.route->pattern, "/v1/jobs/{id}/shards/{index}");
    EXPECT_EQ(shard.params.at("id"), "abc");
    EXPECT_EQ(shard.params.at("index"), "7");
    Request request;
    EXPECT_EQ(run_handler(*shard.route, request), "get_shard");
}

TEST(Router, EmptySegmentDoesNotFillAParam) {
    auto router = sample_router();
    auto m = router.match("GET", "/v1/jobs//shards/7");
    EXPECT_EQ(m.route, nullptr);
    EXPECT_THAT(m.allowed_methods, IsEmpty());
    EXPECT_EQ(router.match("GET", "/v1/jobs/").route, nullptr);
}

TEST(Router, UnknownPathIsNotFound) {
    auto router = sample_router();
    for (const char* path : {"/nope", "/v1", "/v1/jobs/abc/extra", "/healthz", "", "/v1/jobs/abc/shards"}) {
        auto m = router.match("GET", path);
        EXPECT_EQ(m.route, nullptr) << path;
        EXPECT_THAT(m.allowed_methods, IsEmpty()) << path;
    }
}

TEST(Router, KnownPathWithOtherMethodListsAllowedMethods) {
    auto router = sample_router();
    auto m = router.match("PUT", "/v1/jobs/abc");
    EXPECT_EQ(m.route, nullptr);
    EXPECT_THAT(m.allowed_methods, UnorderedElementsAre("GET", "DELETE"));
    EXPECT_TRUE(m.params.empty());

    auto post = router.match("GET", "/v1/jobs");
    EXPECT_EQ(post.route, nullptr);
    EXPECT_THAT(post.allowed_methods, ElementsAre("POST"));

    // Methods are matched exactly (the server upper-cases nothing for us).
    EXPECT_EQ(router.match("get", "/health").route, nullptr);
    EXPECT_THAT(router.match("get", "/health").allowed_methods, ElementsAre("GET"));
}

TEST(Router, AllowedMethodsHaveNoDuplicates) {
    Router router;
    router.add("GET", "/v1/items/{id}", named("by_id"));
    router.add("GET", "/v1/items/special", named("special"));
    router.add("PATCH", "/v1/items/special", named("patch"));
    auto m = router.match("DELETE", "/v1/items/special");
    EXPECT_EQ(m.route, nullptr);
    EXPECT_THAT(m.allowed_methods, UnorderedElementsAre("GET", "PATCH"));
}

TEST(Router, TrailingSlashDoesNotMatch) {
    auto router = sample_router();
    for (const char* path : {"/health/", "/v1/jobs/", "/v1/jobs/abc/", "//health"}) {
        auto m = router.match("GET", path);
        EXPECT_EQ(m.route, nullptr) << path;
        EXPECT_THAT(m.allowed_methods, IsEmpty()) << path;
    }
    EXPECT_EQ(router.match("POST", "/v1/jobs/").route, nullptr);
}

Response marker(int status, std::string body) {
    Response r;
    r.status = status;
    r.body = std::move(body);
    return r;
}

void add_renderers(Router& router, bool longest_first) {
    auto api = [](const core::ApiError& e) { return marker(e.http_status(), "forge:" + e.code()); };
    auto admin = [](const core::ApiError& e) { return marker(e.http_status(), "admin:" + e.code()); };
    auto hive = [](const core::ApiError& e) { return marker(e.http_status(), "hive:" + e.code()); };
    if (longest_first) {
        router.set_error_renderer("/api/v0/admin/", admin);
        router.set_error_renderer("/api/", api);
    } else {
        router.set_error_renderer("/api/", api);
        router.set_error_renderer("/api/v0/admin/", admin);
    }
    router.set_error_renderer("/v1/", hive);
}

TEST(Router, RenderErrorUsesTheLongestMatchingPrefix) {
    for (bool longest_first : {false, true}) {
        Router router;
        add_renderers(router, longest_first);
        core::ApiError error("unauthorized", 401, "no token");
        EXPECT_EQ(router.render_error("/api/v0/admin/tokens", error).body, "admin:unauthorized") << longest_first;
        EXPECT_EQ(router.render_error("/api/v0/execute", error).body, "forge:unauthorized") << longest_first;
        EXPECT_EQ(router.render_error("/v1/jobs/x", error).body, "hive:unauthorized") << longest_first;
        EXPECT_EQ(router.render_error("/api/v0/execute", error).status, 401);
    }
}

TEST(Router, RenderErrorFallsBackToPlainError) {
    Router router;
    add_renderers(router, false);
    core::ApiError error("not_found", 404, "no route for \"/metrics2\"");
    for (const char* path : {"/metrics2", "/", "/apix", "/v1"}) {
        auto response = router.render_error(path, error);
        EXPECT_EQ(response.status, 404) << path;
        EXPECT_EQ(response.content_type, "application/json") << path;
        auto body = nlohmann::json::parse(response.body);
        EXPECT_EQ(body, nlohmann::json({{"error", "not_found"}, {"detail", "no route for \"/metrics2\""}})) << path;
    }
    // A router without any renderer of its own renders plain errors everywhere.
    Router bare;
    EXPECT_EQ(bare.render_error("/api/v0/x", error).body, render_plain_error(error).body);
}

TEST(Router, RenderErrorAddsRetryAfterWhenTheErrorHasOne) {
    Router router;
    add_renderers(router, false);
    core::ApiError busy("hub_unavailable", 503, "queue full");
    busy.retry_after(7);
    core::ApiError plain("invalid_request", 400, "bad");
    for (const char* path : {"/api/v0/ops/execute", "/v1/jobs", "/metrics"}) {
        auto response = router.render_error(path, busy);
        EXPECT_EQ(response.status, 503) << path;
        int found = 0;
        for (const auto& [name, value] : response.headers)
            if (name == "Retry-After") {
                ++found;
                EXPECT_EQ(value, "7") << path;
            }
        EXPECT_EQ(found, 1) << path;
        for (const auto& header : router.render_error(path, plain).headers)
            EXPECT_NE(header.first, "Retry-After") << path;
    }
}

TEST(Router, RenderPlainErrorShape) {
    core::ApiError error("method_not_allowed", 405, "use GET");
    auto response = render_plain_error(error);
    EXPECT_EQ(response.status, 405);
    EXPECT_EQ(response.content_type, "application/json");
    EXPECT_EQ(response.body, "{\"error\":\"method_not_allowed\",\"detail\":\"use GET\"}\n");
    // Invalid UTF-8 in a message still yields valid JSON.
    auto odd = render_plain_error(core::ApiError("invalid_request", 400, "bad \xff byte"));
    nlohmann::json parsed;
    EXPECT_NO_THROW(parsed = nlohmann::json::parse(odd.body)) << odd.body;
}

TEST(Request, HeaderLookupIsCaseInsensitive) {
    Request request;
    request.headers = {{"Content-Type", "application/json"}, {"X-Request-Id", "abc"}, {"authorization", "Bearer x"}};
    EXPECT_EQ(request.header("Content-Type"), "application/json");
    EXPECT_EQ(request.header("content-type"), "application/json");
    EXPECT_EQ(request.header("CONTENT-TYPE"), "application/json");
    EXPECT_EQ(request.header("x-request-id"), "abc");
    EXPECT_EQ(request.header("Authorization"), "Bearer x");
    EXPECT_EQ(request.header("Accept"), "");
    EXPECT_EQ(request.header("Content"), "");           // a prefix of a name is not the name
    EXPECT_EQ(request.header("Content-Type-X"), "");   // nor is a longer one
}

TEST(Response, JsonResponseAppendsNewline) {
    auto response = json_response(201, "{\"ok\":true}");
    EXPECT_EQ(response.status, 201);
    EXPECT_EQ(response.content_type, "application/json");
    EXPECT_EQ(response.body, "{\"ok\":true}\n");
}

}  // namespace
}  // namespace forgehive::http
