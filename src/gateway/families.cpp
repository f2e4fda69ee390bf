// Family dispatch: op.name chooses the family, whose entry point checks op.version, op.profile and args.
#include "forgehive/gateway/families.hpp"

#include <fmt/format.h>

#include "family_work.hpp"
#include "forgehive/api/mc_args.hpp"
#include "forgehive/core/api_error.hpp"
#include "forgehive/hub/mc_workload.hpp"

namespace forgehive::gateway {
namespace {

PreparedWork prepare_mc_work(const api::OpIdentity& op, const nlohmann::json& args,
                             const std::array<std::uint8_t, 32>& root_seed) {
    if (op.version != 1)
        throw core::ApiError("invalid_request", 400, "field 'op.version' must be 1 for op.name mc");
    auto typed = api::parse_mc_args(op.profile, args);
    PreparedWork out;
    out.billable_work = kernels::mc::iterations_of(typed);
    out.workload = hub::make_mc_workload(std::move(typed), kernels::mc::root_key_from_digest(root_seed));
    return out;
}

}  // namespace

PreparedWork prepare_work(const api::OpIdentity& op, const nlohmann::json& args,
                          const std::array<std::uint8_t, 32>& root_seed, const FamilyOptions& options,
                          const api::ArtifactResolver& artifacts) {
    // graph and tensor are deterministic functions of their args: the root seed does not enter them.
    if (op.name == "mc") return prepare_mc_work(op, args, root_seed);
    if (op.name == "tensor") return prepare_tensor_work(op, args, options, artifacts);
    if (op.name == "graph") return prepare_graph_work(op, args, options, artifacts);
    throw core::ApiError("hub_unavailable", 503,
                         fmt::format("op.name '{}' is not served by this deployment (available: mc, graph, tensor)",
                                     op.name));
}

}  // namespace forgehive::gateway
