#!/usr/bin/env python3
"""End-to-end load on POST /v1/compute: signed requests per second and latency over HTTP.

Starts nothing: point it at a running server whose principals include the key of --seed. Signing uses
the integration tests' independent client (tests/fixtures/hive/hive_client.py: PyNaCl and its own
RFC 8785 code), so run it with Debian's /usr/bin/python3 (python3-nacl). Example, from the repository root:

    SEED=$(printf '11%.0s' $(seq 32))
    PK=$(/usr/bin/python3 tests/fixtures/hive/hive_client.py pk $SEED)
    build/hbench/src/forgehive principal add --data-dir /tmp/fhhive --pk $PK --name bench
    build/hbench/src/forgehive serve --listen 127.0.0.1:18081 --data-dir /tmp/fhhive &
    /usr/bin/python3 bench/hive_e2e.py --url http://127.0.0.1:18081 --seed $SEED --server-pid $!

Two cases, each of --requests distinct requests (own nonce, so own signature) signed before timing
starts and posted from --connections keep-alive connections (one thread each):
  402  a 1-step sensor_fusion request whose budget_gns (0.0001) is below the step's price: it passes
       all four gates and is refused at the budget check; nothing runs and nothing is stored;
  200  the same request with budget_gns 0.01: the job is persisted (durable SQLite commits), fused
       on an agent, settled, proved and stored.
Reports requests/s over the wall time of the case, latency percentiles, and, with --server-pid, the
server's CPU time per request (utime + stime from /proc).
"""
import argparse
import datetime
import http.client
import itertools
import json
import os
import pathlib
import statistics
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "hive"))
import hive_client  # noqa: E402  (found through the path above)

BUDGETS = {402: 0.0001, 200: 0.01}
AOI = {"type": "Polygon",
       "coordinates": [[[12.45, 41.89], [12.51, 41.89], [12.51, 41.92], [12.45, 41.92], [12.45, 41.89]]]}


def request_body(seed, public_key, budget, nonce, issued_at):
    now = int(time.time())
    document = {
        "requester_pk": public_key,
        "h3_cell": "871e8052affffff",
        "budget_gns": budget,
        "issued_at": issued_at,
        "nonce": nonce,
        "steps": [{"id": "air", "type": "sensor_fusion", "context": {"aoi": AOI},
                   "readings": [{"sensor_id": "station-1", "value": 21.4, "variance": 0.25, "timestamp": now - 60},
                                {"sensor_id": "station-2", "value": 21.9, "variance": 0.5, "timestamp": now - 30}]}],
    }
    return json.dumps(hive_client.signed(document, seed)).encode()


def presign(seed, status, count, phase):
    """Distinct requests: the nonce names this process, the case, the phase and the index."""
    public_key = hive_client.signing_key(seed).verify_key.encode().hex()
    issued_at = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return [request_body(seed, public_key, BUDGETS[status], f"hive-e2e-{os.getpid()}-{status}-{phase}-{i:08d}", issued_at)
            for i in range(count)]


def server_cpu_seconds(pid):
    """(user, system) CPU seconds of the server process so far."""
    if pid is None:
        return None
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return int(fields[11]) / ticks, int(fields[12]) / ticks  # utime, stime (proc(5))


def worker(url, bodies, next_index, expected, latencies, failures):
    conn = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=120)
    headers = {"Content-Type": "application/json"}
    for i in next_index:
        if i >= len(bodies):
            break
        start = time.perf_counter()
        conn.request("POST", "/v1/compute", body=bodies[i], headers=headers)
        response = conn.getresponse()
        data = response.read()
        latencies.append(time.perf_counter() - start)
        if response.status != expected:
            failures.append(f"request {i}: HTTP {response.status} {data[:200]!r}")
    conn.close()


def run_case(url, bodies, connections, expected):
    next_index = itertools.count()  # next() on it is atomic under the GIL
    latencies, failures = [], []
    threads = [threading.Thread(target=worker, args=(url, bodies, next_index, expected, latencies, failures))
               for _ in range(connections)]
    start = time.perf_counter()
    client_cpu = time.process_time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - start, time.process_time() - client_cpu, latencies, failures


def percentile(sorted_values, p):
    return sorted_values[min(len(sorted_values) - 1, int(round(p / 100 * (len(sorted_values) - 1))))]


def report(status, count, connections, wall, client_cpu, server_cpu, latencies):
    ms = sorted(x * 1000 for x in latencies)
    line = (f"{status}: {count} requests, {connections} connections: {count / wall:,.0f} req/s; latency ms "
            f"p50 {percentile(ms, 50):.2f} p90 {percentile(ms, 90):.2f} p99 {percentile(ms, 99):.2f} "
            f"max {ms[-1]:.2f} mean {statistics.fmean(ms):.2f}; client CPU {client_cpu / wall:.0%} of wall")
    if server_cpu is not None:
        user, system = (seconds / count * 1e6 for seconds in server_cpu)
        line += f"; server CPU {user + system:.0f} us/request (user {user:.0f}, system {system:.0f})"
    print(line, flush=True)
    return {"status": status, "requests": count, "connections": connections, "wall_s": wall,
            "requests_per_s": count / wall, "p50_ms": percentile(ms, 50), "p90_ms": percentile(ms, 90),
            "p99_ms": percentile(ms, 99), "max_ms": ms[-1], "client_cpu_s": client_cpu,
            "server_user_us_per_request": None if server_cpu is None else server_cpu[0] / count * 1e6,
            "server_system_us_per_request": None if server_cpu is None else server_cpu[1] / count * 1e6}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:8080")
    parser.add_argument("--seed", required=True, help="64 hex digits: Ed25519 seed of a registered principal")
    parser.add_argument("--requests", type=int, default=2000, help="per case")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--cases", default="402,200", help="comma-separated: 402, 200")
    parser.add_argument("--warmup", type=int, default=50, help="untimed requests before each case")
    parser.add_argument("--server-pid", type=int, help="read the server's CPU time from /proc")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    url = urllib.parse.urlparse(args.url)
    results = []
    for status in (int(c) for c in args.cases.split(",")):
        warmup = presign(args.seed, status, args.warmup, "warmup")
        signing = time.perf_counter()
        bodies = presign(args.seed, status, args.requests, "timed")
        print(f"{status}: signed {len(bodies)} requests in {time.perf_counter() - signing:.1f} s "
              f"({len(bodies[0])} bytes each)", flush=True)
        if warmup:
            run_case(url, warmup, args.connections, status)
        before = server_cpu_seconds(args.server_pid)
        wall, client_cpu, latencies, failures = run_case(url, bodies, args.connections, status)
        after = server_cpu_seconds(args.server_pid)
        if failures:
            raise SystemExit(f"{len(failures)} unexpected answers, first: {failures[0]}")
        server_cpu = None if before is None else (after[0] - before[0], after[1] - before[1])
        results.append(report(status, len(bodies), args.connections, wall, client_cpu, server_cpu, latencies))
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
