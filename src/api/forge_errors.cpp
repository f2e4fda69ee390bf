// Forge error rendering.
#include "forgehive/api/forge_errors.hpp"

#include <nlohmann/json.hpp>

namespace forgehive::api {

std::string forge_error_body(const core::ApiError& error) {
    nlohmann::ordered_json body = {
        {"ok", false},
        {"status", "FAILED"},
        {"error", {{"code", error.code()}, {"message", error.message()}}},
    };
    return body.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

int failed_job_status(const std::string& code) {
    if (code == "hub_unavailable") return 503;
    if (code == "quota_exceeded") return 429;
    return 500;
}

}  // namespace forgehive::api
