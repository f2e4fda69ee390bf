// Weak components by union-find (the smaller root wins, so a root is its component's smallest id);
// strong components by Tarjan's algorithm with an explicit stack (R. Tarjan, "Depth-first search and
// linear graph algorithms", SIAM J. Comput. 1(2), 1972).
#include "forgehive/kernels/graph/components.hpp"

#include <algorithm>
#include <cstdint>
#include <utility>

namespace forgehive::kernels::graph {
namespace {

NodeId find_root(std::vector<NodeId>& parent, NodeId v) {
    while (parent[v] != v) {
        parent[v] = parent[parent[v]];  // path halving
        v = parent[v];
    }
    return v;
}

std::vector<NodeId> weak_labels(const CsrGraph& graph) {
    std::vector<NodeId> parent(graph.node_count());
    for (NodeId v = 0; v < graph.node_count(); ++v) parent[v] = v;
    for (NodeId u = 0; u < graph.node_count(); ++u) {
        for (NodeId v : graph.neighbors(u)) {
            const NodeId a = find_root(parent, u);
            const NodeId b = find_root(parent, v);
            if (a < b) parent[b] = a;
            if (b < a) parent[a] = b;
        }
    }
    for (NodeId v = 0; v < graph.node_count(); ++v) parent[v] = find_root(parent, v);
    return parent;
}

// Iterative Tarjan. A frame is a node on the DFS path with the position of its next unexplored edge.
class TarjanScc {
public:
    explicit TarjanScc(const CsrGraph& graph)
        : graph_(graph),
          index_(graph.node_count(), kNoNode),
          low_(graph.node_count(), 0),
          on_stack_(graph.node_count(), 0),
          labels_(graph.node_count(), kNoNode) {}

    std::vector<NodeId> run() {
        for (NodeId s = 0; s < graph_.node_count(); ++s) {
            if (index_[s] == kNoNode) explore(s);
        }
        return std::move(labels_);
    }

private:
    struct Frame {
        NodeId node;
        std::uint64_t next_edge;
    };

    void open(NodeId v) {
        index_[v] = low_[v] = counter_++;
        stack_.push_back(v);
        on_stack_[v] = 1;
        path_.push_back(Frame{v, graph_.offsets()[v]});
    }

    void explore(NodeId start) {
        open(start);
        while (!path_.empty()) {
            const NodeId u = path_.back().node;
            if (path_.back().next_edge < graph_.offsets()[u + 1]) {
                const NodeId v = graph_.all_neighbors()[path_.back().next_edge++];
                if (index_[v] == kNoNode) {
                    open(v);
                } else if (on_stack_[v]) {
                    low_[u] = std::min(low_[u], index_[v]);
                }
                continue;
            }
            if (low_[u] == index_[u]) close_component(u);
            path_.pop_back();
            if (!path_.empty()) low_[path_.back().node] = std::min(low_[path_.back().node], low_[u]);
        }
    }

    // Pops u's component off the stack and labels it with its smallest id.
    void close_component(NodeId u) {
        const auto first = std::find(stack_.rbegin(), stack_.rend(), u).base() - 1;
        const NodeId label = *std::min_element(first, stack_.end());
        for (auto it = first; it != stack_.end(); ++it) {
            labels_[*it] = label;
            on_stack_[*it] = 0;
        }
        stack_.erase(first, stack_.end());
    }

    const CsrGraph& graph_;
    std::vector<NodeId> index_;
    std::vector<NodeId> low_;
    std::vector<char> on_stack_;
    std::vector<NodeId> labels_;
    std::vector<NodeId> stack_;
    std::vector<Frame> path_;
    NodeId counter_ = 0;
};

ComponentsResult summarise(std::vector<NodeId> labels) {
    ComponentsResult r;
    std::vector<std::size_t> size_of(labels.size(), 0);
    for (NodeId label : labels) ++size_of[label];
    for (NodeId v = 0; v < labels.size(); ++v) {
        if (labels[v] != v) continue;
        r.component_labels.push_back(v);
        r.sizes.push_back(size_of[v]);
    }
    r.count = r.component_labels.size();
    r.labels = std::move(labels);
    return r;
}

}  // namespace

ComponentsResult components(const CsrGraph& graph, bool strong) {
    return summarise(strong ? TarjanScc(graph).run() : weak_labels(graph));
}

}  // namespace forgehive::kernels::graph
