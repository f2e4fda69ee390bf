// Fixed data of the H3 grid: the 122 base cells' home faces and the 20 icosahedron faces (centres,
// axis orientation, neighbours). Values from the H3 reference library (github.com/uber/h3,
// src/h3lib/lib/baseCells.c and faceijk.c, Apache-2.0), checked end to end by the h3-js fixtures.
#pragma once

#include <array>

namespace forgehive::geo::h3_tables {

// A hex lattice position in the three-axis (i, j, k) system of one face (h3geo.org "IJK coordinates").
struct CoordIJK {
    int i;
    int j;
    int k;
};

struct FaceIJK {
    int face;
    CoordIJK coord;
};

struct BaseCell {
    FaceIJK home;
    bool pentagon;
};

// How to step onto the face across one edge: the neighbour, its origin's position in this face's
// frame (in units of the resolution's unit scale) and the 60-degree ccw turns between the frames.
struct FaceOrient {
    int face;
    CoordIJK translate;
    int ccw_rot60;
};

inline constexpr int kFaceCount = 20;

// Quadrants of a face, the index into face_neighbours.
enum Quadrant { kCentral = 0, kIJ = 1, kKI = 2, kJK = 3 };

extern const std::array<BaseCell, 122> kBaseCells;
// Face centres as unit vectors (x towards 0N 0E, z towards the north pole).
extern const std::array<std::array<double, 3>, kFaceCount> kFaceCenterPoints;
// Azimuth (radians, clockwise from north) from each face centre along its Class II i axis.
extern const std::array<double, kFaceCount> kFaceIAxisAzimuth;
extern const std::array<std::array<FaceOrient, 4>, kFaceCount> kFaceNeighbours;

// The quadrant of `from` across which `to` lies, or -1 when the faces do not share an edge.
int adjacent_face_quadrant(int from, int to);

}  // namespace forgehive::geo::h3_tables
