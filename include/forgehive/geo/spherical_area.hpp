// Area on the sphere of rings given in longitude/latitude degrees, for the geometry gate's area bound.
#pragma once

#include <span>

namespace forgehive::geo {

// IUGG mean Earth radius R1 (Moritz, "Geodetic Reference System 1980", J. Geodesy 74, 2000).
inline constexpr double kEarthMeanRadiusKm = 6371.0088;

// Area in km² of the region enclosed by a ring whose edges are straight lines in the longitude/latitude
// plane (the plane GEOS validates in), on a sphere of radius kEarthMeanRadiusKm. `lng_lat` holds the
// ring's vertices as interleaved pairs (lng0, lat0, lng1, lat1, ...) in degrees; the ring closes back
// to its first vertex whether or not it repeats it. The result does not depend on orientation.
double ring_area_km2(std::span<const double> lng_lat);

}  // namespace forgehive::geo
