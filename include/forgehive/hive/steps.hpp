// Step types: which run on this server, and the function an agent calls to run one.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "forgehive/hive/compute_request.hpp"
#include "forgehive/hive/dag_executor.hpp"

namespace forgehive::hive {

// What a step sees of its job.
struct StepContext {
    std::string h3_cell;             // the request's cell; a step's context.h3_cell overrides it
    std::int64_t epoch_seconds = 3600;
};

// Throws core::ApiError("not_implemented", 501) naming the first step whose type does not run here
// yet (inference, tile_render and image_process have their own issues).
void require_implemented(const ComputeRequest& request);

// Runs one step on the calling (agent) thread. `inputs` are its dependencies' results in depends_on
// order. Throws std::exception to fail the step with that message.
nlohmann::json run_step(const Step& step, const std::vector<const StepResult*>& inputs, const StepContext& context);

}  // namespace forgehive::hive
