// Input checks of the fusion kernel (private): every rule a reading or the options must meet, each failure
// a std::invalid_argument that names the sensor and the rule.
#pragma once

#include "forgehive/kernels/fusion/fusion.hpp"

#include <vector>

namespace forgehive::kernels::fusion {

void validate_options(const FusionOptions& options);

// Expects the readings in canonical order, so that the first violation reported never depends on the
// order the caller listed them in.
void validate_readings(const std::vector<Reading>& readings, const FusionOptions& options);

}  // namespace forgehive::kernels::fusion
