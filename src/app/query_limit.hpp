// The `limit=N` query parameter shared by the job listings of both APIs.
#pragma once

#include <string>

namespace forgehive::app {

// `query` is empty (gives `fallback`) or exactly "limit=N" with 1 <= N <= max; anything else throws
// core::ApiError("invalid_request", 400) naming the parameter and its range.
int query_limit(const std::string& query, int fallback, int max);

}  // namespace forgehive::app
