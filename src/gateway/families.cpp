// Family dispatch: op.name/op.version -> args parser + workload.
#include "forgehive/gateway/families.hpp"

#include <fmt/format.h>

#include "forgehive/api/mc_args.hpp"
#include "forgehive/core/api_error.hpp"
#include "forgehive/hub/mc_workload.hpp"

namespace forgehive::gateway {

PreparedWork prepare_work(const api::OpIdentity& op, const nlohmann::json& args,
                          const std::array<std::uint8_t, 32>& root_seed) {
    if (op.name != "mc")
        throw core::ApiError("hub_unavailable", 503,
                             fmt::format("op.name '{}' is not served by this deployment yet (available: mc)", op.name));
    if (op.version != 1)
        throw core::ApiError("invalid_request", 400, fmt::format("field 'op.version' must be 1 for op.name mc"));
    auto typed = api::parse_mc_args(op.profile, args);
    PreparedWork out;
    out.billable_work = kernels::mc::iterations_of(typed);
    out.workload = hub::make_mc_workload(std::move(typed), kernels::mc::root_key_from_digest(root_seed));
    return out;
}

}  // namespace forgehive::gateway
