// graph args parsing: the node naming mode, inline or artifact edge lists, and each profile's options.
// Everything that names a field is checked here (with its JSON path or artifact line); the kernels'
// own checks stay as a second line of defence and are mapped to the same error shape.
#include "forgehive/api/graph_args.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "forgehive/core/api_error.hpp"
#include "forgehive/core/json_reader.hpp"
#include "forgehive/kernels/graph/node_labels.hpp"

namespace forgehive::api {
namespace {

namespace kg = kernels::graph;
using kg::NodeId;
using nlohmann::json;

[[noreturn]] void fail(std::string_view field, std::string_view rule) {
    throw core::ApiError("invalid_request", 400, fmt::format("field '{}' {}", field, rule));
}

// Where an edge came from, for error messages: inline item i, or line i (1-based) of an artifact.
struct EdgeSite {
    bool artifact = false;
    std::size_t index = 0;

    [[noreturn]] void fail_item(std::string_view rule) const {
        if (artifact) fail("args.edges", fmt::format("line {}: {}", index, rule));
        fail(fmt::format("args.edges[{}]", index), rule);
    }
    [[noreturn]] void fail_column(std::size_t column, std::string_view rule) const {
        if (artifact) fail("args.edges", fmt::format("line {} column {}: {}", index, column + 1, rule));
        fail(fmt::format("args.edges[{}][{}]", index, column), rule);
    }
};

// How the request names nodes: `nodes` as a count (integer ids), as a list of labels, or absent (labels,
// the node set being the edges' endpoints).
struct NodeSpec {
    std::size_t count = 0;                    // integer ids 0..count-1 when > 0
    std::vector<std::string> listed;          // sorted, unique labels of args.nodes
    bool integer_ids() const { return count > 0; }
};

std::size_t node_cap(const kg::GraphLimits& limits) { return std::min(limits.max_nodes, kg::kMaxNodeCapacity); }

void check_label_text(std::string_view label, const std::string& field) {
    if (label.empty()) fail(field, "must not be an empty node label");
    if (label.size() > kMaxGraphLabelBytes)
        fail(field, fmt::format("must be a node label of at most {} bytes", kMaxGraphLabelBytes));
}

NodeSpec read_nodes(core::JsonReader& args, const kg::GraphLimits& limits) {
    const json& nodes = args.raw("nodes");
    const std::size_t cap = node_cap(limits);
    NodeSpec spec;
    if (nodes.is_null()) return spec;
    if (nodes.is_array()) {
        if (nodes.size() > cap) fail("args.nodes", fmt::format("lists {} nodes; the limit is {}", nodes.size(), cap));
        spec.listed.reserve(nodes.size());
        for (std::size_t i = 0; i < nodes.size(); ++i) {
            const auto field = fmt::format("args.nodes[{}]", i);
            if (!nodes[i].is_string()) fail(field, "must be a node label (a string)");
            check_label_text(nodes[i].get_ref<const std::string&>(), field);
            spec.listed.push_back(nodes[i].get<std::string>());
        }
        std::sort(spec.listed.begin(), spec.listed.end());
        if (auto dup = std::adjacent_find(spec.listed.begin(), spec.listed.end()); dup != spec.listed.end())
            fail("args.nodes", "must not list a label twice");
        return spec;
    }
    if (!nodes.is_number()) fail("args.nodes", "must be a node count or a list of node labels");
    spec.count = static_cast<std::size_t>(args.integer("nodes", 1, static_cast<std::int64_t>(cap)));
    return spec;
}

// Collects the checked edges: ids directly, labels resolved against args.nodes when it lists them, else
// labelled edges numbered by index_labels once all are read.
class EdgeCollector {
public:
    EdgeCollector(const NodeSpec& nodes, std::string_view negative_weight_rule)
        : nodes_(nodes), negative_weight_rule_(negative_weight_rule) {}

    bool integer_ids() const { return nodes_.integer_ids(); }
    std::size_t node_count() const { return nodes_.count; }

    void reserve(std::size_t edges) {
        if (integer_ids() || !nodes_.listed.empty())
            edges_.reserve(edges);
        else
            labelled_.reserve(edges);
    }

    void check_weight(double w, const EdgeSite& site) const {
        if (!std::isfinite(w)) site.fail_column(2, "must be a finite number (the edge weight)");
        if (w < 0.0 && !negative_weight_rule_.empty()) site.fail_column(2, negative_weight_rule_);
    }

    [[noreturn]] void out_of_range(std::string_view id_text, std::size_t column, const EdgeSite& site) const {
        site.fail_column(column, fmt::format("node id {} is out of range [0, {})", id_text, nodes_.count));
    }

    void add_ids(std::int64_t u, std::int64_t v, double w, const EdgeSite& site) {
        check_weight(w, site);
        if (u < 0 || static_cast<std::uint64_t>(u) >= nodes_.count) out_of_range(std::to_string(u), 0, site);
        if (v < 0 || static_cast<std::uint64_t>(v) >= nodes_.count) out_of_range(std::to_string(v), 1, site);
        edges_.push_back(kg::Edge{u, v, w});
    }

    void add_labels(std::string_view u, std::string_view v, double w, const EdgeSite& site) {
        check_weight(w, site);
        if (nodes_.listed.empty()) {
            labelled_.push_back(kg::LabelledEdge{std::string(u), std::string(v), w});
            return;
        }
        edges_.push_back(kg::Edge{listed_id(u, 0, site), listed_id(v, 1, site), w});
    }

    GraphInput build(bool directed, const kg::GraphLimits& limits) && {
        GraphInput out;
        std::size_t count = nodes_.count;
        if (!integer_ids()) {
            if (nodes_.listed.empty()) index_endpoints(limits);
            out.labels = nodes_.listed.empty() ? std::move(indexed_labels_) : nodes_.listed;
            count = out.labels.size();
            if (count == 0) fail("args.nodes", "the graph is empty: give nodes or edges");
        }
        try {
            out.graph = std::make_shared<const kg::CsrGraph>(kg::build_graph(count, edges_, {directed, limits}));
        } catch (const std::invalid_argument& e) {
            throw_graph_kernel_error(e);
        }
        return out;
    }

private:
    std::int64_t listed_id(std::string_view label, std::size_t column, const EdgeSite& site) const {
        auto id = kg::find_label(nodes_.listed, label);
        if (!id) site.fail_column(column, "names a node label that args.nodes does not list");
        return static_cast<std::int64_t>(*id);
    }

    void index_endpoints(const kg::GraphLimits& limits) {
        try {
            auto indexed = kg::index_labels(labelled_, {}, node_cap(limits));
            labelled_ = {};
            edges_ = std::move(indexed.edges);
            indexed_labels_ = std::move(indexed.labels);
        } catch (const std::invalid_argument&) {
            fail("args.edges", fmt::format("names more than {} distinct nodes (the limit)", node_cap(limits)));
        }
    }

    const NodeSpec& nodes_;
    std::string negative_weight_rule_;  // empty: negative weights are allowed
    std::vector<kg::Edge> edges_;
    std::vector<kg::LabelledEdge> labelled_;
    std::vector<std::string> indexed_labels_;
};

// ---- inline edges: [[u, v], [u, v, w], ...]

std::int64_t json_id(const json& value, std::size_t column, const EdgeSite& site, const EdgeCollector& out) {
    if (value.is_number_unsigned()) {
        const auto id = value.get<std::uint64_t>();
        if (id > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            out.out_of_range(std::to_string(id), column, site);
        return static_cast<std::int64_t>(id);
    }
    if (value.is_number_integer()) return value.get<std::int64_t>();
    site.fail_column(column, "must be an integer node id (args.nodes is a count)");
}

std::string_view json_label(const json& value, std::size_t column, const EdgeSite& site) {
    if (!value.is_string()) site.fail_column(column, "must be a node label (a string), as args.nodes is not a count");
    const auto& label = value.get_ref<const std::string&>();
    if (label.empty() || label.size() > kMaxGraphLabelBytes)
        site.fail_column(column, fmt::format("must be a node label of 1 to {} bytes", kMaxGraphLabelBytes));
    return label;
}

void read_inline_edges(const json& edges, const kg::GraphLimits& limits, EdgeCollector& out) {
    if (edges.size() > limits.max_edges)
        fail("args.edges", fmt::format("has {} edges; the limit is {}", edges.size(), limits.max_edges));
    out.reserve(edges.size());
    for (std::size_t i = 0; i < edges.size(); ++i) {
        const EdgeSite site{false, i};
        const json& item = edges[i];
        if (!item.is_array() || (item.size() != 2 && item.size() != 3)) site.fail_item("must be [u, v] or [u, v, w]");
        double w = 1.0;
        if (item.size() == 3) {
            if (!item[2].is_number()) site.fail_column(2, "must be a finite number (the edge weight)");
            w = item[2].get<double>();
        }
        if (out.integer_ids())
            out.add_ids(json_id(item[0], 0, site, out), json_id(item[1], 1, site, out), w, site);
        else
            out.add_labels(json_label(item[0], 0, site), json_label(item[1], 1, site), w, site);
    }
}

// ---- edge-list artifacts: text/csv or text/tab-separated-values, one edge per line

char separator_of(const std::string& media_type) {
    std::string type = media_type.substr(0, media_type.find(';'));
    type.erase(type.find_last_not_of(' ') + 1);
    std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
    if (type == "text/csv") return ',';
    if (type == "text/tab-separated-values") return '\t';
    // Echoed only when it is short printable ASCII: error bodies must stay valid JSON text.
    const bool printable = media_type.size() <= 100 && std::all_of(media_type.begin(), media_type.end(), [](char c) {
        return c >= 0x20 && c < 0x7f;
    });
    fail("args.edges", fmt::format("names an artifact of media type '{}'; an edge list is text/csv or "
                                   "text/tab-separated-values",
                                   printable ? media_type : "(unprintable)"));
}

// Byte offset of the first byte that does not belong to well-formed UTF-8 (RFC 3629), or npos. Labels are
// echoed in outputs, which must be valid JSON text.
std::size_t invalid_utf8_at(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto lead = static_cast<unsigned char>(s[i]);
        if (lead < 0x80) {
            ++i;
            continue;
        }
        const std::size_t length = (lead & 0xE0) == 0xC0 ? 2 : (lead & 0xF0) == 0xE0 ? 3 : (lead & 0xF8) == 0xF0 ? 4 : 0;
        if (length == 0 || s.size() - i < length) return i;
        char32_t cp = lead & (0x7F >> length);
        for (std::size_t k = 1; k < length; ++k) {
            const auto c = static_cast<unsigned char>(s[i + k]);
            if ((c & 0xC0) != 0x80) return i;
            cp = (cp << 6) | (c & 0x3F);
        }
        const char32_t min = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000;
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
        i += length;
    }
    return std::string_view::npos;
}

struct Line {
    std::string_view text;
    std::size_t number = 0;  // 1-based
};

// Calls f(line) for each line that holds data: '#' comments and blank lines are skipped, a trailing CR
// (CRLF files) dropped. f returns false to stop early.
template <typename F>
void for_each_data_line(std::string_view text, F&& f) {
    std::size_t number = 0;
    std::size_t begin = 0;
    while (begin < text.size()) {
        std::size_t end = text.find('\n', begin);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(begin, end - begin);
        begin = end + 1;
        ++number;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.find_first_not_of(" \t") == std::string_view::npos || line.front() == '#') continue;
        if (!f(Line{line, number})) return;
    }
}

std::string_view trim(std::string_view field) {
    const auto first = field.find_first_not_of(' ');
    if (first == std::string_view::npos) return {};
    return field.substr(first, field.find_last_not_of(' ') - first + 1);
}

std::int64_t text_id(std::string_view field, std::size_t column, const EdgeSite& site, const EdgeCollector& out) {
    std::int64_t id = 0;
    const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), id);
    const bool whole = end == field.data() + field.size() && !field.empty();
    if (ec == std::errc::result_out_of_range && whole) out.out_of_range(field, column, site);
    if (ec != std::errc() || !whole) site.fail_column(column, "must be an integer node id (args.nodes is a count)");
    return id;
}

double text_weight(std::string_view field, const EdgeSite& site) {
    double w = 0.0;
    const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), w);
    if (ec != std::errc() || end != field.data() + field.size() || field.empty())
        site.fail_column(2, "must be a finite number (the edge weight)");
    return w;
}

void read_line(const Line& line, char separator, EdgeCollector& out) {
    const EdgeSite site{true, line.number};
    std::string_view fields[3];
    std::size_t count = 0;
    std::size_t begin = 0;
    while (true) {
        const std::size_t end = std::min(line.text.find(separator, begin), line.text.size());
        if (count == 3) site.fail_item("must have 2 or 3 fields (u, v and an optional weight)");
        fields[count++] = trim(line.text.substr(begin, end - begin));
        if (end == line.text.size()) break;
        begin = end + 1;
    }
    if (count < 2) site.fail_item("must have 2 or 3 fields (u, v and an optional weight)");
    const double w = count == 3 ? text_weight(fields[2], site) : 1.0;
    if (out.integer_ids()) {
        out.add_ids(text_id(fields[0], 0, site, out), text_id(fields[1], 1, site, out), w, site);
        return;
    }
    for (std::size_t c = 0; c < 2; ++c)
        if (fields[c].empty() || fields[c].size() > kMaxGraphLabelBytes)
            site.fail_column(c, fmt::format("must be a node label of 1 to {} bytes", kMaxGraphLabelBytes));
    out.add_labels(fields[0], fields[1], w, site);
}

void read_artifact_edges(const ArtifactContent& artifact, const kg::GraphLimits& limits, EdgeCollector& out) {
    const char separator = separator_of(artifact.media_type);
    const std::string_view text = artifact.bytes ? std::string_view(*artifact.bytes) : std::string_view();
    if (!out.integer_ids()) {
        if (auto at = invalid_utf8_at(text); at != std::string_view::npos)
            fail("args.edges", fmt::format("line {}: is not valid UTF-8 text",
                                           1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n')));
    }
    std::size_t edges = 0;
    for_each_data_line(text, [&](const Line&) { return ++edges <= limits.max_edges; });
    if (edges > limits.max_edges)
        fail("args.edges", fmt::format("names an artifact with more than {} edges (the limit)", limits.max_edges));
    out.reserve(edges);
    for_each_data_line(text, [&](const Line& line) {
        read_line(line, separator, out);
        return true;
    });
}

void read_edges(core::JsonReader& args, const kg::GraphLimits& limits, const ArtifactResolver& artifacts,
                EdgeCollector& out) {
    const json& edges = args.raw("edges");
    if (edges.is_array()) return read_inline_edges(edges, limits, out);
    if (edges.is_object()) {
        core::JsonReader ref(edges, "args.edges");
        const auto id = ref.string("artifact", 80);
        ref.finish();
        return read_artifact_edges(artifacts(id, "args.edges.artifact"), limits, out);
    }
    if (edges.is_null()) fail("args.edges", "is required (a list of [u, v] or [u, v, w], or {\"artifact\": id})");
    fail("args.edges", "must be a list of [u, v] or [u, v, w], or {\"artifact\": id}");
}

// ---- node references in the profile options

NodeId node_ref(const json& value, const std::string& field, const GraphInput& input) {
    const std::size_t n = input.graph->node_count();
    if (value.is_null()) fail(field, "is required");
    if (!input.labels.empty()) {
        if (!value.is_string()) fail(field, "must be a node label (a string)");
        auto id = kg::find_label(input.labels, value.get_ref<const std::string&>());
        if (!id) fail(field, "is not a node of the graph");
        return *id;
    }
    const auto rule = fmt::format("must be an integer node id in [0, {})", n);
    if (value.is_number_unsigned() && value.get<std::uint64_t>() < n) return static_cast<NodeId>(value.get<std::uint64_t>());
    if (value.is_number_integer() && value.get<std::int64_t>() >= 0 && static_cast<std::uint64_t>(value.get<std::int64_t>()) < n)
        return static_cast<NodeId>(value.get<std::int64_t>());
    fail(field, rule);
}

// An object key naming a node: a label, or a node id in decimal without sign or leading zeros.
NodeId key_ref(const std::string& key, const std::string& field, const GraphInput& input) {
    if (!input.labels.empty()) return node_ref(json(key), field, input);
    std::uint64_t id = 0;
    const auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), id);
    if (ec != std::errc() || end != key.data() + key.size() || key != std::to_string(id) || id >= input.graph->node_count())
        fail(field, fmt::format("must be named by a node id in [0, {}) written in decimal", input.graph->node_count()));
    return static_cast<NodeId>(id);
}

double personalization_weight(const json& value, const std::string& field) {
    if (!value.is_number() || !std::isfinite(value.get<double>()) || value.get<double>() < 0.0)
        fail(field, "must be a non-negative finite number");
    return value.get<double>();
}

// A list of one weight per node (integer ids), or an object {node: weight} where missing nodes weigh 0.
std::vector<double> read_personalization(const json& value, const GraphInput& input) {
    const std::size_t n = input.graph->node_count();
    if (value.is_array()) {
        if (!input.labels.empty()) fail("args.personalization", "must be an object {label: weight} when nodes are labels");
        if (value.size() != n)
            fail("args.personalization", fmt::format("must hold one weight per node ({}); it holds {}", n, value.size()));
        std::vector<double> out(n);
        for (std::size_t v = 0; v < n; ++v) out[v] = personalization_weight(value[v], fmt::format("args.personalization[{}]", v));
        return out;
    }
    if (!value.is_object()) fail("args.personalization", "must be an object {node: weight} or a list of one weight per node");
    if (value.size() > n) fail("args.personalization", fmt::format("names more than the {} nodes", n));
    std::vector<double> out(n, 0.0);
    for (const auto& [key, weight] : value.items()) {
        const auto field = fmt::format("args.personalization.{}", key);
        out[key_ref(key, field, input)] = personalization_weight(weight, field);
    }
    return out;
}

// ---- profiles

GraphInput read_graph(core::JsonReader& args, const NodeSpec& nodes, std::string_view negative_weight_rule,
                      const kg::GraphLimits& limits, const ArtifactResolver& artifacts) {
    const bool directed = args.optional_boolean("directed").value_or(true);
    EdgeCollector collector(nodes, negative_weight_rule);
    read_edges(args, limits, artifacts, collector);
    return std::move(collector).build(directed, limits);
}

PageRankArgs parse_pagerank(core::JsonReader& args, const kg::GraphLimits& limits, const ArtifactResolver& artifacts) {
    PageRankArgs out;
    auto& o = out.options;
    o.damping = args.optional_number("damping", 0.0, 1.0).value_or(o.damping);
    if (!(o.damping > 0.0 && o.damping < 1.0)) args.fail("damping", "must be a number strictly between 0 and 1");
    o.tolerance = args.optional_number("tolerance", 0.0, std::numeric_limits<double>::max()).value_or(o.tolerance);
    if (!(o.tolerance > 0.0)) args.fail("tolerance", "must be a positive number");
    o.max_iterations = static_cast<std::uint32_t>(
        args.optional_integer("max_iterations", 1, kg::kMaxPageRankIterations).value_or(o.max_iterations));
    o.weighted = args.optional_boolean("weighted").value_or(false);
    const auto top_k = args.optional_integer("top_k", 1, static_cast<std::int64_t>(node_cap(limits)));
    const NodeSpec nodes = read_nodes(args, limits);
    out.input = read_graph(args, nodes, o.weighted ? "must not be negative: weighted PageRank needs non-negative weights" : "",
                           limits, artifacts);
    out.top_k = static_cast<std::size_t>(top_k.value_or(kDefaultPageRankTopK));
    if (const json& p = args.raw("personalization"); !p.is_null()) o.personalization = read_personalization(p, out.input);
    return out;
}

SsspArgs parse_sssp(core::JsonReader& args, const kg::GraphLimits& limits, const ArtifactResolver& artifacts) {
    SsspArgs out;
    const NodeSpec nodes = read_nodes(args, limits);
    out.input = read_graph(args, nodes, "must not be negative: shortest paths need non-negative weights", limits, artifacts);
    const std::size_t n = out.input.graph->node_count();
    out.source = node_ref(args.raw("source"), "args.source", out.input);
    const json& targets = args.raw("targets");
    const auto k = args.optional_integer("k", 1, static_cast<std::int64_t>(n));
    if (!targets.is_null() && k) args.fail("k", "cannot be combined with args.targets (give one of them)");
    if (k) out.options.k_nearest = static_cast<std::size_t>(*k);
    if (targets.is_null()) return out;
    if (!targets.is_array() || targets.empty() || targets.size() > n)
        args.fail("targets", fmt::format("must be a list of 1 to {} nodes", n));
    for (std::size_t i = 0; i < targets.size(); ++i)
        out.options.targets.push_back(node_ref(targets[i], fmt::format("args.targets[{}]", i), out.input));
    return out;
}

BfsArgs parse_bfs(core::JsonReader& args, const kg::GraphLimits& limits, const ArtifactResolver& artifacts) {
    BfsArgs out;
    out.depth_limit = args.optional_integer("depth_limit", 0, std::numeric_limits<std::int64_t>::max());
    const NodeSpec nodes = read_nodes(args, limits);
    out.input = read_graph(args, nodes, "", limits, artifacts);
    out.source = node_ref(args.raw("source"), "args.source", out.input);
    return out;
}

ComponentsArgs parse_components(core::JsonReader& args, const kg::GraphLimits& limits, const ArtifactResolver& artifacts) {
    ComponentsArgs out;
    out.strong = args.optional_boolean("strong").value_or(false);
    const NodeSpec nodes = read_nodes(args, limits);
    out.input = read_graph(args, nodes, "", limits, artifacts);
    return out;
}

}  // namespace

void throw_graph_kernel_error(const std::invalid_argument& error) {
    const std::string_view message = error.what();
    const auto colon = message.find(": ");
    if (colon == std::string_view::npos) fail("args", message);
    fail(fmt::format("args.{}", message.substr(0, colon)), message.substr(colon + 2));
}

GraphProfileArgs parse_graph_args(const std::string& profile, const nlohmann::json& json_args,
                                  const kernels::graph::GraphLimits& limits, const ArtifactResolver& artifacts) {
    core::JsonReader args(json_args, "args");
    GraphProfileArgs out;
    if (profile == "pagerank.v1") {
        out = parse_pagerank(args, limits, artifacts);
    } else if (profile == "sssp.v1") {
        out = parse_sssp(args, limits, artifacts);
    } else if (profile == "bfs.v1") {
        out = parse_bfs(args, limits, artifacts);
    } else if (profile == "components.v1") {
        out = parse_components(args, limits, artifacts);
    } else {
        throw core::ApiError("invalid_request", 400,
                             "field 'op.profile' must be one of: pagerank.v1, sssp.v1, bfs.v1, components.v1 "
                             "for op.name graph");
    }
    args.finish();
    return out;
}

}  // namespace forgehive::api
