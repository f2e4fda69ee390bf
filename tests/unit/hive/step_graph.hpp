// Test helper: steps of type sensor_fusion from (id, depends_on) pairs.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "forgehive/hive/compute_request.hpp"

namespace forgehive::hive::testing {

inline std::vector<Step> step_graph(std::vector<std::pair<std::string, std::vector<std::string>>> spec) {
    std::vector<Step> steps;
    for (auto& [id, deps] : spec) {
        Step s;
        s.id = id;
        s.type = "sensor_fusion";
        s.depends_on = deps;
        steps.push_back(s);
    }
    return steps;
}

}  // namespace forgehive::hive::testing
