// Field-by-field validation of a Hive compute request (seed: "Request format", "Step fields").
#include "forgehive/hive/compute_request.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>

#include "forgehive/core/api_error.hpp"
#include "forgehive/core/json_reader.hpp"
#include "forgehive/hive/gns.hpp"

namespace forgehive::hive {
namespace {

using core::ApiError;
using core::JsonReader;

constexpr std::size_t kMaxIdLength = 64;
constexpr std::size_t kMaxTextLength = 16 * 1024;  // one chat message
constexpr std::int64_t kMaxTimestamp = 253402300799;  // 9999-12-31T23:59:59Z

[[noreturn]] void invalid(const std::string& field, std::string_view rule) {
    throw ApiError("invalid_request", 400, fmt::format("field '{}' {}", field, rule));
}

bool is_id_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '.' || c == ':';
}

void check_id(const std::string& field, const std::string& id) {
    if (id.empty() || id.size() > kMaxIdLength || !std::all_of(id.begin(), id.end(), is_id_char))
        invalid(field, "must be 1..64 characters of [A-Za-z0-9._:-]");
}

std::string requester_key(JsonReader& body) {
    auto pk = body.string("requester_pk", 64);
    bool hex = pk.size() == 64 && std::all_of(pk.begin(), pk.end(), [](char c) {
                   return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
               });
    if (!hex) body.fail("requester_pk", "must be 64 lower-case hex digits (an Ed25519 public key)");
    return pk;
}

std::vector<std::string> dependencies(const nlohmann::json& raw, const std::string& field, std::size_t max) {
    if (raw.is_null()) return {};
    std::vector<std::string> out;
    if (raw.is_string()) {
        out.push_back(raw.get<std::string>());
    } else if (raw.is_array() && raw.size() <= max) {
        for (const auto& item : raw) {
            if (!item.is_string()) invalid(field, "must be a step id or a list of step ids");
            out.push_back(item.get<std::string>());
        }
    } else {
        invalid(field, fmt::format("must be a step id or a list of at most {} step ids", max));
    }
    for (std::size_t i = 0; i < out.size(); ++i) {
        check_id(fmt::format("{}[{}]", field, i), out[i]);
        if (std::find(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(i), out[i]) != out.begin() + static_cast<std::ptrdiff_t>(i))
            invalid(field, fmt::format("names step '{}' twice", out[i]));
    }
    return out;
}

std::vector<double> finite_numbers(const nlohmann::json& raw, const std::string& field, std::size_t max) {
    if (!raw.is_array() || raw.empty() || raw.size() > max)
        invalid(field, fmt::format("must be a list of 1..{} numbers", max));
    std::vector<double> out;
    for (const auto& item : raw) {
        if (!item.is_number() || !std::isfinite(item.get<double>())) invalid(field, "must hold finite numbers only");
        out.push_back(item.get<double>());
    }
    return out;
}

SensorReading reading(const nlohmann::json& raw, const std::string& path, const RequestLimits& limits) {
    JsonReader r(raw, path);
    SensorReading out;
    out.sensor_id = r.string("sensor_id", kMaxIdLength);
    check_id(r.field("sensor_id"), out.sensor_id);
    out.timestamp = r.integer("timestamp", 0, kMaxTimestamp);
    const auto& value = r.raw("value");
    if (value.is_array()) {
        out.vector = true;
        out.value = finite_numbers(value, r.field("value"), limits.max_dimension);
        auto n = out.value.size();
        out.covariance = finite_numbers(r.raw("covariance"), r.field("covariance"), n * n);
        if (out.covariance.size() != n * n)
            r.fail("covariance", fmt::format("must hold {} numbers (a {}x{} row-major matrix for a {}-element value)", n * n, n, n, n));
    } else {
        out.value.push_back(r.number("value", -1e300, 1e300));
        out.covariance.push_back(r.number("variance", 0, 1e300));
    }
    r.finish();
    return out;
}

std::vector<SensorReading> readings(const nlohmann::json& raw, const std::string& field, const RequestLimits& limits) {
    if (!raw.is_array() || raw.empty() || raw.size() > limits.max_readings)
        invalid(field, fmt::format("must be a list of 1..{} readings", limits.max_readings));
    std::vector<SensorReading> out;
    std::map<std::string, std::size_t> seen;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        auto path = fmt::format("{}[{}]", field, i);
        out.push_back(reading(raw[i], path, limits));
        auto [it, fresh] = seen.emplace(out.back().sensor_id, i);
        if (!fresh) invalid(path + ".sensor_id", fmt::format("repeats sensor '{}' of {}[{}]", it->first, field, it->second));
        if (out.back().value.size() != out.front().value.size() || out.back().vector != out.front().vector)
            invalid(path + ".value", fmt::format("must have the shape of {}[0].value", field));
    }
    return out;
}

void read_context(JsonReader& s, Step& step) {
    auto context = s.optional_object("context");
    if (!context) return;
    step.context = s.raw("context");
    step.context_h3_cell = context->optional_string("h3_cell", 15);
    step.context_epoch = context->optional_integer("epoch", 0, kMaxTimestamp);
    context->optional_string("date_from", 64);
    context->optional_string("date_to", 64);
    // Other members are free-form (areas of interest and the like) and go to the geometry gate.
}

void read_type_fields(JsonReader& s, Step& step, const RequestLimits& limits) {
    step.model = s.optional_string("model", 128);
    if (s.has("messages")) {
        const auto& messages = s.raw("messages");
        if (!messages.is_array() || messages.size() > limits.max_messages)
            s.fail("messages", fmt::format("must be a list of at most {} messages", limits.max_messages));
        for (std::size_t i = 0; i < messages.size(); ++i) {
            JsonReader m(messages[i], fmt::format("{}[{}]", s.field("messages"), i));
            m.one_of("role", {"system", "user", "assistant"});
            m.string("content", kMaxTextLength);
            m.finish();
        }
        step.messages = messages;
    }
    step.operation = s.optional_string("operation", 64);
    step.center_cell = s.optional_string("center_cell", 15);
    step.zoom = s.optional_integer("zoom", 0, 20);
    step.style = s.optional_one_of("style", {"osm-bright", "dark", "satellite", "terrain"});
    if (s.has("readings")) step.readings = readings(s.raw("readings"), s.field("readings"), limits);
    if (step.type == "sensor_fusion" && step.readings.empty()) s.fail("readings", "is required for a sensor_fusion step");
}

Step step(const nlohmann::json& raw, const std::string& path, const RequestLimits& limits) {
    JsonReader s(raw, path);
    Step out;
    out.id = s.string("id", kMaxIdLength);
    check_id(s.field("id"), out.id);
    out.type = s.one_of("type", {"inference", "tile_render", "image_process", "sensor_fusion"});
    out.depends_on = dependencies(s.raw("depends_on"), s.field("depends_on"), limits.max_steps);
    read_type_fields(s, out, limits);
    read_context(s, out);
    s.finish();
    return out;
}

std::vector<Step> steps(JsonReader& body, const RequestLimits& limits) {
    const auto& raw = body.raw("steps");
    if (raw.is_null()) body.fail("steps", "is required");
    if (!raw.is_array() || raw.empty() || raw.size() > limits.max_steps)
        body.fail("steps", fmt::format("must be a list of 1..{} steps", limits.max_steps));
    std::vector<Step> out;
    std::map<std::string, std::size_t> ids;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        out.push_back(step(raw[i], fmt::format("steps[{}]", i), limits));
        auto [it, fresh] = ids.emplace(out.back().id, i);
        if (!fresh) invalid(fmt::format("steps[{}].id", i), fmt::format("'{}' is already the id of steps[{}]", it->first, it->second));
    }
    return out;
}

}  // namespace

const std::vector<std::string>& known_step_types() {
    static const std::vector<std::string> types = {"inference", "tile_render", "image_process", "sensor_fusion"};
    return types;
}

ComputeRequest parse_compute_request(const nlohmann::json& body, const RequestLimits& limits) {
    JsonReader r(body, "");
    ComputeRequest out;
    out.requester_pk = requester_key(r);
    out.h3_cell = r.optional_string("h3_cell", 15).value_or(std::string(kDefaultH3Cell));
    out.steps = steps(r, limits);
    out.budget_nano = r.has("budget_gns") ? gns_from_json(r.raw("budget_gns"), "budget_gns") : limits.default_budget_nano;
    out.issued_at = r.optional_string("issued_at", 64);
    out.nonce = r.optional_string("nonce", 128);
    if (out.nonce && out.nonce->size() < 8) r.fail("nonce", "must be 8..128 characters");
    if (r.has("delegation")) {
        const auto& chain = r.raw("delegation");
        if (!chain.is_array() || chain.size() > limits.max_delegation)
            r.fail("delegation", fmt::format("must be a list of at most {} certificates", limits.max_delegation));
        out.delegation = chain;
    }
    r.optional_string("signature", 128);  // checked by the signature gate; listed so finish() accepts it
    r.finish();
    return out;
}

}  // namespace forgehive::hive
