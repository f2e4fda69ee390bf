// Request metrics in the Prometheus text exposition format (version 0.0.4): requests by route, method
// and status, a latency histogram per route, in-flight requests and open connections. Routes are
// labelled by pattern, never by raw path, so label cardinality stays bounded.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

namespace forgehive::http {

class Metrics {
public:
    static constexpr std::array<double, 14> kLatencyBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                                0.25,  0.5,    1.0,   2.5,  5.0,   10.0, 30.0};

    void connection_opened();
    void connection_closed();
    void connection_rejected();
    void request_started();
    void request_finished(const std::string& route, const std::string& method, int status, double seconds);

    // Other modules add their own exposition lines (e.g. the agent pool's queue depth).
    void add_collector(std::function<std::string()> collector);

    std::string render() const;

private:
    struct Histogram {
        std::array<std::uint64_t, kLatencyBuckets.size()> buckets{};
        std::uint64_t count = 0;
        double sum = 0;
    };

    mutable std::mutex mutex_;
    std::int64_t open_connections_ = 0;
    std::uint64_t rejected_connections_ = 0;
    std::int64_t in_flight_ = 0;
    std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;
    std::map<std::string, Histogram> latency_;
    std::vector<std::function<std::string()>> collectors_;
};

}  // namespace forgehive::http
