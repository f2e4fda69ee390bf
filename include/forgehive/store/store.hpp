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
    enum class Kind { conflict, not_found, unavailable, invalid, insufficient_credits };
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

// Job states as stored: QUEUED (accepted and persisted) -> COMPLETED | FAILED | CANCELLED. RUNNING is
// what the gateway reports for a QUEUED job it is executing; it is not written, which saves a commit
// (an fsync) per job. The CHECK constraint still allows it for rows written by older builds.
struct JobRecord {
    std::string id;  // ULID
    std::int64_t project_id = 0;
    std::optional<std::string> client_job_id;  // ctx.job_id
    std::optional<std::string> trace_id;
    std::string contract_hash;  // SHA-256 of the canonical contract, for idempotency
    std::string status;
    std::string billing_mode;   // test | billable
    std::int64_t credits = 0;   // cost; reserved while QUEUED/RUNNING, debited at COMPLETED
    std::string request_json;   // canonical envelope, for replay
    std::optional<std::string> response_json;
    std::optional<std::string> error_code;
    std::optional<std::string> error_message;
    std::int64_t units_total = 0;
    std::int64_t units_done = 0;
    std::string created_at;
    std::string updated_at;
};

struct NewJob {
    std::string id;
    std::int64_t project_id = 0;
    std::optional<std::string> client_job_id;
    std::optional<std::string> trace_id;
    std::string contract_hash;
    std::string billing_mode;
    std::int64_t credits = 0;
    std::string request_json;
    std::int64_t units_total = 0;
};

struct LedgerEntry {
    std::int64_t id = 0;
    std::int64_t project_id = 0;
    std::string job_id;
    std::int64_t delta = 0;  // negative: a debit
    std::int64_t balance_after = 0;
    std::string created_at;
};

// A Hive compute job (POST /v1/compute). It is written "running" before any step runs, so the signature
// is seen (replay protection) before the request is acknowledged; its signature is unique.
struct HiveJobRecord {
    std::string id;  // UUIDv4
    std::string requester_pk;
    std::string signature;
    std::string h3_cell;
    std::int64_t epoch = 0;
    std::string status;          // running | complete | partial | failed
    std::string request_json;    // the signed request, canonical (JCS)
    std::optional<std::string> response_json;
    std::int64_t total_nano = 0;  // nano-GNS charged
    std::string created_at;
    std::string updated_at;
};

struct HiveLedgerEntry {
    std::int64_t id = 0;
    std::string requester_pk;
    std::string job_id;
    std::int64_t delta_nano = 0;  // negative: a charge
    std::string created_at;
};

// A human principal of the Hive API: the root of every delegation chain (docs/hive-delegation.md).
struct Principal {
    std::int64_t id = 0;
    std::string public_key;  // Ed25519, 64 lower-case hex digits
    std::string name;
    std::string created_at;
    std::optional<std::string> revoked_at;
};

// An artifact as one project holds it (docs/artifacts.md). The bytes are stored once by content; each
// project that uploads them has its own record, with the media type it declared.
struct ProjectArtifact {
    std::int64_t project_id = 0;
    std::string id;  // sha256:<64 hex>
    std::string media_type;
    std::int64_t size = 0;
    std::string created_at;  // when this project first stored it
};

enum class ArtifactAdded { added, existing, over_quota };

struct AddArtifactOutcome {
    ArtifactAdded result = ArtifactAdded::added;
    std::optional<ProjectArtifact> artifact;  // the record now held (existing: the earlier one); none when over quota
    std::int64_t used_bytes = 0;              // the project's distinct artifacts, before this call
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

    // Persists a QUEUED job. A billable job reserves its credits: in the same transaction the
    // project's balance minus the credits of its other QUEUED/RUNNING billable jobs must cover them,
    // else StoreError(insufficient_credits) and nothing is written. A repeated
    // (project, client_job_id) is StoreError(conflict).
    virtual void insert_job(const NewJob& job) = 0;
    virtual std::optional<JobRecord> find_job(std::int64_t project_id, const std::string& job_id) = 0;
    virtual std::optional<JobRecord> find_job_by_client_id(std::int64_t project_id, const std::string& client_job_id) = 0;
    // Newest first.
    virtual std::vector<JobRecord> list_jobs(std::int64_t project_id, int limit) = 0;
    // COMPLETED, the response stored and (billable) the debit with its ledger entry: one transaction.
    virtual void complete_job(const std::string& job_id, const std::string& response_json) = 0;
    // FAILED or CANCELLED; releases the reservation; nothing is charged.
    virtual void finish_job_unsuccessfully(const std::string& job_id, const std::string& status,
                                           const std::string& error_code, const std::string& error_message) = 0;
    // At start-up: jobs left QUEUED or RUNNING by a previous process become FAILED with `reason`.
    virtual int fail_unfinished_jobs(const std::string& reason) = 0;
    virtual std::vector<LedgerEntry> ledger(std::int64_t project_id) = 0;

    // Principals are keyed by their public key, matched exactly: callers pass lower-case hex.
    // Throws StoreError(conflict) when the key is already registered, revoked or not.
    virtual Principal add_principal(const std::string& public_key, const std::string& name) = 0;
    virtual std::optional<Principal> find_principal(const std::string& public_key) = 0;
    // Ordered by id.
    virtual std::vector<Principal> list_principals() = 0;
    // Throws StoreError(not_found) for an unknown key; revoking twice keeps the first time.
    virtual Principal revoke_principal(const std::string& public_key) = 0;

    // Hive jobs. insert_hive_job throws StoreError(conflict) when the signature was seen before.
    virtual void insert_hive_job(const HiveJobRecord& job) = 0;
    virtual std::optional<HiveJobRecord> find_hive_job(const std::string& id) = 0;
    virtual std::optional<HiveJobRecord> find_hive_job_by_signature(const std::string& signature) = 0;
    // Newest first.
    virtual std::vector<HiveJobRecord> recent_hive_jobs(int limit) = 0;
    // The final status and response and, when total_nano > 0, the requester's ledger charge: one transaction.
    virtual void finish_hive_job(const std::string& id, const std::string& status, const std::string& response_json,
                                 std::int64_t total_nano) = 0;
    // At start-up: Hive jobs a previous process left running become failed with `response_json`.
    virtual int fail_unfinished_hive_jobs(const std::string& response_json) = 0;
    virtual std::vector<HiveLedgerEntry> hive_ledger(const std::string& requester_pk) = 0;

    // Records that a project holds an artifact, in one transaction with its quota: the sizes of the
    // project's distinct artifacts plus this one must not exceed quota_bytes, else over_quota and nothing
    // is written. A project that already holds the artifact gets its earlier record back (existing),
    // whatever the quota, and nothing changes.
    virtual AddArtifactOutcome add_project_artifact(const ProjectArtifact& artifact, std::int64_t quota_bytes) = 0;
    virtual std::optional<ProjectArtifact> find_project_artifact(std::int64_t project_id, const std::string& id) = 0;
    // The total size of the project's distinct artifacts.
    virtual std::int64_t project_artifact_bytes(std::int64_t project_id) = 0;
};

}  // namespace forgehive::store
