// The Forge Pool error surface, in one place (DESIGN.md §3):
// {"ok":false,"status":"FAILED","error":{"code":...,"message":...}}.
// Codes: invalid_request 400, unauthorized 401, quota_exceeded 429, hub_unavailable 503,
// execution_failed 500, plus the HTTP layer's own (not_found, method_not_allowed, ...).
#pragma once

#include <string>

#include "forgehive/core/api_error.hpp"

namespace forgehive::api {

std::string forge_error_body(const core::ApiError& error);

// The HTTP status of a failed job's stored error code: hub_unavailable 503, quota_exceeded 429 (its
// large output could not be stored as an artifact), anything else 500.
int failed_job_status(const std::string& code);

}  // namespace forgehive::api
