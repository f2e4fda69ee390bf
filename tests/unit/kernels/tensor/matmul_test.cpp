// Unit tests for matmul: the NumPy reference within the documented error bound, each element equal to its
// fma chain, bit-identical row shards and ISA builds, and validation of every malformed input.
#include "forgehive/kernels/tensor/matmul.hpp"

#include "tensor_test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

namespace forgehive::kernels::tensor {
namespace {

using ::testing::HasSubstr;
using testing::bit_identical;
using testing::fixtures;
using testing::matrix_from_json;
using testing::random_matrix;

// The definition in docs/tensor-kernels.md, written the plain way: c_ij = fma chain over k ascending from +0.
template <typename T>
std::vector<T> fma_chain_product(const std::vector<T>& a, const std::vector<T>& b, std::int64_t m, std::int64_t k, std::int64_t n) {
    std::vector<T> c(static_cast<std::size_t>(m * n));
    for (std::int64_t i = 0; i < m; ++i) {
        for (std::int64_t j = 0; j < n; ++j) {
            T acc = 0;
            for (std::int64_t p = 0; p < k; ++p) acc = std::fma(a[static_cast<std::size_t>(i * k + p)], b[static_cast<std::size_t>(p * n + j)], acc);
            c[static_cast<std::size_t>(i * n + j)] = acc;
        }
    }
    return c;
}

Matrix reference_chain(const Matrix& a, const Matrix& b) {
    if (a.dtype == DType::f32) return Matrix::from_f32(a.rows, b.cols, fma_chain_product(a.f32, b.f32, a.rows, a.cols, b.cols));
    return Matrix::from_f64(a.rows, b.cols, fma_chain_product(a.f64, b.f64, a.rows, a.cols, b.cols));
}

std::vector<KernelIsa> supported_isas() {
    std::vector<KernelIsa> out;
    for (KernelIsa isa : {KernelIsa::generic, KernelIsa::avx2, KernelIsa::avx512}) {
        if (kernel_isa_supported(isa)) out.push_back(isa);
    }
    return out;
}

TensorOptions with_isa(KernelIsa isa) {
    TensorOptions options;
    options.isa = isa;
    return options;
}

// Concatenates matmul_rows over `shards` nearly equal row ranges.
Matrix sharded_product(const Matrix& a, const Matrix& b, std::int64_t shards, const TensorOptions& options) {
    Matrix c = Matrix::zeros(a.rows, b.cols, a.dtype);
    for (std::int64_t s = 0; s < shards; ++s) {
        const std::int64_t first = a.rows * s / shards;
        const std::int64_t count = a.rows * (s + 1) / shards - first;
        if (count == 0) continue;
        const Matrix part = matmul_rows(a, b, first, count, options);
        if (a.dtype == DType::f32) {
            std::copy(part.f32.begin(), part.f32.end(), c.f32.begin() + first * b.cols);
        } else {
            std::copy(part.f64.begin(), part.f64.end(), c.f64.begin() + first * b.cols);
        }
    }
    return c;
}

struct Shape {
    std::int64_t m, k, n;
};

// Edges of every tile shape (6 x 64, 6 x 32, 6 x 16, 6 x 8, 4 x 4), two and three 512-deep k-blocks,
// more than one 144-row block, 1 x N and N x 1.
const std::vector<Shape> kShapes = {{1, 1, 1}, {1, 300, 70}, {150, 9, 1}, {37, 1030, 71}, {151, 513, 65}, {16, 16, 16}};

TEST(Matmul, MatchesNumPyWithinTheErrorBound) {
    // |c - c_numpy| <= (gamma_k(dtype) + gamma_k(f64)) (|A||B|)_ij: both results are within gamma_k |A||B| of
    // the exact product (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., §3.5).
    int cases = 0;
    for (const auto& c : fixtures().at("matmul")) {
        SCOPED_TRACE(c.at("name").get<std::string>());
        const Matrix a = matrix_from_json(c.at("a"));
        const Matrix b = matrix_from_json(c.at("b"));
        const auto expected = c.at("c").get<std::vector<double>>();
        const Matrix product = matmul(a, b);
        ASSERT_EQ(product.rows, a.rows);
        ASSERT_EQ(product.cols, b.cols);
        ASSERT_EQ(product.dtype, a.dtype);
        const double k = static_cast<double>(a.cols);
        const auto gamma = [k](double u) { return k * u / (1.0 - k * u); };
        const double bound = gamma(testing::unit_roundoff(a.dtype)) + gamma(0x1p-53);
        for (std::int64_t i = 0; i < a.rows; ++i) {
            for (std::int64_t j = 0; j < b.cols; ++j) {
                double magnitude = 0;
                for (std::int64_t p = 0; p < a.cols; ++p) magnitude += std::fabs(a.at(i, p) * b.at(p, j));
                const double want = expected[static_cast<std::size_t>(i * b.cols + j)];
                ASSERT_LE(std::fabs(product.at(i, j) - want), bound * magnitude + 1e-300) << "element " << i << ", " << j;
            }
        }
        ++cases;
    }
    EXPECT_EQ(cases, 14);
}

TEST(Matmul, EveryElementIsItsFmaChainInEveryIsaBuild) {
    for (KernelIsa isa : supported_isas()) {
        for (DType dtype : {DType::f32, DType::f64}) {
            for (const Shape& s : kShapes) {
                SCOPED_TRACE(::testing::Message() << kernel_isa_name(isa) << " " << dtype_name(dtype) << " " << s.m << "x" << s.k << "x" << s.n);
                const Matrix a = random_matrix(s.m, s.k, dtype, 11);
                const Matrix b = random_matrix(s.k, s.n, dtype, 12);
                EXPECT_TRUE(bit_identical(reference_chain(a, b), matmul(a, b, with_isa(isa))));
            }
        }
    }
}

TEST(Matmul, RowShardsGiveTheBitsOfTheWholeProduct) {
    for (DType dtype : {DType::f32, DType::f64}) {
        for (const Shape& s : {Shape{37, 300, 71}, Shape{151, 513, 65}, Shape{16, 16, 16}}) {
            SCOPED_TRACE(::testing::Message() << dtype_name(dtype) << " " << s.m << "x" << s.k << "x" << s.n);
            const Matrix a = random_matrix(s.m, s.k, dtype, 21);
            const Matrix b = random_matrix(s.k, s.n, dtype, 22);
            const Matrix whole = matmul(a, b);
            for (std::int64_t shards : {1, 2, 3, 16}) {
                EXPECT_TRUE(bit_identical(whole, sharded_product(a, b, shards, {}))) << shards << " shards";
            }
        }
    }
}

TEST(Matmul, ShardsOnDifferentIsaBuildsStillAgree) {
    const Matrix a = random_matrix(40, 290, DType::f32, 31);
    const Matrix b = random_matrix(290, 33, DType::f32, 32);
    const Matrix whole = matmul(a, b, with_isa(KernelIsa::generic));
    Matrix mixed = Matrix::zeros(a.rows, b.cols, DType::f32);
    const auto isas = supported_isas();
    for (std::size_t s = 0; s < 4; ++s) {
        const Matrix part = matmul_rows(a, b, static_cast<std::int64_t>(s) * 10, 10, with_isa(isas[s % isas.size()]));
        std::copy(part.f32.begin(), part.f32.end(), mixed.f32.begin() + static_cast<std::ptrdiff_t>(s * 10 * 33));
    }
    EXPECT_TRUE(bit_identical(whole, mixed));
}

TEST(Matmul, ExactProductsOfSmallIntegers) {
    const Matrix a = Matrix::from_f64(2, 3, {1, 2, 3, 4, 5, 6});
    const Matrix b = Matrix::from_f64(3, 2, {7, 8, 9, 10, 11, 12});
    EXPECT_EQ(matmul(a, b).f64, (std::vector<double>{58, 64, 139, 154}));
    const Matrix af = Matrix::from_f32(1, 2, {-1.5F, 2.0F});
    const Matrix bf = Matrix::from_f32(2, 1, {4.0F, 0.25F});
    EXPECT_EQ(matmul(af, bf).f32, (std::vector<float>{-5.5F}));
}

TEST(Matmul, BestIsaIsTheWidestSupported) {
    const KernelIsa best = resolve_kernel_isa(KernelIsa::best);
    EXPECT_TRUE(kernel_isa_supported(best));
    EXPECT_NE(best, KernelIsa::best);
    if (kernel_isa_supported(KernelIsa::avx512)) {
        EXPECT_EQ(best, KernelIsa::avx512);
    }
    EXPECT_EQ(resolve_kernel_isa(KernelIsa::generic), KernelIsa::generic);
}

// ---- Validation ------------------------------------------------------------------------------------

void expect_invalid(const Matrix& a, const Matrix& b, const std::string& fragment, const TensorOptions& options = {}) {
    try {
        (void)matmul(a, b, options);
        ADD_FAILURE() << "no exception; wanted: " << fragment;
    } catch (const std::invalid_argument& e) {
        EXPECT_THAT(e.what(), HasSubstr(fragment));
    }
}

TEST(MatmulValidation, RejectsMalformedOperands) {
    const Matrix ok = Matrix::zeros(2, 2, DType::f64);
    expect_invalid(Matrix{0, 2, DType::f64, {}, {}}, ok, "a: rows must be > 0 (got 0)");
    expect_invalid(ok, Matrix{2, -1, DType::f64, {}, {}}, "b: cols must be > 0 (got -1)");
    expect_invalid(Matrix{2, 2, DType::f64, {}, {1, 2, 3}}, ok, "a: f64 data holds 3 elements, rows * cols is 4");
    expect_invalid(ok, Matrix{2, 2, DType::f32, {1, 2, 3, 4}, {5}}, "b: dtype is f32, but the other storage holds 1 elements");
    expect_invalid(Matrix::from_f64(2, 2, {1, std::nan(""), 3, 4}), ok, "a: element (0, 1) is not finite");
    expect_invalid(ok, Matrix::from_f64(2, 2, {1, 2, 3, -std::numeric_limits<double>::infinity()}), "b: element (1, 1) is not finite");
    expect_invalid(ok, Matrix::from_f32(2, 2, {1, 2, 3, std::numeric_limits<float>::infinity()}), "b: element (1, 1) is not finite");
}

TEST(MatmulValidation, RejectsMismatchedOperands) {
    expect_invalid(Matrix::zeros(2, 3, DType::f64), Matrix::zeros(2, 3, DType::f64), "matmul: a.cols (3) must equal b.rows (2)");
    expect_invalid(Matrix::zeros(2, 2, DType::f32), Matrix::zeros(2, 2, DType::f64),
                   "matmul: a and b must have the same dtype (a is f32, b is f64)");
}

TEST(MatmulValidation, RejectsOversizeOperandsAndResults) {
    TensorOptions options;
    options.max_elements = 12;
    expect_invalid(Matrix::zeros(13, 1, DType::f64), Matrix::zeros(1, 1, DType::f64), "a: rows * cols (13 x 1) exceeds max_elements 12", options);
    expect_invalid(Matrix::zeros(4, 1, DType::f64), Matrix::zeros(1, 4, DType::f64),
                   "matmul: c = a.rows x b.cols (4 x 4) exceeds max_elements 12", options);
    // rows * cols that overflows int64 is caught before any multiplication.
    expect_invalid(Matrix{std::int64_t{1} << 40, std::int64_t{1} << 40, DType::f64, {}, {}}, Matrix::zeros(1, 1, DType::f64),
                   "exceeds max_elements");
}

TEST(MatmulValidation, RejectsRowRangesOutsideA) {
    const Matrix a = Matrix::zeros(4, 2, DType::f64);
    const Matrix b = Matrix::zeros(2, 3, DType::f64);
    const auto message = [&](std::int64_t first, std::int64_t count) {
        try {
            (void)matmul_rows(a, b, first, count);
        } catch (const std::invalid_argument& e) {
            return std::string(e.what());
        }
        return std::string("no exception");
    };
    EXPECT_THAT(message(-1, 1), HasSubstr("first_row (-1) must be in [0, a.rows = 4)"));
    EXPECT_THAT(message(4, 1), HasSubstr("first_row (4) must be in [0, a.rows = 4)"));
    EXPECT_THAT(message(1, 0), HasSubstr("row_count (0) must be in [1, a.rows - first_row = 3]"));
    EXPECT_THAT(message(1, 4), HasSubstr("row_count (4) must be in [1, a.rows - first_row = 3]"));
    EXPECT_EQ(matmul_rows(a, b, 3, 1).rows, 1);
}

}  // namespace
}  // namespace forgehive::kernels::tensor
