// RFC 6901 JSON pointer tokens, for naming where in a step's context a geometry problem lies.
#pragma once

#include <string>
#include <string_view>

namespace forgehive::geo {

// One reference token, escaped: "~" becomes "~0" and "/" becomes "~1" (RFC 6901 §3).
inline std::string json_pointer_token(std::string_view name) {
    std::string out;
    for (char c : name) {
        if (c == '~') out += "~0";
        else if (c == '/') out += "~1";
        else out += c;
    }
    return out;
}

}  // namespace forgehive::geo
