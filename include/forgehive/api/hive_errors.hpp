// The Hive error surface, in one place (DESIGN.md §3): {"error":"<code>","detail":"<text>"}.
#pragma once

#include <string>

#include "forgehive/core/api_error.hpp"

namespace forgehive::api {

std::string hive_error_body(const core::ApiError& error);

}  // namespace forgehive::api
