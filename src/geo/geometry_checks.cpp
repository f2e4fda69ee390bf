// Post-parse geometry checks over GEOS's C API: each walks the geometry tree (collections, multi
// geometries, polygon rings) and stops at the first problem.
#include "geometry_checks.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <span>
#include <stdexcept>
#include <vector>

#include "forgehive/geo/spherical_area.hpp"

namespace forgehive::geo {
namespace {

constexpr double kMaxLongitude = 180.0;
constexpr double kMaxLatitude = 90.0;

using Problem = std::optional<std::string>;

bool is_collection(GEOSContextHandle_t handle, const GEOSGeometry* geometry) {
    switch (GEOSGeomTypeId_r(handle, geometry)) {
        case GEOS_MULTIPOINT:
        case GEOS_MULTILINESTRING:
        case GEOS_MULTIPOLYGON:
        case GEOS_GEOMETRYCOLLECTION: return true;
        default: return false;
    }
}

std::string type_name(GEOSContextHandle_t handle, const GEOSGeometry* geometry) {
    char* name = GEOSGeomType_r(handle, geometry);
    std::string copy = name ? name : "unknown";
    GEOSFree_r(handle, name);
    return copy;
}

// Calls `check` on every Point, LineString, LinearRing and Polygon inside `geometry`, in order,
// until one reports a problem.
template <typename Check>
Problem first_part_problem(GEOSContextHandle_t handle, const GEOSGeometry* geometry, Check&& check) {
    if (!is_collection(handle, geometry)) return check(geometry);
    const int count = GEOSGetNumGeometries_r(handle, geometry);
    for (int i = 0; i < count; ++i)
        if (auto problem = first_part_problem(handle, GEOSGetGeometryN_r(handle, geometry, i), check)) return problem;
    return std::nullopt;
}

template <typename Visit>
void for_each_part(GEOSContextHandle_t handle, const GEOSGeometry* geometry, Visit&& visit) {
    first_part_problem(handle, geometry, [&](const GEOSGeometry* part) -> Problem {
        visit(part);
        return std::nullopt;
    });
}

// The rings of a polygon, exterior first.
std::vector<const GEOSGeometry*> rings(GEOSContextHandle_t handle, const GEOSGeometry* polygon) {
    std::vector<const GEOSGeometry*> out{GEOSGetExteriorRing_r(handle, polygon)};
    const int holes = GEOSGetNumInteriorRings_r(handle, polygon);
    for (int i = 0; i < holes; ++i) out.push_back(GEOSGetInteriorRingN_r(handle, polygon, i));
    return out;
}

// Emptiness of every geometry and part, GeometryCollection nesting, and the count of non-collection
// geometries (a Multi* counts once: its size is bounded by the vertex limit).
class StructureCheck {
public:
    StructureCheck(GEOSContextHandle_t handle, const GeometryLimits& limits, GeometryBudget& budget)
        : handle_(handle), limits_(limits), budget_(budget) {}

    // `depth`: the GeometryCollections around `geometry` (0 for the geometry checked).
    Problem visit(const GEOSGeometry* geometry, std::int64_t depth) {
        if (GEOSisEmpty_r(handle_, geometry))
            return fmt::format("Empty geometry{} ({})", depth == 0 ? "" : " part", type_name(handle_, geometry));
        if (GEOSGeomTypeId_r(handle_, geometry) == GEOS_GEOMETRYCOLLECTION) return visit_members(geometry, depth + 1);
        if (++budget_.geometries > limits_.max_geometries)
            return fmt::format("Too many geometries: {} (limit {})", budget_.geometries, limits_.max_geometries);
        if (!is_collection(handle_, geometry)) return std::nullopt;
        const int count = GEOSGetNumGeometries_r(handle_, geometry);
        for (int i = 0; i < count; ++i) {
            const GEOSGeometry* part = GEOSGetGeometryN_r(handle_, geometry, i);
            if (GEOSisEmpty_r(handle_, part)) return fmt::format("Empty geometry part ({})", type_name(handle_, part));
        }
        return std::nullopt;
    }

private:
    Problem visit_members(const GEOSGeometry* collection, std::int64_t depth) {
        if (depth > limits_.max_depth)
            return fmt::format("Geometry collections nested deeper than {} levels", limits_.max_depth);
        const int count = GEOSGetNumGeometries_r(handle_, collection);
        for (int i = 0; i < count; ++i)
            if (auto problem = visit(GEOSGetGeometryN_r(handle_, collection, i), depth)) return problem;
        return std::nullopt;
    }

    GEOSContextHandle_t handle_;
    const GeometryLimits& limits_;
    GeometryBudget& budget_;
};

Problem coordinate_problem(std::span<const double> xy) {
    for (std::size_t i = 0; i + 1 < xy.size(); i += 2) {
        const double lng = xy[i], lat = xy[i + 1];
        if (!std::isfinite(lng) || !std::isfinite(lat))
            return fmt::format("Invalid Coordinate[{}]", format_coordinate(lng, lat));
        if (std::abs(lng) > kMaxLongitude)
            return fmt::format("Coordinate out of range[{}]: longitude must be within -180..180",
                               format_coordinate(lng, lat));
        if (std::abs(lat) > kMaxLatitude)
            return fmt::format("Coordinate out of range[{}]: latitude must be within -90..90",
                               format_coordinate(lng, lat));
    }
    return std::nullopt;
}

Problem coordinates_problem(GeosContext& geos, const GEOSGeometry* geometry) {
    return first_part_problem(geos.handle(), geometry, [&](const GEOSGeometry* part) -> Problem {
        if (GEOSGeomTypeId_r(geos.handle(), part) != GEOS_POLYGON) return coordinate_problem(geos.coordinates(part));
        for (const GEOSGeometry* ring : rings(geos.handle(), part))
            if (auto problem = coordinate_problem(geos.coordinates(ring))) return problem;
        return std::nullopt;
    });
}

Problem vertices_problem(GeosContext& geos, const GEOSGeometry* geometry, const GeometryLimits& limits,
                         GeometryBudget& budget) {
    const int count = GEOSGetNumCoordinates_r(geos.handle(), geometry);
    if (count < 0) throw std::runtime_error(fmt::format("GEOS: cannot count coordinates: {}", geos.last_error()));
    budget.vertices += count;
    if (budget.vertices > limits.max_vertices)
        return fmt::format("Too many vertices: {} (limit {})", budget.vertices, limits.max_vertices);
    return std::nullopt;
}

// Polygon areas (exterior ring less its holes) summed over the geometry; points and lines have none.
double area_km2(GeosContext& geos, const GEOSGeometry* geometry) {
    double total = 0.0;
    for_each_part(geos.handle(), geometry, [&](const GEOSGeometry* part) {
        if (GEOSGeomTypeId_r(geos.handle(), part) != GEOS_POLYGON) return;
        double polygon = 0.0;
        bool exterior = true;
        for (const GEOSGeometry* ring : rings(geos.handle(), part)) {
            polygon += (exterior ? 1.0 : -1.0) * ring_area_km2(geos.coordinates(ring));
            exterior = false;
        }
        total += std::max(polygon, 0.0);
    });
    return total;
}

Problem area_problem(GeosContext& geos, const GEOSGeometry* geometry, const GeometryLimits& limits) {
    const double area = area_km2(geos, geometry);
    if (area > limits.max_area_km2)
        return fmt::format("Area too large: {:.1f} km^2 (limit {:.1f} km^2)", area, limits.max_area_km2);
    return std::nullopt;
}

}  // namespace

std::optional<std::string> parsed_geometry_problem(GeosContext& geos, const GEOSGeometry* geometry,
                                                   const GeometryLimits& limits, GeometryBudget& budget) {
    if (auto problem = StructureCheck(geos.handle(), limits, budget).visit(geometry, 0)) return problem;
    if (auto problem = coordinates_problem(geos, geometry)) return problem;
    if (auto problem = vertices_problem(geos, geometry, limits, budget)) return problem;
    if (auto problem = geos.invalidity(geometry)) return problem;
    return area_problem(geos, geometry, limits);
}

}  // namespace forgehive::geo
