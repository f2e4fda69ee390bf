// The graph family's entry point: op.version 1, profile args parsed into a CSR graph, the profile's hub
// workload, and billable work fixed at admission (docs/graph-kernels.md, Forge API).
#include <stdexcept>
#include <variant>

#include "family_work.hpp"
#include "forgehive/api/graph_args.hpp"
#include "forgehive/core/api_error.hpp"
#include "forgehive/hub/graph_workload.hpp"

namespace forgehive::gateway {
namespace {

// Nodes plus stored edges (an undirected edge is stored twice): one pass over the graph.
std::uint64_t graph_size(const api::GraphInput& input) {
    return input.graph->node_count() + input.graph->stored_edge_count();
}

hub::GraphNodes nodes_of(api::GraphInput input) { return hub::GraphNodes{std::move(input.graph), std::move(input.labels)}; }

// make_pagerank_problem rechecks the options against the graph; the parser has checked all but the
// out-weights that cannot be normalised and a personalization summing to 0, which surface here.
std::shared_ptr<const hub::Workload> pagerank_workload(api::PageRankArgs args) {
    try {
        return hub::make_pagerank_workload(nodes_of(std::move(args.input)), std::move(args.options), args.top_k);
    } catch (const std::invalid_argument& e) {
        api::throw_graph_kernel_error(e);
    }
}

PreparedWork prepare(api::PageRankArgs args) {
    PreparedWork out;
    out.billable_work = graph_size(args.input) * args.options.max_iterations;
    out.workload = pagerank_workload(std::move(args));
    return out;
}

PreparedWork prepare(api::SsspArgs args) {
    PreparedWork out{nullptr, graph_size(args.input)};
    out.workload = hub::make_sssp_workload(nodes_of(std::move(args.input)), args.source, std::move(args.options));
    return out;
}

PreparedWork prepare(api::BfsArgs args) {
    PreparedWork out{nullptr, graph_size(args.input)};
    out.workload = hub::make_bfs_workload(nodes_of(std::move(args.input)), args.source, args.depth_limit);
    return out;
}

PreparedWork prepare(api::ComponentsArgs args) {
    PreparedWork out{nullptr, graph_size(args.input)};
    out.workload = hub::make_components_workload(nodes_of(std::move(args.input)), args.strong);
    return out;
}

}  // namespace

PreparedWork prepare_graph_work(const api::OpIdentity& op, const nlohmann::json& args, const FamilyOptions& options,
                                const api::ArtifactResolver& artifacts) {
    if (op.version != 1) throw core::ApiError("invalid_request", 400, "field 'op.version' must be 1 for op.name graph");
    auto typed = api::parse_graph_args(op.profile, args, options.graph, artifacts);
    return std::visit([](auto& profile_args) { return prepare(std::move(profile_args)); }, typed);
}

}  // namespace forgehive::gateway
