// Unit tests for prices, the budget check and settlement in exact nano-GNS.
#include "forgehive/hive/settlement.hpp"

#include <gtest/gtest.h>

#include "forgehive/core/api_error.hpp"

namespace forgehive::hive {
namespace {

ComputeRequest request_of(int steps) {
    ComputeRequest request;
    request.budget_nano = 100'000'000;
    for (int i = 0; i < steps; ++i) {
        Step s;
        s.id = "f" + std::to_string(i);
        s.type = "sensor_fusion";
        request.steps.push_back(s);
    }
    return request;
}

TEST(Settlement, PricesComeFromThePricingTable) {
    EXPECT_EQ(step_prices(request_of(2), Pricing{}), (std::vector<std::int64_t>{500'000, 500'000}));
    EXPECT_EQ(step_prices(request_of(1), Pricing{7}), std::vector<std::int64_t>{7});
}

TEST(Settlement, BudgetIsCheckedBeforeAnythingRuns) {
    EXPECT_NO_THROW(check_budget({500'000, 500'000}, 1'000'000));
    try {
        check_budget({500'000, 500'000, 500'000}, 1'000'000);
        FAIL();
    } catch (const core::ApiError& e) {
        EXPECT_EQ(e.code(), "budget_exceeded");
        EXPECT_EQ(e.http_status(), 402);
        EXPECT_EQ(e.message(), "the steps cost 0.0015 GNS before they run; budget_gns is 0.001");
    }
}

TEST(Settlement, ChargesCompletedStepsOnlyAndSumsExactly) {
    auto request = request_of(3);
    std::vector<StepResult> results(3);
    results[0].status = "complete";
    results[1].status = "failed";
    results[2].status = "complete";
    auto settlement = settle(request, results, {100'000'001, 3, 7});
    EXPECT_EQ(settlement.total_nano, 100'000'008);
    EXPECT_EQ(settlement.body.dump(),
              R"({"stellar_tx":null,"total_gns":0.100000008,"total_ngns":100000008,"budget_gns":0.1,)"
              R"("breakdown":{"f0":0.100000001,"f1":0,"f2":7e-09},"breakdown_ngns":{"f0":100000001,"f1":0,"f2":7}})");
}

}  // namespace
}  // namespace forgehive::hive
