// Request helpers.
#include "forgehive/http/message.hpp"

#include <strings.h>

namespace forgehive::http {

std::string_view Request::header(std::string_view name) const {
    for (const auto& [key, value] : headers)
        if (key.size() == name.size() && ::strncasecmp(key.data(), name.data(), name.size()) == 0) return value;
    return {};
}

Response json_response(int status, std::string body) {
    Response out;
    out.status = status;
    out.body = std::move(body);
    out.body += '\n';
    return out;
}

}  // namespace forgehive::http
