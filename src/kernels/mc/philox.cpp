// The Philox key of a job from the SHA-256 digest of its root seed.
#include "forgehive/kernels/mc/philox.hpp"

namespace forgehive::kernels::mc {

RootKey root_key_from_digest(const std::array<std::uint8_t, 32>& digest) {
    auto word = [&](std::size_t at) {
        return static_cast<std::uint32_t>(digest[at]) | static_cast<std::uint32_t>(digest[at + 1]) << 8 |
               static_cast<std::uint32_t>(digest[at + 2]) << 16 | static_cast<std::uint32_t>(digest[at + 3]) << 24;
    };
    return RootKey{{word(0), word(4)}};
}

}  // namespace forgehive::kernels::mc
