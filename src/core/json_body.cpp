// JSON body parsing. The depth limit is applied with nlohmann's parser callback while parsing, so a
// deeply nested body is refused before it is built.
#include "forgehive/core/json_body.hpp"

#include <fmt/format.h>

#include "forgehive/core/api_error.hpp"

namespace forgehive::core {
namespace {

ApiError invalid(std::string message) { return ApiError("invalid_request", 400, std::move(message)); }

}  // namespace

nlohmann::json parse_json_object(std::string_view body, const JsonLimits& limits) {
    if (body.empty()) throw invalid("request body is empty; expected a JSON object");
    std::size_t depth_exceeded = 0;
    auto guard = [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json&) {
        if ((event == nlohmann::json::parse_event_t::object_start ||
             event == nlohmann::json::parse_event_t::array_start) &&
            static_cast<std::size_t>(depth) >= limits.max_depth)
            depth_exceeded = 1;
        return depth_exceeded == 0;
    };
    nlohmann::json value;
    try {
        value = nlohmann::json::parse(body.begin(), body.end(), guard);
    } catch (const nlohmann::json::parse_error& e) {
        std::string_view what = e.what();  // "[json.exception.parse_error.101] parse error at line ..."
        throw invalid(fmt::format("request body is not valid JSON: {}", what.substr(what.find("] ") + 2)));
    }
    if (depth_exceeded) throw invalid(fmt::format("request body nests deeper than {} levels", limits.max_depth));
    if (!value.is_object()) throw invalid("request body must be a JSON object");
    return value;
}

}  // namespace forgehive::core
