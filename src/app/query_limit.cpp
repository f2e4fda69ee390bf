// limit=N parsing for list routes.
#include "query_limit.hpp"

#include <charconv>
#include <fmt/format.h>
#include <string_view>

#include "forgehive/core/api_error.hpp"

namespace forgehive::app {

int query_limit(const std::string& query, int fallback, int max) {
    constexpr std::string_view kKey = "limit=";
    if (query.empty()) return fallback;
    int limit = 0;
    auto ok = query.rfind(kKey, 0) == 0 &&
              std::from_chars(query.data() + kKey.size(), query.data() + query.size(), limit).ptr ==
                  query.data() + query.size();
    if (!ok || limit < 1 || limit > max)
        throw core::ApiError("invalid_request", 400,
                             fmt::format("query parameter 'limit' must be an integer between 1 and {}", max));
    return limit;
}

}  // namespace forgehive::app
