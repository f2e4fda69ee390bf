// Standard base64 (RFC 4648 §4, with padding) through libsodium, for binary payloads carried in JSON.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace forgehive::crypto {

std::string to_base64(std::string_view bytes);
// nullopt when text is not canonical padded base64 (wrong alphabet, length, padding or whitespace).
std::optional<std::string> from_base64(std::string_view text);

}  // namespace forgehive::crypto
