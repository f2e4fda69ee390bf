// Jurisdiction resolution and policy (gate 2).
#include "forgehive/hive/jurisdiction.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include "forgehive/core/api_error.hpp"
#include "forgehive/core/config.hpp"
#include "forgehive/geo/h3.hpp"

namespace forgehive::hive {
namespace {

using core::ConfigError;

[[noreturn]] void bad(const std::string& path, const std::string& key, std::string_view rule) {
    throw ConfigError(fmt::format("{}: '{}' {}", path, key, rule));
}

std::vector<std::string> string_list(const toml::node* node, const std::string& path, const std::string& key) {
    std::vector<std::string> out;
    if (!node) return out;
    const auto* array = node->as_array();
    if (!array) bad(path, key, "must be a list of strings");
    for (const auto& item : *array) {
        auto text = item.value<std::string>();
        if (!text) bad(path, key, "must be a list of strings");
        out.push_back(*text);
    }
    return out;
}

bool is_country_code(const std::string& code) {
    return code.size() == 2 && std::isupper(static_cast<unsigned char>(code[0])) &&
           std::isupper(static_cast<unsigned char>(code[1]));
}

// [groups] NAME = ["AT", ...]: names usable in [countries] for many countries at once.
std::map<std::string, std::vector<std::string>> read_groups(const toml::table& root, const std::string& path) {
    std::map<std::string, std::vector<std::string>> groups;
    if (const auto* table = root["groups"].as_table()) {
        for (const auto& [name, node] : *table) {
            auto key = fmt::format("groups.{}", name.str());
            groups[std::string(name.str())] = string_list(&node, path, key);
            for (const auto& code : groups[std::string(name.str())])
                if (!is_country_code(code)) bad(path, key, fmt::format("holds '{}', not an ISO 3166-1 alpha-2 code", code));
        }
    }
    return groups;
}

void read_frameworks(const toml::table& root, const std::string& path, JurisdictionPolicy& policy) {
    const auto* table = root["frameworks"].as_table();
    if (!table) return;
    for (const auto& [name, node] : *table) {
        const auto* entry = node.as_table();
        auto key = fmt::format("frameworks.{}", name.str());
        if (!entry) bad(path, key, "must be a table");
        Framework framework;
        framework.title = (*entry)["title"].value_or(std::string(name.str()));
        for (const auto& step : string_list((*entry)["forbidden_steps"].node(), path, key + ".forbidden_steps")) {
            const auto& known = known_step_types();
            if (std::find(known.begin(), known.end(), step) == known.end())
                bad(path, key + ".forbidden_steps", fmt::format("holds unknown step type '{}'", step));
            framework.forbidden_steps.insert(step);
        }
        policy.frameworks[std::string(name.str())] = std::move(framework);
    }
}

// [countries] CODE_OR_GROUP = ["FRAMEWORK", ...]; a country named directly adds to what its groups give.
void read_countries(const toml::table& root, const std::string& path, JurisdictionPolicy& policy) {
    auto groups = read_groups(root, path);
    const auto* table = root["countries"].as_table();
    if (!table) return;
    for (const auto& [name, node] : *table) {
        auto key = fmt::format("countries.{}", name.str());
        auto frameworks = string_list(&node, path, key);
        for (const auto& f : frameworks)
            if (!policy.frameworks.count(f)) bad(path, key, fmt::format("names framework '{}', which has no [frameworks.{}] table", f, f));
        std::string target(name.str());
        auto members = groups.count(target) ? groups[target] : std::vector<std::string>{target};
        if (!groups.count(target) && !is_country_code(target)) bad(path, key, "is neither a group nor an ISO 3166-1 alpha-2 code");
        for (const auto& country : members) {
            auto& list = policy.country_frameworks[country];
            for (const auto& f : frameworks)
                if (std::find(list.begin(), list.end(), f) == list.end()) list.push_back(f);
        }
    }
}

void read_policy(const toml::table& root, const std::string& path, JurisdictionPolicy& policy) {
    const auto* table = root["policy"].as_table();
    if (!table) return;
    for (const auto& code : string_list((*table)["denied_countries"].node(), path, "policy.denied_countries")) {
        if (!is_country_code(code)) bad(path, "policy.denied_countries", fmt::format("holds '{}', not an ISO 3166-1 alpha-2 code", code));
        policy.denied_countries.insert(code);
    }
    auto unresolved = (*table)["unresolved"].value_or(std::string("allow"));
    if (unresolved != "allow" && unresolved != "deny") bad(path, "policy.unresolved", "must be \"allow\" or \"deny\"");
    policy.deny_unresolved = unresolved == "deny";
    policy.unresolved_frameworks = string_list((*table)["unresolved_frameworks"].node(), path, "policy.unresolved_frameworks");
    for (const auto& f : policy.unresolved_frameworks)
        if (!policy.frameworks.count(f)) bad(path, "policy.unresolved_frameworks", fmt::format("names unknown framework '{}'", f));
}

void check_steps_allowed(const ComputeRequest& request, const Jurisdiction& where, const JurisdictionPolicy& policy) {
    for (const auto& name : where.frameworks) {
        const auto& framework = policy.frameworks.at(name);
        for (const auto& step : request.steps) {
            if (!framework.forbidden_steps.count(step.type)) continue;
            throw core::ApiError("jurisdiction_denied", 451,
                                 fmt::format("step '{}' of type '{}' is forbidden under {} ({}) in {}", step.id, step.type,
                                             name, framework.title, where.country.value_or("the unresolved area")));
        }
    }
}

}  // namespace

JurisdictionPolicy load_jurisdiction_policy(const std::string& path) {
    toml::table root;
    try {
        root = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
        throw ConfigError(fmt::format("{}: {} (line {})", path, e.description(), e.source().begin.line));
    }
    JurisdictionPolicy policy;
    read_frameworks(root, path, policy);
    read_countries(root, path, policy);
    read_policy(root, path, policy);
    return policy;
}

std::uint64_t parse_cell_field(const std::string& field, const std::string& text) {
    try {
        return geo::parse_h3_cell(text);
    } catch (const geo::H3Error& e) {
        throw core::ApiError("invalid_h3_cell", 400, fmt::format("field '{}' is not a valid H3 cell index: {}", field, e.what()));
    }
}

bool cell_within(const std::string& scope_cell, const std::string& cell) {
    try {
        return geo::cell_contains(geo::parse_h3_cell(scope_cell), geo::parse_h3_cell(cell));
    } catch (const geo::H3Error&) {
        return false;
    }
}

Jurisdiction resolve_jurisdiction(const ComputeRequest& request, const geo::CountryIndex& countries,
                                  const JurisdictionPolicy& policy) {
    auto cell = parse_cell_field("h3_cell", request.h3_cell);
    auto centre = geo::cell_to_latlng(cell);
    Jurisdiction out{request.h3_cell, geo::h3_resolution(cell), centre.lat, centre.lng, countries.country_at(centre), {}};
    if (!out.country) {
        if (policy.deny_unresolved)
            throw core::ApiError("jurisdiction_denied", 451,
                                 fmt::format("h3_cell {} lies over no country and policy.unresolved is \"deny\"", out.h3_cell));
        out.frameworks = policy.unresolved_frameworks;
    } else {
        if (policy.denied_countries.count(*out.country))
            throw core::ApiError("jurisdiction_denied", 451,
                                 fmt::format("h3_cell {} resolves to {}, a country this server's policy denies", out.h3_cell, *out.country));
        auto it = policy.country_frameworks.find(*out.country);
        if (it != policy.country_frameworks.end()) out.frameworks = it->second;
    }
    check_steps_allowed(request, out, policy);
    return out;
}

}  // namespace forgehive::hive
