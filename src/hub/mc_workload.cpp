// mc Workload: Partials serialise canonically (exact sums as hex limbs, sketch bins as integers) so
// result_hash is a function of the exact merged state only.
#include "forgehive/hub/mc_workload.hpp"

#include <fmt/format.h>

#include "forgehive/crypto/jcs.hpp"

namespace forgehive::hub {
namespace {

namespace mc = kernels::mc;
using nlohmann::ordered_json;

std::string limbs_hex(const mc::ExactSum& sum) {
    std::string out;
    out.reserve(mc::ExactSum::kLimbs * 16);
    for (auto limb : sum.limbs) out += fmt::format("{:016x}", static_cast<std::uint64_t>(limb));
    return out;
}

ordered_json render(const mc::EtaOutput& o) {
    ordered_json histogram = ordered_json::array();
    for (const auto& bin : o.histogram) histogram.push_back({{"lower", bin.lower}, {"upper", bin.upper}, {"count", bin.count}});
    ordered_json out = {{"mean", o.mean}, {"std", o.std},   {"stderr", o.stderr_}, {"min", o.min}, {"max", o.max},
                        {"p50", o.p50},   {"p90", o.p90},   {"p95", o.p95},        {"p99", o.p99}, {"histogram", histogram}};
    if (!o.exceedance.empty()) {
        ordered_json exceedance = ordered_json::object();
        for (const auto& [threshold, p] : o.exceedance) exceedance[crypto::format_number(threshold)] = p;
        out["exceedance"] = exceedance;
    }
    return out;
}

ordered_json render(const mc::InsuranceOutput& o) {
    return {{"mean", o.mean},       {"std", o.std},         {"stderr", o.stderr_},   {"var_95", o.var_95},
            {"var_99", o.var_99},   {"var_995", o.var_995}, {"tvar_95", o.tvar_95},  {"tvar_99", o.tvar_99},
            {"tvar_995", o.tvar_995}, {"p_loss", o.p_loss}, {"max", o.max}};
}

ordered_json render(const mc::OptionOutput& o) {
    return {{"price", o.price}, {"stderr", o.stderr_}, {"ci95", {o.ci95_low, o.ci95_high}}};
}

class McPartial final : public PartialResult {
public:
    McPartial(const mc::ProfileArgs& args, mc::Partial partial) : args_(args), partial_(std::move(partial)) {}

    void merge(const PartialResult& next) override { mc::merge(partial_, static_cast<const McPartial&>(next).partial_); }

    nlohmann::json canonical() const override {
        const auto& p = partial_;
        return {{"units", p.units},
                {"count", p.count},
                {"sum", limbs_hex(p.sum)},
                {"sum_sq", limbs_hex(p.sum_sq)},
                {"min", p.min},
                {"max", p.max},
                {"sketch", {{"offset", p.sketch.offset}, {"zero_count", p.sketch.zero_count}, {"bins", p.sketch.bins}}},
                {"exceed", p.exceed},
                {"positive", p.positive}};
    }

    nlohmann::ordered_json output() const override {
        return std::visit([](const auto& o) { return render(o); }, mc::finalize(args_, partial_));
    }

private:
    const mc::ProfileArgs& args_;
    mc::Partial partial_;
};

class McWorkload final : public Workload {
public:
    McWorkload(mc::ProfileArgs args, mc::RootKey key) : args_(std::move(args)), key_(key) {}

    std::uint64_t unit_count() const override { return mc::unit_count(args_); }
    std::uint64_t unit_size() const override { return mc::kUnitIterations; }

    std::uint64_t work_in(std::uint64_t first_unit, std::uint64_t count) const override {
        std::uint64_t total = 0;
        for (auto u = first_unit; u < first_unit + count; ++u) total += mc::unit_iterations(args_, u);
        return total;
    }

    std::unique_ptr<PartialResult> run(std::uint64_t first_unit, std::uint64_t count) const override {
        return std::make_unique<McPartial>(args_, mc::run_units(args_, key_, first_unit, count));
    }

    std::map<std::string, std::string> kernel_versions() const override {
        return {{"mc", mc::kernel_version(args_)}};
    }

private:
    mc::ProfileArgs args_;
    mc::RootKey key_;
};

}  // namespace

std::unique_ptr<Workload> make_mc_workload(kernels::mc::ProfileArgs args, kernels::mc::RootKey key) {
    return std::make_unique<McWorkload>(std::move(args), key);
}

}  // namespace forgehive::hub
