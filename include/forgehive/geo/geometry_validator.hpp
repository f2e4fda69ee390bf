// GeometryValidator: the checks behind the Hive geometry gate (docs/geometry.md) — GeoJSON and WKT
// parsed and judged by GEOS (reentrant C API), plus coordinate range, size and area bounds.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace forgehive::geo {

// Bounds from config (hive.geometry.*). Counts accumulate over one call: over one geometry for
// check_geojson/check_wkt, over every geometry of the context for first_problem.
struct GeometryLimits {
    std::int64_t max_vertices = 100000;  // coordinates, holes and repeated closing points included
    double max_area_km2 = 1.0e6;         // per geometry; see docs/geometry.md for the area method
    std::int64_t max_geometries = 64;    // non-collection geometries (a Multi* counts once)
    // GeometryCollection/FeatureCollection levels inside one geometry, and object/array levels the
    // context walk descends below `context`.
    std::int64_t max_depth = 8;
};

struct GeometryProblem {
    std::string pointer;  // RFC 6901 JSON pointer within the value given, e.g. "/aoi" or "/areas/0"
    std::string reason;   // e.g. "Self-intersection[0.5 0.5]"

    bool operator==(const GeometryProblem&) const = default;
};

// Owns one GEOS context, its readers and the buffer GEOS reports errors into, so it is NOT
// thread-safe, const methods included: use one validator per thread, or guard a shared one.
// Every check_* answers std::nullopt for a valid geometry, or the reason it is not. Checks, in order
// (docs/geometry.md): the text or value before GEOS reads it (nesting, SRID, trailing text), parse,
// structure (no empty part, collection depth, geometry count), coordinates finite and within
// lng -180..180 / lat -90..90, vertex count, OGC validity (GEOS's own reason and location), area.
class GeometryValidator {
public:
    // GEOS's readers recurse once per nesting level; this keeps their stack use small whatever the config.
    static constexpr std::int64_t kMaxDepth = 64;

    // Throws std::invalid_argument for a non-positive limit or a max_depth over kMaxDepth,
    // std::runtime_error if GEOS cannot start.
    explicit GeometryValidator(GeometryLimits limits = {});
    ~GeometryValidator();
    GeometryValidator(const GeometryValidator&) = delete;
    GeometryValidator& operator=(const GeometryValidator&) = delete;

    const GeometryLimits& limits() const { return limits_; }

    // A GeoJSON geometry, Feature or FeatureCollection (RFC 7946).
    std::optional<std::string> check_geojson(const nlohmann::json& geometry) const;
    // WKT, or EWKT with an "SRID=4326;" prefix (the only SRID accepted: coordinates are WGS 84 lng/lat).
    std::optional<std::string> check_wkt(std::string_view wkt) const;

    // Walks a step's `context` (objects and arrays down to max_depth levels; a deeper object or array
    // is itself a problem, since it could hide a geometry) and checks every GeoJSON value (an object
    // whose "type" is a geometry type, Feature or FeatureCollection) and every string that is WKT
    // (is_wkt_text). Returns the first problem in document order — object members in nlohmann::json's
    // order, which is sorted by name — or std::nullopt when every geometry is valid.
    std::optional<GeometryProblem> first_problem(const nlohmann::json& context) const;

private:
    class Engine;
    GeometryLimits limits_;
    std::unique_ptr<Engine> engine_;
};

// True when `value` is a GeoJSON object the validator checks: "type" is Point, LineString, Polygon,
// MultiPoint, MultiLineString, MultiPolygon, GeometryCollection, Feature or FeatureCollection.
bool is_geojson(const nlohmann::json& value);

// True when `text` is meant as WKT: after optional whitespace, "SRID=" (any case), or a WKT geometry
// keyword (any case) followed by "(", "EMPTY", or a Z/M/ZM tag and then "(" or "EMPTY". Prose that
// merely starts with "Point ..." or "polygonal" is not WKT.
bool is_wkt_text(std::string_view text);

}  // namespace forgehive::geo
