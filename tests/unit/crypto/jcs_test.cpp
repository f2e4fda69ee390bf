// Unit tests for RFC 8785 JCS: the RFC's sample inputs/outputs and Appendix B number table from the
// shared test data, plus hand-written cases for sorting, escaping, numbers and strict parsing.
#include "forgehive/crypto/jcs.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>

namespace forgehive::crypto {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

fs::path shared_dir() {
    if (const char* dir = std::getenv("FORGEHIVE_SHARED_DIR")) return dir;
    return FORGEHIVE_TEST_SHARED_DIR;  // set by tests/CMakeLists.txt: shared/ beside the repository
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The message of the JcsError that `fn` throws, or a failure if it throws nothing or something else.
template <typename Fn>
std::string jcs_error(Fn&& fn) {
    try {
        fn();
    } catch (const JcsError& e) {
        return e.what();
    }
    ADD_FAILURE() << "expected JcsError";
    return "";
}

std::string parse_error(std::string_view text) {
    return jcs_error([&] { parse_strict(text); });
}

std::string canonical(std::string_view text) { return canonicalize(parse_strict(text)); }

// ---- Shared vectors ------------------------------------------------------------------------------

TEST(JcsVectors, RfcSampleInputsCanonicalizeToTheirOutputs) {
    const fs::path dir = shared_dir() / "testdata" / "jcs";
    ASSERT_TRUE(fs::is_directory(dir / "input"))
        << dir << " not found: set FORGEHIVE_SHARED_DIR or FORGEHIVE_SOURCE_DIR (ctest sets it)";
    int count = 0;
    for (const auto& entry : fs::directory_iterator(dir / "input")) {
        const std::string name = entry.path().filename().string();
        SCOPED_TRACE(name);
        const std::string expected = read_file(dir / "output" / name);
        // The output files hold exactly the canonical bytes: no trailing newline to strip.
        ASSERT_FALSE(expected.empty());
        ASSERT_NE(expected.back(), '\n');
        const std::string actual = canonical(read_file(entry.path()));
        EXPECT_EQ(actual, expected);
        // Canonicalization is idempotent: the canonical form is its own canonical form.
        EXPECT_EQ(canonical(actual), expected);
        ++count;
    }
    EXPECT_EQ(count, 7);
}

TEST(JcsVectors, AppendixBNumbers) {
    const fs::path file = shared_dir() / "testdata" / "jcs" / "rfc8785_appendixB_numbers.tsv";
    std::ifstream in(file);
    ASSERT_TRUE(in) << file << " not found: set FORGEHIVE_SHARED_DIR or FORGEHIVE_SOURCE_DIR";
    // Each row: IEEE-754 bit pattern as 16 hex digits, a tab, the expected ECMAScript string.
    std::string line;
    int count = 0;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        SCOPED_TRACE(line);
        const auto tab = line.find('\t');
        ASSERT_EQ(tab, 16u);
        const std::uint64_t bits = std::stoull(line.substr(0, tab), nullptr, 16);
        const double value = std::bit_cast<double>(bits);
        const std::string expected = line.substr(tab + 1);
        EXPECT_EQ(format_number(value), expected);
        EXPECT_EQ(canonicalize(json(value)), expected);
        // The expected text parses back to the same double (both zeros print as "0").
        if (value != 0) {
            EXPECT_EQ(std::bit_cast<std::uint64_t>(std::strtod(expected.c_str(), nullptr)), bits);
        }
        ++count;
    }
    EXPECT_EQ(count, 24);
}

// ---- Sorting ---------------------------------------------------------------------------------------

TEST(JcsSort, ByUtf16CodeUnitsNotUtf8Bytes) {
    // U+20AC, U+1F600 (UTF-16 D83D DE00) and U+FB33: UTF-16 order puts the emoji before U+FB33,
    // UTF-8 byte order (F0.. vs EF..) would put it last.
    const json value = parse_strict(R"({"\ufb33":3,"\ud83d\ude00":2,"\u20ac":1})");
    EXPECT_EQ(canonicalize(value), "{\"\u20ac\":1,\"\U0001F600\":2,\"\uFB33\":3}");
}

TEST(JcsSort, ShorterPrefixFirstAndNestedObjectsSorted) {
    EXPECT_EQ(canonical(R"({"b":{"z":1,"a":[{"y":1,"x":2}]},"a":0,"aa":1,"":2,"B":3})"),
              R"({"":2,"B":3,"a":0,"aa":1,"b":{"a":[{"x":2,"y":1}],"z":1}})");
}

TEST(JcsSort, ArraysKeepTheirOrder) { EXPECT_EQ(canonical("[3, 1, 2, \"b\", \"a\"]"), R"([3,1,2,"b","a"])"); }

// ---- Strings ---------------------------------------------------------------------------------------

TEST(JcsStrings, EscapesLikeJsonStringify) {
    std::string raw;
    for (int c = 0; c < 0x20; ++c) raw += static_cast<char>(c);
    raw += "\"\\/\x7f\u2028\u00e9";
    const std::string expected =
        "\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r\\u000e\\u000f"
        "\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d"
        "\\u001e\\u001f\\\"\\\\/\x7f\u2028\u00e9\"";
    EXPECT_EQ(canonicalize(json(raw)), expected);
}

TEST(JcsStrings, UnnecessaryEscapesAreDecoded) {
    EXPECT_EQ(canonical(R"("\u0041\/\u00e9\uD83D\uDE00")"), "\"A/\u00e9\U0001F600\"");
}

TEST(JcsStrings, NamesAreEscapedToo) { EXPECT_EQ(canonicalize(json{{"a\"\n", 1}}), R"({"a\"\n":1})"); }

TEST(JcsStrings, InvalidUtf8IsRejected) {
    EXPECT_NE(jcs_error([] { canonicalize(json("ok\xff")); }).find("invalid UTF-8"), std::string::npos);
    jcs_error([] { canonicalize(json("\xc0\xaf")); });          // overlong '/'
    jcs_error([] { canonicalize(json("\xed\xa0\x80")); });      // encoded lone surrogate U+D800
    jcs_error([] { canonicalize(json("\xf4\x90\x80\x80")); });  // above U+10FFFF
    jcs_error([] { canonicalize(json("\xe2\x82")); });          // truncated
    const std::string msg = jcs_error([] { canonicalize(json{{"k", json::array({"a", "\x80"})}}); });
    EXPECT_NE(msg.find("/k/1"), std::string::npos) << msg;
}

TEST(JcsStrings, InvalidUtf8InANameIsRejected) {
    try {
        canonicalize(json{{"x", json{{"bad\xff/", 1}}}});
        FAIL() << "expected JcsError";
    } catch (const JcsError& e) {
        EXPECT_NE(std::string(e.what()).find("member name"), std::string::npos) << e.what();
        // The pointer escapes '/' and shows the bad byte as text, so the message is valid UTF-8.
        EXPECT_EQ(e.pointer(), "/x/bad\\xff~1");
        EXPECT_NO_THROW((void)json(e.what()).dump());
    }
}

// ---- Numbers ---------------------------------------------------------------------------------------

TEST(JcsNumbers, EcmaScriptLayout) {
    EXPECT_EQ(format_number(-0.0), "0");
    EXPECT_EQ(format_number(0.0), "0");
    EXPECT_EQ(format_number(1e21), "1e+21");
    EXPECT_EQ(format_number(1e20), "100000000000000000000");
    EXPECT_EQ(format_number(123456789012345680000.0), "123456789012345680000");
    EXPECT_EQ(format_number(1e-7), "1e-7");
    EXPECT_EQ(format_number(1.5e-7), "1.5e-7");
    EXPECT_EQ(format_number(1e-6), "0.000001");
    EXPECT_EQ(format_number(1.25e-6), "0.00000125");
    EXPECT_EQ(format_number(5e-324), "5e-324");
    EXPECT_EQ(format_number(-5e-324), "-5e-324");
    EXPECT_EQ(format_number(0.1 + 0.2), "0.30000000000000004");
    EXPECT_EQ(format_number(-1.5), "-1.5");
    EXPECT_EQ(format_number(123.456), "123.456");
    EXPECT_EQ(format_number(1.5e300), "1.5e+300");
    EXPECT_EQ(format_number(-2.5e-10), "-2.5e-10");
    EXPECT_EQ(format_number(100.0), "100");
}

TEST(JcsNumbers, IntegersAreConvertedToDouble) {
    EXPECT_EQ(canonicalize(json(std::numeric_limits<std::uint64_t>::max())), "18446744073709552000");
    EXPECT_EQ(canonicalize(json(std::numeric_limits<std::int64_t>::min())), "-9223372036854776000");
    EXPECT_EQ(canonicalize(json(std::int64_t{9007199254740993})), "9007199254740992");  // 2^53 + 1
    EXPECT_EQ(canonicalize(json(-42)), "-42");
    EXPECT_EQ(canonical("[-0, -0.0, 0e5, 1E2, 18446744073709551616, 1e-400]"),
              "[0,0,0,100,18446744073709552000,0]");
}

TEST(JcsNumbers, NanAndInfinityAreRejected) {
    const std::string msg = jcs_error([] {
        canonicalize(json{{"a", json::array({1, std::numeric_limits<double>::quiet_NaN()})}});
    });
    EXPECT_NE(msg.find("NaN"), std::string::npos) << msg;
    EXPECT_NE(msg.find("/a/1"), std::string::npos) << msg;
    jcs_error([] { canonicalize(json(std::numeric_limits<double>::infinity())); });
    jcs_error([] { canonicalize(json(-std::numeric_limits<double>::infinity())); });
    jcs_error([] { format_number(std::numeric_limits<double>::quiet_NaN()); });
}

TEST(JcsValues, LiteralsAndEmptyContainers) {
    EXPECT_EQ(canonical(" [ null , true , false , { } , [ ] , \"\" ] "), R"([null,true,false,{},[],""])");
    EXPECT_EQ(canonicalize(json()), "null");
}

TEST(JcsValues, BinaryIsRejected) { jcs_error([] { canonicalize(json::binary({1, 2, 3})); }); }

TEST(JcsValues, CanonicalizeBoundsDepth) {
    json deep = json::array();
    for (int i = 1; i < kJcsMaxDepth; ++i) deep = json::array({deep});
    EXPECT_EQ(canonicalize(deep), std::string(kJcsMaxDepth, '[') + std::string(kJcsMaxDepth, ']'));
    deep = json::array({deep});
    jcs_error([&] { canonicalize(deep); });
}

// ---- Strict parsing --------------------------------------------------------------------------------

TEST(JcsParse, DuplicateNamesAreRejectedAtAnyDepth) {
    std::string msg = parse_error(R"({"a":1,"a":2})");
    EXPECT_NE(msg.find("duplicate member name \"a\" at the top level"), std::string::npos) << msg;
    msg = parse_error(R"({"x":{"a":1,"b":{},"a":2}})");
    EXPECT_NE(msg.find("duplicate member name \"a\" at /x"), std::string::npos) << msg;
    msg = parse_error(R"({"x":[{}, {"k":1,"k":[]}]})");
    EXPECT_NE(msg.find("duplicate member name \"k\" at /x/1"), std::string::npos) << msg;
    // Escapes are resolved before comparing: "\u0061" is "a".
    msg = parse_error(R"({"a~/b":{"a":1,"\u0061":2}})");
    EXPECT_NE(msg.find("at /a~0~1b"), std::string::npos) << msg;
}

TEST(JcsParse, SameNameInDifferentObjectsIsFine) {
    EXPECT_EQ(canonical(R"({"a":{"a":1},"b":{"a":2},"c":[{"a":3},{"a":4}]})"),
              R"({"a":{"a":1},"b":{"a":2},"c":[{"a":3},{"a":4}]})");
}

TEST(JcsParse, LoneSurrogatesAreRejected) {
    for (const char* text : {R"("\ud800")", R"("\udc00")", R"(["\ud800x"])", R"({"k":"\udfff"})",
                             R"("\ude00\ud83d")", R"("\ud83d\u0041")", R"({"\udbff":1})"}) {
        SCOPED_TRACE(text);
        const std::string msg = parse_error(text);
        EXPECT_NE(msg.find("lone surrogate"), std::string::npos) << msg;
    }
    EXPECT_NE(parse_error(R"({"k":["a","\udc00"]})").find("at /k/1"), std::string::npos);
    EXPECT_NE(parse_error(R"({"x":{"\ud800":1}})").find("member name of /x"), std::string::npos);
}

TEST(JcsParse, InvalidUtf8IsRejected) {
    for (const char* text : {"\"\xff\"", "\"\xc0\xaf\"", "\"\xed\xa0\x80\"", "{\"\xe2\x82\":1}", "[1,\"a\xf8\"]"}) {
        SCOPED_TRACE(text);
        const std::string msg = parse_error(text);
        EXPECT_NE(msg.find("invalid UTF-8"), std::string::npos) << msg;
        EXPECT_NO_THROW((void)json(msg).dump());  // the message itself is valid UTF-8
    }
}

TEST(JcsParse, OverflowingNumbersAreRejected) {
    std::string msg = parse_error(R"({"n":[1e400]})");
    EXPECT_NE(msg.find("overflows to infinity at /n/0"), std::string::npos) << msg;
    parse_error("-1e400");
    parse_error("1" + std::string(400, '0') + ".0");
}

TEST(JcsParse, DepthIsBounded) {
    const auto nested = [](int depth) { return std::string(depth, '[') + std::string(depth, ']'); };
    EXPECT_EQ(canonical(nested(kJcsMaxDepth)), nested(kJcsMaxDepth));
    const std::string msg = parse_error(nested(kJcsMaxDepth + 1));
    EXPECT_NE(msg.find("nesting deeper than 64"), std::string::npos) << msg;
    std::string objects;
    for (int i = 0; i <= kJcsMaxDepth; ++i) objects += "{\"a\":";
    objects += "1" + std::string(kJcsMaxDepth + 1, '}');
    parse_error(objects);
    // A very deep document fails early on the bound, not on stack depth.
    parse_error(std::string(1'000'000, '['));
}

TEST(JcsParse, MalformedJsonIsRejected) {
    for (const char* text : {"", " ", "{", "[1,]", "{\"a\":1,}", "01", "NaN", "Infinity", "'a'", "[1] 2",
                             "/* c */ 1", "\"a\tb\"", "{\"a\" 1}"}) {
        SCOPED_TRACE(text);
        parse_error(text);
    }
    parse_error("\xEF\xBB\xBF{}");  // byte order mark
}

TEST(JcsParse, ErrorsAreRuntimeErrorsWithAPointer) {
    try {
        parse_strict(R"({"a":{"b":[0,{"c":1,"c":2}]}})");
        FAIL() << "expected JcsError";
    } catch (const std::runtime_error& e) {
        const auto* jcs = dynamic_cast<const JcsError*>(&e);
        ASSERT_NE(jcs, nullptr);
        EXPECT_EQ(jcs->pointer(), "/a/b/1");
    }
}

}  // namespace
}  // namespace forgehive::crypto
