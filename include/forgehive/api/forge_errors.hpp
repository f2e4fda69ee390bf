// The Forge Pool error surface, in one place (DESIGN.md §3):
// {"ok":false,"status":"FAILED","error":{"code":...,"message":...}}.
// Codes: invalid_request 400, unauthorized 401, quota_exceeded 429, hub_unavailable 503,
// execution_failed 500, plus the HTTP layer's own (not_found, method_not_allowed, ...).
#pragma once

#include <string>

#include "forgehive/core/api_error.hpp"

namespace forgehive::api {

std::string forge_error_body(const core::ApiError& error);

}  // namespace forgehive::api
