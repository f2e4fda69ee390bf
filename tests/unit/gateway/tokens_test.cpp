// Unit tests for gateway tokens: issuing, bearer authentication and project-name rules, against a real SQLite store.
#include "forgehive/gateway/tokens.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <set>
#include <string>

#include "forgehive/core/api_error.hpp"
#include "forgehive/crypto/hash.hpp"
#include "forgehive/crypto/secrets.hpp"
#include "forgehive/store/sqlite_store.hpp"

namespace forgehive::gateway {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

using forgehive::testing::TempDir;

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Runs `action`, expecting ApiError("unauthorized", 401); returns its message.
template <class Action>
std::string unauthorized(Action&& action) {
    try {
        action();
    } catch (const core::ApiError& e) {
        EXPECT_EQ(e.code(), "unauthorized");
        EXPECT_EQ(e.http_status(), 401);
        return e.message();
    } catch (const std::exception& e) {
        ADD_FAILURE() << "expected ApiError, got another exception: " << e.what();
        return {};
    }
    ADD_FAILURE() << "expected ApiError(unauthorized), nothing was thrown";
    return {};
}

// Runs `action`, expecting ApiError("invalid_request", 400); returns its message.
template <class Action>
std::string invalid_request(Action&& action) {
    try {
        action();
    } catch (const core::ApiError& e) {
        EXPECT_EQ(e.code(), "invalid_request");
        EXPECT_EQ(e.http_status(), 400);
        return e.message();
    } catch (const std::exception& e) {
        ADD_FAILURE() << "expected ApiError, got another exception: " << e.what();
        return {};
    }
    ADD_FAILURE() << "expected ApiError(invalid_request), nothing was thrown";
    return {};
}

// ^fpak_[0-9a-f]{48}$
bool has_token_format(const std::string& token) {
    return token.size() == 53 && token.rfind("fpak_", 0) == 0 &&
           token.find_first_not_of("0123456789abcdef", 5) == std::string::npos;
}

class TokensTest : public ::testing::Test {
protected:
    void SetUp() override {
        store_ = store::open_sqlite_store({(temp_.path() / "data").string(), 5000});
        project_ = store_->create_project("acme");
    }

    fs::path data_dir() const { return temp_.path() / "data"; }

    TempDir temp_;
    std::unique_ptr<store::Store> store_;
    store::Project project_;
};

TEST_F(TokensTest, IssuedTokenHasTheDocumentedFormat) {
    auto issued = issue_token(*store_, "acme", 0);
    EXPECT_TRUE(has_token_format(issued.token)) << issued.token;
    EXPECT_EQ(issued.record.prefix, issued.token.substr(5, 12));
    EXPECT_EQ(issued.record.project_id, project_.id);
    EXPECT_EQ(issued.record.project_name, "acme");
    EXPECT_FALSE(issued.record.revoked_at.has_value());

    auto second = issue_token(*store_, "acme", 0);
    EXPECT_NE(second.token, issued.token);
    EXPECT_NE(second.record.prefix, issued.record.prefix);
    EXPECT_NE(second.record.id, issued.record.id);
}

TEST_F(TokensTest, OnlyTheHashIsStored) {
    auto issued = issue_token(*store_, "acme", 0);
    EXPECT_EQ(issued.record.hash_hex, crypto::sha256_hex(issued.token));
    auto stored = store_->find_token_by_prefix(issued.record.prefix);
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->hash_hex, crypto::sha256_hex(issued.token));
    auto secret = issued.token.substr(5 + 12);
    for (const auto& field : {stored->prefix, stored->hash_hex, stored->project_name, stored->created_at}) {
        EXPECT_EQ(field.find(secret), std::string::npos) << field;
        EXPECT_EQ(field.find(issued.token), std::string::npos) << field;
    }
    // Nor is it anywhere in the database files (main file and write-ahead log).
    store_.reset();
    for (const auto& entry : fs::directory_iterator(data_dir())) {
        auto bytes = read_file(entry.path());
        EXPECT_EQ(bytes.find(secret), std::string::npos) << entry.path();
    }
}

TEST_F(TokensTest, IssuingGrantsCredits) {
    issue_token(*store_, "acme", 100);
    issue_token(*store_, "acme", 20);
    EXPECT_EQ(store_->find_project("acme")->credits, 120);
}

TEST_F(TokensTest, IssueForUnknownProjectIsNotFound) {
    try {
        issue_token(*store_, "nobody", 10);
        FAIL() << "expected StoreError";
    } catch (const store::StoreError& e) {
        EXPECT_EQ(e.kind(), store::StoreError::Kind::not_found);
        EXPECT_THAT(e.what(), HasSubstr("nobody"));
    }
    EXPECT_TRUE(store_->list_tokens(std::nullopt).empty());
}

TEST_F(TokensTest, NegativeCreditsAreInvalid) {
    EXPECT_THAT(invalid_request([&] { issue_token(*store_, "acme", -1); }), HasSubstr("credits"));
    EXPECT_TRUE(store_->list_tokens(std::nullopt).empty());
    EXPECT_EQ(store_->find_project("acme")->credits, 0);
}

TEST_F(TokensTest, AuthenticateReturnsTheCaller) {
    auto issued = issue_token(*store_, "acme", 0);
    auto caller = authenticate(*store_, "Bearer " + issued.token);
    EXPECT_EQ(caller.project_id, project_.id);
    EXPECT_EQ(caller.project_name, "acme");
    EXPECT_EQ(caller.token_id, issued.record.id);
    EXPECT_EQ(caller.token_prefix, issued.record.prefix);

    // Each token authenticates as its own project.
    store_->create_project("beta");
    auto beta = issue_token(*store_, "beta", 0);
    auto beta_caller = authenticate(*store_, "Bearer " + beta.token);
    EXPECT_EQ(beta_caller.project_name, "beta");
    EXPECT_EQ(beta_caller.token_id, beta.record.id);
}

TEST_F(TokensTest, MissingHeaderIsUnauthorized) {
    EXPECT_THAT(unauthorized([&] { authenticate(*store_, ""); }), HasSubstr("missing"));
}

TEST_F(TokensTest, OtherSchemesAreUnauthorized) {
    auto issued = issue_token(*store_, "acme", 0);
    EXPECT_THAT(unauthorized([&] { authenticate(*store_, "Basic dXNlcjpwYXNz"); }), HasSubstr("Bearer"));
    EXPECT_THAT(unauthorized([&] { authenticate(*store_, "Token " + issued.token); }), HasSubstr("Bearer"));
    EXPECT_THAT(unauthorized([&] { authenticate(*store_, issued.token); }), HasSubstr("Bearer"));
    EXPECT_THAT(unauthorized([&] { authenticate(*store_, "Bearer"); }), HasSubstr("Bearer"));
}

TEST_F(TokensTest, MalformedBearerTokensAreUnauthorized) {
    auto issued = issue_token(*store_, "acme", 0);
    auto upper = issued.token;
    for (std::size_t i = 5; i < upper.size(); ++i)
        upper[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(upper[i])));
    if (upper == issued.token) upper[5] = 'A';  // all digits: force one upper-case letter
    const std::string malformed[] = {
        "",                                  // nothing after the scheme
        "fpax_" + issued.token.substr(5),    // wrong tag
        "FPAK_" + issued.token.substr(5),    // tag is case-sensitive
        upper,                               // upper-case hex
        issued.token.substr(0, 52),          // one digit short
        issued.token + "0",                  // one digit long
        issued.token.substr(0, 52) + "g",    // not hex
        " " + issued.token,                  // extra space
        issued.token + " ",                  // trailing space
    };
    for (const auto& token : malformed)
        EXPECT_THAT(unauthorized([&] { authenticate(*store_, "Bearer " + token); }), HasSubstr("malformed"))
            << "'" << token << "'";
}

TEST_F(TokensTest, UnknownTokenIsUnauthorized) {
    issue_token(*store_, "acme", 0);
    auto random = "fpak_" + crypto::random_hex(24);
    ASSERT_TRUE(has_token_format(random));
    EXPECT_THAT(unauthorized([&] { authenticate(*store_, "Bearer " + random); }), HasSubstr("unknown"));
}

TEST_F(TokensTest, RightPrefixWrongSecretIsUnauthorized) {
    auto issued = issue_token(*store_, "acme", 0);
    auto forged = issued.token.substr(0, 5 + 12) + crypto::random_hex(18);
    ASSERT_NE(forged, issued.token);
    ASSERT_TRUE(has_token_format(forged));
    EXPECT_THAT(unauthorized([&] { authenticate(*store_, "Bearer " + forged); }), HasSubstr("unknown"));
    // Differing only in the last digit is just as unknown.
    auto last = issued.token;
    last.back() = last.back() == '0' ? '1' : '0';
    EXPECT_THAT(unauthorized([&] { authenticate(*store_, "Bearer " + last); }), HasSubstr("unknown"));
}

TEST_F(TokensTest, RevokedTokenIsUnauthorized) {
    auto issued = issue_token(*store_, "acme", 0);
    auto kept = issue_token(*store_, "acme", 0);
    store_->revoke_token(issued.record.id);
    EXPECT_THAT(unauthorized([&] { authenticate(*store_, "Bearer " + issued.token); }), HasSubstr("revoked"));
    EXPECT_EQ(authenticate(*store_, "Bearer " + kept.token).token_id, kept.record.id);
    // A revoked prefix with a wrong secret says "unknown", not "revoked": nothing leaks without the secret.
    auto forged = issued.token.substr(0, 5 + 12) + std::string(36, issued.token.back() == 'a' ? 'b' : 'a');
    EXPECT_THAT(unauthorized([&] { authenticate(*store_, "Bearer " + forged); }), HasSubstr("unknown"));
}

TEST_F(TokensTest, FailureMessagesAreDistinct) {
    auto issued = issue_token(*store_, "acme", 0);
    auto revoked = issue_token(*store_, "acme", 0);
    store_->revoke_token(revoked.record.id);
    std::set<std::string> messages = {
        unauthorized([&] { authenticate(*store_, ""); }),
        unauthorized([&] { authenticate(*store_, "Basic abc"); }),
        unauthorized([&] { authenticate(*store_, "Bearer fpak_123"); }),
        unauthorized([&] { authenticate(*store_, "Bearer fpak_" + crypto::random_hex(24)); }),
        unauthorized([&] { authenticate(*store_, "Bearer " + revoked.token); }),
    };
    EXPECT_EQ(messages.size(), 5u);
    // No message echoes the secret part of a presented token.
    for (const auto& m : messages) EXPECT_EQ(m.find(revoked.token.substr(17)), std::string::npos) << m;
}

TEST(ProjectName, ValidNames) {
    const std::string valid[] = {"a", "acme", "0day", "my-project_2", "a-", "z_", std::string(64, 'x')};
    for (const auto& name : valid) EXPECT_NO_THROW(validate_project_name(name)) << name;
}

TEST(ProjectName, InvalidNames) {
    const std::string invalid[] = {"",    std::string(65, 'x'), "-x",  "_x",  "Acme", "a b", "a.b",
                                   "a/b", "caf\xc3\xa9",        "a\n", std::string("a\0b", 3), "ACME"};
    for (const auto& name : invalid) {
        auto message = invalid_request([&] { validate_project_name(name); });
        EXPECT_THAT(message, HasSubstr("project name")) << name;
    }
}

}  // namespace
}  // namespace forgehive::gateway
