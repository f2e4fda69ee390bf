// Strict JSON field access with errors that name the field and the rule.
#include "forgehive/core/json_reader.hpp"

#include <cmath>
#include <fmt/format.h>

#include "forgehive/core/api_error.hpp"

namespace forgehive::core {
namespace {

const nlohmann::json kNull;

std::string list(std::initializer_list<std::string_view> allowed) {
    std::string out;
    for (auto a : allowed) out += (out.empty() ? "" : ", ") + std::string(a);
    return out;
}

}  // namespace

JsonReader::JsonReader(const nlohmann::json& object, std::string path) : object_(object), path_(std::move(path)) {
    if (!object_.is_object())
        throw ApiError("invalid_request", 400, fmt::format("field '{}' must be an object", path_.empty() ? "body" : path_));
}

bool JsonReader::has(std::string_view key) const { return object_.contains(key); }

std::string JsonReader::field(std::string_view key) const {
    return path_.empty() ? std::string(key) : fmt::format("{}.{}", path_, key);
}

void JsonReader::fail(std::string_view key, std::string_view rule) const {
    throw ApiError("invalid_request", 400, fmt::format("field '{}' {}", field(key), rule));
}

const nlohmann::json* JsonReader::member(std::string_view key) {
    used_.emplace(key);
    auto it = object_.find(key);
    if (it == object_.end() || it->is_null()) return nullptr;
    return &*it;
}

const nlohmann::json& JsonReader::required(std::string_view key) {
    const auto* value = member(key);
    if (!value) fail(key, "is required");
    return *value;
}

std::string JsonReader::string(std::string_view key, std::size_t max_length) {
    const auto& value = required(key);
    if (!value.is_string()) fail(key, "must be a string");
    const auto& text = value.get_ref<const std::string&>();
    if (text.size() > max_length) fail(key, fmt::format("must be at most {} characters", max_length));
    return text;
}

std::optional<std::string> JsonReader::optional_string(std::string_view key, std::size_t max_length) {
    if (!member(key)) return std::nullopt;
    return string(key, max_length);
}

std::string JsonReader::one_of(std::string_view key, std::initializer_list<std::string_view> allowed) {
    const auto& value = required(key);
    if (value.is_string())
        for (auto a : allowed)
            if (value.get_ref<const std::string&>() == a) return std::string(a);
    fail(key, fmt::format("must be one of: {}", list(allowed)));
}

std::optional<std::string> JsonReader::optional_one_of(std::string_view key,
                                                       std::initializer_list<std::string_view> allowed) {
    if (!member(key)) return std::nullopt;
    return one_of(key, allowed);
}

std::int64_t JsonReader::integer(std::string_view key, std::int64_t min, std::int64_t max) {
    const auto& value = required(key);
    auto rule = fmt::format("must be an integer between {} and {}", min, max);
    std::int64_t result = 0;
    if (value.is_number_unsigned()) {
        auto u = value.get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(max)) fail(key, rule);
        result = static_cast<std::int64_t>(u);
    } else if (value.is_number_integer()) {
        result = value.get<std::int64_t>();
    } else if (value.is_number_float()) {
        // 1e6 and 1000000.0 are integers too; reject fractions and anything beyond exact range.
        double d = value.get<double>();
        if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 9007199254740992.0) fail(key, rule);
        result = static_cast<std::int64_t>(d);
    } else {
        fail(key, rule);
    }
    if (result < min || result > max) fail(key, rule);
    return result;
}

std::optional<std::int64_t> JsonReader::optional_integer(std::string_view key, std::int64_t min, std::int64_t max) {
    if (!member(key)) return std::nullopt;
    return integer(key, min, max);
}

double JsonReader::number(std::string_view key, double min, double max) {
    const auto& value = required(key);
    if (!value.is_number()) fail(key, fmt::format("must be a number between {} and {}", min, max));
    double d = value.get<double>();
    if (!std::isfinite(d) || d < min || d > max) fail(key, fmt::format("must be a number between {} and {}", min, max));
    return d;
}

std::optional<double> JsonReader::optional_number(std::string_view key, double min, double max) {
    if (!member(key)) return std::nullopt;
    return number(key, min, max);
}

bool JsonReader::boolean(std::string_view key) {
    const auto& value = required(key);
    if (!value.is_boolean()) fail(key, "must be true or false");
    return value.get<bool>();
}

std::optional<bool> JsonReader::optional_boolean(std::string_view key) {
    if (!member(key)) return std::nullopt;
    return boolean(key);
}

std::vector<double> JsonReader::number_list(std::string_view key, std::size_t max_items, double min, double max) {
    const auto& value = required(key);
    if (!value.is_array() || value.size() > max_items)
        fail(key, fmt::format("must be a list of at most {} numbers", max_items));
    std::vector<double> out;
    for (std::size_t i = 0; i < value.size(); ++i) {
        const auto& item = value[i];
        double d = item.is_number() ? item.get<double>() : NAN;
        if (!std::isfinite(d) || d < min || d > max)
            fail(fmt::format("{}[{}]", key, i), fmt::format("must be a number between {} and {}", min, max));
        out.push_back(d);
    }
    return out;
}

JsonReader JsonReader::object(std::string_view key) {
    const auto& value = required(key);
    if (!value.is_object()) fail(key, "must be an object");
    return JsonReader(value, field(key));
}

std::optional<JsonReader> JsonReader::optional_object(std::string_view key) {
    if (!member(key)) return std::nullopt;
    return object(key);
}

const nlohmann::json& JsonReader::raw(std::string_view key) {
    const auto* value = member(key);
    return value ? *value : kNull;
}

void JsonReader::finish() const {
    for (const auto& [key, value] : object_.items())
        if (!used_.contains(key)) fail(key, "is not a known field");
}

}  // namespace forgehive::core
