// Unit tests for core::Config: defaults, the TOML file, FORGEHIVE_* environment, overrides, HOST:PORT and cross-field rules.
#include "forgehive/core/config.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <toml++/toml.h>
#include <utility>
#include <vector>

namespace forgehive::core {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

using forgehive::testing::TempDir;

// Runs `action`, expecting a ConfigError; returns its message (empty, with a test failure, otherwise).
template <class Action>
std::string config_error(Action&& action) {
    try {
        action();
    } catch (const ConfigError& e) {
        return e.what();
    } catch (const std::exception& e) {
        ADD_FAILURE() << "expected ConfigError, got another exception: " << e.what();
        return {};
    }
    ADD_FAILURE() << "expected ConfigError, nothing was thrown";
    return {};
}

Config from_toml(const std::string& content) {
    TempDir dir;
    Config config;
    apply_toml_file(config, dir.write("forgehive.toml", content));
    return config;
}

std::string toml_error(const std::string& content) {
    TempDir dir;
    auto path = dir.write("forgehive.toml", content);
    Config config;
    return config_error([&] { apply_toml_file(config, path); });
}

// The repository's config/forgehive.toml: from the build (tests/CMakeLists.txt defines the source dir),
// else from FORGEHIVE_SOURCE_DIR.
std::string shipped_config_path() {
#ifdef FORGEHIVE_TEST_SOURCE_DIR
    return std::string(FORGEHIVE_TEST_SOURCE_DIR) + "/config/forgehive.toml";
#else
    const char* source_dir = std::getenv("FORGEHIVE_SOURCE_DIR");
    if (source_dir == nullptr) return {};
    return std::string(source_dir) + "/config/forgehive.toml";
#endif
}

// Every field of Config, compared one by one (a new field must be added here and to the key table).
void expect_same_config(const Config& got, const Config& want) {
    EXPECT_EQ(got.listen, want.listen);
    EXPECT_EQ(got.io_threads, want.io_threads);
    EXPECT_EQ(got.shutdown_grace_ms, want.shutdown_grace_ms);
    EXPECT_EQ(got.debug_routes, want.debug_routes);
    EXPECT_EQ(got.agent_threads, want.agent_threads);
    EXPECT_EQ(got.fault_inject_agent, want.fault_inject_agent);
    EXPECT_EQ(got.rate_per_second, want.rate_per_second);
    EXPECT_EQ(got.rate_burst, want.rate_burst);
    EXPECT_EQ(got.credits_per_million, want.credits_per_million);
    EXPECT_EQ(got.eur_micros_per_credit, want.eur_micros_per_credit);
    EXPECT_EQ(got.job_deadline_ms, want.job_deadline_ms);
    EXPECT_EQ(got.data_dir, want.data_dir);
    EXPECT_EQ(got.busy_timeout_ms, want.busy_timeout_ms);
    EXPECT_EQ(got.tls_cert_file, want.tls_cert_file);
    EXPECT_EQ(got.tls_key_file, want.tls_key_file);
    EXPECT_EQ(got.log_level, want.log_level);
    EXPECT_EQ(got.log_format, want.log_format);
    EXPECT_EQ(got.limits.header_bytes, want.limits.header_bytes);
    EXPECT_EQ(got.limits.body_bytes, want.limits.body_bytes);
    EXPECT_EQ(got.limits.header_count, want.limits.header_count);
    EXPECT_EQ(got.limits.read_timeout_ms, want.limits.read_timeout_ms);
    EXPECT_EQ(got.limits.idle_timeout_ms, want.limits.idle_timeout_ms);
    EXPECT_EQ(got.limits.write_timeout_ms, want.limits.write_timeout_ms);
    EXPECT_EQ(got.limits.max_connections, want.limits.max_connections);
    EXPECT_EQ(got.limits.max_queued_jobs, want.limits.max_queued_jobs);
    const auto &g = got.hive, &w = want.hive;
    EXPECT_EQ(g.borders_file, w.borders_file);
    EXPECT_EQ(g.jurisdictions_file, w.jurisdictions_file);
    EXPECT_EQ(g.require_issued_at, w.require_issued_at);
    EXPECT_EQ(g.clock_skew_s, w.clock_skew_s);
    EXPECT_EQ(g.delegation_max_chain, w.delegation_max_chain);
    EXPECT_EQ(g.max_steps, w.max_steps);
    EXPECT_EQ(g.max_readings, w.max_readings);
    EXPECT_EQ(g.default_budget_ngns, w.default_budget_ngns);
    EXPECT_EQ(g.price_sensor_fusion_ngns, w.price_sensor_fusion_ngns);
    EXPECT_EQ(g.epoch_seconds, w.epoch_seconds);
    EXPECT_EQ(g.public_url, w.public_url);
    EXPECT_EQ(g.geometry_max_vertices, w.geometry_max_vertices);
    EXPECT_EQ(g.geometry_max_area_km2, w.geometry_max_area_km2);
    EXPECT_EQ(g.geometry_max_geometries, w.geometry_max_geometries);
    EXPECT_EQ(g.geometry_max_depth, w.geometry_max_depth);
    EXPECT_EQ(got.artifacts.max_bytes, want.artifacts.max_bytes);
    EXPECT_EQ(got.artifacts.project_quota_bytes, want.artifacts.project_quota_bytes);
    EXPECT_EQ(got.artifacts.chunk_bytes, want.artifacts.chunk_bytes);
    EXPECT_EQ(got.artifacts.inline_output_max_bytes, want.artifacts.inline_output_max_bytes);
    EXPECT_EQ(got.families.graph_max_nodes, want.families.graph_max_nodes);
    EXPECT_EQ(got.families.graph_max_edges, want.families.graph_max_edges);
    EXPECT_EQ(got.families.tensor_max_elements, want.families.tensor_max_elements);
    EXPECT_EQ(got.families.tensor_max_solve_dimension, want.families.tensor_max_solve_dimension);
}

// The dotted keys of a TOML table with the line each is defined on.
void collect_keys(const toml::table& table, const std::string& prefix, std::vector<std::pair<std::string, int>>& out) {
    for (const auto& [name, node] : table) {
        std::string full = prefix.empty() ? std::string(name.str()) : prefix + "." + std::string(name.str());
        if (const auto* sub = node.as_table()) {
            collect_keys(*sub, full, out);
            continue;
        }
        out.emplace_back(full, static_cast<int>(node.source().begin.line));
    }
}

// The keys of the shipped config/forgehive.toml, in file order.
std::vector<std::string> shipped_keys_in_file_order() {
    auto table = toml::parse_file(shipped_config_path());
    std::vector<std::pair<std::string, int>> keys;
    collect_keys(table, "", keys);
    std::sort(keys.begin(), keys.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
    std::vector<std::string> out;
    for (const auto& key : keys) out.push_back(key.first);
    return out;
}

// Every key set to a value different from its default, as TOML text, environment text and the result.
struct NonDefault {
    std::string key;
    std::string toml_value;
    std::string text;
};

const std::vector<NonDefault>& non_defaults() {
    static const std::vector<NonDefault> values = {
        {"server.listen", "\"[::1]:9090\"", "[::1]:9090"},
        {"server.io_threads", "7", "7"},
        {"server.shutdown_grace_ms", "1234", "1234"},
        {"server.debug_routes", "true", "true"},
        {"agents.threads", "3", "3"},
        {"agents.fault_inject_agent", "2", "2"},
        {"gateway.rate_per_second", "0", "0"},
        {"gateway.rate_burst", "7", "7"},
        {"billing.credits_per_million", "250", "250"},
        {"billing.eur_micros_per_credit", "3", "3"},
        {"hub.job_deadline_ms", "999", "999"},
        {"store.data_dir", "\"/srv/forgehive\"", "/srv/forgehive"},
        {"store.busy_timeout_ms", "250", "250"},
        {"limits.header_bytes", "2048", "2048"},
        {"limits.body_bytes", "1048576", "1048576"},
        {"limits.header_count", "12", "12"},
        {"limits.read_timeout_ms", "111", "111"},
        {"limits.idle_timeout_ms", "222", "222"},
        {"limits.write_timeout_ms", "333", "333"},
        {"limits.max_connections", "44", "44"},
        {"limits.max_queued_jobs", "55", "55"},
        {"tls.cert_file", "\"/etc/cert.pem\"", "/etc/cert.pem"},
        {"tls.key_file", "\"/etc/key.pem\"", "/etc/key.pem"},
        {"log.level", "\"debug\"", "debug"},
        {"log.format", "\"json\"", "json"},
        {"hive.borders_file", "\"/srv/borders.geojson\"", "/srv/borders.geojson"},
        {"hive.jurisdictions_file", "\"/srv/j.toml\"", "/srv/j.toml"},
        {"hive.require_issued_at", "true", "true"},
        {"hive.clock_skew_s", "30", "30"},
        {"hive.delegation_max_chain", "3", "3"},
        {"hive.max_steps", "9", "9"},
        {"hive.max_readings", "99", "99"},
        {"hive.default_budget_ngns", "5000", "5000"},
        {"hive.price_sensor_fusion_ngns", "17", "17"},
        {"hive.epoch_seconds", "60", "60"},
        {"hive.public_url", "\"https://hive.example.org\"", "https://hive.example.org"},
        {"hive.geometry.max_vertices", "1000", "1000"},
        {"hive.geometry.max_area_km2", "2000", "2000"},
        {"hive.geometry.max_geometries", "4", "4"},
        {"hive.geometry.max_depth", "5", "5"},
        {"artifacts.max_bytes", "1000000", "1000000"},
        {"artifacts.project_quota_bytes", "3000000", "3000000"},
        {"artifacts.chunk_bytes", "8192", "8192"},
        {"artifacts.inline_output_max_bytes", "2048", "2048"},
        {"graph.max_nodes", "1000", "1000"},
        {"graph.max_edges", "2000", "2000"},
        {"tensor.max_elements", "4096", "4096"},
        {"tensor.max_solve_dimension", "64", "64"},
    };
    return values;
}

Config expected_non_default() {
    Config c;
    c.listen = "[::1]:9090";
    c.io_threads = 7;
    c.shutdown_grace_ms = 1234;
    c.debug_routes = true;
    c.agent_threads = 3;
    c.fault_inject_agent = 2;
    c.rate_per_second = 0;
    c.rate_burst = 7;
    c.credits_per_million = 250;
    c.eur_micros_per_credit = 3;
    c.job_deadline_ms = 999;
    c.data_dir = "/srv/forgehive";
    c.busy_timeout_ms = 250;
    c.limits.header_bytes = 2048;
    c.limits.body_bytes = 1048576;
    c.limits.header_count = 12;
    c.limits.read_timeout_ms = 111;
    c.limits.idle_timeout_ms = 222;
    c.limits.write_timeout_ms = 333;
    c.limits.max_connections = 44;
    c.limits.max_queued_jobs = 55;
    c.tls_cert_file = "/etc/cert.pem";
    c.tls_key_file = "/etc/key.pem";
    c.log_level = "debug";
    c.log_format = "json";
    c.hive = {"/srv/borders.geojson", "/srv/j.toml", true, 30, 3, 9, 99, 5000, 17, 60, "https://hive.example.org", 1000, 2000, 4, 5};
    c.artifacts = {1000000, 3000000, 8192, 2048};
    c.families = {1000, 2000, 4096, 64};
    return c;
}

TEST(Config, DefaultsAreTheDocumentedValues) {
    Config c;
    EXPECT_EQ(c.listen, "127.0.0.1:8080");
    EXPECT_EQ(c.io_threads, 2);
    EXPECT_EQ(c.shutdown_grace_ms, 10000);
    EXPECT_FALSE(c.debug_routes);
    EXPECT_EQ(c.agent_threads, 0);
    EXPECT_EQ(c.fault_inject_agent, -1);
    EXPECT_EQ(c.rate_per_second, 50);
    EXPECT_EQ(c.rate_burst, 100);
    EXPECT_EQ(c.credits_per_million, 1);
    EXPECT_EQ(c.eur_micros_per_credit, 100);
    EXPECT_EQ(c.job_deadline_ms, 600000);
    EXPECT_EQ(c.data_dir, "./var");
    EXPECT_EQ(c.busy_timeout_ms, 5000);
    EXPECT_EQ(c.tls_cert_file, "");
    EXPECT_EQ(c.tls_key_file, "");
    EXPECT_EQ(c.log_level, "info");
    EXPECT_EQ(c.log_format, "text");
    EXPECT_EQ(c.limits.header_bytes, 16384);
    EXPECT_EQ(c.limits.body_bytes, 8388608);
    EXPECT_EQ(c.limits.header_count, 100);
    EXPECT_EQ(c.limits.read_timeout_ms, 10000);
    EXPECT_EQ(c.limits.idle_timeout_ms, 60000);
    EXPECT_EQ(c.limits.write_timeout_ms, 10000);
    EXPECT_EQ(c.limits.max_connections, 1024);
    EXPECT_EQ(c.limits.max_queued_jobs, 256);
    EXPECT_EQ(c.artifacts.max_bytes, 1073741824);
    EXPECT_EQ(c.artifacts.project_quota_bytes, 4294967296);
    EXPECT_EQ(c.artifacts.chunk_bytes, 1048576);
    EXPECT_EQ(c.artifacts.inline_output_max_bytes, 1048576);
    EXPECT_EQ(c.families.graph_max_nodes, 10000000);
    EXPECT_EQ(c.families.graph_max_edges, 50000000);
    EXPECT_EQ(c.families.tensor_max_elements, 16777216);
    EXPECT_EQ(c.families.tensor_max_solve_dimension, 2048);
    EXPECT_NO_THROW(validate(c));
}

TEST(Config, ShippedFileYieldsExactlyTheDefaults) {
    auto path = shipped_config_path();
    ASSERT_FALSE(path.empty()) << "neither FORGEHIVE_TEST_SOURCE_DIR nor FORGEHIVE_SOURCE_DIR is set";
    ASSERT_TRUE(fs::exists(path)) << path;
    Config config;
    ASSERT_NO_THROW(apply_toml_file(config, path));
    expect_same_config(config, Config{});
    EXPECT_NO_THROW(validate(config));
}

TEST(Config, ShippedFileAndConfigKeysAgreeOnKeysAndOrder) {
    auto path = shipped_config_path();
    ASSERT_FALSE(path.empty()) << "neither FORGEHIVE_TEST_SOURCE_DIR nor FORGEHIVE_SOURCE_DIR is set";
    auto file_keys = shipped_keys_in_file_order();
    auto keys = config_keys();
    std::set<std::string> file_set(file_keys.begin(), file_keys.end());
    std::set<std::string> key_set(keys.begin(), keys.end());
    EXPECT_EQ(file_set.size(), file_keys.size()) << "a key appears twice in " << path;
    EXPECT_EQ(key_set.size(), keys.size()) << "config_keys() repeats a key";
    for (const auto& k : file_keys) EXPECT_TRUE(key_set.count(k)) << "config_keys() lacks " << k;
    for (const auto& k : keys) EXPECT_TRUE(file_set.count(k)) << path << " does not document " << k;
    // config.hpp: config_keys() returns "All keys, in file order".
    EXPECT_EQ(keys, file_keys);
}

TEST(Config, TomlFileSetsEveryKey) {
    // One [section] header per run of keys of that section (a TOML table may be defined only once).
    std::string grouped;
    std::string section;
    for (const auto& v : non_defaults()) {
        auto dot = v.key.find('.');
        auto this_section = v.key.substr(0, dot);
        if (this_section != section) {
            grouped += "[" + this_section + "]\n";
            section = this_section;
        }
        grouped += v.key.substr(dot + 1) + " = " + v.toml_value + "\n";
    }
    ASSERT_EQ(non_defaults().size(), config_keys().size()) << "the test must cover every key";
    expect_same_config(from_toml(grouped), expected_non_default());
}

TEST(Config, TomlFileKeepsDefaultsForKeysItOmits) {
    auto config = from_toml("[limits]\nbody_bytes = 1024\n");
    Config want;
    want.limits.body_bytes = 1024;
    expect_same_config(config, want);
}

TEST(Config, TomlDottedAndInlineTablesAreAccepted) {
    auto config = from_toml("limits.body_bytes = 77\nserver = { io_threads = 5 }\n");
    EXPECT_EQ(config.limits.body_bytes, 77);
    EXPECT_EQ(config.io_threads, 5);
}

TEST(Config, UnknownKeyIsRejectedByName) {
    EXPECT_THAT(toml_error("[server]\nlisten_port = 80\n"), HasSubstr("server.listen_port"));
    EXPECT_THAT(toml_error("[nosuchsection]\nvalue = 1\n"), HasSubstr("nosuchsection.value"));
    EXPECT_THAT(toml_error("toplevel = 1\n"), HasSubstr("toplevel"));
    EXPECT_THAT(toml_error("[limits]\nbody_bytes = 1\nbogus = true\n"), HasSubstr("limits.bogus"));
}

TEST(Config, WrongTypeIsRejectedByName) {
    struct Case {
        const char* content;
        const char* key;
    };
    const Case cases[] = {
        {"[server]\nio_threads = \"4\"\n", "server.io_threads"},        // string for int
        {"[server]\ndebug_routes = 1\n", "server.debug_routes"},        // int for bool
        {"[server]\ndebug_routes = \"true\"\n", "server.debug_routes"}, // string for bool
        {"[server]\nlisten = 8080\n", "server.listen"},                 // int for string
        {"[log]\nlevel = true\n", "log.level"},                         // bool for string
        {"[limits]\nbody_bytes = 1.5\n", "limits.body_bytes"},          // float for int
        {"[limits]\nbody_bytes = true\n", "limits.body_bytes"},         // bool for int
        {"[agents]\nthreads = [1, 2]\n", "agents.threads"},             // array for int
        {"[tls]\ncert_file = 1979-05-27\n", "tls.cert_file"},           // date for string
    };
    for (const auto& c : cases) EXPECT_THAT(toml_error(c.content), HasSubstr(c.key)) << c.content;
}

TEST(Config, OutOfRangeOrBadValueIsRejectedByName) {
    struct Case {
        const char* content;
        const char* key;
    };
    const Case cases[] = {
        {"[server]\nio_threads = 0\n", "server.io_threads"},
        {"[server]\nio_threads = 257\n", "server.io_threads"},
        {"[server]\nshutdown_grace_ms = -1\n", "server.shutdown_grace_ms"},
        {"[agents]\nthreads = 1025\n", "agents.threads"},
        {"[agents]\nfault_inject_agent = -2\n", "agents.fault_inject_agent"},
        {"[gateway]\nrate_burst = 0\n", "gateway.rate_burst"},
        {"[billing]\ncredits_per_million = -1\n", "billing.credits_per_million"},
        {"[hub]\njob_deadline_ms = 0\n", "hub.job_deadline_ms"},
        {"[limits]\nheader_bytes = 1023\n", "limits.header_bytes"},
        {"[limits]\nbody_bytes = 1073741825\n", "limits.body_bytes"},
        {"[limits]\nheader_count = 0\n", "limits.header_count"},
        {"[limits]\nread_timeout_ms = 0\n", "limits.read_timeout_ms"},
        {"[limits]\nidle_timeout_ms = 86400001\n", "limits.idle_timeout_ms"},
        {"[limits]\nmax_connections = 0\n", "limits.max_connections"},
        {"[limits]\nmax_queued_jobs = 1000001\n", "limits.max_queued_jobs"},
        {"[store]\ndata_dir = \"\"\n", "store.data_dir"},
        {"[server]\nlisten = \"nowhere\"\n", "server.listen"},
        {"[server]\nlisten = \"127.0.0.1:99999\"\n", "server.listen"},
        {"[log]\nlevel = \"loud\"\n", "log.level"},
        {"[log]\nformat = \"xml\"\n", "log.format"},
    };
    for (const auto& c : cases) EXPECT_THAT(toml_error(c.content), HasSubstr(c.key)) << c.content;
    // Range bounds themselves are accepted.
    auto config = from_toml("[server]\nio_threads = 256\n[limits]\nheader_bytes = 1024\nbody_bytes = 0\n");
    EXPECT_EQ(config.io_threads, 256);
    EXPECT_EQ(config.limits.header_bytes, 1024);
    EXPECT_EQ(config.limits.body_bytes, 0);
}

TEST(Config, TomlSyntaxErrorNamesTheLine) {
    auto message = toml_error("# comment\n[server]\nio_threads = = 3\n");
    EXPECT_THAT(message, HasSubstr("line 3"));
    EXPECT_THAT(message, HasSubstr("forgehive.toml"));
}

TEST(Config, MissingFileIsAConfigErrorNamingThePath) {
    Config config;
    auto message = config_error([&] { apply_toml_file(config, "/nonexistent/forgehive-nope.toml"); });
    EXPECT_THAT(message, HasSubstr("/nonexistent/forgehive-nope.toml"));
}

TEST(Config, EnvironmentSetsKeys) {
    Config config;
    apply_environment(config, {"FORGEHIVE_LIMITS_BODY_BYTES=1048576", "FORGEHIVE_SERVER_LISTEN=0.0.0.0:0",
                               "FORGEHIVE_SERVER_DEBUG_ROUTES=true", "FORGEHIVE_LOG_FORMAT=json"});
    EXPECT_EQ(config.limits.body_bytes, 1048576);
    EXPECT_EQ(config.listen, "0.0.0.0:0");
    EXPECT_TRUE(config.debug_routes);
    EXPECT_EQ(config.log_format, "json");
    EXPECT_EQ(config.io_threads, Config{}.io_threads);
}

TEST(Config, EnvironmentSetsEveryKeyThroughItsEnvName) {
    std::vector<std::string> environment;
    for (const auto& v : non_defaults()) environment.push_back(env_name(v.key) + "=" + v.text);
    Config config;
    apply_environment(config, environment);
    expect_same_config(config, expected_non_default());
}

TEST(Config, EnvironmentValueMayContainEquals) {
    Config config;
    apply_environment(config, {"FORGEHIVE_STORE_DATA_DIR=/tmp/a=b"});
    EXPECT_EQ(config.data_dir, "/tmp/a=b");
}

TEST(Config, EnvironmentIgnoresOtherVariables) {
    Config config;
    apply_environment(config, {"PATH=/usr/bin:/bin", "HOME=/root", "forgehive_limits_body_bytes=5",
                               "XFORGEHIVE_LIMITS_BODY_BYTES=5", "LIMITS_BODY_BYTES=5", "=", ""});
    expect_same_config(config, Config{});
}

TEST(Config, EnvironmentUnknownForgehiveVariableIsNamed) {
    Config config;
    EXPECT_THAT(config_error([&] { apply_environment(config, {"FORGEHIVE_FOO=1"}); }), HasSubstr("FORGEHIVE_FOO"));
    EXPECT_THAT(config_error([&] { apply_environment(config, {"FORGEHIVE_LIMITS_BODYBYTES=1"}); }),
                HasSubstr("FORGEHIVE_LIMITS_BODYBYTES"));
}

TEST(Config, EnvironmentBadValuesAreRejectedByKey) {
    const char* bad[] = {"FORGEHIVE_LIMITS_BODY_BYTES=12x", "FORGEHIVE_LIMITS_BODY_BYTES=",
                         "FORGEHIVE_LIMITS_BODY_BYTES= 12", "FORGEHIVE_LIMITS_BODY_BYTES=1.5",
                         "FORGEHIVE_LIMITS_BODY_BYTES=-1", "FORGEHIVE_LIMITS_BODY_BYTES=99999999999999999999",
                         "FORGEHIVE_LIMITS_BODY_BYTES"};
    for (const char* entry : bad) {
        Config config;
        EXPECT_THAT(config_error([&] { apply_environment(config, {entry}); }), HasSubstr("limits.body_bytes"))
            << entry;
        EXPECT_EQ(config.limits.body_bytes, Config{}.limits.body_bytes) << entry;
    }
    Config config;
    EXPECT_THAT(config_error([&] { apply_environment(config, {"FORGEHIVE_SERVER_DEBUG_ROUTES=1"}); }),
                HasSubstr("server.debug_routes"));
    EXPECT_THAT(config_error([&] { apply_environment(config, {"FORGEHIVE_SERVER_IO_THREADS=0"}); }),
                HasSubstr("server.io_threads"));
    EXPECT_THAT(config_error([&] { apply_environment(config, {"FORGEHIVE_LOG_LEVEL=verbose"}); }),
                HasSubstr("log.level"));
}

TEST(Config, OverrideSetsOneKey) {
    Config config;
    apply_override(config, "limits.body_bytes", "1024");
    apply_override(config, "server.listen", "[::1]:80");
    apply_override(config, "server.debug_routes", "true");
    apply_override(config, "store.data_dir", "/data");
    EXPECT_EQ(config.limits.body_bytes, 1024);
    EXPECT_EQ(config.listen, "[::1]:80");
    EXPECT_TRUE(config.debug_routes);
    EXPECT_EQ(config.data_dir, "/data");
    apply_override(config, "server.debug_routes", "false");
    EXPECT_FALSE(config.debug_routes);
}

TEST(Config, OverrideRejectsUnknownKeysAndBadValuesByName) {
    Config config;
    EXPECT_THAT(config_error([&] { apply_override(config, "limits.nope", "1"); }), HasSubstr("limits.nope"));
    EXPECT_THAT(config_error([&] { apply_override(config, "limits.body_bytes", "lots"); }),
                HasSubstr("limits.body_bytes"));
    EXPECT_THAT(config_error([&] { apply_override(config, "server.listen", "localhost"); }),
                HasSubstr("server.listen"));
    EXPECT_THAT(config_error([&] { apply_override(config, "server.debug_routes", "yes"); }),
                HasSubstr("server.debug_routes"));
    EXPECT_THAT(config_error([&] { apply_override(config, "store.data_dir", ""); }), HasSubstr("store.data_dir"));
    expect_same_config(config, Config{});
}

TEST(Config, ParseHostPortAcceptsValidForms) {
    auto v4 = parse_host_port("server.listen", "127.0.0.1:8080");
    EXPECT_EQ(v4.host, "127.0.0.1");
    EXPECT_EQ(v4.port, 8080);
    auto v6 = parse_host_port("server.listen", "[::1]:80");
    EXPECT_EQ(v6.host, "::1");
    EXPECT_EQ(v6.port, 80);
    auto any = parse_host_port("server.listen", "localhost:0");
    EXPECT_EQ(any.host, "localhost");
    EXPECT_EQ(any.port, 0);
    auto top = parse_host_port("server.listen", "0.0.0.0:65535");
    EXPECT_EQ(top.host, "0.0.0.0");
    EXPECT_EQ(top.port, 65535);
    auto full_v6 = parse_host_port("server.listen", "[2001:db8::1]:443");
    EXPECT_EQ(full_v6.host, "2001:db8::1");
    EXPECT_EQ(full_v6.port, 443);
}

TEST(Config, ParseHostPortRejectsBadFormsNamingTheKey) {
    const char* bad[] = {"localhost", "localhost:", ":80", "localhost:70000", "localhost:65536", "[::1",
                         "[::1]", "[]:80", "[::1:80", "localhost:80x", "localhost:-1", "localhost: 80",
                         "localhost:+80", ""};
    for (const char* text : bad) {
        auto message = config_error([&] { parse_host_port("my.key", text); });
        EXPECT_THAT(message, HasSubstr("my.key")) << "'" << text << "'";
    }
}

TEST(Config, ValidateRequiresTlsCertAndKeyTogether) {
    TempDir dir;
    auto cert = dir.write("cert.pem", "-----BEGIN CERTIFICATE-----\n");
    auto key = dir.write("key.pem", "-----BEGIN PRIVATE KEY-----\n");

    Config only_cert;
    only_cert.tls_cert_file = cert;
    auto message = config_error([&] { validate(only_cert); });
    EXPECT_THAT(message, HasSubstr("tls.cert_file"));
    EXPECT_THAT(message, HasSubstr("tls.key_file"));

    Config only_key;
    only_key.tls_key_file = key;
    EXPECT_THAT(config_error([&] { validate(only_key); }), HasSubstr("tls.key_file"));

    Config both;
    both.tls_cert_file = cert;
    both.tls_key_file = key;
    EXPECT_NO_THROW(validate(both));
    EXPECT_NO_THROW(validate(Config{}));
}

TEST(Config, ValidateKeepsArtifactChunkWithinSizeWithinQuota) {
    Config chunk_over_size;
    chunk_over_size.artifacts.max_bytes = 8192;
    chunk_over_size.artifacts.chunk_bytes = 8193;
    EXPECT_THAT(config_error([&] { validate(chunk_over_size); }), HasSubstr("artifacts.chunk_bytes"));

    Config size_over_quota;
    size_over_quota.artifacts.max_bytes = 10'000;
    size_over_quota.artifacts.chunk_bytes = 4096;
    size_over_quota.artifacts.project_quota_bytes = 9'999;
    EXPECT_THAT(config_error([&] { validate(size_over_quota); }), HasSubstr("artifacts.project_quota_bytes"));

    Config equal;
    equal.artifacts = {8192, 8192, 8192, 1024};
    EXPECT_NO_THROW(validate(equal));
}

TEST(Config, ValidateRequiresReadableTlsFiles) {
    TempDir dir;
    auto cert = dir.write("cert.pem", "-----BEGIN CERTIFICATE-----\n");
    auto key = dir.write("key.pem", "-----BEGIN PRIVATE KEY-----\n");

    Config missing_key;
    missing_key.tls_cert_file = cert;
    missing_key.tls_key_file = key + ".missing";
    auto message = config_error([&] { validate(missing_key); });
    EXPECT_THAT(message, HasSubstr("tls.key_file"));
    EXPECT_THAT(message, HasSubstr(key + ".missing"));

    Config missing_cert;
    missing_cert.tls_cert_file = cert + ".missing";
    missing_cert.tls_key_file = key;
    EXPECT_THAT(config_error([&] { validate(missing_cert); }), HasSubstr("tls.cert_file"));
}

TEST(Config, EnvNameMapsDotsToUnderscoresInUpperCase) {
    EXPECT_EQ(env_name("limits.body_bytes"), "FORGEHIVE_LIMITS_BODY_BYTES");
    EXPECT_EQ(env_name("server.listen"), "FORGEHIVE_SERVER_LISTEN");
    EXPECT_EQ(env_name("server.debug_routes"), "FORGEHIVE_SERVER_DEBUG_ROUTES");
    EXPECT_EQ(env_name("tls.cert_file"), "FORGEHIVE_TLS_CERT_FILE");
    // Every key has its own variable, or the environment could not address it.
    std::set<std::string> names;
    for (const auto& key : config_keys()) {
        auto name = env_name(key);
        EXPECT_TRUE(names.insert(name).second) << "two keys share " << name;
        EXPECT_TRUE(std::all_of(name.begin(), name.end(),
                                [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; }))
            << name;
    }
}

TEST(Config, ConfigKeysContainsEveryKeyOfTheShippedFile) {
    auto path = shipped_config_path();
    ASSERT_FALSE(path.empty()) << "neither FORGEHIVE_TEST_SOURCE_DIR nor FORGEHIVE_SOURCE_DIR is set";
    auto keys = config_keys();
    for (const auto& key : shipped_keys_in_file_order())
        EXPECT_NE(std::find(keys.begin(), keys.end(), key), keys.end()) << key;
    // Every key of the table is settable by name.
    for (const auto& v : non_defaults()) {
        Config config;
        EXPECT_NO_THROW(apply_override(config, v.key, v.text)) << v.key;
    }
}

}  // namespace
}  // namespace forgehive::core
