// GeometryValidator: parses GeoJSON and WKT with GEOS, applies the geometry checks, and finds the first
// geometry problem in a Hive step's context.
#include "forgehive/geo/geometry_validator.hpp"

#include <fmt/format.h>

#include <stdexcept>
#include <variant>

#include "geojson_shape.hpp"
#include "geometry_checks.hpp"
#include "geos_context.hpp"
#include "json_pointer.hpp"
#include "wkt_text.hpp"

namespace forgehive::geo {
namespace {

// The deepest "(" nesting legal WKT within the limits can have: one level per GeometryCollection,
// then a MultiPolygon's three.
constexpr std::int64_t kParenthesesBelowCollections = 3;

void require_positive(double value, const char* name) {
    if (!(value > 0)) throw std::invalid_argument(fmt::format("GeometryLimits::{} must be positive", name));
}

}  // namespace

class GeometryValidator::Engine {
public:
    explicit Engine(const GeometryLimits& limits) : limits_(limits) {}

    std::optional<std::string> check_geojson(const nlohmann::json& value, GeometryBudget& budget) {
        const auto prepared = geojson_for_geos(value, limits_.max_depth);
        if (const auto* problem = std::get_if<std::string>(&prepared)) return *problem;
        // Strings inside (Feature properties) may hold invalid UTF-8 when the value was built in code.
        const std::string text =
            std::get<nlohmann::json>(prepared).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        const auto geometry = geos_.read_geojson(text);
        if (!geometry) return fmt::format("Invalid GeoJSON: {}", geos_.last_error());
        return parsed_geometry_problem(geos_, geometry.get(), limits_, budget);
    }

    std::optional<std::string> check_wkt(std::string_view text, GeometryBudget& budget) {
        const auto body = wkt_body_offset(text);
        if (const auto* problem = std::get_if<std::string>(&body)) return *problem;
        const std::size_t offset = std::get<std::size_t>(body);
        if (auto problem = wkt_text_problem(text, offset, limits_.max_depth + kParenthesesBelowCollections))
            return problem;
        const auto geometry = geos_.read_wkt(std::string(text.substr(offset)));
        if (!geometry) return fmt::format("Invalid WKT: {}", geos_.last_error());
        return parsed_geometry_problem(geos_, geometry.get(), limits_, budget);
    }

    // Depth-first in document order; `pointer` is the value's RFC 6901 pointer, extended in place.
    std::optional<GeometryProblem> first_problem(const nlohmann::json& value, std::string& pointer,
                                                 std::int64_t level, GeometryBudget& budget) {
        if (is_geojson(value)) return as_problem(pointer, check_geojson(value, budget));
        if (value.is_string()) {
            const auto& text = value.get_ref<const std::string&>();
            return is_wkt_text(text) ? as_problem(pointer, check_wkt(text, budget)) : std::nullopt;
        }
        if (!value.is_structured() || value.empty()) return std::nullopt;
        if (level >= limits_.max_depth)
            return GeometryProblem{pointer, fmt::format("Nested deeper than {} levels below the context, where "
                                                        "geometries are not looked for", limits_.max_depth)};
        for (const auto& [key, child] : value.items()) {  // an array's keys are its indices
            const std::size_t length = pointer.size();
            pointer += '/';
            pointer += json_pointer_token(key);
            auto problem = first_problem(child, pointer, level + 1, budget);
            pointer.resize(length);
            if (problem) return problem;
        }
        return std::nullopt;
    }

private:
    static std::optional<GeometryProblem> as_problem(const std::string& pointer, std::optional<std::string> reason) {
        if (!reason) return std::nullopt;
        return GeometryProblem{pointer, std::move(*reason)};
    }

    GeometryLimits limits_;
    GeosContext geos_;
};

GeometryValidator::GeometryValidator(GeometryLimits limits) : limits_(limits) {
    require_positive(static_cast<double>(limits_.max_vertices), "max_vertices");
    require_positive(limits_.max_area_km2, "max_area_km2");
    require_positive(static_cast<double>(limits_.max_geometries), "max_geometries");
    require_positive(static_cast<double>(limits_.max_depth), "max_depth");
    if (limits_.max_depth > kMaxDepth)
        throw std::invalid_argument(fmt::format("GeometryLimits::max_depth must be at most {}", kMaxDepth));
    engine_ = std::make_unique<Engine>(limits_);
}

GeometryValidator::~GeometryValidator() = default;

std::optional<std::string> GeometryValidator::check_geojson(const nlohmann::json& geometry) const {
    GeometryBudget budget;
    return engine_->check_geojson(geometry, budget);
}

std::optional<std::string> GeometryValidator::check_wkt(std::string_view wkt) const {
    GeometryBudget budget;
    return engine_->check_wkt(wkt, budget);
}

std::optional<GeometryProblem> GeometryValidator::first_problem(const nlohmann::json& context) const {
    GeometryBudget budget;
    std::string pointer;
    return engine_->first_problem(context, pointer, 0, budget);
}

}  // namespace forgehive::geo
