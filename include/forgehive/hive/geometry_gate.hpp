// Gate 4 of /v1/compute: every H3 cell a step names and every geometry under a step's context.
#pragma once

#include "forgehive/geo/geometry_validator.hpp"
#include "forgehive/hive/compute_request.hpp"

namespace forgehive::hive {

// Throws core::ApiError: 400 invalid_h3_cell for a step's center_cell or context.h3_cell that is not a
// cell, 422 geometry_invalid with GEOS's reason and the value's place ("steps[0].context/aoi: ...").
// One GEOS context is made per call, and only when some step has a context.
void check_geometry(const ComputeRequest& request, const geo::GeometryLimits& limits);

}  // namespace forgehive::hive
