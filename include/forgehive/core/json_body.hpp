// Turning a request body into JSON with errors a client can act on (which byte, which rule).
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string_view>

namespace forgehive::core {

struct JsonLimits {
    std::size_t max_depth = 64;  // nesting deeper than this is rejected before it can exhaust the stack
};

// Parses `body` as one JSON object. Throws ApiError("invalid_request", 400) naming the problem.
nlohmann::json parse_json_object(std::string_view body, const JsonLimits& limits = {});

}  // namespace forgehive::core
