// Unit tests for geo::GeometryValidator (the geometry gate's checks), spherical ring areas, and the
// GeoJSON/WKT recognisers; validity reasons are checked against Shapely's (tests/fixtures/geo).
#include "forgehive/geo/geometry_validator.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <numbers>
#include <string>
#include <thread>
#include <vector>

#include "forgehive/geo/spherical_area.hpp"

namespace forgehive::geo {
namespace {

using ::testing::StartsWith;
using Json = nlohmann::json;

const std::string kBowTieWkt = "POLYGON((0 0, 1 1, 1 0, 0 1, 0 0))";
const Json kBowTie = Json::parse(R"({"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]})");
const Json kSquare = Json::parse(R"({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]})");

Json point(double lng, double lat) { return Json{{"type", "Point"}, {"coordinates", {lng, lat}}}; }

// A closed square ring of side `side` degrees with its south-west corner at (lng, lat).
Json square_ring(double lng, double lat, double side) {
    return Json::array({{lng, lat}, {lng + side, lat}, {lng + side, lat + side}, {lng, lat + side}, {lng, lat}});
}

Json polygon(const Json& rings) { return Json{{"type", "Polygon"}, {"coordinates", rings}}; }

Json feature(const Json& geometry) {
    return Json{{"type", "Feature"}, {"geometry", geometry}, {"properties", Json::object()}};
}

// ---- Shapely reference -----------------------------------------------------------------------------

Json load_fixture() {
    std::ifstream in(std::string(FORGEHIVE_TEST_SOURCE_DIR) + "/tests/fixtures/geo/geometry_validity.json");
    EXPECT_TRUE(in.good()) << "missing tests/fixtures/geo/geometry_validity.json";
    return Json::parse(in);
}

std::optional<std::string> expected_reason(const Json& entry) {
    if (entry.at("valid").get<bool>()) return std::nullopt;
    return entry.at("reason").get<std::string>();
}

TEST(GeometryValidatorShapely, FixtureHasEnoughValidAndInvalidCases) {
    const Json fixture = load_fixture();
    int valid = 0, invalid = 0;
    for (const auto& entry : fixture.at("cases")) (entry.at("valid").get<bool>() ? valid : invalid)++;
    EXPECT_GE(valid, 5);
    EXPECT_GE(invalid, 12);
}

TEST(GeometryValidatorShapely, WktReasonsMatchShapelyExplainValidity) {
    const GeometryValidator validator;
    const Json fixture = load_fixture();
    for (const auto& entry : fixture.at("cases"))
        EXPECT_EQ(validator.check_wkt(entry.at("wkt").get<std::string>()), expected_reason(entry))
            << entry.at("name");
}

TEST(GeometryValidatorShapely, GeoJsonReasonsMatchShapelyExplainValidity) {
    const GeometryValidator validator;
    const Json fixture = load_fixture();
    int checked = 0;
    for (const auto& entry : fixture.at("cases")) {
        if (!entry.contains("geojson")) continue;  // 3D: GeoJSON altitudes are dropped, see below
        EXPECT_EQ(validator.check_geojson(entry.at("geojson")), expected_reason(entry)) << entry.at("name");
        ++checked;
    }
    EXPECT_GE(checked, 20);
}

// ---- validity --------------------------------------------------------------------------------------

TEST(GeometryValidator, AcceptsValidGeometries) {
    const GeometryValidator validator;
    EXPECT_EQ(validator.check_geojson(kSquare), std::nullopt);
    EXPECT_EQ(validator.check_geojson(point(12.4964, 41.9028)), std::nullopt);
    EXPECT_EQ(validator.check_wkt("LINESTRING(0 0, 1 1, 2 0)"), std::nullopt);
    EXPECT_EQ(validator.check_wkt("MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0)), ((2 2, 3 2, 3 3, 2 2)))"), std::nullopt);
}

TEST(GeometryValidator, BowTieReportsGeosReasonAndLocation) {
    const GeometryValidator validator;
    EXPECT_EQ(validator.check_geojson(kBowTie), "Self-intersection[0.5 0.5]");
    EXPECT_EQ(validator.check_wkt(kBowTieWkt), "Self-intersection[0.5 0.5]");
}

TEST(GeometryValidator, UnclosedRingIsAParseError) {
    const GeometryValidator validator;
    const Json open = polygon(Json::parse("[[[0,0],[1,0],[1,1],[0,1]]]"));
    EXPECT_EQ(validator.check_geojson(open),
              "Invalid GeoJSON: IllegalArgumentException: Points of LinearRing do not form a closed linestring");
    EXPECT_EQ(validator.check_wkt("POLYGON((0 0, 1 0, 1 1, 0 1))"),
              "Invalid WKT: IllegalArgumentException: Points of LinearRing do not form a closed linestring");
}

TEST(GeometryValidator, TooFewPoints) {
    const GeometryValidator validator;
    EXPECT_EQ(validator.check_geojson(polygon(Json::parse("[[[0,0],[1,0],[0,0]]]"))),
              "Too few points in geometry component[0 0]");
    EXPECT_EQ(validator.check_geojson(Json::parse(R"({"type":"LineString","coordinates":[[1,2]]})")),
              "Invalid GeoJSON: IllegalArgumentException: point array must contain 0 or >1 elements");
}

TEST(GeometryValidator, HoleOutsideShellAndNestedShells) {
    const GeometryValidator validator;
    EXPECT_EQ(validator.check_geojson(polygon(Json::array({square_ring(0, 0, 4), square_ring(5, 5, 1)}))),
              "Hole lies outside shell[5 5]");
    const Json nested{{"type", "MultiPolygon"}, {"coordinates", {{square_ring(0, 0, 4)}, {square_ring(1, 1, 1)}}}};
    EXPECT_EQ(validator.check_geojson(nested), "Nested shells[1 1]");
}

TEST(GeometryValidator, ThreeDimensionalLocationKeepsZ) {
    const GeometryValidator validator;
    EXPECT_EQ(validator.check_wkt("POLYGON Z ((0 0 5, 1 1 5, 1 0 5, 0 1 5, 0 0 5))"), "Self-intersection[0.5 0.5 5]");
}

TEST(GeometryValidator, GeoJsonAltitudesAreAcceptedAndDropped) {
    // GEOS 3.11's GeoJSON reader refuses three-number positions; RFC 7946 allows them.
    const GeometryValidator validator;
    const Json bow_tie_3d = polygon(Json::parse("[[[0,0,5],[1,1,5],[1,0,5],[0,1,5],[0,0,5]]]"));
    EXPECT_EQ(validator.check_geojson(bow_tie_3d), "Self-intersection[0.5 0.5]");
    EXPECT_EQ(validator.check_geojson(Json::parse(R"({"type":"Point","coordinates":[12.5,41.9,21]})")), std::nullopt);
    EXPECT_EQ(validator.check_geojson(Json::parse(R"({"type":"Point","coordinates":[12.5,41.9,21,3]})")),
              "Invalid GeoJSON: ParseException: Expected two coordinates found more than two");
}

TEST(GeometryValidator, ParseErrorsCarryTheParserMessage) {
    const GeometryValidator validator;
    EXPECT_EQ(validator.check_wkt("POLYGON((0 0, 1 1, 1 0, 0 1, 0 0)"),
              "Invalid WKT: ParseException: Expected word but encountered end of stream");
    EXPECT_EQ(validator.check_geojson(Json::parse(R"({"type":"Point","coordinates":[1]})")),
              "Invalid GeoJSON: ParseException: Expected two coordinates found one");
    EXPECT_THAT(validator.check_geojson(Json::parse(R"({"type":"Point"})")).value_or(""),
                StartsWith("Invalid GeoJSON: ParseException: Error parsing JSON"));
    EXPECT_EQ(validator.check_geojson(Json::parse(R"({"type":"Blob","coordinates":[]})")),
              "Invalid GeoJSON: ParseException: Unknown geometry type!");
}

TEST(GeometryValidator, StaysUsableAfterErrors) {
    const GeometryValidator validator;
    ASSERT_TRUE(validator.check_wkt("POLYGON((").has_value());
    ASSERT_TRUE(validator.check_geojson(kBowTie).has_value());
    EXPECT_EQ(validator.check_wkt("POINT(1 2)"), std::nullopt);
    EXPECT_EQ(validator.check_geojson(kSquare), std::nullopt);
}

TEST(GeometryValidator, EmptyGeometriesAreRejected) {
    const GeometryValidator validator;
    EXPECT_EQ(validator.check_wkt("POINT EMPTY"), "Empty geometry (Point)");
    EXPECT_EQ(validator.check_wkt("GEOMETRYCOLLECTION EMPTY"), "Empty geometry (GeometryCollection)");
    EXPECT_EQ(validator.check_wkt("GEOMETRYCOLLECTION(POINT(1 2), LINESTRING EMPTY)"), "Empty geometry part (LineString)");
    EXPECT_EQ(validator.check_geojson(polygon(Json::array())), "Empty geometry (Polygon)");
    EXPECT_EQ(validator.check_geojson(Json::parse(R"({"type":"FeatureCollection","features":[]})")),
              "Empty geometry (GeometryCollection)");
}

// ---- coordinates -----------------------------------------------------------------------------------

TEST(GeometryValidator, CoordinatesOutOfRangeAreNamed) {
    const GeometryValidator validator;
    EXPECT_EQ(validator.check_geojson(point(200, 10)),
              "Coordinate out of range[200 10]: longitude must be within -180..180");
    EXPECT_EQ(validator.check_geojson(point(-180.5, 10)),
              "Coordinate out of range[-180.5 10]: longitude must be within -180..180");
    EXPECT_EQ(validator.check_geojson(point(10, 95)), "Coordinate out of range[10 95]: latitude must be within -90..90");
    EXPECT_EQ(validator.check_wkt("LINESTRING(0 0, 1 -90.000001)"),
              "Coordinate out of range[1 -90.000001]: latitude must be within -90..90");
    EXPECT_EQ(validator.check_geojson(polygon(Json::array({square_ring(0, 0, 1), square_ring(0.2, 0.2, 1e300)}))),
              "Coordinate out of range[1e+300 0.2]: longitude must be within -180..180");
}

TEST(GeometryValidator, RangeBoundsAreInclusive) {
    const GeometryValidator validator;
    EXPECT_EQ(validator.check_geojson(point(180, 90)), std::nullopt);
    EXPECT_EQ(validator.check_geojson(point(-180, -90)), std::nullopt);
}

TEST(GeometryValidator, HugeJsonNumbersAreOutOfRange) {
    const GeometryValidator validator;
    const Json huge = Json::parse(R"({"type":"Point","coordinates":[1.7976931348623157e308, 0]})");
    EXPECT_EQ(validator.check_geojson(huge),
              "Coordinate out of range[1.79769313486232e+308 0]: longitude must be within -180..180");
}

TEST(GeometryValidator, NonFiniteNumbersAreRejected) {
    const GeometryValidator validator;
    // JSON text cannot carry them, but a value built in code can.
    EXPECT_EQ(validator.check_geojson(point(std::numeric_limits<double>::quiet_NaN(), 0)),
              "Invalid Coordinate: non-finite number at /coordinates/0");
    EXPECT_EQ(validator.check_wkt("POINT(1e400 0)"), "Invalid Coordinate[inf 0]");
    EXPECT_EQ(validator.check_wkt("POINT(1 nan)"), "Invalid Coordinate[1 nan]");
}

// ---- limits ----------------------------------------------------------------------------------------

TEST(GeometryValidator, VertexLimit) {
    const GeometryValidator validator(GeometryLimits{.max_vertices = 10});
    const Json ring = Json::parse("[[0,0],[1,0],[2,0],[3,0],[3,1],[2,1],[1,1],[0,1],[0,0]]");
    EXPECT_EQ(validator.check_geojson(polygon(Json::array({ring}))), std::nullopt);  // 9 coordinates
    const Json ten = Json::parse("[[0,0],[1,0],[2,0],[3,0],[3,1],[2,1],[1,1],[0,1],[0,0.5],[0,0]]");
    EXPECT_EQ(validator.check_geojson(polygon(Json::array({ten}))), std::nullopt);
    const Json eleven = Json::parse("[[0,0],[1,0],[2,0],[3,0],[3,1],[2,1],[1,1],[0.5,1],[0,1],[0,0.5],[0,0]]");
    EXPECT_EQ(validator.check_geojson(polygon(Json::array({eleven}))), "Too many vertices: 11 (limit 10)");
}

TEST(GeometryValidator, VertexLimitComesBeforeValidity) {
    const GeometryValidator validator(GeometryLimits{.max_vertices = 4});
    EXPECT_EQ(validator.check_wkt(kBowTieWkt), "Too many vertices: 5 (limit 4)");
}

TEST(GeometryValidator, AreaLimitRejectsMostOfEuropeButNotASmallSquare) {
    const GeometryValidator validator;  // 1e6 km²
    const Json europe = polygon(Json::parse("[[[-10,36],[30,36],[30,60],[-10,60],[-10,36]]]"));
    // R² Δλ (sin 60° - sin 36°) = 7,884,489.33 km² (lng -10..30, lat 36..60)
    EXPECT_EQ(validator.check_geojson(europe), "Area too large: 7884489.3 km^2 (limit 1000000.0 km^2)");
    EXPECT_EQ(validator.check_geojson(polygon(Json::array({square_ring(12.4, 41.8, 0.2)}))), std::nullopt);
}

TEST(GeometryValidator, AreaCountsHolesAndEveryPolygon) {
    // R² Δλ (sin φ2 - sin φ1): a 2°x2° square at the equator is 49,447.3 km², a 1°x1° hole in it
    // 12,362.3 km², two 1.5°x1.5° squares 55,633.2 km².
    const GeometryValidator validator(GeometryLimits{.max_area_km2 = 40000});
    const Json square = polygon(Json::array({square_ring(0, 0, 2)}));
    EXPECT_EQ(validator.check_geojson(square), "Area too large: 49447.3 km^2 (limit 40000.0 km^2)");
    const Json with_hole = polygon(Json::array({square_ring(0, 0, 2), square_ring(0.5, 0.5, 1)}));
    EXPECT_EQ(validator.check_geojson(with_hole), std::nullopt);
    const Json two{{"type", "MultiPolygon"}, {"coordinates", {{square_ring(0, 0, 1.5)}, {square_ring(5, 0, 1.5)}}}};
    EXPECT_EQ(validator.check_geojson(two), "Area too large: 55633.2 km^2 (limit 40000.0 km^2)");
}

TEST(GeometryValidator, LinesAndPointsHaveNoArea) {
    const GeometryValidator validator(GeometryLimits{.max_area_km2 = 1});
    EXPECT_EQ(validator.check_wkt("LINESTRING(-170 -80, 170 80)"), std::nullopt);
}

TEST(GeometryValidator, CollectionDepthLimit) {
    const GeometryValidator validator(GeometryLimits{.max_depth = 2});
    EXPECT_EQ(validator.check_wkt("GEOMETRYCOLLECTION(GEOMETRYCOLLECTION(POINT(1 2)))"), std::nullopt);
    EXPECT_EQ(validator.check_wkt("GEOMETRYCOLLECTION(GEOMETRYCOLLECTION(GEOMETRYCOLLECTION(POINT(1 2))))"),
              "Geometry collections nested deeper than 2 levels");
    Json nested = point(1, 2);
    for (int i = 0; i < 3; ++i) nested = Json{{"type", "GeometryCollection"}, {"geometries", {nested}}};
    EXPECT_EQ(validator.check_geojson(nested), "Geometry collections nested deeper than 2 levels");
}

TEST(GeometryValidator, DeepNestingIsRefusedBeforeGeosParses) {
    const GeometryValidator validator(GeometryLimits{.max_depth = 2});
    std::string wkt;
    for (int i = 0; i < 1000; ++i) wkt += "GEOMETRYCOLLECTION(";
    EXPECT_EQ(validator.check_wkt(wkt), "WKT nests parentheses deeper than 5 levels");
    Json deep = point(1, 2);
    for (int i = 0; i < 1000; ++i) deep = Json{{"type", "GeometryCollection"}, {"geometries", {deep}}};
    EXPECT_THAT(validator.check_geojson(deep).value_or(""), StartsWith("GeoJSON nests deeper than 10 levels at /"));
}

TEST(GeometryValidator, GeometryCountLimit) {
    const GeometryValidator validator(GeometryLimits{.max_geometries = 2});
    EXPECT_EQ(validator.check_wkt("MULTIPOINT((1 2), (3 4), (5 6))"), std::nullopt);  // a Multi* counts once
    EXPECT_EQ(validator.check_wkt("GEOMETRYCOLLECTION(POINT(1 2), POINT(3 4))"), std::nullopt);
    EXPECT_EQ(validator.check_wkt("GEOMETRYCOLLECTION(POINT(1 2), POINT(3 4), POINT(5 6))"),
              "Too many geometries: 3 (limit 2)");
}

TEST(GeometryValidator, ValidatorsOnSeparateThreadsDoNotInterfere) {
    // One GEOS context per validator: errors and results of one never show in the other.
    auto run = [](std::string wkt, std::optional<std::string>* last) {
        const GeometryValidator validator;
        for (int i = 0; i < 200; ++i) *last = validator.check_wkt(wkt);
    };
    std::optional<std::string> bow_tie, broken;
    std::thread a(run, kBowTieWkt, &bow_tie);
    std::thread b(run, "POLYGON((0 0, 1 0", &broken);
    a.join();
    b.join();
    EXPECT_EQ(bow_tie, "Self-intersection[0.5 0.5]");
    EXPECT_EQ(broken, "Invalid WKT: ParseException: Expected word but encountered end of stream");
}

TEST(GeometryValidator, RejectsBadLimits) {
    EXPECT_THROW(GeometryValidator(GeometryLimits{.max_vertices = 0}), std::invalid_argument);
    EXPECT_THROW(GeometryValidator(GeometryLimits{.max_area_km2 = -1}), std::invalid_argument);
    EXPECT_THROW(GeometryValidator(GeometryLimits{.max_geometries = 0}), std::invalid_argument);
    EXPECT_THROW(GeometryValidator(GeometryLimits{.max_depth = 0}), std::invalid_argument);
    EXPECT_THROW(GeometryValidator(GeometryLimits{.max_depth = GeometryValidator::kMaxDepth + 1}), std::invalid_argument);
    EXPECT_NO_THROW(GeometryValidator(GeometryLimits{.max_depth = GeometryValidator::kMaxDepth}));
}

// ---- WKT variants ----------------------------------------------------------------------------------

TEST(GeometryValidatorWkt, AcceptsCaseDimensionAndSridVariants) {
    const GeometryValidator validator;
    EXPECT_EQ(validator.check_wkt("point(12.5 41.9)"), std::nullopt);
    EXPECT_EQ(validator.check_wkt("  Point Z (12.5 41.9 30)"), std::nullopt);
    EXPECT_EQ(validator.check_wkt("POINT M (12.5 41.9 7)"), std::nullopt);
    EXPECT_EQ(validator.check_wkt("MULTIPOINT(1 2, 3 4)"), std::nullopt);
    EXPECT_EQ(validator.check_wkt("SRID=4326;POLYGON((0 0, 1 0, 1 1, 0 1, 0 0))"), std::nullopt);
    EXPECT_EQ(validator.check_wkt("srid=4326;" + kBowTieWkt), "Self-intersection[0.5 0.5]");
}

TEST(GeometryValidatorWkt, RejectsOtherSridsAndMalformedPrefixes) {
    const GeometryValidator validator;
    EXPECT_EQ(validator.check_wkt("SRID=3857;POINT(1 2)"),
              "Unsupported SRID '3857': coordinates must be WGS 84 longitude/latitude (SRID=4326)");
    EXPECT_EQ(validator.check_wkt("SRID=4326 POINT(1 2)"), "Invalid EWKT: expected \"SRID=4326;\" before the geometry");
}

TEST(GeometryValidatorWkt, RejectsTextAfterTheGeometry) {
    const GeometryValidator validator;  // GEOS 3.11's reader itself ignores it
    EXPECT_EQ(validator.check_wkt("POINT(1 2) garbage"), "Invalid WKT: unexpected text after the geometry at offset 11");
    EXPECT_EQ(validator.check_wkt("POINT(1 2))"), "Invalid WKT: unexpected text after the geometry at offset 10");
    EXPECT_EQ(validator.check_wkt("POINT EMPTY x"), "Invalid WKT: unexpected text after the geometry at offset 12");
    EXPECT_EQ(validator.check_wkt(std::string_view("POINT(1 2)\0", 11)), "Invalid WKT: the text contains a NUL character");
    EXPECT_EQ(validator.check_wkt("POINT(1 2) \n"), std::nullopt);
}

TEST(GeometryValidatorWkt, UnsupportedTypesAreParseErrors) {
    const GeometryValidator validator;
    EXPECT_EQ(validator.check_wkt("CIRCULARSTRING(0 0, 1 1, 2 0)"),
              "Invalid WKT: ParseException: Unknown type: 'CIRCULARSTRING'");
}

TEST(WktText, RecognisesWktButNotProse) {
    EXPECT_TRUE(is_wkt_text("POINT(1 2)"));
    EXPECT_TRUE(is_wkt_text("\n  polygon ((0 0, 1 0, 1 1, 0 0))"));
    EXPECT_TRUE(is_wkt_text("LineString EMPTY"));
    EXPECT_TRUE(is_wkt_text("POINT ZM (1 2 3 4)"));
    EXPECT_TRUE(is_wkt_text("GeometryCollection(POINT(1 2))"));
    EXPECT_TRUE(is_wkt_text("SRID=4326;POINT(1 2)"));
    EXPECT_TRUE(is_wkt_text("srid=oops"));  // meant as EWKT: checked, and refused
    EXPECT_TRUE(is_wkt_text("POLYGON((0 0, 1 1"));  // broken WKT is still WKT, and fails the check
    EXPECT_FALSE(is_wkt_text("Point of interest: the Colosseum"));
    EXPECT_FALSE(is_wkt_text("polygonal mesh"));
    EXPECT_FALSE(is_wkt_text("POINTS(1 2)"));
    EXPECT_FALSE(is_wkt_text("POINTZ(1 2 3)"));
    EXPECT_FALSE(is_wkt_text("871e8052affffff"));
    EXPECT_FALSE(is_wkt_text(""));
}

// ---- GeoJSON Feature and FeatureCollection ---------------------------------------------------------

TEST(GeometryValidatorGeoJson, FeatureAndFeatureCollection) {
    const GeometryValidator validator;
    EXPECT_EQ(validator.check_geojson(feature(kSquare)), std::nullopt);
    EXPECT_EQ(validator.check_geojson(feature(kBowTie)), "Self-intersection[0.5 0.5]");
    const Json collection{{"type", "FeatureCollection"}, {"features", {feature(point(1, 2)), feature(kSquare)}}};
    EXPECT_EQ(validator.check_geojson(collection), std::nullopt);
    const Json bad{{"type", "FeatureCollection"}, {"features", {feature(point(1, 2)), feature(kBowTie)}}};
    EXPECT_EQ(validator.check_geojson(bad), "Self-intersection[0.5 0.5]");
}

TEST(GeometryValidatorGeoJson, FeatureWithoutGeometryIsEmpty) {
    const GeometryValidator validator;
    EXPECT_EQ(validator.check_geojson(feature(nullptr)), "Empty geometry (Feature without a geometry)");
    const Json collection{{"type", "FeatureCollection"}, {"features", {feature(point(1, 2)), feature(nullptr)}}};
    EXPECT_EQ(validator.check_geojson(collection), "Empty geometry (Feature without a geometry at /features/1)");
}

TEST(GeometryValidatorGeoJson, FeaturesCountAsGeometries) {
    const GeometryValidator validator(GeometryLimits{.max_geometries = 2});
    const Json three{{"type", "FeatureCollection"},
                     {"features", {feature(point(1, 2)), feature(point(3, 4)), feature(point(5, 6))}}};
    EXPECT_EQ(validator.check_geojson(three), "Too many geometries: 3 (limit 2)");
}

TEST(GeoJson, RecognisesGeometryAndFeatureTypesOnly) {
    EXPECT_TRUE(is_geojson(kSquare));
    EXPECT_TRUE(is_geojson(Json{{"type", "Feature"}}));
    EXPECT_TRUE(is_geojson(Json{{"type", "FeatureCollection"}}));
    EXPECT_TRUE(is_geojson(Json{{"type", "GeometryCollection"}}));
    EXPECT_FALSE(is_geojson(Json{{"type", "polygon"}}));  // RFC 7946 type names are case-sensitive
    EXPECT_FALSE(is_geojson(Json{{"type", "sensor_fusion"}}));
    EXPECT_FALSE(is_geojson(Json{{"type", 3}}));
    EXPECT_FALSE(is_geojson(Json{{"coordinates", {1, 2}}}));
    EXPECT_FALSE(is_geojson(Json("Point")));
}

// ---- first_problem over a step's context ----------------------------------------------------------

TEST(GeometryValidatorContext, ValidContextHasNoProblem) {
    const GeometryValidator validator;
    const Json context{{"h3_cell", "871e8052affffff"},
                       {"aoi", kSquare},
                       {"route", "LINESTRING(12.4 41.8, 12.5 41.9)"},
                       {"note", "Point of interest: polygonal fountain"},
                       {"layers", {{{"type", "raster"}, {"bands", {1, 2, 3}}}}},
                       {"date_from", "2024-01-01"}};
    EXPECT_EQ(validator.first_problem(context), std::nullopt);
    EXPECT_EQ(validator.first_problem(Json::object()), std::nullopt);
}

TEST(GeometryValidatorContext, PointerLeadsToTheNestedGeometry) {
    const GeometryValidator validator;
    const Json context{{"a", {{"b", Json::array({Json{{"x", 1}}, Json{{"aoi", kBowTie}}})}}}};
    EXPECT_EQ(validator.first_problem(context), (GeometryProblem{"/a/b/1/aoi", "Self-intersection[0.5 0.5]"}));
}

TEST(GeometryValidatorContext, WktStringsInArraysAreChecked) {
    const GeometryValidator validator;
    const Json context{{"areas", {"POINT(1 2)", kBowTieWkt}}};
    EXPECT_EQ(validator.first_problem(context), (GeometryProblem{"/areas/1", "Self-intersection[0.5 0.5]"}));
}

TEST(GeometryValidatorContext, MembersAreVisitedInSortedNameOrder) {
    const GeometryValidator validator;
    // nlohmann::json keeps object members sorted by name, so "a_late" comes before "z_early".
    const Json context = Json::parse(R"json({"z_early": {"type":"Point","coordinates":[200,0]},
                                             "a_late": "POLYGON((0 0, 1 1, 1 0, 0 1, 0 0))"})json");
    EXPECT_EQ(validator.first_problem(context), (GeometryProblem{"/a_late", "Self-intersection[0.5 0.5]"}));
}

TEST(GeometryValidatorContext, PointerTokensAreEscaped) {
    const GeometryValidator validator;
    const Json context{{"a/b", {{"c~d", kBowTie}}}};
    EXPECT_EQ(validator.first_problem(context), (GeometryProblem{"/a~1b/c~0d", "Self-intersection[0.5 0.5]"}));
}

TEST(GeometryValidatorContext, GeoJsonValuesAreCheckedWhole) {
    const GeometryValidator validator;
    // The walk does not look inside a geometry: the pointer names the Feature, the reason its problem.
    const Json context{{"site", feature(kBowTie)}};
    EXPECT_EQ(validator.first_problem(context), (GeometryProblem{"/site", "Self-intersection[0.5 0.5]"}));
    EXPECT_EQ(validator.first_problem(kBowTie), (GeometryProblem{"", "Self-intersection[0.5 0.5]"}));
}

TEST(GeometryValidatorContext, MalformedGeoJsonIsNotSkipped) {
    const GeometryValidator validator;
    const Json context{{"aoi", {{"type", "Polygon"}}}};
    const auto problem = validator.first_problem(context);
    ASSERT_TRUE(problem.has_value());
    EXPECT_EQ(problem->pointer, "/aoi");
    EXPECT_THAT(problem->reason, StartsWith("Invalid GeoJSON: "));
}

TEST(GeometryValidatorContext, CountAndVertexLimitsSpanTheWholeContext) {
    const GeometryValidator validator(GeometryLimits{.max_vertices = 6, .max_geometries = 2});
    EXPECT_EQ(validator.first_problem(Json{{"p", {"POINT(1 2)", "POINT(3 4)", "POINT(5 6)"}}}),
              (GeometryProblem{"/p/2", "Too many geometries: 3 (limit 2)"}));
    EXPECT_EQ(validator.first_problem(Json{{"a", kSquare}, {"b", "LINESTRING(0 0, 1 1)"}}),
              (GeometryProblem{"/b", "Too many vertices: 7 (limit 6)"}));
    // Each call starts from zero.
    EXPECT_EQ(validator.first_problem(Json{{"b", "LINESTRING(0 0, 1 1)"}}), std::nullopt);
}

TEST(GeometryValidatorContext, DepthBeyondTheLimitIsAProblem) {
    const GeometryValidator validator(GeometryLimits{.max_depth = 3});
    EXPECT_EQ(validator.first_problem(Json{{"a", {{"b", {{"aoi", kSquare}}}}}}), std::nullopt);
    EXPECT_EQ(validator.first_problem(Json{{"a", {{"b", {{"c", {{"d", 1}}}}}}}}),
              (GeometryProblem{"/a/b/c",
                               "Nested deeper than 3 levels below the context, where geometries are not looked for"}));
    EXPECT_EQ(validator.first_problem(Json{{"a", {{"b", {{"c", Json::object()}}}}}}), std::nullopt);
}

// ---- spherical area --------------------------------------------------------------------------------

constexpr double kRad = std::numbers::pi / 180.0;
constexpr double kR2 = kEarthMeanRadiusKm * kEarthMeanRadiusKm;

TEST(SphericalArea, LongitudeLatitudeRectangleIsExact) {
    // R² Δλ (sin φ2 - sin φ1) for the band between two parallels.
    const std::vector<double> ring{10, 40, 12, 40, 12, 43, 10, 43, 10, 40};
    EXPECT_NEAR(ring_area_km2(ring), kR2 * 2 * kRad * (std::sin(43 * kRad) - std::sin(40 * kRad)), 1e-6);
}

TEST(SphericalArea, SlopedEdgeIsExact) {
    // Triangle (0,0), (a,0), (a,a) with the edge φ = λ: ∫0..a sin λ dλ = 1 - cos a.
    const double a = 10;
    const std::vector<double> ring{0, 0, a, 0, a, a, 0, 0};
    EXPECT_NEAR(ring_area_km2(ring), kR2 * (1 - std::cos(a * kRad)), 1e-6);
}

TEST(SphericalArea, WholeSphereAndOrientation) {
    const std::vector<double> sphere{-180, -90, 180, -90, 180, 90, -180, 90};
    EXPECT_NEAR(ring_area_km2(sphere), 4 * std::numbers::pi * kR2, 1e-3);
    const std::vector<double> clockwise{0, 0, 0, 1, 1, 1, 1, 0};
    const std::vector<double> counter{0, 0, 1, 0, 1, 1, 0, 1};
    EXPECT_DOUBLE_EQ(ring_area_km2(clockwise), ring_area_km2(counter));
}

TEST(SphericalArea, TinyRingsKeepRelativeAccuracy) {
    // A 1e-6° square near Rome (about 0.1 m across): its area is the planar R² dλ dφ cos φ to 1e-12.
    const double d = 1e-6, lat = 41.9;
    const std::vector<double> ring{12.5, lat, 12.5 + d, lat, 12.5 + d, lat + d, 12.5, lat + d};
    const double planar = kR2 * (d * kRad) * (d * kRad) * std::cos((lat + d / 2) * kRad);
    EXPECT_NEAR(ring_area_km2(ring) / planar, 1.0, 1e-6);
}

TEST(SphericalArea, DegenerateRingsHaveNoArea) {
    EXPECT_EQ(ring_area_km2(std::vector<double>{}), 0.0);
    EXPECT_EQ(ring_area_km2(std::vector<double>{1, 2, 3, 4}), 0.0);
}

}  // namespace
}  // namespace forgehive::geo
