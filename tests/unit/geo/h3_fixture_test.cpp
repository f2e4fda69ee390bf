// H3 cell centres, boundaries and parents against h3-js (tests/fixtures/geo/h3_cells.json, made by
// make_h3_fixtures.mjs): every base cell and pentagon, cells on icosahedron edges, poles, antimeridian.
#include "forgehive/geo/h3.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <numbers>
#include <string>

namespace forgehive::geo {
namespace {

// Degrees; 1e-9 degrees is about 0.1 mm on the ground. The algorithms follow the reference step by
// step, so what is left is rounding in the two libm's trigonometric functions (glibc here, musl in
// h3-js's WebAssembly): differences are ~1e-13 degrees.
constexpr double kTolerance = 1e-9;
constexpr double kDegrees = 180.0 / std::numbers::pi;

// Latitude is asin(z) of a unit vector, so within ~1e-4 degrees of a pole one ulp of z (2^-53)
// moves it by 2^-53 / cos(lat) radians, more than kTolerance. The bound allows two ulps there.
double tolerance_at(double lat_deg) {
    return kTolerance + kDegrees * std::ldexp(1.0, -52) / std::cos(lat_deg / kDegrees);
}

const nlohmann::json& fixtures() {
    static const nlohmann::json data = [] {
        std::ifstream in(std::string(FORGEHIVE_TEST_SOURCE_DIR) + "/tests/fixtures/geo/h3_cells.json");
        return nlohmann::json::parse(in);
    }();
    return data;
}

// Angular difference in degrees, east-west scaled by cos(latitude) so that a longitude that is
// arbitrary at a pole, or +-180 at the antimeridian, does not count.
double distance_deg(LatLng a, const nlohmann::json& expected) {
    const double lat = expected[0].get<double>();
    const double lng = expected[1].get<double>();
    const double dlng = std::remainder(a.lng - lng, 360.0) * std::cos(lat / kDegrees);
    return std::max(std::fabs(a.lat - lat), std::fabs(dlng));
}

// The largest difference seen, and the largest away from the poles' ill-conditioned caps.
struct Worst {
    double anywhere = 0.0;
    double off_pole = 0.0;
    void add(double error, double lat) {
        anywhere = std::max(anywhere, error);
        if (std::fabs(lat) < 89.99) off_pole = std::max(off_pole, error);
    }
};

TEST(H3Fixtures, CoverTheGrid) {
    const auto& cells = fixtures().at("cells");
    EXPECT_GE(cells.size(), 700u);
    int pentagons = 0;
    for (const auto& c : cells) pentagons += c.at("pentagon").get<bool>() ? 1 : 0;
    EXPECT_EQ(pentagons, 12 * 16);
}

TEST(H3Fixtures, CentresMatchH3js) {
    Worst worst;
    for (const auto& c : fixtures().at("cells")) {
        const std::string text = c.at("cell");
        const std::uint64_t cell = parse_h3_cell(text);
        EXPECT_EQ(h3_resolution(cell), c.at("res").get<int>()) << text;
        EXPECT_EQ(format_h3_cell(cell), text);
        const LatLng centre = cell_to_latlng(cell);
        const double error = distance_deg(centre, c.at("center"));
        EXPECT_LT(error, tolerance_at(centre.lat)) << text << " (" << c.at("why").get<std::string>() << ")";
        worst.add(error, centre.lat);
    }
    std::cout << "centres, largest difference from h3-js: " << worst.off_pole << " degrees (" << worst.anywhere
              << " within 0.01 degrees of a pole)\n";
}

TEST(H3Fixtures, BoundariesMatchH3js) {
    Worst worst;
    for (const auto& c : fixtures().at("cells")) {
        const std::string text = c.at("cell");
        const auto boundary = cell_boundary(parse_h3_cell(text));
        const auto& expected = c.at("boundary");
        ASSERT_EQ(boundary.size(), expected.size()) << text << " (" << c.at("why").get<std::string>() << ")";
        for (std::size_t v = 0; v < boundary.size(); ++v) {
            const double error = distance_deg(boundary[v], expected[v]);
            EXPECT_LT(error, tolerance_at(boundary[v].lat)) << text << " vertex " << v;
            worst.add(error, boundary[v].lat);
        }
    }
    std::cout << "boundary vertices, largest difference from h3-js: " << worst.off_pole << " degrees ("
              << worst.anywhere << " within 0.01 degrees of a pole)\n";
}

TEST(H3Fixtures, DistortionVerticesAppearOnIcosahedronEdges) {
    int with_extra = 0;
    for (const auto& c : fixtures().at("cells")) {
        const auto n = cell_boundary(parse_h3_cell(c.at("cell").get<std::string>())).size();
        if (n > (c.at("pentagon").get<bool>() ? 5u : 6u)) ++with_extra;
    }
    EXPECT_GT(with_extra, 100);
}

TEST(H3Fixtures, ParentsMatchH3js) {
    for (const auto& c : fixtures().at("cells")) {
        const std::uint64_t cell = parse_h3_cell(c.at("cell").get<std::string>());
        const std::uint64_t parent = parse_h3_cell(c.at("parent").get<std::string>());
        EXPECT_EQ(cell_to_parent(cell, h3_resolution(parent)), parent) << c.at("cell");
        EXPECT_TRUE(cell_contains(parent, cell));
    }
}

TEST(H3Fixtures, InvalidIndexesNameTheirRule) {
    for (const auto& bad : fixtures().at("invalid")) {
        const std::string text = bad.at("cell");
        const std::string why = bad.at("why");
        try {
            parse_h3_cell(text);
            ADD_FAILURE() << text << " was accepted";
        } catch (const H3Error& e) {
            EXPECT_NE(std::string(e.what()).find(why), std::string::npos) << text << ": " << e.what();
        }
    }
}

TEST(H3Fixtures, RomeAndPalermo) {
    const LatLng rome = cell_to_latlng(parse_h3_cell("871e8052affffff"));
    EXPECT_NEAR(rome.lat, 41.9, 0.05);
    EXPECT_NEAR(rome.lng, 12.5, 0.05);
    const LatLng palermo = cell_to_latlng(parse_h3_cell("871e9a0ecffffff"));
    EXPECT_NEAR(palermo.lat, 38.1, 0.05);
    EXPECT_NEAR(palermo.lng, 13.35, 0.05);
}

}  // namespace
}  // namespace forgehive::geo
