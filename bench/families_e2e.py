#!/usr/bin/python3
"""End-to-end benchmark of the tensor and graph families over HTTP, inputs uploaded as artifacts
(issue #5, docs/performance.md "Families end to end (issue #5)").

Starts nothing: point it at a running server with `agents.threads = 2` and no rate limit. From the
repository root, with a Release build:
    bin=build/famrel/src/forgehive; data=/tmp/fh-families
    $bin project create bench --data-dir $data
    TOKEN=$($bin token create --project bench --data-dir $data | tail -n 1)
    FORGEHIVE_AGENTS_THREADS=2 FORGEHIVE_GATEWAY_RATE_PER_SECOND=0 FORGEHIVE_HUB_JOB_DEADLINE_MS=3600000 \\
      FORGEHIVE_LIMITS_READ_TIMEOUT_MS=600000 FORGEHIVE_LIMITS_WRITE_TIMEOUT_MS=600000 \\
      $bin serve --config config/forgehive.toml --listen 127.0.0.1:18081 --data-dir $data &
    /usr/bin/python3 bench/families_e2e.py --url http://127.0.0.1:18081 --token "$TOKEN"

1. GEMM: A and B (uniform in [-1, 1), seeded) are uploaded as tensor artifacts, then tensor matmul.v1 runs
   with max_agents 1 and 2 (verify none). Reported: upload time, request time, hub.metrics.wall_ms and
   2n^3 / hub wall in GFLOP/s, next to NumPy's A @ B on 1 and 2 OpenBLAS threads measured right after, in
   a subprocess per thread count (OPENBLAS_NUM_THREADS, OPENBLAS_CORETYPE=SkylakeX as in gemm_numpy.py).
   Unless --no-check, c (an artifact reference once over artifacts.inline_output_max_bytes) is downloaded,
   its SHA-256 compared with c_hash and its elements with NumPy's product. The hub's wall time includes
   merging the shards and rendering the output; the slowest shard's time (the product alone) is shown too.
2. PageRank: a seeded random directed graph (NumPy) is uploaded as a text/csv edge list, then graph
   pagerank.v1 (tolerance 1e-10) runs with max_agents 1 and 2; python3-igraph's g.pagerank() (PRPACK)
   runs on the same edges right after, and the top-10 nodes of both are compared.
Times are medians of --repeat runs (the minimum is shown beside). Requests use billing.mode=test.
Needs python3-numpy, python3-igraph and libopenblas0-pthread (Debian 12; benchmark only).
"""
import argparse
import base64
import hashlib
import http.client
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.parse

TENSOR_MEDIA_TYPE = "application/vnd.forgehive.tensor; dtype={dtype}; shape={rows}x{cols}"
NUMPY_DTYPES = {"f32": "float32", "f64": "float64"}
# Largest |forgehive - NumPy| accepted, relative to max |C|: both sum n products in their own order.
RELATIVE_TOLERANCE = {"f32": 1e-4, "f64": 1e-11}


class Client:
    """One keep-alive connection to the server, bearer-authenticated."""

    def __init__(self, url, token):
        parsed = urllib.parse.urlparse(url)
        self.conn = http.client.HTTPConnection(parsed.hostname, parsed.port or 80, timeout=3600)
        self.token = token

    def call(self, method, path, body=None, content_type=None):
        headers = {"Authorization": "Bearer " + self.token}
        if content_type:
            headers["Content-Type"] = content_type
        start = time.perf_counter()
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        elapsed = time.perf_counter() - start
        if response.status not in (200, 201):
            raise SystemExit(f"{method} {path}: HTTP {response.status}: {data[:500]!r}")
        return elapsed, data

    def upload(self, payload, media_type):
        """POSTs an artifact; returns (seconds, id)."""
        elapsed, data = self.call("POST", "/api/v0/artifacts", payload, media_type)
        return elapsed, artifact_id(json.loads(data))

    def execute(self, op, args, max_agents):
        body = {"ctx": {"trace_id": "families-bench", "billing": {"mode": "test"}}, "op": op,
                "policy": {"target": "cpu", "min_agents": 1, "max_agents": max_agents, "verify": "none"},
                "args": args}
        elapsed, data = self.call("POST", "/api/v0/ops/execute", json.dumps(body), "application/json")
        return elapsed, json.loads(data)

    def download(self, ident):
        return self.call("GET", "/api/v0/artifacts/" + ident)


def artifact_id(document):
    """The id in an upload's answer, {"id": ...} or {"artifact": {"id": ...}}."""
    for candidate in (document, document.get("artifact")):
        if isinstance(candidate, dict) and isinstance(candidate.get("id"), str):
            return candidate["id"]
    if isinstance(document.get("artifact"), str):
        return document["artifact"]
    raise SystemExit(f"no artifact id in the upload's answer: {document}")


def hub_output(document):
    return document["hub"]["output"]


def slowest_shard_ms(document):
    """The compute part of a one-round job: the slowest shard's wall time (shards run in parallel)."""
    return max(e["wall_ms"] for e in document["hub"]["executions"])


def summary(values):
    return statistics.median(values), min(values)


def make_matrices(np, n, dtype, seed):
    rng = np.random.default_rng([seed, n])
    kind = NUMPY_DTYPES[dtype]
    return rng.uniform(-1, 1, (n, n)).astype(kind), rng.uniform(-1, 1, (n, n)).astype(kind)


def numpy_gemm_worker(n, dtype, seed, repeat):
    """Runs in a subprocess whose environment fixed OpenBLAS's threads; prints {wall, cpu} as JSON."""
    import numpy as np

    a, b = make_matrices(np, n, dtype, seed)
    a @ b
    walls, cpus = [], []
    for _ in range(repeat):
        cpu, wall = time.process_time(), time.perf_counter()
        a @ b
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    print(json.dumps({"wall": walls, "cpu": cpus}))


def numpy_gemm(n, dtype, seed, repeat, threads):
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads), OPENBLAS_CORETYPE="SkylakeX")
    command = [sys.executable, os.path.abspath(__file__), "--numpy-worker", str(n), dtype, str(seed), str(repeat)]
    result = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    return json.loads(result.stdout)


def check_product(np, client, output, a, b, dtype):
    """Checks c's bytes (downloaded when c is an artifact reference) against c_hash, and its elements
    against NumPy's product."""
    c = output["c"]
    seconds, data = None, None
    if "artifact" in c:
        seconds, data = client.download(c["artifact"])
    elif "base64" in c:
        data = base64.b64decode(c["base64"])
    else:
        data = np.asarray(c["data"], dtype="<" + ("f4" if dtype == "f32" else "f8")).tobytes()
    digest_ok = "sha256:" + hashlib.sha256(data).hexdigest() == output["c_hash"]
    n = a.shape[0]
    ours = np.frombuffer(data, dtype="<" + ("f4" if dtype == "f32" else "f8")).reshape(n, n)
    theirs = a @ b
    diff = float(np.abs(ours.astype(np.float64) - theirs.astype(np.float64)).max())
    scale = float(np.abs(theirs).max())
    within = diff <= RELATIVE_TOLERANCE[dtype] * scale
    return {"download_s": seconds, "sha256_ok": digest_ok, "max_abs_diff": diff, "max_abs_c": scale,
            "within_tolerance": within}


def bench_gemm(np, client, n, dtype, args):
    a, b = make_matrices(np, n, dtype, args.seed)
    media = TENSOR_MEDIA_TYPE.format(dtype=dtype, rows=n, cols=n)
    up_a, id_a = client.upload(a.astype(a.dtype.newbyteorder("<")).tobytes(), media)
    up_b, id_b = client.upload(b.astype(b.dtype.newbyteorder("<")).tobytes(), media)
    row = {"n": n, "dtype": dtype, "upload_s": up_a + up_b, "upload_mb": 2 * a.nbytes / 1e6}
    op = {"name": "tensor", "version": 1, "profile": "matmul.v1"}
    flops = 2.0 * n**3
    hashes = set()
    output = None
    for agents in args.agents:
        requests, walls, shards, reduces = [], [], [], []
        for _ in range(args.repeat):
            elapsed, document = client.execute(op, {"a": {"artifact": id_a}, "b": {"artifact": id_b}}, agents)
            requests.append(elapsed)
            walls.append(document["hub"]["metrics"]["wall_ms"])
            shards.append(slowest_shard_ms(document))
            reduces.append(document["hub"]["metrics"]["reduce_ms"])
            output = hub_output(document)
            hashes.add(output["c_hash"])
        wall_ms, shard_ms = summary(walls), summary(shards)
        row[f"fh{agents}"] = {"request_s": summary(requests), "wall_ms": wall_ms, "shard_ms": shard_ms,
                              "reduce_ms": summary(reduces), "gflops": flops / (wall_ms[0] / 1e3) / 1e9,
                              "shard_gflops": flops / (shard_ms[0] / 1e3) / 1e9}
    for threads in args.agents:
        times = numpy_gemm(n, dtype, args.seed, args.repeat, threads)
        wall = summary(times["wall"])
        row[f"np{threads}"] = {"wall_s": wall, "gflops": flops / wall[0] / 1e9,
                               "cpu_gflops": flops / statistics.median(times["cpu"]) / 1e9}
    row["same_c_hash"] = len(hashes) == 1
    if args.check:
        row["check"] = check_product(np, client, output, a, b, dtype)
    return row


def print_gemm(row, agents):
    print(f"GEMM n={row['n']} {row['dtype']}: upload of A and B {row['upload_s']:.3f} s "
          f"({row['upload_mb'] / row['upload_s']:.0f} MB/s); c_hash identical for all agent counts: "
          f"{row['same_c_hash']}")
    for k in agents:
        fh, ref = row[f"fh{k}"], row[f"np{k}"]
        print(f"  {k} agent(s): request {fh['request_s'][0] * 1e3:.1f} ms (min {fh['request_s'][1] * 1e3:.1f}), "
              f"hub wall {fh['wall_ms'][0]:.1f} ms (min {fh['wall_ms'][1]:.1f}) = {fh['gflops']:.1f} GFLOP/s "
              f"[slowest shard {fh['shard_ms'][0]:.1f} ms = {fh['shard_gflops']:.1f} GFLOP/s, reduce and output "
              f"{fh['reduce_ms'][0]:.1f} ms]; NumPy {k} thread(s) {ref['wall_s'][0] * 1e3:.1f} ms = {ref['gflops']:.1f} GFLOP/s "
              f"(CPU time {ref['cpu_gflops']:.1f}); ratio {fh['gflops'] / ref['gflops']:.0%} "
              f"(shard {fh['shard_gflops'] / ref['gflops']:.0%})")
    if "check" in row:
        c = row["check"]
        where = "inline" if c["download_s"] is None else f"download {c['download_s']:.3f} s"
        print(f"  check: c {where}, SHA-256 = c_hash: {c['sha256_ok']}, max |diff| vs NumPy "
              f"{c['max_abs_diff']:.3e} (max |c| {c['max_abs_c']:.1f}), within tolerance: {c['within_tolerance']}")


def random_edges(np, nodes, edges, seed):
    rng = np.random.default_rng([seed, nodes, edges])
    return rng.integers(0, nodes, edges, dtype=np.int64), rng.integers(0, nodes, edges, dtype=np.int64)


def decimal_columns(np, values, width):
    """Right-aligned ASCII digits of non-negative integers, and the mask of the significant ones."""
    digits = np.empty((values.size, width), dtype=np.uint8)
    rest = values.copy()
    for column in range(width - 1, -1, -1):
        digits[:, column] = 48 + rest % 10
        rest //= 10
    count = 1 + sum((values >= 10**k).astype(np.int64) for k in range(1, width))
    mask = np.arange(width)[None, :] >= (width - count)[:, None]
    return digits, mask


def edges_csv(np, u, v, nodes, chunk=1_000_000):
    """The edge list as `u,v` lines, built with array operations (no per-line Python)."""
    width = len(str(max(nodes - 1, 1)))
    parts = []
    for start in range(0, u.size, chunk):
        du, mu = decimal_columns(np, u[start:start + chunk], width)
        dv, mv = decimal_columns(np, v[start:start + chunk], width)
        rows = np.concatenate([du, np.full((du.shape[0], 1), ord(","), np.uint8), dv,
                               np.full((du.shape[0], 1), ord("\n"), np.uint8)], axis=1)
        always = np.ones((du.shape[0], 1), dtype=bool)
        mask = np.concatenate([mu, always, mv, always], axis=1)
        parts.append(rows[mask].tobytes())
    return b"".join(parts)


def igraph_top(np, scores, k):
    """Top k by score descending, node id ascending (the order of forgehive's `top`)."""
    order = np.lexsort((np.arange(scores.size), -scores))[:k]
    return [(int(i), float(scores[i])) for i in order]


def bench_pagerank(np, client, args):
    import igraph

    u, v = random_edges(np, args.nodes, args.edges, args.seed)
    start = time.perf_counter()
    csv = edges_csv(np, u, v, args.nodes)
    result = {"nodes": args.nodes, "edges": args.edges, "csv_mb": len(csv) / 1e6,
              "csv_build_s": time.perf_counter() - start}
    result["upload_s"], ident = client.upload(csv, "text/csv")
    del csv
    op = {"name": "graph", "version": 1, "profile": "pagerank.v1"}
    request_args = {"nodes": args.nodes, "edges": {"artifact": ident}, "damping": 0.85, "tolerance": 1e-10,
                    "top_k": 10}
    tops = []
    for agents in args.agents:
        requests, walls, reduces = [], [], []
        for _ in range(args.repeat):
            elapsed, document = client.execute(op, request_args, agents)
            requests.append(elapsed)
            walls.append(document["hub"]["metrics"]["wall_ms"])
            reduces.append(document["hub"]["metrics"]["reduce_ms"])
        output = hub_output(document)
        tops.append([(t["node"], t["score"]) for t in output["top"]])
        result[f"fh{agents}"] = {"request_s": summary(requests), "wall_ms": summary(walls),
                                 "reduce_ms": summary(reduces), "rounds": document["hub"]["metrics"]["rounds"],
                                 "iterations": output["iterations"], "residual": output["residual"],
                                 "converged": output["converged"]}
    start = time.perf_counter()
    graph = igraph.Graph(n=args.nodes, edges=np.column_stack([u, v]).tolist(), directed=True)
    result["igraph_build_s"] = time.perf_counter() - start
    walls, cpus = [], []
    for _ in range(args.repeat):
        cpu, wall = time.process_time(), time.perf_counter()
        scores = graph.pagerank(damping=0.85, directed=True)
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    result["igraph"] = {"version": igraph.__version__, "wall_s": summary(walls), "cpu_s": summary(cpus)}
    theirs = igraph_top(np, np.asarray(scores), len(tops[0]))
    result["same_top_all_agents"] = all(t == tops[0] for t in tops)
    result["top_nodes_equal"] = [n for n, _ in tops[0]] == [n for n, _ in theirs]
    result["top_max_score_diff"] = max(abs(a[1] - b[1]) for a, b in zip(tops[0], theirs))
    result["top"] = tops[0]
    return result


def print_pagerank(r, agents):
    print(f"PageRank: {r['nodes']} nodes, {r['edges']} edges; CSV {r['csv_mb']:.1f} MB built in "
          f"{r['csv_build_s']:.2f} s, uploaded in {r['upload_s']:.3f} s ({r['csv_mb'] / r['upload_s']:.0f} MB/s)")
    ig = r["igraph"]
    for k in agents:
        fh = r[f"fh{k}"]
        print(f"  {k} agent(s): request {fh['request_s'][0]:.3f} s (min {fh['request_s'][1]:.3f}), hub wall "
              f"{fh['wall_ms'][0]:.1f} ms (min {fh['wall_ms'][1]:.1f}; merges {fh['reduce_ms'][0]:.1f}), "
              f"{fh['iterations']} iterations in {fh['rounds']} rounds, residual {fh['residual']:.2e}, converged "
              f"{fh['converged']}; igraph / hub wall = {ig['wall_s'][0] * 1e3 / fh['wall_ms'][0]:.2f}x, "
              f"igraph / request = {ig['wall_s'][0] / fh['request_s'][0]:.2f}x")
    print(f"  igraph {ig['version']} g.pagerank(): wall {ig['wall_s'][0]:.3f} s (min {ig['wall_s'][1]:.3f}), CPU "
          f"{ig['cpu_s'][0]:.3f} s; graph construction {r['igraph_build_s']:.2f} s (not in the figure)")
    print(f"  top-10 nodes equal to igraph's: {r['top_nodes_equal']}, largest score difference "
          f"{r['top_max_score_diff']:.2e}; same top-10 for all agent counts: {r['same_top_all_agents']}")
    print(f"  top-10: {' '.join(str(n) for n, _ in r['top'])}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:18081")
    parser.add_argument("--token")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1024, 4096])
    parser.add_argument("--dtypes", nargs="+", choices=sorted(NUMPY_DTYPES), default=["f32", "f64"])
    parser.add_argument("--agents", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--nodes", type=int, default=1_000_000)
    parser.add_argument("--edges", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=20261124)
    parser.add_argument("--skip-gemm", action="store_true")
    parser.add_argument("--skip-pagerank", action="store_true")
    parser.add_argument("--check", action=argparse.BooleanOptionalAction, default=True,
                        help="download c and compare it with c_hash and NumPy (default on)")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--numpy-worker", nargs=4, metavar=("N", "DTYPE", "SEED", "REPEAT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.numpy_worker:
        n, dtype, seed, repeat = args.numpy_worker
        return numpy_gemm_worker(int(n), dtype, int(seed), int(repeat))
    if not args.token:
        parser.error("--token is required")
    # This process only generates inputs and checks results: one BLAS thread, so that no idle OpenBLAS
    # thread spins beside the server.
    os.environ.update(OPENBLAS_NUM_THREADS="1", OPENBLAS_CORETYPE="SkylakeX")
    import numpy as np

    client = Client(args.url, args.token)
    print(f"load average before: {os.getloadavg()}", flush=True)
    results = {"load_before": os.getloadavg(), "gemm": []}
    if not args.skip_gemm:
        for n in args.sizes:
            for dtype in args.dtypes:
                row = bench_gemm(np, client, n, dtype, args)
                print_gemm(row, args.agents)
                sys.stdout.flush()
                results["gemm"].append(row)
    if not args.skip_pagerank:
        results["pagerank"] = bench_pagerank(np, client, args)
        print_pagerank(results["pagerank"], args.agents)
    results["load_after"] = os.getloadavg()
    print(f"load average after: {results['load_after']}")
    if args.json:
        with open(args.json, "w") as out:
            json.dump(results, out, indent=1)


if __name__ == "__main__":
    main()
