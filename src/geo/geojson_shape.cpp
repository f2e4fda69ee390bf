// GeoJSON (RFC 7946) recognition and the checks made before GEOS parses a value.
#include "geojson_shape.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>

#include "forgehive/geo/geometry_validator.hpp"
#include "json_pointer.hpp"

namespace forgehive::geo {
namespace {

constexpr std::array<std::string_view, 9> kGeoJsonTypes = {
    "Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon",
    "GeometryCollection", "Feature", "FeatureCollection"};

// JSON levels one collection level may add (FeatureCollection -> "features" -> Feature -> geometry),
// and those below the innermost geometry object (a MultiPolygon's four levels of arrays).
constexpr std::int64_t kLevelsPerCollection = 3;
constexpr std::int64_t kLevelsInGeometry = 4;

class ShapeWalk {
public:
    explicit ShapeWalk(std::int64_t max_level) : max_level_(max_level) {}

    std::optional<std::string> visit(const nlohmann::json& value, std::int64_t level) {
        if (value.is_number_float() && !std::isfinite(value.get<double>()))
            return fmt::format("Invalid Coordinate: non-finite number at {}", pointer_);
        if (!value.is_structured()) return std::nullopt;
        if (level > max_level_) return fmt::format("GeoJSON nests deeper than {} levels at {}", max_level_, pointer_);
        if (is_null_feature(value))
            return pointer_.empty() ? "Empty geometry (Feature without a geometry)"
                                    : fmt::format("Empty geometry (Feature without a geometry at {})", pointer_);
        if (value.is_array()) {
            for (std::size_t i = 0; i < value.size(); ++i)
                if (auto problem = visit_child(value[i], std::to_string(i), level)) return problem;
        } else {
            for (const auto& [key, child] : value.items())
                if (auto problem = visit_child(child, json_pointer_token(key), level)) return problem;
        }
        return std::nullopt;
    }

private:
    static bool is_null_feature(const nlohmann::json& value) {
        if (!value.is_object() || value.value("type", nlohmann::json()) != "Feature") return false;
        const auto geometry = value.find("geometry");
        return geometry == value.end() || geometry->is_null();
    }

    std::optional<std::string> visit_child(const nlohmann::json& child, const std::string& token, std::int64_t level) {
        const std::size_t length = pointer_.size();
        pointer_ += '/';
        pointer_ += token;
        auto problem = visit(child, level + 1);
        pointer_.resize(length);
        return problem;
    }

    std::int64_t max_level_;
    std::string pointer_;
};

}  // namespace

bool is_geojson(const nlohmann::json& value) {
    if (!value.is_object()) return false;
    const auto type = value.find("type");
    if (type == value.end() || !type->is_string()) return false;
    const auto& name = type->get_ref<const std::string&>();
    return std::find(kGeoJsonTypes.begin(), kGeoJsonTypes.end(), name) != kGeoJsonTypes.end();
}

std::optional<std::string> geojson_shape_problem(const nlohmann::json& value, std::int64_t max_collection_depth) {
    return ShapeWalk(kLevelsPerCollection * max_collection_depth + kLevelsInGeometry).visit(value, 0);
}

}  // namespace forgehive::geo
