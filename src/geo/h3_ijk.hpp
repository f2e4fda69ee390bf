// Hex lattice arithmetic in H3's IJK coordinates (https://h3geo.org/docs/core-library/coordsystems):
// three axes 120 degrees apart, normalised so that no component is negative and at least one is 0.
#pragma once

#include "h3_tables.hpp"

namespace forgehive::geo::h3_ijk {

using h3_tables::CoordIJK;

struct Vec2 {
    double x;
    double y;
};

CoordIJK add(CoordIJK a, CoordIJK b);
CoordIJK sub(CoordIJK a, CoordIJK b);
CoordIJK scale(CoordIJK a, int factor);
CoordIJK normalize(CoordIJK a);

// The unit step of an H3 digit (0 centre, 1 K, 2 J, 3 JK, 4 I, 5 IK, 6 IJ).
CoordIJK unit_vector(int digit);

// One resolution finer: aperture 7 counter-clockwise (Class III) or clockwise (Class II), and
// the aperture 3 substrate grids used to place cell vertices.
CoordIJK down_ap7(CoordIJK a);
CoordIJK down_ap7r(CoordIJK a);
CoordIJK down_ap3(CoordIJK a);
CoordIJK down_ap3r(CoordIJK a);
// One resolution coarser, the inverse of down_ap7r rounded to the nearest cell.
CoordIJK up_ap7r(CoordIJK a);

CoordIJK rotate60_ccw(CoordIJK a);
CoordIJK rotate60_cw(CoordIJK a);

// Cartesian position on the face plane, in units of the lattice spacing, x along the i axis.
Vec2 to_hex2d(CoordIJK a);

// H3 digits rotated by 60 degrees clockwise (digit 0 and 7 map to themselves).
int rotate_digit60_cw(int digit);

}  // namespace forgehive::geo::h3_ijk
