// Unit tests for reduce: the NumPy reference within the documented bounds, exact min and max, partials
// merged over any unit-aligned row split equal to the whole bit for bit, and validation.
#include "forgehive/kernels/tensor/reduce.hpp"

#include "tensor_test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

namespace forgehive::kernels::tensor {
namespace {

using ::testing::HasSubstr;
using testing::bit_identical;
using testing::fixtures;
using testing::matrix_from_json;
using testing::random_matrix;

const std::vector<ReduceOp> kAllOps = {ReduceOp::sum, ReduceOp::mean, ReduceOp::min, ReduceOp::max, ReduceOp::l2};

ReduceAxis axis_of(const nlohmann::json& axis) {
    if (axis.is_null()) return ReduceAxis::all;
    return axis.get<int>() == 0 ? ReduceAxis::axis0 : ReduceAxis::axis1;
}

// sum|x| (or sum x^2) over the elements that make output element `index`, for the error bounds.
double magnitude(const Matrix& x, ReduceAxis axis, std::int64_t index, bool squares) {
    double s = 0;
    for (std::int64_t i = 0; i < x.rows; ++i) {
        for (std::int64_t j = 0; j < x.cols; ++j) {
            if ((axis == ReduceAxis::axis0 && j != index) || (axis == ReduceAxis::axis1 && i != index)) continue;
            s += squares ? x.at(i, j) * x.at(i, j) : std::fabs(x.at(i, j));
        }
    }
    return s;
}

// Recursive summation of n terms errs by at most gamma_(n-1) sum|x| (Higham §4.2); the lane and unit
// orders are such sums too. NumPy's pairwise sum errs by less, so twice gamma_n bounds the difference.
// An f32 result adds the final rounding. min and max are exact.
void expect_matches(ReduceOp op, const Matrix& x, ReduceAxis axis, const Matrix& got, const std::vector<double>& want) {
    const double count = axis == ReduceAxis::axis0 ? static_cast<double>(x.rows)
                         : axis == ReduceAxis::axis1 ? static_cast<double>(x.cols)
                                                     : static_cast<double>(x.size());
    const double gamma = 2.0 * count * 0x1p-53 / (1.0 - count * 0x1p-53);
    const double rounding = x.dtype == DType::f32 ? 0x1p-24 : 0.0;
    ASSERT_EQ(static_cast<std::size_t>(got.size()), want.size());
    for (std::int64_t i = 0; i < got.size(); ++i) {
        const double g = got.dtype == DType::f32 ? got.f32[static_cast<std::size_t>(i)] : got.f64[static_cast<std::size_t>(i)];
        const double w = want[static_cast<std::size_t>(i)];
        switch (op) {
        case ReduceOp::min:
        case ReduceOp::max: EXPECT_EQ(g, w) << i; break;
        case ReduceOp::sum:
        case ReduceOp::mean: {
            const double scale = op == ReduceOp::mean ? count : 1.0;
            EXPECT_LE(std::fabs(g - w), gamma * magnitude(x, axis, i, false) / scale + rounding * std::fabs(w) + 1e-300) << i;
            break;
        }
        case ReduceOp::l2: EXPECT_LE(std::fabs(g - w), (gamma + rounding) * std::fabs(w) + 1e-300) << i; break;
        }
    }
}

TEST(Reduce, MatchesNumPyOnEveryOpAndAxis) {
    int cases = 0;
    for (const auto& c : fixtures().at("reduce")) {
        SCOPED_TRACE(c.at("name").get<std::string>());
        const Matrix x = matrix_from_json(c.at("x"));
        const ReduceAxis axis = axis_of(c.at("axis"));
        const auto outputs = reduce(x, axis, kAllOps);
        ASSERT_EQ(outputs.size(), kAllOps.size());
        for (const ReduceOutput& out : outputs) {
            SCOPED_TRACE(std::string(reduce_op_name(out.op)));
            EXPECT_EQ(out.value.dtype, x.dtype);
            EXPECT_EQ(out.value.rows, axis == ReduceAxis::axis1 ? x.rows : 1);
            EXPECT_EQ(out.value.cols, axis == ReduceAxis::axis0 ? x.cols : 1);
            expect_matches(out.op, x, axis, out.value, c.at(std::string(reduce_op_name(out.op))).get<std::vector<double>>());
        }
        ++cases;
    }
    EXPECT_EQ(cases, 36);
}

TEST(Reduce, OutputsFollowTheRequestedOrder) {
    const Matrix x = Matrix::from_f64(2, 2, {1, -2, 3, 4});
    const auto outputs = reduce(x, ReduceAxis::all, {ReduceOp::max, ReduceOp::sum});
    ASSERT_EQ(outputs.size(), 2U);
    EXPECT_EQ(outputs[0].op, ReduceOp::max);
    EXPECT_EQ(outputs[0].value.f64, std::vector<double>{4});
    EXPECT_EQ(outputs[1].op, ReduceOp::sum);
    EXPECT_EQ(outputs[1].value.f64, std::vector<double>{6});
}

TEST(Reduce, ExactValuesOnSmallIntegers) {
    const Matrix x = Matrix::from_f32(2, 3, {3, 4, 0, -1, 2, 2});
    const auto by_column = reduce(x, ReduceAxis::axis0, {ReduceOp::sum, ReduceOp::mean, ReduceOp::l2});
    EXPECT_EQ(by_column[0].value.f32, (std::vector<float>{2, 6, 2}));
    EXPECT_EQ(by_column[1].value.f32, (std::vector<float>{1, 3, 1}));
    EXPECT_EQ(by_column[2].value.f32[1], std::sqrt(20.0F));
    const auto by_row = reduce(x, ReduceAxis::axis1, {ReduceOp::l2, ReduceOp::min});
    EXPECT_EQ(by_row[0].value.f32, (std::vector<float>{5, 3}));
    EXPECT_EQ(by_row[1].value.f32, (std::vector<float>{0, -1}));
}

// Partials over unit-aligned row ranges, merged in row order.
ReducePartial merged(const Matrix& x, ReduceAxis axis, const std::vector<std::int64_t>& cuts) {
    ReducePartial whole = reduce_partial(x, axis, 0, cuts.front());
    for (std::size_t i = 0; i + 1 < cuts.size(); ++i) merge_reduce_partial(whole, reduce_partial(x, axis, cuts[i], cuts[i + 1] - cuts[i]));
    return whole;
}

TEST(Reduce, MergedPartialsGiveTheBitsOfTheWhole) {
    constexpr std::int64_t u = kReduceUnitRows;
    for (DType dtype : {DType::f32, DType::f64}) {
        const Matrix x = random_matrix(16 * u + 37, 13, dtype, 51);
        // 1, 2, 3 and 16 shards; the last ends at x.rows.
        const std::vector<std::vector<std::int64_t>> splits = {
            {x.rows}, {8 * u, x.rows}, {5 * u, 11 * u, x.rows},
            {u, 2 * u, 3 * u, 4 * u, 5 * u, 6 * u, 7 * u, 8 * u, 9 * u, 10 * u, 11 * u, 12 * u, 13 * u, 14 * u, 15 * u, x.rows}};
        for (ReduceAxis axis : {ReduceAxis::axis0, ReduceAxis::axis1, ReduceAxis::all}) {
            const auto whole = reduce(x, axis, kAllOps);
            for (const auto& cuts : splits) {
                const auto parts = finalize_reduce(merged(x, axis, cuts), kAllOps);
                for (std::size_t k = 0; k < kAllOps.size(); ++k) {
                    EXPECT_TRUE(bit_identical(whole[k].value, parts[k].value))
                        << dtype_name(dtype) << " axis " << static_cast<int>(axis) << ", " << cuts.size() << " shards, "
                        << reduce_op_name(kAllOps[k]);
                }
            }
        }
    }
}

TEST(Reduce, SumOrderIsTheDocumentedOne) {
    // axis1: element j goes to lane j mod 8 and the lanes combine as ((0+1)+(2+3))+((4+5)+(6+7)). Element 8
    // (a 1) meets 1e16 in lane 0 and is lost to rounding; the other ones survive. A left-to-right sum
    // would lose all eight.
    std::vector<double> row = {1e16, 1, 1, 1, 1, 1, 1, 1, 1};
    const auto out = reduce(Matrix::from_f64(1, 9, row), ReduceAxis::axis1, {ReduceOp::sum});
    const double lane0 = 1e16 + 1.0;
    const double expected = ((lane0 + 1.0) + (1.0 + 1.0)) + ((1.0 + 1.0) + (1.0 + 1.0));
    EXPECT_EQ(out[0].value.f64[0], expected);
}

// ---- Validation ------------------------------------------------------------------------------------

template <typename F>
std::string invalid_message(F&& f) {
    try {
        f();
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "no std::invalid_argument";
}

TEST(ReduceValidation, RejectsBadOpsAndOperands) {
    const Matrix x = Matrix::zeros(2, 2, DType::f64);
    EXPECT_THAT(invalid_message([&] { (void)reduce(x, ReduceAxis::all, {}); }), HasSubstr("reduce: ops must name at least one"));
    EXPECT_THAT(invalid_message([&] { (void)reduce(x, ReduceAxis::all, {ReduceOp::sum, ReduceOp::l2, ReduceOp::sum}); }),
                HasSubstr("reduce: ops names sum more than once"));
    EXPECT_THAT(invalid_message([&] { (void)reduce(Matrix{-1, 2, DType::f64, {}, {}}, ReduceAxis::all, {ReduceOp::sum}); }),
                HasSubstr("x: rows must be > 0 (got -1)"));
    EXPECT_THAT(invalid_message([&] { (void)reduce(Matrix::from_f32(1, 2, {1, std::nanf("")}), ReduceAxis::axis0, {ReduceOp::max}); }),
                HasSubstr("x: element (0, 1) is not finite"));
    TensorOptions small;
    small.max_elements = 3;
    EXPECT_THAT(invalid_message([&] { (void)reduce(x, ReduceAxis::all, {ReduceOp::sum}, small); }),
                HasSubstr("x: rows * cols (2 x 2) exceeds max_elements 3"));
}

TEST(ReduceValidation, RejectsRangesOffUnitBoundaries) {
    const Matrix x = Matrix::zeros(600, 2, DType::f64);
    const auto message = [&](std::int64_t first, std::int64_t count) {
        return invalid_message([&] { (void)reduce_partial(x, ReduceAxis::axis0, first, count); });
    };
    EXPECT_THAT(message(-256, 256), HasSubstr("reduce: first_row (-256) must be in [0, x.rows = 600)"));
    EXPECT_THAT(message(0, 0), HasSubstr("reduce: row_count (0) must be in [1, x.rows - first_row = 600]"));
    EXPECT_THAT(message(256, 400), HasSubstr("reduce: row_count (400) must be in [1, x.rows - first_row = 344]"));
    EXPECT_THAT(message(100, 156), HasSubstr("reduce: rows [100, 256) must start and end on a unit boundary"));
    EXPECT_THAT(message(0, 300), HasSubstr("reduce: rows [0, 300) must start and end on a unit boundary"));
    EXPECT_EQ(reduce_partial(x, ReduceAxis::axis0, 512, 88).row_count, 88);
}

TEST(ReduceValidation, RejectsPartialsThatDoNotFit) {
    const Matrix x = Matrix::zeros(600, 2, DType::f64);
    ReducePartial first = reduce_partial(x, ReduceAxis::axis0, 0, 256);
    EXPECT_THAT(invalid_message([&] { merge_reduce_partial(first, reduce_partial(x, ReduceAxis::axis0, 512, 88)); }),
                HasSubstr("reduce: the next partial must start at row 256, not 512"));
    EXPECT_THAT(invalid_message([&] { merge_reduce_partial(first, reduce_partial(x, ReduceAxis::axis1, 256, 256)); }),
                HasSubstr("reduce: partials to merge must come from the same matrix and axis"));
    EXPECT_THAT(invalid_message([&] { (void)finalize_reduce(first, {ReduceOp::sum}); }),
                HasSubstr("reduce: the partial covers rows [0, 256), not all 600 rows"));
}

}  // namespace
}  // namespace forgehive::kernels::tensor
