// Exact spherical area of a longitude/latitude ring by Green's theorem.
#include "forgehive/geo/spherical_area.hpp"

#include <cmath>
#include <cstddef>
#include <numbers>

namespace forgehive::geo {
namespace {

constexpr double kRadiansPerDegree = std::numbers::pi / 180.0;

// sin(h) / h, without the cancellation of the quotient near h = 0 (Taylor series there).
double sinc(double h) {
    if (std::abs(h) < 1e-4) return 1.0 - h * h / 6.0;
    return std::sin(h) / h;
}

// ∫ sin φ dλ along an edge on which φ varies linearly with λ (straight in the lng/lat plane). With
// φ = φ1 + (λ - λ1) Δφ/Δλ the integral is Δλ (cos φ1 - cos φ2) / Δφ = Δλ sin(φm) sinc(Δφ/2), φm the
// mean latitude; the second form is also right for Δφ = 0 and has no cancellation for small Δφ.
double edge_integral(double lng1, double lat1, double lng2, double lat2) {
    const double d_lng = (lng2 - lng1) * kRadiansPerDegree;
    const double d_lat = (lat2 - lat1) * kRadiansPerDegree;
    const double mid_lat = 0.5 * (lat1 + lat2) * kRadiansPerDegree;
    return d_lng * std::sin(mid_lat) * sinc(0.5 * d_lat);
}

}  // namespace

// Area element on the sphere: R² cos φ dφ dλ. Green's theorem turns its integral over the region into
// R² |∮ sin φ dλ| around the boundary, summed here edge by edge.
double ring_area_km2(std::span<const double> lng_lat) {
    const std::size_t n = lng_lat.size() / 2;
    if (n < 3) return 0.0;
    double sum = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t j = (i + 1) % n;
        sum += edge_integral(lng_lat[2 * i], lng_lat[2 * i + 1], lng_lat[2 * j], lng_lat[2 * j + 1]);
    }
    return kEarthMeanRadiusKm * kEarthMeanRadiusKm * std::abs(sum);
}

}  // namespace forgehive::geo
