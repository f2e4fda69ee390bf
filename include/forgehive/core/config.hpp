// Server configuration: defaults, then config/forgehive.toml, then FORGEHIVE_* environment variables,
// then CLI flags. Every key is documented in config/forgehive.toml; an unknown key or a bad value
// throws ConfigError naming the key.
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace forgehive::core {

class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct Limits {
    std::int64_t header_bytes = 16 * 1024;
    std::int64_t body_bytes = 8 * 1024 * 1024;
    std::int64_t header_count = 100;
    std::int64_t read_timeout_ms = 10'000;
    std::int64_t idle_timeout_ms = 60'000;
    std::int64_t write_timeout_ms = 10'000;
    std::int64_t max_connections = 1024;
    std::int64_t max_queued_jobs = 256;
};

// POST /v1/compute (docs/hive-api.md). Amounts are integers of nano-GNS (1 GNS = 1e9 nGNS).
struct HiveConfig {
    std::string borders_file = "data/borders/countries.geojson";
    std::string jurisdictions_file = "config/jurisdictions.toml";
    bool require_issued_at = false;
    std::int64_t clock_skew_s = 300;
    std::int64_t delegation_max_chain = 8;
    std::int64_t max_steps = 64;
    std::int64_t max_readings = 1024;
    std::int64_t default_budget_ngns = 100'000'000;
    std::int64_t price_sensor_fusion_ngns = 500'000;
    std::int64_t epoch_seconds = 3600;
    std::string public_url;
    std::int64_t geometry_max_vertices = 100'000;
    std::int64_t geometry_max_area_km2 = 1'000'000;
    std::int64_t geometry_max_geometries = 64;
    std::int64_t geometry_max_depth = 8;
};

// Content-addressed artifacts (docs/artifacts.md). Sizes in bytes.
struct ArtifactsConfig {
    std::int64_t max_bytes = std::int64_t{1} << 30;            // one artifact; the upload route's body limit
    std::int64_t project_quota_bytes = std::int64_t{4} << 30;  // a project's distinct artifacts
    std::int64_t chunk_bytes = std::int64_t{1} << 20;          // upload read size: bounds memory per upload
    std::int64_t inline_output_max_bytes = std::int64_t{1} << 20;  // larger output members become artifacts
};

// Limits on the graph and tensor families' inputs (docs/graph-kernels.md, docs/tensor-kernels.md).
struct FamiliesConfig {
    std::int64_t graph_max_nodes = 10'000'000;
    std::int64_t graph_max_edges = 50'000'000;
    std::int64_t tensor_max_elements = std::int64_t{1} << 24;
    std::int64_t tensor_max_solve_dimension = 2048;
};

struct Config {
    std::string listen = "127.0.0.1:8080";
    std::int64_t io_threads = 2;
    std::int64_t shutdown_grace_ms = 10'000;
    bool debug_routes = false;  // test-only routes under /debug, /api/v0/debug, /v1/debug
    std::int64_t agent_threads = 0;  // 0: one per hardware thread
    std::int64_t fault_inject_agent = -1;  // TEST ONLY: this agent corrupts its results; -1 off
    std::int64_t rate_per_second = 50;     // per-project execute requests; 0 disables the limit
    std::int64_t rate_burst = 100;
    std::int64_t credits_per_million = 1;  // price per million units of work (iterations)
    std::int64_t eur_micros_per_credit = 100;
    std::int64_t job_deadline_ms = 600'000;
    std::string data_dir = "./var";
    std::int64_t busy_timeout_ms = 5'000;
    std::string tls_cert_file;
    std::string tls_key_file;
    std::string log_level = "info";
    std::string log_format = "text";
    Limits limits;
    HiveConfig hive;
    ArtifactsConfig artifacts;
    FamiliesConfig families;
};

struct HostPort {
    std::string host;
    std::uint16_t port = 0;
};

// "127.0.0.1:8080", "localhost:0", "[::1]:8080". Throws ConfigError naming `key`.
HostPort parse_host_port(const std::string& key, const std::string& text);

// Reads a TOML file over the defaults. Throws ConfigError.
void apply_toml_file(Config& config, const std::string& path);
// Applies every FORGEHIVE_<SECTION>_<KEY> variable of `environment` ("NAME=value" strings).
void apply_environment(Config& config, const std::vector<std::string>& environment);
// Sets one dotted key ("limits.body_bytes") from text, as env and CLI flags do.
void apply_override(Config& config, const std::string& key, const std::string& text);
// Cross-field rules (TLS cert and key together, artifact chunk and quota against the artifact size);
// call once after all sources.
void validate(const Config& config);

// The environment variable that overrides `key`: "limits.body_bytes" -> FORGEHIVE_LIMITS_BODY_BYTES.
std::string env_name(const std::string& key);
// All keys, in file order.
std::vector<std::string> config_keys();

}  // namespace forgehive::core
