// Helpers shared by the tensor kernel tests: the NumPy fixture file, JSON matrices, seeded random matrices,
// and bit-for-bit comparison.
#pragma once

#include "forgehive/kernels/tensor/matrix.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace forgehive::kernels::tensor::testing {

inline const nlohmann::json& fixtures() {
    static const nlohmann::json parsed = [] {
        const auto path = std::filesystem::path(FORGEHIVE_TEST_SOURCE_DIR) / "tests/fixtures/tensor/tensor_fixtures.json";
        std::ifstream in(path);
        if (!in) throw std::runtime_error("cannot open " + path.string());
        return nlohmann::json::parse(in);
    }();
    return parsed;
}

inline DType dtype_of(const nlohmann::json& j) { return j.get<std::string>() == "f32" ? DType::f32 : DType::f64; }

// {shape: [rows, cols], dtype, data: [...]} as a Matrix; f32 values are read as double, then narrowed.
inline Matrix matrix_from_json(const nlohmann::json& j) {
    const auto rows = j.at("shape").at(0).get<std::int64_t>();
    const auto cols = j.at("shape").at(1).get<std::int64_t>();
    const auto data = j.at("data").get<std::vector<double>>();
    if (dtype_of(j.at("dtype")) == DType::f64) return Matrix::from_f64(rows, cols, data);
    return Matrix::from_f32(rows, cols, std::vector<float>(data.begin(), data.end()));
}

inline Matrix random_matrix(std::int64_t rows, std::int64_t cols, DType dtype, std::uint64_t seed) {
    std::mt19937_64 engine(seed);
    std::uniform_real_distribution<double> uniform(-1.0, 1.0);
    Matrix m = Matrix::zeros(rows, cols, dtype);
    for (std::int64_t i = 0; i < m.size(); ++i) {
        const double v = uniform(engine);
        if (dtype == DType::f32) {
            m.f32[static_cast<std::size_t>(i)] = static_cast<float>(v);
        } else {
            m.f64[static_cast<std::size_t>(i)] = v;
        }
    }
    return m;
}

// Same shape, dtype and bytes (so -0 differs from +0).
inline ::testing::AssertionResult bit_identical(const Matrix& expected, const Matrix& actual) {
    if (expected.rows != actual.rows || expected.cols != actual.cols || expected.dtype != actual.dtype) {
        return ::testing::AssertionFailure() << "shape or dtype differs: " << expected.rows << "x" << expected.cols
                                             << " vs " << actual.rows << "x" << actual.cols;
    }
    const bool same = expected.dtype == DType::f32
                          ? std::memcmp(expected.f32.data(), actual.f32.data(), expected.f32.size() * sizeof(float)) == 0
                          : std::memcmp(expected.f64.data(), actual.f64.data(), expected.f64.size() * sizeof(double)) == 0;
    if (!same) return ::testing::AssertionFailure() << "element bits differ";
    return ::testing::AssertionSuccess();
}

inline double unit_roundoff(DType dtype) {
    return dtype == DType::f32 ? 0x1p-24 : 0x1p-53;
}

}  // namespace forgehive::kernels::tensor::testing
