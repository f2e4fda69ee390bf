// Config loading: one table of keys (name, type, range or check) drives the TOML file, the environment
// and CLI overrides alike, so every source validates a key the same way.
#include "forgehive/core/config.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <fmt/format.h>
#include <toml++/toml.h>
#include <unistd.h>

namespace forgehive::core {
namespace {

using IntRef = std::int64_t& (*)(Config&);
using StrRef = std::string& (*)(Config&);
using BoolRef = bool& (*)(Config&);
using StrCheck = void (*)(const std::string& key, const std::string& value);

struct Key {
    std::string_view name;
    IntRef int_ref = nullptr;
    std::int64_t min = 0;
    std::int64_t max = 0;
    StrRef str_ref = nullptr;
    StrCheck check = nullptr;
    BoolRef bool_ref = nullptr;
};

void check_listen(const std::string& key, const std::string& value) { parse_host_port(key, value); }

void check_one_of(const std::string& key, const std::string& value,
                  std::initializer_list<std::string_view> allowed) {
    if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return;
    std::string list;
    for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    throw ConfigError(fmt::format("config key '{}' must be one of {}, got '{}'", key, list, value));
}

void check_log_level(const std::string& key, const std::string& value) {
    check_one_of(key, value, {"trace", "debug", "info", "warn", "error", "critical", "off"});
}
void check_log_format(const std::string& key, const std::string& value) {
    check_one_of(key, value, {"text", "json"});
}
void check_non_empty(const std::string& key, const std::string& value) {
    if (value.empty()) throw ConfigError(fmt::format("config key '{}' must not be empty", key));
}

constexpr std::int64_t kMaxMs = 24LL * 3600 * 1000;
constexpr std::int64_t kGiB = 1024LL * 1024 * 1024;
constexpr std::int64_t kMaxNgns = 1'000'000LL * 1'000'000'000;  // 1e6 GNS, as hive/gns.hpp
constexpr std::int64_t kMaxArtifact = 1024 * kGiB;               // 1 TiB
constexpr std::int64_t kMaxArtifactQuota = 1024 * 1024 * kGiB;   // 1 PiB

const std::array kKeys = {
    Key{"server.listen", nullptr, 0, 0, [](Config& c) -> std::string& { return c.listen; }, check_listen},
    Key{"server.io_threads", [](Config& c) -> std::int64_t& { return c.io_threads; }, 1, 256},
    Key{"server.shutdown_grace_ms", [](Config& c) -> std::int64_t& { return c.shutdown_grace_ms; }, 0, kMaxMs},
    Key{"server.debug_routes", nullptr, 0, 0, nullptr, nullptr, [](Config& c) -> bool& { return c.debug_routes; }},
    Key{"agents.threads", [](Config& c) -> std::int64_t& { return c.agent_threads; }, 0, 1024},
    Key{"agents.fault_inject_agent", [](Config& c) -> std::int64_t& { return c.fault_inject_agent; }, -1, 1023},
    Key{"gateway.rate_per_second", [](Config& c) -> std::int64_t& { return c.rate_per_second; }, 0, 1'000'000},
    Key{"gateway.rate_burst", [](Config& c) -> std::int64_t& { return c.rate_burst; }, 1, 1'000'000},
    Key{"billing.credits_per_million", [](Config& c) -> std::int64_t& { return c.credits_per_million; }, 0, 1'000'000'000},
    Key{"billing.eur_micros_per_credit", [](Config& c) -> std::int64_t& { return c.eur_micros_per_credit; }, 0, 1'000'000'000},
    Key{"hub.job_deadline_ms", [](Config& c) -> std::int64_t& { return c.job_deadline_ms; }, 1, kMaxMs},
    Key{"store.data_dir", nullptr, 0, 0, [](Config& c) -> std::string& { return c.data_dir; }, check_non_empty},
    Key{"store.busy_timeout_ms", [](Config& c) -> std::int64_t& { return c.busy_timeout_ms; }, 0, kMaxMs},
    Key{"limits.header_bytes", [](Config& c) -> std::int64_t& { return c.limits.header_bytes; }, 1024, 1024 * 1024},
    Key{"limits.header_count", [](Config& c) -> std::int64_t& { return c.limits.header_count; }, 1, 10'000},
    Key{"limits.body_bytes", [](Config& c) -> std::int64_t& { return c.limits.body_bytes; }, 0, kGiB},
    Key{"limits.read_timeout_ms", [](Config& c) -> std::int64_t& { return c.limits.read_timeout_ms; }, 1, kMaxMs},
    Key{"limits.idle_timeout_ms", [](Config& c) -> std::int64_t& { return c.limits.idle_timeout_ms; }, 1, kMaxMs},
    Key{"limits.write_timeout_ms", [](Config& c) -> std::int64_t& { return c.limits.write_timeout_ms; }, 1, kMaxMs},
    Key{"limits.max_connections", [](Config& c) -> std::int64_t& { return c.limits.max_connections; }, 1, 1'000'000},
    Key{"limits.max_queued_jobs", [](Config& c) -> std::int64_t& { return c.limits.max_queued_jobs; }, 1, 1'000'000},
    Key{"tls.cert_file", nullptr, 0, 0, [](Config& c) -> std::string& { return c.tls_cert_file; }},
    Key{"tls.key_file", nullptr, 0, 0, [](Config& c) -> std::string& { return c.tls_key_file; }},
    Key{"log.level", nullptr, 0, 0, [](Config& c) -> std::string& { return c.log_level; }, check_log_level},
    Key{"log.format", nullptr, 0, 0, [](Config& c) -> std::string& { return c.log_format; }, check_log_format},
    Key{"hive.borders_file", nullptr, 0, 0, [](Config& c) -> std::string& { return c.hive.borders_file; }, check_non_empty},
    Key{"hive.jurisdictions_file", nullptr, 0, 0, [](Config& c) -> std::string& { return c.hive.jurisdictions_file; }, check_non_empty},
    Key{"hive.require_issued_at", nullptr, 0, 0, nullptr, nullptr, [](Config& c) -> bool& { return c.hive.require_issued_at; }},
    Key{"hive.clock_skew_s", [](Config& c) -> std::int64_t& { return c.hive.clock_skew_s; }, 0, 86'400},
    Key{"hive.delegation_max_chain", [](Config& c) -> std::int64_t& { return c.hive.delegation_max_chain; }, 1, 64},
    Key{"hive.max_steps", [](Config& c) -> std::int64_t& { return c.hive.max_steps; }, 1, 1024},
    Key{"hive.max_readings", [](Config& c) -> std::int64_t& { return c.hive.max_readings; }, 1, 100'000},
    Key{"hive.default_budget_ngns", [](Config& c) -> std::int64_t& { return c.hive.default_budget_ngns; }, 0, kMaxNgns},
    Key{"hive.price_sensor_fusion_ngns", [](Config& c) -> std::int64_t& { return c.hive.price_sensor_fusion_ngns; }, 0, kMaxNgns},
    Key{"hive.epoch_seconds", [](Config& c) -> std::int64_t& { return c.hive.epoch_seconds; }, 1, 366LL * 86'400},
    Key{"hive.public_url", nullptr, 0, 0, [](Config& c) -> std::string& { return c.hive.public_url; }},
    Key{"hive.geometry.max_vertices", [](Config& c) -> std::int64_t& { return c.hive.geometry_max_vertices; }, 1, 10'000'000},
    Key{"hive.geometry.max_area_km2", [](Config& c) -> std::int64_t& { return c.hive.geometry_max_area_km2; }, 1, 600'000'000},
    Key{"hive.geometry.max_geometries", [](Config& c) -> std::int64_t& { return c.hive.geometry_max_geometries; }, 1, 10'000},
    Key{"hive.geometry.max_depth", [](Config& c) -> std::int64_t& { return c.hive.geometry_max_depth; }, 1, 64},
    Key{"artifacts.max_bytes", [](Config& c) -> std::int64_t& { return c.artifacts.max_bytes; }, 1, kMaxArtifact},
    Key{"artifacts.project_quota_bytes", [](Config& c) -> std::int64_t& { return c.artifacts.project_quota_bytes; }, 1,
        kMaxArtifactQuota},
    Key{"artifacts.chunk_bytes", [](Config& c) -> std::int64_t& { return c.artifacts.chunk_bytes; }, 4096, 64LL << 20},
    Key{"artifacts.inline_output_max_bytes", [](Config& c) -> std::int64_t& { return c.artifacts.inline_output_max_bytes; },
        1024, kGiB},
    Key{"graph.max_nodes", [](Config& c) -> std::int64_t& { return c.families.graph_max_nodes; }, 1, 4'000'000'000},
    Key{"graph.max_edges", [](Config& c) -> std::int64_t& { return c.families.graph_max_edges; }, 1, 4'000'000'000},
    Key{"tensor.max_elements", [](Config& c) -> std::int64_t& { return c.families.tensor_max_elements; }, 1, std::int64_t{1} << 32},
    Key{"tensor.max_solve_dimension", [](Config& c) -> std::int64_t& { return c.families.tensor_max_solve_dimension; }, 1,
        65'536},
};

const Key& find_key(const std::string& name, const std::string& source) {
    for (const auto& k : kKeys)
        if (k.name == name) return k;
    throw ConfigError(fmt::format("unknown config key '{}'{}", name, source));
}

[[noreturn]] void throw_range(const Key& key, const std::string& got) {
    throw ConfigError(fmt::format("config key '{}' must be an integer between {} and {}, got '{}'", key.name,
                                  key.min, key.max, got));
}

void set_int(Config& config, const Key& key, std::int64_t value, const std::string& shown) {
    if (value < key.min || value > key.max) throw_range(key, shown);
    key.int_ref(config) = value;
}

void set_string(Config& config, const Key& key, const std::string& value) {
    if (key.check) key.check(std::string(key.name), value);
    key.str_ref(config) = value;
}

void set_from_text(Config& config, const Key& key, const std::string& text) {
    if (key.str_ref) return set_string(config, key, text);
    if (key.bool_ref) {
        if (text != "true" && text != "false")
            throw ConfigError(fmt::format("config key '{}' must be true or false, got '{}'", key.name, text));
        key.bool_ref(config) = text == "true";
        return;
    }
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) throw_range(key, text);
    set_int(config, key, value, text);
}

std::string describe(const toml::node& node) {
    if (node.is_string()) return "a string";
    if (node.is_integer()) return "an integer";
    if (node.is_floating_point()) return "a float";
    if (node.is_boolean()) return "a boolean";
    if (node.is_array()) return "an array";
    return "a date or time";
}

void set_from_toml(Config& config, const Key& key, const toml::node& node) {
    if (key.bool_ref) {
        auto value = node.value_exact<bool>();
        if (!value) throw ConfigError(fmt::format("config key '{}' must be true or false, got {}", key.name, describe(node)));
        key.bool_ref(config) = *value;
        return;
    }
    if (key.str_ref) {
        auto value = node.value_exact<std::string>();
        if (!value) throw ConfigError(fmt::format("config key '{}' must be a string, got {}", key.name, describe(node)));
        return set_string(config, key, *value);
    }
    auto value = node.value_exact<std::int64_t>();
    if (!value) throw_range(key, describe(node));
    set_int(config, key, *value, std::to_string(*value));
}

void apply_table(Config& config, const toml::table& table, const std::string& prefix, const std::string& path) {
    for (const auto& [name, node] : table) {
        std::string full = prefix.empty() ? std::string(name.str()) : prefix + "." + std::string(name.str());
        if (const auto* sub = node.as_table()) {
            apply_table(config, *sub, full, path);
            continue;
        }
        set_from_toml(config, find_key(full, " in " + path), node);
    }
}

}  // namespace

HostPort parse_host_port(const std::string& key, const std::string& text) {
    auto colon = text.rfind(':');
    auto bad = [&](std::string_view why) {
        return ConfigError(fmt::format("config key '{}' must be HOST:PORT ({}), got '{}'", key, why, text));
    };
    if (colon == std::string::npos || colon == 0) throw bad("missing host or port");
    std::string host = text.substr(0, colon);
    if (host.front() == '[') {
        if (host.size() < 3 || host.back() != ']') throw bad("unbalanced brackets");
        host = host.substr(1, host.size() - 2);
    }
    unsigned port = 0;
    auto port_text = std::string_view(text).substr(colon + 1);
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() || port > 65535)
        throw bad("port must be 0..65535");
    return HostPort{host, static_cast<std::uint16_t>(port)};
}

void apply_toml_file(Config& config, const std::string& path) {
    toml::table table;
    try {
        table = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
        throw ConfigError(fmt::format("cannot parse config file {} at line {}, column {}: {}", path,
                                      e.source().begin.line, e.source().begin.column, e.description()));
    }
    apply_table(config, table, "", path);
}

void apply_environment(Config& config, const std::vector<std::string>& environment) {
    constexpr std::string_view kPrefix = "FORGEHIVE_";
    for (const auto& entry : environment) {
        if (entry.rfind(kPrefix, 0) != 0) continue;
        auto eq = entry.find('=');
        std::string name = entry.substr(0, eq);
        std::string value = eq == std::string::npos ? "" : entry.substr(eq + 1);
        const Key* match = nullptr;
        for (const auto& k : kKeys)
            if (env_name(std::string(k.name)) == name) match = &k;
        // FORGEHIVE_KERNEL_ISA is read by the mc kernels themselves (docs/mc-models.md).
        if (!match && name == "FORGEHIVE_KERNEL_ISA") continue;
        if (!match) throw ConfigError(fmt::format("unknown environment variable {} (no such config key)", name));
        set_from_text(config, *match, value);
    }
}

void apply_override(Config& config, const std::string& key, const std::string& text) {
    set_from_text(config, find_key(key, ""), text);
}

void validate(const Config& config) {
    if (config.tls_cert_file.empty() != config.tls_key_file.empty())
        throw ConfigError("config keys 'tls.cert_file' and 'tls.key_file' must be set together");
    using Entry = std::pair<const char*, const std::string&>;
    for (const auto& [key, path] : {Entry{"tls.cert_file", config.tls_cert_file}, Entry{"tls.key_file", config.tls_key_file}})
        if (!path.empty() && ::access(path.c_str(), R_OK) != 0)
            throw ConfigError(fmt::format("config key '{}': cannot read '{}'", key, path));
    const auto& a = config.artifacts;
    if (a.chunk_bytes > a.max_bytes)
        throw ConfigError(fmt::format("config key 'artifacts.chunk_bytes' ({}) must not exceed "
                                      "'artifacts.max_bytes' ({})",
                                      a.chunk_bytes, a.max_bytes));
    if (a.max_bytes > a.project_quota_bytes)
        throw ConfigError(fmt::format("config key 'artifacts.max_bytes' ({}) must not exceed "
                                      "'artifacts.project_quota_bytes' ({})",
                                      a.max_bytes, a.project_quota_bytes));
}

std::string env_name(const std::string& key) {
    std::string out = "FORGEHIVE_";
    for (char c : key) out += c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::vector<std::string> config_keys() {
    std::vector<std::string> out;
    for (const auto& k : kKeys) out.emplace_back(k.name);
    return out;
}

}  // namespace forgehive::core
