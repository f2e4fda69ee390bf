// SQLite Store: one connection guarded by a mutex (SQLite serialises writers anyway), statements
// prepared once and reused, every multi-row change in one IMMEDIATE transaction.
#include "forgehive/store/sqlite_store.hpp"

#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <map>
#include <memory>
#include <mutex>
#include <sys/stat.h>
#include <unistd.h>

#include "migrations.hpp"
#include "sqlite_statement.hpp"

namespace forgehive::store {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kJobColumns =
    "SELECT id, project_id, client_job_id, trace_id, contract_hash, status, billing_mode, credits, request_json, "
    "response_json, error_code, error_message, units_total, units_done, created_at, updated_at FROM jobs ";

constexpr std::string_view kHiveJobColumns =
    "SELECT id, requester_pk, signature, h3_cell, epoch, status, request_json, response_json, total_nano, created_at, "
    "updated_at FROM hive_jobs ";

constexpr std::string_view kNow = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

constexpr std::string_view kTokenColumns =
    "t.id, t.project_id, p.name, t.prefix, t.hash, t.created_at, t.revoked_at "
    "FROM api_tokens t JOIN projects p ON p.id = t.project_id";

constexpr std::string_view kPrincipalColumns = "id, public_key, name, created_at, revoked_at FROM principals";

void prepare_data_dir(const std::string& dir) {
    std::error_code ec;
    bool created = fs::create_directories(dir, ec);
    if (ec) throw StoreError(StoreError::Kind::unavailable, fmt::format("cannot create data dir {}: {}", dir, ec.message()));
    if (created) fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace);
}

// SQLite creates the database with the process umask; create it first so it is 0600 from the start
// (SQLite gives the -wal and -shm files the database file's permissions).
void create_private_file(const std::string& path) {
    int fd = ::open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0) throw StoreError(StoreError::Kind::unavailable, fmt::format("cannot create {}", path));
    ::close(fd);
}

class SqliteStore final : public Store {
public:
    explicit SqliteStore(const SqliteOptions& options) {
        prepare_data_dir(options.data_dir);
        auto path = (fs::path(options.data_dir) / "forgehive.db").string();
        create_private_file(path);
        int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, nullptr);
        if (rc != SQLITE_OK) {
            sqlite3_close(db_);
            throw_sqlite(nullptr, rc, fmt::format("open {}", path));
        }
        try {
            configure(options);
        } catch (...) {
            sqlite3_close(db_);
            throw;
        }
    }

    ~SqliteStore() override {
        statements_.clear();
        sqlite3_close(db_);
    }

    void ping() override {
        std::lock_guard lock(mutex_);
        auto& s = statement("SELECT 1");
        if (!s.step()) throw StoreError(StoreError::Kind::unavailable, "ping returned no row");
        s.reset();
    }

    int schema_version() override { return version_; }

    Project create_project(const std::string& name) override {
        std::lock_guard lock(mutex_);
        auto& insert = statement("INSERT INTO projects(name) VALUES (?)");
        try {
            insert.bind(1, name).run();
        } catch (const StoreError& e) {
            insert.reset();
            if (e.kind() == StoreError::Kind::conflict)
                throw StoreError(StoreError::Kind::conflict, fmt::format("project '{}' already exists", name));
            throw;
        }
        return *project_where_name(name);
    }

    std::optional<Project> find_project(const std::string& name) override {
        std::lock_guard lock(mutex_);
        return project_where_name(name);
    }

    std::vector<Project> list_projects() override {
        std::lock_guard lock(mutex_);
        auto& s = statement("SELECT id, name, credits, created_at FROM projects ORDER BY id");
        std::vector<Project> out;
        while (s.step()) out.push_back(read_project(s));
        s.reset();
        return out;
    }

    ApiToken insert_token(const NewToken& token) override {
        std::lock_guard lock(mutex_);
        transaction([&] {
            statement("INSERT INTO api_tokens(project_id, prefix, hash) VALUES (?, ?, ?)")
                .bind(1, token.project_id)
                .bind(2, token.prefix)
                .bind(3, token.hash_hex)
                .run();
            statement("UPDATE projects SET credits = credits + ? WHERE id = ?")
                .bind(1, token.grant_credits)
                .bind(2, token.project_id)
                .run();
        });
        return *token_where_prefix(token.prefix);
    }

    std::optional<ApiToken> find_token_by_prefix(const std::string& prefix) override {
        std::lock_guard lock(mutex_);
        return token_where_prefix(prefix);
    }

    std::vector<ApiToken> list_tokens(std::optional<std::int64_t> project_id) override {
        std::lock_guard lock(mutex_);
        auto& s = project_id ? statement(fmt::format("SELECT {} WHERE t.project_id = ? ORDER BY t.id", kTokenColumns))
                             : statement(fmt::format("SELECT {} ORDER BY t.id", kTokenColumns));
        if (project_id) s.bind(1, *project_id);
        std::vector<ApiToken> out;
        while (s.step()) out.push_back(read_token(s));
        s.reset();
        return out;
    }

    ApiToken revoke_token(std::int64_t token_id) override {
        std::lock_guard lock(mutex_);
        statement("UPDATE api_tokens SET revoked_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
                  "WHERE id = ? AND revoked_at IS NULL")
            .bind(1, token_id)
            .run();
        auto& s = statement(fmt::format("SELECT {} WHERE t.id = ?", kTokenColumns));
        s.bind(1, token_id);
        if (!s.step()) {
            s.reset();
            throw StoreError(StoreError::Kind::not_found, fmt::format("no token with id {}", token_id));
        }
        auto token = read_token(s);
        s.reset();
        return token;
    }

    void insert_job(const NewJob& job) override {
        std::lock_guard lock(mutex_);
        transaction([&] {
            if (job.billing_mode == "billable") reserve_credits(job.project_id, job.credits);
            auto& insert = statement(
                "INSERT INTO jobs(id, project_id, client_job_id, trace_id, contract_hash, status, billing_mode, "
                "credits, request_json, units_total) VALUES (?, ?, ?, ?, ?, 'QUEUED', ?, ?, ?, ?)");
            insert.bind(1, job.id).bind(2, job.project_id);
            bind_optional(insert, 3, job.client_job_id);
            bind_optional(insert, 4, job.trace_id);
            insert.bind(5, job.contract_hash).bind(6, job.billing_mode).bind(7, job.credits).bind(8, job.request_json);
            insert.bind(9, job.units_total).run();
        });
    }

    std::optional<JobRecord> find_job(std::int64_t project_id, const std::string& job_id) override {
        std::lock_guard lock(mutex_);
        auto& s = statement(std::string(kJobColumns) + "WHERE project_id = ? AND id = ?");
        s.bind(1, project_id).bind(2, job_id);
        return one_job(s);
    }

    std::optional<JobRecord> find_job_by_client_id(std::int64_t project_id, const std::string& client_job_id) override {
        std::lock_guard lock(mutex_);
        auto& s = statement(std::string(kJobColumns) + "WHERE project_id = ? AND client_job_id = ?");
        s.bind(1, project_id).bind(2, client_job_id);
        return one_job(s);
    }

    std::vector<JobRecord> list_jobs(std::int64_t project_id, int limit) override {
        std::lock_guard lock(mutex_);
        auto& s = statement(std::string(kJobColumns) + "WHERE project_id = ? ORDER BY id DESC LIMIT ?");
        s.bind(1, project_id).bind(2, std::int64_t{limit});
        std::vector<JobRecord> out;
        while (s.step()) out.push_back(read_job(s));
        s.reset();
        return out;
    }

    void complete_job(const std::string& job_id, const std::string& response_json) override {
        std::lock_guard lock(mutex_);
        transaction([&] {
            auto job = job_by_id(job_id);
            if (!job || (job->status != "QUEUED" && job->status != "RUNNING"))
                throw StoreError(StoreError::Kind::conflict, fmt::format("job {} is not active", job_id));
            statement(fmt::format("UPDATE jobs SET status = 'COMPLETED', response_json = ?, units_done = units_total, "
                                  "updated_at = {} WHERE id = ?",
                                  kNow))
                .bind(1, response_json)
                .bind(2, job_id)
                .run();
            if (job->billing_mode == "billable" && job->credits > 0) debit(*job);
        });
    }

    void finish_job_unsuccessfully(const std::string& job_id, const std::string& status, const std::string& error_code,
                                   const std::string& error_message) override {
        std::lock_guard lock(mutex_);
        statement(fmt::format("UPDATE jobs SET status = ?, error_code = ?, error_message = ?, updated_at = {} "
                              "WHERE id = ? AND status IN ('QUEUED','RUNNING')",
                              kNow))
            .bind(1, status)
            .bind(2, error_code)
            .bind(3, error_message)
            .bind(4, job_id)
            .run();
    }

    int fail_unfinished_jobs(const std::string& reason) override {
        std::lock_guard lock(mutex_);
        statement(fmt::format("UPDATE jobs SET status = 'FAILED', error_code = 'execution_failed', error_message = ?, "
                              "updated_at = {} WHERE status IN ('QUEUED','RUNNING')",
                              kNow))
            .bind(1, reason)
            .run();
        return sqlite3_changes(db_);
    }

    std::vector<LedgerEntry> ledger(std::int64_t project_id) override {
        std::lock_guard lock(mutex_);
        auto& s = statement("SELECT id, project_id, job_id, delta, balance_after, created_at FROM ledger "
                            "WHERE project_id = ? ORDER BY id");
        s.bind(1, project_id);
        std::vector<LedgerEntry> out;
        while (s.step())
            out.push_back(LedgerEntry{s.column_int(0), s.column_int(1), s.column_text(2), s.column_int(3),
                                      s.column_int(4), s.column_text(5)});
        s.reset();
        return out;
    }

    Principal add_principal(const std::string& public_key, const std::string& name) override {
        std::lock_guard lock(mutex_);
        // Looked up first so that only a taken key reads "already registered"; a CHECK failure keeps
        // SQLite's own message. The mutex makes the two steps atomic for this connection's users.
        if (principal_where_key(public_key))
            throw StoreError(StoreError::Kind::conflict, fmt::format("principal {} is already registered", public_key));
        statement("INSERT INTO principals(public_key, name) VALUES (?, ?)").bind(1, public_key).bind(2, name).run();
        return *principal_where_key(public_key);
    }

    std::optional<Principal> find_principal(const std::string& public_key) override {
        std::lock_guard lock(mutex_);
        return principal_where_key(public_key);
    }

    std::vector<Principal> list_principals() override {
        std::lock_guard lock(mutex_);
        auto& s = statement(fmt::format("SELECT {} ORDER BY id", kPrincipalColumns));
        std::vector<Principal> out;
        while (s.step()) out.push_back(read_principal(s));
        s.reset();
        return out;
    }

    Principal revoke_principal(const std::string& public_key) override {
        std::lock_guard lock(mutex_);
        statement(fmt::format("UPDATE principals SET revoked_at = {} WHERE public_key = ? AND revoked_at IS NULL", kNow))
            .bind(1, public_key)
            .run();
        auto principal = principal_where_key(public_key);
        if (!principal) throw StoreError(StoreError::Kind::not_found, fmt::format("no principal with key {}", public_key));
        return *principal;
    }

    void insert_hive_job(const HiveJobRecord& job) override {
        std::lock_guard lock(mutex_);
        auto& insert = statement("INSERT INTO hive_jobs(id, requester_pk, signature, h3_cell, epoch, status, request_json) "
                                 "VALUES (?, ?, ?, ?, ?, ?, ?)");
        insert.bind(1, job.id).bind(2, job.requester_pk).bind(3, job.signature).bind(4, job.h3_cell);
        insert.bind(5, job.epoch).bind(6, job.status).bind(7, job.request_json).run();
    }

    std::optional<HiveJobRecord> find_hive_job(const std::string& id) override {
        std::lock_guard lock(mutex_);
        return one_hive_job(statement(std::string(kHiveJobColumns) + "WHERE id = ?").bind(1, id));
    }

    std::optional<HiveJobRecord> find_hive_job_by_signature(const std::string& signature) override {
        std::lock_guard lock(mutex_);
        return one_hive_job(statement(std::string(kHiveJobColumns) + "WHERE signature = ?").bind(1, signature));
    }

    std::vector<HiveJobRecord> recent_hive_jobs(int limit) override {
        std::lock_guard lock(mutex_);
        auto& s = statement(std::string(kHiveJobColumns) + "ORDER BY seq DESC LIMIT ?");
        s.bind(1, std::int64_t{limit});
        std::vector<HiveJobRecord> out;
        while (s.step()) out.push_back(read_hive_job(s));
        s.reset();
        return out;
    }

    void finish_hive_job(const std::string& id, const std::string& status, const std::string& response_json,
                         std::int64_t total_nano) override {
        std::lock_guard lock(mutex_);
        transaction([&] {
            auto& update = statement(fmt::format("UPDATE hive_jobs SET status = ?, response_json = ?, total_nano = ?, "
                                                 "updated_at = {} WHERE id = ? AND status = 'running'",
                                                 kNow));
            update.bind(1, status).bind(2, response_json).bind(3, total_nano).bind(4, id).run();
            if (sqlite3_changes(db_) != 1)
                throw StoreError(StoreError::Kind::conflict, fmt::format("hive job {} is not running", id));
            if (total_nano == 0) return;
            statement("INSERT INTO hive_ledger(requester_pk, job_id, delta_nano) "
                      "SELECT requester_pk, id, ? FROM hive_jobs WHERE id = ?")
                .bind(1, -total_nano)
                .bind(2, id)
                .run();
        });
    }

    int fail_unfinished_hive_jobs(const std::string& response_json) override {
        std::lock_guard lock(mutex_);
        statement(fmt::format("UPDATE hive_jobs SET status = 'failed', response_json = ?, updated_at = {} "
                              "WHERE status = 'running'",
                              kNow))
            .bind(1, response_json)
            .run();
        return sqlite3_changes(db_);
    }

    std::vector<HiveLedgerEntry> hive_ledger(const std::string& requester_pk) override {
        std::lock_guard lock(mutex_);
        auto& s = statement("SELECT id, requester_pk, job_id, delta_nano, created_at FROM hive_ledger "
                            "WHERE requester_pk = ? ORDER BY id");
        s.bind(1, requester_pk);
        std::vector<HiveLedgerEntry> out;
        while (s.step())
            out.push_back(HiveLedgerEntry{s.column_int(0), s.column_text(1), s.column_text(2), s.column_int(3), s.column_text(4)});
        s.reset();
        return out;
    }

    AddArtifactOutcome add_project_artifact(const ProjectArtifact& artifact, std::int64_t quota_bytes) override {
        std::lock_guard lock(mutex_);
        AddArtifactOutcome out;
        transaction([&] {
            out.used_bytes = artifact_bytes(artifact.project_id);
            out.artifact = project_artifact(artifact.project_id, artifact.id);
            if (out.artifact) {
                out.result = ArtifactAdded::existing;
                return;
            }
            if (artifact.size > quota_bytes - out.used_bytes) {
                out.result = ArtifactAdded::over_quota;
                return;
            }
            statement("INSERT OR IGNORE INTO artifacts(id, size) VALUES (?, ?)")
                .bind(1, artifact.id)
                .bind(2, artifact.size)
                .run();
            statement("INSERT INTO project_artifacts(project_id, artifact_id, media_type) VALUES (?, ?, ?)")
                .bind(1, artifact.project_id)
                .bind(2, artifact.id)
                .bind(3, artifact.media_type)
                .run();
            out.artifact = project_artifact(artifact.project_id, artifact.id);
        });
        return out;
    }

    std::optional<ProjectArtifact> find_project_artifact(std::int64_t project_id, const std::string& id) override {
        std::lock_guard lock(mutex_);
        return project_artifact(project_id, id);
    }

    std::int64_t project_artifact_bytes(std::int64_t project_id) override {
        std::lock_guard lock(mutex_);
        return artifact_bytes(project_id);
    }

private:
    std::optional<ProjectArtifact> project_artifact(std::int64_t project_id, const std::string& id) {
        auto& s = statement("SELECT pa.project_id, pa.artifact_id, pa.media_type, a.size, pa.created_at "
                            "FROM project_artifacts pa JOIN artifacts a ON a.id = pa.artifact_id "
                            "WHERE pa.project_id = ? AND pa.artifact_id = ?");
        s.bind(1, project_id).bind(2, id);
        std::optional<ProjectArtifact> out;
        if (s.step())
            out = ProjectArtifact{s.column_int(0), s.column_text(1), s.column_text(2), s.column_int(3), s.column_text(4)};
        s.reset();
        return out;
    }

    std::int64_t artifact_bytes(std::int64_t project_id) {
        auto& s = statement("SELECT COALESCE(SUM(a.size), 0) FROM project_artifacts pa "
                            "JOIN artifacts a ON a.id = pa.artifact_id WHERE pa.project_id = ?");
        s.bind(1, project_id);
        s.step();
        auto total = s.column_int(0);
        s.reset();
        return total;
    }

    static HiveJobRecord read_hive_job(const Statement& s) {
        return HiveJobRecord{s.column_text(0), s.column_text(1), s.column_text(2), s.column_text(3),
                             s.column_int(4),  s.column_text(5), s.column_text(6), s.column_optional_text(7),
                             s.column_int(8),  s.column_text(9), s.column_text(10)};
    }

    std::optional<HiveJobRecord> one_hive_job(Statement& s) {
        std::optional<HiveJobRecord> out;
        if (s.step()) out = read_hive_job(s);
        s.reset();
        return out;
    }

    // Balance minus what active billable jobs have reserved must cover `credits`.
    void reserve_credits(std::int64_t project_id, std::int64_t credits) {
        auto& s = statement(
            "SELECT p.credits - COALESCE((SELECT SUM(j.credits) FROM jobs j WHERE j.project_id = p.id AND "
            "j.billing_mode = 'billable' AND j.status IN ('QUEUED','RUNNING')), 0) FROM projects p WHERE p.id = ?");
        s.bind(1, project_id);
        if (!s.step()) {
            s.reset();
            throw StoreError(StoreError::Kind::not_found, fmt::format("no project with id {}", project_id));
        }
        auto available = s.column_int(0);
        s.reset();
        if (available < credits)
            throw StoreError(StoreError::Kind::insufficient_credits,
                             fmt::format("job costs {} credits; {} available", credits, available));
    }

    void debit(const JobRecord& job) {
        statement("UPDATE projects SET credits = credits - ? WHERE id = ?").bind(1, job.credits).bind(2, job.project_id).run();
        statement("INSERT INTO ledger(project_id, job_id, delta, balance_after) "
                  "SELECT id, ?, ?, credits FROM projects WHERE id = ?")
            .bind(1, job.id)
            .bind(2, -job.credits)
            .bind(3, job.project_id)
            .run();
    }

    static void bind_optional(Statement& s, int index, const std::optional<std::string>& value) {
        if (value) s.bind(index, *value);
    }

    static JobRecord read_job(const Statement& s) {
        JobRecord job;
        job.id = s.column_text(0);
        job.project_id = s.column_int(1);
        job.client_job_id = s.column_optional_text(2);
        job.trace_id = s.column_optional_text(3);
        job.contract_hash = s.column_text(4);
        job.status = s.column_text(5);
        job.billing_mode = s.column_text(6);
        job.credits = s.column_int(7);
        job.request_json = s.column_text(8);
        job.response_json = s.column_optional_text(9);
        job.error_code = s.column_optional_text(10);
        job.error_message = s.column_optional_text(11);
        job.units_total = s.column_int(12);
        job.units_done = s.column_int(13);
        job.created_at = s.column_text(14);
        job.updated_at = s.column_text(15);
        return job;
    }

    std::optional<JobRecord> one_job(Statement& s) {
        std::optional<JobRecord> out;
        if (s.step()) out = read_job(s);
        s.reset();
        return out;
    }

    std::optional<JobRecord> job_by_id(const std::string& job_id) {
        auto& s = statement(std::string(kJobColumns) + "WHERE id = ?");
        s.bind(1, job_id);
        return one_job(s);
    }

    void configure(const SqliteOptions& options) {
        sqlite3_busy_timeout(db_, options.busy_timeout_ms);
        // WAL lets readers proceed during a write; synchronous=FULL makes a commit durable before we
        // acknowledge it; foreign keys are off by default in SQLite.
        pragma("PRAGMA journal_mode=WAL");
        pragma("PRAGMA synchronous=FULL");
        pragma("PRAGMA foreign_keys=ON");
        version_ = migrate(db_);
    }

    void pragma(const char* sql) {
        Statement s(db_, sql);
        s.run();
    }

    // Statements are prepared on first use and kept for the connection's life.
    Statement& statement(const std::string& sql) {
        auto it = statements_.find(sql);
        if (it == statements_.end()) it = statements_.emplace(sql, std::make_unique<Statement>(db_, sql)).first;
        it->second->reset();
        return *it->second;
    }

    template <class Body>
    void transaction(Body&& body) {
        statement("BEGIN IMMEDIATE").run();
        try {
            body();
            statement("COMMIT").run();
        } catch (...) {
            sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
            throw;
        }
    }

    static Project read_project(const Statement& s) {
        return Project{s.column_int(0), s.column_text(1), s.column_int(2), s.column_text(3)};
    }

    static ApiToken read_token(const Statement& s) {
        return ApiToken{s.column_int(0),  s.column_int(1),  s.column_text(2),          s.column_text(3),
                        s.column_text(4), s.column_text(5), s.column_optional_text(6)};
    }

    std::optional<Project> project_where_name(const std::string& name) {
        auto& s = statement("SELECT id, name, credits, created_at FROM projects WHERE name = ?");
        s.bind(1, name);
        std::optional<Project> out;
        if (s.step()) out = read_project(s);
        s.reset();
        return out;
    }

    static Principal read_principal(const Statement& s) {
        return Principal{s.column_int(0), s.column_text(1), s.column_text(2), s.column_text(3), s.column_optional_text(4)};
    }

    std::optional<Principal> principal_where_key(const std::string& public_key) {
        auto& s = statement(fmt::format("SELECT {} WHERE public_key = ?", kPrincipalColumns));
        s.bind(1, public_key);
        std::optional<Principal> out;
        if (s.step()) out = read_principal(s);
        s.reset();
        return out;
    }

    std::optional<ApiToken> token_where_prefix(const std::string& prefix) {
        auto& s = statement(fmt::format("SELECT {} WHERE t.prefix = ?", kTokenColumns));
        s.bind(1, prefix);
        std::optional<ApiToken> out;
        if (s.step()) out = read_token(s);
        s.reset();
        return out;
    }

    sqlite3* db_ = nullptr;
    int version_ = 0;
    std::mutex mutex_;
    std::map<std::string, std::unique_ptr<Statement>, std::less<>> statements_;
};

}  // namespace

std::unique_ptr<Store> open_sqlite_store(const SqliteOptions& options) { return std::make_unique<SqliteStore>(options); }

}  // namespace forgehive::store
