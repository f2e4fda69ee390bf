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
    return options;
}

// Jobs a previous process left unfinished cannot resume (their compute state died with it).
void fail_abandoned_jobs(store::Store& store) {
    auto count = store.fail_unfinished_jobs("server restarted while the job was unfinished");
    if (count > 0) spdlog::warn("marked {} unfinished job(s) from a previous run as FAILED", count);
}

http::Router make_router(const core::Config& config, store::Store& store, agents::AgentPool& pool,
                         const http::Metrics& metrics, gateway::ExecuteService& service) {
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

struct App::Parts {
    explicit Parts(const core::Config& config)
        : store(store::open_sqlite_store({config.data_dir, static_cast<int>(config.busy_timeout_ms)})),
          pool(agents::AgentPoolOptions{static_cast<std::size_t>(config.agent_threads),
                                        (std::filesystem::path(config.data_dir) / "agents").string()}),
          service((fail_abandoned_jobs(*store), *store), pool, execute_options(config)),
          router(make_router(config, *store, pool, metrics, service)),
          server(server_options(config, [this] { return service.active_jobs() > 0; }), router, metrics) {
        metrics.add_collector([this] { return job_metrics(service.stats(), service.active_jobs()); });
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
    gateway::ExecuteService service;
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
