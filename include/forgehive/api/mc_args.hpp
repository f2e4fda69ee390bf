// `args` of the mc family's profiles (eta.v1, insurance.loss.v1, finance.option.v1) as typed kernel
// arguments. Types and unknown members are checked here; value ranges by kernels::mc::validate, so
// every caller of the kernels shares one set of rules (docs/mc-models.md).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "forgehive/kernels/mc/profiles.hpp"

namespace forgehive::api {

// Throws core::ApiError("invalid_request", 400) naming the field ("args.frequency.lambda") and rule.
kernels::mc::ProfileArgs parse_mc_args(const std::string& profile, const nlohmann::json& args);

}  // namespace forgehive::api
