// Unit tests for the step graph: unknown references, cycles named, topological order.
#include "forgehive/hive/dag.hpp"

#include <gtest/gtest.h>

#include "forgehive/core/api_error.hpp"
#include "step_graph.hpp"

namespace forgehive::hive {
namespace {

using testing::step_graph;

std::string cycle_error(const std::vector<Step>& steps) {
    try {
        resolve_dependencies(steps);
    } catch (const core::ApiError& e) {
        EXPECT_EQ(e.code(), "dag_cycle");
        EXPECT_EQ(e.http_status(), 400);
        return e.message();
    }
    ADD_FAILURE() << "no cycle reported";
    return "";
}

TEST(Dag, OrdersDependenciesFirstWithRequestOrderForTies) {
    auto steps = step_graph({{"analyze", {"scan"}}, {"map", {"analyze"}}, {"scan", {}}, {"other", {}}});
    EXPECT_EQ(topological_order(steps), (std::vector<std::size_t>{2, 0, 1, 3}));
    auto deps = resolve_dependencies(steps);
    EXPECT_EQ(deps[1], std::vector<std::size_t>{0});
}

TEST(Dag, UnknownReferenceIsInvalidRequest) {
    try {
        resolve_dependencies(step_graph({{"a", {"ghost"}}}));
        FAIL();
    } catch (const core::ApiError& e) {
        EXPECT_EQ(e.code(), "invalid_request");
        EXPECT_EQ(e.message(), "field 'steps[0].depends_on' names unknown step 'ghost'");
    }
}

TEST(Dag, CyclesAreNamed) {
    EXPECT_EQ(cycle_error(step_graph({{"a", {"a"}}})), "steps form a dependency cycle: a -> a (each depends on the next)");
    EXPECT_EQ(cycle_error(step_graph({{"a", {"b"}}, {"b", {"c"}}, {"c", {"a"}}})),
              "steps form a dependency cycle: a -> b -> c -> a (each depends on the next)");
    // A step that merely leads into a cycle is not part of it.
    EXPECT_EQ(cycle_error(step_graph({{"x", {"a"}}, {"a", {"b"}}, {"b", {"a"}}})),
              "steps form a dependency cycle: a -> b -> a (each depends on the next)");
}

}  // namespace
}  // namespace forgehive::hive
