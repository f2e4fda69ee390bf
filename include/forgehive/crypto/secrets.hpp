// Secret handling: random bytes from libsodium and constant-time comparison.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace forgehive::crypto {

// Initialises libsodium once; safe to call from any thread, any number of times.
void init_sodium();
// `count` random bytes encoded as lower-case hex (2*count characters).
std::string random_hex(std::size_t count);
// Constant-time equality for equal-length inputs (sodium_memcmp); different lengths are unequal.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace forgehive::crypto
