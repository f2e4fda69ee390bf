// Hub: planning, dispatch, verification and reduction with a small exact workload, on a real
// agent pool driven from an io_context (as the server does).
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include "forgehive/crypto/ed25519.hpp"
#include "forgehive/crypto/hex.hpp"
#include "forgehive/hub/hub.hpp"

namespace forgehive::hub {
namespace {

// Unit u contributes u*u + 1; integer sums merge exactly in any grouping.
class SquaresPartial final : public PartialResult {
public:
    explicit SquaresPartial(std::uint64_t sum) : sum_(sum) {}
    void merge(const PartialResult& next) override { sum_ += static_cast<const SquaresPartial&>(next).sum_; }
    nlohmann::json canonical() const override { return {{"sum", sum_}}; }
    nlohmann::ordered_json output() const override { return {{"sum", sum_}}; }

private:
    std::uint64_t sum_;
};

class Squares final : public Workload {
public:
    explicit Squares(std::uint64_t units) : units_(units) {}
    std::uint64_t unit_count() const override { return units_; }
    std::uint64_t unit_size() const override { return 1; }
    std::uint64_t work_in(std::uint64_t, std::uint64_t count) const override { return count; }
    std::unique_ptr<PartialResult> run(std::uint64_t first, std::uint64_t count) const override {
        std::uint64_t sum = 0;
        for (auto u = first; u < first + count; ++u) sum += u * u + 1;
        return std::make_unique<SquaresPartial>(sum);
    }
    std::map<std::string, std::string> kernel_versions() const override { return {{"squares", "1"}}; }

private:
    std::uint64_t units_;
};

// An iterative workload: round r adds offset to every unit's u*u + 1, where offset comes from the previous
// round's merged sum, so a wrong merge or a round out of order changes the final output.
class Rounds final : public Workload {
public:
    Rounds(std::uint64_t units, std::uint64_t round, std::uint64_t offset, std::uint64_t last_round)
        : units_(units), round_(round), offset_(offset), last_round_(last_round) {}
    std::uint64_t unit_count() const override { return units_; }
    std::uint64_t unit_size() const override { return 1; }
    std::uint64_t work_in(std::uint64_t, std::uint64_t count) const override { return count; }
    std::unique_ptr<PartialResult> run(std::uint64_t first, std::uint64_t count) const override {
        std::uint64_t sum = 0;
        for (auto u = first; u < first + count; ++u) sum += u * u + 1 + offset_;
        return std::make_unique<SquaresPartial>(sum);
    }
    std::map<std::string, std::string> kernel_versions() const override { return {{"rounds", "1"}}; }
    std::shared_ptr<const Workload> next_round(const PartialResult& merged) const override {
        if (round_ == last_round_) return nullptr;
        auto sum = merged.canonical()["sum"].get<std::uint64_t>();
        return std::make_shared<Rounds>(units_, round_ + 1, sum % 97, last_round_);
    }

private:
    std::uint64_t units_, round_, offset_, last_round_;
};

// The same computation done sequentially, as the hub must reproduce it.
std::uint64_t expected_rounds_sum(std::uint64_t units, std::uint64_t last_round) {
    std::uint64_t offset = 0, sum = 0;
    for (std::uint64_t r = 0; r <= last_round; ++r) {
        sum = 0;
        for (std::uint64_t u = 0; u < units; ++u) sum += u * u + 1 + offset;
        offset = sum % 97;
    }
    return sum;
}

// Fails every unit the way a family kernel refuses its input.
class Refusing final : public Workload {
public:
    std::uint64_t unit_count() const override { return 1; }
    std::uint64_t unit_size() const override { return 1; }
    std::uint64_t work_in(std::uint64_t, std::uint64_t count) const override { return count; }
    std::unique_ptr<PartialResult> run(std::uint64_t, std::uint64_t) const override {
        throw std::domain_error("matrix is singular");
    }
    std::map<std::string, std::string> kernel_versions() const override { return {}; }
};

JobSpec job(std::uint64_t units, std::int64_t max_agents, Verify verify) {
    JobSpec spec;
    spec.root_seed = std::string(64, 'a');
    spec.seed_mode = "explicit";
    spec.max_agents = max_agents;
    spec.verify = verify;
    spec.workload = std::make_shared<Squares>(units);
    return spec;
}

HubResult run(agents::AgentPool& pool, const JobSpec& spec, HubOptions options = {}) {
    boost::asio::io_context io;
    auto future = boost::asio::co_spawn(io, execute(pool, spec, options), boost::asio::use_future);
    io.run();
    return future.get();
}

std::uint64_t expected_sum(std::uint64_t units) {
    std::uint64_t sum = 0;
    for (std::uint64_t u = 0; u < units; ++u) sum += u * u + 1;
    return sum;
}

TEST(ShardBounds, CoverEveryUnitOnceInOrder) {
    auto bounds = shard_bounds(10, 3);
    EXPECT_EQ(bounds, (std::vector<std::uint64_t>{0, 3, 6, 10}));
    EXPECT_EQ(shard_bounds(5, 1), (std::vector<std::uint64_t>{0, 5}));
}

TEST(Spotcheck, IsADeterministicNonEmptySubset) {
    auto a = spotcheck_shards(std::string(64, 'a'), 25);
    EXPECT_EQ(a, spotcheck_shards(std::string(64, 'a'), 25));
    EXPECT_EQ(a.size(), 3u);
    EXPECT_NE(a, spotcheck_shards(std::string(64, 'b'), 25));
    EXPECT_EQ(spotcheck_shards(std::string(64, 'a'), 1), std::vector<std::size_t>{0});
}

TEST(Hub, OutputAndHashAreTheSameForEveryAgentCount) {
    agents::AgentPool pool({4, ""});
    std::string reference;
    for (std::int64_t agents : {1, 2, 3, 4, 16}) {
        auto result = run(pool, job(37, agents, Verify::none));
        EXPECT_EQ(result.output["sum"], expected_sum(37));
        EXPECT_EQ(result.metrics.shards, static_cast<std::size_t>(std::min<std::int64_t>(agents, 4)));
        if (reference.empty()) reference = result.output_hash;
        EXPECT_EQ(result.output_hash, reference);
    }
}

TEST(Hub, MinAgentsSetsTheShardCountEvenWithFewerAgents) {
    agents::AgentPool pool({2, ""});
    auto spec = job(37, 16, Verify::none);
    spec.min_agents = 5;
    auto result = run(pool, spec);
    EXPECT_EQ(result.metrics.shards, 5u);
    EXPECT_EQ(result.metrics.agents_used, 2u);
    EXPECT_EQ(result.output["sum"], expected_sum(37));
    EXPECT_EQ(result.output_hash, run(pool, job(37, 1, Verify::none)).output_hash);
}

TEST(Hub, ExecutionsAreSignedByTheirAgents) {
    agents::AgentPool pool({3, ""});
    auto result = run(pool, job(9, 3, Verify::none));
    ASSERT_EQ(result.executions.size(), 3u);
    std::uint64_t iterations = 0;
    for (const auto& e : result.executions) {
        iterations += e.iterations;
        auto key = crypto::from_hex(e.agent_id.substr(8));
        auto signature = crypto::from_hex(e.signature);
        ASSERT_TRUE(key && signature);
        EXPECT_TRUE(crypto::verify(e.result_hash, *signature, *key));
    }
    EXPECT_EQ(iterations, 9u);
}

TEST(Hub, FullVerificationReRunsEveryShardOnAnotherAgent) {
    agents::AgentPool pool({3, ""});
    auto result = run(pool, job(12, 3, Verify::full));
    EXPECT_EQ(result.metrics.shards_verified, 3u);
    for (const auto& e : result.executions) EXPECT_EQ(e.verified, "match");
}

TEST(Hub, FaultyAgentIsOutvotedAndQuarantined) {
    agents::AgentPool pool({3, ""});
    HubOptions faulty;
    faulty.fault_inject_agent = 1;
    auto result = run(pool, job(12, 3, Verify::full), faulty);
    EXPECT_EQ(result.output["sum"], expected_sum(12));
    EXPECT_GE(result.metrics.mismatches, 1u);
    EXPECT_TRUE(pool.agent(1).quarantined());
    EXPECT_EQ(pool.healthy_agents(), (std::vector<std::size_t>{0, 2}));
}

TEST(Hub, TwoAgentsThatDisagreeCannotBreakTheTie) {
    agents::AgentPool pool({2, ""});
    HubOptions faulty;
    faulty.fault_inject_agent = 0;
    EXPECT_THROW(run(pool, job(4, 2, Verify::full), faulty), HubError);
}

TEST(Hub, CancelledJobStops) {
    agents::AgentPool pool({2, ""});
    auto spec = job(1000, 2, Verify::none);
    spec.control->cancelled = true;
    try {
        run(pool, spec);
        FAIL() << "expected HubError";
    } catch (const HubError& e) {
        EXPECT_EQ(e.code(), "cancelled");
    }
}

TEST(Hub, IterativeWorkloadRunsEveryRoundWithTheSameOutputForEveryAgentCount) {
    std::string first_hash;
    for (std::size_t agents : {1, 2, 3}) {
        agents::AgentPool pool({agents, ""});
        auto spec = job(40, 999, Verify::spotcheck);
        spec.workload = std::make_shared<Rounds>(40, 0, 0, 4);
        auto result = run(pool, spec);
        EXPECT_EQ(result.output["sum"], expected_rounds_sum(40, 4));
        EXPECT_EQ(result.metrics.rounds, 5u);
        EXPECT_EQ(result.metrics.shards_verified, 5u);  // one spotchecked shard per round
        std::uint64_t iterations = 0;
        for (const auto& e : result.executions) {
            EXPECT_EQ(e.rounds, 5u);
            iterations += e.iterations;
        }
        EXPECT_EQ(iterations, 5u * 40u);
        if (first_hash.empty()) first_hash = result.output_hash;
        EXPECT_EQ(result.output_hash, first_hash) << agents << " agents";
    }
}

TEST(Hub, QuarantinedAgentGetsNoShardInLaterRounds) {
    agents::AgentPool pool({3, ""});
    HubOptions faulty;
    faulty.fault_inject_agent = 1;
    auto spec = job(12, 3, Verify::full);
    spec.workload = std::make_shared<Rounds>(12, 0, 0, 2);
    auto result = run(pool, spec, faulty);
    EXPECT_EQ(result.output["sum"], expected_rounds_sum(12, 2));
    EXPECT_TRUE(pool.agent(1).quarantined());
    for (const auto& e : result.executions) EXPECT_NE(e.agent_id, pool.agent(1).id());
}

TEST(Hub, WorkloadErrorsFailTheJobWithTheirMessage) {
    agents::AgentPool pool({2, ""});
    auto spec = job(1, 2, Verify::none);
    spec.workload = std::make_shared<Refusing>();
    try {
        run(pool, spec);
        FAIL() << "expected HubError";
    } catch (const HubError& e) {
        EXPECT_EQ(e.code(), "execution_failed");
        EXPECT_STREQ(e.what(), "matrix is singular");
    }
}

}  // namespace
}  // namespace forgehive::hub
