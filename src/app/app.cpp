// Wiring. Declaration order in Parts is teardown order reversed: the server goes first, so no request
// can reach the pool or the store while they close.
#include "forgehive/app/app.hpp"

#include <filesystem>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "forgehive/agents/agent_pool.hpp"
#include "forgehive/api/forge_errors.hpp"
#include "forgehive/api/hive_errors.hpp"
#include "forgehive/app/handlers.hpp"
#include "forgehive/crypto/ed25519.hpp"
#include "forgehive/gateway/artifact_store.hpp"
#include "forgehive/gateway/execute_service.hpp"
#include "forgehive/http/server.hpp"
#include "forgehive/store/sqlite_store.hpp"

namespace forgehive::app {

namespace {

http::ServerOptions server_options(const core::Config& config, std::function<bool()> busy) {
    http::ServerOptions options;
    options.busy = std::move(busy);
    options.listen = core::parse_host_port("server.listen", config.listen);
    options.io_threads = static_cast<int>(config.io_threads);
    options.shutdown_grace = std::chrono::milliseconds(config.shutdown_grace_ms);
    options.limits = config.limits;
    options.tls_cert_file = config.tls_cert_file;
    options.tls_key_file = config.tls_key_file;
    return options;
}

gateway::ExecuteOptions execute_options(const core::Config& config) {
    gateway::ExecuteOptions options;
    options.max_queued_jobs = config.limits.max_queued_jobs;
    options.credits_per_million = config.credits_per_million;
    options.eur_micros_per_credit = config.eur_micros_per_credit;
    options.job_deadline = std::chrono::milliseconds(config.job_deadline_ms);
    options.rate_per_second = static_cast<double>(config.rate_per_second);
    options.rate_burst = static_cast<double>(config.rate_burst);
    if (config.fault_inject_agent >= 0) {
        spdlog::warn("agents.fault_inject_agent = {}: TEST-ONLY fault injection is on", config.fault_inject_agent);
        options.hub.fault_inject_agent = static_cast<std::size_t>(config.fault_inject_agent);
    }
    const auto& f = config.families;
    options.families.graph.max_nodes = static_cast<std::size_t>(f.graph_max_nodes);
    options.families.graph.max_edges = static_cast<std::size_t>(f.graph_max_edges);
    options.families.tensor.max_elements = f.tensor_max_elements;
    options.families.tensor.max_solve_dimension = f.tensor_max_solve_dimension;
    return options;
}

// Limits on artifacts (config keys artifacts.*).
gateway::ArtifactLimits artifact_limits(const core::Config& config) {
    const auto& a = config.artifacts;
    return gateway::ArtifactLimits{a.max_bytes, a.project_quota_bytes, a.chunk_bytes, a.inline_output_max_bytes};
}

hive::HiveOptions hive_options(const core::Config& config) {
    const auto& h = config.hive;
    hive::HiveOptions options;
    options.limits.max_steps = static_cast<std::size_t>(h.max_steps);
    options.limits.max_readings = static_cast<std::size_t>(h.max_readings);
    options.limits.max_delegation = static_cast<std::size_t>(h.delegation_max_chain);
    options.limits.default_budget_nano = h.default_budget_ngns;
    options.signature.require_freshness = h.require_issued_at;
    options.signature.clock_skew = std::chrono::seconds(h.clock_skew_s);
    options.delegation.max_chain_length = static_cast<std::size_t>(h.delegation_max_chain);
    options.delegation.clock_skew = std::chrono::seconds(h.clock_skew_s);
    options.geometry = {h.geometry_max_vertices, static_cast<double>(h.geometry_max_area_km2), h.geometry_max_geometries,
                        h.geometry_max_depth};
    options.pricing.sensor_fusion_per_cell_epoch_nano = h.price_sensor_fusion_ngns;
    options.epoch_seconds = h.epoch_seconds;
    options.public_url = h.public_url;
    return options;
}

// The key that signs Hive job proofs (worker_pk): made on first start, kept 0600 in the data dir.
crypto::KeyPair worker_key(const std::string& data_dir) {
    auto path = (std::filesystem::path(data_dir) / "hive-worker.key").string();
    if (std::filesystem::exists(path)) return crypto::load_secret_key(path);
    auto key = crypto::generate_keypair();
    crypto::save_secret_key(path, key);
    return key;
}

// Hive jobs a previous process left running failed with it; their row says so.
void fail_abandoned_hive_jobs(store::Store& store) {
    nlohmann::json failed = {{"status", "failed"}, {"error", "server restarted while the job was running"}};
    auto count = store.fail_unfinished_hive_jobs(failed.dump());
    if (count > 0) spdlog::warn("marked {} running Hive job(s) from a previous run as failed", count);
}

// Jobs a previous process left unfinished cannot resume (their compute state died with it).
void fail_abandoned_jobs(store::Store& store) {
    auto count = store.fail_unfinished_jobs("server restarted while the job was unfinished");
    if (count > 0) spdlog::warn("marked {} unfinished job(s) from a previous run as FAILED", count);
}

http::Router make_router(const core::Config& config, store::Store& store, agents::AgentPool& pool,
                         const http::Metrics& metrics, gateway::ExecuteService& service, hive::ComputeService& hive,
                         gateway::ArtifactStore& artifacts) {
    http::Router router;
    router.set_error_renderer("/api/", [](const core::ApiError& e) {
        return http::json_response(e.http_status(), api::forge_error_body(e));
    });
    router.set_error_renderer("/v1/", [](const core::ApiError& e) {
        return http::json_response(e.http_status(), api::hive_error_body(e));
    });
    add_health_routes(router, store, pool, metrics);
    add_identity_routes(router, store);
    add_execute_routes(router, store, service);
    add_artifact_routes(router, store, artifacts);
    add_hive_routes(router, hive);
    if (config.debug_routes) {
        spdlog::warn("server.debug_routes is on: test-only routes are mounted");
        add_debug_routes(router, store, pool);
    }
    return router;
}

}  // namespace

std::string job_metrics(const gateway::ExecuteStats& s, std::int64_t active) {
    std::string out =
        "# HELP forgehive_jobs_total Forge jobs finished since start, by final status.\n"
        "# TYPE forgehive_jobs_total counter\n";
    for (const auto& [status, n] : s.jobs_by_status) out += fmt::format("forgehive_jobs_total{{status=\"{}\"}} {}\n", status, n);
    out += fmt::format(
        "# HELP forgehive_jobs_active Jobs queued or running.\n# TYPE forgehive_jobs_active gauge\n"
        "forgehive_jobs_active {}\n"
        "# HELP forgehive_hub_shards_total Shards executed by completed jobs.\n# TYPE forgehive_hub_shards_total counter\n"
        "forgehive_hub_shards_total {}\n"
        "# HELP forgehive_hub_shards_verified_total Shards re-executed for verification.\n"
        "# TYPE forgehive_hub_shards_verified_total counter\nforgehive_hub_shards_verified_total {}\n"
        "# HELP forgehive_hub_verification_mismatches_total Verification re-runs that disagreed.\n"
        "# TYPE forgehive_hub_verification_mismatches_total counter\nforgehive_hub_verification_mismatches_total {}\n"
        "# HELP forgehive_hub_iterations_total Iterations computed by completed jobs.\n"
        "# TYPE forgehive_hub_iterations_total counter\nforgehive_hub_iterations_total {}\n"
        "# HELP forgehive_hub_compute_seconds_total Hub wall time of completed jobs.\n"
        "# TYPE forgehive_hub_compute_seconds_total counter\nforgehive_hub_compute_seconds_total {}\n"
        "# HELP forgehive_hub_last_job_iterations_per_second Throughput of the most recent completed job.\n"
        "# TYPE forgehive_hub_last_job_iterations_per_second gauge\nforgehive_hub_last_job_iterations_per_second {}\n",
        active, s.shards, s.shards_verified, s.mismatches, s.iterations, s.compute_seconds, s.last_iterations_per_second);
    return out;
}

std::string hive_metrics(const hive::HiveStats& s) {
    std::string out =
        "# HELP forgehive_hive_jobs_total Hive compute jobs finished since start, by status.\n"
        "# TYPE forgehive_hive_jobs_total counter\n";
    for (const auto& [status, n] : s.jobs_by_status) out += fmt::format("forgehive_hive_jobs_total{{status=\"{}\"}} {}\n", status, n);
    out += "# HELP forgehive_hive_rejections_total Hive requests refused before any step ran, by error code.\n"
           "# TYPE forgehive_hive_rejections_total counter\n";
    for (const auto& [error, n] : s.rejections_by_error)
        out += fmt::format("forgehive_hive_rejections_total{{error=\"{}\"}} {}\n", error, n);
    return out;
}

struct App::Parts {
    explicit Parts(const core::Config& config)
        : store(store::open_sqlite_store({config.data_dir, static_cast<int>(config.busy_timeout_ms)})),
          pool(agents::AgentPoolOptions{static_cast<std::size_t>(config.agent_threads),
                                        (std::filesystem::path(config.data_dir) / "agents").string()}),
          artifacts(*store, std::filesystem::path(config.data_dir) / "artifacts", artifact_limits(config)),
          service((fail_abandoned_jobs(*store), *store), pool, artifacts, execute_options(config)),
          countries(geo::CountryIndex::load(config.hive.borders_file)),
          hive((fail_abandoned_hive_jobs(*store), *store), pool,
               hive::HiveGeography{countries, hive::load_jurisdiction_policy(config.hive.jurisdictions_file)},
               worker_key(config.data_dir), hive_options(config)),
          router(make_router(config, *store, pool, metrics, service, hive, artifacts)),
          server(server_options(config, [this] { return service.active_jobs() > 0; }), router, metrics) {
        metrics.add_collector([this] { return job_metrics(service.stats(), service.active_jobs()); });
        metrics.add_collector([this] { return hive_metrics(hive.stats()); });
        metrics.add_collector([this] {
            return "# HELP forgehive_agent_threads Agent pool threads.\n# TYPE forgehive_agent_threads gauge\n"
                   "forgehive_agent_threads " + std::to_string(pool.size()) +
                   "\n# HELP forgehive_agent_queued_tasks Tasks waiting for an agent.\n"
                   "# TYPE forgehive_agent_queued_tasks gauge\nforgehive_agent_queued_tasks " +
                   std::to_string(pool.queued()) +
                   "\n# HELP forgehive_agents_quarantined Agents quarantined after losing a verification vote.\n"
                   "# TYPE forgehive_agents_quarantined gauge\nforgehive_agents_quarantined " +
                   std::to_string(pool.size() - pool.healthy_agents().size()) + "\n";
        });
    }

    std::unique_ptr<store::Store> store;
    agents::AgentPool pool;
    http::Metrics metrics;
    gateway::ArtifactStore artifacts;
    gateway::ExecuteService service;
    geo::CountryIndex countries;
    hive::ComputeService hive;
    http::Router router;
    http::Server server;
};

App::App(core::Config config) : parts_(std::make_unique<Parts>(config)) {}

App::~App() = default;

std::string App::listen() { return parts_->server.listen(); }

void App::run() {
    parts_->server.run();
    parts_->service.cancel_all();
    parts_->pool.stop();
    spdlog::info("agent pool stopped; closing store");
}

void App::stop() { parts_->server.stop(); }

}  // namespace forgehive::app
