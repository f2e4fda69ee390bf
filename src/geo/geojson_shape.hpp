// Checks on a GeoJSON value before it is serialised for GEOS's reader: what JSON text cannot carry
// (non-finite numbers), what GEOS's reader reports badly (a Feature's null geometry), and a nesting
// bound that keeps the reader's recursion short.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace forgehive::geo {

// `max_collection_depth` is GeometryLimits::max_depth; the JSON nesting it allows is derived from it.
std::optional<std::string> geojson_shape_problem(const nlohmann::json& value, std::int64_t max_collection_depth);

}  // namespace forgehive::geo
