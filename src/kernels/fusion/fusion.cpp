// Information-form fusion of static-state readings with a leave-one-out chi-square gate
// (docs/sensor-fusion.md). Every sum runs in canonical reading order, so equal inputs give equal bits.
#include "forgehive/kernels/fusion/fusion.hpp"

#include "validation.hpp"

#include <Eigen/Cholesky>
#include <boost/math/distributions/chi_squared.hpp>

#include <algorithm>
#include <tuple>

namespace forgehive::kernels::fusion {
namespace {

using Eigen::MatrixXd;
using Eigen::VectorXd;

// A reading in information form: Y = R^-1 and y = R^-1 z, so that fusing is adding.
struct Information {
    MatrixXd matrix;
    VectorXd vector;
};

// The fused state of some readings: x and P with P^-1 = sum Y_i, x = P sum y_i.
struct Estimate {
    VectorXd x;
    MatrixXd p;
};

MatrixXd symmetrized(const MatrixXd& m) {
    MatrixXd sum = m + m.transpose();
    return 0.5 * sum;
}

Information to_information(const Reading& r) {
    const Eigen::LDLT<MatrixXd> ldlt(r.covariance);
    const auto dim = r.value.size();
    return {symmetrized(ldlt.solve(MatrixXd::Identity(dim, dim))), ldlt.solve(r.value)};
}

Estimate solve(const Information& total) {
    const Eigen::LDLT<MatrixXd> ldlt(total.matrix);
    const auto dim = total.vector.size();
    return {ldlt.solve(total.vector), symmetrized(ldlt.solve(MatrixXd::Identity(dim, dim)))};
}

Information zero_information(Eigen::Index dim) { return {MatrixXd::Zero(dim, dim), VectorXd::Zero(dim)}; }

void add(Information& total, const Information& term) {
    total.matrix += term.matrix;
    total.vector += term.vector;
}

// The fused estimate of the readings listed in `members` (indices in canonical order).
Estimate fit(const std::vector<Information>& info, const std::vector<std::size_t>& members) {
    Information total = zero_information(info.front().vector.size());
    for (std::size_t i : members) add(total, info[i]);
    return solve(total);
}

// Normalized innovation squared of each member against the fit of all the other members:
// d2 = (z - x_-i)^T (R + P_-i)^-1 (z - x_-i). The "others" sums are prefix + suffix sums, each built in
// canonical order, rather than total - own term: a precise reading would cancel catastrophically.
std::vector<double> leave_one_out_nis(const std::vector<Reading>& readings, const std::vector<Information>& info,
                                      const std::vector<std::size_t>& members) {
    const std::size_t m = members.size();
    const auto dim = info.front().vector.size();
    std::vector<Information> prefix(m + 1, zero_information(dim));
    std::vector<Information> suffix(m + 1, zero_information(dim));
    for (std::size_t k = 0; k < m; ++k) {
        prefix[k + 1] = prefix[k];
        add(prefix[k + 1], info[members[k]]);
        suffix[m - k - 1] = suffix[m - k];
        add(suffix[m - k - 1], info[members[m - k - 1]]);
    }
    std::vector<double> nis(m);
    for (std::size_t k = 0; k < m; ++k) {
        Information others = prefix[k];
        add(others, suffix[k + 1]);
        const Estimate loo = solve(others);
        const Reading& r = readings[members[k]];
        const VectorXd innovation = r.value - loo.x;
        const MatrixXd s = r.covariance + loo.p;
        nis[k] = innovation.dot(Eigen::LDLT<MatrixXd>(s).solve(innovation));
    }
    return nis;
}

void sort_canonically(std::vector<Reading>& readings) {
    std::sort(readings.begin(), readings.end(), [](const Reading& a, const Reading& b) {
        return std::tie(a.timestamp, a.sensor_id) < std::tie(b.timestamp, b.sensor_id);
    });
}

double chi2_quantile(Eigen::Index dim, double probability) {
    return boost::math::quantile(boost::math::chi_squared_distribution<double>(static_cast<double>(dim)), probability);
}

}  // namespace

FusionResult fuse_readings(std::vector<Reading> readings, const FusionOptions& options) {
    validate_options(options);
    sort_canonically(readings);
    validate_readings(readings, options);

    std::vector<Information> info;
    info.reserve(readings.size());
    for (const auto& r : readings) info.push_back(to_information(r));

    FusionResult result;
    result.chi2_threshold = chi2_quantile(readings.front().value.size(), options.gate_probability);
    std::vector<std::size_t> members(readings.size());
    for (std::size_t i = 0; i < members.size(); ++i) members[i] = i;

    // Reject the worst offender and refit while at least three readings remain. With two, both
    // statistics equal (z1 - z2)^T (R1 + R2)^-1 (z1 - z2): the gate can tell that they disagree but not
    // which one is wrong, so it keeps both and says so; with one, there is nothing to compare.
    while (members.size() >= 2) {
        const auto nis = leave_one_out_nis(readings, info, members);
        ++result.iterations;
        const auto worst = static_cast<std::size_t>(std::max_element(nis.begin(), nis.end()) - nis.begin());
        if (!(nis[worst] > result.chi2_threshold)) break;
        if (members.size() == 2) {
            result.unresolved_conflict = true;
            break;
        }
        result.rejected.push_back(readings[members[worst]].sensor_id);
        members.erase(members.begin() + static_cast<std::ptrdiff_t>(worst));
    }

    const Estimate fused = fit(info, members);
    result.estimate = fused.x;
    result.covariance = fused.p;
    for (std::size_t i : members) result.used.push_back(readings[i].sensor_id);
    return result;
}

}  // namespace forgehive::kernels::fusion
