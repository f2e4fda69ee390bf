// Unit tests for the sensor fusion kernel: the independent NumPy reference (tests/fixtures/fusion), analytic
// results, equality with sequential Kalman updates, bit-identical output for any input order, validation.
#include "forgehive/kernels/fusion/fusion.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <Eigen/Cholesky>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace forgehive::kernels::fusion {
namespace {

using Eigen::MatrixXd;
using Eigen::VectorXd;
using nlohmann::json;
using testing::HasSubstr;

constexpr double kRelativeTolerance = 1e-12;

Reading scalar(std::string id, std::int64_t timestamp, double value, double variance) {
    return {std::move(id), VectorXd::Constant(1, value), MatrixXd::Constant(1, 1, variance), timestamp};
}

Reading vector_reading(std::string id, std::int64_t timestamp, VectorXd value, MatrixXd covariance) {
    return {std::move(id), std::move(value), std::move(covariance), timestamp};
}

MatrixXd matrix2(double a, double b, double c) {
    MatrixXd m(2, 2);
    m << a, b, b, c;
    return m;
}

VectorXd vector2(double a, double b) {
    VectorXd v(2);
    v << a, b;
    return v;
}

// ---- The NumPy reference ---------------------------------------------------------------------------

json load_fixtures() {
    const auto path = std::filesystem::path(FORGEHIVE_TEST_SOURCE_DIR) / "tests/fixtures/fusion/fusion_fixtures.json";
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open " + path.string());
    return json::parse(in);
}

VectorXd to_vector(const json& j) {
    VectorXd v(static_cast<Eigen::Index>(j.size()));
    for (std::size_t i = 0; i < j.size(); ++i) v(static_cast<Eigen::Index>(i)) = j[i].get<double>();
    return v;
}

MatrixXd to_matrix(const json& j) {
    const auto n = static_cast<Eigen::Index>(j.size());
    MatrixXd m(n, n);
    for (Eigen::Index r = 0; r < n; ++r) m.row(r) = to_vector(j[static_cast<std::size_t>(r)]).transpose();
    return m;
}

std::vector<Reading> to_readings(const json& j) {
    std::vector<Reading> out;
    for (const auto& r : j)
        out.push_back({r["sensor_id"], to_vector(r["value"]), to_matrix(r["covariance"]), r["timestamp"]});
    return out;
}

// Each entry within kRelativeTolerance of the largest entry of `expected` (covariances have small
// off-diagonal terms whose own relative error says nothing).
void expect_close(const MatrixXd& actual, const MatrixXd& expected, const std::string& what) {
    ASSERT_EQ(actual.rows(), expected.rows()) << what;
    ASSERT_EQ(actual.cols(), expected.cols()) << what;
    const double scale = expected.cwiseAbs().maxCoeff();
    EXPECT_LE((actual - expected).cwiseAbs().maxCoeff(), kRelativeTolerance * scale)
        << what << "\nactual:\n" << actual << "\nexpected:\n" << expected;
}

TEST(FusionReference, MatchesIndependentNumpyImplementation) {
    const json fixtures = load_fixtures();
    ASSERT_GE(fixtures["cases"].size(), 8u);
    for (const auto& c : fixtures["cases"]) {
        const std::string name = c["name"];
        SCOPED_TRACE(name);
        FusionOptions options;
        options.gate_probability = c["gate_probability"];
        const FusionResult result = fuse_readings(to_readings(c["readings"]), options);
        const json& expected = c["expected"];
        expect_close(result.estimate, to_vector(expected["estimate"]), name + " estimate");
        expect_close(result.covariance, to_matrix(expected["covariance"]), name + " covariance");
        EXPECT_EQ(result.used, expected["used"].get<std::vector<std::string>>());
        EXPECT_EQ(result.rejected, expected["rejected"].get<std::vector<std::string>>());
        EXPECT_NEAR(result.chi2_threshold, expected["chi2_threshold"].get<double>(),
                    kRelativeTolerance * expected["chi2_threshold"].get<double>());
        EXPECT_EQ(result.iterations, expected["iterations"].get<int>());
        EXPECT_EQ(result.unresolved_conflict, expected["unresolved_conflict"].get<bool>());
    }
}

// ---- Analytic results ------------------------------------------------------------------------------

TEST(FusionAnalytic, TwoScalarsGiveTheInverseVarianceWeightedMean) {
    const double z1 = 20.5, v1 = 0.25, z2 = 21.0, v2 = 1.0;
    const auto result = fuse_readings({scalar("a", 1, z1, v1), scalar("b", 2, z2, v2)}, {});
    ASSERT_EQ(result.estimate.size(), 1);
    EXPECT_NEAR(result.estimate(0), (v2 * z1 + v1 * z2) / (v1 + v2), 1e-15 * 21);
    EXPECT_NEAR(result.covariance(0, 0), v1 * v2 / (v1 + v2), 1e-16);
    EXPECT_EQ(result.used, (std::vector<std::string>{"a", "b"}));
    EXPECT_TRUE(result.rejected.empty());
    EXPECT_EQ(result.iterations, 1);
    EXPECT_FALSE(result.unresolved_conflict);
}

TEST(FusionAnalytic, IdenticalSensorsDivideTheCovarianceByTheirCount) {
    const MatrixXd r = matrix2(0.5, -0.1, 0.4);
    const VectorXd z = vector2(3.5, -1.25);
    const auto result =
        fuse_readings({vector_reading("c", 9, z, r), vector_reading("a", 9, z, r), vector_reading("b", 9, z, r)}, {});
    expect_close(result.estimate, z, "estimate");
    expect_close(result.covariance, r / 3, "covariance");
    EXPECT_EQ(result.used, (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_TRUE(result.rejected.empty());
}

TEST(FusionAnalytic, ChiSquareThresholdIsTheTabulatedQuantile) {
    // Chi-square table values (0.99 quantile for 1, 2, 3 degrees of freedom; 0.95 for 1).
    const std::vector<std::pair<int, double>> table = {{1, 6.634896601}, {2, 9.210340372}, {3, 11.344866730}};
    for (const auto& [dim, quantile] : table) {
        std::vector<Reading> one = {
            vector_reading("s", 0, VectorXd::Zero(dim), MatrixXd::Identity(dim, dim))};
        EXPECT_NEAR(fuse_readings(one, {}).chi2_threshold, quantile, 1e-9) << dim;
    }
    FusionOptions options;
    options.gate_probability = 0.95;
    EXPECT_NEAR(fuse_readings({scalar("s", 0, 0, 1)}, options).chi2_threshold, 3.841458821, 1e-9);
}

TEST(FusionAnalytic, EqualsSequentialKalmanUpdatesWithIdentityObservation) {
    // Static state, H = I: start from the first reading, then x += K (z - x), P = (I - K) P with
    // K = P (P + R)^-1, in canonical order. The information form must agree.
    std::vector<Reading> readings = {
        vector_reading("p1", 1, vector2(1.0, 2.0), matrix2(1.0, 0.3, 2.0)),
        vector_reading("p2", 2, vector2(1.3, 1.8), matrix2(0.5, -0.1, 0.4)),
        vector_reading("p3", 3, vector2(0.6, 2.4), matrix2(2.0, 0.9, 1.5)),
        vector_reading("p4", 4, vector2(1.1, 2.2), matrix2(1.0, 0.3, 2.0)),
    };
    VectorXd x = readings[0].value;
    MatrixXd p = readings[0].covariance;
    for (std::size_t i = 1; i < readings.size(); ++i) {
        const MatrixXd s = p + readings[i].covariance;
        const MatrixXd k = s.llt().solve(p).transpose();  // P S^-1, both symmetric
        x += k * (readings[i].value - x);
        p = (MatrixXd::Identity(2, 2) - k) * p;
    }
    const auto result = fuse_readings(readings, {});
    ASSERT_TRUE(result.rejected.empty());
    expect_close(result.estimate, x, "estimate");
    expect_close(result.covariance, 0.5 * (p + p.transpose()), "covariance");
}

TEST(FusionAnalytic, FusedCovarianceIsExactlySymmetric) {
    std::vector<Reading> readings = {
        vector_reading("a", 1, vector2(1.0, 2.0), matrix2(1.0, 0.3, 2.0)),
        vector_reading("b", 2, vector2(1.3, 1.8), matrix2(0.5, -0.1, 0.4)),
        vector_reading("c", 3, vector2(0.6, 2.4), matrix2(2.0, 0.9, 1.5)),
    };
    const auto result = fuse_readings(readings, {});
    EXPECT_EQ(result.covariance(0, 1), result.covariance(1, 0));
}

// ---- The gate --------------------------------------------------------------------------------------

TEST(FusionGate, SingleReadingPassesThroughUnjudged) {
    const auto result = fuse_readings({scalar("only", 3, 42.0, 2.0)}, {});
    EXPECT_EQ(result.estimate(0), 42.0);
    EXPECT_EQ(result.covariance(0, 0), 2.0);
    EXPECT_EQ(result.iterations, 0);
    EXPECT_EQ(result.used, std::vector<std::string>{"only"});
}

TEST(FusionGate, TwoDisagreeingReadingsAreKeptAndFlagged) {
    const auto result = fuse_readings({scalar("x", 1, 10.0, 1.0), scalar("y", 1, 20.0, 1.0)}, {});
    EXPECT_TRUE(result.unresolved_conflict);
    EXPECT_TRUE(result.rejected.empty());
    EXPECT_EQ(result.used, (std::vector<std::string>{"x", "y"}));
    EXPECT_EQ(result.estimate(0), 15.0);
}

TEST(FusionGate, GateStopsJudgingAtTwoReadings) {
    // c is rejected against a and b; a and b then disagree too (d2 = 25 / 2 > 6.63), but with two readings
    // either could be the wrong one, so both stay and the conflict is reported.
    const auto result = fuse_readings({scalar("a", 1, 0.0, 1.0), scalar("b", 2, 5.0, 1.0), scalar("c", 3, 100.0, 1.0)}, {});
    EXPECT_EQ(result.rejected, std::vector<std::string>{"c"});
    EXPECT_EQ(result.used, (std::vector<std::string>{"a", "b"}));
    EXPECT_TRUE(result.unresolved_conflict);
    EXPECT_EQ(result.iterations, 2);
    EXPECT_EQ(result.estimate(0), 2.5);
}

TEST(FusionGate, RejectsTheWorstFirstThenRefits) {
    const auto result = fuse_readings(
        {scalar("a", 1, 0.0, 1.0), scalar("b", 2, 0.1, 1.0), scalar("c", 3, 50.0, 1.0), scalar("d", 4, -80.0, 1.0)},
        {});
    EXPECT_EQ(result.rejected, (std::vector<std::string>{"d", "c"}));
    EXPECT_EQ(result.used, (std::vector<std::string>{"a", "b"}));
    EXPECT_FALSE(result.unresolved_conflict);
    EXPECT_EQ(result.iterations, 3);
}

TEST(FusionGate, ClearOutlierIsRejectedAndTheRestFused) {
    const auto result = fuse_readings({scalar("t1", 100, 20.1, 0.04), scalar("t2", 101, 19.9, 0.09),
                                       scalar("t3", 102, 20.3, 0.16), scalar("t4", 103, 27.0, 0.04)},
                                      {});
    EXPECT_EQ(result.rejected, std::vector<std::string>{"t4"});
    EXPECT_EQ(result.used, (std::vector<std::string>{"t1", "t2", "t3"}));
    EXPECT_EQ(result.iterations, 2);
    const double w1 = 1 / 0.04, w2 = 1 / 0.09, w3 = 1 / 0.16;
    EXPECT_NEAR(result.estimate(0), (w1 * 20.1 + w2 * 19.9 + w3 * 20.3) / (w1 + w2 + w3), 1e-13);
}

TEST(FusionGate, LooserProbabilityRejectsMore) {
    std::vector<Reading> readings = {scalar("a", 1, 0.0, 1.0), scalar("b", 2, 0.2, 1.0), scalar("c", 3, -0.1, 1.0),
                                     scalar("d", 4, 3.3, 1.0)};
    FusionOptions strict;
    strict.gate_probability = 0.999;
    FusionOptions loose;
    loose.gate_probability = 0.9;
    EXPECT_TRUE(fuse_readings(readings, strict).rejected.empty());
    EXPECT_EQ(fuse_readings(readings, loose).rejected, std::vector<std::string>{"d"});
}

// ---- Determinism -----------------------------------------------------------------------------------

void expect_bit_identical(const FusionResult& a, const FusionResult& b) {
    ASSERT_EQ(a.estimate.size(), b.estimate.size());
    for (Eigen::Index i = 0; i < a.estimate.size(); ++i) EXPECT_EQ(a.estimate(i), b.estimate(i));
    ASSERT_EQ(a.covariance.size(), b.covariance.size());
    for (Eigen::Index i = 0; i < a.covariance.size(); ++i) EXPECT_EQ(a.covariance.data()[i], b.covariance.data()[i]);
    EXPECT_EQ(a.used, b.used);
    EXPECT_EQ(a.rejected, b.rejected);
    EXPECT_EQ(a.chi2_threshold, b.chi2_threshold);
    EXPECT_EQ(a.iterations, b.iterations);
    EXPECT_EQ(a.unresolved_conflict, b.unresolved_conflict);
}

TEST(FusionDeterminism, EveryInputOrderGivesTheSameBits) {
    std::vector<Reading> readings = {
        vector_reading("p1", 1, vector2(1.0, 2.0), matrix2(1.0, 0.3, 2.0)),
        vector_reading("p2", 2, vector2(1.3, 1.8), matrix2(0.5, -0.1, 0.4)),
        vector_reading("p3", 2, vector2(0.6, 2.4), matrix2(2.0, 0.9, 1.5)),   // same timestamp as p2
        vector_reading("p4", 4, vector2(9.0, -4.0), matrix2(0.5, -0.1, 0.4)),  // the outlier
        vector_reading("p5", 0, vector2(1.1, 2.2), matrix2(1.0, 0.3, 2.0)),
    };
    const FusionResult reference = fuse_readings(readings, {});
    ASSERT_EQ(reference.rejected, std::vector<std::string>{"p4"});
    std::sort(readings.begin(), readings.end(), [](const Reading& a, const Reading& b) { return a.sensor_id < b.sensor_id; });
    int permutations = 0;
    do {
        expect_bit_identical(fuse_readings(readings, {}), reference);
        ++permutations;
    } while (std::next_permutation(readings.begin(), readings.end(),
                                   [](const Reading& a, const Reading& b) { return a.sensor_id < b.sensor_id; }));
    EXPECT_EQ(permutations, 120);
}

TEST(FusionDeterminism, RepeatedCallsGiveTheSameBits) {
    const json fixtures = load_fixtures();
    for (const auto& c : fixtures["cases"]) {
        const auto readings = to_readings(c["readings"]);
        expect_bit_identical(fuse_readings(readings, {}), fuse_readings(readings, {}));
    }
}

// ---- Validation ------------------------------------------------------------------------------------

std::string error_of(std::vector<Reading> readings, const FusionOptions& options = {}) {
    try {
        fuse_readings(std::move(readings), options);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    ADD_FAILURE() << "expected std::invalid_argument";
    return "";
}

TEST(FusionValidation, EmptyInput) { EXPECT_THAT(error_of({}), HasSubstr("at least one reading")); }

TEST(FusionValidation, NonFiniteNumbers) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    EXPECT_THAT(error_of({scalar("ok", 1, 1, 1), scalar("bad", 2, nan, 1)}), HasSubstr("sensor 'bad': value is not finite"));
    EXPECT_THAT(error_of({scalar("bad", 1, inf, 1)}), HasSubstr("sensor 'bad': value is not finite"));
    EXPECT_THAT(error_of({scalar("bad", 1, 1, inf)}), HasSubstr("sensor 'bad': covariance is not finite"));
    EXPECT_THAT(error_of({scalar("bad", 1, 1, nan)}), HasSubstr("sensor 'bad': covariance is not finite"));
}

TEST(FusionValidation, NonPositiveVariance) {
    EXPECT_THAT(error_of({scalar("zero", 1, 1, 0.0)}), HasSubstr("sensor 'zero': variance 0"));
    EXPECT_THAT(error_of({scalar("neg", 1, 1, -2.0)}), HasSubstr("sensor 'neg': variance -2"));
    EXPECT_THAT(error_of({vector_reading("diag", 1, vector2(0, 0), matrix2(1.0, 0.0, -1.0))}),
                HasSubstr("sensor 'diag': variance -1 (covariance[1][1]) is not positive"));
}

TEST(FusionValidation, NotSymmetricPositiveDefinite) {
    // Positive variances, but |covariance| > sqrt(product): an impossible correlation above 1.
    EXPECT_THAT(error_of({vector_reading("corr", 1, vector2(0, 0), matrix2(1.0, 2.0, 1.0))}),
                HasSubstr("sensor 'corr': covariance is not positive definite"));
    // Correlation exactly 1: singular.
    EXPECT_THAT(error_of({vector_reading("sing", 1, vector2(0, 0), matrix2(1.0, 1.0, 1.0))}),
                HasSubstr("sensor 'sing': covariance is not positive definite"));
    MatrixXd asymmetric = matrix2(1.0, 0.2, 1.0);
    asymmetric(0, 1) = 0.3;
    EXPECT_THAT(error_of({vector_reading("asym", 1, vector2(0, 0), asymmetric)}),
                HasSubstr("sensor 'asym': covariance is not symmetric"));
}

TEST(FusionValidation, RoundingLevelAsymmetryIsAccepted) {
    MatrixXd nearly = matrix2(1.0, 0.3, 2.0);
    nearly(0, 1) = std::nextafter(0.3, 1.0);
    EXPECT_NO_THROW(fuse_readings({vector_reading("a", 1, vector2(0, 0), nearly)}, {}));
}

TEST(FusionValidation, DimensionMismatch) {
    EXPECT_THAT(error_of({scalar("one", 1, 1, 1), vector_reading("two", 2, vector2(0, 0), MatrixXd::Identity(2, 2))}),
                HasSubstr("sensor 'two': value has dimension 2 but the other readings have 1"));
    EXPECT_THAT(error_of({vector_reading("shape", 1, vector2(0, 0), MatrixXd::Identity(3, 3))}),
                HasSubstr("sensor 'shape': covariance is 3x3, expected 2x2"));
    EXPECT_THAT(error_of({vector_reading("rect", 1, vector2(0, 0), MatrixXd::Identity(2, 3))}),
                HasSubstr("sensor 'rect': covariance is 2x3, expected 2x2"));
    EXPECT_THAT(error_of({vector_reading("empty", 1, VectorXd(), MatrixXd())}), HasSubstr("sensor 'empty': value is empty"));
    FusionOptions small;
    small.max_dimension = 1;
    EXPECT_THAT(error_of({vector_reading("big", 1, vector2(0, 0), MatrixXd::Identity(2, 2))}, small),
                HasSubstr("sensor 'big': value has dimension 2, above max_dimension 1"));
}

TEST(FusionValidation, DuplicateAndEmptySensorIds) {
    EXPECT_THAT(error_of({scalar("twin", 1, 1, 1), scalar("other", 2, 1, 1), scalar("twin", 3, 1, 1)}),
                HasSubstr("sensor 'twin': duplicate sensor_id"));
    EXPECT_THAT(error_of({scalar("", 1, 1, 1)}), HasSubstr("empty sensor_id"));
}

TEST(FusionValidation, FirstErrorDoesNotDependOnInputOrder) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    std::vector<Reading> readings = {scalar("late", 9, nan, 1), scalar("early", 1, 1, -1)};
    const std::string first = error_of(readings);
    std::reverse(readings.begin(), readings.end());
    EXPECT_EQ(error_of(readings), first);
    EXPECT_THAT(first, HasSubstr("sensor 'early'"));
}

TEST(FusionValidation, OptionsOutOfRange) {
    for (double p : {0.0, 1.0, -0.5, 1.5, std::numeric_limits<double>::quiet_NaN()}) {
        FusionOptions options;
        options.gate_probability = p;
        EXPECT_THAT(error_of({scalar("a", 1, 1, 1)}, options), HasSubstr("gate_probability")) << p;
    }
    FusionOptions zero_dim;
    zero_dim.max_dimension = 0;
    EXPECT_THAT(error_of({scalar("a", 1, 1, 1)}, zero_dim), HasSubstr("max_dimension"));
}

}  // namespace
}  // namespace forgehive::kernels::fusion
