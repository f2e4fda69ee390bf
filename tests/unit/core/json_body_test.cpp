// Unit tests for core::parse_json_object: accepted objects and the invalid_request errors for everything else.
#include "forgehive/core/json_body.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "forgehive/core/api_error.hpp"

namespace forgehive::core {
namespace {

using ::testing::HasSubstr;

// Parses `body`, expecting an ApiError; checks the code and status every body error must carry and
// returns the message.
std::string parse_error(std::string_view body, const JsonLimits& limits = {}) {
    try {
        parse_json_object(body, limits);
    } catch (const ApiError& e) {
        EXPECT_EQ(e.code(), "invalid_request");
        EXPECT_EQ(e.http_status(), 400);
        return e.message();
    } catch (const std::exception& e) {
        ADD_FAILURE() << "expected ApiError, got another exception: " << e.what();
        return {};
    }
    ADD_FAILURE() << "expected ApiError for body: " << body;
    return {};
}

std::string nested_objects(std::size_t levels) {
    std::string out;
    for (std::size_t i = 0; i < levels; ++i) out += "{\"a\":";
    out += "1";
    for (std::size_t i = 0; i < levels; ++i) out += "}";
    return out;
}

TEST(JsonBody, ParsesAnObject) {
    auto value = parse_json_object(R"({"op":{"name":"mc.pi","version":1},"args":[1,2.5,"x",null,true]})");
    ASSERT_TRUE(value.is_object());
    EXPECT_EQ(value["op"]["name"], "mc.pi");
    EXPECT_EQ(value["op"]["version"], 1);
    EXPECT_EQ(value["args"].size(), 5u);
    EXPECT_TRUE(parse_json_object("{}").empty());
    EXPECT_TRUE(parse_json_object(" \n\t{ } \n").is_object());
}

TEST(JsonBody, EmptyBodyIsRejected) {
    EXPECT_THAT(parse_error(""), HasSubstr("empty"));
}

TEST(JsonBody, InvalidJsonNamesThePosition) {
    auto message = parse_error("{\"a\": nope}");
    EXPECT_THAT(message, HasSubstr("line"));
    EXPECT_THAT(message, HasSubstr("column"));
    EXPECT_THAT(message, HasSubstr("not valid JSON"));
    EXPECT_THAT(message, ::testing::Not(HasSubstr("[json.exception")));
    // The line is counted: an error on the third line says so.
    EXPECT_THAT(parse_error("{\n\"a\": 1,\n\"b\": }"), HasSubstr("line 3"));
}

TEST(JsonBody, OtherInvalidInputIsRejected) {
    for (std::string_view body : {"{", "{\"a\":1", "{\"a\":1} trailing", "{'a':1}", "{\"a\":1,}", "   ",
                                  "{\"a\":\"\xff\"}"})
        EXPECT_FALSE(parse_error(body).empty()) << body;
}

TEST(JsonBody, NonObjectTopLevelIsRejected) {
    for (std::string_view body : {"[]", "[1,2]", "42", "\"text\"", "null", "true"})
        EXPECT_THAT(parse_error(body), HasSubstr("must be a JSON object")) << body;
}

TEST(JsonBody, NestingUpToTheLimitIsAccepted) {
    JsonLimits limits;
    limits.max_depth = 3;
    EXPECT_NO_THROW(parse_json_object(nested_objects(3), limits));
    EXPECT_NO_THROW(parse_json_object(R"({"a":[{"b":1}]})", limits));
}

TEST(JsonBody, NestingDeeperThanTheLimitIsRejected) {
    JsonLimits limits;
    limits.max_depth = 3;
    EXPECT_THAT(parse_error(nested_objects(4), limits), HasSubstr("deeper than 3"));
    // Arrays count as levels too.
    EXPECT_THAT(parse_error(R"({"a":[[[1]]]})", limits), HasSubstr("deeper than 3"));
    EXPECT_THAT(parse_error(R"({"a":[{"b":{}}]})", limits), HasSubstr("deeper than 3"));
}

TEST(JsonBody, DefaultLimitRefusesPathologicalNesting) {
    EXPECT_NO_THROW(parse_json_object(nested_objects(64)));
    EXPECT_THAT(parse_error(nested_objects(65)), HasSubstr("deeper than 64"));
    // Far deeper than any stack would survive if it were parsed recursively.
    std::string deep = "{\"a\":" + std::string(200000, '[') + std::string(200000, ']') + "}";
    EXPECT_THAT(parse_error(deep), HasSubstr("deeper than 64"));
}

}  // namespace
}  // namespace forgehive::core
