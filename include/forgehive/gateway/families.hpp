// The primitive families the gateway can run: each turns a validated envelope's op and args into a
// hub Workload. New families register here.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>

#include "forgehive/api/forge_request.hpp"
#include "forgehive/hub/workload.hpp"

namespace forgehive::gateway {

struct PreparedWork {
    std::shared_ptr<const hub::Workload> workload;
    std::uint64_t billable_work = 0;  // what pricing counts (iterations for mc)
};

// Throws core::ApiError(invalid_request) for an unknown family/profile/version or bad args, and
// ApiError(hub_unavailable) for a family this deployment does not run.
PreparedWork prepare_work(const api::OpIdentity& op, const nlohmann::json& args,
                          const std::array<std::uint8_t, 32>& root_seed);

}  // namespace forgehive::gateway
