// Field access for the 64-bit H3 index layout (https://h3geo.org/docs/library/index/cell): bit 63
// reserved, 4-bit mode, 3 reserved mode bits, 4-bit resolution, 7-bit base cell, 15 3-bit digits.
#pragma once

#include <cstdint>

namespace forgehive::geo::h3_bits {

inline constexpr int kModeOffset = 59;
inline constexpr int kReservedOffset = 56;
inline constexpr int kResolutionOffset = 52;
inline constexpr int kBaseCellOffset = 45;
inline constexpr int kDigitBits = 3;
inline constexpr std::uint64_t kDigitMask = 7;
inline constexpr int kCellMode = 1;
inline constexpr int kBaseCellCount = 122;
// Unused digits (finer than the resolution) hold 7.
inline constexpr int kUnusedDigit = 7;

inline int mode(std::uint64_t h) { return static_cast<int>((h >> kModeOffset) & 0xF); }
inline int reserved_bits(std::uint64_t h) { return static_cast<int>((h >> kReservedOffset) & 0x7); }
inline int resolution(std::uint64_t h) { return static_cast<int>((h >> kResolutionOffset) & 0xF); }
inline int base_cell(std::uint64_t h) { return static_cast<int>((h >> kBaseCellOffset) & 0x7F); }

inline int digit_offset(int res) { return (15 - res) * kDigitBits; }
inline int digit(std::uint64_t h, int res) { return static_cast<int>((h >> digit_offset(res)) & kDigitMask); }

inline std::uint64_t with_digit(std::uint64_t h, int res, int value) {
    const int offset = digit_offset(res);
    return (h & ~(kDigitMask << offset)) | (static_cast<std::uint64_t>(value) << offset);
}

inline std::uint64_t with_resolution(std::uint64_t h, int res) {
    return (h & ~(std::uint64_t{0xF} << kResolutionOffset)) | (static_cast<std::uint64_t>(res) << kResolutionOffset);
}

// The first non-zero digit (0 when all digits up to the resolution are 0, i.e. a centre child).
inline int leading_non_zero_digit(std::uint64_t h) {
    for (int r = 1; r <= resolution(h); ++r) {
        if (const int d = digit(h, r); d != 0) return d;
    }
    return 0;
}

}  // namespace forgehive::geo::h3_bits
