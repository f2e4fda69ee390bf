// tensor Workloads: partials carry raw rows (matmul), the solve result, or reduce accumulators, and their
// canonical form is sizes plus SHA-256 of the raw bytes, never the numbers themselves as JSON.
#include "forgehive/hub/tensor_workload.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <fmt/format.h>
#include <stdexcept>
#include <string_view>

#include "forgehive/crypto/hash.hpp"
#include "forgehive/hub/hub.hpp"
#include "forgehive/kernels/tensor/matmul.hpp"

namespace forgehive::hub {
namespace {

namespace kt = kernels::tensor;
using nlohmann::ordered_json;

// The bytes hashed and returned are the in-memory elements: little-endian on the hosts we run on.
static_assert(std::endian::native == std::endian::little, "raw tensor bytes assume a little-endian host");

// Bumped whenever output bits could change: the kernels' arithmetic, the unit sizes that fix reduce's
// summation order, or the rendering (kInlineDataMaxElements, the JSON forms).
constexpr std::string_view kMatmulVersion = "1 (fma chain, k ascending; 64-row units)";
constexpr std::string_view kSolveLuVersion = "1 (unblocked LU, partial pivoting, first max pivot)";
constexpr std::string_view kSolveCholeskyVersion = "1 (row-oriented Crout Cholesky)";
constexpr std::string_view kReduceVersion = "1 (f64 accumulators; 256-row units; 8 lanes)";
static_assert(kt::kReduceUnitRows == 256, "kReduceVersion names the reduce unit size");

template <typename T>
std::string_view bytes_of(const std::vector<T>& values) {
    return {reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T)};
}

std::string_view bytes_of(const kt::Matrix& m) { return m.dtype == kt::DType::f32 ? bytes_of(m.f32) : bytes_of(m.f64); }

std::string hex_sha256(std::string_view bytes) { return crypto::sha256_hex(bytes); }

bool all_finite(const kt::Matrix& m) {
    const auto finite = [](auto v) { return std::isfinite(v); };
    return m.dtype == kt::DType::f32 ? std::all_of(m.f32.begin(), m.f32.end(), finite)
                                     : std::all_of(m.f64.begin(), m.f64.end(), finite);
}

// The media type an artifact of the matrix's bytes carries (docs/artifacts.md).
std::string tensor_media_type(const kt::Matrix& m) {
    return fmt::format("application/vnd.forgehive.tensor; dtype={}; shape={}x{}", kt::dtype_name(m.dtype), m.rows, m.cols);
}

bool rendered_inline(const kt::Matrix& m) { return m.size() <= kInlineDataMaxElements && all_finite(m); }

// A diagnostic number; JSON has no infinity, so an overflowed one is null.
ordered_json scalar(double v) { return std::isfinite(v) ? ordered_json(v) : ordered_json(nullptr); }

// The exact bits of a double in canonical(): hashing needs no decimal round trip and tolerates inf.
std::string bits(double v) { return fmt::format("{:016x}", std::bit_cast<std::uint64_t>(v)); }

// Rows [first, first + count) of a unit range over `total` rows in units of `unit_rows`.
std::pair<std::int64_t, std::int64_t> unit_rows(std::uint64_t first_unit, std::uint64_t count, std::int64_t unit_rows,
                                                std::int64_t total) {
    const auto first = static_cast<std::int64_t>(first_unit) * unit_rows;
    const auto end = std::min(total, static_cast<std::int64_t>(first_unit + count) * unit_rows);
    if (count == 0 || first >= total) throw std::logic_error("tensor: unit range outside the workload");
    return {first, end - first};
}

std::uint64_t units_of(std::int64_t rows, std::int64_t unit_rows) {
    return static_cast<std::uint64_t>((rows + unit_rows - 1) / unit_rows);
}

std::vector<OutputBlob> blobs_of(const kt::Matrix& m) {
    std::vector<OutputBlob> out;
    if (auto blob = matrix_blob(m)) out.push_back(std::move(*blob));
    return out;
}

class MatmulPartial final : public PartialResult {
public:
    MatmulPartial(std::int64_t first_row, std::int64_t total_rows, kt::Matrix rows)
        : first_row_(first_row), total_rows_(total_rows), rows_(std::move(rows)) {}

    void merge(const PartialResult& next) override {
        const auto& n = static_cast<const MatmulPartial&>(next);
        if (n.first_row_ != first_row_ + rows_.rows) throw std::logic_error("matmul: partials must merge in row order");
        rows_.f32.insert(rows_.f32.end(), n.rows_.f32.begin(), n.rows_.f32.end());
        rows_.f64.insert(rows_.f64.end(), n.rows_.f64.begin(), n.rows_.f64.end());
        rows_.rows += n.rows_.rows;
    }

    nlohmann::json canonical() const override {
        return {{"first_row", first_row_},
                {"rows", rows_.rows},
                {"cols", rows_.cols},
                {"dtype", std::string(kt::dtype_name(rows_.dtype))},
                {"sha256", hex_sha256(bytes_of(rows_))}};
    }

    nlohmann::ordered_json output() const override {
        if (first_row_ != 0 || rows_.rows != total_rows_)
            throw std::logic_error("matmul: output before every row merged");
        ordered_json out;
        out["c"] = render_matrix(rows_);
        out["c_hash"] = matrix_sha256(rows_);
        return out;
    }

    std::vector<OutputBlob> output_blobs() const override { return blobs_of(rows_); }

private:
    std::int64_t first_row_;
    std::int64_t total_rows_;
    kt::Matrix rows_;
};

class MatmulWorkload final : public Workload {
public:
    MatmulWorkload(kt::Matrix a, kt::Matrix b, const kt::TensorOptions& options)
        : a_(std::move(a)), b_(std::move(b)), options_(options) {}

    std::uint64_t unit_count() const override { return units_of(a_.rows, kMatmulUnitRows); }
    std::uint64_t unit_size() const override { return kMatmulUnitRows; }

    // Multiply-adds: rows * k * n.
    std::uint64_t work_in(std::uint64_t first_unit, std::uint64_t count) const override {
        const auto [first, rows] = unit_rows(first_unit, count, kMatmulUnitRows, a_.rows);
        return static_cast<std::uint64_t>(rows) * static_cast<std::uint64_t>(a_.cols) *
               static_cast<std::uint64_t>(b_.cols);
    }

    std::unique_ptr<PartialResult> run(std::uint64_t first_unit, std::uint64_t count) const override {
        const auto [first, rows] = unit_rows(first_unit, count, kMatmulUnitRows, a_.rows);
        return std::make_unique<MatmulPartial>(first, a_.rows, kt::matmul_rows(a_, b_, first, rows, options_));
    }

    std::map<std::string, std::string> kernel_versions() const override {
        return {{"tensor.matmul", std::string(kMatmulVersion)}};
    }

private:
    kt::Matrix a_;
    kt::Matrix b_;
    kt::TensorOptions options_;
};

class SolvePartial final : public PartialResult {
public:
    SolvePartial(kt::SolveResult result, bool vector) : result_(std::move(result)), vector_(vector) {}

    void merge(const PartialResult&) override { throw std::logic_error("solve: one unit, nothing to merge"); }

    nlohmann::json canonical() const override {
        return {{"rows", result_.x.rows},
                {"cols", result_.x.cols},
                {"dtype", std::string(kt::dtype_name(result_.x.dtype))},
                {"x_sha256", hex_sha256(bytes_of(result_.x))},
                {"residual", bits(result_.residual)},
                {"residual_norm", bits(result_.residual_norm)},
                {"rcond", bits(result_.rcond)}};
    }

    nlohmann::ordered_json output() const override {
        ordered_json out;
        out["x"] = render_matrix(result_.x, vector_);
        out["residual"] = scalar(result_.residual);
        out["residual_norm"] = scalar(result_.residual_norm);
        out["rcond"] = scalar(result_.rcond);
        return out;
    }

    std::vector<OutputBlob> output_blobs() const override { return blobs_of(result_.x); }

private:
    kt::SolveResult result_;
    bool vector_;
};

class SolveWorkload final : public Workload {
public:
    SolveWorkload(kt::Matrix a, kt::Matrix b, kt::SolveMethod method, bool vector, const kt::TensorOptions& options)
        : a_(std::move(a)), b_(std::move(b)), method_(method), vector_(vector), options_(options) {}

    std::uint64_t unit_count() const override { return 1; }
    std::uint64_t unit_size() const override { return 1; }

    // n^3 + n^2 m: the factorisation's order plus the substitutions for m right-hand sides (the billing rule).
    std::uint64_t work_in(std::uint64_t, std::uint64_t) const override {
        const auto n = static_cast<std::uint64_t>(a_.rows);
        return n * n * n + n * n * static_cast<std::uint64_t>(b_.cols);
    }

    // A singular (or not positive definite) system is the caller's data, not a fault of the agent: the job
    // fails with execution_failed and the kernel's message, which names the reason.
    std::unique_ptr<PartialResult> run(std::uint64_t, std::uint64_t) const override {
        try {
            return std::make_unique<SolvePartial>(kt::solve(a_, b_, method_, options_), vector_);
        } catch (const std::domain_error& e) {
            throw HubError("execution_failed", fmt::format("tensor.solve.v1 failed: {}", e.what()));
        } catch (const std::invalid_argument& e) {
            throw HubError("execution_failed", fmt::format("tensor.solve.v1 failed: {}", e.what()));
        }
    }

    std::map<std::string, std::string> kernel_versions() const override {
        return {
            {"tensor.solve", std::string(method_ == kt::SolveMethod::lu ? kSolveLuVersion : kSolveCholeskyVersion)}};
    }

private:
    kt::Matrix a_;
    kt::Matrix b_;
    kt::SolveMethod method_;
    bool vector_;
    kt::TensorOptions options_;
};

class ReduceAccumulators final : public PartialResult {
public:
    ReduceAccumulators(kt::ReducePartial partial, const std::vector<kt::ReduceOp>& ops)
        : partial_(std::move(partial)), ops_(ops) {}

    void merge(const PartialResult& next) override {
        kt::merge_reduce_partial(partial_, static_cast<const ReduceAccumulators&>(next).partial_);
    }

    nlohmann::json canonical() const override {
        return {{"first_row", partial_.first_row},
                {"row_count", partial_.row_count},
                {"cols", partial_.cols},
                {"sum", hex_sha256(bytes_of(partial_.sum))},
                {"sum_squares", hex_sha256(bytes_of(partial_.sum_squares))},
                {"min", hex_sha256(bytes_of(partial_.min))},
                {"max", hex_sha256(bytes_of(partial_.max))}};
    }

    nlohmann::ordered_json output() const override {
        ordered_json out;
        for (const auto& result : kt::finalize_reduce(partial_, ops_))
            out[std::string(kt::reduce_op_name(result.op))] = render_matrix(result.value);
        return out;
    }

    std::vector<OutputBlob> output_blobs() const override {
        std::vector<OutputBlob> out;
        for (const auto& result : kt::finalize_reduce(partial_, ops_))
            if (auto blob = matrix_blob(result.value)) out.push_back(std::move(*blob));
        return out;
    }

private:
    kt::ReducePartial partial_;
    const std::vector<kt::ReduceOp>& ops_;  // the workload's, which outlives every partial it runs
};

class ReduceWorkload final : public Workload {
public:
    ReduceWorkload(kt::Matrix x, kt::ReduceAxis axis, std::vector<kt::ReduceOp> ops, const kt::TensorOptions& options)
        : x_(std::move(x)), axis_(axis), ops_(std::move(ops)), options_(options) {}

    std::uint64_t unit_count() const override { return units_of(x_.rows, kt::kReduceUnitRows); }
    std::uint64_t unit_size() const override { return kt::kReduceUnitRows; }

    // Elements read.
    std::uint64_t work_in(std::uint64_t first_unit, std::uint64_t count) const override {
        const auto [first, rows] = unit_rows(first_unit, count, kt::kReduceUnitRows, x_.rows);
        return static_cast<std::uint64_t>(rows) * static_cast<std::uint64_t>(x_.cols);
    }

    std::unique_ptr<PartialResult> run(std::uint64_t first_unit, std::uint64_t count) const override {
        const auto [first, rows] = unit_rows(first_unit, count, kt::kReduceUnitRows, x_.rows);
        return std::make_unique<ReduceAccumulators>(kt::reduce_partial(x_, axis_, first, rows, options_), ops_);
    }

    std::map<std::string, std::string> kernel_versions() const override {
        return {{"tensor.reduce", std::string(kReduceVersion)}};
    }

private:
    kt::Matrix x_;
    kt::ReduceAxis axis_;
    std::vector<kt::ReduceOp> ops_;
    kt::TensorOptions options_;
};

}  // namespace

std::unique_ptr<Workload> make_matmul_workload(kt::Matrix a, kt::Matrix b, const kt::TensorOptions& options) {
    return std::make_unique<MatmulWorkload>(std::move(a), std::move(b), options);
}

std::unique_ptr<Workload> make_solve_workload(kt::Matrix a, kt::Matrix b, kt::SolveMethod method, bool b_is_vector,
                                              const kt::TensorOptions& options) {
    return std::make_unique<SolveWorkload>(std::move(a), std::move(b), method, b_is_vector, options);
}

std::unique_ptr<Workload> make_reduce_workload(kt::Matrix x, kt::ReduceAxis axis, std::vector<kt::ReduceOp> ops,
                                               const kt::TensorOptions& options) {
    return std::make_unique<ReduceWorkload>(std::move(x), axis, std::move(ops), options);
}

nlohmann::ordered_json render_matrix(const kt::Matrix& m, bool vector) {
    ordered_json out;
    out["shape"] = vector ? ordered_json::array({m.rows}) : ordered_json::array({m.rows, m.cols});
    out["dtype"] = std::string(kt::dtype_name(m.dtype));
    if (!rendered_inline(m)) {
        out["artifact"] = matrix_sha256(m);
        out["media_type"] = tensor_media_type(m);
        out["bytes"] = bytes_of(m).size();
        return out;
    }
    auto& data = out["data"] = ordered_json::array();
    for (std::int64_t i = 0; i < m.size(); ++i) {
        const auto k = static_cast<std::size_t>(i);
        data.push_back(m.dtype == kt::DType::f32 ? static_cast<double>(m.f32[k]) : m.f64[k]);
    }
    return out;
}

std::string matrix_sha256(const kt::Matrix& m) { return fmt::format("sha256:{}", hex_sha256(bytes_of(m))); }

std::optional<OutputBlob> matrix_blob(const kt::Matrix& m) {
    if (rendered_inline(m)) return std::nullopt;
    return OutputBlob{matrix_sha256(m), tensor_media_type(m), std::make_shared<const std::string>(bytes_of(m))};
}

}  // namespace forgehive::hub
