// Hive error rendering.
#include "forgehive/api/hive_errors.hpp"

#include <nlohmann/json.hpp>

namespace forgehive::api {

std::string hive_error_body(const core::ApiError& error) {
    nlohmann::ordered_json body = {{"error", error.code()}, {"detail", error.message()}};
    return body.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace forgehive::api
