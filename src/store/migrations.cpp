// The schema history of the SQLite store.
#include "migrations.hpp"

#include <array>
#include <fmt/format.h>
#include <string_view>

#include "sqlite_statement.hpp"

namespace forgehive::store {
namespace {

struct Migration {
    int version;
    std::string_view sql;
};

constexpr std::array kMigrations = {
    Migration{1, R"sql(
CREATE TABLE projects (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    credits     INTEGER NOT NULL DEFAULT 0 CHECK (credits >= 0),
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE TABLE api_tokens (
    id          INTEGER PRIMARY KEY,
    project_id  INTEGER NOT NULL REFERENCES projects(id),
    prefix      TEXT NOT NULL UNIQUE,
    hash        TEXT NOT NULL,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    revoked_at  TEXT
);
CREATE INDEX api_tokens_project ON api_tokens(project_id);
)sql"},
    Migration{2, R"sql(
CREATE TABLE jobs (
    id             TEXT PRIMARY KEY,
    project_id     INTEGER NOT NULL REFERENCES projects(id),
    client_job_id  TEXT,
    trace_id       TEXT,
    contract_hash  TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('QUEUED','RUNNING','COMPLETED','FAILED','CANCELLED')),
    billing_mode   TEXT NOT NULL CHECK (billing_mode IN ('test','billable')),
    credits        INTEGER NOT NULL CHECK (credits >= 0),
    request_json   TEXT NOT NULL,
    response_json  TEXT,
    error_code     TEXT,
    error_message  TEXT,
    units_total    INTEGER NOT NULL DEFAULT 0,
    units_done     INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE UNIQUE INDEX jobs_client_id ON jobs(project_id, client_job_id) WHERE client_job_id IS NOT NULL;
CREATE INDEX jobs_project_created ON jobs(project_id, id DESC);
CREATE INDEX jobs_active ON jobs(status) WHERE status IN ('QUEUED','RUNNING');
CREATE TABLE ledger (
    id             INTEGER PRIMARY KEY,
    project_id     INTEGER NOT NULL REFERENCES projects(id),
    job_id         TEXT NOT NULL REFERENCES jobs(id),
    delta          INTEGER NOT NULL,
    balance_after  INTEGER NOT NULL CHECK (balance_after >= 0),
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX ledger_project ON ledger(project_id, id);
)sql"},
    // Hive principals (docs/hive-delegation.md): a revoked key keeps its row, so it cannot be re-added
    // and its history stays readable.
    Migration{3, R"sql(
CREATE TABLE principals (
    id          INTEGER PRIMARY KEY,
    public_key  TEXT NOT NULL UNIQUE CHECK (length(public_key) = 64),
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    revoked_at  TEXT
);
)sql"},
    // Hive jobs (POST /v1/compute). The unique signature is the replay protection: a request seen once
    // is answered from its row, never run or charged again. The ledger records each requester's charges.
    Migration{4, R"sql(
CREATE TABLE hive_jobs (
    seq            INTEGER PRIMARY KEY,
    id             TEXT NOT NULL UNIQUE,
    requester_pk   TEXT NOT NULL,
    signature      TEXT NOT NULL UNIQUE,
    h3_cell        TEXT NOT NULL,
    epoch          INTEGER NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('running','complete','partial','failed')),
    request_json   TEXT NOT NULL,
    response_json  TEXT,
    total_nano     INTEGER NOT NULL DEFAULT 0 CHECK (total_nano >= 0),
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX hive_jobs_running ON hive_jobs(status) WHERE status = 'running';
CREATE TABLE hive_ledger (
    id             INTEGER PRIMARY KEY,
    requester_pk   TEXT NOT NULL,
    job_id         TEXT NOT NULL REFERENCES hive_jobs(id),
    delta_nano     INTEGER NOT NULL,
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX hive_ledger_requester ON hive_ledger(requester_pk, id);
)sql"},
    // Artifacts (docs/artifacts.md): the bytes are stored once by content under the data dir; each
    // project that uploads them keeps its own record, with the media type it declared, and its quota
    // counts the sizes of its distinct artifacts.
    Migration{5, R"sql(
CREATE TABLE artifacts (
    id          TEXT PRIMARY KEY CHECK (length(id) = 71),
    size        INTEGER NOT NULL CHECK (size >= 0),
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE TABLE project_artifacts (
    project_id   INTEGER NOT NULL REFERENCES projects(id),
    artifact_id  TEXT NOT NULL REFERENCES artifacts(id),
    media_type   TEXT NOT NULL,
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (project_id, artifact_id)
) WITHOUT ROWID;
)sql"},
};

void exec(sqlite3* db, const char* sql) {
    char* error = nullptr;
    int rc = sqlite3_exec(db, sql, nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
        std::string message = error ? error : "unknown error";
        sqlite3_free(error);
        throw_sqlite(nullptr, rc, fmt::format("migration: {}", message));
    }
}

int current_version(sqlite3* db) {
    exec(db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
             " version INTEGER PRIMARY KEY,"
             " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))");
    Statement max(db, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    max.step();
    return static_cast<int>(max.column_int(0));
}

}  // namespace

int migrate(sqlite3* db) {
    int version = current_version(db);
    if (version > kMigrations.back().version)
        throw StoreError(StoreError::Kind::invalid,
                         fmt::format("database schema version {} is newer than this build knows ({})", version,
                                     kMigrations.back().version));
    for (const auto& m : kMigrations) {
        if (m.version <= version) continue;
        exec(db, "BEGIN IMMEDIATE");
        try {
            exec(db, std::string(m.sql).c_str());
            Statement record(db, "INSERT INTO schema_migrations(version) VALUES (?)");
            record.bind(1, std::int64_t{m.version}).run();
            exec(db, "COMMIT");
        } catch (...) {
            sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
            throw;
        }
        version = m.version;
    }
    return version;
}

}  // namespace forgehive::store
