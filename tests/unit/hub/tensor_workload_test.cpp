// tensor Workloads: unit ranges grouped into shards in any way merge to the same output bytes, which carry
// the kernels' bits; rendering forms; a singular solve fails the job with execution_failed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fmt/format.h>
#include <limits>

#include "forgehive/crypto/hash.hpp"
#include "forgehive/hub/hub.hpp"
#include "forgehive/hub/tensor_workload.hpp"
#include "forgehive/kernels/tensor/matmul.hpp"
#include "unit/kernels/tensor/tensor_test_support.hpp"

namespace forgehive::hub {
namespace {

namespace kt = kernels::tensor;
using kt::testing::bit_identical;
using kt::testing::fixtures;
using kt::testing::matrix_from_json;
using kt::testing::random_matrix;
using nlohmann::ordered_json;
using ::testing::HasSubstr;

constexpr std::uint64_t kUnitsPerCall = 16;  // the most units the hub passes to one run() call

// Runs each shard [bounds[k], bounds[k + 1]) in calls of at most kUnitsPerCall units, merges the calls, then
// the shards, in unit order: what the hub does for one agent count.
std::unique_ptr<PartialResult> run_split(const Workload& w, const std::vector<std::uint64_t>& bounds) {
    std::unique_ptr<PartialResult> total;
    for (std::size_t k = 0; k + 1 < bounds.size(); ++k) {
        std::unique_ptr<PartialResult> shard;
        for (auto u = bounds[k]; u < bounds[k + 1]; u += kUnitsPerCall) {
            auto part = w.run(u, std::min(kUnitsPerCall, bounds[k + 1] - u));
            if (shard) {
                shard->merge(*part);
            } else {
                shard = std::move(part);
            }
        }
        if (total) {
            total->merge(*shard);
        } else {
            total = std::move(shard);
        }
    }
    return total;
}

// Shard splits for 1, 2, 3 and 16 agents, and every unit on its own.
std::vector<std::vector<std::uint64_t>> splits(std::uint64_t units) {
    std::vector<std::vector<std::uint64_t>> out;
    for (std::size_t agents : {1, 2, 3, 16}) out.push_back(shard_bounds(units, std::min<std::uint64_t>(agents, units)));
    std::vector<std::uint64_t> each(units + 1);
    for (std::uint64_t u = 0; u <= units; ++u) each[u] = u;
    out.push_back(each);
    return out;
}

// The bytes of the blob `id` among `blobs`.
std::string blob_bytes(const std::vector<OutputBlob>& blobs, const std::string& id) {
    for (const auto& blob : blobs)
        if (blob.id == id) return *blob.bytes;
    ADD_FAILURE() << "no blob " << id;
    return {};
}

// The matrix an output member describes, from either form (a reference is looked up in `blobs`).
kt::Matrix from_output(const ordered_json& j, const std::vector<OutputBlob>& blobs = {}) {
    const auto rows = j.at("shape").at(0).get<std::int64_t>();
    const auto cols = j.at("shape").size() == 2 ? j.at("shape").at(1).get<std::int64_t>() : 1;
    const auto dtype = j.at("dtype") == "f32" ? kt::DType::f32 : kt::DType::f64;
    if (j.contains("data")) {
        const auto data = j.at("data").get<std::vector<double>>();
        if (dtype == kt::DType::f64) return kt::Matrix::from_f64(rows, cols, data);
        return kt::Matrix::from_f32(rows, cols, std::vector<float>(data.begin(), data.end()));
    }
    const auto bytes = blob_bytes(blobs, j.at("artifact").get<std::string>());
    EXPECT_EQ(fmt::format("sha256:{}", crypto::sha256_hex(bytes)), j.at("artifact"));
    EXPECT_EQ(j.at("bytes"), bytes.size());
    auto m = kt::Matrix::zeros(rows, cols, dtype);
    EXPECT_EQ(bytes.size(), static_cast<std::size_t>(m.size()) * (dtype == kt::DType::f32 ? 4 : 8));
    std::memcpy(dtype == kt::DType::f32 ? static_cast<void*>(m.f32.data()) : static_cast<void*>(m.f64.data()),
                bytes.data(), bytes.size());
    return m;
}

struct Output {
    ordered_json json;
    std::vector<OutputBlob> blobs;
};

// Every split gives the output and blobs of the first, byte for byte; returns them.
Output split_invariant_output(const Workload& w) {
    const auto all = splits(w.unit_count());
    const auto first = run_split(w, all.front());
    Output expected{first->output(), first->output_blobs()};
    for (const auto& bounds : all) {
        const auto merged = run_split(w, bounds);
        EXPECT_EQ(merged->output().dump(), expected.json.dump()) << bounds.size() - 1 << " shards";
        const auto blobs = merged->output_blobs();
        EXPECT_EQ(blobs.size(), expected.blobs.size());
        for (std::size_t i = 0; i < std::min(blobs.size(), expected.blobs.size()); ++i)
            EXPECT_TRUE(*blobs[i].bytes == *expected.blobs[i].bytes) << bounds.size() - 1 << " shards";
    }
    return expected;
}

std::vector<std::string> keys(const ordered_json& j) {
    std::vector<std::string> out;
    for (const auto& [key, value] : j.items()) out.push_back(key);
    return out;
}

TEST(TensorWorkload, MatmulSplitsMergeToTheKernelBits) {
    for (auto dtype : {kt::DType::f32, kt::DType::f64}) {
        const auto a = random_matrix(1000, 20, dtype, 1);
        const auto b = random_matrix(20, 30, dtype, 2);
        auto w = make_matmul_workload(a, b, {});
        EXPECT_EQ(w->unit_count(), 16u);  // ceil(1000 / 64)
        EXPECT_EQ(w->unit_size(), static_cast<std::uint64_t>(kMatmulUnitRows));
        EXPECT_EQ(w->work_in(0, 16), 1000u * 20u * 30u);
        EXPECT_EQ(w->work_in(15, 1), 40u * 20u * 30u);

        const auto [out, blobs] = split_invariant_output(*w);
        EXPECT_EQ(keys(out), (std::vector<std::string>{"c", "c_hash"}));
        const auto whole = kt::matmul(a, b);
        EXPECT_TRUE(out["c"].contains("artifact"));  // 30000 elements
        EXPECT_TRUE(bit_identical(whole, from_output(out["c"], blobs)));
        EXPECT_EQ(out["c_hash"], matrix_sha256(whole));
        EXPECT_EQ(out["c"]["artifact"], out["c_hash"]);
    }
}

TEST(TensorWorkload, ShardHashesDoNotDependOnTheCallsInside) {
    auto w = make_matmul_workload(random_matrix(700, 9, kt::DType::f64, 3), random_matrix(9, 5, kt::DType::f64, 4), {});
    const auto at_once = w->run(2, 7)->canonical();
    std::vector<std::uint64_t> one_by_one = {2, 3, 4, 5, 6, 7, 8, 9};
    EXPECT_EQ(run_split(*w, one_by_one)->canonical(), at_once);
    EXPECT_EQ(at_once.at("first_row"), 128);
    EXPECT_EQ(at_once.at("rows"), 7 * 64);
    EXPECT_LT(at_once.dump().size(), 200u);  // sizes and a hash, not the rows
}

// NumPy's products agree within the GEMM error bound (docs/tensor-kernels.md), and the workload gives
// the kernel's bits.
TEST(TensorWorkload, MatmulMatchesTheNumPyFixtures) {
    for (const auto& c : fixtures().at("matmul")) {
        const auto a = matrix_from_json(c.at("a"));
        const auto b = matrix_from_json(c.at("b"));
        const auto [out, blobs] = split_invariant_output(*make_matmul_workload(a, b, {}));
        const auto got = from_output(out["c"], blobs);
        EXPECT_TRUE(bit_identical(kt::matmul(a, b), got)) << c.at("name");
        const auto expected = c.at("c").get<std::vector<double>>();
        const auto k = static_cast<double>(a.cols);
        const double u = kt::testing::unit_roundoff(a.dtype);
        const double gamma = k * u / (1 - k * u) + k * 0x1p-53 / (1 - k * 0x1p-53);
        for (std::int64_t i = 0; i < got.rows; ++i) {
            for (std::int64_t j = 0; j < got.cols; ++j) {
                double magnitude = 0;
                for (std::int64_t p = 0; p < a.cols; ++p) magnitude += std::fabs(a.at(i, p)) * std::fabs(b.at(p, j));
                const auto e = expected[static_cast<std::size_t>(i * got.cols + j)];
                ASSERT_LE(std::fabs(got.at(i, j) - e), gamma * magnitude)
                    << c.at("name") << " (" << i << ", " << j << ")";
            }
        }
    }
}

TEST(TensorWorkload, SmallMatricesAreDataAndLargeOrNonFiniteOnesBlobs) {
    const auto f = kt::Matrix::from_f32(1, 2, {0.1f, -0.0f});
    const auto small = render_matrix(f);
    EXPECT_EQ(small.dump(), R"({"shape":[1,2],"dtype":"f32","data":[0.10000000149011612,-0.0]})");
    EXPECT_EQ(render_matrix(kt::Matrix::from_f64(3, 1, {1, 2, 3}), true).dump(),
              R"({"shape":[3],"dtype":"f64","data":[1.0,2.0,3.0]})");

    const auto at_limit = kt::Matrix::zeros(64, 64, kt::DType::f64);
    EXPECT_TRUE(render_matrix(at_limit).contains("data"));
    const auto above = kt::Matrix::zeros(1, kInlineDataMaxElements + 1, kt::DType::f32);
    EXPECT_FALSE(matrix_blob(at_limit));
    const auto large = render_matrix(above);
    EXPECT_FALSE(large.contains("data"));
    const auto blob = matrix_blob(above);
    ASSERT_TRUE(blob);
    EXPECT_EQ(blob->bytes->size(), 4u * (kInlineDataMaxElements + 1));
    EXPECT_EQ(blob->media_type, "application/vnd.forgehive.tensor; dtype=f32; shape=1x4097");
    EXPECT_EQ(large.at("media_type"), blob->media_type);
    EXPECT_EQ(large.at("artifact"), blob->id);

    const auto overflow = kt::Matrix::from_f64(1, 2, {1, std::numeric_limits<double>::infinity()});
    EXPECT_TRUE(bit_identical(overflow, from_output(render_matrix(overflow), {*matrix_blob(overflow)})));
    EXPECT_FALSE(render_matrix(overflow).contains("data"));

    const auto bytes = std::string("\x00\x00\x80\x3f\x00\x00\x00\x40", 8);  // 1.0f, 2.0f little-endian
    EXPECT_EQ(matrix_sha256(kt::Matrix::from_f32(1, 2, {1.0f, 2.0f})),
              fmt::format("sha256:{}", crypto::sha256_hex(bytes)));
}

TEST(TensorWorkload, SolveGivesTheKernelResultAsOneUnit) {
    for (const auto& c : fixtures().at("solve")) {
        if (c.at("expect") != "ok") continue;
        const auto a = matrix_from_json(c.at("a"));
        const auto b = matrix_from_json(c.at("b"));
        const auto method = c.at("method") == "lu" ? kt::SolveMethod::lu : kt::SolveMethod::cholesky;
        auto w = make_solve_workload(a, b, method, false, {});
        EXPECT_EQ(w->unit_count(), 1u);
        const auto n = static_cast<std::uint64_t>(a.rows);
        EXPECT_EQ(w->work_in(0, 1), n * n * n + n * n * static_cast<std::uint64_t>(b.cols));
        const auto out = w->run(0, 1)->output();
        EXPECT_EQ(keys(out), (std::vector<std::string>{"x", "residual", "residual_norm", "rcond"}));
        const auto expected = kt::solve(a, b, method);
        EXPECT_TRUE(bit_identical(expected.x, from_output(out["x"]))) << c.at("name");
        EXPECT_EQ(out["residual"].get<double>(), expected.residual);
        EXPECT_EQ(out["residual_norm"].get<double>(), expected.residual_norm);
        EXPECT_EQ(out["rcond"].get<double>(), expected.rcond);
        EXPECT_EQ(w->run(0, 1)->canonical(), w->run(0, 1)->canonical());
    }
}

TEST(TensorWorkload, VectorRightHandSideGivesAVectorX) {
    auto w = make_solve_workload(kt::Matrix::from_f64(2, 2, {2, 0, 0, 4}), kt::Matrix::from_f64(2, 1, {1, 1}),
                                 kt::SolveMethod::lu, true, {});
    EXPECT_EQ(w->run(0, 1)->output()["x"].dump(), R"({"shape":[2],"dtype":"f64","data":[0.5,0.25]})");
}

TEST(TensorWorkload, SingularSystemsFailWithExecutionFailed) {
    for (const auto& c : fixtures().at("solve")) {
        if (c.at("expect") == "ok") continue;
        const auto method = c.at("method") == "lu" ? kt::SolveMethod::lu : kt::SolveMethod::cholesky;
        auto w = make_solve_workload(matrix_from_json(c.at("a")), matrix_from_json(c.at("b")), method, false, {});
        try {
            w->run(0, 1);
            ADD_FAILURE() << c.at("name") << " solved";
        } catch (const HubError& e) {
            EXPECT_EQ(e.code(), "execution_failed");
            EXPECT_THAT(e.what(), HasSubstr("tensor.solve.v1 failed: solve: a is "));
            EXPECT_THAT(e.what(), HasSubstr(c.at("expect") == "not_spd" ? "not positive definite" : "singular"))
                << e.what();
        }
    }
}

TEST(TensorWorkload, ReduceSplitsMergeToTheKernelBits) {
    const std::vector<kt::ReduceOp> ops = {kt::ReduceOp::max, kt::ReduceOp::sum, kt::ReduceOp::l2, kt::ReduceOp::mean,
                                           kt::ReduceOp::min};
    for (auto dtype : {kt::DType::f32, kt::DType::f64}) {
        const auto x = random_matrix(4133, 13, dtype, 5);
        for (auto axis : {kt::ReduceAxis::axis0, kt::ReduceAxis::axis1, kt::ReduceAxis::all}) {
            auto w = make_reduce_workload(x, axis, ops, {});
            EXPECT_EQ(w->unit_count(), 17u);  // ceil(4133 / 256)
            EXPECT_EQ(w->work_in(0, 17), 4133u * 13u);
            const auto [out, blobs] = split_invariant_output(*w);
            EXPECT_EQ(keys(out), (std::vector<std::string>{"max", "sum", "l2", "mean", "min"}));
            for (const auto& expected : kt::reduce(x, axis, ops))
                EXPECT_TRUE(bit_identical(expected.value,
                                          from_output(out[std::string(kt::reduce_op_name(expected.op))], blobs)));
        }
    }
}

TEST(TensorWorkload, KernelVersionsNameTheKernel) {
    const auto x = kt::Matrix::from_f64(1, 1, {2});
    EXPECT_EQ(make_matmul_workload(x, x, {})->kernel_versions().count("tensor.matmul"), 1u);
    EXPECT_EQ(make_solve_workload(x, x, kt::SolveMethod::lu, false, {})->kernel_versions().count("tensor.solve"), 1u);
    EXPECT_NE(make_solve_workload(x, x, kt::SolveMethod::lu, false, {})->kernel_versions(),
              make_solve_workload(x, x, kt::SolveMethod::cholesky, false, {})->kernel_versions());
    EXPECT_EQ(
        make_reduce_workload(x, kt::ReduceAxis::all, {kt::ReduceOp::sum}, {})->kernel_versions().count("tensor.reduce"),
        1u);
}

}  // namespace
}  // namespace forgehive::hub
