// WKT text handling around GEOS's reader: the EWKT SRID prefix, and the shape checks GEOS 3.11's
// reader skips (it stops at the end of the geometry and ignores whatever follows).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace forgehive::geo {

// Offset of the geometry text after an optional "SRID=4326;" prefix, or the reason the prefix is
// refused (malformed, or an SRID other than 4326: coordinates must be WGS 84 longitude/latitude).
std::variant<std::size_t, std::string> wkt_body_offset(std::string_view text);

// Checks the text from `body` on before GEOS reads it: no NUL character, parentheses nested at most
// `max_parentheses` deep (bounding the recursion of GEOS's parser), nothing but whitespace after the
// geometry. Text that is not shaped like WKT at all is left to GEOS, whose message is better.
std::optional<std::string> wkt_text_problem(std::string_view text, std::size_t body, std::int64_t max_parentheses);

}  // namespace forgehive::geo
