// graph Workloads. PageRank: each round is one sweep, each unit a fixed vertex block whose partial holds
// the block's new scores and the exact FixedSum shares of the global sums, so the merged round is the
// same bits whatever the grouping. The other profiles run as one unit: their kernels are sequential.
#include "forgehive/hub/graph_workload.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <mutex>
#include <span>
#include <stdexcept>
#include <string_view>
#include <type_traits>
#include <utility>

#include "forgehive/crypto/hash.hpp"
#include "forgehive/kernels/graph/bfs.hpp"
#include "forgehive/kernels/graph/components.hpp"

namespace forgehive::hub {
namespace {

namespace kg = kernels::graph;
using nlohmann::ordered_json;

// SHA-256 of the values' little-endian bytes: a shard hash covers megabytes of results in 64 hex digits.
template <typename T>
std::string values_sha256(std::span<const T> values) {
    static_assert(std::endian::native == std::endian::little, "hashes are defined over little-endian bytes");
    static_assert(std::is_arithmetic_v<T>);
    return crypto::sha256_hex(std::string_view(reinterpret_cast<const char*>(values.data()), values.size_bytes()));
}

template <typename T>
std::string values_sha256(const std::vector<T>& values) {
    return values_sha256(std::span<const T>(values));
}

// The exact state of a FixedSum as hex. FixedSum has no accessor for its two 64-bit words, but it is
// trivially copyable and holds nothing else, so its object representation is exactly that state.
std::string fixed_sum_hex(const kg::FixedSum& sum) {
    static_assert(std::is_trivially_copyable_v<kg::FixedSum> && sizeof(kg::FixedSum) == 16);
    const auto words = std::bit_cast<std::array<std::uint64_t, 2>>(sum);
    return fmt::format("{:016x}{:016x}", words[0], words[1]);
}

ordered_json node_json(const std::vector<std::string>& labels, kg::NodeId v) {
    return labels.empty() ? ordered_json(v) : ordered_json(labels[v]);
}

std::string node_key(const std::vector<std::string>& labels, kg::NodeId v) {
    return labels.empty() ? std::to_string(v) : labels[v];
}

// ---- PageRank

// Full-size iterates for sweep_range to write into (it indexes `next` by vertex id). One per concurrent
// run, reused across runs and rounds, so a run allocates only the copy of its own block range.
class ScratchPool {
public:
    explicit ScratchPool(std::size_t node_count) : node_count_(node_count) {}

    std::unique_ptr<kg::PageRankIterate> take() {
        {
            std::lock_guard lock(mutex_);
            if (!free_.empty()) {
                auto scratch = std::move(free_.back());
                free_.pop_back();
                return scratch;
            }
        }
        return std::make_unique<kg::PageRankIterate>(
            kg::PageRankIterate{std::vector<double>(node_count_), std::vector<double>(node_count_), 0.0});
    }

    void give(std::unique_ptr<kg::PageRankIterate> scratch) {
        std::lock_guard lock(mutex_);
        free_.push_back(std::move(scratch));
    }

private:
    std::size_t node_count_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<kg::PageRankIterate>> free_;
};

// What every round and partial of one PageRank job shares.
struct PageRankContext {
    PageRankContext(kg::PageRankProblem problem_, std::vector<std::string> labels_, std::size_t top_k_)
        : problem(std::move(problem_)),
          labels(std::move(labels_)),
          top_k(top_k_),
          units((node_count() + kPageRankUnitNodes - 1) / kPageRankUnitNodes),
          scratch(node_count()) {}

    kg::PageRankProblem problem;
    std::vector<std::string> labels;
    std::size_t top_k;
    std::uint64_t units;
    mutable ScratchPool scratch;

    std::size_t node_count() const { return problem.out_scale.size(); }
};

class PageRankPartial final : public PartialResult {
public:
    PageRankPartial(std::shared_ptr<const PageRankContext> context, std::uint32_t sweep, kg::NodeId first,
                    std::vector<double> scores, std::vector<double> contributions, kg::SweepPartial sums)
        : context_(std::move(context)),
          sweep_(sweep),
          first_(first),
          scores_(std::move(scores)),
          contributions_(std::move(contributions)),
          sums_(sums) {}

    void merge(const PartialResult& next) override {
        const auto& other = dynamic_cast<const PageRankPartial&>(next);
        if (other.sweep_ != sweep_ || other.first_ != first_ + scores_.size())
            throw std::logic_error("pagerank partials must merge in vertex order within one sweep");
        scores_.insert(scores_.end(), other.scores_.begin(), other.scores_.end());
        contributions_.insert(contributions_.end(), other.contributions_.begin(), other.contributions_.end());
        sums_.change += other.sums_.change;
        sums_.dangling_mass += other.sums_.dangling_mass;
    }

    nlohmann::json canonical() const override {
        return {{"sweep", sweep_},
                {"first_node", first_},
                {"nodes", scores_.size()},
                {"scores_sha256", values_sha256(scores_)},
                {"contributions_sha256", values_sha256(contributions_)},
                {"change", fixed_sum_hex(sums_.change)},
                {"dangling_mass", fixed_sum_hex(sums_.dangling_mass)}};
    }

    nlohmann::ordered_json output() const override {
        check_complete();
        ordered_json top = ordered_json::array();
        for (kg::NodeId v : kg::top_nodes(scores_, context_->top_k))
            top.push_back({{"node", node_json(context_->labels, v)}, {"score", scores_[v]}});
        return {{"top", std::move(top)},
                {"iterations", sweep_},
                {"residual", residual()},
                {"converged", converged()}};
    }

    void check_complete() const {
        if (first_ != 0 || scores_.size() != context_->node_count())
            throw std::logic_error("a pagerank sweep is complete only once every vertex block is merged");
    }

    double residual() const { return sums_.change.value(); }
    bool converged() const { return residual() < context_->problem.tolerance; }
    std::uint32_t sweep() const { return sweep_; }

    // x_t for the next sweep: the scores, what each vertex sends per unit edge, and the exact dangling mass.
    kg::PageRankIterate iterate() const { return kg::PageRankIterate{scores_, contributions_, sums_.dangling_mass.value()}; }

private:
    std::shared_ptr<const PageRankContext> context_;
    std::uint32_t sweep_;  // 1-based: the sweep that computed these scores
    kg::NodeId first_;
    std::vector<double> scores_;
    std::vector<double> contributions_;
    kg::SweepPartial sums_;
};

class PageRankRound final : public Workload {
public:
    PageRankRound(std::shared_ptr<const PageRankContext> context, std::shared_ptr<const kg::PageRankIterate> previous,
                  std::uint32_t sweep)
        : context_(std::move(context)), previous_(std::move(previous)), sweep_(sweep) {}

    std::uint64_t unit_count() const override { return context_->units; }
    std::uint64_t unit_size() const override { return kPageRankUnitNodes; }

    // Vertices plus in-edges read: summed over a sweep's units, nodes + stored edges.
    std::uint64_t work_in(std::uint64_t first_unit, std::uint64_t count) const override {
        const kg::VertexRange range = vertex_range(first_unit, count);
        const auto& offsets = context_->problem.in_edges.offsets();
        return range.count + (offsets[range.first + range.count] - offsets[range.first]);
    }

    std::unique_ptr<PartialResult> run(std::uint64_t first_unit, std::uint64_t count) const override {
        const kg::VertexRange range = vertex_range(first_unit, count);
        auto next = context_->scratch.take();
        const kg::SweepPartial sums = kg::sweep_range(context_->problem, *previous_, range, *next);
        const auto begin = static_cast<std::ptrdiff_t>(range.first);
        const auto end = begin + static_cast<std::ptrdiff_t>(range.count);
        std::vector<double> scores(next->scores.begin() + begin, next->scores.begin() + end);
        std::vector<double> contributions(next->contributions.begin() + begin, next->contributions.begin() + end);
        context_->scratch.give(std::move(next));
        return std::make_unique<PageRankPartial>(context_, sweep_, range.first, std::move(scores),
                                                 std::move(contributions), sums);
    }

    std::map<std::string, std::string> kernel_versions() const override {
        return {{"graph", "pagerank.v1/csr-sweep-4096/fixedsum110/k1"}};
    }

    std::shared_ptr<const Workload> next_round(const PartialResult& merged) const override {
        const auto& sweep = dynamic_cast<const PageRankPartial&>(merged);
        sweep.check_complete();
        if (sweep.converged() || sweep_ >= context_->problem.max_iterations) return nullptr;
        return std::make_shared<PageRankRound>(context_, std::make_shared<const kg::PageRankIterate>(sweep.iterate()),
                                               sweep_ + 1);
    }

private:
    kg::VertexRange vertex_range(std::uint64_t first_unit, std::uint64_t count) const {
        if (count == 0 || first_unit >= context_->units || count > context_->units - first_unit)
            throw std::out_of_range(fmt::format("units [{}, {}) are outside the {} pagerank units", first_unit,
                                                first_unit + count, context_->units));
        const std::uint64_t first = first_unit * kPageRankUnitNodes;
        const std::uint64_t end = std::min<std::uint64_t>((first_unit + count) * kPageRankUnitNodes, context_->node_count());
        return kg::VertexRange{static_cast<kg::NodeId>(first), static_cast<kg::NodeId>(end - first)};
    }

    std::shared_ptr<const PageRankContext> context_;
    std::shared_ptr<const kg::PageRankIterate> previous_;
    std::uint32_t sweep_;  // 1-based number of the sweep this round computes
};

// ---- one-unit profiles

// Base of a partial that is the whole result: with one unit there is never a next range to merge.
class WholePartial : public PartialResult {
public:
    void merge(const PartialResult&) override {
        throw std::logic_error("a one-unit graph workload has nothing to merge");
    }
};

// Base of a workload of one unit holding the whole graph computation.
class OneUnitWorkload : public Workload {
public:
    explicit OneUnitWorkload(GraphNodes nodes) : nodes_(std::make_shared<const GraphNodes>(std::move(nodes))) {}

    std::uint64_t unit_count() const override { return 1; }
    std::uint64_t unit_size() const override { return nodes_->graph->node_count(); }
    std::uint64_t work_in(std::uint64_t first_unit, std::uint64_t count) const override {
        return first_unit == 0 && count == 1 ? nodes_->graph->node_count() + nodes_->graph->stored_edge_count() : 0;
    }
    std::unique_ptr<PartialResult> run(std::uint64_t first_unit, std::uint64_t count) const override {
        if (first_unit != 0 || count != 1)
            throw std::out_of_range(fmt::format("units [{}, {}) are outside the 1 unit", first_unit, first_unit + count));
        return compute();
    }

protected:
    virtual std::unique_ptr<PartialResult> compute() const = 0;
    // Shared with the partials, which render node names after the workload may be gone.
    const std::shared_ptr<const GraphNodes>& nodes() const { return nodes_; }
    const kg::CsrGraph& graph() const { return *nodes_->graph; }

private:
    std::shared_ptr<const GraphNodes> nodes_;
};

class SsspPartial final : public WholePartial {
public:
    SsspPartial(std::shared_ptr<const GraphNodes> nodes, kg::NodeId source, const kg::SsspOptions& options, kg::SsspResult result)
        : nodes_(std::move(nodes)), source_(source), options_(options), result_(std::move(result)) {}

    nlohmann::json canonical() const override {
        return {{"settled", result_.settled.size()},
                {"distances_sha256", values_sha256(result_.distances)},
                {"predecessors_sha256", values_sha256(result_.predecessors)},
                {"settled_sha256", values_sha256(result_.settled)}};
    }

    // targets: those nodes (null when unreachable); k: the k nearest; neither: every reachable node.
    nlohmann::ordered_json output() const override {
        const bool all = options_.targets.empty() && !options_.k_nearest;
        const auto& listed = options_.targets.empty() ? result_.settled : options_.targets;
        ordered_json distances = ordered_json::object();
        for (kg::NodeId v : listed) {
            const double d = result_.distances[v];
            distances[node_key(nodes_->labels, v)] = std::isfinite(d) ? ordered_json(d) : ordered_json(nullptr);
        }
        ordered_json out = {{"source", node_json(nodes_->labels, source_)}, {"distances", std::move(distances)}};
        if (!all) out["paths"] = paths(listed);
        return out;
    }

private:
    ordered_json paths(const std::vector<kg::NodeId>& listed) const {
        ordered_json out = ordered_json::object();
        std::size_t total = 0;
        for (kg::NodeId v : listed) {
            const auto path = kg::shortest_path(result_, v);
            total += path.size();
            if (total > kMaxPathNodes) return nullptr;
            if (path.empty()) {
                out[node_key(nodes_->labels, v)] = nullptr;
                continue;
            }
            ordered_json hops = ordered_json::array();
            for (kg::NodeId u : path) hops.push_back(node_json(nodes_->labels, u));
            out[node_key(nodes_->labels, v)] = std::move(hops);
        }
        return out;
    }

    std::shared_ptr<const GraphNodes> nodes_;
    kg::NodeId source_;
    kg::SsspOptions options_;
    kg::SsspResult result_;
};

class SsspWorkload final : public OneUnitWorkload {
public:
    SsspWorkload(GraphNodes nodes, kg::NodeId source, kg::SsspOptions options)
        : OneUnitWorkload(std::move(nodes)), source_(source), options_(std::move(options)) {}

    std::map<std::string, std::string> kernel_versions() const override {
        return {{"graph", "sssp.v1/dijkstra-binary-heap/k1"}};
    }

protected:
    std::unique_ptr<PartialResult> compute() const override {
        return std::make_unique<SsspPartial>(nodes(), source_, options_, kg::sssp(graph(), source_, options_));
    }

private:
    kg::NodeId source_;
    kg::SsspOptions options_;
};

class BfsPartial final : public WholePartial {
public:
    BfsPartial(std::shared_ptr<const GraphNodes> nodes, kg::BfsResult result) : nodes_(std::move(nodes)), result_(std::move(result)) {}

    nlohmann::json canonical() const override {
        return {{"reached", result_.order.size()},
                {"levels_sha256", values_sha256(result_.levels)},
                {"order_sha256", values_sha256(result_.order)}};
    }

    // Reached nodes in visit order, so levels appear non-decreasing.
    nlohmann::ordered_json output() const override {
        ordered_json levels = ordered_json::object();
        for (kg::NodeId v : result_.order) levels[node_key(nodes_->labels, v)] = result_.levels[v];
        return {{"levels", std::move(levels)},
                {"reached", result_.order.size()},
                {"max_level", result_.levels[result_.order.back()]}};
    }

private:
    std::shared_ptr<const GraphNodes> nodes_;
    kg::BfsResult result_;
};

class BfsWorkload final : public OneUnitWorkload {
public:
    BfsWorkload(GraphNodes nodes, kg::NodeId source, std::optional<std::int64_t> depth_limit)
        : OneUnitWorkload(std::move(nodes)), source_(source), depth_limit_(depth_limit) {}

    std::map<std::string, std::string> kernel_versions() const override { return {{"graph", "bfs.v1/queue/k1"}}; }

protected:
    std::unique_ptr<PartialResult> compute() const override {
        return std::make_unique<BfsPartial>(nodes(), kg::bfs(graph(), source_, depth_limit_));
    }

private:
    kg::NodeId source_;
    std::optional<std::int64_t> depth_limit_;
};

class ComponentsPartial final : public WholePartial {
public:
    ComponentsPartial(std::shared_ptr<const GraphNodes> nodes, kg::ComponentsResult result) : nodes_(std::move(nodes)), result_(std::move(result)) {}

    nlohmann::json canonical() const override {
        const std::vector<std::uint64_t> sizes(result_.sizes.begin(), result_.sizes.end());
        return {{"count", result_.count},
                {"labels_sha256", values_sha256(result_.labels)},
                {"sizes_sha256", values_sha256(sizes)}};
    }

    // sizes: {component label: size} by ascending label; labels: per node, a list indexed by id (integer
    // ids) or an object {node: component label} (labels).
    nlohmann::ordered_json output() const override {
        ordered_json sizes = ordered_json::object();
        for (std::size_t i = 0; i < result_.component_labels.size(); ++i)
            sizes[node_key(nodes_->labels, result_.component_labels[i])] = result_.sizes[i];
        ordered_json labels = nodes_->labels.empty() ? ordered_json(result_.labels) : ordered_json::object();
        if (!nodes_->labels.empty())
            for (kg::NodeId v = 0; v < result_.labels.size(); ++v) labels[nodes_->labels[v]] = nodes_->labels[result_.labels[v]];
        return {{"count", result_.count}, {"sizes", std::move(sizes)}, {"labels", std::move(labels)}};
    }

private:
    std::shared_ptr<const GraphNodes> nodes_;
    kg::ComponentsResult result_;
};

class ComponentsWorkload final : public OneUnitWorkload {
public:
    ComponentsWorkload(GraphNodes nodes, bool strong) : OneUnitWorkload(std::move(nodes)), strong_(strong) {}

    std::map<std::string, std::string> kernel_versions() const override {
        return {{"graph", strong_ ? "components.v1/strong-tarjan/k1" : "components.v1/weak-union-find/k1"}};
    }

protected:
    std::unique_ptr<PartialResult> compute() const override {
        return std::make_unique<ComponentsPartial>(nodes(), kg::components(graph(), strong_));
    }

private:
    bool strong_;
};

}  // namespace

std::unique_ptr<Workload> make_pagerank_workload(GraphNodes nodes, kernels::graph::PageRankOptions options,
                                                 std::size_t top_k) {
    auto problem = kg::make_pagerank_problem(*nodes.graph, options);
    nodes.graph.reset();  // the sweeps read the transposed problem only
    auto context = std::make_shared<const PageRankContext>(std::move(problem), std::move(nodes.labels), top_k);
    auto first = std::make_shared<const kg::PageRankIterate>(kg::initial_iterate(context->problem));
    return std::make_unique<PageRankRound>(std::move(context), std::move(first), 1);
}

std::unique_ptr<Workload> make_sssp_workload(GraphNodes nodes, kernels::graph::NodeId source,
                                             kernels::graph::SsspOptions options) {
    return std::make_unique<SsspWorkload>(std::move(nodes), source, std::move(options));
}

std::unique_ptr<Workload> make_bfs_workload(GraphNodes nodes, kernels::graph::NodeId source,
                                            std::optional<std::int64_t> depth_limit) {
    return std::make_unique<BfsWorkload>(std::move(nodes), source, depth_limit);
}

std::unique_ptr<Workload> make_components_workload(GraphNodes nodes, bool strong) {
    return std::make_unique<ComponentsWorkload>(std::move(nodes), strong);
}

}  // namespace forgehive::hub
