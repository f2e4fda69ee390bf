// Store: the persistence interface. Callers see only this header; SQLite is the default
// implementation (sqlite_store.hpp) and a PostgreSQL one can be added beside it without touching them.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace forgehive::store {

class StoreError : public std::runtime_error {
public:
    enum class Kind { conflict, not_found, unavailable, invalid };
    StoreError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
    Kind kind() const noexcept { return kind_; }

private:
    Kind kind_;
};

struct Project {
    std::int64_t id = 0;
    std::string name;
    std::int64_t credits = 0;
    std::string created_at;  // RFC 3339, UTC
};

struct ApiToken {
    std::int64_t id = 0;
    std::int64_t project_id = 0;
    std::string project_name;
    std::string prefix;     // public lookup part of the token, shown in listings
    std::string hash_hex;   // SHA-256 of the whole token; the token itself is never stored
    std::string created_at;
    std::optional<std::string> revoked_at;
};

struct NewToken {
    std::int64_t project_id = 0;
    std::string prefix;
    std::string hash_hex;
    std::int64_t grant_credits = 0;  // added to the project's balance in the same transaction
};

class Store {
public:
    virtual ~Store() = default;

    // Throws StoreError(unavailable) when the store cannot answer a trivial query.
    virtual void ping() = 0;
    virtual int schema_version() = 0;

    // Throws StoreError(conflict) when the name is taken.
    virtual Project create_project(const std::string& name) = 0;
    virtual std::optional<Project> find_project(const std::string& name) = 0;
    virtual std::vector<Project> list_projects() = 0;

    virtual ApiToken insert_token(const NewToken& token) = 0;
    virtual std::optional<ApiToken> find_token_by_prefix(const std::string& prefix) = 0;
    // All tokens, or one project's, ordered by id.
    virtual std::vector<ApiToken> list_tokens(std::optional<std::int64_t> project_id) = 0;
    // Throws StoreError(not_found) for an unknown id; revoking twice keeps the first time.
    virtual ApiToken revoke_token(std::int64_t token_id) = 0;
};

}  // namespace forgehive::store
