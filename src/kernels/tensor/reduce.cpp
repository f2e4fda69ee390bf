// Reductions in a fixed order (docs/tensor-kernels.md, "reduce"): per-unit column sums folded in unit order
// for axis0 and all, eight interleaved lanes per row for axis1, first-wins min and max; all in f64.
#include "forgehive/kernels/tensor/reduce.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace forgehive::kernels::tensor {
namespace {

constexpr int kLanes = 8;

std::size_t idx(std::int64_t i) { return static_cast<std::size_t>(i); }

// Element j of a row goes to lane j mod 8; each lane sums in j order; the lanes combine as a fixed tree.
// The eight independent chains let the compiler vectorise without reassociating anything.
struct LaneSums {
    double sum = 0;
    double sum_squares = 0;
};

template <typename T>
LaneSums lane_sums(const T* v, std::int64_t n) {
    double s[kLanes] = {};
    double q[kLanes] = {};
    std::int64_t j = 0;
    for (; j + kLanes <= n; j += kLanes) {
        for (int l = 0; l < kLanes; ++l) {
            const double x = v[j + l];
            s[l] += x;
            q[l] += x * x;
        }
    }
    for (; j < n; ++j) {
        const double x = v[j];
        s[j % kLanes] += x;
        q[j % kLanes] += x * x;
    }
    const auto tree = [](const double* t) { return ((t[0] + t[1]) + (t[2] + t[3])) + ((t[4] + t[5]) + (t[6] + t[7])); };
    return {tree(s), tree(q)};
}

// min and max keep the first of equal values (so -0 and +0 resolve by position, identically when merged).
void keep_extremes(double x, double& lo, double& hi) {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
}

void keep_extremes(const std::vector<double>& lows, const std::vector<double>& highs, std::vector<double>& lo,
                   std::vector<double>& hi) {
    for (std::size_t c = 0; c < lo.size(); ++c) {
        if (lows[c] < lo[c]) lo[c] = lows[c];
        if (highs[c] > hi[c]) hi[c] = highs[c];
    }
}

template <typename T>
void accumulate_rows_of_units(const T* data, ReducePartial& p) {
    const auto cols = p.cols;
    p.min.assign(idx(cols), std::numeric_limits<double>::infinity());
    p.max.assign(idx(cols), -std::numeric_limits<double>::infinity());
    const std::int64_t end = p.first_row + p.row_count;
    for (std::int64_t unit_start = p.first_row; unit_start < end; unit_start += kReduceUnitRows) {
        const std::size_t base = p.sum.size();
        p.sum.resize(base + idx(cols), 0.0);
        p.sum_squares.resize(base + idx(cols), 0.0);
        double* s = &p.sum[base];
        double* q = &p.sum_squares[base];
        for (std::int64_t r = unit_start; r < std::min(unit_start + kReduceUnitRows, end); ++r) {
            const T* row = data + r * cols;
            for (std::int64_t c = 0; c < cols; ++c) {
                const double x = row[c];
                s[c] += x;
                q[c] += x * x;
                keep_extremes(x, p.min[idx(c)], p.max[idx(c)]);
            }
        }
    }
}

template <typename T>
void accumulate_each_row(const T* data, ReducePartial& p) {
    for (std::int64_t r = p.first_row; r < p.first_row + p.row_count; ++r) {
        const T* row = data + r * p.cols;
        const LaneSums sums = lane_sums(row, p.cols);
        double lo = row[0];
        double hi = row[0];
        for (std::int64_t c = 1; c < p.cols; ++c) keep_extremes(row[c], lo, hi);
        p.sum.push_back(sums.sum);
        p.sum_squares.push_back(sums.sum_squares);
        p.min.push_back(lo);
        p.max.push_back(hi);
    }
}

void validate_row_range(const Matrix& x, std::int64_t first_row, std::int64_t row_count) {
    if (first_row < 0 || first_row >= x.rows) {
        throw std::invalid_argument(fmt::format("reduce: first_row ({}) must be in [0, x.rows = {})", first_row, x.rows));
    }
    if (row_count <= 0 || row_count > x.rows - first_row) {
        throw std::invalid_argument(
            fmt::format("reduce: row_count ({}) must be in [1, x.rows - first_row = {}]", row_count, x.rows - first_row));
    }
    const std::int64_t end = first_row + row_count;
    if (first_row % kReduceUnitRows != 0 || (end != x.rows && end % kReduceUnitRows != 0)) {
        throw std::invalid_argument(fmt::format(
            "reduce: rows [{}, {}) must start and end on a unit boundary (a multiple of {} rows, or x.rows = {})",
            first_row, end, kReduceUnitRows, x.rows));
    }
}

void validate_ops(const std::vector<ReduceOp>& ops) {
    if (ops.empty()) throw std::invalid_argument("reduce: ops must name at least one of sum, mean, min, max, l2");
    for (std::size_t i = 0; i < ops.size(); ++i) {
        if (std::find(ops.begin(), ops.begin() + static_cast<std::ptrdiff_t>(i), ops[i]) != ops.begin() + static_cast<std::ptrdiff_t>(i)) {
            throw std::invalid_argument(fmt::format("reduce: ops names {} more than once", reduce_op_name(ops[i])));
        }
    }
}

// Per-column totals of the unit rows, folded in unit order.
std::vector<double> fold_units(const std::vector<double>& units, std::int64_t cols) {
    std::vector<double> total(units.begin(), units.begin() + static_cast<std::ptrdiff_t>(cols));
    for (std::size_t base = idx(cols); base < units.size(); base += idx(cols)) {
        for (std::int64_t c = 0; c < cols; ++c) total[idx(c)] += units[base + idx(c)];
    }
    return total;
}

// The f64 results of one partial, before the op's final step: one value per output element.
struct Totals {
    std::vector<double> sum, sum_squares, min, max;
    double count = 0;  // elements reduced into each output element
};

Totals totals_of(const ReducePartial& p) {
    if (p.axis == ReduceAxis::axis1) return {p.sum, p.sum_squares, p.min, p.max, static_cast<double>(p.cols)};
    Totals t{fold_units(p.sum, p.cols), fold_units(p.sum_squares, p.cols), p.min, p.max, static_cast<double>(p.total_rows)};
    if (p.axis == ReduceAxis::axis0) return t;
    const LaneSums sums = lane_sums(t.sum.data(), p.cols);
    const LaneSums squares = lane_sums(t.sum_squares.data(), p.cols);
    std::vector<double> lo{t.min[0]};
    std::vector<double> hi{t.max[0]};
    for (std::int64_t c = 1; c < p.cols; ++c) {
        if (t.min[idx(c)] < lo[0]) lo[0] = t.min[idx(c)];
        if (t.max[idx(c)] > hi[0]) hi[0] = t.max[idx(c)];
    }
    return {{sums.sum}, {squares.sum}, lo, hi, static_cast<double>(p.total_rows) * static_cast<double>(p.cols)};
}

std::vector<double> apply(ReduceOp op, const Totals& t) {
    switch (op) {
    case ReduceOp::sum: return t.sum;
    case ReduceOp::min: return t.min;
    case ReduceOp::max: return t.max;
    case ReduceOp::mean: {
        std::vector<double> out(t.sum);
        for (double& v : out) v /= t.count;
        return out;
    }
    case ReduceOp::l2: {
        std::vector<double> out(t.sum_squares);
        for (double& v : out) v = std::sqrt(v);
        return out;
    }
    }
    return {};
}

Matrix shaped(const ReducePartial& p, std::vector<double> values) {
    const std::int64_t rows = p.axis == ReduceAxis::axis1 ? p.total_rows : 1;
    const std::int64_t cols = p.axis == ReduceAxis::axis0 ? p.cols : 1;
    if (p.dtype == DType::f64) return Matrix::from_f64(rows, cols, std::move(values));
    return Matrix::from_f32(rows, cols, std::vector<float>(values.begin(), values.end()));
}

}  // namespace

std::string_view reduce_op_name(ReduceOp op) {
    switch (op) {
    case ReduceOp::sum: return "sum";
    case ReduceOp::mean: return "mean";
    case ReduceOp::min: return "min";
    case ReduceOp::max: return "max";
    case ReduceOp::l2: return "l2";
    }
    return "unknown";
}

ReducePartial reduce_partial(const Matrix& x, ReduceAxis axis, std::int64_t first_row, std::int64_t row_count,
                             const TensorOptions& options) {
    validate_matrix(x, "x", options);
    validate_row_range(x, first_row, row_count);
    ReducePartial p{axis, x.dtype, x.rows, x.cols, first_row, row_count, {}, {}, {}, {}};
    if (axis == ReduceAxis::axis1) {
        if (x.dtype == DType::f32) accumulate_each_row(x.f32.data(), p);
        else accumulate_each_row(x.f64.data(), p);
    } else {
        if (x.dtype == DType::f32) accumulate_rows_of_units(x.f32.data(), p);
        else accumulate_rows_of_units(x.f64.data(), p);
    }
    return p;
}

void merge_reduce_partial(ReducePartial& into, const ReducePartial& next) {
    if (next.axis != into.axis || next.dtype != into.dtype || next.total_rows != into.total_rows || next.cols != into.cols) {
        throw std::invalid_argument("reduce: partials to merge must come from the same matrix and axis");
    }
    if (next.first_row != into.first_row + into.row_count) {
        throw std::invalid_argument(fmt::format("reduce: the next partial must start at row {}, not {}",
                                                into.first_row + into.row_count, next.first_row));
    }
    const auto append = [](std::vector<double>& a, const std::vector<double>& b) { a.insert(a.end(), b.begin(), b.end()); };
    append(into.sum, next.sum);
    append(into.sum_squares, next.sum_squares);
    if (into.axis == ReduceAxis::axis1) {
        append(into.min, next.min);
        append(into.max, next.max);
    } else {
        keep_extremes(next.min, next.max, into.min, into.max);
    }
    into.row_count += next.row_count;
}

std::vector<ReduceOutput> finalize_reduce(const ReducePartial& whole, const std::vector<ReduceOp>& ops) {
    validate_ops(ops);
    if (whole.first_row != 0 || whole.row_count != whole.total_rows) {
        throw std::invalid_argument(fmt::format("reduce: the partial covers rows [{}, {}), not all {} rows", whole.first_row,
                                                whole.first_row + whole.row_count, whole.total_rows));
    }
    const Totals totals = totals_of(whole);
    std::vector<ReduceOutput> out;
    for (ReduceOp op : ops) out.push_back({op, shaped(whole, apply(op, totals))});
    return out;
}

std::vector<ReduceOutput> reduce(const Matrix& x, ReduceAxis axis, const std::vector<ReduceOp>& ops,
                                 const TensorOptions& options) {
    validate_ops(ops);
    return finalize_reduce(reduce_partial(x, axis, 0, x.rows, options), ops);
}

}  // namespace forgehive::kernels::tensor
