#!/usr/bin/env python3
"""End-to-end benchmark of POST /api/v0/ops/execute over HTTP (standard library only).

Starts nothing: point it at a running server. Example, from the repository root:
    scripts/run &                     # or: build/release/src/forgehive serve --data-dir ./var
    python3 bench/e2e_execute.py --url http://127.0.0.1:8080 --token "$(cat var/dev-token)"

Reports (1) the latency of the API document's example request (1M iterations, spotcheck),
sequential, one keep-alive connection: median / p90 / min over --requests runs; and
(2) agent scaling: wall time of one large job with max_agents=1 and max_agents=2 (verify none).
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


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:8080")
    parser.add_argument("--token", required=True)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--scaling-iterations", type=int, default=200_000_000)
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

    walls = {}
    for agents in (1, 2):
        big = json.loads(json.dumps(SEED_EXAMPLE))
        big["args"]["iterations"] = args.scaling_iterations
        big["policy"].update({"max_agents": agents, "verify": "none"})
        elapsed, body = post(conn, args.token, big)
        walls[agents] = body["hub"]["metrics"]["wall_ms"]
        per_iteration = walls[agents] * 1e6 / args.scaling_iterations
        print(f"{args.scaling_iterations:.0e} iterations, max_agents={agents}: hub wall {walls[agents]:.1f} ms "
              f"({per_iteration:.2f} ns/iteration), HTTP {elapsed * 1000:.1f} ms, "
              f"output_hash {body['hub']['replay']['output_hash'][:16]}")
    print(f"speed-up 2 agents / 1 agent: {walls[1] / walls[2]:.2f}x")


if __name__ == "__main__":
    main()
