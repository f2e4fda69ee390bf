// JsonReader: typed, strict access to one JSON object at a known path ("policy", "args.frequency").
// Every getter names the field and the rule in its error, and finish() rejects members nobody asked
// for, so a typo in a request is an error rather than a silently ignored field.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace forgehive::core {

class JsonReader {
public:
    // `object` must outlive the reader. Throws ApiError(invalid_request) when it is not an object.
    JsonReader(const nlohmann::json& object, std::string path);

    bool has(std::string_view key) const;
    std::string field(std::string_view key) const;  // "policy.min_agents"

    std::string string(std::string_view key, std::size_t max_length = 256);
    std::optional<std::string> optional_string(std::string_view key, std::size_t max_length = 256);
    // One of `allowed`; the error lists them.
    std::string one_of(std::string_view key, std::initializer_list<std::string_view> allowed);
    std::optional<std::string> optional_one_of(std::string_view key, std::initializer_list<std::string_view> allowed);
    std::int64_t integer(std::string_view key, std::int64_t min, std::int64_t max);
    std::optional<std::int64_t> optional_integer(std::string_view key, std::int64_t min, std::int64_t max);
    // A finite number in [min, max].
    double number(std::string_view key, double min, double max);
    std::optional<double> optional_number(std::string_view key, double min, double max);
    bool boolean(std::string_view key);
    std::optional<bool> optional_boolean(std::string_view key);
    std::vector<double> number_list(std::string_view key, std::size_t max_items, double min, double max);
    // A nested object, as a reader of its own.
    JsonReader object(std::string_view key);
    std::optional<JsonReader> optional_object(std::string_view key);
    // The raw member (for opaque pass-through fields); null json when absent.
    const nlohmann::json& raw(std::string_view key);

    // Throws when the object has a member that no getter asked for.
    void finish() const;

    [[noreturn]] void fail(std::string_view key, std::string_view rule) const;

private:
    const nlohmann::json* member(std::string_view key);
    const nlohmann::json& required(std::string_view key);

    const nlohmann::json& object_;
    std::string path_;
    std::set<std::string, std::less<>> used_;
};

}  // namespace forgehive::core
