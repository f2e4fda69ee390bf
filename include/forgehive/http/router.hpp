// Router: (method, path pattern) -> handler. Patterns are literal segments or {name} segments.
// A path that matches no pattern is 404; a path that matches only with other methods is 405 with
// Allow. Errors are rendered by the renderer registered for the longest matching path prefix, so
// each API keeps its own error surface while the HTTP layer stays ignorant of both.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "forgehive/core/api_error.hpp"
#include "forgehive/http/message.hpp"

namespace forgehive::http {

using Handler = std::function<boost::asio::awaitable<Response>(Request&)>;
using ErrorRenderer = std::function<Response(const core::ApiError&)>;

struct RouteOptions {
    bool json_body = false;  // the body must be declared application/json, else 415
    // The handler reads the body itself through Request::body_stream, after the header has been
    // handled (authentication, media type): the body is never buffered whole.
    bool stream_body = false;
    // stream_body: the route's body limit, used instead of limits.body_bytes; 0 keeps that one.
    std::int64_t body_bytes = 0;
};

struct Route {
    std::string method;
    std::string pattern;
    Handler handler;
    RouteOptions options;
};

struct RouteMatch {
    const Route* route = nullptr;              // null: no route for this method
    std::vector<std::string> allowed_methods;  // when route is null: the methods the path has (405), or none (404)
    std::map<std::string, std::string> params;
};

class Router {
public:
    Router();
    void add(std::string method, std::string pattern, Handler handler, RouteOptions options = {});
    void set_error_renderer(std::string path_prefix, ErrorRenderer renderer);

    RouteMatch match(std::string_view method, std::string_view path) const;
    Response render_error(std::string_view path, const core::ApiError& error) const;

private:
    std::vector<Route> routes_;
    std::vector<std::pair<std::string, ErrorRenderer>> renderers_;
};

// The renderer used where no API claims the path: {"error": code, "detail": message}.
Response render_plain_error(const core::ApiError& error);

}  // namespace forgehive::http
