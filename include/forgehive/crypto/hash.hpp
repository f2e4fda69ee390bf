// SHA-256 (OpenSSL EVP, which uses SHA-NI where the CPU has it) and lower-case hex encoding.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace forgehive::crypto {

using Sha256Digest = std::array<std::uint8_t, 32>;

Sha256Digest sha256(std::string_view data);
std::string to_hex(const std::uint8_t* data, std::size_t size);
std::string sha256_hex(std::string_view data);

}  // namespace forgehive::crypto
