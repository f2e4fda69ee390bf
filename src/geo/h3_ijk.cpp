// IJK lattice arithmetic for H3 (h3geo.org "Coordinate systems"; aperture 7 and 3 sub-lattices).
#include "h3_ijk.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace forgehive::geo::h3_ijk {
namespace {

// sqrt(3)/2, the height of the unit lattice triangle.
constexpr double kSin60 = 0.8660254037844386467637231707529361834714;

// a.i * iv + a.j * jv + a.k * kv: each operation below is a linear map given by the images of
// the three unit vectors.
CoordIJK linear(CoordIJK a, CoordIJK iv, CoordIJK jv, CoordIJK kv) {
    return normalize(add(add(scale(iv, a.i), scale(jv, a.j)), scale(kv, a.k)));
}

}  // namespace

CoordIJK add(CoordIJK a, CoordIJK b) { return {a.i + b.i, a.j + b.j, a.k + b.k}; }
CoordIJK sub(CoordIJK a, CoordIJK b) { return {a.i - b.i, a.j - b.j, a.k - b.k}; }
CoordIJK scale(CoordIJK a, int factor) { return {a.i * factor, a.j * factor, a.k * factor}; }

// i + j + k = 0 is the zero vector, so (1,1,1) can be added or removed freely.
CoordIJK normalize(CoordIJK a) {
    const int low = std::min({a.i, a.j, a.k});
    return {a.i - low, a.j - low, a.k - low};
}

CoordIJK unit_vector(int digit) {
    static constexpr std::array<CoordIJK, 7> kUnit = {{
        {0, 0, 0}, {0, 0, 1}, {0, 1, 0}, {0, 1, 1}, {1, 0, 0}, {1, 0, 1}, {1, 1, 0},
    }};
    return kUnit[static_cast<std::size_t>(digit)];
}

CoordIJK down_ap7(CoordIJK a) { return linear(a, {3, 0, 1}, {1, 3, 0}, {0, 1, 3}); }
CoordIJK down_ap7r(CoordIJK a) { return linear(a, {3, 1, 0}, {0, 3, 1}, {1, 0, 3}); }
CoordIJK down_ap3(CoordIJK a) { return linear(a, {2, 0, 1}, {1, 2, 0}, {0, 1, 2}); }
CoordIJK down_ap3r(CoordIJK a) { return linear(a, {2, 1, 0}, {0, 2, 1}, {1, 0, 2}); }
CoordIJK rotate60_ccw(CoordIJK a) { return linear(a, {1, 1, 0}, {0, 1, 1}, {1, 0, 1}); }
CoordIJK rotate60_cw(CoordIJK a) { return linear(a, {1, 0, 1}, {1, 1, 0}, {0, 1, 1}); }

// Inverse of down_ap7r in the two-axis (i - k, j - k) form, rounded half away from zero as the
// reference implementation's lround does.
CoordIJK up_ap7r(CoordIJK a) {
    const int i = a.i - a.k;
    const int j = a.j - a.k;
    const auto ri = static_cast<int>(std::lround((2 * i + j) / 7.0));
    const auto rj = static_cast<int>(std::lround((3 * j - i) / 7.0));
    return normalize({ri, rj, 0});
}

Vec2 to_hex2d(CoordIJK a) {
    const int i = a.i - a.k;
    const int j = a.j - a.k;
    return {i - 0.5 * j, j * kSin60};
}

int rotate_digit60_cw(int digit) {
    // K->JK, J->IJ, JK->J, I->IK, IK->K, IJ->I (the images of unit_vector under rotate60_cw).
    static constexpr std::array<int, 8> kCw = {0, 3, 6, 2, 5, 1, 4, 7};
    return kCw[static_cast<std::size_t>(digit)];
}

}  // namespace forgehive::geo::h3_ijk
