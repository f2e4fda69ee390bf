// ULID and UUIDv4 generation and request-id rules.
#include "forgehive/core/ids.hpp"

#include <algorithm>
#include <cstdint>
#include <sodium.h>

namespace forgehive::core {
namespace {
constexpr char kCrockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
}

std::string ulid_at(std::chrono::system_clock::time_point time, const unsigned char (&random)[10]) {
    auto ms = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count());
    std::string out(26, '0');
    // 48-bit timestamp -> 10 characters, most significant first.
    for (int i = 9; i >= 0; --i) {
        out[static_cast<std::size_t>(i)] = kCrockford[ms & 31];
        ms >>= 5;
    }
    // 80 random bits -> 16 characters of 5 bits each.
    int bit = 0;
    for (std::size_t i = 10; i < 26; ++i, bit += 5) {
        unsigned value = 0;
        for (int b = 0; b < 5; ++b) {
            int pos = bit + b;
            value = (value << 1) | ((random[pos / 8] >> (7 - pos % 8)) & 1u);
        }
        out[i] = kCrockford[value];
    }
    return out;
}

std::string new_ulid() {
    unsigned char random[10];
    randombytes_buf(random, sizeof random);
    return ulid_at(std::chrono::system_clock::now(), random);
}

std::string uuid_v4_from(const unsigned char (&random)[16]) {
    unsigned char bytes[16];
    std::copy(std::begin(random), std::end(random), bytes);
    bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0f) | 0x40);  // version 4
    bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3f) | 0x80);  // variant 10
    constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
        out += kHex[bytes[i] >> 4];
        out += kHex[bytes[i] & 15];
    }
    return out;
}

std::string new_uuid_v4() {
    unsigned char random[16];
    randombytes_buf(random, sizeof random);
    return uuid_v4_from(random);
}

bool is_acceptable_request_id(std::string_view id) {
    if (id.empty() || id.size() > 128) return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
               c == '_' || c == ':' || c == '-';
    });
}

}  // namespace forgehive::core
