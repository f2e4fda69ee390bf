// The mc family as a hub Workload: units of kernels::mc::kUnitIterations iterations, Partials that
// merge exactly, outputs rendered in the documented member order.
#pragma once

#include <memory>

#include "forgehive/hub/workload.hpp"
#include "forgehive/kernels/mc/kernels.hpp"
#include "forgehive/kernels/mc/philox.hpp"
#include "forgehive/kernels/mc/profiles.hpp"

namespace forgehive::hub {

std::unique_ptr<Workload> make_mc_workload(kernels::mc::ProfileArgs args, kernels::mc::RootKey key);

}  // namespace forgehive::hub
