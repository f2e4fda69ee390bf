// CountryIndex over the bundled borders (data/borders/countries.geojson): enclaves, named places,
// and agreement with country-coder's iso1A2Code() at the points of country_points.json; load errors.
#include "forgehive/geo/country_index.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <string>

#include "support/temp_dir.hpp"

namespace forgehive::geo {
namespace {

const std::string kSourceDir = FORGEHIVE_TEST_SOURCE_DIR;

const CountryIndex& borders() {
    static const CountryIndex index = CountryIndex::load(kSourceDir + "/data/borders/countries.geojson");
    return index;
}

std::string at(double lat, double lng) { return borders().country_at({lat, lng}).value_or("none"); }

TEST(CountryIndex, LoadsEveryCountryOnce) { EXPECT_EQ(borders().size(), 199u); }

TEST(CountryIndex, EnclavesAnswerForThemselves) {
    EXPECT_EQ(at(41.9022, 12.4568), "VA");  // St Peter's Square
    EXPECT_EQ(at(41.9039, 12.4520), "VA");  // Vatican gardens
    EXPECT_EQ(at(43.9356, 12.4473), "SM");
    EXPECT_EQ(at(-29.31, 27.48), "LS");  // Maseru: Lesotho lies inside South Africa
    EXPECT_EQ(at(-29.61, 28.2336), "LS");
    EXPECT_EQ(at(-26.2041, 28.0473), "ZA");
    EXPECT_EQ(at(43.7384, 7.4246), "MC");
    EXPECT_EQ(at(47.141, 9.5209), "LI");
}

TEST(CountryIndex, NamedPlaces) {
    EXPECT_EQ(at(41.8902, 12.4922), "IT");  // Rome, Colosseum
    EXPECT_EQ(at(38.1157, 13.3615), "IT");  // Palermo
    EXPECT_EQ(at(48.8566, 2.3522), "FR");
    EXPECT_EQ(at(52.52, 13.405), "DE");
    EXPECT_EQ(at(38.9072, -77.0369), "US");
    EXPECT_EQ(at(-16.5, -179.9), "FJ");  // across the antimeridian
    EXPECT_EQ(at(66.0, -175.0), "RU");
}

TEST(CountryIndex, OpenOceanIsNoCountry) {
    EXPECT_FALSE(borders().country_at({30.0, -30.0}));
    EXPECT_FALSE(borders().country_at({-40.0, -120.0}));
    EXPECT_FALSE(borders().country_at({-30.0, 80.0}));  // Indian Ocean
}

TEST(CountryIndex, H3CellsOfRomeAndPalermo) {
    EXPECT_EQ(borders().country_at(cell_to_latlng(parse_h3_cell("871e8052affffff"))), "IT");
    EXPECT_EQ(borders().country_at(cell_to_latlng(parse_h3_cell("871e9a0ecffffff"))), "IT");
}

TEST(CountryIndex, AgreesWithCountryCoder) {
    std::ifstream in(kSourceDir + "/tests/fixtures/geo/country_points.json");
    const auto points = nlohmann::json::parse(in).at("points");
    ASSERT_GE(points.size(), 1000u);
    int land = 0;
    for (const auto& p : points) {
        const auto& expected = p.at("country");
        const auto got = borders().country_at({p.at("lat").get<double>(), p.at("lng").get<double>()});
        if (expected.is_null()) {
            EXPECT_FALSE(got) << p.dump() << " got " << got.value_or("");
        } else {
            EXPECT_EQ(got.value_or("none"), expected.get<std::string>()) << p.dump();
            ++land;
        }
    }
    EXPECT_GT(land, 300);
}

TEST(CountryIndex, RejectsPointsOutsideTheSphere) {
    EXPECT_THROW(borders().country_at({91.0, 0.0}), std::invalid_argument);
    EXPECT_THROW(borders().country_at({0.0, 180.5}), std::invalid_argument);
    EXPECT_THROW(borders().country_at({std::nan(""), 0.0}), std::invalid_argument);
}

// The message of the load error for a file holding `text`.
std::string load_error(const std::string& text) {
    testing::TempDir dir;
    const std::string path = (dir.path() / "borders.geojson").string();
    std::ofstream(path) << text;
    try {
        CountryIndex::load(path);
    } catch (const std::runtime_error& e) {
        const std::string message = e.what();
        EXPECT_EQ(message.rfind(path + ": ", 0), 0u) << message;
        return message.substr(path.size() + 2);
    }
    return "";
}

std::string feature(const std::string& code, const std::string& geometry) {
    std::string text = R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"iso1A2":")";
    text += code;
    text += R"("},"geometry":)";
    text += geometry;
    text += "}]}";
    return text;
}

const std::string kSquare = R"({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]})";

TEST(CountryIndex, LoadErrorsNameThePathAndTheProblem) {
    EXPECT_EQ(load_error(feature("XA", kSquare)), "");
    EXPECT_NE(load_error("{").find("not valid JSON"), std::string::npos);
    EXPECT_EQ(load_error("[]"), "document: must be a GeoJSON FeatureCollection with a features array");
    EXPECT_EQ(load_error(R"({"features":[]})"), "document: no countries");
    EXPECT_EQ(load_error(feature("it", kSquare)), "features[0]: properties.iso1A2 must be two upper-case letters");
    EXPECT_EQ(load_error(feature("IT", R"({"type":"Point","coordinates":[0,0]})")),
              "features[0]: geometry must be a Polygon or MultiPolygon with coordinates");
    EXPECT_EQ(load_error(feature("IT", R"({"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]})")),
              "features[0].geometry.coordinates[0]: a ring needs at least 4 positions");
    EXPECT_EQ(load_error(feature("IT", R"({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]})")),
              "features[0].geometry.coordinates[0]: a ring must end at its first position");
    EXPECT_EQ(load_error(feature("IT", R"({"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,95],[0,0]]]]})")),
              "features[0].geometry.coordinates[0][0][2]: longitude must be in -180..180 and latitude in -90..90");
    std::string twice = R"({"features":[{"properties":{"iso1A2":"IT"},"geometry":)";
    twice += kSquare;
    twice += R"(},{"properties":{"iso1A2":"IT"},"geometry":)";
    twice += kSquare;
    twice += "}]}";
    EXPECT_EQ(load_error(twice), "features[1]: country IT appears twice");
}

TEST(CountryIndex, MissingFileIsNamed) {
    try {
        CountryIndex::load("/nonexistent/borders.geojson");
        ADD_FAILURE();
    } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(), "/nonexistent/borders.geojson: cannot open");
    }
}

// A country drawn over another without a hole for it still wins inside its own outline: the
// smaller polygon is tested first. Holes are honoured when there is nothing inside them.
TEST(CountryIndex, SmallestPolygonWinsWhereTheyOverlap) {
    testing::TempDir dir;
    const std::string path = (dir.path() / "overlap.geojson").string();
    std::ofstream(path) << R"({"features":[
      {"properties":{"iso1A2":"AA"},"geometry":{"type":"Polygon","coordinates":[
        [[0,0],[10,0],[10,10],[0,10],[0,0]], [[6,6],[8,6],[8,8],[6,8],[6,6]]]}},
      {"properties":{"iso1A2":"BB"},"geometry":{"type":"Polygon","coordinates":[[[2,2],[4,2],[4,4],[2,4],[2,2]]]}}]})";
    const CountryIndex index = CountryIndex::load(path);
    EXPECT_EQ(index.country_at({3, 3}), "BB");
    EXPECT_EQ(index.country_at({1, 1}), "AA");
    EXPECT_FALSE(index.country_at({7, 7}));
    EXPECT_FALSE(index.country_at({11, 5}));
}

}  // namespace
}  // namespace forgehive::geo
