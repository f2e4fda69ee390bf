// tensor args parsing: the three matrix forms decode to the same Matrix, and every malformed input is a
// 400 invalid_request naming its field path and rule (artifacts through a fake resolver).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <fmt/format.h>
#include <cstring>
#include <limits>
#include <map>
#include <memory>

#include "forgehive/api/tensor_args.hpp"
#include "forgehive/core/api_error.hpp"
#include "forgehive/crypto/base64.hpp"
#include "unit/kernels/tensor/tensor_test_support.hpp"

namespace forgehive::api {
namespace {

namespace kt = kernels::tensor;
using nlohmann::json;
using ::testing::HasSubstr;

const char* const kId = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

template <typename T>
std::string raw(const std::vector<T>& values) {
    return std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
}

// Artifacts by id; records the field each lookup named.
struct FakeArtifacts {
    std::map<std::string, std::pair<std::string, std::string>> stored;  // id -> (media type, bytes)
    std::vector<std::string> fields;

    ArtifactResolver resolver() {
        return [this](const std::string& id, const std::string& field) {
            fields.push_back(field);
            auto it = stored.find(id);
            if (it == stored.end())
                throw core::ApiError("invalid_request", 400,
                                     fmt::format("field '{}' names no artifact of this project", field));
            return ArtifactContent{id, it->second.first, std::make_shared<const std::string>(it->second.second)};
        };
    }
};

json m23(const char* dtype = "f64") { return {{"shape", {2, 3}}, {"dtype", dtype}, {"data", {1, 2, 3, 4, 5, 6}}}; }

class TensorArgsTest : public ::testing::Test {
protected:
    TensorArgs parse(const std::string& profile, const json& args) {
        return parse_tensor_args(profile, args, options_, artifacts_.resolver());
    }

    kt::Matrix matrix(const json& value) {
        return parse_matrix(value, "args.a", false, options_, artifacts_.resolver()).matrix;
    }

    // The message of the invalid_request that parsing `args` raises ("" when it parses).
    std::string error_of(const std::string& profile, const json& args) {
        try {
            parse(profile, args);
        } catch (const core::ApiError& e) {
            EXPECT_EQ(e.code(), "invalid_request");
            EXPECT_EQ(e.http_status(), 400);
            return e.message();
        }
        return "";
    }

    // The error for args.a in a matmul with a valid 3 x 1 b (args.a's checks come first).
    std::string matrix_error(const json& a) {
        return error_of("matmul.v1", {{"a", a}, {"b", {{"shape", {3, 1}}, {"dtype", "f64"}, {"data", {1, 2, 3}}}}});
    }

    kt::TensorOptions options_;
    FakeArtifacts artifacts_;
};

TEST_F(TensorArgsTest, FlatDataIsRowMajorInTheDtype) {
    auto m = matrix(m23());
    EXPECT_EQ(m.rows, 2);
    EXPECT_EQ(m.cols, 3);
    EXPECT_EQ(m.dtype, kt::DType::f64);
    EXPECT_EQ(m.f64, (std::vector<double>{1, 2, 3, 4, 5, 6}));
    auto f = matrix({{"shape", {1, 2}}, {"dtype", "f32"}, {"data", {0.1, -2.5}}});
    EXPECT_EQ(f.dtype, kt::DType::f32);
    EXPECT_TRUE(f.f64.empty());
    EXPECT_EQ(f.f32, (std::vector<float>{0.1f, -2.5f}));
}

TEST_F(TensorArgsTest, NestedRowsGiveTheSameMatrixWithOrWithoutShape) {
    const json rows = {{1, 2, 3}, {4, 5, 6}};
    auto flat = matrix(m23());
    EXPECT_TRUE(kt::testing::bit_identical(flat, matrix({{"dtype", "f64"}, {"data", rows}})));
    EXPECT_TRUE(kt::testing::bit_identical(flat, matrix({{"shape", {2, 3}}, {"dtype", "f64"}, {"data", rows}})));
}

TEST_F(TensorArgsTest, Base64IsLittleEndianRowMajor) {
    const std::vector<float> values = {1.5f, -0.0f, 3.25e-20f, 7.0f};
    auto m = matrix({{"shape", {2, 2}}, {"dtype", "f32"}, {"base64", crypto::to_base64(raw(values))}});
    ASSERT_EQ(m.f32.size(), 4u);
    EXPECT_EQ(std::memcmp(m.f32.data(), values.data(), sizeof(float) * 4), 0);
}

TEST_F(TensorArgsTest, ArtifactsWithTheTensorMediaTypeOrOctetStream) {
    const std::vector<double> values = {1, 2, 3, 4, 5, 6};
    artifacts_.stored[kId] = {"application/vnd.forgehive.tensor; dtype=f64; shape=2x3", raw(values)};
    auto m = matrix({{"artifact", kId}});
    EXPECT_TRUE(kt::testing::bit_identical(matrix(m23()), m));
    EXPECT_EQ(artifacts_.fields, std::vector<std::string>{"args.a.artifact"});
    // Agreeing declarations on both sides are fine.
    EXPECT_NO_THROW(matrix({{"artifact", kId}, {"shape", {2, 3}}, {"dtype", "f64"}}));

    artifacts_.stored[kId] = {"application/octet-stream", raw(values)};
    EXPECT_TRUE(kt::testing::bit_identical(matrix({{"artifact", kId}, {"shape", {3, 2}}, {"dtype", "f64"}}),
                                           kt::Matrix::from_f64(3, 2, values)));
}

TEST_F(TensorArgsTest, ShapeRulesNameTheElement) {
    auto with_shape = [](json shape) { return json{{"shape", shape}, {"dtype", "f64"}, {"data", {1, 2, 3, 4, 5, 6}}}; };
    EXPECT_EQ(matrix_error(with_shape({6})), "field 'args.a.shape' must be [rows, cols]");
    EXPECT_EQ(matrix_error(with_shape({1, 2, 3})), "field 'args.a.shape' must be [rows, cols]");
    EXPECT_EQ(matrix_error(with_shape("2x3")), "field 'args.a.shape' must be [rows, cols]");
    EXPECT_EQ(matrix_error(with_shape({0, 3})), "field 'args.a.shape[0]' must be an integer between 1 and 16777216");
    EXPECT_EQ(matrix_error(with_shape({2, 1.5})), "field 'args.a.shape[1]' must be an integer between 1 and 16777216");
    EXPECT_EQ(matrix_error(with_shape({2, "3"})), "field 'args.a.shape[1]' must be an integer between 1 and 16777216");
    EXPECT_EQ(matrix_error(with_shape({-2, 3})), "field 'args.a.shape[0]' must be an integer between 1 and 16777216");
}

TEST_F(TensorArgsTest, RaggedAndMismatchedData) {
    EXPECT_EQ(matrix_error({{"dtype", "f64"}, {"data", {{1, 2, 3}, {4, 5}}}}),
              "field 'args.a.data[1]' must be a row of 3 numbers, like args.a.data[0] (ragged rows are not allowed)");
    EXPECT_EQ(matrix_error({{"dtype", "f64"}, {"data", {{1, 2, 3}, 4}}}),
              "field 'args.a.data[1]' must be a row of 3 numbers, like args.a.data[0] (ragged rows are not allowed)");
    EXPECT_EQ(matrix_error({{"dtype", "f64"}, {"data", {json::array(), json::array()}}}),
              "field 'args.a.data[0]' must not be empty");
    EXPECT_EQ(matrix_error({{"shape", {3, 2}}, {"dtype", "f64"}, {"data", {{1, 2, 3}, {4, 5, 6}}}}),
              "field 'args.a.data' has 2 rows of 3, but shape is [3, 2]");
    EXPECT_EQ(matrix_error({{"shape", {2, 3}}, {"dtype", "f64"}, {"data", {1, 2, 3, 4, 5}}}),
              "field 'args.a.data' has 5 elements, but shape [2, 3] needs 6");
    EXPECT_EQ(matrix_error({{"shape", {2, 3}}, {"dtype", "f64"}, {"data", json::array()}}),
              "field 'args.a.data' has 0 elements, but shape [2, 3] needs 6");
    EXPECT_EQ(matrix_error({{"dtype", "f64"}, {"data", {1, 2, 3}}}),
              "field 'args.a.shape' is required when data is a flat list");
    EXPECT_EQ(matrix_error({{"shape", {1, 2}}, {"dtype", "f64"}, {"data", "1,2"}}),
              "field 'args.a.data' must be a list of numbers or a list of rows");
}

TEST_F(TensorArgsTest, ElementsMustBeFiniteNumbersOfTheDtype) {
    EXPECT_EQ(matrix_error({{"shape", {1, 2}}, {"dtype", "f64"}, {"data", {1, "2"}}}),
              "field 'args.a.data[1]' must be a finite number");
    EXPECT_EQ(matrix_error({{"dtype", "f64"}, {"data", {{1, 2}, {3, nullptr}}}}),
              "field 'args.a.data[1][1]' must be a finite number");
    EXPECT_EQ(matrix_error({{"shape", {1, 2}}, {"dtype", "f32"}, {"data", {1, 1e39}}}),
              "field 'args.a.data[1]' must be a finite number within the f32 range");
    EXPECT_NO_THROW(matrix({{"shape", {1, 2}}, {"dtype", "f64"}, {"data", {1, 1e39}}}));

    const std::vector<double> nan_at_1_0 = {1, 2, 3, std::numeric_limits<double>::quiet_NaN(), 5, 6};
    EXPECT_EQ(matrix_error({{"shape", {2, 3}}, {"dtype", "f64"}, {"base64", crypto::to_base64(raw(nan_at_1_0))}}),
              "field 'args.a.base64' holds a non-finite element at (1, 0)");
    const std::vector<float> inf_at_0_1 = {1, std::numeric_limits<float>::infinity()};
    artifacts_.stored[kId] = {"application/vnd.forgehive.tensor; dtype=f32; shape=1x2", raw(inf_at_0_1)};
    EXPECT_EQ(matrix_error({{"artifact", kId}}), "field 'args.a.artifact' holds a non-finite element at (0, 1)");
}

TEST_F(TensorArgsTest, DtypeIsRequiredAndChecked) {
    EXPECT_EQ(matrix_error({{"shape", {2, 3}}, {"dtype", "f16"}, {"data", {1, 2, 3, 4, 5, 6}}}),
              "field 'args.a.dtype' must be one of: f32, f64");
    EXPECT_EQ(matrix_error({{"shape", {2, 3}}, {"data", {1, 2, 3, 4, 5, 6}}}), "field 'args.a.dtype' is required");
    EXPECT_EQ(matrix_error({{"shape", {2, 3}}, {"base64", "AAAA"}}), "field 'args.a.dtype' is required");
}

TEST_F(TensorArgsTest, Base64RulesCheckTheLengthBeforeDecoding) {
    const std::vector<double> five = {1, 2, 3, 4, 5};
    auto b64 = [](json text) { return json{{"shape", {2, 3}}, {"dtype", "f64"}, {"base64", text}}; };
    EXPECT_EQ(matrix_error(b64(crypto::to_base64(raw(five)))),
              "field 'args.a.base64' decodes to 40 bytes, but shape [2, 3] of f64 needs 48");
    EXPECT_EQ(matrix_error({{"shape", {2, 3}}, {"dtype", "f32"}, {"base64", crypto::to_base64(raw(five))}}),
              "field 'args.a.base64' decodes to 40 bytes, but shape [2, 3] of f32 needs 24");
    const std::string rule = "field 'args.a.base64' must be standard padded base64 (RFC 4648 §4) without whitespace";
    EXPECT_EQ(matrix_error(b64("AAA")), rule);
    EXPECT_EQ(matrix_error(b64(42)), rule);
    std::string good = crypto::to_base64(raw(std::vector<double>(6, 1.0)));
    std::string bad_alphabet = good;
    bad_alphabet[3] = '*';
    EXPECT_EQ(matrix_error(b64(bad_alphabet)), rule);
    std::string url_safe = good;
    url_safe[0] = '_';
    EXPECT_EQ(matrix_error(b64(url_safe)), rule);
    EXPECT_THAT(matrix_error(b64(" " + good.substr(1))), HasSubstr("args.a.base64"));
    EXPECT_EQ(matrix_error({{"dtype", "f64"}, {"base64", good}}), "field 'args.a.shape' is required with base64");
}

TEST_F(TensorArgsTest, OversizeIsRefusedFromTheShapeAlone) {
    // 2^24 x 2^24 would be 2^48 elements: refused without computing or allocating it.
    EXPECT_EQ(matrix_error({{"shape", {16777216, 16777216}}, {"dtype", "f64"}, {"base64", "AAAA"}}),
              "field 'args.a.shape' [16777216, 16777216] has more than 16777216 elements (tensor.max_elements)");
    options_.max_elements = 12;
    EXPECT_EQ(matrix_error({{"shape", {4, 4}}, {"dtype", "f64"}, {"data", json::array()}}),
              "field 'args.a.shape' [4, 4] has more than 12 elements (tensor.max_elements)");
    EXPECT_EQ(matrix_error({{"dtype", "f64"}, {"data", {{1, 2, 3, 4}, {1, 2, 3, 4}, {1, 2, 3, 4}, {1, 2, 3, 4}}}}),
              "field 'args.a.data' [4, 4] has more than 12 elements (tensor.max_elements)");
    artifacts_.stored[kId] = {"application/vnd.forgehive.tensor; dtype=f64; shape=4x4", ""};
    EXPECT_EQ(matrix_error({{"artifact", kId}}),
              "field 'args.a.artifact' [4, 4] has more than 12 elements (tensor.max_elements)");
    // The result counts too: 4 x 1 times 1 x 4 is a 16-element c.
    EXPECT_EQ(error_of("matmul.v1", {{"a", {{"dtype", "f64"}, {"data", {{1}, {2}, {3}, {4}}}}},
                                     {"b", {{"dtype", "f64"}, {"data", {{1, 2, 3, 4}}}}}}),
              "field 'args.b.shape[1]' makes c 4 x 4, more than 12 elements (tensor.max_elements)");
}

TEST_F(TensorArgsTest, UnknownMembersAndSourcesAreErrors) {
    EXPECT_EQ(error_of("matmul.v1", {{"a", m23()}, {"b", m23()}, {"c", 1}}), "field 'args.c' is not a known field");
    auto extra = m23();
    extra["order"] = "C";
    EXPECT_EQ(matrix_error(extra), "field 'args.a.order' is not a known field");
    auto both = m23();
    both["base64"] = "AAAA";
    EXPECT_EQ(matrix_error(both), "field 'args.a' must have exactly one of data, base64 or artifact");
    EXPECT_EQ(matrix_error({{"shape", {2, 3}}, {"dtype", "f64"}}),
              "field 'args.a' must have exactly one of data, base64 or artifact");
    EXPECT_EQ(matrix_error({{1, 2}, {3, 4}}), "field 'args.a' must be an object");
    EXPECT_EQ(error_of("matmul.v1", {{"a", m23()}}), "field 'args.b' is required");
    EXPECT_EQ(error_of("matmul.v1", json::array()), "field 'args' must be an object");
    EXPECT_EQ(error_of("qr.v1", {{"a", m23()}}),
              "field 'op.profile' must be one of: matmul.v1, solve.v1, reduce.v1 for op.name tensor");
}

TEST_F(TensorArgsTest, ArtifactMediaTypeRules) {
    const auto six = raw(std::vector<double>(6, 1.0));
    auto error_for = [&](const std::string& media, json extra = json::object()) {
        artifacts_.stored[kId] = {media, six};
        json a = {{"artifact", kId}};
        a.update(extra);
        return matrix_error(a);
    };
    EXPECT_THAT(error_for("text/csv"), HasSubstr("field 'args.a.artifact' has media type 'text/csv': a tensor must be "
                                                 "application/vnd.forgehive.tensor"));
    EXPECT_EQ(error_for("application/vnd.forgehive.tensor; dtype=f64"),
              "field 'args.a.artifact' has media type 'application/vnd.forgehive.tensor; dtype=f64': dtype and shape "
              "parameters are both required");
    EXPECT_THAT(error_for("application/vnd.forgehive.tensor; dtype=f16; shape=2x3"), HasSubstr("parameter 'dtype'"));
    EXPECT_THAT(error_for("application/vnd.forgehive.tensor; dtype=f64; shape=2x3; order=F"),
                HasSubstr("parameter 'order'"));
    EXPECT_THAT(error_for("application/vnd.forgehive.tensor; dtype=f64; shape=0x6"),
                HasSubstr("shape must be ROWSxCOLS, positive integers"));
    EXPECT_THAT(error_for("application/vnd.forgehive.tensor; dtype=f64; shape=6"),
                HasSubstr("shape must be ROWSxCOLS, positive integers"));
    EXPECT_THAT(error_for("application/vnd.forgehive.tensor; dtype=f64; shape=2x3x1"),
                HasSubstr("shape must be ROWSxCOLS, positive integers"));
    // Case and spaces in the type and parameter names do not matter.
    EXPECT_EQ(error_for("Application/Vnd.Forgehive.Tensor;shape=2x3 ; DTYPE=f64"), "");

    EXPECT_EQ(error_for("application/vnd.forgehive.tensor; dtype=f64; shape=2x3", {{"shape", {3, 2}}}),
              std::string("field 'args.a.shape' is [3, 2], but artifact ") + kId + " declares shape [2, 3]");
    EXPECT_EQ(error_for("application/vnd.forgehive.tensor; dtype=f64; shape=2x3", {{"dtype", "f32"}}),
              std::string("field 'args.a.dtype' is f32, but artifact ") + kId + " declares dtype f64");
    EXPECT_EQ(error_for("application/vnd.forgehive.tensor; dtype=f32; shape=2x3"),
              "field 'args.a.artifact' holds 48 bytes, but shape [2, 3] of f32 needs 24");
    EXPECT_EQ(error_for("application/octet-stream", {{"dtype", "f64"}}),
              "field 'args.a.shape' is required with an application/octet-stream artifact");
    EXPECT_EQ(error_for("application/octet-stream", {{"shape", {2, 3}}}),
              "field 'args.a.dtype' is required with an application/octet-stream artifact");
    EXPECT_EQ(error_for("application/octet-stream", {{"shape", {2, 2}}, {"dtype", "f64"}}),
              "field 'args.a.artifact' holds 48 bytes, but shape [2, 2] of f64 needs 32");

    const std::string other = "sha256:2222222222222222222222222222222222222222222222222222222222222222";
    EXPECT_EQ(matrix_error({{"artifact", other}}), "field 'args.a.artifact' names no artifact of this project");
    EXPECT_EQ(matrix_error({{"artifact", 7}}), "field 'args.a.artifact' must be a string");
}

TEST_F(TensorArgsTest, MatmulOperandsMustAgree) {
    auto parsed =
        std::get<MatmulArgs>(parse("matmul.v1", {{"a", m23()}, {"b", {{"dtype", "f64"}, {"data", {{1}, {2}, {3}}}}}}));
    EXPECT_EQ(parsed.a.rows, 2);
    EXPECT_EQ(parsed.b.cols, 1);
    EXPECT_EQ(error_of("matmul.v1", {{"a", m23()}, {"b", m23()}}),
              "field 'args.b.shape[0]' must equal args.a.shape[1] (3) for a matrix product, got 2");
    EXPECT_EQ(error_of("matmul.v1", {{"a", m23()}, {"b", {{"dtype", "f32"}, {"data", {{1}, {2}, {3}}}}}}),
              "field 'args.b.dtype' must equal args.a.dtype (f64), got f32");
}

json square(std::vector<std::vector<double>> rows) { return {{"dtype", "f64"}, {"data", rows}}; }

TEST_F(TensorArgsTest, SolveTakesAMatrixOrAVectorB) {
    const auto a = square({{4, 1}, {1, 3}});
    auto matrix_b =
        std::get<SolveArgs>(parse("solve.v1", {{"a", a}, {"b", {{"dtype", "f64"}, {"data", {{1, 2}, {3, 4}}}}}}));
    EXPECT_EQ(matrix_b.method, kt::SolveMethod::lu);
    EXPECT_FALSE(matrix_b.b_is_vector);
    EXPECT_EQ(matrix_b.b.cols, 2);
    auto vector_b = std::get<SolveArgs>(parse(
        "solve.v1", {{"a", a}, {"b", {{"shape", {2}}, {"dtype", "f64"}, {"data", {1, 2}}}}, {"method", "cholesky"}}));
    EXPECT_EQ(vector_b.method, kt::SolveMethod::cholesky);
    EXPECT_TRUE(vector_b.b_is_vector);
    EXPECT_EQ(vector_b.b.rows, 2);
    EXPECT_EQ(vector_b.b.cols, 1);
}

TEST_F(TensorArgsTest, SolveRules) {
    const auto b2 = json{{"shape", {2}}, {"dtype", "f64"}, {"data", {1, 2}}};
    EXPECT_EQ(error_of("solve.v1", {{"a", m23()}, {"b", b2}}),
              "field 'args.a.shape' must be square for solve, got [2, 3]");
    EXPECT_EQ(error_of("solve.v1", {{"a", {{"shape", {2}}, {"dtype", "f64"}, {"data", {1, 2}}}}, {"b", b2}}),
              "field 'args.a.shape' must be [rows, cols]");
    EXPECT_EQ(error_of("solve.v1", {{"a", square({{1, 0}, {0, 1}})}, {"b", square({{1}, {2}, {3}})}}),
              "field 'args.b.shape[0]' must equal the 2 rows of args.a, got 3");
    EXPECT_EQ(error_of("solve.v1", {{"a", square({{1, 0}, {0, 1}})}, {"b", b2}, {"method", "qr"}}),
              "field 'args.method' must be one of: lu, cholesky");
    EXPECT_EQ(error_of("solve.v1", {{"a", square({{4, 1.001}, {1, 3}})}, {"b", b2}, {"method", "cholesky"}}),
              "field 'args.a' must be symmetric for method cholesky, but element (1, 0) is 1 and (0, 1) is 1.001");
    EXPECT_EQ(error_of("solve.v1", {{"a", square({{4, 1.001}, {1, 3}})}, {"b", b2}}), "");
    options_.max_solve_dimension = 1;
    EXPECT_EQ(error_of("solve.v1", {{"a", square({{1, 0}, {0, 1}})}, {"b", b2}}),
              "field 'args.a.shape' must be at most [1, 1] for solve (tensor.max_solve_dimension), got [2, 2]");
}

TEST_F(TensorArgsTest, ReduceAxisAndOps) {
    const auto x = m23();
    auto axis_of = [&](json args) { return std::get<ReduceArgs>(parse("reduce.v1", args)).axis; };
    EXPECT_EQ(axis_of({{"x", x}, {"ops", {"sum"}}}), kt::ReduceAxis::all);
    EXPECT_EQ(axis_of({{"x", x}, {"ops", {"sum"}}, {"axis", nullptr}}), kt::ReduceAxis::all);
    EXPECT_EQ(axis_of({{"x", x}, {"ops", {"sum"}}, {"axis", "all"}}), kt::ReduceAxis::all);
    EXPECT_EQ(axis_of({{"x", x}, {"ops", {"sum"}}, {"axis", 0}}), kt::ReduceAxis::axis0);
    EXPECT_EQ(axis_of({{"x", x}, {"ops", {"sum"}}, {"axis", 1}}), kt::ReduceAxis::axis1);
    for (const auto& bad : {json(2), json(-1), json("0"), json("rows"), json(0.5)})
        EXPECT_EQ(error_of("reduce.v1", {{"x", x}, {"ops", {"sum"}}, {"axis", bad}}),
                  "field 'args.axis' must be 0, 1, \"all\" or null");

    auto ops = std::get<ReduceArgs>(parse("reduce.v1", {{"x", x}, {"ops", {"l2", "min", "sum"}}})).ops;
    EXPECT_EQ(ops, (std::vector<kt::ReduceOp>{kt::ReduceOp::l2, kt::ReduceOp::min, kt::ReduceOp::sum}));
    EXPECT_EQ(error_of("reduce.v1", {{"x", x}}), "field 'args.ops' is required");
    EXPECT_EQ(error_of("reduce.v1", {{"x", x}, {"ops", json::array()}}),
              "field 'args.ops' must be a list of 1 to 5 of: sum, mean, min, max, l2");
    EXPECT_EQ(error_of("reduce.v1", {{"x", x}, {"ops", {"sum", "median"}}}),
              "field 'args.ops[1]' must be one of: sum, mean, min, max, l2");
    EXPECT_EQ(error_of("reduce.v1", {{"x", x}, {"ops", {"max", "sum", "max"}}}), "field 'args.ops[2]' repeats 'max'");
    EXPECT_EQ(error_of("reduce.v1", {{"x", x}, {"ops", {"sum"}}, {"keepdims", true}}),
              "field 'args.keepdims' is not a known field");
    EXPECT_EQ(error_of("reduce.v1", {{"ops", {"sum"}}}), "field 'args.x' is required");
}

// The NumPy fixtures are written in the API's own matrix form: every operand parses to the matrix the
// kernel tests read from them.
TEST_F(TensorArgsTest, FixtureMatricesParseToTheKernelTestMatrices) {
    for (const auto& c : kt::testing::fixtures().at("matmul")) {
        auto parsed = std::get<MatmulArgs>(parse("matmul.v1", {{"a", c.at("a")}, {"b", c.at("b")}}));
        EXPECT_TRUE(kt::testing::bit_identical(kt::testing::matrix_from_json(c.at("a")), parsed.a)) << c.at("name");
        EXPECT_TRUE(kt::testing::bit_identical(kt::testing::matrix_from_json(c.at("b")), parsed.b)) << c.at("name");
    }
}

}  // namespace
}  // namespace forgehive::api
