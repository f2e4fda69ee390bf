#!/usr/bin/env python3
"""End-to-end benchmark of POST /api/v0/ops/execute over HTTP (standard library only).

Starts nothing: point it at a running server. Example, from the repository root:
    scripts/run &                     # or: build/release/src/forgehive serve --data-dir ./var
    python3 bench/e2e_execute.py --url http://127.0.0.1:8080 --token "$(cat var/dev-token)"

Reports (1) the latency of the API document's example request (1M iterations, spotcheck),
sequential, one keep-alive connection: median / p90 / min over --requests runs; and
(2) agent scaling: hub wall time of one large job with max_agents=1 and max_agents=2 (verify none),
repeated --pairs times in alternating order; each pair's ratio and the median ratio are printed, since
on a shared machine one pair alone says little.
Requests use billing.mode=test, so nothing is charged.
"""
import argparse
import http.client
import json
import statistics
import time
import urllib.parse

SEED_EXAMPLE = {
    "ctx": {"trace_id": "bench", "billing": {"mode": "test"}},
    "op": {"name": "mc", "version": 1, "profile": "eta.v1"},
    "seed": {"mode": "explicit", "value": "eta-seed-001"},
    "policy": {"target": "cpu", "min_agents": 1, "max_agents": 16, "verify": "spotcheck"},
    "args": {"iterations": 1000000, "base_eta": 3600, "traffic_mean": 120, "traffic_std": 60,
             "weather_prob": 0.2, "weather_mean": 300, "weather_std": 120, "incident_prob": 0.05,
             "incident_mean": 600, "incident_std": 200},
}


def post(conn, token, body):
    payload = json.dumps(body)
    start = time.perf_counter()
    conn.request("POST", "/api/v0/ops/execute", body=payload,
                 headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    response = conn.getresponse()
    data = response.read()
    elapsed = time.perf_counter() - start
    if response.status != 200:
        raise SystemExit(f"HTTP {response.status}: {data[:300]!r}")
    return elapsed, json.loads(data)


# One job of `iterations` on at most `agents` agents, verify none; prints and returns its hub wall time.
def scaling_run(conn, token, agents, iterations):
    big = json.loads(json.dumps(SEED_EXAMPLE))
    big["args"]["iterations"] = iterations
    big["policy"].update({"max_agents": agents, "verify": "none"})
    elapsed, body = post(conn, token, big)
    wall = body["hub"]["metrics"]["wall_ms"]
    print(f"{iterations:.0e} iterations, max_agents={agents}: hub wall {wall:.1f} ms "
          f"({wall * 1e6 / iterations:.2f} ns/iteration), HTTP {elapsed * 1000:.1f} ms, "
          f"output_hash {body['hub']['replay']['output_hash'][:16]}")
    return wall


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:8080")
    parser.add_argument("--token", required=True)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--scaling-iterations", type=int, default=200_000_000)
    parser.add_argument("--pairs", type=int, default=1)
    args = parser.parse_args()
    url = urllib.parse.urlparse(args.url)
    conn = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=600)

    post(conn, args.token, SEED_EXAMPLE)  # warm-up
    times = []
    for _ in range(args.requests):
        elapsed, body = post(conn, args.token, SEED_EXAMPLE)
        times.append(elapsed * 1000)
    times.sort()
    print(f"seed example (1e6 iterations, spotcheck), {args.requests} sequential requests:")
    print(f"  median {statistics.median(times):.2f} ms, p90 {times[int(0.9 * len(times)) - 1]:.2f} ms, "
          f"min {times[0]:.2f} ms; hub wall_ms of last: {body['hub']['metrics']['wall_ms']:.2f}")

    ratios = []
    for pair in range(args.pairs):
        walls = {}
        for agents in (1, 2) if pair % 2 == 0 else (2, 1):
            walls[agents] = scaling_run(conn, args.token, agents, args.scaling_iterations)
        ratios.append(walls[1] / walls[2])
        print(f"speed-up 2 agents / 1 agent: {ratios[-1]:.2f}x")
    if len(ratios) > 1:
        print(f"median speed-up over {len(ratios)} pairs: {statistics.median(ratios):.2f}x "
              f"(min {min(ratios):.2f}, max {max(ratios):.2f})")


if __name__ == "__main__":
    main()
