// Unit tests for solve: the NumPy (LAPACK dgesv) reference within a condition-scaled bound, the backward
// error and condition estimate, singular and indefinite systems, and validation of every malformed input.
#include "forgehive/kernels/tensor/solve.hpp"

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

SolveMethod method_of(const nlohmann::json& c) {
    return c.at("method").get<std::string>() == "cholesky" ? SolveMethod::cholesky : SolveMethod::lu;
}

double max_abs(const std::vector<double>& v) {
    double m = 0;
    for (double x : v) m = std::fmax(m, std::fabs(x));
    return m;
}

// Forward error bound: ||x - x_ref||_inf <= (c n cond_1(A) u64 + u(dtype)) ||x_ref||_inf, where u(dtype)
// covers the final rounding of an f32 x and c = 16 is slack for both solvers' growth factors.
void expect_close_to_numpy(const nlohmann::json& c, const SolveResult& r) {
    const auto expected = c.at("x").get<std::vector<double>>();
    const double n = static_cast<double>(r.x.rows);
    const double bound = (16.0 * n * c.at("cond").get<double>() * 0x1p-53 + 2 * testing::unit_roundoff(r.x.dtype)) * max_abs(expected);
    ASSERT_EQ(static_cast<std::size_t>(r.x.size()), expected.size());
    for (std::int64_t i = 0; i < r.x.rows; ++i) {
        for (std::int64_t j = 0; j < r.x.cols; ++j) {
            EXPECT_LE(std::fabs(r.x.at(i, j) - expected[static_cast<std::size_t>(i * r.x.cols + j)]), bound) << i << ", " << j;
        }
    }
    // LU with partial pivoting and Cholesky are normwise backward stable: the backward error is a small
    // multiple of the unit roundoff of the dtype x is returned in.
    EXPECT_LE(r.residual, 4.0 * n * testing::unit_roundoff(r.x.dtype));
    // The estimate is a lower bound of cond_1, rarely more than 3 times too small.
    const double cond_estimate = 1.0 / r.rcond;
    EXPECT_LE(cond_estimate, c.at("cond").get<double>() * (1 + 1e-9));
    EXPECT_GE(cond_estimate, c.at("cond").get<double>() / 10.0);
}

TEST(Solve, MatchesNumPyAndReportsSingularSystems) {
    int solved = 0;
    int refused = 0;
    for (const auto& c : fixtures().at("solve")) {
        SCOPED_TRACE(c.at("name").get<std::string>());
        const Matrix a = matrix_from_json(c.at("a"));
        const Matrix b = matrix_from_json(c.at("b"));
        const auto expect = c.at("expect").get<std::string>();
        if (expect == "ok") {
            const SolveResult r = solve(a, b, method_of(c));
            EXPECT_EQ(r.x.dtype, a.dtype);
            EXPECT_EQ(r.x.cols, b.cols);
            expect_close_to_numpy(c, r);
            ++solved;
            continue;
        }
        try {
            (void)solve(a, b, method_of(c));
            ADD_FAILURE() << "solved a system expected to be " << expect;
        } catch (const std::domain_error& e) {
            EXPECT_THAT(e.what(), HasSubstr(expect == "singular" ? "singular" : "not positive definite"));
            ++refused;
        }
    }
    EXPECT_EQ(solved, 12);
    EXPECT_EQ(refused, 5);
}

TEST(Solve, ExactZeroPivotNamesTheColumn) {
    const Matrix a = Matrix::from_f64(3, 3, {1, 2, 3, 2, 4, 6, 1, 1, 1});
    const Matrix b = Matrix::from_f64(3, 1, {1, 2, 3});
    try {
        (void)solve(a, b);
        ADD_FAILURE() << "solved a singular system";
    } catch (const std::domain_error& e) {
        EXPECT_THAT(e.what(), HasSubstr("solve: a is singular: zero pivot in column 2 of the LU factorisation"));
    }
}

TEST(Solve, NumericallySingularBelowMinRcond) {
    const Matrix a = Matrix::from_f64(2, 2, {1, 1, 1, 1 + 0x1p-40});
    const Matrix b = Matrix::from_f64(2, 1, {2, 2});
    EXPECT_NO_THROW((void)solve(a, b));
    TensorOptions strict;
    strict.min_rcond = 1e-6;
    try {
        (void)solve(a, b, SolveMethod::lu, strict);
        ADD_FAILURE() << "solved an ill-conditioned system";
    } catch (const std::domain_error& e) {
        EXPECT_THAT(e.what(), HasSubstr("numerically singular: reciprocal condition estimate"));
        EXPECT_THAT(e.what(), HasSubstr("below min_rcond 1.000e-06"));
    }
}

TEST(Solve, LuAndCholeskyAgreeOnAnSpdSystemAndKnownSolution) {
    // A = [[4, 2], [2, 3]], x = [1, -2] -> b = [0, -4]; both methods recover x to rounding.
    const Matrix a = Matrix::from_f64(2, 2, {4, 2, 2, 3});
    const Matrix b = Matrix::from_f64(2, 1, {0, -4});
    for (SolveMethod method : {SolveMethod::lu, SolveMethod::cholesky}) {
        const SolveResult r = solve(a, b, method);
        EXPECT_NEAR(r.x.f64[0], 1.0, 1e-15);
        EXPECT_NEAR(r.x.f64[1], -2.0, 1e-15);
        EXPECT_LE(r.residual_norm, 1e-15);
        // cond_1 = ||A||_1 ||A^-1||_1 = 6 * (6 / 8) = 4.5: exact for a 2 x 2 matrix.
        EXPECT_NEAR(1.0 / r.rcond, 4.5, 1e-12);
    }
}

TEST(Solve, RepeatedCallsGiveIdenticalBits) {
    const Matrix a = random_matrix(60, 60, DType::f64, 41);
    const Matrix b = random_matrix(60, 4, DType::f64, 42);
    const SolveResult first = solve(a, b);
    const SolveResult second = solve(a, b);
    EXPECT_TRUE(bit_identical(first.x, second.x));
    EXPECT_EQ(first.residual, second.residual);
    EXPECT_EQ(first.rcond, second.rcond);
}

TEST(Solve, F32SystemIsSolvedInF64AndRounded) {
    const Matrix a = Matrix::from_f32(2, 2, {3, 1, 1, 2});
    const Matrix b = Matrix::from_f32(2, 1, {1, 0});
    const SolveResult r = solve(a, b);
    ASSERT_EQ(r.x.dtype, DType::f32);
    EXPECT_EQ(r.x.f32[0], static_cast<float>(2.0 / 5.0));
    EXPECT_EQ(r.x.f32[1], static_cast<float>(-1.0 / 5.0));
}

// ---- Validation ------------------------------------------------------------------------------------

std::string invalid_message(const Matrix& a, const Matrix& b, SolveMethod method = SolveMethod::lu,
                            const TensorOptions& options = {}) {
    try {
        (void)solve(a, b, method, options);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "no std::invalid_argument";
}

TEST(SolveValidation, RejectsMalformedSystems) {
    const Matrix a = Matrix::zeros(3, 3, DType::f64);
    EXPECT_THAT(invalid_message(Matrix::zeros(2, 3, DType::f64), Matrix::zeros(2, 1, DType::f64)),
                HasSubstr("solve: a must be square (got 2 x 3)"));
    EXPECT_THAT(invalid_message(a, Matrix::zeros(2, 1, DType::f64)), HasSubstr("solve: b.rows (2) must equal a.rows (3)"));
    EXPECT_THAT(invalid_message(a, Matrix::zeros(3, 1, DType::f32)),
                HasSubstr("solve: a and b must have the same dtype (a is f64, b is f32)"));
    EXPECT_THAT(invalid_message(Matrix{3, 0, DType::f64, {}, {}}, Matrix::zeros(3, 1, DType::f64)),
                HasSubstr("a: cols must be > 0 (got 0)"));
    EXPECT_THAT(invalid_message(a, Matrix::from_f64(3, 1, {1, std::nan(""), 2})), HasSubstr("b: element (1, 0) is not finite"));
    TensorOptions small;
    small.max_solve_dimension = 2;
    EXPECT_THAT(invalid_message(a, Matrix::zeros(3, 1, DType::f64), SolveMethod::lu, small),
                HasSubstr("solve: a is 3 x 3, larger than max_solve_dimension 2"));
}

TEST(SolveValidation, CholeskyNeedsASymmetricMatrix) {
    const Matrix a = Matrix::from_f64(2, 2, {4, 1, 1.001, 3});
    EXPECT_THAT(invalid_message(a, Matrix::zeros(2, 1, DType::f64), SolveMethod::cholesky),
                HasSubstr("solve: cholesky needs a symmetric a, but a(1, 0) = 1.001 and a(0, 1) = 1"));
    // Within 64 ulps the halves count as equal (an A^T A product computed in floating point).
    const Matrix nearly = Matrix::from_f64(2, 2, {4, 1, std::nextafter(1.0, 2.0), 3});
    EXPECT_NO_THROW((void)solve(nearly, Matrix::zeros(2, 1, DType::f64), SolveMethod::cholesky));
}

TEST(SolveValidation, CholeskyRefusesAnIndefiniteMatrix) {
    const Matrix a = Matrix::from_f64(3, 3, {4, 2, 0, 2, 1, 0, 0, 0, 1});
    try {
        (void)solve(a, Matrix::zeros(3, 1, DType::f64), SolveMethod::cholesky);
        ADD_FAILURE() << "factorised a semidefinite matrix";
    } catch (const std::domain_error& e) {
        EXPECT_THAT(e.what(), HasSubstr("solve: a is not positive definite: pivot 1 of the Cholesky factorisation is not positive"));
    }
}

}  // namespace
}  // namespace forgehive::kernels::tensor
