// Gate 2 of /v1/compute: the request's H3 cell -> country (bundled borders) -> regulatory frameworks
// (config/jurisdictions.toml), and the policy that may refuse the request (451).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "forgehive/geo/country_index.hpp"
#include "forgehive/hive/compute_request.hpp"

namespace forgehive::hive {

struct Framework {
    std::string title;
    std::set<std::string> forbidden_steps;  // step types that may not run under it
};

struct JurisdictionPolicy {
    std::map<std::string, std::vector<std::string>> country_frameworks;  // ISO 3166-1 alpha-2 -> frameworks
    std::map<std::string, Framework> frameworks;
    std::set<std::string> denied_countries;
    bool deny_unresolved = false;                  // cells over no country (open sea)
    std::vector<std::string> unresolved_frameworks;
};

// Reads config/jurisdictions.toml (format documented in that file). Throws core::ConfigError naming
// the file and the key.
JurisdictionPolicy load_jurisdiction_policy(const std::string& path);

struct Jurisdiction {
    std::string h3_cell;
    int resolution = 0;
    double lat = 0;
    double lng = 0;
    std::optional<std::string> country;
    std::vector<std::string> frameworks;
};

// Throws core::ApiError: 400 invalid_h3_cell for an index that is not a cell, 451 jurisdiction_denied
// for a denied country, an unresolved cell the policy refuses, or a step type a framework forbids.
Jurisdiction resolve_jurisdiction(const ComputeRequest& request, const geo::CountryIndex& countries,
                                  const JurisdictionPolicy& policy);

// True when `cell` is `scope_cell` or lies inside it; false when either is not a valid cell (the
// delegation gate's containment test for scoped certificates).
bool cell_within(const std::string& scope_cell, const std::string& cell);

// parse_h3_cell with the Hive error: 400 invalid_h3_cell naming `field` and the broken rule.
std::uint64_t parse_cell_field(const std::string& field, const std::string& text);

}  // namespace forgehive::hive
