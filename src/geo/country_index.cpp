// Loading the country borders (GeoJSON) and point-in-polygon lookup through a 1-degree grid.
#include "forgehive/geo/country_index.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <tuple>

namespace forgehive::geo {
namespace {

using Json = nlohmann::json;

constexpr int kGridColumns = 360;
constexpr int kGridRows = 180;

struct LoadError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

[[noreturn]] void fail(const std::string& where, const std::string& rule) {
    throw LoadError(fmt::format("{}: {}", where, rule));
}

// The member `key` of `object`, or null when `object` is not an object or lacks it.
Json member(const Json& object, const char* key) {
    if (!object.is_object()) return Json();
    const auto it = object.find(key);
    return it == object.end() ? Json() : *it;
}

bool is_country_code(const Json& v) {
    if (!v.is_string()) return false;
    const auto& s = v.get_ref<const std::string&>();
    return s.size() == 2 && std::all_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

LatLng read_position(const Json& v, const std::string& where) {
    if (!v.is_array() || v.size() < 2 || !v[0].is_number() || !v[1].is_number()) {
        fail(where, "a position must be [longitude, latitude]");
    }
    const LatLng p{v[1].get<double>(), v[0].get<double>()};
    if (!std::isfinite(p.lat) || !std::isfinite(p.lng) || std::fabs(p.lat) > 90 || std::fabs(p.lng) > 180) {
        fail(where, "longitude must be in -180..180 and latitude in -90..90");
    }
    return p;
}

std::vector<LatLng> read_ring(const Json& v, const std::string& where) {
    if (!v.is_array() || v.size() < 4) fail(where, "a ring needs at least 4 positions");
    std::vector<LatLng> ring;
    ring.reserve(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) ring.push_back(read_position(v[i], fmt::format("{}[{}]", where, i)));
    if (ring.front().lat != ring.back().lat || ring.front().lng != ring.back().lng) {
        fail(where, "a ring must end at its first position");
    }
    return ring;
}

// Shoelace formula in degrees; the sign gives the orientation, which GeoJSON sources do not all keep.
double ring_area(const std::vector<LatLng>& ring) {
    double twice = 0.0;
    for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
        twice += (ring[j].lng - ring[i].lng) * (ring[j].lat + ring[i].lat);
    }
    return std::fabs(twice) / 2.0;
}

// Even-odd crossing test (W. R. Franklin, "PNPOLY"): a ray from p towards +longitude crosses the
// ring an odd number of times exactly when p is inside.
bool ring_contains(const std::vector<LatLng>& ring, LatLng p) {
    bool inside = false;
    for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
        const LatLng& a = ring[i];
        const LatLng& b = ring[j];
        if ((a.lat > p.lat) != (b.lat > p.lat) &&
            p.lng < (b.lng - a.lng) * (p.lat - a.lat) / (b.lat - a.lat) + a.lng) {
            inside = !inside;
        }
    }
    return inside;
}

int grid_column(double lng) { return std::clamp(static_cast<int>(std::floor(lng + 180.0)), 0, kGridColumns - 1); }
int grid_row(double lat) { return std::clamp(static_cast<int>(std::floor(lat + 90.0)), 0, kGridRows - 1); }

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw LoadError("cannot open");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string read_code(const Json& feature, const std::string& where) {
    const Json code = member(member(feature, "properties"), "iso1A2");
    if (!is_country_code(code)) fail(where, "properties.iso1A2 must be two upper-case letters");
    return code.get<std::string>();
}

using Rings = std::vector<std::vector<LatLng>>;

// The feature's polygons, each as its rings (outer first).
std::vector<Rings> read_polygons(const Json& feature, const std::string& where) {
    const Json geometry = member(feature, "geometry");
    const Json type = member(geometry, "type");
    const Json coords = member(geometry, "coordinates");
    if ((type != "Polygon" && type != "MultiPolygon") || !coords.is_array()) {
        fail(where, "geometry must be a Polygon or MultiPolygon with coordinates");
    }
    const bool multi = type == "MultiPolygon";
    const Json polygons = multi ? coords : Json::array({coords});
    std::vector<Rings> out;
    for (std::size_t p = 0; p < polygons.size(); ++p) {
        const std::string at = multi ? fmt::format("{}.geometry.coordinates[{}]", where, p) : where + ".geometry.coordinates";
        if (!polygons[p].is_array() || polygons[p].empty()) fail(at, "a polygon needs an outer ring");
        Rings rings;
        for (std::size_t r = 0; r < polygons[p].size(); ++r) rings.push_back(read_ring(polygons[p][r], fmt::format("{}[{}]", at, r)));
        out.push_back(std::move(rings));
    }
    return out;
}

}  // namespace

void CountryIndex::add_polygon(Polygon polygon) {
    const auto& outer = polygon.rings.front();
    const auto [lat_lo, lat_hi] = std::minmax_element(outer.begin(), outer.end(),
                                                      [](LatLng a, LatLng b) { return a.lat < b.lat; });
    const auto [lng_lo, lng_hi] = std::minmax_element(outer.begin(), outer.end(),
                                                      [](LatLng a, LatLng b) { return a.lng < b.lng; });
    polygon.min_lat = lat_lo->lat;
    polygon.max_lat = lat_hi->lat;
    polygon.min_lng = lng_lo->lng;
    polygon.max_lng = lng_hi->lng;
    polygon.area = ring_area(outer);
    for (std::size_t h = 1; h < polygon.rings.size(); ++h) polygon.area -= ring_area(polygon.rings[h]);
    polygons_.push_back(std::move(polygon));
}

void CountryIndex::build_grid() {
    std::stable_sort(polygons_.begin(), polygons_.end(), [this](const Polygon& a, const Polygon& b) {
        return std::tie(a.area, codes_[a.country]) < std::tie(b.area, codes_[b.country]);
    });
    std::vector<std::vector<std::uint32_t>> cells(static_cast<std::size_t>(kGridColumns * kGridRows));
    for (std::size_t i = 0; i < polygons_.size(); ++i) {
        const Polygon& poly = polygons_[i];
        for (int row = grid_row(poly.min_lat); row <= grid_row(poly.max_lat); ++row) {
            for (int col = grid_column(poly.min_lng); col <= grid_column(poly.max_lng); ++col) {
                cells[static_cast<std::size_t>(row * kGridColumns + col)].push_back(static_cast<std::uint32_t>(i));
            }
        }
    }
    grid_offsets_.assign(1, 0);
    for (const auto& cell : cells) {
        grid_items_.insert(grid_items_.end(), cell.begin(), cell.end());
        grid_offsets_.push_back(static_cast<std::uint32_t>(grid_items_.size()));
    }
}

CountryIndex CountryIndex::load(const std::string& path) {
    CountryIndex index;
    try {
        const Json doc = Json::parse(read_file(path));
        if (!doc.is_object() || !doc.contains("features") || !doc["features"].is_array()) {
            fail("document", "must be a GeoJSON FeatureCollection with a features array");
        }
        const Json& features = doc["features"];
        for (std::size_t f = 0; f < features.size(); ++f) {
            const std::string where = fmt::format("features[{}]", f);
            const std::string code = read_code(features[f], where);
            if (std::find(index.codes_.begin(), index.codes_.end(), code) != index.codes_.end()) {
                fail(where, fmt::format("country {} appears twice", code));
            }
            const auto country = static_cast<std::uint32_t>(index.codes_.size());
            index.codes_.push_back(code);
            for (auto& rings : read_polygons(features[f], where)) index.add_polygon({std::move(rings), 0, 0, 0, 0, 0, country});
        }
        if (index.codes_.empty()) fail("document", "no countries");
    } catch (const Json::exception& e) {
        throw std::runtime_error(fmt::format("{}: not valid JSON: {}", path, e.what()));
    } catch (const LoadError& e) {
        throw std::runtime_error(fmt::format("{}: {}", path, e.what()));
    }
    index.build_grid();
    return index;
}

std::optional<std::string> CountryIndex::country_at(LatLng p) const {
    if (!std::isfinite(p.lat) || !std::isfinite(p.lng) || std::fabs(p.lat) > 90 || std::fabs(p.lng) > 180) {
        throw std::invalid_argument(fmt::format("country_at: ({}, {}) is not a latitude/longitude in degrees", p.lat, p.lng));
    }
    const auto cell = static_cast<std::size_t>(grid_row(p.lat) * kGridColumns + grid_column(p.lng));
    for (std::uint32_t k = grid_offsets_[cell]; k < grid_offsets_[cell + 1]; ++k) {
        const Polygon& poly = polygons_[grid_items_[k]];
        if (p.lat < poly.min_lat || p.lat > poly.max_lat || p.lng < poly.min_lng || p.lng > poly.max_lng) continue;
        if (!ring_contains(poly.rings.front(), p)) continue;
        const bool in_hole = std::any_of(poly.rings.begin() + 1, poly.rings.end(),
                                         [p](const std::vector<LatLng>& hole) { return ring_contains(hole, p); });
        if (!in_hole) return codes_[poly.country];
    }
    return std::nullopt;
}

std::size_t CountryIndex::size() const { return codes_.size(); }

}  // namespace forgehive::geo
