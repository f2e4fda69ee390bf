// Media types accepted for artifacts: parsing a Content-Type (RFC 9110 §8.3.1: type "/" subtype, then
// ";"-separated name=value parameters, names and type case-insensitive, values tokens or quoted strings)
// into the one canonical spelling that is stored and compared.
#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <fmt/format.h>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "artifact_media_type.hpp"
#include "forgehive/core/api_error.hpp"
#include "forgehive/gateway/artifact_store.hpp"

namespace forgehive::gateway {
namespace {

constexpr std::string_view kTensor = "application/vnd.forgehive.tensor";
constexpr std::array<std::string_view, 3> kTextTypes = {"text/csv", "text/tab-separated-values", "application/json"};
constexpr std::string_view kOctets = "application/octet-stream";
constexpr std::string_view kSupported =
    "text/csv, text/tab-separated-values, application/json, application/octet-stream or "
    "application/vnd.forgehive.tensor; dtype=f32|f64; shape=<rows>x<cols>";
// A tensor's shape must leave its byte size far inside int64: no artifact can be near this anyway.
constexpr std::int64_t kMaxTensorBytes = std::int64_t{1} << 62;

using Parameters = std::vector<std::pair<std::string, std::string>>;

core::ApiError unsupported(const std::string& message) {
    return core::ApiError("unsupported_media_type", 415, message);
}

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

// RFC 9110 quoted-string: the quotes removed and each quoted-pair replaced by its character.
std::string unquote(std::string_view value, std::string_view content_type) {
    if (value.size() < 2 || value.front() != '"') return std::string(value);
    if (value.back() != '"')
        throw unsupported(fmt::format("Content-Type '{}' has an unterminated quoted string", content_type));
    std::string out;
    for (std::size_t i = 1; i + 1 < value.size(); ++i) {
        if (value[i] == '\\' && i + 2 < value.size()) ++i;
        out += value[i];
    }
    return out;
}

// Splits on ';' outside quoted strings.
std::vector<std::string_view> split_parameters(std::string_view text) {
    std::vector<std::string_view> out;
    bool quoted = false;
    std::size_t start = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && quoted) {
            ++i;
        } else if (text[i] == '"') {
            quoted = !quoted;
        } else if (text[i] == ';' && !quoted) {
            out.push_back(text.substr(start, i - start));
            start = i + 1;
        }
    }
    out.push_back(text.substr(start));
    return out;
}

Parameters parse_parameters(const std::vector<std::string_view>& parts, std::string_view content_type) {
    Parameters out;
    for (std::size_t i = 1; i < parts.size(); ++i) {
        auto part = trim(parts[i]);
        if (part.empty()) continue;  // "text/csv;" and "a; ; b" are tolerated, as browsers send them
        auto eq = part.find('=');
        if (eq == std::string_view::npos || eq == 0)
            throw unsupported(fmt::format("Content-Type '{}': parameter '{}' is not name=value", content_type, part));
        auto name = lower(trim(part.substr(0, eq)));
        if (std::any_of(out.begin(), out.end(), [&](const auto& p) { return p.first == name; }))
            throw unsupported(fmt::format("Content-Type '{}': parameter '{}' is given twice", content_type, name));
        out.emplace_back(name, unquote(trim(part.substr(eq + 1)), content_type));
    }
    return out;
}

void refuse_other_parameters(const Parameters& parameters, std::initializer_list<std::string_view> allowed,
                             std::string_view type) {
    for (const auto& [name, value] : parameters)
        if (std::find(allowed.begin(), allowed.end(), name) == allowed.end())
            throw unsupported(fmt::format("media type {} takes no parameter '{}'", type, name));
}

const std::string* parameter(const Parameters& parameters, std::string_view name) {
    for (const auto& [key, value] : parameters)
        if (key == name) return &value;
    return nullptr;
}

std::string canonical_text_type(const std::string& type, const Parameters& parameters) {
    refuse_other_parameters(parameters, {"charset"}, type);
    if (const auto* charset = parameter(parameters, "charset")) {
        auto value = lower(*charset);
        if (value != "utf-8" && value != "us-ascii")
            throw unsupported(
                fmt::format("media type {}: charset must be utf-8 or us-ascii, got '{}'", type, *charset));
    }
    return type;
}

std::int64_t parse_dimension(std::string_view text, std::string_view shape) {
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < 1)
        throw unsupported(fmt::format("media type {}: shape must be <rows>x<cols> of positive integers, got '{}'",
                                      kTensor, shape));
    return value;
}

std::string canonical_tensor_type(const Parameters& parameters) {
    refuse_other_parameters(parameters, {"dtype", "shape"}, kTensor);
    const auto* dtype = parameter(parameters, "dtype");
    const auto* shape = parameter(parameters, "shape");
    if (!dtype || !shape)
        throw unsupported(fmt::format("media type {} needs the parameters dtype (f32 or f64) and shape (<rows>x<cols>)",
                                      kTensor));
    if (*dtype != "f32" && *dtype != "f64")
        throw unsupported(fmt::format("media type {}: dtype must be f32 or f64, got '{}'", kTensor, *dtype));
    auto x = shape->find('x');
    if (x == std::string::npos)
        throw unsupported(fmt::format("media type {}: shape must be <rows>x<cols>, got '{}'", kTensor, *shape));
    auto rows = parse_dimension(std::string_view(*shape).substr(0, x), *shape);
    auto cols = parse_dimension(std::string_view(*shape).substr(x + 1), *shape);
    std::int64_t element = *dtype == "f32" ? 4 : 8;
    if (rows > kMaxTensorBytes / element / cols)
        throw unsupported(fmt::format("media type {}: shape {} is too large", kTensor, *shape));
    return fmt::format("{}; dtype={}; shape={}x{}", kTensor, *dtype, rows, cols);
}

}  // namespace

std::string canonical_media_type(std::string_view content_type) {
    if (trim(content_type).empty()) throw unsupported(fmt::format("Content-Type is required: one of {}", kSupported));
    auto parts = split_parameters(content_type);
    auto type = lower(trim(parts[0]));
    auto parameters = parse_parameters(parts, content_type);
    if (std::find(kTextTypes.begin(), kTextTypes.end(), type) != kTextTypes.end())
        return canonical_text_type(type, parameters);
    if (type == kOctets) {
        refuse_other_parameters(parameters, {}, kOctets);
        return type;
    }
    if (type == kTensor) return canonical_tensor_type(parameters);
    throw unsupported(fmt::format("Content-Type '{}' is not accepted for artifacts: use {}", content_type, kSupported));
}

std::optional<std::int64_t> tensor_byte_size(std::string_view canonical_media_type) {
    if (canonical_media_type.substr(0, kTensor.size()) != kTensor) return std::nullopt;
    // The canonical spelling: "<kTensor>; dtype=fNN; shape=RxC".
    auto dtype_at = canonical_media_type.find("dtype=");
    auto shape_at = canonical_media_type.find("shape=");
    std::int64_t element = canonical_media_type.substr(dtype_at + 6, 3) == "f32" ? 4 : 8;
    auto shape = canonical_media_type.substr(shape_at + 6);
    auto x = shape.find('x');
    std::int64_t rows = 0;
    std::int64_t cols = 0;
    std::from_chars(shape.data(), shape.data() + x, rows);
    std::from_chars(shape.data() + x + 1, shape.data() + shape.size(), cols);
    return rows * cols * element;
}

}  // namespace forgehive::gateway
