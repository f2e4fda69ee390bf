// GeosContext: RAII ownership of one reentrant GEOS context (geos_c.h *_r API), its WKT and GeoJSON
// readers, and the text of the last error GEOS reported through it. Not thread-safe, like the context.
#pragma once

#include <geos_c.h>

#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace forgehive::geo {

// A coordinate as GEOS prints one in its validity reasons (3.11: an ostream with precision 15, "x y",
// and " z" when z is not NaN), so that every reason we give reads like GEOS's and Shapely's.
std::string format_coordinate(double x, double y, double z = std::numeric_limits<double>::quiet_NaN());

class GeosContext {
public:
    struct GeometryDeleter {
        GEOSContextHandle_t handle;
        void operator()(GEOSGeometry* geometry) const { GEOSGeom_destroy_r(handle, geometry); }
    };
    using Geometry = std::unique_ptr<GEOSGeometry, GeometryDeleter>;

    GeosContext();  // throws std::runtime_error when GEOS cannot allocate a context or reader
    ~GeosContext();
    GeosContext(const GeosContext&) = delete;
    GeosContext& operator=(const GeosContext&) = delete;

    GEOSContextHandle_t handle() const { return handle_; }

    // A null Geometry means GEOS refused the text; last_error() then says why.
    Geometry read_wkt(const std::string& wkt);
    Geometry read_geojson(const std::string& geojson);
    const std::string& last_error() const { return last_error_; }

    // The (x, y) pairs of a Point, LineString or LinearRing, interleaved, Z and M dropped.
    std::vector<double> coordinates(const GEOSGeometry* simple);
    // Nullopt when valid; otherwise GEOS's reason with its location, "Self-intersection[0.5 0.5]".
    std::optional<std::string> invalidity(const GEOSGeometry* geometry);

private:
    static void on_error(const char* message, void* self);
    void release();
    Geometry adopt(GEOSGeometry* geometry) const { return Geometry(geometry, GeometryDeleter{handle_}); }
    std::string take_string(char* text) const;

    GEOSContextHandle_t handle_ = nullptr;
    GEOSWKTReader* wkt_reader_ = nullptr;
    GEOSGeoJSONReader* geojson_reader_ = nullptr;
    std::string last_error_;
};

}  // namespace forgehive::geo
