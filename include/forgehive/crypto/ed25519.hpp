// Ed25519 signatures through libsodium (DESIGN.md §5): key generation, detached signing, strict
// verification, and the 0600 file that holds a signing key's seed.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace forgehive::crypto {

struct KeyPair {
    std::array<std::uint8_t, 32> public_key{};
    std::array<std::uint8_t, 64> secret_key{};  // libsodium layout: 32-byte seed, then the public key
};

KeyPair generate_keypair();
// The deterministic key pair for a 32-byte seed (RFC 8032 §5.1.5 "private key").
KeyPair keypair_from_seed(std::span<const std::uint8_t, 32> seed);

std::array<std::uint8_t, 64> sign(std::string_view message, const KeyPair& key);

// True only for a valid signature of `message` under `public_key`. Wrong sizes and every malformed
// input give false; it never throws for bad input. libsodium rejects non-canonical S (malleability),
// non-canonical or small-order public keys and small-order R.
bool verify(std::string_view message, std::span<const std::uint8_t> signature,
            std::span<const std::uint8_t> public_key);

// Writes the 32-byte seed as 64 lower-case hex digits and a newline to a new file with mode 0600.
// Throws std::runtime_error if the file exists or cannot be written completely.
void save_secret_key(const std::string& path, const KeyPair& key);
// Reads a file written by save_secret_key. Throws std::runtime_error if the file is not a regular
// file, has any group/other permission bit set, or does not hold exactly 64 hex digits (trailing
// whitespace allowed).
KeyPair load_secret_key(const std::string& path);

}  // namespace forgehive::crypto
