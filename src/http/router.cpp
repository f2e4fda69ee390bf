// Route matching by path segments.
#include "forgehive/http/router.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace forgehive::http {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    while (start <= path.size()) {
        auto end = path.find('/', start);
        if (end == std::string_view::npos) end = path.size();
        out.push_back(path.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

bool match_pattern(std::string_view pattern, std::string_view path, std::map<std::string, std::string>& params) {
    auto want = split_path(pattern);
    auto got = split_path(path);
    if (want.size() != got.size()) return false;
    std::map<std::string, std::string> found;
    for (std::size_t i = 0; i < want.size(); ++i) {
        bool is_param = want[i].size() > 2 && want[i].front() == '{' && want[i].back() == '}';
        if (is_param && !got[i].empty()) {
            found.emplace(std::string(want[i].substr(1, want[i].size() - 2)), std::string(got[i]));
        } else if (want[i] != got[i]) {
            return false;
        }
    }
    params = std::move(found);
    return true;
}

}  // namespace

Response render_plain_error(const core::ApiError& error) {
    nlohmann::ordered_json body = {{"error", error.code()}, {"detail", error.message()}};
    return json_response(error.http_status(), body.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
}

Router::Router() { renderers_.emplace_back("", render_plain_error); }

void Router::add(std::string method, std::string pattern, Handler handler, RouteOptions options) {
    routes_.push_back(Route{std::move(method), std::move(pattern), std::move(handler), options});
}

void Router::set_error_renderer(std::string path_prefix, ErrorRenderer renderer) {
    renderers_.emplace_back(std::move(path_prefix), std::move(renderer));
}

RouteMatch Router::match(std::string_view method, std::string_view path) const {
    RouteMatch out;
    for (const auto& route : routes_) {
        std::map<std::string, std::string> params;
        if (!match_pattern(route.pattern, path, params)) continue;
        if (route.method == method) {
            out.route = &route;
            out.params = std::move(params);
            out.allowed_methods.clear();
            return out;
        }
        if (std::find(out.allowed_methods.begin(), out.allowed_methods.end(), route.method) ==
            out.allowed_methods.end())
            out.allowed_methods.push_back(route.method);
    }
    return out;
}

Response Router::render_error(std::string_view path, const core::ApiError& error) const {
    const ErrorRenderer* best = nullptr;
    std::size_t best_length = 0;
    for (const auto& [prefix, renderer] : renderers_) {
        if (path.substr(0, prefix.size()) != prefix) continue;
        if (!best || prefix.size() >= best_length) {
            best = &renderer;
            best_length = prefix.size();
        }
    }
    auto response = (*best)(error);
    if (error.retry_after_s()) response.headers.emplace_back("Retry-After", std::to_string(*error.retry_after_s()));
    return response;
}

}  // namespace forgehive::http
