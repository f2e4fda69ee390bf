// Jobs and ledger in the SQLite store: reservation at admission, debit at completion, release on
// failure, idempotency keys, restart recovery.
#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

#include "forgehive/store/sqlite_store.hpp"

namespace forgehive::store {
namespace {

class JobsTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = (tmp_.path() / "data").string();
        store_ = open_sqlite_store({dir_});
        project_ = store_->create_project("p").id;
        store_->insert_token(NewToken{project_, "aaaaaaaaaaaa", "hash", 10});
    }
    void TearDown() override { store_.reset(); }
    NewJob job(const std::string& id, std::int64_t credits, const char* mode = "billable") {
        return NewJob{id, project_, std::nullopt, std::nullopt, "contract", mode, credits, "{}", 4};
    }
    std::int64_t balance() { return store_->find_project("p")->credits; }

    testing::TempDir tmp_;
    std::string dir_;
    std::unique_ptr<Store> store_;
    std::int64_t project_ = 0;
};

TEST_F(JobsTest, SchemaHasTheJobsMigration) { EXPECT_GE(store_->schema_version(), 2); }

TEST_F(JobsTest, ReservationsCountAgainstTheBalanceUntilReleased) {
    store_->insert_job(job("A", 6));
    try {
        store_->insert_job(job("B", 5));  // 10 - 6 reserved = 4 available
        FAIL() << "expected insufficient credits";
    } catch (const StoreError& e) {
        EXPECT_EQ(e.kind(), StoreError::Kind::insufficient_credits);
    }
    EXPECT_FALSE(store_->find_job(project_, "B"));  // nothing written
    store_->insert_job(job("T", 1000, "test"));     // test jobs reserve nothing
    store_->finish_job_unsuccessfully("A", "FAILED", "execution_failed", "boom");
    store_->insert_job(job("B", 5));  // A's reservation was released
    EXPECT_EQ(balance(), 10);
}

TEST_F(JobsTest, CompletionDebitsOnceWithALedgerEntry) {
    store_->insert_job(job("A", 3));
    EXPECT_EQ(store_->find_job(project_, "A")->status, "QUEUED");
    store_->complete_job("A", R"({"r":1})");
    auto done = *store_->find_job(project_, "A");
    EXPECT_EQ(done.status, "COMPLETED");
    EXPECT_EQ(*done.response_json, R"({"r":1})");
    EXPECT_EQ(done.units_done, 4);
    EXPECT_EQ(balance(), 7);
    auto ledger = store_->ledger(project_);
    ASSERT_EQ(ledger.size(), 1u);
    EXPECT_EQ(ledger[0].delta, -3);
    EXPECT_EQ(ledger[0].balance_after, 7);
    EXPECT_THROW(store_->complete_job("A", "{}"), StoreError);  // not active any more
    EXPECT_EQ(balance(), 7);
}

TEST_F(JobsTest, ClientJobIdsAreUniquePerProject) {
    auto a = job("A", 0, "test");
    a.client_job_id = "mine";
    store_->insert_job(a);
    auto b = job("B", 0, "test");
    b.client_job_id = "mine";
    try {
        store_->insert_job(b);
        FAIL() << "expected conflict";
    } catch (const StoreError& e) {
        EXPECT_EQ(e.kind(), StoreError::Kind::conflict);
    }
    EXPECT_EQ(store_->find_job_by_client_id(project_, "mine")->id, "A");
    auto other = store_->create_project("q").id;
    b.project_id = other;
    store_->insert_job(b);  // another project may use the same key
    EXPECT_FALSE(store_->find_job(project_, "B"));  // and its job is invisible here
}

TEST_F(JobsTest, ListIsNewestFirstAndBounded) {
    for (const char* id : {"01A", "01B", "01C"}) store_->insert_job(job(id, 0, "test"));
    auto jobs = store_->list_jobs(project_, 2);
    ASSERT_EQ(jobs.size(), 2u);
    EXPECT_EQ(jobs[0].id, "01C");
    EXPECT_EQ(jobs[1].id, "01B");
}

TEST_F(JobsTest, UnfinishedJobsFailAfterARestart) {
    store_->insert_job(job("A", 2));
    store_->insert_job(job("B", 0, "test"));
    store_.reset();
    store_ = open_sqlite_store({dir_});
    EXPECT_EQ(store_->fail_unfinished_jobs("restarted"), 2);
    auto a = *store_->find_job(project_, "A");
    EXPECT_EQ(a.status, "FAILED");
    EXPECT_EQ(*a.error_message, "restarted");
    EXPECT_EQ(balance(), 10);  // nothing charged
}

}  // namespace
}  // namespace forgehive::store
