// Unit tests for hive::parse_compute_request: defaults, every step field, and errors naming field and rule.
#include "forgehive/hive/compute_request.hpp"

#include <gtest/gtest.h>

#include "forgehive/core/api_error.hpp"

namespace forgehive::hive {
namespace {

const std::string kPk(64, 'a');

nlohmann::json fusion_step(std::string id = "fuse") {
    return {{"id", id}, {"type", "sensor_fusion"},
            {"readings", {{{"sensor_id", "s1"}, {"value", 20.5}, {"variance", 0.25}, {"timestamp", 1795514400}}}}};
}

nlohmann::json request_with(nlohmann::json steps) {
    return {{"requester_pk", kPk}, {"steps", std::move(steps)}, {"signature", std::string(128, '0')}};
}

std::string error_of(const nlohmann::json& body, std::string* code = nullptr) {
    try {
        parse_compute_request(body, RequestLimits{});
    } catch (const core::ApiError& e) {
        if (code) *code = e.code();
        EXPECT_EQ(e.http_status(), 400);
        return e.message();
    }
    ADD_FAILURE() << "accepted: " << body.dump();
    return "";
}

TEST(ComputeRequest, AppliesSeedDefaults) {
    auto request = parse_compute_request(request_with({fusion_step()}), RequestLimits{});
    EXPECT_EQ(request.requester_pk, kPk);
    EXPECT_EQ(request.h3_cell, "871e8052affffff");  // Rome
    EXPECT_EQ(request.budget_nano, 100'000'000);    // 0.1 GNS
    ASSERT_EQ(request.steps.size(), 1u);
    const auto& r = request.steps[0].readings.at(0);
    EXPECT_EQ(r.sensor_id, "s1");
    EXPECT_EQ(r.value, std::vector<double>{20.5});
    EXPECT_EQ(r.covariance, std::vector<double>{0.25});
    EXPECT_FALSE(r.vector);
}

TEST(ComputeRequest, ReadsEverySeedStepField) {
    nlohmann::json steps = {
        {{"id", "ask"}, {"type", "inference"}, {"model", "lfm2.5-1.2b-instruct"},
         {"messages", {{{"role", "user"}, {"content", "hi"}}}}, {"context", {{"h3_cell", "871e9a0ecffffff"}, {"epoch", 3253}}}},
        {{"id", "show"}, {"type", "tile_render"}, {"depends_on", "ask"}, {"center_cell", "871e9a0ecffffff"},
         {"zoom", 15}, {"style", "osm-bright"}},
        {{"id", "scan"}, {"type", "image_process"}, {"operation", "ndvi"}, {"depends_on", {"ask", "show"}}}};
    auto body = request_with(steps);
    body["budget_gns"] = 0.0043;
    body["h3_cell"] = "871e9a0ecffffff";
    auto request = parse_compute_request(body, RequestLimits{});
    EXPECT_EQ(request.budget_nano, 4'300'000);
    EXPECT_EQ(request.steps[0].context_epoch, 3253);
    EXPECT_EQ(request.steps[0].context_h3_cell, "871e9a0ecffffff");
    EXPECT_EQ(request.steps[1].depends_on, std::vector<std::string>{"ask"});
    EXPECT_EQ(request.steps[2].depends_on, (std::vector<std::string>{"ask", "show"}));
    EXPECT_EQ(request.steps[1].zoom, 15);
}

TEST(ComputeRequest, VectorReadingsTakeACovariance) {
    auto step = fusion_step();
    step["readings"] = {{{"sensor_id", "gps"}, {"value", {1.0, 2.0}}, {"covariance", {1.0, 0.1, 0.1, 2.0}}, {"timestamp", 5}}};
    auto request = parse_compute_request(request_with({step}), RequestLimits{});
    EXPECT_TRUE(request.steps[0].readings[0].vector);
    step["readings"][0]["covariance"] = {1.0, 0.0, 2.0};
    EXPECT_NE(error_of(request_with({step})).find("'steps[0].readings[0].covariance' must hold 4 numbers"), std::string::npos);
}

TEST(ComputeRequest, ErrorsNameTheFieldAndRule) {
    auto dup = request_with({fusion_step("a"), fusion_step("a")});
    EXPECT_NE(error_of(dup).find("'steps[1].id' 'a' is already the id of steps[0]"), std::string::npos);
    EXPECT_NE(error_of(request_with(nlohmann::json::array())).find("'steps' must be a list of 1..64 steps"), std::string::npos);
    auto bad_type = fusion_step();
    bad_type["type"] = "mining";
    EXPECT_NE(error_of(request_with({bad_type})).find("'steps[0].type' must be one of"), std::string::npos);
    auto unknown = fusion_step();
    unknown["colour"] = "red";
    EXPECT_NE(error_of(request_with({unknown})).find("colour"), std::string::npos);
    auto zoom = fusion_step();
    zoom["zoom"] = 21;
    EXPECT_NE(error_of(request_with({zoom})).find("'steps[0].zoom'"), std::string::npos);
    auto no_readings = fusion_step();
    no_readings.erase("readings");
    EXPECT_NE(error_of(request_with({no_readings})).find("'steps[0].readings' is required for a sensor_fusion step"),
              std::string::npos);
    auto twice = fusion_step();
    twice["readings"].push_back(twice["readings"][0]);
    EXPECT_NE(error_of(request_with({twice})).find("repeats sensor 's1'"), std::string::npos);
    auto body = request_with({fusion_step()});
    body["requester_pk"] = "ABC";
    EXPECT_NE(error_of(body).find("'requester_pk' must be 64 lower-case hex digits"), std::string::npos);
    body = request_with({fusion_step()});
    body["budget_gns"] = -1;
    EXPECT_NE(error_of(body).find("budget_gns"), std::string::npos);
    auto bad_dep = fusion_step();
    bad_dep["depends_on"] = 7;
    EXPECT_NE(error_of(request_with({bad_dep})).find("'steps[0].depends_on' must be a step id or a list"), std::string::npos);
}

TEST(ComputeRequest, EnforcesConfiguredLimits) {
    RequestLimits limits;
    limits.max_steps = 2;
    nlohmann::json steps = {fusion_step("a"), fusion_step("b"), fusion_step("c")};
    EXPECT_THROW(parse_compute_request(request_with(steps), limits), core::ApiError);
    limits = RequestLimits{};
    limits.max_readings = 1;
    auto step = fusion_step();
    step["readings"].push_back({{"sensor_id", "s2"}, {"value", 1}, {"variance", 1}, {"timestamp", 1}});
    EXPECT_THROW(parse_compute_request(request_with({step}), limits), core::ApiError);
}

}  // namespace
}  // namespace forgehive::hive
