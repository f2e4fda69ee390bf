// Unit tests for the step types: sensor_fusion through run_step (epoch window, dependency estimates,
// failures) and the 501 for types not implemented yet.
#include "forgehive/hive/steps.hpp"

#include <gtest/gtest.h>

#include "forgehive/core/api_error.hpp"

namespace forgehive::hive {
namespace {

constexpr std::int64_t kEpochStart = 1795514400;  // a multiple of 3600

Step fusion(std::vector<SensorReading> readings) {
    Step s;
    s.id = "fuse";
    s.type = "sensor_fusion";
    s.readings = std::move(readings);
    return s;
}

SensorReading scalar(std::string id, double value, double variance, std::int64_t t = kEpochStart + 10) {
    return SensorReading{std::move(id), {value}, {variance}, t, false};
}

const StepContext kContext{"871e8052affffff", 3600};

TEST(Steps, ScalarFusionIsTheInverseVarianceMean) {
    auto out = run_step(fusion({scalar("a", 10, 1), scalar("b", 12, 3)}), {}, kContext);
    // (v2 z1 + v1 z2) / (v1 + v2) and v1 v2 / (v1 + v2)
    EXPECT_DOUBLE_EQ(out["estimate"].get<double>(), (3 * 10.0 + 1 * 12.0) / 4);
    EXPECT_DOUBLE_EQ(out["variance"].get<double>(), 0.75);
    EXPECT_EQ(out["used"], nlohmann::json({"a", "b"}));
    EXPECT_EQ(out["epoch"], kEpochStart / 3600);
    EXPECT_EQ(out["h3_cell"], "871e8052affffff");
}

TEST(Steps, ReadingsOutsideTheEpochAreExcluded) {
    auto out = run_step(fusion({scalar("old", 99, 1, kEpochStart - 5), scalar("a", 10, 1), scalar("b", 12, 1)}), {}, kContext);
    EXPECT_EQ(out["excluded"], nlohmann::json({"old"}));
    EXPECT_DOUBLE_EQ(out["estimate"].get<double>(), 11);
    auto step = fusion({scalar("a", 10, 1)});
    step.context_epoch = kEpochStart / 3600 + 1;
    try {
        run_step(step, {}, kContext);
        FAIL();
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("no readings in epoch"), std::string::npos);
    }
}

TEST(Steps, OutliersAreRejectedByTheChiSquareGate) {
    auto out = run_step(fusion({scalar("a", 10, 1), scalar("b", 10.5, 1), scalar("c", 9.8, 1), scalar("spike", 60, 1)}), {},
                        kContext);
    EXPECT_EQ(out["rejected"], nlohmann::json({"spike"}));
    EXPECT_EQ(out["used"].size(), 3u);
}

TEST(Steps, DependencyEstimatesJoinAsReadings) {
    StepResult prior{"complete", {{"estimate", 20.0}, {"variance", 1.0}}, "", 0, "agent"};
    auto step = fusion({scalar("a", 22, 1)});
    step.depends_on = {"earlier"};
    auto out = run_step(step, {&prior}, kContext);
    EXPECT_DOUBLE_EQ(out["estimate"].get<double>(), 21);
    EXPECT_EQ(out["used"], nlohmann::json({"step:earlier", "a"}));
}

TEST(Steps, VectorReadingsGiveACovariance) {
    SensorReading gps{"gps", {1, 2}, {1, 0, 0, 1}, kEpochStart, true};
    SensorReading wifi{"wifi", {3, 2}, {1, 0, 0, 1}, kEpochStart, true};
    auto out = run_step(fusion({gps, wifi}), {}, kContext);
    EXPECT_EQ(out["estimate"], nlohmann::json({2.0, 2.0}));
    EXPECT_EQ(out["covariance"], nlohmann::json({0.5, 0.0, 0.0, 0.5}));
    EXPECT_EQ(out["dimension"], 2);
}

TEST(Steps, OtherTypesAnswerNotImplementedByName) {
    ComputeRequest request;
    request.steps = {fusion({scalar("a", 1, 1)})};
    EXPECT_NO_THROW(require_implemented(request));
    Step ask;
    ask.id = "ask";
    ask.type = "inference";
    request.steps.push_back(ask);
    try {
        require_implemented(request);
        FAIL();
    } catch (const core::ApiError& e) {
        EXPECT_EQ(e.http_status(), 501);
        EXPECT_EQ(e.code(), "not_implemented");
        EXPECT_NE(e.message().find("step type 'inference' (steps[1], id 'ask')"), std::string::npos);
    }
}

}  // namespace
}  // namespace forgehive::hive
