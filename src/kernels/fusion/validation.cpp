// Input checks of the fusion kernel: shapes, finiteness, positive variances, symmetric positive definite
// covariances, one dimension for all readings, unique sensor ids.
#include "validation.hpp"

#include <Eigen/Cholesky>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace forgehive::kernels::fusion {
namespace {

// Covariances built in floating point (e.g. A A^T) may be a few ulps from symmetric; more than this,
// relative to the largest entry, is a wrong matrix rather than rounding.
constexpr double kSymmetryTolerance = 1e-9;

[[noreturn]] void reject(const Reading& r, std::string_view rule) {
    throw std::invalid_argument(fmt::format("sensor '{}': {}", r.sensor_id, rule));
}

void check_shape(const Reading& r, Eigen::Index dim, const FusionOptions& options) {
    const auto d = r.value.size();
    if (d == 0) reject(r, "value is empty");
    if (static_cast<std::size_t>(d) > options.max_dimension)
        reject(r, fmt::format("value has dimension {}, above max_dimension {}", d, options.max_dimension));
    if (d != dim)
        reject(r, fmt::format("value has dimension {} but the other readings have {}", d, dim));
    if (r.covariance.rows() != d || r.covariance.cols() != d)
        reject(r, fmt::format("covariance is {}x{}, expected {}x{}", r.covariance.rows(), r.covariance.cols(), d, d));
}

void check_numbers(const Reading& r) {
    if (!r.value.allFinite()) reject(r, "value is not finite");
    if (!r.covariance.allFinite()) reject(r, "covariance is not finite");
    for (Eigen::Index i = 0; i < r.covariance.rows(); ++i) {
        if (!(r.covariance(i, i) > 0))
            reject(r, fmt::format("variance {} (covariance[{}][{}]) is not positive", r.covariance(i, i), i, i));
    }
}

void check_spd(const Reading& r) {
    const double scale = r.covariance.cwiseAbs().maxCoeff();
    if ((r.covariance - r.covariance.transpose()).cwiseAbs().maxCoeff() > kSymmetryTolerance * scale)
        reject(r, "covariance is not symmetric");
    // Eigen's LLT fails on a non-positive pivot; its reciprocal condition estimate catches matrices that
    // are positive definite only by rounding, whose inverse would be noise.
    const Eigen::LLT<Eigen::MatrixXd> llt(r.covariance);
    if (llt.info() != Eigen::Success || !(llt.rcond() > std::numeric_limits<double>::epsilon()))
        reject(r, "covariance is not positive definite");
}

void check_unique_ids(const std::vector<Reading>& readings) {
    std::vector<const std::string*> ids;
    for (const auto& r : readings) ids.push_back(&r.sensor_id);
    std::sort(ids.begin(), ids.end(), [](const auto* a, const auto* b) { return *a < *b; });
    const auto dup = std::adjacent_find(ids.begin(), ids.end(), [](const auto* a, const auto* b) { return *a == *b; });
    if (dup != ids.end()) throw std::invalid_argument(fmt::format("sensor '{}': duplicate sensor_id", **dup));
}

}  // namespace

void validate_options(const FusionOptions& options) {
    if (!(options.gate_probability > 0 && options.gate_probability < 1))
        throw std::invalid_argument(
            fmt::format("gate_probability {} is outside (0, 1)", options.gate_probability));
    if (options.max_dimension == 0) throw std::invalid_argument("max_dimension must be at least 1");
}

void validate_readings(const std::vector<Reading>& readings, const FusionOptions& options) {
    if (readings.empty()) throw std::invalid_argument("sensor fusion needs at least one reading");
    for (const auto& r : readings) {
        if (r.sensor_id.empty()) throw std::invalid_argument("a reading has an empty sensor_id");
    }
    check_unique_ids(readings);
    const Eigen::Index dim = readings.front().value.size();
    for (const auto& r : readings) {
        check_shape(r, dim, options);
        check_numbers(r);
        check_spd(r);
    }
}

}  // namespace forgehive::kernels::fusion
