// Sensor fusion kernel: inverse-variance (information-form) fusion of readings of one static quantity, with
// a leave-one-out chi-square outlier gate. The method and its formulas are in docs/sensor-fusion.md.
#pragma once

#include <Eigen/Core>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace forgehive::kernels::fusion {

// One sensor's measurement of the state: a d-vector with its d x d covariance (1 x 1 holds a scalar's
// variance). The timestamp is only an ordering key (unix seconds or milliseconds, the caller's choice).
struct Reading {
    std::string sensor_id;
    Eigen::VectorXd value;
    Eigen::MatrixXd covariance;
    std::int64_t timestamp = 0;
};

struct FusionOptions {
    double gate_probability = 0.99;  // chi-square gate: a reading is an outlier above this quantile
    std::size_t max_dimension = 16;  // largest accepted state dimension d
};

struct FusionResult {
    Eigen::VectorXd estimate;             // fused state of the used readings
    Eigen::MatrixXd covariance;           // its covariance
    std::vector<std::string> used;        // in canonical order (timestamp, then sensor_id)
    std::vector<std::string> rejected;    // in the order the gate rejected them, worst first
    double chi2_threshold = 0;            // chi-square quantile of d degrees of freedom at gate_probability
    int iterations = 0;                   // gate passes over the remaining readings
    bool unresolved_conflict = false;     // two readings remain and fail the gate: neither can be blamed
};

// Fuses the readings (taken by value: they are sorted into canonical order, so the input order never
// changes a bit of the result). Throws std::invalid_argument naming the sensor and the rule for: no
// readings, an empty or too long value, a covariance of the wrong shape, non-finite numbers, a
// non-positive variance, a covariance that is not symmetric positive definite, dimensions that differ
// between readings, a duplicate sensor_id; and for options outside their range.
FusionResult fuse_readings(std::vector<Reading> readings, const FusionOptions& options);

}  // namespace forgehive::kernels::fusion
