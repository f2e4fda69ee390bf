// Thin wrappers over libsodium so callers never handle raw buffers for secrets.
#include "forgehive/crypto/secrets.hpp"

#include <sodium.h>
#include <stdexcept>
#include <vector>

#include "forgehive/crypto/hash.hpp"

namespace forgehive::crypto {

void init_sodium() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

std::string random_hex(std::size_t count) {
    if (count == 0) return {};  // libsodium wants a non-null buffer even for zero bytes
    init_sodium();
    std::vector<std::uint8_t> bytes(count);
    randombytes_buf(bytes.data(), bytes.size());
    auto out = to_hex(bytes.data(), bytes.size());
    sodium_memzero(bytes.data(), bytes.size());
    return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace forgehive::crypto
