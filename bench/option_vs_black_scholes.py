#!/usr/bin/env python3
"""finance.option.v1 through a running server against the Black–Scholes closed form.

Prints the Markdown table shown in docs/mc-models.md. Standard library only. Example:
    python3 bench/option_vs_black_scholes.py --url http://127.0.0.1:8080 --token "$(cat var/dev-token)"
Every call uses billing.mode=test (no charge) and the same explicit seed, so the rows share random
numbers (their deviations are correlated).
"""
import argparse
import http.client
import json
import math
import urllib.parse


def black_scholes(spot, strike, rate, vol, maturity, call):
    cdf = lambda x: 0.5 * (1 + math.erf(x / math.sqrt(2)))
    d1 = (math.log(spot / strike) + (rate + vol * vol / 2) * maturity) / (vol * math.sqrt(maturity))
    d2 = d1 - vol * math.sqrt(maturity)
    if call:
        return spot * cdf(d1) - strike * math.exp(-rate * maturity) * cdf(d2)
    return strike * math.exp(-rate * maturity) * cdf(-d2) - spot * cdf(-d1)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:8080")
    parser.add_argument("--token", required=True)
    parser.add_argument("--iterations", type=int, default=10_000_000)
    args = parser.parse_args()
    url = urllib.parse.urlparse(args.url)
    conn = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=600)
    print("| type | strike | Black–Scholes | Monte Carlo price | stderr | (MC − BS) / stderr |")
    print("|---|---|---|---|---|---|")
    for kind in ("call", "put"):
        for strike in (90, 100, 110):
            body = {"ctx": {"billing": {"mode": "test"}},
                    "op": {"name": "mc", "version": 1, "profile": "finance.option.v1"},
                    "seed": {"mode": "explicit", "value": "bs-table"},
                    "args": {"iterations": args.iterations, "spot": 100, "strike": strike, "rate": 0.03,
                             "volatility": 0.2, "maturity": 1, "type": kind, "antithetic": True}}
            conn.request("POST", "/api/v0/ops/execute", json.dumps(body),
                         {"Authorization": "Bearer " + args.token, "Content-Type": "application/json"})
            out = json.loads(conn.getresponse().read())["hub"]["output"]
            ref = black_scholes(100, strike, 0.03, 0.2, 1, kind == "call")
            print(f"| {kind} | {strike} | {ref:.4f} | {out['price']:.4f} | {out['stderr']:.4f} | "
                  f"{(out['price'] - ref) / out['stderr']:+.2f} |")


if __name__ == "__main__":
    main()
