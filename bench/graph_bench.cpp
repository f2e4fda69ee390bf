// Graph kernel benchmarks: CSR build and PageRank (one thread, fixed L1 tolerance) on a seeded random
// graph of 1e6 nodes and 1e7 edges. Writes the edges (and the scores) to files that
// bench/pagerank_igraph.py reads, so igraph runs on exactly the same graph (docs/performance.md).
#include "forgehive/kernels/graph/pagerank.hpp"

#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace graph = forgehive::kernels::graph;

namespace {

constexpr std::size_t kNodes = 1'000'000;
constexpr std::size_t kEdges = 10'000'000;
constexpr std::uint64_t kSeed = 20261124;
constexpr double kTolerance = 1e-10;  // the L1 tolerance igraph's PRPACK solver is called with

// SplitMix64 (Steele, Lea, Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014).
class SplitMix64 {
public:
    explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    // Multiply-shift onto [0, n) from the top 32 bits (n < 2^32; the bias is below 2^-12 here).
    std::uint32_t below(std::uint64_t n) { return static_cast<std::uint32_t>(((next() >> 32) * n) >> 32); }

private:
    std::uint64_t state_;
};

// Uniform random endpoints: self loops and parallel edges occur (about 10 and 50) and are kept.
std::vector<graph::Edge> random_edges() {
    SplitMix64 rng(kSeed);
    std::vector<graph::Edge> edges(kEdges);
    for (auto& e : edges) {
        e.source = rng.below(kNodes);
        e.target = rng.below(kNodes);
    }
    return edges;
}

std::string env_or(const char* name, const char* fallback) {
    const char* value = std::getenv(name);
    return value ? value : fallback;
}

// Little-endian uint32 pairs (x86-64 is little-endian).
void write_edges(const std::vector<graph::Edge>& edges, const std::string& path) {
    std::vector<std::uint32_t> flat;
    flat.reserve(edges.size() * 2);
    for (const auto& e : edges) {
        flat.push_back(static_cast<std::uint32_t>(e.source));
        flat.push_back(static_cast<std::uint32_t>(e.target));
    }
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(flat.data()), static_cast<std::streamsize>(flat.size() * sizeof(std::uint32_t)));
    if (!out) throw std::runtime_error("cannot write " + path);
}

void write_scores(const std::vector<double>& scores, const std::string& path) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(scores.data()), static_cast<std::streamsize>(scores.size() * sizeof(double)));
    if (!out) throw std::runtime_error("cannot write " + path);
}

const std::vector<graph::Edge>& edges() {
    static const std::vector<graph::Edge> e = random_edges();
    return e;
}

const graph::CsrGraph& csr() {
    static const graph::CsrGraph g = graph::build_graph(kNodes, edges(), {});
    return g;
}

const graph::PageRankOptions kOptions{.tolerance = kTolerance, .max_iterations = 1000};

void BM_BuildGraph(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(graph::build_graph(kNodes, edges(), {}));
    state.counters["edges_per_s"] = benchmark::Counter(static_cast<double>(kEdges) * static_cast<double>(state.iterations()),
                                                       benchmark::Counter::kIsRate);
}

// The whole call, as a request would make it: transpose, out-degrees, then the sweeps.
void BM_PageRank(benchmark::State& state) {
    graph::PageRankResult r;
    for (auto _ : state) {
        r = graph::pagerank(csr(), kOptions);
        benchmark::DoNotOptimize(r.scores.data());
    }
    state.counters["sweeps"] = r.iterations;
    state.counters["residual"] = r.residual;
    write_scores(r.scores, env_or("GRAPH_BENCH_SCORES", "/tmp/forgehive_graph_bench_scores.bin"));
}

void BM_PageRankProblem(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(graph::make_pagerank_problem(csr(), kOptions));
}

// One sweep over all vertices: the unit of work the hub shards across agents.
void BM_PageRankSweep(benchmark::State& state) {
    const graph::PageRankProblem problem = graph::make_pagerank_problem(csr(), kOptions);
    const graph::PageRankIterate x = graph::initial_iterate(problem);
    graph::PageRankIterate next = x;
    for (auto _ : state) {
        benchmark::DoNotOptimize(graph::sweep_range(problem, x, {0, static_cast<graph::NodeId>(kNodes)}, next));
    }
    state.counters["ns_per_edge"] = benchmark::Counter(static_cast<double>(kEdges) * static_cast<double>(state.iterations()),
                                                       benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

BENCHMARK(BM_BuildGraph)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PageRankProblem)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PageRankSweep)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PageRank)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace

int main(int argc, char** argv) {
    write_edges(edges(), env_or("GRAPH_BENCH_EDGES", "/tmp/forgehive_graph_bench_edges.bin"));
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
