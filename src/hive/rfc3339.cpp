// RFC 3339 §5.6 date-time, restricted to UTC ("Z") so that a timestamp has one spelling per instant
// apart from the optional fraction.
#include "forgehive/hive/rfc3339.hpp"

#include <charconv>
#include <fmt/format.h>

namespace forgehive::hive {
namespace {

using namespace std::chrono;

// The nanosecond system clock ends in April 2262.
constexpr int kMaxYear = 2261;

// Reads exactly `width` digits at `pos`.
std::optional<int> digits_at(std::string_view text, std::size_t pos, std::size_t width) {
    if (pos + width > text.size()) return std::nullopt;
    int value = 0;
    for (std::size_t i = pos; i < pos + width; ++i) {
        if (text[i] < '0' || text[i] > '9') return std::nullopt;
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

bool separator_at(std::string_view text, std::size_t pos, char c) { return pos < text.size() && text[pos] == c; }

// ".123" -> 123000000 ns; `pos` moves past the fraction. No fraction: 0. Empty or over 9 digits: nullopt.
std::optional<std::int64_t> fraction_at(std::string_view text, std::size_t& pos) {
    if (!separator_at(text, pos, '.')) return 0;
    const std::size_t start = ++pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    const std::size_t width = pos - start;
    if (width == 0 || width > 9) return std::nullopt;
    std::int64_t ns = *digits_at(text, start, width);
    for (std::size_t i = width; i < 9; ++i) ns *= 10;
    return ns;
}

}  // namespace

std::optional<TimePoint> parse_rfc3339_utc(std::string_view text) {
    // YYYY-MM-DDTHH:MM:SS
    const auto year = digits_at(text, 0, 4), month = digits_at(text, 5, 2), day = digits_at(text, 8, 2);
    const auto hour = digits_at(text, 11, 2), minute = digits_at(text, 14, 2), second = digits_at(text, 17, 2);
    if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
    if (!separator_at(text, 4, '-') || !separator_at(text, 7, '-') || !separator_at(text, 10, 'T') ||
        !separator_at(text, 13, ':') || !separator_at(text, 16, ':'))
        return std::nullopt;
    std::size_t pos = 19;
    const auto nanos = fraction_at(text, pos);
    if (!nanos || pos + 1 != text.size() || text[pos] != 'Z') return std::nullopt;
    const year_month_day date{std::chrono::year{*year}, std::chrono::month{static_cast<unsigned>(*month)},
                              std::chrono::day{static_cast<unsigned>(*day)}};
    if (*year < 1970 || *year > kMaxYear || !date.ok() || *hour > 23 || *minute > 59 || *second > 59)
        return std::nullopt;
    const auto since_epoch =
        sys_days{date}.time_since_epoch() + hours{*hour} + minutes{*minute} + seconds{*second} + nanoseconds{*nanos};
    return TimePoint{duration_cast<system_clock::duration>(since_epoch)};
}

std::string format_rfc3339_utc(TimePoint time) {
    const auto ns = duration_cast<nanoseconds>(time.time_since_epoch());
    const auto day_start = floor<days>(ns);
    const year_month_day date{sys_days{day_start}};
    const hh_mm_ss clock{floor<seconds>(ns - day_start)};
    const auto fraction = (ns - floor<seconds>(ns)).count();
    std::string text = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", static_cast<int>(date.year()),
                                   static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                                   clock.hours().count(), clock.minutes().count(), clock.seconds().count());
    if (fraction != 0) {
        std::string frac = fmt::format("{:09}", fraction);
        frac.erase(frac.find_last_not_of('0') + 1);
        text += fmt::format(".{}", frac);
    }
    return text + "Z";
}

}  // namespace forgehive::hive
