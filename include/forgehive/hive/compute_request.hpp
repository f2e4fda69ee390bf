// The Hive compute request (POST /v1/compute) as a typed, validated value. Parsing runs after the
// signature gate, so only authenticated requests are examined field by field.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace forgehive::hive {

inline constexpr std::string_view kDefaultH3Cell = "871e8052affffff";  // Rome, resolution 7

struct RequestLimits {
    std::size_t max_steps = 64;
    std::size_t max_readings = 1024;     // per sensor_fusion step
    std::size_t max_dimension = 16;      // of a vector reading
    std::size_t max_messages = 256;      // per inference step
    std::size_t max_delegation = 8;      // certificates in a chain
    std::int64_t default_budget_nano = 100'000'000;  // 0.1 GNS
};

// One sensor reading for sensor_fusion: a scalar `value` with `variance`, or a vector `value` with a
// row-major `covariance` (dimension x dimension).
struct SensorReading {
    std::string sensor_id;
    std::vector<double> value;
    std::vector<double> covariance;
    std::int64_t timestamp = 0;  // Unix seconds
    bool vector = false;
};

struct Step {
    std::string id;
    std::string type;  // inference | tile_render | image_process | sensor_fusion
    std::vector<std::string> depends_on;
    std::optional<std::string> model;
    nlohmann::json messages;  // array or null
    std::optional<std::string> operation;
    std::optional<std::string> center_cell;
    std::optional<std::int64_t> zoom;
    std::optional<std::string> style;
    nlohmann::json context;  // object or null; geometries in it are checked by the geometry gate
    std::optional<std::string> context_h3_cell;
    std::optional<std::int64_t> context_epoch;
    std::vector<SensorReading> readings;
};

struct ComputeRequest {
    std::string requester_pk;  // 64 lower-case hex digits
    std::string h3_cell;       // as sent, or kDefaultH3Cell
    std::vector<Step> steps;
    std::int64_t budget_nano = 0;
    std::optional<std::string> issued_at;
    std::optional<std::string> nonce;
    std::optional<nlohmann::json> delegation;
};

// The four step types of the seed, in its order.
const std::vector<std::string>& known_step_types();

// Throws core::ApiError("invalid_request", 400) naming the field and the rule. The step graph's
// references and cycles are checked separately (dag.hpp).
ComputeRequest parse_compute_request(const nlohmann::json& body, const RequestLimits& limits);

}  // namespace forgehive::hive
