// H3 cell centre and boundary on the sphere: cell index -> face IJK on its icosahedron face ->
// gnomonic plane -> unit vector -> latitude/longitude (h3geo.org "Overview of the H3 Geospatial
// Indexing System": the icosahedron, Class II/III grids, the gnomonic face projections). The steps
// and their floating-point order follow H3 4.5 (as in h3-js 4.5.0), so results agree to ~1e-13 degrees.
#include "forgehive/geo/h3.hpp"

#include "h3_bits.hpp"
#include "h3_ijk.hpp"
#include "h3_tables.hpp"

#include <algorithm>
#include <array>
#include <cfloat>
#include <cmath>
#include <numbers>
#include <vector>

namespace forgehive::geo {
namespace {

using h3_ijk::Vec2;
using h3_tables::CoordIJK;
using h3_tables::FaceIJK;

constexpr double kPi = std::numbers::pi;
constexpr double kTwoPi = 2.0 * std::numbers::pi;
constexpr double kRsqrt7 = 0.37796447300922722721451653623418006081576;
constexpr double kOneThird = 1.0 / 3.0;
constexpr double kSin60 = 0.8660254037844386467637231707529361834714;
// Angle between a Class II grid and the Class III grid below it: asin(sqrt(3/28)).
constexpr double kAp7RotRads = 0.333473172251832115336090755351601070065900389;
// Gnomonic distance of a resolution 0 unit on the face plane (H3's RES0_U_GNOMONIC).
constexpr double kRes0UGnomonic = 0.38196601125010500003;
// Below this a radius or an angle is treated as zero, as the reference implementation does.
constexpr double kEpsilon = 1e-16;
constexpr int kIkDigit = 5;
constexpr int kIDigit = 4;

bool is_class3(int res) { return res % 2 == 1; }

// Class II resolutions only: the face edge lies at i + j + k = 2 * 7^(res/2); 7^(res/2) is the
// length of a resolution 0 unit in cells of this resolution.
int unit_scale(int res) {
    int scale = 1;
    for (int r = 0; r < res / 2; ++r) scale *= 7;
    return scale;
}
int max_dim(int res) { return 2 * unit_scale(res); }

double positive_angle(double rads) {
    const double a = rads < 0.0 ? rads + kTwoPi : rads;
    return a >= kTwoPi ? a - kTwoPi : a;
}

struct Radians {
    double lat;
    double lng;
};

struct Vec3 {
    double x;
    double y;
    double z;
};

Vec3 lin_comb(double a, Vec3 u, double b, Vec3 v) { return {a * u.x + b * v.x, a * u.y + b * v.y, a * u.z + b * v.z}; }
double dot(Vec3 u, Vec3 v) { return u.x * v.x + u.y * v.y + u.z * v.z; }
Vec3 cross(Vec3 u, Vec3 v) { return {u.y * v.z - u.z * v.y, u.z * v.x - u.x * v.z, u.x * v.y - u.y * v.x}; }

Vec3 normalized(Vec3 v) {
    const double norm = std::sqrt(dot(v, v));
    if (norm == 0.0) return v;
    const double inv = 1.0 / norm;
    return {v.x * inv, v.y * inv, v.z * inv};
}

Radians to_lat_lng(Vec3 v) { return {std::asin(v.z), std::atan2(v.y, v.x)}; }

// Inverse gnomonic projection of a face-plane point: the point at angular distance r from the face
// centre along azimuth theta, built from the centre's north and east tangent vectors (face centres
// are never at a pole). A substrate grid (used for vertices) is three times finer and, below a
// Class III resolution, already rotated into Class II.
Radians hex2d_to_geo(Vec2 v, int face, int res, bool substrate) {
    const auto& c = h3_tables::kFaceCenterPoints[static_cast<std::size_t>(face)];
    const Vec3 centre{c[0], c[1], c[2]};
    double r = std::sqrt(v.x * v.x + v.y * v.y);
    if (r < kEpsilon) return to_lat_lng(centre);
    double theta = std::atan2(v.y, v.x);
    for (int i = 0; i < res; ++i) r *= kRsqrt7;
    if (substrate) {
        r *= kOneThird;
        if (is_class3(res)) r *= kRsqrt7;
    }
    r = std::atan(r * kRes0UGnomonic);
    if (!substrate && is_class3(res)) theta = positive_angle(theta + kAp7RotRads);
    theta = positive_angle(h3_tables::kFaceIAxisAzimuth[static_cast<std::size_t>(face)] - theta);
    const Vec3 pole{0.0, 0.0, 1.0};
    const Vec3 north = normalized(lin_comb(1.0, pole, -dot(pole, centre), centre));
    const Vec3 east = cross(north, centre);
    const Vec3 direction = lin_comb(std::cos(theta), north, std::sin(theta), east);
    return to_lat_lng(normalized(lin_comb(std::cos(r), centre, std::sin(r), direction)));
}

enum class Overage { kNone, kFaceEdge, kNewFace };

// Moves a Class II position that lies beyond its face's edge onto the neighbouring face, in that
// face's frame. `pent_leading4`: a pentagon's cells entered through its missing K axis are rotated.
Overage adjust_overage(FaceIJK& f, int res, bool pent_leading4, bool substrate) {
    const int dim = max_dim(res) * (substrate ? 3 : 1);
    CoordIJK& c = f.coord;
    const int sum = c.i + c.j + c.k;
    if (substrate && sum == dim) return Overage::kFaceEdge;
    if (sum <= dim) return Overage::kNone;
    int quadrant = h3_tables::kIJ;
    if (c.k > 0) {
        quadrant = c.j > 0 ? h3_tables::kJK : h3_tables::kKI;
        if (quadrant == h3_tables::kKI && pent_leading4) {
            const CoordIJK origin{dim, 0, 0};
            c = h3_ijk::add(h3_ijk::rotate60_cw(h3_ijk::sub(c, origin)), origin);
        }
    }
    const auto& orient = h3_tables::kFaceNeighbours[static_cast<std::size_t>(f.face)][static_cast<std::size_t>(quadrant)];
    f.face = orient.face;
    for (int i = 0; i < orient.ccw_rot60; ++i) c = h3_ijk::rotate60_ccw(c);
    const CoordIJK shift = h3_ijk::scale(orient.translate, unit_scale(res) * (substrate ? 3 : 1));
    c = h3_ijk::normalize(h3_ijk::add(c, shift));
    if (substrate && c.i + c.j + c.k == dim) return Overage::kFaceEdge;
    return Overage::kNewFace;
}

std::uint64_t rotate_cell60_cw(std::uint64_t h) {
    for (int r = 1; r <= h3_bits::resolution(h); ++r) {
        h = h3_bits::with_digit(h, r, h3_ijk::rotate_digit60_cw(h3_bits::digit(h, r)));
    }
    return h;
}

// The centre child of a pentagon base cell at any resolution is itself a pentagon.
bool is_pentagon(std::uint64_t h) {
    return h3_tables::kBaseCells[static_cast<std::size_t>(h3_bits::base_cell(h))].pentagon &&
           h3_bits::leading_non_zero_digit(h) == 0;
}

// Walks the digits down from the base cell's home position, then moves the result onto the face
// that actually contains it when it spilled over an edge of the home face.
FaceIJK cell_to_face_ijk(std::uint64_t h) {
    const auto& base = h3_tables::kBaseCells[static_cast<std::size_t>(h3_bits::base_cell(h))];
    const int res = h3_bits::resolution(h);
    // A pentagon's IK subsequence is the missing K subsequence rotated: rotate it back.
    if (base.pentagon && h3_bits::leading_non_zero_digit(h) == kIkDigit) h = rotate_cell60_cw(h);
    FaceIJK f = base.home;
    const bool at_face_centre = f.coord.i == 0 && f.coord.j == 0 && f.coord.k == 0;
    for (int r = 1; r <= res; ++r) {
        f.coord = is_class3(r) ? h3_ijk::down_ap7(f.coord) : h3_ijk::down_ap7r(f.coord);
        f.coord = h3_ijk::normalize(h3_ijk::add(f.coord, h3_ijk::unit_vector(h3_bits::digit(h, r))));
    }
    if (!base.pentagon && (res == 0 || at_face_centre)) return f;

    const CoordIJK original = f.coord;
    int class2_res = res;
    if (is_class3(res)) {
        f.coord = h3_ijk::down_ap7r(f.coord);
        ++class2_res;
    }
    const bool pent_leading4 = base.pentagon && h3_bits::leading_non_zero_digit(h) == kIDigit;
    if (adjust_overage(f, class2_res, pent_leading4, false) != Overage::kNone) {
        // Near a pentagon a position can spill over a second edge.
        if (base.pentagon) {
            while (adjust_overage(f, class2_res, false, false) != Overage::kNone) {
            }
        }
        if (class2_res != res) f.coord = h3_ijk::up_ap7r(f.coord);
    } else if (class2_res != res) {
        f.coord = original;
    }
    return f;
}

LatLng to_degrees(Radians p) { return {p.lat * 180 / kPi, p.lng * 180 / kPi}; }

// The cell's vertices on the aperture 3 substrate grid (one resolution finer for Class III, so that
// the substrate is Class II), listed counter-clockwise from the i axis.
struct Vertices {
    std::array<FaceIJK, 6> fijk;
    int count;
    int res;
};

Vertices cell_vertices(FaceIJK centre, int res, bool pentagon) {
    static constexpr std::array<CoordIJK, 6> kClass2 = {{{2, 1, 0}, {1, 2, 0}, {0, 2, 1}, {0, 1, 2}, {1, 0, 2}, {2, 0, 1}}};
    static constexpr std::array<CoordIJK, 6> kClass3 = {{{5, 4, 0}, {1, 5, 0}, {0, 5, 4}, {0, 1, 5}, {4, 0, 5}, {5, 0, 1}}};
    const auto& offsets = is_class3(res) ? kClass3 : kClass2;
    CoordIJK c = h3_ijk::down_ap3r(h3_ijk::down_ap3(centre.coord));
    Vertices out{{}, pentagon ? 5 : 6, res};
    if (is_class3(res)) {
        c = h3_ijk::down_ap7r(c);
        ++out.res;
    }
    for (int v = 0; v < out.count; ++v) {
        const auto i = static_cast<std::size_t>(v);
        out.fijk[i] = {centre.face, h3_ijk::normalize(h3_ijk::add(c, offsets[i]))};
    }
    return out;
}

// Where segment p0-p1 meets the edge of the face triangle on the side of `quadrant` (the triangle's
// corners are at 3 * max_dim on the substrate grid).
Vec2 face_edge_intersection(Vec2 p0, Vec2 p1, int quadrant, int substrate_res) {
    const double dim = max_dim(substrate_res);
    const Vec2 v0{3.0 * dim, 0.0};
    const Vec2 v1{-1.5 * dim, 3.0 * kSin60 * dim};
    const Vec2 v2{-1.5 * dim, -3.0 * kSin60 * dim};
    const Vec2 e0 = quadrant == h3_tables::kIJ ? v0 : quadrant == h3_tables::kJK ? v1 : v2;
    const Vec2 e1 = quadrant == h3_tables::kIJ ? v1 : quadrant == h3_tables::kJK ? v2 : v0;
    const Vec2 s1{p1.x - p0.x, p1.y - p0.y};
    const Vec2 s2{e1.x - e0.x, e1.y - e0.y};
    const double t = (s2.x * (p0.y - e0.y) - s2.y * (p0.x - e0.x)) / (-s2.x * s1.y + s1.x * s2.y);
    return {p0.x + t * s1.x, p0.y + t * s1.y};
}

// A crossing within single-precision epsilon of a vertex is that vertex: no extra vertex is added.
bool almost_equal(Vec2 a, Vec2 b) {
    return std::fabs(a.x - b.x) < FLT_EPSILON && std::fabs(a.y - b.y) < FLT_EPSILON;
}

Radians vertex_to_geo(const FaceIJK& v, int substrate_res) {
    return hex2d_to_geo(h3_ijk::to_hex2d(v.coord), v.face, substrate_res, true);
}

// Hexagon: a vertex may lie on a neighbouring face. When a Class III edge runs from one face to
// another, the point where it crosses the icosahedron edge becomes a vertex too, found in the
// centre face's plane (Class II edges cross faces only at vertices).
std::vector<LatLng> hexagon_boundary(const FaceIJK& centre, int res) {
    const Vertices verts = cell_vertices(centre, res, false);
    std::vector<LatLng> out;
    int last_face = -1;
    Overage last_overage = Overage::kNone;
    // One step past the last vertex closes the loop: the last edge may cross a face edge too.
    for (int n = 0; n <= verts.count; ++n) {
        const int v = n % verts.count;
        FaceIJK fijk = verts.fijk[static_cast<std::size_t>(v)];
        const Overage overage = adjust_overage(fijk, verts.res, false, true);
        if (is_class3(res) && n > 0 && fijk.face != last_face && last_overage != Overage::kFaceEdge) {
            const Vec2 p0 = h3_ijk::to_hex2d(verts.fijk[static_cast<std::size_t>((v + 5) % 6)].coord);
            const Vec2 p1 = h3_ijk::to_hex2d(verts.fijk[static_cast<std::size_t>(v)].coord);
            const int other = last_face == centre.face ? fijk.face : last_face;
            const Vec2 cross =
                face_edge_intersection(p0, p1, h3_tables::adjacent_face_quadrant(centre.face, other), verts.res);
            if (!almost_equal(p0, cross) && !almost_equal(p1, cross)) {
                out.push_back(to_degrees(hex2d_to_geo(cross, centre.face, verts.res, true)));
            }
        }
        if (n < verts.count) out.push_back(to_degrees(vertex_to_geo(fijk, verts.res)));
        last_face = fijk.face;
        last_overage = overage;
    }
    return out;
}

// Moves the pentagon vertex onto the face that holds it (it may spill over more than one edge).
void settle_pentagon_vertex(FaceIJK& v, int substrate_res) {
    while (adjust_overage(v, substrate_res, false, true) == Overage::kNewFace) {
    }
}

// Pentagon: every Class III edge crosses an icosahedron edge. The previous vertex is carried into
// the current vertex's neighbouring face frame and the crossing found there.
std::vector<LatLng> pentagon_boundary(const FaceIJK& centre, int res) {
    const Vertices verts = cell_vertices(centre, res, true);
    std::vector<LatLng> out;
    FaceIJK last{};
    for (int n = 0; n <= verts.count; ++n) {
        FaceIJK fijk = verts.fijk[static_cast<std::size_t>(n % verts.count)];
        settle_pentagon_vertex(fijk, verts.res);
        if (is_class3(res) && n > 0) {
            const int to_last = h3_tables::adjacent_face_quadrant(fijk.face, last.face);
            const auto& orient =
                h3_tables::kFaceNeighbours[static_cast<std::size_t>(fijk.face)][static_cast<std::size_t>(to_last)];
            CoordIJK moved = fijk.coord;
            for (int i = 0; i < orient.ccw_rot60; ++i) moved = h3_ijk::rotate60_ccw(moved);
            moved = h3_ijk::normalize(h3_ijk::add(moved, h3_ijk::scale(orient.translate, unit_scale(verts.res) * 3)));
            const int quadrant = h3_tables::adjacent_face_quadrant(orient.face, fijk.face);
            const Vec2 cross = face_edge_intersection(h3_ijk::to_hex2d(last.coord), h3_ijk::to_hex2d(moved), quadrant,
                                                      verts.res);
            out.push_back(to_degrees(hex2d_to_geo(cross, orient.face, verts.res, true)));
        }
        if (n < verts.count) out.push_back(to_degrees(vertex_to_geo(fijk, verts.res)));
        last = fijk;
    }
    return out;
}

}  // namespace

LatLng cell_to_latlng(std::uint64_t cell) {
    validate_h3_cell(cell);
    const FaceIJK f = cell_to_face_ijk(cell);
    return to_degrees(hex2d_to_geo(h3_ijk::to_hex2d(f.coord), f.face, h3_bits::resolution(cell), false));
}

std::vector<LatLng> cell_boundary(std::uint64_t cell) {
    validate_h3_cell(cell);
    const FaceIJK f = cell_to_face_ijk(cell);
    const int res = h3_bits::resolution(cell);
    return is_pentagon(cell) ? pentagon_boundary(f, res) : hexagon_boundary(f, res);
}

}  // namespace forgehive::geo
