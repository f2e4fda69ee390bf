// Unit tests for label -> id mapping: sorted ranks, independence from input order, lookups, errors.
#include "forgehive/kernels/graph/node_labels.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace forgehive::kernels::graph {
namespace {

using testing::ElementsAre;
using testing::HasSubstr;

std::vector<std::int64_t> flatten(const std::vector<Edge>& edges) {
    std::vector<std::int64_t> out;
    for (const Edge& e : edges) {
        out.push_back(e.source);
        out.push_back(e.target);
    }
    return out;
}

TEST(NodeLabels, IdsAreRanksInByteOrder) {
    const std::vector<LabelledEdge> edges{{"paris", "berlin", 2.0}, {"berlin", "Zurich", 1.0}, {"éclair", "paris", 1.0}};
    const std::vector<std::string> isolated{"athens", "paris"};
    const LabelledGraph g = index_labels(edges, isolated, 100);
    // Upper case sorts before lower case, and the UTF-8 bytes of é (0xC3 0xA9) after ASCII.
    EXPECT_THAT(g.labels, ElementsAre("Zurich", "athens", "berlin", "paris", "éclair"));
    EXPECT_THAT(flatten(g.edges), ElementsAre(3, 2, 2, 0, 4, 3));
    EXPECT_EQ(g.edges[0].weight, 2.0);
}

TEST(NodeLabels, MappingDependsOnTheLabelSetOnly) {
    const std::vector<LabelledEdge> a{{"c", "a"}, {"b", "c"}};
    const std::vector<LabelledEdge> b{{"b", "c"}, {"c", "a"}};
    EXPECT_EQ(index_labels(a, {}, 10).labels, index_labels(b, {}, 10).labels);
}

TEST(NodeLabels, FindLabel) {
    const std::vector<std::string> labels{"a", "b", "d"};
    EXPECT_EQ(find_label(labels, "b"), NodeId{1});
    EXPECT_EQ(find_label(labels, "c"), std::nullopt);
    EXPECT_EQ(find_label(labels, "z"), std::nullopt);
}

TEST(NodeLabels, RejectsEmptyLabelsAndTooManyNodes) {
    const std::vector<LabelledEdge> empty_target{{"a", "b"}, {"a", ""}};
    EXPECT_THAT([&] { index_labels(empty_target, {}, 10); },
                testing::ThrowsMessage<std::invalid_argument>(HasSubstr("edges[1].target: a node label must not be empty")));
    const std::vector<std::string> isolated{"x", ""};
    EXPECT_THAT([&] { index_labels({}, isolated, 10); },
                testing::ThrowsMessage<std::invalid_argument>(HasSubstr("isolated_nodes[1]")));
    const std::vector<LabelledEdge> three{{"a", "b"}, {"c", "a"}};
    EXPECT_THAT([&] { index_labels(three, {}, 2); },
                testing::ThrowsMessage<std::invalid_argument>(HasSubstr("3 distinct labels, above the limit max_nodes = 2")));
}

}  // namespace
}  // namespace forgehive::kernels::graph
