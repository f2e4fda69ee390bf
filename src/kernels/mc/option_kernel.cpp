// finance.option.v1: the driver over work units (block kernels do the path sampling), sample replay,
// and the discounted price with its standard error and 95% interval.
#include "drivers.hpp"

#include "forgehive/kernels/mc/det_math.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

namespace forgehive::kernels::mc::detail {
namespace {

blocks::OptionParams make_params(const OptionArgs& a, const RootKey& key) {
    double drift = (a.rate - 0.5 * (a.volatility * a.volatility)) * a.maturity;
    double vol_sqrt_t = a.volatility * std::sqrt(a.maturity);  // IEEE sqrt: correctly rounded everywhere
    return {{key.key[0], key.key[1]}, a.spot, a.strike, drift, vol_sqrt_t, a.call, a.antithetic};
}

}  // namespace

Partial run_option(const OptionArgs& args, const RootKey& key, std::uint64_t first_unit, std::uint64_t count,
                   const blocks::Variant& variant) {
    Partial out;
    blocks::OptionParams params = make_params(args, key);
    auto block = std::make_unique<blocks::BlockOut>();
    for_each_block(args, first_unit, count, out, [&](std::uint64_t first, std::size_t valid, blocks::LaneAcc& lanes) {
        variant.option_block(params, first, valid, *block, lanes);
    });
    return out;
}

std::vector<double> option_samples(const OptionArgs& args, const RootKey& key, std::uint64_t first,
                                   std::uint64_t count) {
    blocks::OptionParams params = make_params(args, key);
    blocks::Variant variant = variant_for(default_isa());
    auto block = std::make_unique<blocks::BlockOut>();
    blocks::LaneAcc lanes = fresh_lanes();
    std::vector<double> values;
    values.reserve(count);
    for (std::uint64_t done = 0; done < count; done += blocks::kBlock) {
        std::size_t valid = static_cast<std::size_t>(std::min<std::uint64_t>(blocks::kBlock, count - done));
        variant.option_block(params, first + done, valid, *block, lanes);
        values.insert(values.end(), block->values, block->values + valid);
    }
    return values;
}

OptionOutput finalize_option(const OptionArgs& args, const Partial& p) {
    Moments m = moments(p, 0.0);
    double discount = det_exp(-args.rate * args.maturity);
    double price = discount * std::clamp(m.mean, p.min, p.max);
    double stderr_ = discount * m.stderr_;
    return {price, stderr_, price - 1.96 * stderr_, price + 1.96 * stderr_};
}

}  // namespace forgehive::kernels::mc::detail
