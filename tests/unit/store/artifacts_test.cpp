// Project artifacts in the SQLite store (migration 5): records per project, quota in the insert
// transaction, idempotent repeats, survival across reopening.
#include <gtest/gtest.h>

#include <string>

#include "support/temp_dir.hpp"

#include "forgehive/store/sqlite_store.hpp"

namespace forgehive::store {
namespace {

std::string artifact_id(char digit) { return "sha256:" + std::string(64, digit); }

class ArtifactsTest : public ::testing::Test {
protected:
    void SetUp() override {
        store_ = open_sqlite_store({dir()});
        alpha_ = store_->create_project("alpha").id;
        beta_ = store_->create_project("beta").id;
    }
    std::string dir() const { return (tmp_.path() / "data").string(); }

    AddArtifactOutcome add(std::int64_t project, char digit, std::int64_t size, std::int64_t quota = 1000,
                           const std::string& media_type = "text/csv") {
        return store_->add_project_artifact(ProjectArtifact{project, artifact_id(digit), media_type, size, ""}, quota);
    }

    testing::TempDir tmp_;
    std::unique_ptr<Store> store_;
    std::int64_t alpha_ = 0;
    std::int64_t beta_ = 0;
};

TEST_F(ArtifactsTest, SchemaHasTheArtifactsMigration) { EXPECT_GE(store_->schema_version(), 5); }

TEST_F(ArtifactsTest, AddedArtifactIsFoundForItsProjectOnly) {
    auto outcome = add(alpha_, 'a', 10);
    EXPECT_EQ(outcome.result, ArtifactAdded::added);
    EXPECT_EQ(outcome.used_bytes, 0);
    ASSERT_TRUE(outcome.artifact);
    EXPECT_EQ(outcome.artifact->id, artifact_id('a'));
    EXPECT_EQ(outcome.artifact->size, 10);
    EXPECT_FALSE(outcome.artifact->created_at.empty());
    auto found = store_->find_project_artifact(alpha_, artifact_id('a'));
    ASSERT_TRUE(found);
    EXPECT_EQ(found->media_type, "text/csv");
    EXPECT_FALSE(store_->find_project_artifact(beta_, artifact_id('a')));
}

TEST_F(ArtifactsTest, RepeatReturnsTheEarlierRecordWhateverTheQuota) {
    add(alpha_, 'a', 10, 10, "text/csv");
    auto again = add(alpha_, 'a', 10, 0, "application/octet-stream");
    EXPECT_EQ(again.result, ArtifactAdded::existing);
    ASSERT_TRUE(again.artifact);
    EXPECT_EQ(again.artifact->media_type, "text/csv");
    EXPECT_EQ(store_->project_artifact_bytes(alpha_), 10);
}

TEST_F(ArtifactsTest, QuotaCountsEachProjectsDistinctArtifacts) {
    EXPECT_EQ(add(alpha_, 'a', 60, 100).result, ArtifactAdded::added);
    auto over = add(alpha_, 'b', 41, 100);
    EXPECT_EQ(over.result, ArtifactAdded::over_quota);
    EXPECT_EQ(over.used_bytes, 60);
    EXPECT_FALSE(over.artifact);
    EXPECT_FALSE(store_->find_project_artifact(alpha_, artifact_id('b')));
    EXPECT_EQ(add(alpha_, 'b', 40, 100).result, ArtifactAdded::added);
    EXPECT_EQ(add(beta_, 'a', 60, 100).result, ArtifactAdded::added);
    EXPECT_EQ(store_->project_artifact_bytes(alpha_), 100);
    EXPECT_EQ(store_->project_artifact_bytes(beta_), 60);
}

TEST_F(ArtifactsTest, RecordsSurviveReopening) {
    add(alpha_, 'c', 7);
    store_.reset();
    store_ = open_sqlite_store({dir()});
    ASSERT_TRUE(store_->find_project_artifact(alpha_, artifact_id('c')));
    EXPECT_EQ(store_->project_artifact_bytes(alpha_), 7);
}

}  // namespace
}  // namespace forgehive::store
