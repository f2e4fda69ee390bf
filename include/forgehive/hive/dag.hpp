// The step graph of a Hive request: reference and cycle checks, and the order steps become ready.
#pragma once

#include <cstddef>
#include <vector>

#include "forgehive/hive/compute_request.hpp"

namespace forgehive::hive {

// For each step, the indexes of the steps it depends on (in its depends_on order). Throws
// core::ApiError("invalid_request", 400) for a reference to an unknown step and
// core::ApiError("dag_cycle", 400) naming the steps of a cycle ("a -> b -> a": each depends on the next).
std::vector<std::vector<std::size_t>> resolve_dependencies(const std::vector<Step>& steps);

// A topological order (Kahn's algorithm; among ready steps, request order first). Throws like
// resolve_dependencies.
std::vector<std::size_t> topological_order(const std::vector<Step>& steps);

}  // namespace forgehive::hive
