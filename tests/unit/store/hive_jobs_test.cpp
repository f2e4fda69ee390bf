// Hive jobs and the requester ledger in the SQLite store: seen signatures, finishing with the charge in
// one transaction, recent-first listing, restart recovery.
#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

#include "forgehive/store/sqlite_store.hpp"

namespace forgehive::store {
namespace {

class HiveJobsTest : public ::testing::Test {
protected:
    void SetUp() override { store_ = open_sqlite_store({(tmp_.path() / "data").string()}); }
    static HiveJobRecord job(const std::string& id, const std::string& signature) {
        HiveJobRecord r;
        r.id = id;
        r.requester_pk = std::string(64, 'a');
        r.signature = signature;
        r.h3_cell = "871e8052affffff";
        r.epoch = 498754;
        r.status = "running";
        r.request_json = "{}";
        return r;
    }

    testing::TempDir tmp_;
    std::unique_ptr<Store> store_;
};

TEST_F(HiveJobsTest, SchemaHasTheHiveMigration) { EXPECT_GE(store_->schema_version(), 4); }

TEST_F(HiveJobsTest, ASignatureIsAcceptedOnce) {
    store_->insert_hive_job(job("j1", "sig"));
    try {
        store_->insert_hive_job(job("j2", "sig"));
        FAIL() << "expected a conflict";
    } catch (const StoreError& e) {
        EXPECT_EQ(e.kind(), StoreError::Kind::conflict);
    }
    EXPECT_EQ(store_->find_hive_job_by_signature("sig")->id, "j1");
    EXPECT_FALSE(store_->find_hive_job("j2"));
}

TEST_F(HiveJobsTest, FinishingStoresTheResponseAndChargesTheRequesterOnce) {
    store_->insert_hive_job(job("j1", "s1"));
    store_->finish_hive_job("j1", "complete", R"({"ok":true})", 500'000);
    auto stored = store_->find_hive_job("j1");
    EXPECT_EQ(stored->status, "complete");
    EXPECT_EQ(stored->response_json, R"({"ok":true})");
    EXPECT_EQ(stored->total_nano, 500'000);
    EXPECT_THROW(store_->finish_hive_job("j1", "complete", "{}", 1), StoreError);
    auto ledger = store_->hive_ledger(std::string(64, 'a'));
    ASSERT_EQ(ledger.size(), 1u);
    EXPECT_EQ(ledger[0].job_id, "j1");
    EXPECT_EQ(ledger[0].delta_nano, -500'000);
}

TEST_F(HiveJobsTest, FreeJobsLeaveNoLedgerRow) {
    store_->insert_hive_job(job("j1", "s1"));
    store_->finish_hive_job("j1", "failed", "{}", 0);
    EXPECT_TRUE(store_->hive_ledger(std::string(64, 'a')).empty());
}

TEST_F(HiveJobsTest, RecentIsNewestFirstAndRunningJobsFailAtRestart) {
    for (int i = 0; i < 3; ++i) store_->insert_hive_job(job("j" + std::to_string(i), "s" + std::to_string(i)));
    auto recent = store_->recent_hive_jobs(2);
    ASSERT_EQ(recent.size(), 2u);
    EXPECT_EQ(recent[0].id, "j2");
    EXPECT_EQ(recent[1].id, "j1");
    store_->finish_hive_job("j0", "complete", "{}", 0);
    EXPECT_EQ(store_->fail_unfinished_hive_jobs(R"({"status":"failed"})"), 2);
    EXPECT_EQ(store_->find_hive_job("j1")->status, "failed");
    EXPECT_EQ(store_->find_hive_job("j0")->status, "complete");
}

}  // namespace
}  // namespace forgehive::store
