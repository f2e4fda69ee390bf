// Hive POST /v1/compute admission on one thread: signed requests per second through gate 1 and through
// all four gates (everything ComputeService::admit does but the store), against the raw Ed25519 verify rate.
#include <openssl/evp.h>
#include <sodium.h>

#include <benchmark/benchmark.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <fmt/format.h>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "forgehive/crypto/ed25519.hpp"
#include "forgehive/crypto/hash.hpp"
#include "forgehive/crypto/jcs.hpp"
#include "forgehive/geo/country_index.hpp"
#include "forgehive/geo/geometry_validator.hpp"
#include "forgehive/hive/geometry_gate.hpp"
#include "forgehive/geo/h3.hpp"
#include "forgehive/hive/compute_request.hpp"
#include "forgehive/hive/dag.hpp"
#include "forgehive/hive/delegation.hpp"
#include "forgehive/hive/jurisdiction.hpp"
#include "forgehive/hive/settlement.hpp"
#include "forgehive/hive/signature_gate.hpp"
#include "forgehive/hive/steps.hpp"

namespace hive = forgehive::hive;
namespace geo = forgehive::geo;
namespace crypto = forgehive::crypto;
using nlohmann::json;

namespace {

constexpr std::string_view kIssuedAt = "2026-11-24T10:00:00Z";

hive::TimePoint bench_now() { return *hive::parse_rfc3339_utc("2026-11-24T10:00:30Z"); }

crypto::KeyPair key_from(std::uint8_t fill) {
    std::array<std::uint8_t, 32> seed{};
    seed.fill(fill);
    return crypto::keypair_from_seed(seed);
}

std::string pk_hex(const crypto::KeyPair& key) { return crypto::to_hex(key.public_key.data(), key.public_key.size()); }

json reading(const std::string& sensor, double value, double variance, std::int64_t timestamp) {
    return {{"sensor_id", sensor}, {"value", value}, {"variance", variance}, {"timestamp", timestamp}};
}

// A small area of interest in Rome (about 5 km x 3 km), the kind of geometry gate 4 sees.
json rome_context() {
    json ring = json::array({json::array({12.45, 41.89}), json::array({12.51, 41.89}), json::array({12.51, 41.92}),
                             json::array({12.45, 41.92}), json::array({12.45, 41.89})});
    return {{"aoi", {{"type", "Polygon"}, {"coordinates", json::array({ring})}}}};
}

// 1 step, or 3: two independent fusions and one that depends on both.
json steps(int count) {
    json air = {{"id", "air"}, {"type", "sensor_fusion"}, {"context", rome_context()},
                {"readings", {reading("station-1", 21.4, 0.25, 1795514400), reading("station-2", 21.9, 0.5, 1795514460)}}};
    if (count == 1) return json::array({air});
    json ground = {{"id", "ground"}, {"type", "sensor_fusion"},
                   {"readings", {reading("probe-3", 21.2, 0.3, 1795514410), reading("probe-4", 21.5, 0.4, 1795514470),
                                 reading("probe-5", 21.7, 0.35, 1795514480)}}};
    json refine = {{"id", "refine"}, {"type", "sensor_fusion"}, {"depends_on", {"air", "ground"}},
                   {"readings", {reading("drone-7", 21.6, 0.1, 1795514500)}}};
    return json::array({air, ground, refine});
}

// principal -> fleet operator -> requester, each scope narrower (budget and H3 area) than its parent's.
json delegation_chain(const crypto::KeyPair& principal, const crypto::KeyPair& middle, const std::string& requester) {
    auto rome = geo::parse_h3_cell(hive::kDefaultH3Cell);
    auto now = bench_now();
    auto month = std::chrono::hours(24 * 30);
    hive::DelegationScope wide{{"sensor_fusion"}, 1'000'000'000, std::vector{geo::format_h3_cell(geo::cell_to_parent(rome, 4))}};
    hive::DelegationScope narrow{{"sensor_fusion"}, 100'000'000, std::vector{geo::format_h3_cell(geo::cell_to_parent(rome, 5))}};
    return json::array({hive::make_delegation_cert(principal, pk_hex(middle), wide, now - month, now + month),
                        hive::make_delegation_cert(middle, requester, narrow, now - month, now + month)});
}

struct Variant {
    const char* label;
    int step_count;
    bool chained;
};

constexpr std::array<Variant, 4> kVariants{{{"1 step, principal", 1, false},
                                            {"3 steps, principal", 3, false},
                                            {"1 step, 2-cert chain", 1, true},
                                            {"3 steps, 2-cert chain", 3, true}}};

// One signed request as it arrives on the wire, with the bytes gate 1 verifies.
struct SignedFixture {
    std::string body;          // compact JSON text, `signature` member included
    std::string signed_bytes;  // JCS of the request without `signature`
    std::array<std::uint8_t, 64> signature{};
    std::array<std::uint8_t, 32> public_key{};
};

SignedFixture signed_fixture(const Variant& variant) {
    auto principal = key_from(0x11);
    auto agent = key_from(0x22);
    const auto& signer = variant.chained ? agent : principal;
    json request = {{"requester_pk", pk_hex(signer)}, {"h3_cell", hive::kDefaultH3Cell}, {"budget_gns", 0.01},
                    {"issued_at", kIssuedAt}, {"nonce", fmt::format("bench-{}-{}", variant.step_count, variant.chained)},
                    {"steps", steps(variant.step_count)}};
    if (variant.chained) request["delegation"] = delegation_chain(principal, key_from(0x33), pk_hex(agent));
    SignedFixture out;
    out.signed_bytes = crypto::canonicalize(request);
    out.signature = crypto::sign(out.signed_bytes, signer);
    out.public_key = signer.public_key;
    request["signature"] = crypto::to_hex(out.signature.data(), out.signature.size());
    out.body = request.dump();
    return out;
}

const SignedFixture& fixture(std::int64_t index) {
    static const std::array<SignedFixture, 4> fixtures{signed_fixture(kVariants[0]), signed_fixture(kVariants[1]),
                                                       signed_fixture(kVariants[2]), signed_fixture(kVariants[3])};
    return fixtures.at(static_cast<std::size_t>(index));
}

// What ComputeService holds for admission, loaded once as the server does at start-up. Principals are
// an in-memory set here; the server asks the store (an indexed SQLite lookup).
struct Admission {
    geo::CountryIndex countries = geo::CountryIndex::load(FORGEHIVE_SOURCE_DIR "/data/borders/countries.geojson");
    hive::JurisdictionPolicy policy = hive::load_jurisdiction_policy(FORGEHIVE_SOURCE_DIR "/config/jurisdictions.toml");
    hive::RequestLimits limits;
    hive::SignatureOptions signature;
    hive::DelegationPolicy delegation;
    geo::GeometryLimits geometry;
    hive::Pricing pricing;
    std::set<std::string> principals{pk_hex(key_from(0x11))};
};

const Admission& admission() {
    static const Admission instance;
    return instance;
}

hive::DelegationOutcome delegation_gate(const hive::ComputeRequest& request, const Admission& a) {
    std::vector<std::string> types;
    for (const auto& step : request.steps) types.push_back(step.type);
    hive::DelegationRequest wanted{request.requester_pk, types, request.budget_nano, request.h3_cell, bench_now()};
    auto is_principal = [&a](const std::string& pk) { return a.principals.count(pk) > 0; };
    return hive::check_delegation(request.delegation, wanted, a.delegation, is_principal, hive::cell_within);
}

// ComputeService::admit without the store and the epoch: fields, DAG, jurisdiction, delegation, geometry,
// step types, budget. Returns the budget left so nothing can be optimised away.
std::int64_t admit(const hive::SignedRequest& signed_request, const Admission& a) {
    auto request = hive::parse_compute_request(signed_request.body, a.limits);
    auto dependencies = hive::resolve_dependencies(request.steps);
    auto where = hive::resolve_jurisdiction(request, a.countries, a.policy);
    auto authority = delegation_gate(request, a);
    hive::check_geometry(request, a.geometry);
    hive::require_implemented(request);
    auto prices = hive::step_prices(request, a.pricing);
    hive::check_budget(prices, request.budget_nano);
    benchmark::DoNotOptimize(dependencies);
    benchmark::DoNotOptimize(where);
    benchmark::DoNotOptimize(authority);
    return request.budget_nano - prices.front();
}

void per_request(benchmark::State& state) {
    state.SetItemsProcessed(state.iterations());
    state.SetLabel(kVariants.at(static_cast<std::size_t>(state.range(0))).label);
}

// Baseline: crypto::verify (libsodium, strict) over the same bytes gate 1 verifies.
void BM_Ed25519Verify(benchmark::State& state) {
    const auto& f = fixture(state.range(0));
    for (auto _ : state) benchmark::DoNotOptimize(crypto::verify(f.signed_bytes, f.signature, f.public_key));
    state.counters["message_bytes"] = static_cast<double>(f.signed_bytes.size());
    per_request(state);
}

// Baseline without forgehive's wrapper: libsodium's crypto_sign_verify_detached.
void BM_SodiumVerifyDetached(benchmark::State& state) {
    const auto& f = fixture(state.range(0));
    const auto* message = reinterpret_cast<const unsigned char*>(f.signed_bytes.data());
    for (auto _ : state)
        benchmark::DoNotOptimize(
            crypto_sign_verify_detached(f.signature.data(), message, f.signed_bytes.size(), f.public_key.data()));
    per_request(state);
}

// The same bytes through OpenSSL's EVP interface (what `openssl speed ed25519` times, on 20-byte
// messages there): one DigestVerifyInit and DigestVerify per request, the key decoded once.
void BM_OpenSslVerify(benchmark::State& state) {
    const auto& f = fixture(state.range(0));
    EVP_PKEY* key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, f.public_key.data(), f.public_key.size());
    EVP_MD_CTX* context = EVP_MD_CTX_new();
    const auto* message = reinterpret_cast<const unsigned char*>(f.signed_bytes.data());
    for (auto _ : state) {
        if (EVP_DigestVerifyInit(context, nullptr, nullptr, nullptr, key) != 1) state.SkipWithError("DigestVerifyInit failed");
        benchmark::DoNotOptimize(
            EVP_DigestVerify(context, f.signature.data(), f.signature.size(), message, f.signed_bytes.size()));
    }
    EVP_MD_CTX_free(context);
    EVP_PKEY_free(key);
    per_request(state);
}

void BM_Gate1Signature(benchmark::State& state) {
    const auto& f = fixture(state.range(0));
    const auto& a = admission();
    for (auto _ : state) benchmark::DoNotOptimize(hive::check_signature(f.body, "", a.signature, bench_now()));
    per_request(state);
}

void BM_AllFourGates(benchmark::State& state) {
    const auto& f = fixture(state.range(0));
    const auto& a = admission();
    for (auto _ : state) benchmark::DoNotOptimize(admit(hive::check_signature(f.body, "", a.signature, bench_now()), a));
    per_request(state);
}

// The pieces, to show where the time of BM_AllFourGates goes (each on the same request).
void BM_Part_ParseStrict(benchmark::State& state) {
    const auto& f = fixture(state.range(0));
    for (auto _ : state) benchmark::DoNotOptimize(crypto::parse_strict(f.body));
    per_request(state);
}

void BM_Part_Canonicalize(benchmark::State& state) {
    auto body = crypto::parse_strict(fixture(state.range(0)).body);
    body.erase("signature");
    for (auto _ : state) benchmark::DoNotOptimize(crypto::canonicalize(body));
    per_request(state);
}

void BM_Part_CopyBody(benchmark::State& state) {
    auto body = crypto::parse_strict(fixture(state.range(0)).body);
    for (auto _ : state) {
        json copy = body;
        benchmark::DoNotOptimize(copy);
    }
    per_request(state);
}

void BM_Part_ParseComputeRequest(benchmark::State& state) {
    auto body = crypto::parse_strict(fixture(state.range(0)).body);
    const auto& a = admission();
    for (auto _ : state) benchmark::DoNotOptimize(hive::parse_compute_request(body, a.limits));
    per_request(state);
}

hive::ComputeRequest parsed(std::int64_t index) {
    return hive::parse_compute_request(crypto::parse_strict(fixture(index).body), admission().limits);
}

void BM_Part_Dag(benchmark::State& state) {
    auto request = parsed(state.range(0));
    for (auto _ : state) benchmark::DoNotOptimize(hive::resolve_dependencies(request.steps));
    per_request(state);
}

void BM_Part_Jurisdiction(benchmark::State& state) {
    auto request = parsed(state.range(0));
    const auto& a = admission();
    for (auto _ : state) benchmark::DoNotOptimize(hive::resolve_jurisdiction(request, a.countries, a.policy));
    per_request(state);
}

void BM_Part_Delegation(benchmark::State& state) {
    auto request = parsed(state.range(0));
    const auto& a = admission();
    for (auto _ : state) benchmark::DoNotOptimize(delegation_gate(request, a));
    per_request(state);
}

void BM_Part_Geometry(benchmark::State& state) {
    auto request = parsed(state.range(0));
    const auto& a = admission();
    for (auto _ : state) hive::check_geometry(request, a.geometry);
    per_request(state);
}

// Gate 4's checks with one validator kept across requests: the difference to BM_Part_Geometry is the
// cost of starting a GEOS context per request.
void BM_Part_GeometryReusedValidator(benchmark::State& state) {
    auto request = parsed(state.range(0));
    geo::GeometryValidator validator(admission().geometry);
    for (auto _ : state) benchmark::DoNotOptimize(validator.first_problem(request.steps.front().context));
    per_request(state);
}

void variants(benchmark::internal::Benchmark* b) {
    for (std::int64_t i = 0; i < static_cast<std::int64_t>(kVariants.size()); ++i) b->Arg(i);
}

}  // namespace

BENCHMARK(BM_Ed25519Verify)->Apply(variants);
BENCHMARK(BM_SodiumVerifyDetached)->Apply(variants);
BENCHMARK(BM_OpenSslVerify)->Apply(variants);
BENCHMARK(BM_Gate1Signature)->Apply(variants);
BENCHMARK(BM_AllFourGates)->Apply(variants);
BENCHMARK(BM_Part_ParseStrict)->Apply(variants);
BENCHMARK(BM_Part_CopyBody)->Apply(variants);
BENCHMARK(BM_Part_Canonicalize)->Apply(variants);
BENCHMARK(BM_Part_ParseComputeRequest)->Apply(variants);
BENCHMARK(BM_Part_Dag)->Apply(variants);
BENCHMARK(BM_Part_Jurisdiction)->Apply(variants);
BENCHMARK(BM_Part_Delegation)->Apply(variants);
BENCHMARK(BM_Part_Geometry)->Apply(variants);
BENCHMARK(BM_Part_GeometryReusedValidator)->Apply(variants);

int main(int argc, char** argv) {
    if (sodium_init() < 0) return 1;
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
