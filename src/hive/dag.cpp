// Step graph checks (seed: "Step dependencies (DAG)": topological sort, circular dependencies rejected).
#include "forgehive/hive/dag.hpp"

#include <fmt/format.h>
#include <map>

#include "forgehive/core/api_error.hpp"

namespace forgehive::hive {
namespace {

using Edges = std::vector<std::vector<std::size_t>>;

// Kahn's algorithm over "dependency before dependant"; returns the order found so far, which is
// shorter than the step count when a cycle remains.
std::vector<std::size_t> kahn(const Edges& deps) {
    std::vector<std::size_t> waiting(deps.size());
    std::vector<std::vector<std::size_t>> dependants(deps.size());
    for (std::size_t i = 0; i < deps.size(); ++i) {
        waiting[i] = deps[i].size();
        for (auto d : deps[i]) dependants[d].push_back(i);
    }
    std::vector<std::size_t> order;
    std::vector<bool> done(deps.size(), false);
    for (bool progress = true; progress;) {
        progress = false;
        for (std::size_t i = 0; i < deps.size(); ++i) {
            if (done[i] || waiting[i] != 0) continue;
            done[i] = progress = true;
            order.push_back(i);
            for (auto d : dependants[i]) --waiting[d];
            break;  // rescan from the start so ties go to request order
        }
    }
    return order;
}

// Every step left outside the order depends on another one left outside; following those edges
// from the first such step must revisit a step, and the revisited stretch is a cycle.
[[noreturn]] void report_cycle(const std::vector<Step>& steps, const Edges& deps, const std::vector<std::size_t>& order) {
    std::vector<bool> ordered(steps.size(), false);
    for (auto i : order) ordered[i] = true;
    std::size_t at = 0;
    while (ordered[at]) ++at;
    std::vector<std::size_t> path;
    std::map<std::size_t, std::size_t> position;
    while (!position.count(at)) {
        position[at] = path.size();
        path.push_back(at);
        for (auto d : deps[at]) {
            if (!ordered[d]) {
                at = d;
                break;
            }
        }
    }
    std::string text;
    for (auto i = position[at]; i < path.size(); ++i) text += steps[path[i]].id + " -> ";
    text += steps[at].id;
    throw core::ApiError("dag_cycle", 400, fmt::format("steps form a dependency cycle: {} (each depends on the next)", text));
}

}  // namespace

std::vector<std::vector<std::size_t>> resolve_dependencies(const std::vector<Step>& steps) {
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < steps.size(); ++i) index.emplace(steps[i].id, i);
    Edges deps(steps.size());
    for (std::size_t i = 0; i < steps.size(); ++i) {
        for (const auto& name : steps[i].depends_on) {
            auto it = index.find(name);
            if (it == index.end())
                throw core::ApiError("invalid_request", 400,
                                     fmt::format("field 'steps[{}].depends_on' names unknown step '{}'", i, name));
            deps[i].push_back(it->second);
        }
    }
    auto order = kahn(deps);
    if (order.size() != steps.size()) report_cycle(steps, deps, order);
    return deps;
}

std::vector<std::size_t> topological_order(const std::vector<Step>& steps) { return kahn(resolve_dependencies(steps)); }

}  // namespace forgehive::hive
