// Reductions of a matrix (sum, mean, min, max, L2 norm) along an axis, in a fixed order, with a shard form
// whose partials merge to the same bits as the whole (docs/tensor-kernels.md).
#pragma once

#include "forgehive/kernels/tensor/matrix.hpp"

#include <cstdint>
#include <string_view>
#include <vector>

namespace forgehive::kernels::tensor {

enum class ReduceOp { sum, mean, min, max, l2 };

// NumPy's axis: axis0 reduces over the rows (result 1 x cols), axis1 over the columns (rows x 1), all over
// every element (1 x 1).
enum class ReduceAxis { axis0, axis1, all };

// The contract's work unit for axis0 and all: column sums are taken over blocks of this many rows, then
// the blocks are folded in order. Part of the result's definition (changing it changes bits); shards are
// runs of whole units.
constexpr std::int64_t kReduceUnitRows = 256;

// The accumulators of rows [first_row, first_row + row_count) of a total_rows x cols matrix, in f64.
// axis0 and all: sum and sum_squares hold one row of cols values per unit (unit-major), min and max one
// value per column. axis1: each vector holds one value per row.
struct ReducePartial {
    ReduceAxis axis = ReduceAxis::all;
    DType dtype = DType::f64;
    std::int64_t total_rows = 0;
    std::int64_t cols = 0;
    std::int64_t first_row = 0;
    std::int64_t row_count = 0;
    std::vector<double> sum;
    std::vector<double> sum_squares;
    std::vector<double> min;
    std::vector<double> max;
};

struct ReduceOutput {
    ReduceOp op = ReduceOp::sum;
    Matrix value;  // in x's dtype (accumulated in f64, rounded once at the end)
};

std::string_view reduce_op_name(ReduceOp op);

// The partial of rows [first_row, first_row + row_count). Throws std::invalid_argument when x is invalid
// (validate_matrix) or the range is empty, leaves [0, x.rows), or does not start and end on unit
// boundaries (a multiple of kReduceUnitRows, or x.rows for the end).
ReducePartial reduce_partial(const Matrix& x, ReduceAxis axis, std::int64_t first_row, std::int64_t row_count,
                             const TensorOptions& options = {});

// Appends `next`, which must cover the rows right after `into` of the same matrix and axis (else
// std::invalid_argument). Merging shard partials in row order gives the bits of the whole.
void merge_reduce_partial(ReducePartial& into, const ReducePartial& next);

// The requested results, in the order of `ops`, from a partial covering every row. Throws
// std::invalid_argument when ops is empty or repeats an op, or the partial does not cover every row.
std::vector<ReduceOutput> finalize_reduce(const ReducePartial& whole, const std::vector<ReduceOp>& ops);

// reduce_partial over every row, then finalize_reduce.
std::vector<ReduceOutput> reduce(const Matrix& x, ReduceAxis axis, const std::vector<ReduceOp>& ops,
                                 const TensorOptions& options = {});

}  // namespace forgehive::kernels::tensor
