// Public Monte Carlo kernel API: argument checks, dispatch to the profile drivers, exact merge, and the
// Black–Scholes reference price.
#include "forgehive/kernels/mc/kernels.hpp"

#include "drivers.hpp"

#include <cmath>
#include <stdexcept>

namespace forgehive::kernels::mc {
namespace {

template <typename... Fs>
struct Overloaded : Fs... {
    using Fs::operator()...;
};
template <typename... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

void require_valid(const ProfileArgs& args) {
    if (auto violation = validate(args)) {
        throw std::invalid_argument("mc kernel called with invalid args: " + violation->field + " " + violation->rule);
    }
}

}  // namespace

Partial run_units(const ProfileArgs& args, const RootKey& key, std::uint64_t first_unit, std::uint64_t count) {
    return run_units(args, key, first_unit, count, default_isa());
}

Partial run_units(const ProfileArgs& args, const RootKey& key, std::uint64_t first_unit, std::uint64_t count,
                  Isa isa) {
    require_valid(args);
    std::uint64_t units = unit_count(args);
    if (first_unit > units || count > units - first_unit) {
        throw std::invalid_argument("mc kernel: unit range past unit_count");
    }
    blocks::Variant variant = detail::variant_for(isa);
    return std::visit(
        Overloaded{
            [&](const EtaArgs& a) { return detail::run_eta(a, key, first_unit, count, variant); },
            [&](const InsuranceArgs& a) { return detail::run_insurance(a, key, first_unit, count); },
            [&](const OptionArgs& a) { return detail::run_option(a, key, first_unit, count, variant); },
        },
        args);
}

void merge(Partial& into, const Partial& next) {
    if (next.count == 0 && next.units == 0) return;
    if (into.exceed.empty()) {
        into.exceed.assign(next.exceed.size(), 0);
    } else if (!next.exceed.empty() && next.exceed.size() != into.exceed.size()) {
        throw std::invalid_argument("mc merge: partials have different threshold counts");
    }
    for (std::size_t k = 0; k < next.exceed.size(); ++k) into.exceed[k] += next.exceed[k];
    if (next.count > 0) {
        into.min = into.count == 0 || next.min < into.min ? next.min : into.min;
        into.max = into.count == 0 || next.max > into.max ? next.max : into.max;
    }
    into.units += next.units;
    into.count += next.count;
    into.sum.add(next.sum);
    into.sum_sq.add(next.sum_sq);
    into.sketch.merge(next.sketch);
    into.positive += next.positive;
}

Output finalize(const ProfileArgs& args, const Partial& partial) {
    require_valid(args);
    if (partial.count != iterations_of(args)) {
        throw std::invalid_argument("mc finalize: partial holds " + std::to_string(partial.count) + " samples, args ask for " +
                                    std::to_string(iterations_of(args)));
    }
    return std::visit(
        Overloaded{
            [&](const EtaArgs& a) -> Output {
                if (partial.exceed.size() != a.thresholds.size())
                    throw std::invalid_argument("mc finalize: exceedance counts do not match thresholds");
                return detail::finalize_eta(a, partial);
            },
            [&](const InsuranceArgs& a) -> Output { return detail::finalize_insurance(a, partial); },
            [&](const OptionArgs& a) -> Output { return detail::finalize_option(a, partial); },
        },
        args);
}

std::vector<double> samples(const ProfileArgs& args, const RootKey& key, std::uint64_t first, std::uint64_t count) {
    require_valid(args);
    return std::visit(
        Overloaded{
            [&](const EtaArgs& a) { return detail::eta_samples(a, key, first, count); },
            [&](const InsuranceArgs& a) { return detail::insurance_samples(a, key, first, count); },
            [&](const OptionArgs& a) { return detail::option_samples(a, key, first, count); },
        },
        args);
}

double black_scholes(const OptionArgs& a) {
    double discounted_strike = a.strike * std::exp(-a.rate * a.maturity);
    double vol_sqrt_t = a.volatility * std::sqrt(a.maturity);
    if (vol_sqrt_t == 0.0) {
        double forward_value = a.spot - discounted_strike;  // deterministic path
        return a.call ? std::max(forward_value, 0.0) : std::max(-forward_value, 0.0);
    }
    double d1 = (std::log(a.spot / a.strike) + (a.rate + 0.5 * a.volatility * a.volatility) * a.maturity) / vol_sqrt_t;
    double d2 = d1 - vol_sqrt_t;
    auto normal_cdf = [](double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); };
    if (a.call) return a.spot * normal_cdf(d1) - discounted_strike * normal_cdf(d2);
    return discounted_strike * normal_cdf(-d2) - a.spot * normal_cdf(-d1);
}

}  // namespace forgehive::kernels::mc
