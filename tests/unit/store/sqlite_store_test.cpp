// Unit tests for the SQLite store: file modes, migrations, projects, tokens, credits and revocation.
#include "forgehive/store/sqlite_store.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sqlite3.h>
#include <string>
#include <sys/stat.h>

namespace forgehive::store {
namespace {

namespace fs = std::filesystem;

using forgehive::testing::TempDir;

using forgehive::testing::mode_of;

// A second, independent connection to the database, for looking behind the Store interface.
class RawDb {
public:
    explicit RawDb(const fs::path& file) {
        if (sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
            throw std::runtime_error("cannot open " + file.string());
        sqlite3_busy_timeout(db_, 60'000);
    }
    ~RawDb() { sqlite3_close(db_); }
    RawDb(const RawDb&) = delete;
    RawDb& operator=(const RawDb&) = delete;

    void exec(const std::string& sql) {
        char* error = nullptr;
        if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
            std::string message = error ? error : "?";
            sqlite3_free(error);
            throw std::runtime_error(message);
        }
    }

    std::int64_t integer(const std::string& sql) {
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK)
            throw std::runtime_error(sqlite3_errmsg(db_));
        std::int64_t value = -1;
        if (sqlite3_step(stmt) == SQLITE_ROW) value = sqlite3_column_int64(stmt, 0);
        sqlite3_finalize(stmt);
        return value;
    }

private:
    sqlite3* db_ = nullptr;
};

// RFC 3339 UTC with milliseconds, as SQLite's strftime('%Y-%m-%dT%H:%M:%fZ') writes it: 2024-01-31T12:34:56.789Z.
bool is_timestamp(const std::string& text) {
    const std::string shape = "dddd-dd-ddTdd:dd:dd.dddZ";
    if (text.size() != shape.size()) return false;
    for (std::size_t i = 0; i < shape.size(); ++i) {
        bool ok = shape[i] == 'd' ? (text[i] >= '0' && text[i] <= '9') : text[i] == shape[i];
        if (!ok) return false;
    }
    return true;
}

class SqliteStoreTest : public ::testing::Test {
protected:
    fs::path data_dir() const { return temp_.path() / "data"; }
    fs::path db_file() const { return data_dir() / "forgehive.db"; }

    std::unique_ptr<Store> open() { return open_sqlite_store({data_dir().string(), 5000}); }

    NewToken new_token(std::int64_t project_id, const std::string& prefix, std::int64_t credits = 0) {
        return NewToken{project_id, prefix, std::string(64, 'a'), credits};
    }

    TempDir temp_;
};

// Runs `action`, expecting a StoreError; returns its kind (with a test failure when nothing or another type is thrown).
template <class Action>
std::optional<StoreError::Kind> store_error(Action&& action) {
    try {
        action();
    } catch (const StoreError& e) {
        return e.kind();
    } catch (const std::exception& e) {
        ADD_FAILURE() << "expected StoreError, got another exception: " << e.what();
        return std::nullopt;
    }
    ADD_FAILURE() << "expected StoreError, nothing was thrown";
    return std::nullopt;
}

TEST_F(SqliteStoreTest, CreatesPrivateDataDirAndDatabase) {
    ASSERT_FALSE(fs::exists(data_dir()));
    auto store = open();
    ASSERT_TRUE(fs::is_directory(data_dir()));
    EXPECT_EQ(mode_of(data_dir()), 0700u);
    ASSERT_TRUE(fs::is_regular_file(db_file()));
    EXPECT_EQ(mode_of(db_file()), 0600u);
    store->create_project("acme");  // a write, so the WAL file exists
    auto wal = fs::path(db_file().string() + "-wal");
    if (fs::exists(wal)) {
        EXPECT_EQ(mode_of(wal), 0600u);
    }
}

TEST_F(SqliteStoreTest, PingAnswers) {
    auto store = open();
    EXPECT_NO_THROW(store->ping());
    EXPECT_NO_THROW(store->ping());
}

TEST_F(SqliteStoreTest, SchemaVersionIsTheLatestAppliedMigration) {
    auto store = open();
    auto version = store->schema_version();
    EXPECT_GE(version, 1);
    RawDb raw(db_file());
    EXPECT_EQ(raw.integer("SELECT MAX(version) FROM schema_migrations"), version);
    // Versions 1..N, each applied exactly once.
    EXPECT_EQ(raw.integer("SELECT COUNT(*) FROM schema_migrations"), version);
    EXPECT_EQ(raw.integer("SELECT COUNT(DISTINCT version) FROM schema_migrations"), version);
    EXPECT_EQ(raw.integer("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('projects', 'api_tokens')"),
              2);
}

TEST_F(SqliteStoreTest, ReopeningKeepsDataAndRunsMigrationsOnce) {
    std::int64_t id = 0;
    int version = 0;
    {
        auto store = open();
        version = store->schema_version();
        EXPECT_GE(version, 1);
        id = store->create_project("acme").id;
        store->insert_token(new_token(id, "aaaaaaaaaaaa", 42));
    }
    {
        auto store = open();
        EXPECT_EQ(store->schema_version(), version);
        auto project = store->find_project("acme");
        ASSERT_TRUE(project.has_value());
        EXPECT_EQ(project->id, id);
        EXPECT_EQ(project->credits, 42);
        EXPECT_TRUE(store->find_token_by_prefix("aaaaaaaaaaaa").has_value());
    }
    auto store = open();
    EXPECT_EQ(store->schema_version(), version);
    EXPECT_EQ(store->list_projects().size(), 1u);
    RawDb raw(db_file());
    // Reopening twice applied nothing again: one row per version.
    EXPECT_EQ(raw.integer("SELECT COUNT(*) FROM schema_migrations"), version);
    EXPECT_EQ(raw.integer("SELECT MAX(version) FROM schema_migrations"), version);
    EXPECT_EQ(mode_of(data_dir()), 0700u);
    EXPECT_EQ(mode_of(db_file()), 0600u);
}

TEST_F(SqliteStoreTest, NewerSchemaThanThisBuildIsRefused) {
    open().reset();
    {
        RawDb raw(db_file());
        raw.exec("INSERT INTO schema_migrations(version) VALUES (999)");
    }
    EXPECT_EQ(store_error([&] { open(); }), StoreError::Kind::invalid);
}

TEST_F(SqliteStoreTest, DataDirThatIsAFileIsUnavailable) {
    { std::ofstream(data_dir()) << "not a directory"; }
    auto kind = store_error([&] { open(); });
    EXPECT_EQ(kind, StoreError::Kind::unavailable);
}

TEST_F(SqliteStoreTest, CreateAndFindProject) {
    auto store = open();
    auto created = store->create_project("acme");
    EXPECT_GT(created.id, 0);
    EXPECT_EQ(created.name, "acme");
    EXPECT_EQ(created.credits, 0);
    EXPECT_TRUE(is_timestamp(created.created_at)) << created.created_at;

    auto found = store->find_project("acme");
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->id, created.id);
    EXPECT_EQ(found->name, "acme");
    EXPECT_EQ(found->created_at, created.created_at);
    EXPECT_FALSE(store->find_project("ACME").has_value());
    EXPECT_FALSE(store->find_project("nobody").has_value());
    EXPECT_FALSE(store->find_project("").has_value());
}

TEST_F(SqliteStoreTest, ListProjectsInCreationOrder) {
    auto store = open();
    EXPECT_TRUE(store->list_projects().empty());
    auto zeta = store->create_project("zeta");
    auto alpha = store->create_project("alpha");
    auto mid = store->create_project("mid");
    auto projects = store->list_projects();
    ASSERT_EQ(projects.size(), 3u);
    EXPECT_EQ(projects[0].name, "zeta");
    EXPECT_EQ(projects[1].name, "alpha");
    EXPECT_EQ(projects[2].name, "mid");
    EXPECT_LT(zeta.id, alpha.id);
    EXPECT_LT(alpha.id, mid.id);
    EXPECT_EQ(projects[1].id, alpha.id);
}

TEST_F(SqliteStoreTest, DuplicateProjectIsConflict) {
    auto store = open();
    store->create_project("acme");
    EXPECT_EQ(store_error([&] { store->create_project("acme"); }), StoreError::Kind::conflict);
    try {
        store->create_project("acme");
    } catch (const StoreError& e) {
        EXPECT_THAT(e.what(), ::testing::HasSubstr("acme"));
    }
    EXPECT_EQ(store->list_projects().size(), 1u);
    // The store still works after the failed insert.
    EXPECT_EQ(store->create_project("other").name, "other");
}

TEST_F(SqliteStoreTest, InsertTokenGrantsCreditsAndReturnsTheRecord) {
    auto store = open();
    auto acme = store->create_project("acme");
    auto other = store->create_project("other");
    NewToken row{acme.id, "0123456789ab", std::string(64, 'f'), 500};
    auto token = store->insert_token(row);
    EXPECT_GT(token.id, 0);
    EXPECT_EQ(token.project_id, acme.id);
    EXPECT_EQ(token.project_name, "acme");
    EXPECT_EQ(token.prefix, "0123456789ab");
    EXPECT_EQ(token.hash_hex, std::string(64, 'f'));
    EXPECT_TRUE(is_timestamp(token.created_at)) << token.created_at;
    EXPECT_FALSE(token.revoked_at.has_value());
    EXPECT_EQ(store->find_project("acme")->credits, 500);

    store->insert_token(new_token(acme.id, "bbbbbbbbbbbb", 250));
    store->insert_token(new_token(acme.id, "cccccccccccc", 0));
    EXPECT_EQ(store->find_project("acme")->credits, 750);
    EXPECT_EQ(store->find_project("other")->credits, 0);
    EXPECT_EQ(other.credits, 0);
}

TEST_F(SqliteStoreTest, InsertTokenIsOneTransaction) {
    auto store = open();
    auto acme = store->create_project("acme");
    // A grant that would make the balance negative violates CHECK (credits >= 0) in the second statement;
    // the token inserted by the first statement must be rolled back with it.
    EXPECT_TRUE(store_error([&] { store->insert_token(new_token(acme.id, "dddddddddddd", -1)); }).has_value());
    EXPECT_FALSE(store->find_token_by_prefix("dddddddddddd").has_value());
    EXPECT_TRUE(store->list_tokens(std::nullopt).empty());
    EXPECT_EQ(store->find_project("acme")->credits, 0);
    // And the store is usable afterwards (no transaction left open).
    EXPECT_NO_THROW(store->insert_token(new_token(acme.id, "dddddddddddd", 5)));
    EXPECT_EQ(store->find_project("acme")->credits, 5);
}

TEST_F(SqliteStoreTest, DuplicatePrefixIsConflictAndGrantsNothing) {
    auto store = open();
    auto acme = store->create_project("acme");
    store->insert_token(new_token(acme.id, "eeeeeeeeeeee", 10));
    EXPECT_EQ(store_error([&] { store->insert_token(new_token(acme.id, "eeeeeeeeeeee", 1000)); }),
              StoreError::Kind::conflict);
    EXPECT_EQ(store->find_project("acme")->credits, 10);
    EXPECT_EQ(store->list_tokens(std::nullopt).size(), 1u);
}

TEST_F(SqliteStoreTest, TokenForMissingProjectFailsAndLeavesCreditsAlone) {
    auto store = open();
    auto acme = store->create_project("acme");
    store->insert_token(new_token(acme.id, "111111111111", 7));
    EXPECT_TRUE(store_error([&] { store->insert_token(new_token(acme.id + 1000, "222222222222", 99)); }).has_value());
    EXPECT_FALSE(store->find_token_by_prefix("222222222222").has_value());
    EXPECT_EQ(store->list_tokens(std::nullopt).size(), 1u);
    EXPECT_EQ(store->find_project("acme")->credits, 7);
    EXPECT_EQ(store->list_projects().size(), 1u);
}

TEST_F(SqliteStoreTest, FindTokenByPrefix) {
    auto store = open();
    auto acme = store->create_project("acme");
    auto inserted = store->insert_token(NewToken{acme.id, "abcdefabcdef", "cafe", 0});
    auto found = store->find_token_by_prefix("abcdefabcdef");
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->id, inserted.id);
    EXPECT_EQ(found->project_id, acme.id);
    EXPECT_EQ(found->project_name, "acme");
    EXPECT_EQ(found->hash_hex, "cafe");
    EXPECT_EQ(found->created_at, inserted.created_at);
    EXPECT_FALSE(store->find_token_by_prefix("abcdefabcde").has_value());
    EXPECT_FALSE(store->find_token_by_prefix("ABCDEFABCDEF").has_value());
    EXPECT_FALSE(store->find_token_by_prefix("").has_value());
    // Prefixes are compared as values, never as SQL.
    EXPECT_FALSE(store->find_token_by_prefix("' OR '1'='1").has_value());
}

TEST_F(SqliteStoreTest, ListTokensAllAndPerProject) {
    auto store = open();
    auto acme = store->create_project("acme");
    auto beta = store->create_project("beta");
    auto t1 = store->insert_token(new_token(acme.id, "a00000000001"));
    auto t2 = store->insert_token(new_token(beta.id, "b00000000001"));
    auto t3 = store->insert_token(new_token(acme.id, "a00000000002"));

    auto all = store->list_tokens(std::nullopt);
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(all[0].id, t1.id);
    EXPECT_EQ(all[1].id, t2.id);
    EXPECT_EQ(all[2].id, t3.id);
    EXPECT_EQ(all[1].project_name, "beta");

    auto of_acme = store->list_tokens(acme.id);
    ASSERT_EQ(of_acme.size(), 2u);
    EXPECT_EQ(of_acme[0].prefix, "a00000000001");
    EXPECT_EQ(of_acme[1].prefix, "a00000000002");
    for (const auto& t : of_acme) EXPECT_EQ(t.project_id, acme.id);

    auto of_beta = store->list_tokens(beta.id);
    ASSERT_EQ(of_beta.size(), 1u);
    EXPECT_EQ(of_beta[0].id, t2.id);

    EXPECT_TRUE(store->list_tokens(beta.id + acme.id + 100).empty());
    // The unfiltered listing still works after a filtered one (statement reuse).
    EXPECT_EQ(store->list_tokens(std::nullopt).size(), 3u);
}

TEST_F(SqliteStoreTest, RevokeTokenSetsRevokedAtOnce) {
    auto store = open();
    auto acme = store->create_project("acme");
    auto token = store->insert_token(new_token(acme.id, "fedcbafedcba"));
    auto other = store->insert_token(new_token(acme.id, "0f0f0f0f0f0f"));

    auto revoked = store->revoke_token(token.id);
    EXPECT_EQ(revoked.id, token.id);
    ASSERT_TRUE(revoked.revoked_at.has_value());
    EXPECT_TRUE(is_timestamp(*revoked.revoked_at)) << *revoked.revoked_at;
    EXPECT_EQ(store->find_token_by_prefix("fedcbafedcba")->revoked_at, revoked.revoked_at);
    EXPECT_FALSE(store->find_token_by_prefix("0f0f0f0f0f0f")->revoked_at.has_value());

    // Make the first revocation time unmistakable, then revoke again: it must be kept.
    {
        RawDb raw(db_file());
        raw.exec("UPDATE api_tokens SET revoked_at = '2000-01-01T00:00:00.000Z' WHERE id = " +
                 std::to_string(token.id));
    }
    auto again = store->revoke_token(token.id);
    ASSERT_TRUE(again.revoked_at.has_value());
    EXPECT_EQ(*again.revoked_at, "2000-01-01T00:00:00.000Z");
    EXPECT_FALSE(store->find_token_by_prefix("0f0f0f0f0f0f")->revoked_at.has_value());
    EXPECT_EQ(other.revoked_at, std::nullopt);
}

TEST_F(SqliteStoreTest, RevokeUnknownTokenIsNotFound) {
    auto store = open();
    EXPECT_EQ(store_error([&] { store->revoke_token(12345); }), StoreError::Kind::not_found);
    auto acme = store->create_project("acme");
    auto token = store->insert_token(new_token(acme.id, "123123123123"));
    EXPECT_EQ(store_error([&] { store->revoke_token(token.id + 1); }), StoreError::Kind::not_found);
    EXPECT_FALSE(store->find_token_by_prefix("123123123123")->revoked_at.has_value());
}

}  // namespace
}  // namespace forgehive::store
