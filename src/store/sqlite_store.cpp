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

constexpr std::string_view kTokenColumns =
    "t.id, t.project_id, p.name, t.prefix, t.hash, t.created_at, t.revoked_at "
    "FROM api_tokens t JOIN projects p ON p.id = t.project_id";

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

private:
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
