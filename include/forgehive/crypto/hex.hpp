// Hex decoding, the inverse of to_hex (hash.hpp), for keys and signatures exchanged as text.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace forgehive::crypto {

// Decodes hex digits (lower or upper case, no separators or prefix). Odd length or any non-hex
// character gives nullopt; "" decodes to an empty vector.
std::optional<std::vector<std::uint8_t>> from_hex(std::string_view text);

}  // namespace forgehive::crypto
