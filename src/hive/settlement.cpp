// Pricing and settlement (seed: "Pricing": compound job cost = sum of step costs; one settlement per job).
#include "forgehive/hive/settlement.hpp"

#include <fmt/format.h>
#include <numeric>

#include "forgehive/core/api_error.hpp"
#include "forgehive/hive/gns.hpp"

namespace forgehive::hive {

std::vector<std::int64_t> step_prices(const ComputeRequest& request, const Pricing& pricing) {
    std::vector<std::int64_t> prices;
    for (const auto& step : request.steps)
        prices.push_back(step.type == "sensor_fusion" ? pricing.sensor_fusion_per_cell_epoch_nano : 0);
    return prices;
}

void check_budget(const std::vector<std::int64_t>& prices, std::int64_t budget_nano) {
    auto total = std::accumulate(prices.begin(), prices.end(), std::int64_t{0});
    if (total > budget_nano)
        throw core::ApiError("budget_exceeded", 402,
                             fmt::format("the steps cost {} GNS before they run; budget_gns is {}", gns_to_text(total),
                                         gns_to_text(budget_nano)));
}

Settlement settle(const ComputeRequest& request, const std::vector<StepResult>& results,
                  const std::vector<std::int64_t>& prices) {
    Settlement out;
    nlohmann::ordered_json breakdown = nlohmann::ordered_json::object();
    nlohmann::ordered_json breakdown_ngns = nlohmann::ordered_json::object();
    for (std::size_t i = 0; i < request.steps.size(); ++i) {
        auto charged = results[i].status == "complete" ? prices[i] : 0;
        breakdown[request.steps[i].id] = gns_to_json(charged);
        breakdown_ngns[request.steps[i].id] = charged;
        out.total_nano += charged;
    }
    out.body = {{"stellar_tx", nullptr},
                {"total_gns", gns_to_json(out.total_nano)},
                {"total_ngns", out.total_nano},
                {"budget_gns", gns_to_json(request.budget_nano)},
                {"breakdown", std::move(breakdown)},
                {"breakdown_ngns", std::move(breakdown_ngns)}};
    return out;
}

}  // namespace forgehive::hive
