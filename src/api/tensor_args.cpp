// tensor args parsing: a matrix object in its three forms (inline data, base64, artifact), then the rules
// between operands of each profile. Every size is checked before the elements are allocated.
#include "forgehive/api/tensor_args.hpp"

#include <algorithm>
#include <bit>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fmt/format.h>
#include <limits>
#include <optional>
#include <string_view>

#include "forgehive/core/api_error.hpp"
#include "forgehive/core/json_reader.hpp"
#include "forgehive/crypto/base64.hpp"

namespace forgehive::api {
namespace {

namespace kt = kernels::tensor;
using nlohmann::json;

// Raw tensors (base64, artifacts) are little-endian row-major: their bytes are the elements in memory.
static_assert(std::endian::native == std::endian::little, "raw tensor decoding assumes a little-endian host");

constexpr std::string_view kTensorMediaType = "application/vnd.forgehive.tensor";
constexpr std::string_view kOctetStream = "application/octet-stream";
// The kernel's rule for a matrix declared symmetric (docs/tensor-kernels.md, solve): checked at admission
// so a caller error is a 400, not a failed job.
constexpr double kSymmetryUlps = 64;

[[noreturn]] void invalid(const std::string& field, std::string_view rule) {
    throw core::ApiError("invalid_request", 400, fmt::format("field '{}' {}", field, rule));
}

struct Shape {
    std::int64_t rows = 0;
    std::int64_t cols = 0;
    bool vector = false;  // declared as [n]: n x 1
};

std::string shape_text(const Shape& s) {
    return s.vector ? fmt::format("[{}]", s.rows) : fmt::format("[{}, {}]", s.rows, s.cols);
}

std::size_t element_size(kt::DType d) { return d == kt::DType::f32 ? sizeof(float) : sizeof(double); }

// Fits max_elements; rows and cols are >= 1, so the division cannot overflow where rows * cols could.
void check_size(const Shape& s, const std::string& field, const kt::TensorOptions& options) {
    if (s.rows > options.max_elements / s.cols)
        invalid(field,
                fmt::format("{} has more than {} elements (tensor.max_elements)", shape_text(s), options.max_elements));
}

std::size_t byte_length(const Shape& s, kt::DType d) {
    return static_cast<std::size_t>(s.rows * s.cols) * element_size(d);
}

std::int64_t dimension(const json& v, const std::string& field, std::int64_t max) {
    const auto rule = fmt::format("must be an integer between 1 and {}", max);
    double d = v.is_number() ? v.get<double>() : 0.0;  // exact for every allowed value (max_elements < 2^53)
    if (!v.is_number() || !std::isfinite(d) || d != std::floor(d) || d < 1 || d > static_cast<double>(max))
        invalid(field, rule);
    return static_cast<std::int64_t>(d);
}

Shape parse_shape(const json& value, const std::string& field, bool allow_vector, const kt::TensorOptions& options) {
    if (!value.is_array() || value.empty() || value.size() > 2 || (value.size() == 1 && !allow_vector))
        invalid(field, allow_vector ? "must be [rows, cols] or [n]" : "must be [rows, cols]");
    Shape s;
    s.vector = value.size() == 1;
    s.rows = dimension(value[0], field + "[0]", options.max_elements);
    s.cols = s.vector ? 1 : dimension(value[1], field + "[1]", options.max_elements);
    check_size(s, field, options);
    return s;
}

// f32 values are JSON doubles rounded to f32; a magnitude above FLT_MAX is refused rather than rounded
// (the conversion is undefined in C++ and would not be finite anyway).
template <typename T>
void append_numbers(const json& list, const std::string& field, std::vector<T>& out) {
    for (std::size_t j = 0; j < list.size(); ++j) {
        const auto& item = list[j];
        const double d = item.is_number() ? item.get<double>() : NAN;
        if (!std::isfinite(d) || std::fabs(d) > static_cast<double>(std::numeric_limits<T>::max()))
            invalid(fmt::format("{}[{}]", field, j), sizeof(T) == sizeof(float)
                                                         ? "must be a finite number within the f32 range"
                                                         : "must be a finite number");
        out.push_back(static_cast<T>(d));
    }
}

bool is_nested(const json& data) { return !data.empty() && data[0].is_array(); }

// The shape of `data` (a flat list, or nested rows that must all be as long as the first), reconciled
// with the declared shape; nothing is allocated yet.
Shape data_shape(const json& data, const std::string& field, const std::optional<Shape>& declared,
                 const std::string& shape_field, const kt::TensorOptions& options) {
    if (!data.is_array()) invalid(field, "must be a list of numbers or a list of rows");
    if (!is_nested(data)) {
        if (!declared) invalid(shape_field, "is required when data is a flat list");
        const auto needed = static_cast<std::size_t>(declared->rows * declared->cols);
        if (data.size() != needed)
            invalid(field,
                    fmt::format("has {} elements, but shape {} needs {}", data.size(), shape_text(*declared), needed));
        return *declared;
    }
    const auto cols = data[0].size();
    for (std::size_t i = 0; i < data.size(); ++i)
        if (!data[i].is_array() || data[i].size() != cols)
            invalid(fmt::format("{}[{}]", field, i),
                    fmt::format("must be a row of {} numbers, like {}[0] (ragged rows are not allowed)", cols, field));
    if (cols == 0) invalid(field + "[0]", "must not be empty");
    Shape inferred{static_cast<std::int64_t>(data.size()), static_cast<std::int64_t>(cols), false};
    if (!declared) {
        check_size(inferred, field, options);
        return inferred;
    }
    if (declared->rows != inferred.rows || declared->cols != inferred.cols)
        invalid(field,
                fmt::format("has {} rows of {}, but shape is {}", inferred.rows, inferred.cols, shape_text(*declared)));
    return *declared;
}

template <typename T>
std::vector<T> data_elements(const json& data, const std::string& field, const Shape& shape) {
    std::vector<T> out;
    out.reserve(static_cast<std::size_t>(shape.rows * shape.cols));
    if (!is_nested(data)) {
        append_numbers(data, field, out);
    } else {
        for (std::size_t i = 0; i < data.size(); ++i) append_numbers(data[i], fmt::format("{}[{}]", field, i), out);
    }
    return out;
}

kt::Matrix from_data(const json& data, const std::string& field, const Shape& shape, kt::DType dtype) {
    if (dtype == kt::DType::f32)
        return kt::Matrix::from_f32(shape.rows, shape.cols, data_elements<float>(data, field, shape));
    return kt::Matrix::from_f64(shape.rows, shape.cols, data_elements<double>(data, field, shape));
}

template <typename T>
void require_finite(const std::vector<T>& values, std::int64_t cols, const std::string& field) {
    auto bad = std::find_if(values.begin(), values.end(), [](T v) { return !std::isfinite(v); });
    if (bad == values.end()) return;
    const auto index = bad - values.begin();
    invalid(field, fmt::format("holds a non-finite element at ({}, {})", index / cols, index % cols));
}

// Little-endian row-major bytes, whose length the caller has checked against shape and dtype.
kt::Matrix from_raw(std::string_view bytes, const Shape& shape, kt::DType dtype, const std::string& field) {
    auto m = kt::Matrix::zeros(shape.rows, shape.cols, dtype);
    if (dtype == kt::DType::f32) {
        std::memcpy(m.f32.data(), bytes.data(), bytes.size());
        require_finite(m.f32, shape.cols, field);
    } else {
        std::memcpy(m.f64.data(), bytes.data(), bytes.size());
        require_finite(m.f64, shape.cols, field);
    }
    return m;
}

// The decoded length follows from the text's length and padding, so a wrong size is refused before
// anything is decoded.
std::string decode_base64(const json& value, const std::string& field, const Shape& shape, kt::DType dtype) {
    constexpr std::string_view kRule = "must be standard padded base64 (RFC 4648 §4) without whitespace";
    if (!value.is_string()) invalid(field, kRule);
    const auto& text = value.get_ref<const std::string&>();
    if (text.size() % 4 != 0) invalid(field, kRule);
    const std::size_t padding = text.ends_with("==") ? 2 : text.ends_with('=') ? 1 : 0;
    const std::size_t length = text.empty() ? 0 : text.size() / 4 * 3 - padding;
    const auto needed = byte_length(shape, dtype);
    if (length != needed)
        invalid(field, fmt::format("decodes to {} bytes, but shape {} of {} needs {}", length, shape_text(shape),
                                   kt::dtype_name(dtype), needed));
    auto bytes = crypto::from_base64(text);
    if (!bytes) invalid(field, kRule);
    return std::move(*bytes);
}

std::string lower_trimmed(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// What an artifact's media type declares: application/vnd.forgehive.tensor carries both dtype and shape
// ("ROWSxCOLS", or "N" where a vector is allowed); application/octet-stream carries neither.
struct Declared {
    std::optional<Shape> shape;
    std::optional<kt::DType> dtype;
};

std::optional<Shape> media_shape(std::string_view text, bool allow_vector, const kt::TensorOptions& options) {
    std::int64_t dims[2] = {0, 1};
    std::size_t count = 0;
    const char* p = text.data();
    const char* end = text.data() + text.size();
    while (count < 2) {
        auto [next, ec] = std::from_chars(p, end, dims[count]);
        if (ec != std::errc() || next == p || dims[count] < 1 || dims[count] > options.max_elements)
            return std::nullopt;
        ++count;
        p = next;
        if (p == end) break;
        if (*p != 'x' || count == 2) return std::nullopt;
        ++p;
    }
    if (p != end || (count == 1 && !allow_vector)) return std::nullopt;
    return Shape{dims[0], dims[1], count == 1};
}

Declared parse_media_type(const std::string& media, const std::string& field, bool allow_vector,
                          const kt::TensorOptions& options) {
    const auto fail = [&](std::string_view rule) {
        invalid(field, fmt::format("has media type '{}': {}", media, rule));
    };
    std::vector<std::string_view> parts;
    std::string_view rest = media;
    for (auto semi = rest.find(';'); semi != std::string_view::npos; semi = rest.find(';')) {
        parts.push_back(rest.substr(0, semi));
        rest.remove_prefix(semi + 1);
    }
    parts.push_back(rest);
    const auto type = lower_trimmed(parts[0]);
    if (type == kOctetStream) {
        if (parts.size() > 1) fail("application/octet-stream takes no parameters");
        return {};
    }
    if (type != kTensorMediaType)
        fail(fmt::format("a tensor must be {}; dtype=f32|f64; shape=ROWSxCOLS, or {} with shape and dtype in args",
                         kTensorMediaType, kOctetStream));
    Declared out;
    for (std::size_t i = 1; i < parts.size(); ++i) {
        const auto eq = parts[i].find('=');
        const auto name = lower_trimmed(parts[i].substr(0, eq));
        const auto value = eq == std::string_view::npos ? std::string() : lower_trimmed(parts[i].substr(eq + 1));
        if (name == "dtype" && !out.dtype && (value == "f32" || value == "f64")) {
            out.dtype = value == "f32" ? kt::DType::f32 : kt::DType::f64;
        } else if (name == "shape" && !out.shape) {
            out.shape = media_shape(value, allow_vector, options);
            if (!out.shape)
                fail(allow_vector ? "shape must be ROWSxCOLS or N, positive integers"
                                  : "shape must be ROWSxCOLS, positive integers");
            check_size(*out.shape, field, options);
        } else {
            fail(
                fmt::format("parameter '{}' is unknown, repeated or invalid (expected dtype=f32|f64 and shape)", name));
        }
    }
    if (!out.dtype || !out.shape) fail("dtype and shape parameters are both required");
    return out;
}

MatrixArg from_artifact(const core::JsonReader& r, const std::string& id, const std::optional<Shape>& shape,
                        const std::optional<kt::DType>& dtype, bool allow_vector, const kt::TensorOptions& options,
                        const ArtifactResolver& artifacts) {
    const auto field = r.field("artifact");
    const auto content = artifacts(id, field);
    const auto declared = parse_media_type(content.media_type, field, allow_vector, options);
    if (declared.shape && shape && (declared.shape->rows != shape->rows || declared.shape->cols != shape->cols))
        r.fail("shape", fmt::format("is {}, but artifact {} declares shape {}", shape_text(*shape), id,
                                    shape_text(*declared.shape)));
    if (declared.dtype && dtype && *declared.dtype != *dtype)
        r.fail("dtype", fmt::format("is {}, but artifact {} declares dtype {}", kt::dtype_name(*dtype), id,
                                    kt::dtype_name(*declared.dtype)));
    if (!shape && !declared.shape) r.fail("shape", "is required with an application/octet-stream artifact");
    if (!dtype && !declared.dtype) r.fail("dtype", "is required with an application/octet-stream artifact");
    const Shape s = shape ? *shape : *declared.shape;
    const kt::DType d = dtype ? *dtype : *declared.dtype;
    const auto needed = byte_length(s, d);
    const auto size = content.bytes ? content.bytes->size() : 0;
    if (size != needed)
        invalid(field, fmt::format("holds {} bytes, but shape {} of {} needs {}", size, shape_text(s),
                                   kt::dtype_name(d), needed));
    return {from_raw(*content.bytes, s, d, field), s.vector};
}

std::optional<kt::DType> dtype_of(const std::optional<std::string>& name) {
    if (!name) return std::nullopt;
    return *name == "f32" ? kt::DType::f32 : kt::DType::f64;
}

const json& operand(core::JsonReader& args, std::string_view key) {
    const auto& value = args.raw(key);
    if (value.is_null()) args.fail(key, "is required");
    return value;
}

void same_dtype(const kt::Matrix& first, const kt::Matrix& second, const std::string& first_name,
                const std::string& second_name) {
    if (first.dtype != second.dtype)
        invalid(second_name + ".dtype", fmt::format("must equal {}.dtype ({}), got {}", first_name,
                                                    kt::dtype_name(first.dtype), kt::dtype_name(second.dtype)));
}

MatmulArgs parse_matmul(core::JsonReader args, const kt::TensorOptions& options, const ArtifactResolver& artifacts) {
    const auto& a_json = operand(args, "a");
    const auto& b_json = operand(args, "b");
    args.finish();
    MatmulArgs out{parse_matrix(a_json, "args.a", false, options, artifacts).matrix,
                   parse_matrix(b_json, "args.b", false, options, artifacts).matrix};
    same_dtype(out.a, out.b, "args.a", "args.b");
    if (out.a.cols != out.b.rows)
        invalid("args.b.shape[0]",
                fmt::format("must equal args.a.shape[1] ({}) for a matrix product, got {}", out.a.cols, out.b.rows));
    if (out.a.rows > options.max_elements / out.b.cols)
        invalid("args.b.shape[1]", fmt::format("makes c {} x {}, more than {} elements (tensor.max_elements)",
                                               out.a.rows, out.b.cols, options.max_elements));
    return out;
}

void require_symmetric(const kt::Matrix& a) {
    const double eps =
        a.dtype == kt::DType::f32 ? std::numeric_limits<float>::epsilon() : std::numeric_limits<double>::epsilon();
    for (std::int64_t i = 0; i < a.rows; ++i) {
        for (std::int64_t j = 0; j < i; ++j) {
            const double lower = a.at(i, j);
            const double upper = a.at(j, i);
            if (std::fabs(lower - upper) > kSymmetryUlps * eps * std::fmax(std::fabs(lower), std::fabs(upper)))
                invalid("args.a", fmt::format("must be symmetric for method cholesky, but element ({}, {}) is {} and "
                                              "({}, {}) is {}",
                                              i, j, lower, j, i, upper));
        }
    }
}

SolveArgs parse_solve(core::JsonReader args, const kt::TensorOptions& options, const ArtifactResolver& artifacts) {
    const auto& a_json = operand(args, "a");
    const auto& b_json = operand(args, "b");
    const auto method = args.optional_one_of("method", {"lu", "cholesky"}).value_or("lu");
    args.finish();
    SolveArgs out;
    out.method = method == "lu" ? kt::SolveMethod::lu : kt::SolveMethod::cholesky;
    out.a = parse_matrix(a_json, "args.a", false, options, artifacts).matrix;
    const auto n = out.a.rows;
    if (out.a.cols != n) invalid("args.a.shape", fmt::format("must be square for solve, got [{}, {}]", n, out.a.cols));
    if (n > options.max_solve_dimension)
        invalid("args.a.shape", fmt::format("must be at most [{0}, {0}] for solve (tensor.max_solve_dimension), got "
                                            "[{1}, {1}]",
                                            options.max_solve_dimension, n));
    auto b = parse_matrix(b_json, "args.b", true, options, artifacts);
    out.b = std::move(b.matrix);
    out.b_is_vector = b.vector;
    same_dtype(out.a, out.b, "args.a", "args.b");
    if (out.b.rows != n)
        invalid("args.b.shape[0]", fmt::format("must equal the {} rows of args.a, got {}", n, out.b.rows));
    if (out.method == kt::SolveMethod::cholesky) require_symmetric(out.a);
    return out;
}

kt::ReduceAxis parse_axis(core::JsonReader& args) {
    const auto& value = args.raw("axis");
    if (value.is_null() || (value.is_string() && value.get_ref<const std::string&>() == "all"))
        return kt::ReduceAxis::all;
    if (value.is_number() && value.get<double>() == 0) return kt::ReduceAxis::axis0;
    if (value.is_number() && value.get<double>() == 1) return kt::ReduceAxis::axis1;
    args.fail("axis", "must be 0, 1, \"all\" or null");
}

std::vector<kt::ReduceOp> parse_ops(core::JsonReader& args) {
    constexpr kt::ReduceOp kAll[] = {kt::ReduceOp::sum, kt::ReduceOp::mean, kt::ReduceOp::min, kt::ReduceOp::max,
                                     kt::ReduceOp::l2};
    const auto& list = operand(args, "ops");
    if (!list.is_array() || list.empty() || list.size() > std::size(kAll))
        args.fail("ops", "must be a list of 1 to 5 of: sum, mean, min, max, l2");
    std::vector<kt::ReduceOp> out;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const auto key = fmt::format("ops[{}]", i);
        const auto* op = std::find_if(std::begin(kAll), std::end(kAll), [&](kt::ReduceOp o) {
            return list[i].is_string() && list[i].get_ref<const std::string&>() == kt::reduce_op_name(o);
        });
        if (op == std::end(kAll)) args.fail(key, "must be one of: sum, mean, min, max, l2");
        if (std::find(out.begin(), out.end(), *op) != out.end())
            args.fail(key, fmt::format("repeats '{}'", kt::reduce_op_name(*op)));
        out.push_back(*op);
    }
    return out;
}

ReduceArgs parse_reduce(core::JsonReader args, const kt::TensorOptions& options, const ArtifactResolver& artifacts) {
    const auto& x_json = operand(args, "x");
    ReduceArgs out;
    out.axis = parse_axis(args);
    out.ops = parse_ops(args);
    args.finish();
    out.x = parse_matrix(x_json, "args.x", false, options, artifacts).matrix;
    return out;
}

}  // namespace

MatrixArg parse_matrix(const nlohmann::json& value, const std::string& field, bool allow_vector,
                       const kt::TensorOptions& options, const ArtifactResolver& artifacts) {
    core::JsonReader r(value, field);
    const auto dtype = dtype_of(r.optional_one_of("dtype", {"f32", "f64"}));
    std::optional<Shape> shape;
    if (const auto& s = r.raw("shape"); !s.is_null()) shape = parse_shape(s, r.field("shape"), allow_vector, options);
    const auto& data = r.raw("data");
    const auto& base64 = r.raw("base64");
    const auto artifact = r.optional_string("artifact", 128);
    r.finish();
    const int sources = int{!data.is_null()} + int{!base64.is_null()} + int{artifact.has_value()};
    if (sources != 1) invalid(field, "must have exactly one of data, base64 or artifact");
    if (artifact) return from_artifact(r, *artifact, shape, dtype, allow_vector, options, artifacts);
    if (!dtype) r.fail("dtype", "is required");
    if (!data.is_null()) {
        const auto s = data_shape(data, r.field("data"), shape, r.field("shape"), options);
        return {from_data(data, r.field("data"), s, *dtype), s.vector};
    }
    if (!shape) r.fail("shape", "is required with base64");
    const auto bytes = decode_base64(base64, r.field("base64"), *shape, *dtype);
    return {from_raw(bytes, *shape, *dtype, r.field("base64")), shape->vector};
}

TensorArgs parse_tensor_args(const std::string& profile, const nlohmann::json& args, const kt::TensorOptions& options,
                             const ArtifactResolver& artifacts) {
    if (profile == "matmul.v1") return parse_matmul(core::JsonReader(args, "args"), options, artifacts);
    if (profile == "solve.v1") return parse_solve(core::JsonReader(args, "args"), options, artifacts);
    if (profile == "reduce.v1") return parse_reduce(core::JsonReader(args, "args"), options, artifacts);
    throw core::ApiError("invalid_request", 400,
                         "field 'op.profile' must be one of: matmul.v1, solve.v1, reduce.v1 for op.name tensor");
}

}  // namespace forgehive::api
