// Country at a point: ISO 3166-1 alpha-2 code from bundled border polygons (data/borders/README.md),
// with a grid index over polygon bounding boxes so that a lookup tests only a few polygons.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "forgehive/geo/h3.hpp"

namespace forgehive::geo {

class CountryIndex {
public:
    // Reads a GeoJSON FeatureCollection of Polygon/MultiPolygon features, each with an upper-case
    // two-letter `properties.iso1A2`. Throws std::runtime_error naming the path and the problem
    // (unreadable file, bad JSON, a feature, ring or position that breaks the rules above).
    static CountryIndex load(const std::string& path);

    // The code of the country whose polygon contains `p`; nullopt over no country (sea, or land no
    // country claims in the data). Where polygons overlap, the smallest polygon wins, so enclaves
    // answer for themselves even if the surrounding country's polygon has no hole for them.
    // Throws std::invalid_argument when `p` is not finite or outside -90..90 / -180..180.
    std::optional<std::string> country_at(LatLng p) const;

    // Number of countries.
    std::size_t size() const;

private:
    struct Polygon {
        std::vector<std::vector<LatLng>> rings;  // [0] the outer ring, then holes; closed
        double min_lat, max_lat, min_lng, max_lng;
        double area;  // square degrees, only to order overlapping polygons
        std::uint32_t country;
    };

    CountryIndex() = default;
    void add_polygon(Polygon polygon);
    void build_grid();

    std::vector<std::string> codes_;
    std::vector<Polygon> polygons_;  // smallest area first; ties by code, then by position in the file
    // Compressed rows over 1x1 degree cells: the polygons whose box overlaps cell c are
    // grid_items_[grid_offsets_[c] .. grid_offsets_[c + 1]), in polygons_ order.
    std::vector<std::uint32_t> grid_offsets_;
    std::vector<std::uint32_t> grid_items_;
};

}  // namespace forgehive::geo
