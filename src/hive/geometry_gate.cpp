// Gate 4: H3 cells in steps and GEOS validation of context geometries (docs/geometry.md).
#include "forgehive/hive/geometry_gate.hpp"

#include <fmt/format.h>
#include <optional>

#include "forgehive/core/api_error.hpp"
#include "forgehive/hive/jurisdiction.hpp"

namespace forgehive::hive {

void check_geometry(const ComputeRequest& request, const geo::GeometryLimits& limits) {
    std::optional<geo::GeometryValidator> validator;
    for (std::size_t i = 0; i < request.steps.size(); ++i) {
        const auto& step = request.steps[i];
        if (step.center_cell) parse_cell_field(fmt::format("steps[{}].center_cell", i), *step.center_cell);
        if (step.context_h3_cell) parse_cell_field(fmt::format("steps[{}].context.h3_cell", i), *step.context_h3_cell);
        if (!step.context.is_object()) continue;
        if (!validator) validator.emplace(limits);
        if (auto problem = validator->first_problem(step.context))
            throw core::ApiError("geometry_invalid", 422,
                                 fmt::format("steps[{}].context{}: {}", i, problem->pointer, problem->reason));
    }
}

}  // namespace forgehive::hive
