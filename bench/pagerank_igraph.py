#!/usr/bin/python3
"""PageRank with python3-igraph (PRPACK, its default solver, called by igraph with tolerance 1e-10) on the
graph build/.../graph_bench wrote: 1e6 nodes, 1e7 seeded random edges as little-endian uint32 pairs.
Reports the CPU seconds of g.pagerank() (graph construction not included) and, when graph_bench also wrote
its scores, the L1 distance between the two results.

Usage (after running graph_bench, which writes both files):
  /usr/bin/python3 bench/pagerank_igraph.py [--edges /tmp/forgehive_graph_bench_edges.bin]
      [--scores /tmp/forgehive_graph_bench_scores.bin] [--nodes 1000000] [--repeat 3]
Needs python3-igraph and python3-numpy (Debian 12); benchmark only, not a build dependency.
"""
import argparse
import os
import statistics
import time

import igraph
import numpy as np


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--edges", default="/tmp/forgehive_graph_bench_edges.bin")
    parser.add_argument("--scores", default="/tmp/forgehive_graph_bench_scores.bin")
    parser.add_argument("--nodes", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    edges = np.fromfile(args.edges, dtype="<u4").reshape(-1, 2)
    g = igraph.Graph(n=args.nodes, edges=edges.tolist(), directed=True)
    print(f"igraph {igraph.__version__}: {g.vcount()} nodes, {g.ecount()} edges")

    seconds = []
    for _ in range(args.repeat):
        start = time.process_time()
        scores = g.pagerank(damping=0.85, directed=True)
        seconds.append(time.process_time() - start)
    print(f"pagerank (prpack) CPU seconds: {' '.join(f'{s:.3f}' for s in seconds)}; "
          f"median {statistics.median(seconds):.3f}")

    if os.path.exists(args.scores):
        ours = np.fromfile(args.scores, dtype="<f8")
        theirs = np.asarray(scores)
        print(f"L1 distance to graph_bench's scores: {np.abs(ours - theirs).sum():.3e}; "
              f"max abs {np.abs(ours - theirs).max():.3e}")


if __name__ == "__main__":
    main()
