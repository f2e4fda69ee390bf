// What the artifact store needs to know of a canonical media type beyond its text.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace forgehive::gateway {

// The byte size a canonical tensor media type's dtype and shape call for; none for other media types.
std::optional<std::int64_t> tensor_byte_size(std::string_view canonical_media_type);

}  // namespace forgehive::gateway
