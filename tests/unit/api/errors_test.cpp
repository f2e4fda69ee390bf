// Unit tests for the two public error surfaces: api::forge_error_body and api::hive_error_body.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "forgehive/api/forge_errors.hpp"
#include "forgehive/api/hive_errors.hpp"
#include "forgehive/core/api_error.hpp"

namespace forgehive::api {
namespace {

using core::ApiError;

TEST(ForgeErrorBody, ExactShape) {
    ApiError error("invalid_request", 400, "field 'op.name' is required");
    EXPECT_EQ(forge_error_body(error),
              R"({"ok":false,"status":"FAILED","error":{"code":"invalid_request","message":"field 'op.name' is required"}})");
}

TEST(ForgeErrorBody, ParsesToTheEnvelope) {
    ApiError error("quota_exceeded", 429, "project has 0 credits");
    auto raw = forge_error_body(error);
    auto body = nlohmann::json::parse(raw);
    EXPECT_EQ(body, nlohmann::json({{"ok", false},
                                    {"status", "FAILED"},
                                    {"error", {{"code", "quota_exceeded"}, {"message", "project has 0 credits"}}}}));
    // Key order is part of the surface: "ok" first, then "status", then "error".
    EXPECT_EQ(raw.rfind("{\"ok\":false,", 0), 0u) << raw;
    EXPECT_LT(raw.find("\"status\""), raw.find("\"error\""));
    EXPECT_LT(raw.find("\"code\""), raw.find("\"message\""));
}

TEST(HiveErrorBody, ExactShape) {
    ApiError error("signature_invalid", 401, "signature does not verify");
    EXPECT_EQ(hive_error_body(error), R"({"error":"signature_invalid","detail":"signature does not verify"})");
    auto body = nlohmann::json::parse(hive_error_body(error));
    EXPECT_EQ(body, nlohmann::json({{"error", "signature_invalid"}, {"detail", "signature does not verify"}}));
}

TEST(ErrorBodies, QuotesAndControlCharactersAreEscaped) {
    const std::string message = "field \"a\\b\" is\nbad\t\x01 </script>";
    ApiError error("invalid_request", 400, message);
    auto forge = nlohmann::json::parse(forge_error_body(error));
    EXPECT_EQ(forge["error"]["message"], message);
    auto hive = nlohmann::json::parse(hive_error_body(error));
    EXPECT_EQ(hive["detail"], message);
    // One line: a raw newline would break line-oriented clients and logs.
    EXPECT_EQ(forge_error_body(error).find('\n'), std::string::npos);
    EXPECT_EQ(hive_error_body(error).find('\n'), std::string::npos);
}

TEST(ErrorBodies, UnicodeIsPreserved) {
    const std::string message = "caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9d\x84\x9e";  // café ✓ 𝄞
    ApiError error("invalid_request", 400, message);
    EXPECT_EQ(nlohmann::json::parse(forge_error_body(error))["error"]["message"], message);
    EXPECT_EQ(nlohmann::json::parse(hive_error_body(error))["detail"], message);
}

TEST(ErrorBodies, InvalidUtf8StillGivesValidJson) {
    // Lone continuation byte, 0xFF, a truncated sequence at the end, and an overlong encoding of '/'.
    const std::string message = "bad \x80 \xff name \xc0\xaf tail \xe2\x82";
    ApiError error("invalid_request", 400, message);
    for (const auto& raw : {forge_error_body(error), hive_error_body(error)}) {
        nlohmann::json body;
        ASSERT_NO_THROW(body = nlohmann::json::parse(raw)) << raw;
        auto text = body.contains("detail") ? body["detail"].get<std::string>()
                                            : body["error"]["message"].get<std::string>();
        EXPECT_NE(text.find("bad "), std::string::npos) << text;
        EXPECT_NE(text.find(" name "), std::string::npos) << text;
        EXPECT_NE(text.find(" tail"), std::string::npos) << text;
        EXPECT_NE(text.find("\xef\xbf\xbd"), std::string::npos) << "no U+FFFD replacement in " << text;
    }
}

TEST(ErrorBodies, CodeIsCarriedVerbatim) {
    for (const char* code : {"unauthorized", "hub_unavailable", "execution_failed", "not_found"}) {
        ApiError error(code, 500, "m");
        EXPECT_EQ(nlohmann::json::parse(forge_error_body(error))["error"]["code"], code);
        EXPECT_EQ(nlohmann::json::parse(hive_error_body(error))["error"], code);
    }
}

}  // namespace
}  // namespace forgehive::api
