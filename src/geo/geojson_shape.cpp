// GeoJSON (RFC 7946) recognition and the preparation of a value for GEOS's GeoJSON reader.
#include "geojson_shape.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
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
constexpr std::size_t kPositionWithAltitude = 3;

bool is_position_with_altitude(const nlohmann::json& value) {
    return value.is_array() && value.size() == kPositionWithAltitude &&
           std::all_of(value.begin(), value.end(), [](const nlohmann::json& v) { return v.is_number(); });
}

bool is_null_feature(const nlohmann::json& value) {
    if (!value.is_object() || value.value("type", nlohmann::json()) != "Feature") return false;
    const auto geometry = value.find("geometry");
    return geometry == value.end() || geometry->is_null();
}

// Copies the value while checking it, depth first, so the first problem in document order is named.
class Preparation {
public:
    explicit Preparation(std::int64_t max_level) : max_level_(max_level) {}

    std::optional<std::string> copy(const nlohmann::json& value, nlohmann::json& out, std::int64_t level,
                                    bool in_coordinates) {
        if (value.is_number_float() && !std::isfinite(value.get<double>()))
            return fmt::format("Invalid Coordinate: non-finite number at {}", pointer_);
        if (!value.is_structured()) {
            out = value;
            return std::nullopt;
        }
        if (level > max_level_) return fmt::format("GeoJSON nests deeper than {} levels at {}", max_level_, pointer_);
        if (is_null_feature(value))
            return pointer_.empty() ? "Empty geometry (Feature without a geometry)"
                                    : fmt::format("Empty geometry (Feature without a geometry at {})", pointer_);
        out = value.is_array() ? nlohmann::json::array() : nlohmann::json::object();
        for (const auto& [key, child] : value.items()) {  // an array's keys are its indices
            nlohmann::json& target = value.is_array() ? out.emplace_back() : out[key];
            if (auto problem = copy_child(child, target, key, level, in_coordinates || key == "coordinates"))
                return problem;
        }
        if (in_coordinates && is_position_with_altitude(out)) out.erase(kPositionWithAltitude - 1);
        return std::nullopt;
    }

private:
    std::optional<std::string> copy_child(const nlohmann::json& child, nlohmann::json& out, const std::string& key,
                                          std::int64_t level, bool in_coordinates) {
        const std::size_t length = pointer_.size();
        pointer_ += '/';
        pointer_ += json_pointer_token(key);
        auto problem = copy(child, out, level + 1, in_coordinates);
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

std::variant<nlohmann::json, std::string> geojson_for_geos(const nlohmann::json& value,
                                                           std::int64_t max_collection_depth) {
    nlohmann::json out;
    Preparation preparation(kLevelsPerCollection * max_collection_depth + kLevelsInGeometry);
    if (auto problem = preparation.copy(value, out, 0, false)) return std::move(*problem);
    return out;
}

}  // namespace forgehive::geo
