// mc args parsing. JSON numbers are read with the widest bounds here; the kernel's validate() applies
// the documented ranges and names the field.
#include "forgehive/api/mc_args.hpp"

#include <limits>

#include "forgehive/core/api_error.hpp"
#include "forgehive/core/json_reader.hpp"

namespace forgehive::api {
namespace {

namespace mc = kernels::mc;
constexpr double kBig = std::numeric_limits<double>::max();

std::uint64_t iterations(core::JsonReader& args) {
    return static_cast<std::uint64_t>(args.integer("iterations", 1, static_cast<std::int64_t>(mc::kMaxIterations)));
}

double num(core::JsonReader& r, std::string_view key) { return r.number(key, -kBig, kBig); }

mc::EtaArgs parse_eta(core::JsonReader args) {
    mc::EtaArgs out;
    out.iterations = iterations(args);
    out.base_eta = num(args, "base_eta");
    out.traffic_mean = num(args, "traffic_mean");
    out.traffic_std = num(args, "traffic_std");
    out.weather_prob = num(args, "weather_prob");
    out.weather_mean = num(args, "weather_mean");
    out.weather_std = num(args, "weather_std");
    out.incident_prob = num(args, "incident_prob");
    out.incident_mean = num(args, "incident_mean");
    out.incident_std = num(args, "incident_std");
    if (args.has("thresholds")) out.thresholds = args.number_list("thresholds", mc::kMaxThresholds, -kBig, kBig);
    args.finish();
    return out;
}

mc::Frequency parse_frequency(core::JsonReader r) {
    mc::Frequency out;
    out.dist = r.one_of("dist", {"poisson", "negbin"}) == "poisson" ? mc::Frequency::Dist::poisson
                                                                     : mc::Frequency::Dist::negbin;
    out.lambda = num(r, "lambda");
    if (out.dist == mc::Frequency::Dist::negbin) out.dispersion = num(r, "dispersion");
    r.finish();
    return out;
}

mc::Severity parse_severity(core::JsonReader r) {
    mc::Severity out;
    auto dist = r.one_of("dist", {"lognormal", "gamma", "pareto"});
    if (dist == "lognormal") {
        out.dist = mc::Severity::Dist::lognormal;
        out.mu = num(r, "mu");
        out.sigma = num(r, "sigma");
    } else {
        out.dist = dist == "gamma" ? mc::Severity::Dist::gamma : mc::Severity::Dist::pareto;
        out.shape = num(r, "shape");
        out.scale = num(r, "scale");
    }
    r.finish();
    return out;
}

mc::InsuranceArgs parse_insurance(core::JsonReader args) {
    mc::InsuranceArgs out;
    out.iterations = iterations(args);
    out.frequency = parse_frequency(args.object("frequency"));
    out.severity = parse_severity(args.object("severity"));
    out.deductible = num(args, "deductible");
    out.limit = num(args, "limit");
    if (args.has("aggregate_limit")) out.aggregate_limit = num(args, "aggregate_limit");
    args.finish();
    return out;
}

mc::OptionArgs parse_option(core::JsonReader args) {
    mc::OptionArgs out;
    out.iterations = iterations(args);
    out.spot = num(args, "spot");
    out.strike = num(args, "strike");
    out.rate = num(args, "rate");
    out.volatility = num(args, "volatility");
    out.maturity = num(args, "maturity");
    out.call = args.one_of("type", {"call", "put"}) == "call";
    out.antithetic = args.optional_boolean("antithetic").value_or(false);
    args.finish();
    return out;
}

}  // namespace

kernels::mc::ProfileArgs parse_mc_args(const std::string& profile, const nlohmann::json& json) {
    core::JsonReader args(json, "args");
    mc::ProfileArgs out;
    if (profile == "eta.v1") {
        out = parse_eta(args);
    } else if (profile == "insurance.loss.v1") {
        out = parse_insurance(args);
    } else if (profile == "finance.option.v1") {
        out = parse_option(args);
    } else {
        throw core::ApiError("invalid_request", 400,
                             "field 'op.profile' must be one of: eta.v1, insurance.loss.v1, finance.option.v1 "
                             "for op.name mc");
    }
    if (auto violation = mc::validate(out))
        throw core::ApiError("invalid_request", 400, "field '" + violation->field + "' " + violation->rule);
    return out;
}

}  // namespace forgehive::api
