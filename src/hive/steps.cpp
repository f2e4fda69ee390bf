// Step types. sensor_fusion runs here: the step's readings for its cell and epoch, plus the estimates
// of the sensor_fusion steps it depends on, fused by kernels/fusion (docs/sensor-fusion.md).
#include "forgehive/hive/steps.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <stdexcept>

#include "forgehive/core/api_error.hpp"
#include "forgehive/kernels/fusion/fusion.hpp"

namespace forgehive::hive {
namespace {

namespace fusion = kernels::fusion;

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// The epoch a step fuses: context.epoch when given, else the epoch of its newest reading.
std::int64_t step_epoch(const Step& step, std::int64_t epoch_seconds) {
    if (step.context_epoch) return *step.context_epoch;
    std::int64_t newest = 0;
    for (const auto& r : step.readings) newest = std::max(newest, r.timestamp);
    return floor_div(newest, epoch_seconds);
}

fusion::Reading kernel_reading(const SensorReading& r) {
    auto n = static_cast<Eigen::Index>(r.value.size());
    fusion::Reading out{r.sensor_id, Eigen::VectorXd(n), Eigen::MatrixXd(n, n), r.timestamp};
    for (Eigen::Index i = 0; i < n; ++i) {
        out.value(i) = r.value[static_cast<std::size_t>(i)];
        for (Eigen::Index j = 0; j < n; ++j) out.covariance(i, j) = r.covariance[static_cast<std::size_t>(i * n + j)];
    }
    return out;
}

// A completed sensor_fusion dependency contributes its estimate as one more reading, "step:<id>".
std::optional<fusion::Reading> dependency_reading(const StepResult& input, const std::string& id, std::int64_t at) {
    const auto& out = input.output;
    if (!out.is_object() || !out.contains("estimate")) return std::nullopt;
    SensorReading r{"step:" + id, {}, {}, at, out["estimate"].is_array()};
    if (r.vector) {
        r.value = out["estimate"].get<std::vector<double>>();
        r.covariance = out["covariance"].get<std::vector<double>>();
    } else {
        r.value = {out["estimate"].get<double>()};
        r.covariance = {out["variance"].get<double>()};
    }
    return kernel_reading(r);
}

nlohmann::json vector_json(const Eigen::VectorXd& v) { return std::vector<double>(v.data(), v.data() + v.size()); }

nlohmann::json matrix_json(const Eigen::MatrixXd& m) {
    std::vector<double> flat;
    for (Eigen::Index i = 0; i < m.rows(); ++i)
        for (Eigen::Index j = 0; j < m.cols(); ++j) flat.push_back(m(i, j));
    return flat;
}

nlohmann::json fusion_output(const fusion::FusionResult& result, bool vector) {
    nlohmann::json out;
    if (vector) {
        out["estimate"] = vector_json(result.estimate);
        out["covariance"] = matrix_json(result.covariance);
    } else {
        out["estimate"] = result.estimate(0);
        out["variance"] = result.covariance(0, 0);
    }
    out["dimension"] = result.estimate.size();
    out["used"] = result.used;
    out["rejected"] = result.rejected;
    out["chi2_threshold"] = result.chi2_threshold;
    out["gate_iterations"] = result.iterations;
    out["unresolved_conflict"] = result.unresolved_conflict;
    return out;
}

nlohmann::json run_sensor_fusion(const Step& step, const std::vector<const StepResult*>& inputs, const StepContext& context) {
    auto epoch = step_epoch(step, context.epoch_seconds);
    auto start = epoch * context.epoch_seconds;
    std::vector<fusion::Reading> readings;
    std::vector<std::string> excluded;
    for (const auto& r : step.readings) {
        if (r.timestamp >= start && r.timestamp < start + context.epoch_seconds) {
            readings.push_back(kernel_reading(r));
        } else {
            excluded.push_back(r.sensor_id);
        }
    }
    for (std::size_t i = 0; i < inputs.size(); ++i)
        if (auto prior = dependency_reading(*inputs[i], step.depends_on[i], start)) readings.push_back(std::move(*prior));
    if (readings.empty())
        throw std::runtime_error(fmt::format("no readings in epoch {} (timestamps {} to {}); {} outside it", epoch, start,
                                             start + context.epoch_seconds - 1, excluded.size()));
    auto out = fusion_output(fusion::fuse_readings(std::move(readings), fusion::FusionOptions{}),
                             step.readings.front().vector);
    out["h3_cell"] = step.context_h3_cell.value_or(context.h3_cell);
    out["epoch"] = epoch;
    out["excluded"] = excluded;
    return out;
}

}  // namespace

void require_implemented(const ComputeRequest& request) {
    for (std::size_t i = 0; i < request.steps.size(); ++i) {
        const auto& step = request.steps[i];
        if (step.type == "sensor_fusion") continue;
        throw core::ApiError("not_implemented", 501,
                             fmt::format("step type '{}' (steps[{}], id '{}') is not implemented on this server yet; "
                                         "sensor_fusion is",
                                         step.type, i, step.id));
    }
}

nlohmann::json run_step(const Step& step, const std::vector<const StepResult*>& inputs, const StepContext& context) {
    return run_sensor_fusion(step, inputs, context);
}

}  // namespace forgehive::hive
