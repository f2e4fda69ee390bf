#!/usr/bin/env python3
"""NumPy (OpenBLAS) GEMM GFLOP/s: the reference for bench/tensor_bench.cpp (docs/performance.md, "Tensor
kernels").

OpenBLAS 0.3.21 misdetects this CPU unless OPENBLAS_CORETYPE=SkylakeX (DESIGN.md §8), so the script sets
it, and OPENBLAS_NUM_THREADS to --threads, before NumPy loads the library. Times are the best of --repeat
runs, in process CPU time (less sensitive to other load on the machine; the C++ one-thread figures use
CPU time too) and in wall time (the figure to compare with more than one thread: OpenBLAS threads also
spin while they wait).
Needs python3-numpy and libopenblas0-pthread (Debian: run with /usr/bin/python3; benchmark only).
Usage: gemm_numpy.py [--sizes 1024 4096] [--threads 1] [--repeat 5]
"""
import argparse
import os
import sys
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1024, 4096])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    os.environ["OPENBLAS_CORETYPE"] = "SkylakeX"
    os.environ["OPENBLAS_NUM_THREADS"] = str(args.threads)
    import numpy as np

    rng = np.random.default_rng(1)
    for n in args.sizes:
        for dtype in (np.float32, np.float64):
            a = rng.uniform(-1, 1, (n, n)).astype(dtype)
            b = rng.uniform(-1, 1, (n, n)).astype(dtype)
            a @ b
            best_cpu, best_wall = float("inf"), float("inf")
            for _ in range(args.repeat if n <= 1024 else max(2, args.repeat // 2)):
                cpu, wall = time.process_time(), time.perf_counter()
                a @ b
                best_cpu = min(best_cpu, time.process_time() - cpu)
                best_wall = min(best_wall, time.perf_counter() - wall)
            flops = 2.0 * n**3
            print(f"n={n} {np.dtype(dtype).name} threads={args.threads}: "
                  f"{flops / best_cpu / 1e9:.1f} GFLOP/s (CPU time), {flops / best_wall / 1e9:.1f} GFLOP/s (wall)")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
