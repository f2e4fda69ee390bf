// Preparing a GeoJSON value for GEOS's reader: refusing what JSON text cannot carry (non-finite
// numbers) or what the reader reports badly (a Feature's null geometry), bounding the nesting so the
// reader's recursion stays short, and dropping altitudes, which GEOS 3.11's reader does not take.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <variant>

namespace forgehive::geo {

// The value to serialise for GEOS — `value` with every three-number position under "coordinates"
// cut to its longitude and latitude (RFC 7946 §3.1.1 allows an altitude; validity is 2D anyway) —
// or the first problem found. `max_collection_depth` is GeometryLimits::max_depth; the JSON nesting
// allowed is derived from it.
std::variant<nlohmann::json, std::string> geojson_for_geos(const nlohmann::json& value,
                                                           std::int64_t max_collection_depth);

}  // namespace forgehive::geo
