// RFC 8785 canonical JSON serialisation and the strict parser that feeds it.
// Section numbers in comments refer to RFC 8785 unless another document is named.
#include "forgehive/crypto/jcs.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <set>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace forgehive::crypto {

JcsError::JcsError(const std::string& message, const std::string& pointer)
    : std::runtime_error(message), pointer_(pointer) {}

namespace {

using Json = nlohmann::json;

// Decodes one UTF-8 sequence starting at `i` and advances `i` past it. Returns nullopt for anything
// RFC 3629 §4 calls ill-formed: stray continuation bytes, truncated sequences, overlong forms, encoded
// surrogates (which is how a lone surrogate would sneak in as bytes) and code points above U+10FFFF.
std::optional<char32_t> decode_utf8(std::string_view s, std::size_t& i) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
        ++i;
        return b0;
    }
    std::size_t len = 0;
    char32_t cp = 0;
    char32_t min = 0;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        len = 2, cp = b0 & 0x1Fu, min = 0x80;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        len = 3, cp = b0 & 0x0Fu, min = 0x800;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        len = 4, cp = b0 & 0x07u, min = 0x10000;
    } else {
        return std::nullopt;
    }
    if (s.size() - i < len) return std::nullopt;
    for (std::size_t k = 1; k < len; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0u) != 0x80u) return std::nullopt;
        cp = (cp << 6) | (b & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
    i += len;
    return cp;
}

// Byte offset of the first ill-formed sequence, or nullopt when `s` is valid UTF-8.
std::optional<std::size_t> find_invalid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const std::size_t at = i;
        if (!decode_utf8(s, i)) return at;
    }
    return std::nullopt;
}

// Error messages may end up inside JSON error bodies, which nlohmann refuses to dump if they hold
// invalid UTF-8, so bytes that do not decode are shown as \xHH text instead.
std::string printable(std::string_view s) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    std::size_t i = 0;
    while (i < s.size()) {
        const std::size_t at = i;
        if (decode_utf8(s, i)) {
            out.append(s.substr(at, i - at));
        } else {
            const auto b = static_cast<unsigned char>(s[at]);
            out += "\\x";
            out += kDigits[b >> 4];
            out += kDigits[b & 15];
            i = at + 1;
        }
    }
    return out;
}

// One RFC 6901 reference token: '~' and '/' are the only characters the pointer syntax escapes.
std::string pointer_token(std::string_view name) {
    std::string out;
    for (char c : printable(name)) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
    return out;
}

std::string describe(const std::string& pointer) {
    return pointer.empty() ? std::string("the top level") : pointer;
}

// §3.2.2.2: strings are escaped exactly as ECMAScript JSON.stringify does. Only the two-character
// escapes and \u00xx (lower-case hex) for the remaining C0 controls are used; everything else, '/'
// and U+007F included, is written as its UTF-8 bytes. The caller has validated the UTF-8 already.
void append_quoted(std::string& out, std::string_view s) {
    static constexpr char kDigits[] = "0123456789abcdef";
    out += '"';
    for (char c : s) {
        const auto b = static_cast<unsigned char>(c);
        switch (b) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (b < 0x20) {
                    out += "\\u00";
                    out += kDigits[b >> 4];
                    out += kDigits[b & 15];
                } else {
                    out += c;
                }
        }
    }
    out += '"';
}

// §3.2.3 sorts member names by their UTF-16 code units. That differs from UTF-8 byte order (which is
// code point order) only between supplementary characters (surrogate pairs, D800..DBFF first unit)
// and U+E000..U+FFFF, but converting is the simplest way to get it right. nullopt: invalid UTF-8.
std::optional<std::u16string> to_utf16(std::string_view s) {
    std::u16string out;
    out.reserve(s.size());
    std::size_t i = 0;
    while (i < s.size()) {
        const auto cp = decode_utf8(s, i);
        if (!cp) return std::nullopt;
        if (*cp < 0x10000) {
            out += static_cast<char16_t>(*cp);
        } else {
            const char32_t v = *cp - 0x10000;
            out += static_cast<char16_t>(0xD800 + (v >> 10));
            out += static_cast<char16_t>(0xDC00 + (v & 0x3FF));
        }
    }
    return out;
}

// Serialises a json value per §3.2, keeping the path of the value being written so that errors can
// name it. The path is kept as references and only rendered when an error is raised.
class Writer {
public:
    std::string out;

    void write(const Json& value) {
        switch (value.type()) {
            case Json::value_t::null: out += "null"; return;
            case Json::value_t::boolean: out += value.get<bool>() ? "true" : "false"; return;
            // §3.2.2.3 and I-JSON (RFC 7493 §2.2): every number is an IEEE-754 double, so integers
            // are converted first and formatted like any other number.
            case Json::value_t::number_integer:
                out += format_number(static_cast<double>(value.get<std::int64_t>()));
                return;
            case Json::value_t::number_unsigned:
                out += format_number(static_cast<double>(value.get<std::uint64_t>()));
                return;
            case Json::value_t::number_float: {
                const double d = value.get<double>();
                if (!std::isfinite(d))
                    fail(std::string(std::isnan(d) ? "NaN" : "Infinity") +
                         " is not valid JSON and has no canonical form (RFC 8785 §3.2.2.3)");
                out += format_number(d);
                return;
            }
            case Json::value_t::string: write_string(value.get_ref<const std::string&>()); return;
            case Json::value_t::array: write_array(value); return;
            case Json::value_t::object: write_object(value); return;
            case Json::value_t::binary: fail("binary values have no JSON representation");
            case Json::value_t::discarded: fail("discarded value has no JSON representation");
        }
        fail("unknown JSON value type");
    }

private:
    // One step of the path: a member name (name != nullptr) or an array index.
    struct Step {
        const std::string* name;
        std::size_t index;
    };
    std::vector<Step> path_;
    int depth_ = 0;

    std::string pointer() const {
        std::string p;
        for (const Step& step : path_) {
            p += '/';
            p += step.name ? pointer_token(*step.name) : std::to_string(step.index);
        }
        return p;
    }

    [[noreturn]] void fail(const std::string& what) const {
        const std::string p = pointer();
        throw JcsError(what + " at " + describe(p), p);
    }

    void enter() {
        if (++depth_ > kJcsMaxDepth)
            fail("nesting deeper than " + std::to_string(kJcsMaxDepth) + " arrays/objects");
    }

    void write_string(const std::string& s) {
        if (auto bad = find_invalid_utf8(s))
            fail("invalid UTF-8 in string (byte " + std::to_string(*bad) + ")");
        append_quoted(out, s);
    }

    void write_array(const Json& array) {
        enter();
        out += '[';
        std::size_t index = 0;
        for (const Json& element : array) {
            if (index > 0) out += ',';
            path_.push_back({nullptr, index});
            write(element);
            path_.pop_back();
            ++index;
        }
        out += ']';
        --depth_;
    }

    void write_object(const Json& object) {
        enter();
        using Member = std::pair<std::u16string, const Json::object_t::value_type*>;
        std::vector<Member> members;
        members.reserve(object.size());
        for (const auto& member : object.get_ref<const Json::object_t&>()) {
            auto key = to_utf16(member.first);
            if (!key) {
                path_.push_back({&member.first, 0});
                fail("invalid UTF-8 in member name");
            }
            members.emplace_back(std::move(*key), &member);
        }
        // Names are unique (nlohmann objects are maps), so the order is total.
        std::sort(members.begin(), members.end(),
                  [](const Member& a, const Member& b) { return a.first < b.first; });
        out += '{';
        bool first = true;
        for (const auto& [key, member] : members) {
            if (!first) out += ',';
            first = false;
            append_quoted(out, member->first);
            out += ':';
            path_.push_back({&member->first, 0});
            write(member->second);
            path_.pop_back();
        }
        out += '}';
        --depth_;
    }
};

// Parser state for parse_strict, driven by nlohmann's parser callback. It tracks where the parser is
// (for error messages) and the member names already seen in each open object (for duplicates).
class StrictParseState {
public:
    bool on_event(Json::parse_event_t event, Json& parsed) {
        switch (event) {
            case Json::parse_event_t::object_start:
            case Json::parse_event_t::array_start: {
                if (frames_.size() >= static_cast<std::size_t>(kJcsMaxDepth))
                    fail("nesting deeper than " + std::to_string(kJcsMaxDepth) + " arrays/objects",
                         location());
                Frame frame;
                frame.is_object = event == Json::parse_event_t::object_start;
                frame.pointer = location();
                frames_.push_back(std::move(frame));
                break;
            }
            case Json::parse_event_t::key: {
                Frame& top = frames_.back();
                const auto& name = parsed.get_ref<const std::string&>();
                // §3.1 requires I-JSON input (RFC 7493 §2.3: names unique). nlohmann would silently keep
                // the last value, so the signed bytes would not show what the sender wrote.
                if (!top.names.insert(name).second) {
                    std::string quoted;
                    append_quoted(quoted, name);
                    fail("duplicate member name " + quoted, top.pointer);
                }
                top.key = name;
                top.in_value = true;
                break;
            }
            case Json::parse_event_t::value: child_done(); break;
            case Json::parse_event_t::object_end:
            case Json::parse_event_t::array_end:
                frames_.pop_back();
                child_done();
                break;
        }
        return true;
    }

    // Pointer of the value being parsed now; `in_name` says the parser is between members of an
    // object (reading a name or punctuation) rather than inside a value.
    std::string location(bool* in_name = nullptr) const {
        if (in_name) *in_name = false;
        if (frames_.empty()) return "";
        const Frame& top = frames_.back();
        if (!top.is_object) return top.pointer + "/" + std::to_string(top.index);
        if (top.in_value) return top.pointer + "/" + pointer_token(top.key);
        if (in_name) *in_name = true;
        return top.pointer;
    }

    [[noreturn]] static void fail(const std::string& what, const std::string& pointer) {
        throw JcsError(what + " at " + describe(pointer), pointer);
    }

private:
    struct Frame {
        bool is_object = false;
        std::string pointer;          // of this container
        std::set<std::string> names;  // objects: names seen so far
        std::string key;              // objects: name of the member being parsed
        bool in_value = false;        // objects: a name was read, its value is being parsed
        std::size_t index = 0;        // arrays: index of the element being parsed
    };
    std::vector<Frame> frames_;

    void child_done() {
        if (frames_.empty()) return;
        Frame& top = frames_.back();
        if (top.is_object)
            top.in_value = false;
        else
            ++top.index;
    }
};

bool contains(std::string_view haystack, std::string_view needle) {
    return haystack.find(needle) != std::string_view::npos;
}

}  // namespace

std::string format_number(double value) {
    if (!std::isfinite(value))
        throw JcsError(std::string(std::isnan(value) ? "NaN" : "Infinity") +
                           " is not valid JSON and has no canonical form (RFC 8785 §3.2.2.3)",
                       "");
    // §3.2.2.3 defers to ECMAScript Number.prototype.toString (ECMA-262 Number::toString). Zero of
    // either sign is "0" (step 2).
    if (value == 0) return "0";
    std::string out;
    if (value < 0) {
        out += '-';
        value = -value;
    }
    // The shortest digit string that round-trips, nearest to the value on ties, is exactly ECMA-262's
    // choice of k and s; std::to_chars without a precision produces it. Scientific form gives the
    // digits and the decimal exponent without any layout decisions of its own.
    char buf[40];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
    if (ec != std::errc()) throw JcsError("number formatting failed", "");
    const std::string_view sci(buf, static_cast<std::size_t>(end - buf));
    const std::size_t e_pos = sci.find('e');
    std::string digits;
    for (char c : sci.substr(0, e_pos))
        if (c != '.') digits += c;
    std::string_view exp_text = sci.substr(e_pos + 1);
    if (!exp_text.empty() && exp_text.front() == '+') exp_text.remove_prefix(1);
    int exponent = 0;
    std::from_chars(exp_text.data(), exp_text.data() + exp_text.size(), exponent);

    // ECMA-262 names: k digits, value = s × 10^(n−k).
    const int k = static_cast<int>(digits.size());
    const int n = exponent + 1;
    if (k <= n && n <= 21) {
        // An integer below 1e21: all its digits, padded with zeros.
        out += digits;
        out.append(static_cast<std::size_t>(n - k), '0');
    } else if (0 < n && n <= 21) {
        out += digits.substr(0, static_cast<std::size_t>(n));
        out += '.';
        out += digits.substr(static_cast<std::size_t>(n));
    } else if (-6 < n && n <= 0) {
        out += "0.";
        out.append(static_cast<std::size_t>(-n), '0');
        out += digits;
    } else {
        out += digits[0];
        if (k > 1) {
            out += '.';
            out += digits.substr(1);
        }
        out += 'e';
        out += n - 1 >= 0 ? '+' : '-';
        out += std::to_string(std::abs(n - 1));
    }
    return out;
}

std::string canonicalize(const nlohmann::json& value) {
    Writer writer;
    writer.write(value);
    return std::move(writer.out);
}

nlohmann::json parse_strict(std::string_view text) {
    // nlohmann skips a UTF-8 byte order mark silently; I-JSON (RFC 7493 §2.1) forbids one, and a
    // signed document should not carry bytes the canonical form drops without a trace.
    if (text.starts_with("\xEF\xBB\xBF"))
        StrictParseState::fail("byte order mark before the JSON text (RFC 7493 §2.1)", "");
    StrictParseState state;
    auto callback = [&state](int /*depth*/, Json::parse_event_t event, Json& parsed) {
        return state.on_event(event, parsed);
    };
    try {
        return Json::parse(text.data(), text.data() + text.size(), callback);
    } catch (const Json::parse_error& e) {
        // nlohmann's lexer already rejects lone surrogates in \u escapes and ill-formed UTF-8; these
        // branches only turn its messages into ones that name the location as a JSON Pointer.
        bool in_name = false;
        const std::string pointer = state.location(&in_name);
        const std::string where =
            (in_name ? "in a member name of " : "at ") + describe(pointer) + " (byte " + std::to_string(e.byte) + ")";
        const std::string_view detail = e.what();
        if (contains(detail, "surrogate U+"))
            throw JcsError("lone surrogate in a \\u escape " + where + " (RFC 8785 §3.2.2.2 needs well-formed Unicode)",
                           pointer);
        if (contains(detail, "ill-formed UTF-8")) throw JcsError("invalid UTF-8 " + where, pointer);
        // Other syntax errors: keep nlohmann's explanation, made printable and bounded in length since
        // it quotes the offending token from untrusted input.
        throw JcsError("invalid JSON " + where + ": " + printable(detail.substr(0, 300)), pointer);
    } catch (const Json::out_of_range& e) {
        // Raised for a float literal outside double range (id 406), e.g. 1e400: its canonical form
        // would have to be Infinity, which JSON cannot express (§3.2.2.3).
        const std::string pointer = state.location();
        if (e.id == 406)
            throw JcsError("number overflows to infinity at " + describe(pointer), pointer);
        throw JcsError("invalid JSON at " + describe(pointer) + ": " + printable(e.what()), pointer);
    }
}

}  // namespace forgehive::crypto
