// Hive principals in the SQLite store (migration 3): add, find, list, revoke, and the conflicts.
#include <gtest/gtest.h>

#include <string>

#include "support/temp_dir.hpp"

#include "forgehive/store/sqlite_store.hpp"

namespace forgehive::store {
namespace {

const std::string kAlice(64, 'a');
const std::string kBob(64, 'b');

class PrincipalsTest : public ::testing::Test {
protected:
    void SetUp() override { store_ = open_sqlite_store({dir()}); }
    std::string dir() const { return (tmp_.path() / "data").string(); }

    testing::TempDir tmp_;
    std::unique_ptr<Store> store_;
};

template <class Action>
StoreError::Kind error_kind(Action&& action) {
    try {
        action();
    } catch (const StoreError& e) {
        return e.kind();
    }
    ADD_FAILURE() << "expected StoreError";
    return StoreError::Kind::invalid;
}

TEST_F(PrincipalsTest, SchemaHasThePrincipalsMigration) { EXPECT_GE(store_->schema_version(), 3); }

TEST_F(PrincipalsTest, AddThenFind) {
    const auto added = store_->add_principal(kAlice, "Alice Rossi");
    EXPECT_GT(added.id, 0);
    EXPECT_EQ(added.public_key, kAlice);
    EXPECT_EQ(added.name, "Alice Rossi");
    EXPECT_FALSE(added.created_at.empty());
    EXPECT_FALSE(added.revoked_at);
    const auto found = store_->find_principal(kAlice);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->id, added.id);
    EXPECT_EQ(found->name, "Alice Rossi");
    EXPECT_FALSE(store_->find_principal(kBob));
}

TEST_F(PrincipalsTest, KeysAreMatchedExactly) {
    store_->add_principal(kAlice, "Alice");
    EXPECT_FALSE(store_->find_principal(std::string(64, 'A')));
}

TEST_F(PrincipalsTest, AddingAKeyTwiceIsAConflict) {
    store_->add_principal(kAlice, "Alice");
    EXPECT_EQ(error_kind([&] { store_->add_principal(kAlice, "Alice again"); }), StoreError::Kind::conflict);
    store_->revoke_principal(kAlice);
    EXPECT_EQ(error_kind([&] { store_->add_principal(kAlice, "Alice again"); }), StoreError::Kind::conflict);
    EXPECT_EQ(store_->list_principals().size(), 1u);
}

TEST_F(PrincipalsTest, ListIsInInsertionOrder) {
    EXPECT_TRUE(store_->list_principals().empty());
    store_->add_principal(kBob, "Bob");
    store_->add_principal(kAlice, "Alice");
    const auto all = store_->list_principals();
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].public_key, kBob);
    EXPECT_EQ(all[1].public_key, kAlice);
}

TEST_F(PrincipalsTest, RevokeKeepsTheRowAndTheFirstTime) {
    store_->add_principal(kAlice, "Alice");
    const auto revoked = store_->revoke_principal(kAlice);
    ASSERT_TRUE(revoked.revoked_at);
    const auto again = store_->revoke_principal(kAlice);
    EXPECT_EQ(again.revoked_at, revoked.revoked_at);
    const auto found = store_->find_principal(kAlice);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->revoked_at, revoked.revoked_at);
}

TEST_F(PrincipalsTest, RevokingAnUnknownKeyIsNotFound) {
    EXPECT_EQ(error_kind([&] { store_->revoke_principal(kBob); }), StoreError::Kind::not_found);
}

TEST_F(PrincipalsTest, SurviveReopening) {
    store_->add_principal(kAlice, "Alice");
    store_.reset();
    store_ = open_sqlite_store({dir()});
    ASSERT_TRUE(store_->find_principal(kAlice));
}

TEST_F(PrincipalsTest, KeyLengthIsEnforcedByTheSchema) {
    EXPECT_THROW(store_->add_principal("abcd", "short"), StoreError);
    EXPECT_TRUE(store_->list_principals().empty());
}

}  // namespace
}  // namespace forgehive::store
