// The checks made on a geometry once GEOS has parsed it, in the order the gate applies them
// (docs/geometry.md): structure, coordinates, vertex count, OGC validity, area.
#pragma once

#include <geos_c.h>

#include <cstdint>
#include <optional>
#include <string>

#include "forgehive/geo/geometry_validator.hpp"
#include "geos_context.hpp"

namespace forgehive::geo {

// What one call has used so far of the limits that accumulate (GeometryLimits).
struct GeometryBudget {
    std::int64_t vertices = 0;
    std::int64_t geometries = 0;
};

// Nullopt when `geometry` passes every check; otherwise the first reason it does not.
std::optional<std::string> parsed_geometry_problem(GeosContext& geos, const GEOSGeometry* geometry,
                                                   const GeometryLimits& limits, GeometryBudget& budget);

}  // namespace forgehive::geo
