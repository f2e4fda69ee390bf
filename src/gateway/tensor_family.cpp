// The tensor family's entry point: op.version and op.profile, args into typed operands, the hub Workload,
// and the billable work fixed at admission (docs/tensor-kernels.md, "Forge API").
#include <initializer_list>
#include <variant>

#include "family_work.hpp"
#include "forgehive/api/tensor_args.hpp"
#include "forgehive/core/api_error.hpp"
#include "forgehive/hub/tensor_workload.hpp"

namespace forgehive::gateway {
namespace {

namespace kt = kernels::tensor;

// The product of sizes the parser bounded; refused rather than wrapped if an operator's limits let it overflow.
std::uint64_t product(std::initializer_list<std::int64_t> factors) {
    std::uint64_t out = 1;
    for (auto f : factors)
        if (__builtin_mul_overflow(out, static_cast<std::uint64_t>(f), &out))
            throw core::ApiError("invalid_request", 400, "field 'args' describes more work than can be billed");
    return out;
}

std::uint64_t sum(std::uint64_t a, std::uint64_t b) {
    std::uint64_t out = 0;
    if (__builtin_add_overflow(a, b, &out))
        throw core::ApiError("invalid_request", 400, "field 'args' describes more work than can be billed");
    return out;
}

// Multiply-adds: m k n.
PreparedWork prepare(api::MatmulArgs&& args, const kt::TensorOptions& options) {
    PreparedWork out;
    out.billable_work = product({args.a.rows, args.a.cols, args.b.cols});
    out.workload = hub::make_matmul_workload(std::move(args.a), std::move(args.b), options);
    return out;
}

// n^3 for the factorisation's order plus n^2 m for the substitutions of m right-hand sides.
PreparedWork prepare(api::SolveArgs&& args, const kt::TensorOptions& options) {
    const auto n = args.a.rows;
    PreparedWork out;
    out.billable_work = sum(product({n, n, n}), product({n, n, args.b.cols}));
    out.workload =
        hub::make_solve_workload(std::move(args.a), std::move(args.b), args.method, args.b_is_vector, options);
    return out;
}

// Elements read: rows cols.
PreparedWork prepare(api::ReduceArgs&& args, const kt::TensorOptions& options) {
    PreparedWork out;
    out.billable_work = product({args.x.rows, args.x.cols});
    out.workload = hub::make_reduce_workload(std::move(args.x), args.axis, std::move(args.ops), options);
    return out;
}

}  // namespace

PreparedWork prepare_tensor_work(const api::OpIdentity& op, const nlohmann::json& args, const FamilyOptions& options,
                                 const api::ArtifactResolver& artifacts) {
    if (op.version != 1)
        throw core::ApiError("invalid_request", 400, "field 'op.version' must be 1 for op.name tensor");
    auto typed = api::parse_tensor_args(op.profile, args, options.tensor, artifacts);
    return std::visit([&](auto&& profile_args) { return prepare(std::move(profile_args), options.tensor); }, typed);
}

}  // namespace forgehive::gateway
