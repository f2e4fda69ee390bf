// Unit tests for http::Metrics: the Prometheus text it renders (counters, histograms, gauges, escaping, collectors).
#include "forgehive/http/metrics.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace forgehive::http {
namespace {

using ::testing::HasSubstr;

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

// Sample lines as "series" (name with labels) -> value text.
std::map<std::string, std::string> samples(const std::string& text) {
    std::map<std::string, std::string> out;
    for (const auto& line : lines_of(text)) {
        if (line.empty() || line[0] == '#') continue;
        auto space = line.rfind(' ');
        out[line.substr(0, space)] = line.substr(space + 1);
    }
    return out;
}

std::string sample(const std::string& text, const std::string& series) {
    auto all = samples(text);
    auto it = all.find(series);
    if (it == all.end()) {
        ADD_FAILURE() << "no sample " << series << " in:\n" << text;
        return {};
    }
    return it->second;
}

struct Bucket {
    double le;
    std::uint64_t count;
};

// The histogram buckets of one route, in the order they are rendered.
std::vector<Bucket> buckets(const std::string& text, const std::string& route_label) {
    std::string head = "forgehive_http_request_duration_seconds_bucket{route=\"" + route_label + "\",le=\"";
    std::vector<Bucket> out;
    for (const auto& line : lines_of(text)) {
        if (line.rfind(head, 0) != 0) continue;
        auto rest = line.substr(head.size());
        auto quote = rest.find('"');
        auto le_text = rest.substr(0, quote);
        double le = le_text == "+Inf" ? std::numeric_limits<double>::infinity() : std::stod(le_text);
        out.push_back({le, std::stoull(rest.substr(rest.rfind(' ') + 1))});
    }
    return out;
}

std::uint64_t bucket_at(const std::vector<Bucket>& all, double le) {
    for (const auto& b : all)
        if (b.le == le) return b.count;
    ADD_FAILURE() << "no bucket le=" << le;
    return 0;
}

TEST(Metrics, EmptyRenderIsWellFormedPrometheusText) {
    Metrics metrics;
    auto text = metrics.render();
    ASSERT_FALSE(text.empty());
    EXPECT_EQ(text.back(), '\n');
    EXPECT_THAT(text, HasSubstr("# TYPE forgehive_http_requests_total counter\n"));
    EXPECT_THAT(text, HasSubstr("# TYPE forgehive_http_request_duration_seconds histogram\n"));
    EXPECT_THAT(text, HasSubstr("# TYPE forgehive_http_requests_in_flight gauge\n"));
    EXPECT_THAT(text, HasSubstr("# TYPE forgehive_http_open_connections gauge\n"));
    EXPECT_EQ(sample(text, "forgehive_http_requests_in_flight"), "0");
    EXPECT_EQ(sample(text, "forgehive_http_open_connections"), "0");
    EXPECT_EQ(sample(text, "forgehive_http_rejected_connections_total"), "0");
}

TEST(Metrics, EverySampleBelongsToADeclaredFamily) {
    Metrics metrics;
    metrics.request_started();
    metrics.request_finished("/health", "GET", 200, 0.01);
    auto text = metrics.render();
    std::set<std::string> typed;
    std::set<std::string> helped;
    for (const auto& line : lines_of(text)) {
        if (line.rfind("# TYPE ", 0) == 0) {
            typed.insert(line.substr(7, line.find(' ', 7) - 7));
            continue;
        }
        if (line.rfind("# HELP ", 0) == 0) {
            helped.insert(line.substr(7, line.find(' ', 7) - 7));
            continue;
        }
        ASSERT_FALSE(line.empty());
        auto name = line.substr(0, line.find_first_of("{ "));
        std::string family = name;
        for (const char* suffix : {"_bucket", "_sum", "_count"}) {
            std::string s = suffix;
            if (!typed.count(family) && name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0)
                family = name.substr(0, name.size() - s.size());
        }
        EXPECT_TRUE(typed.count(family)) << "sample before its # TYPE: " << line;
        EXPECT_TRUE(helped.count(family)) << "sample without # HELP: " << line;
    }
}

TEST(Metrics, RequestCountersByRouteMethodStatus) {
    Metrics metrics;
    for (int i = 0; i < 4; ++i) metrics.request_started();
    metrics.request_finished("/v1/jobs/{id}", "GET", 200, 0.003);
    metrics.request_finished("/v1/jobs/{id}", "GET", 200, 0.2);
    metrics.request_finished("/v1/jobs/{id}", "POST", 400, 2.0);
    metrics.request_finished("/health", "GET", 200, 0.0001);
    auto text = metrics.render();
    EXPECT_EQ(sample(text, R"(forgehive_http_requests_total{route="/v1/jobs/{id}",method="GET",status="200"})"), "2");
    EXPECT_EQ(sample(text, R"(forgehive_http_requests_total{route="/v1/jobs/{id}",method="POST",status="400"})"), "1");
    EXPECT_EQ(sample(text, R"(forgehive_http_requests_total{route="/health",method="GET",status="200"})"), "1");
    EXPECT_EQ(samples(text).count(R"(forgehive_http_requests_total{route="/health",method="POST",status="200"})"), 0u);
}

TEST(Metrics, HistogramIsCumulativeWithInfEqualToCount) {
    Metrics metrics;
    const double durations[] = {0.003, 0.2, 2.0, 0.1, 50.0};  // 0.1 sits exactly on a bound; 50 is beyond the last
    for (double d : durations) {
        metrics.request_started();
        metrics.request_finished("/v1/jobs/{id}", "GET", 200, d);
    }
    auto text = metrics.render();
    auto all = buckets(text, "/v1/jobs/{id}");
    ASSERT_EQ(all.size(), Metrics::kLatencyBuckets.size() + 1);
    for (std::size_t i = 0; i < Metrics::kLatencyBuckets.size(); ++i)
        EXPECT_DOUBLE_EQ(all[i].le, Metrics::kLatencyBuckets[i]);
    EXPECT_TRUE(std::isinf(all.back().le));
    for (std::size_t i = 1; i < all.size(); ++i) EXPECT_GE(all[i].count, all[i - 1].count) << "bucket " << i;

    EXPECT_EQ(bucket_at(all, 0.001), 0u);
    EXPECT_EQ(bucket_at(all, 0.0025), 0u);
    EXPECT_EQ(bucket_at(all, 0.005), 1u);
    EXPECT_EQ(bucket_at(all, 0.05), 1u);
    EXPECT_EQ(bucket_at(all, 0.1), 2u);  // le is "less than or equal"
    EXPECT_EQ(bucket_at(all, 0.25), 3u);
    EXPECT_EQ(bucket_at(all, 1.0), 3u);
    EXPECT_EQ(bucket_at(all, 2.5), 4u);
    EXPECT_EQ(bucket_at(all, 30.0), 4u);
    EXPECT_EQ(all.back().count, 5u);

    EXPECT_EQ(sample(text, R"(forgehive_http_request_duration_seconds_count{route="/v1/jobs/{id}"})"), "5");
    EXPECT_NEAR(std::stod(sample(text, R"(forgehive_http_request_duration_seconds_sum{route="/v1/jobs/{id}"})")),
                0.003 + 0.2 + 2.0 + 0.1 + 50.0, 1e-9);
}

TEST(Metrics, HistogramsArePerRoute) {
    Metrics metrics;
    metrics.request_started();
    metrics.request_finished("/a", "GET", 200, 0.002);
    metrics.request_started();
    metrics.request_finished("/b", "POST", 500, 7.0);
    auto text = metrics.render();
    EXPECT_EQ(buckets(text, "/a").back().count, 1u);
    EXPECT_EQ(bucket_at(buckets(text, "/a"), 0.0025), 1u);
    EXPECT_EQ(bucket_at(buckets(text, "/b"), 5.0), 0u);
    EXPECT_EQ(bucket_at(buckets(text, "/b"), 10.0), 1u);
    EXPECT_EQ(sample(text, R"(forgehive_http_request_duration_seconds_count{route="/b"})"), "1");
}

TEST(Metrics, InFlightGaugeFollowsStartedAndFinished) {
    Metrics metrics;
    metrics.request_started();
    metrics.request_started();
    metrics.request_started();
    EXPECT_EQ(sample(metrics.render(), "forgehive_http_requests_in_flight"), "3");
    metrics.request_finished("/x", "GET", 200, 0.01);
    EXPECT_EQ(sample(metrics.render(), "forgehive_http_requests_in_flight"), "2");
    metrics.request_finished("/x", "GET", 200, 0.01);
    metrics.request_finished("/x", "GET", 200, 0.01);
    EXPECT_EQ(sample(metrics.render(), "forgehive_http_requests_in_flight"), "0");
}

TEST(Metrics, ConnectionGaugesFollowOpenedClosedRejected) {
    Metrics metrics;
    metrics.connection_opened();
    metrics.connection_opened();
    metrics.connection_opened();
    metrics.connection_closed();
    metrics.connection_rejected();
    metrics.connection_rejected();
    auto text = metrics.render();
    EXPECT_EQ(sample(text, "forgehive_http_open_connections"), "2");
    EXPECT_EQ(sample(text, "forgehive_http_rejected_connections_total"), "2");
    metrics.connection_closed();
    metrics.connection_closed();
    EXPECT_EQ(sample(metrics.render(), "forgehive_http_open_connections"), "0");
}

TEST(Metrics, LabelValuesAreEscaped) {
    Metrics metrics;
    metrics.request_started();
    metrics.request_finished("/odd\"route\\x\ny", "GET", 404, 0.01);
    auto text = metrics.render();
    EXPECT_EQ(sample(text, R"(forgehive_http_requests_total{route="/odd\"route\\x\ny",method="GET",status="404"})"),
              "1");
    EXPECT_EQ(sample(text, R"(forgehive_http_request_duration_seconds_count{route="/odd\"route\\x\ny"})"), "1");
    // The raw newline never splits a sample line.
    for (const auto& line : lines_of(text)) {
        if (!line.empty() && line[0] != '#') {
            EXPECT_THAT(line, ::testing::StartsWith("forgehive_")) << line;
        }
    }
}

TEST(Metrics, CollectorsAreAppendedInOrderOnEveryRender) {
    Metrics metrics;
    int calls = 0;
    metrics.add_collector([&calls] {
        ++calls;
        return std::string("# TYPE forgehive_agent_threads gauge\nforgehive_agent_threads 4\n");
    });
    metrics.add_collector([] { return std::string("# TYPE forgehive_queue gauge\nforgehive_queue 9\n"); });
    auto text = metrics.render();
    const std::string tail =
        "# TYPE forgehive_agent_threads gauge\nforgehive_agent_threads 4\n# TYPE forgehive_queue gauge\nforgehive_queue 9\n";
    ASSERT_GE(text.size(), tail.size());
    EXPECT_EQ(text.substr(text.size() - tail.size()), tail);
    metrics.render();
    EXPECT_EQ(calls, 2);
}

TEST(Metrics, ConcurrentUpdatesAreAllCounted) {
    Metrics metrics;
    constexpr int kThreads = 4;
    constexpr int kPerThread = 2000;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&metrics] {
            for (int i = 0; i < kPerThread; ++i) {
                metrics.connection_opened();
                metrics.request_started();
                metrics.request_finished("/c", "GET", 200, 0.004);
                metrics.connection_closed();
            }
        });
    for (auto& t : threads) t.join();
    auto text = metrics.render();
    EXPECT_EQ(sample(text, R"(forgehive_http_requests_total{route="/c",method="GET",status="200"})"),
              std::to_string(kThreads * kPerThread));
    EXPECT_EQ(sample(text, "forgehive_http_requests_in_flight"), "0");
    EXPECT_EQ(sample(text, "forgehive_http_open_connections"), "0");
    EXPECT_EQ(buckets(text, "/c").back().count, static_cast<std::uint64_t>(kThreads * kPerThread));
}

}  // namespace
}  // namespace forgehive::http
