// H3 v4 cell indexes (https://h3geo.org/docs/core-library/h3Indexing): strict parsing and validation,
// cell centre and boundary on the sphere, and the parent/child hierarchy.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace forgehive::geo {

// A point on the sphere in degrees (latitude -90..90, longitude -180..180).
struct LatLng {
    double lat;
    double lng;
};

// An index that is not a valid H3 cell; the message names the rule that was broken.
class H3Error : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

inline constexpr int kH3MaxResolution = 15;

// Exactly 15 lower-case hex digits (every cell, at any resolution, prints that way), validated as a
// cell: reserved bit, mode 1, reserved mode bits, resolution, base cell 0..121, digits 0..6 up to the
// resolution and 7 after it, and no index in a pentagon's deleted K-axis subsequence.
std::uint64_t parse_h3_cell(std::string_view text);

// Throws H3Error when `cell` is not a valid cell index (the checks of parse_h3_cell).
void validate_h3_cell(std::uint64_t cell);

// The 15-digit lower-case hex form.
std::string format_h3_cell(std::uint64_t cell);

int h3_resolution(std::uint64_t cell);

// The cell's centre (as h3-js cellToLatLng).
LatLng cell_to_latlng(std::uint64_t cell);

// The cell's boundary, counter-clockwise as h3-js cellToBoundary returns it: 6 vertices for a
// hexagon, 5 for a pentagon, plus a vertex wherever an edge of a Class III cell crosses an
// icosahedron edge (the face projections differ on either side).
std::vector<LatLng> cell_boundary(std::uint64_t cell);

// The ancestor at parent_res (0..resolution of the cell; the cell itself at its own resolution).
std::uint64_t cell_to_parent(std::uint64_t cell, int parent_res);

// True when `ancestor` is `cell` or one of its ancestors.
bool cell_contains(std::uint64_t ancestor, std::uint64_t cell);

}  // namespace forgehive::geo
