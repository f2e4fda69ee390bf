#!/usr/bin/env python3
"""eta.v1 vectorised in NumPy: the reference point for bench/mc_kernels_bench.cpp (docs/mc-models.md).

Same model and arguments as the C++ benchmark:
  eta = base + max(0, N(tm, ts)) + [U1 < wp] max(0, N(wm, ws)) + [U2 < ip] max(0, N(im, is))
Prints ns/iteration on one thread (best of --repeat runs, in process CPU time like the C++ benchmark's
ns_per_iter counter, so other load on the machine matters less) for sampling alone and for sampling
plus the eta.v1 outputs (mean, std, min, max, p50/p90/p95/p99, 20-bin histogram, exceedance). NumPy's
quantiles are exact (np.quantile over all samples), so that figure also needs memory proportional to
the iterations.
Needs python3-numpy (Debian: run with /usr/bin/python3). Usage: eta_numpy.py [--iterations N]
"""
import argparse
import os
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one thread, like the C++ figure
import numpy as np

ARGS = dict(base=20.0, tm=5.0, ts=3.0, wp=0.2, wm=4.0, ws=2.0, ip=0.05, im=15.0, is_=10.0)
THRESHOLDS = np.array([25.0, 30.0, 45.0])


def sample(rng, n, a):
    traffic = np.maximum(0.0, rng.normal(a["tm"], a["ts"], n))
    weather = (rng.random(n) < a["wp"]) * np.maximum(0.0, rng.normal(a["wm"], a["ws"], n))
    incident = (rng.random(n) < a["ip"]) * np.maximum(0.0, rng.normal(a["im"], a["is_"], n))
    return a["base"] + traffic + weather + incident


def outputs(eta):
    n = eta.size
    mean = eta.mean()
    std = eta.std(ddof=1)
    q = np.quantile(eta, [0.5, 0.9, 0.95, 0.99])
    hist = np.histogram(eta, bins=20, range=(eta.min(), eta.max()))
    exceed = (eta[:, None] > THRESHOLDS).mean(axis=0)
    return mean, std, std / np.sqrt(n), eta.min(), eta.max(), q, hist, exceed


def best_of(repeat, fn):
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        result = fn()
        best = min(best, time.process_time() - start)
    return best, result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--iterations", type=int, default=64 * 65536)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    n = args.iterations
    rng = np.random.default_rng(12345)
    t_sample, eta = best_of(args.repeat, lambda: sample(rng, n, ARGS))
    t_full, out = best_of(args.repeat, lambda: outputs(sample(rng, n, ARGS)))
    print(f"numpy {np.__version__}, {n} iterations, best of {args.repeat}")
    print(f"eta.v1 sampling only:        {t_sample / n * 1e9:6.1f} ns/iteration")
    print(f"eta.v1 sampling + outputs:   {t_full / n * 1e9:6.1f} ns/iteration")
    print(f"mean {out[0]:.4f}  std {out[1]:.4f}  p50 {out[5][0]:.3f}  p99 {out[5][3]:.3f}")


if __name__ == "__main__":
    main()
