// Prometheus exposition rendering. std::map keeps series in a stable order between scrapes.
#include "forgehive/http/metrics.hpp"

#include <fmt/format.h>

namespace forgehive::http {
namespace {

// Label values escape backslash, double quote and newline (exposition format spec).
std::string escape_label(const std::string& value) {
    std::string out;
    for (char c : value) {
        if (c == '\\' || c == '"') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}

}  // namespace

void Metrics::connection_opened() {
    std::lock_guard lock(mutex_);
    ++open_connections_;
}

void Metrics::connection_closed() {
    std::lock_guard lock(mutex_);
    --open_connections_;
}

void Metrics::connection_rejected() {
    std::lock_guard lock(mutex_);
    ++rejected_connections_;
}

void Metrics::request_started() {
    std::lock_guard lock(mutex_);
    ++in_flight_;
}

void Metrics::request_finished(const std::string& route, const std::string& method, int status, double seconds) {
    std::lock_guard lock(mutex_);
    --in_flight_;
    ++requests_[{route, method, status}];
    auto& h = latency_[route];
    for (std::size_t i = 0; i < kLatencyBuckets.size(); ++i)
        if (seconds <= kLatencyBuckets[i]) ++h.buckets[i];
    ++h.count;
    h.sum += seconds;
}

void Metrics::add_collector(std::function<std::string()> collector) {
    std::lock_guard lock(mutex_);
    collectors_.push_back(std::move(collector));
}

std::string Metrics::render() const {
    std::lock_guard lock(mutex_);
    std::string out;
    out += "# HELP forgehive_http_requests_total HTTP requests answered, by route pattern, method and status.\n";
    out += "# TYPE forgehive_http_requests_total counter\n";
    for (const auto& [key, count] : requests_) {
        const auto& [route, method, status] = key;
        out += fmt::format("forgehive_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n",
                           escape_label(route), escape_label(method), status, count);
    }
    out += "# HELP forgehive_http_request_duration_seconds Time from the first byte of a request to its response written.\n";
    out += "# TYPE forgehive_http_request_duration_seconds histogram\n";
    for (const auto& [route, h] : latency_) {
        auto label = escape_label(route);
        for (std::size_t i = 0; i < kLatencyBuckets.size(); ++i)
            out += fmt::format("forgehive_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n", label,
                               kLatencyBuckets[i], h.buckets[i]);
        out += fmt::format("forgehive_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n", label,
                           h.count);
        out += fmt::format("forgehive_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", label, h.sum);
        out += fmt::format("forgehive_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", label, h.count);
    }
    out += "# HELP forgehive_http_requests_in_flight Requests being read, handled or written.\n";
    out += "# TYPE forgehive_http_requests_in_flight gauge\n";
    out += fmt::format("forgehive_http_requests_in_flight {}\n", in_flight_);
    out += "# HELP forgehive_http_open_connections Open client connections.\n";
    out += "# TYPE forgehive_http_open_connections gauge\n";
    out += fmt::format("forgehive_http_open_connections {}\n", open_connections_);
    out += "# HELP forgehive_http_rejected_connections_total Connections refused with 503 at max_connections.\n";
    out += "# TYPE forgehive_http_rejected_connections_total counter\n";
    out += fmt::format("forgehive_http_rejected_connections_total {}\n", rejected_connections_);
    for (const auto& collector : collectors_) out += collector();
    return out;
}

}  // namespace forgehive::http
