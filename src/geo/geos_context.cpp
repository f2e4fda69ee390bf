// GeosContext: one reentrant GEOS context with its readers; GEOS's errors are kept as text.
#include "geos_context.hpp"

#include <fmt/format.h>

#include <cctype>
#include <cmath>
#include <sstream>
#include <stdexcept>

namespace forgehive::geo {
namespace {

std::string format_location(GEOSContextHandle_t handle, const GEOSGeometry* point) {
    double x = 0, y = 0, z = std::numeric_limits<double>::quiet_NaN();
    if (!GEOSGeomGetX_r(handle, point, &x) || !GEOSGeomGetY_r(handle, point, &y)) return "";
    if (GEOSHasZ_r(handle, point) == 1) GEOSGeomGetZ_r(handle, point, &z);
    return format_coordinate(x, y, z);
}

}  // namespace

std::string format_coordinate(double x, double y, double z) {
    std::ostringstream out;
    out.precision(15);
    out << x << ' ' << y;
    if (!std::isnan(z)) out << ' ' << z;
    return out.str();
}

GeosContext::GeosContext() {
    handle_ = GEOS_init_r();
    if (!handle_) throw std::runtime_error("GEOS: cannot create a context");
    GEOSContext_setErrorMessageHandler_r(handle_, &GeosContext::on_error, this);
    wkt_reader_ = GEOSWKTReader_create_r(handle_);
    geojson_reader_ = GEOSGeoJSONReader_create_r(handle_);
    if (!wkt_reader_ || !geojson_reader_) {
        const std::string why = last_error_;
        release();
        throw std::runtime_error(fmt::format("GEOS: cannot create a reader: {}", why));
    }
}

GeosContext::~GeosContext() { release(); }

void GeosContext::release() {
    if (geojson_reader_) GEOSGeoJSONReader_destroy_r(handle_, geojson_reader_);
    if (wkt_reader_) GEOSWKTReader_destroy_r(handle_, wkt_reader_);
    if (handle_) GEOS_finish_r(handle_);
    geojson_reader_ = nullptr;
    wkt_reader_ = nullptr;
    handle_ = nullptr;
}

// GEOS hands the _r message handler a complete message ("ParseException: ..."), not a format. Some
// end in a newline, which a reason shown to a client should not.
void GeosContext::on_error(const char* message, void* self) {
    std::string& text = static_cast<GeosContext*>(self)->last_error_;
    text = message ? message : "";
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
}

std::string GeosContext::take_string(char* text) const {
    std::string copy = text ? text : "";
    if (text) GEOSFree_r(handle_, text);
    return copy;
}

GeosContext::Geometry GeosContext::read_wkt(const std::string& wkt) {
    last_error_.clear();
    return adopt(GEOSWKTReader_read_r(handle_, wkt_reader_, wkt.c_str()));
}

GeosContext::Geometry GeosContext::read_geojson(const std::string& geojson) {
    last_error_.clear();
    return adopt(GEOSGeoJSONReader_readGeometry_r(handle_, geojson_reader_, geojson.c_str()));
}

std::vector<double> GeosContext::coordinates(const GEOSGeometry* simple) {
    const GEOSCoordSequence* sequence = GEOSGeom_getCoordSeq_r(handle_, simple);
    unsigned int size = 0;
    if (!sequence || !GEOSCoordSeq_getSize_r(handle_, sequence, &size))
        throw std::runtime_error(fmt::format("GEOS: cannot read coordinates: {}", last_error_));
    std::vector<double> xy(2 * std::size_t{size});
    if (size > 0 && !GEOSCoordSeq_copyToBuffer_r(handle_, sequence, xy.data(), 0, 0))
        throw std::runtime_error(fmt::format("GEOS: cannot copy coordinates: {}", last_error_));
    return xy;
}

std::optional<std::string> GeosContext::invalidity(const GEOSGeometry* geometry) {
    last_error_.clear();
    char* reason = nullptr;
    GEOSGeometry* location = nullptr;
    const char verdict = GEOSisValidDetail_r(handle_, geometry, 0, &reason, &location);
    const Geometry owned_location = adopt(location);
    std::string text = take_string(reason);
    if (verdict == 1) return std::nullopt;
    if (verdict != 0) return fmt::format("Validity check failed: {}", last_error_);
    if (owned_location) text += fmt::format("[{}]", format_location(handle_, owned_location.get()));
    return text;
}

}  // namespace forgehive::geo
