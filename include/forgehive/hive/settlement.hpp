// Prices (the seed's pricing table, from config) and the settlement of a job: integer nano-GNS
// throughout, so the breakdown sums exactly to the total.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

#include "forgehive/hive/compute_request.hpp"
#include "forgehive/hive/dag_executor.hpp"

namespace forgehive::hive {

struct Pricing {
    std::int64_t sensor_fusion_per_cell_epoch_nano = 500'000;  // seed: 0.0005 GNS per cell-epoch
};

// Each step's price, known before it runs (a sensor_fusion step fuses one cell for one epoch).
std::vector<std::int64_t> step_prices(const ComputeRequest& request, const Pricing& pricing);

// Throws core::ApiError("budget_exceeded", 402) when the prices add up to more than budget_gns.
void check_budget(const std::vector<std::int64_t>& prices, std::int64_t budget_nano);

struct Settlement {
    nlohmann::ordered_json body;  // {stellar_tx, total_gns, total_ngns, budget_gns, breakdown, breakdown_ngns}
    std::int64_t total_nano = 0;
};

// Completed steps are charged their price; failed and skipped steps nothing.
Settlement settle(const ComputeRequest& request, const std::vector<StepResult>& results,
                  const std::vector<std::int64_t>& prices);

}  // namespace forgehive::hive
