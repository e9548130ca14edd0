#!/usr/bin/env python3
"""Revocation propagation between two nodes: the time from a 204 logout on node A to the first 401
for the same access token on node B, over many trials. Loopback only; bounded by --trials and --timeout.

    bench/propagation.py --a http://127.0.0.1:8081 --b http://127.0.0.1:8082 --trials 200

--samples-file PATH (or the environment variable PROPAGATION_SAMPLES_FILE, which reaches it through
bench/propagation.sh) also writes each trial's latency in ms, one per line, for bench/charts.sh.
"""
import argparse
import http.client
import json
import os
import statistics
import sys
import time
import urllib.parse
import uuid


class Node:
    def __init__(self, base):
        url = urllib.parse.urlsplit(base)
        if url.hostname not in ("127.0.0.1", "localhost", "::1"):
            sys.exit("only loopback targets are allowed")
        self.conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)

    def call(self, method, path, body=None, token=None):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = "Bearer " + token
        self.conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        return response.status, data


def percentile(values, p):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
    return ordered[index]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--a", default="http://127.0.0.1:8081")
    parser.add_argument("--b", default="http://127.0.0.1:8082")
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds to wait for one 401 on B")
    parser.add_argument("--samples-file", metavar="PATH", default=os.environ.get("PROPAGATION_SAMPLES_FILE"),
                        help="also write each trial's latency in ms to this file, one per line")
    args = parser.parse_args()

    a, b = Node(args.a), Node(args.b)
    username, password = "prop-" + uuid.uuid4().hex[:12], "propagation password"
    status, _ = a.call("POST", "/auth/register", {"username": username, "password": password})
    if status != 201:
        sys.exit(f"register failed: {status}")

    samples, polls = [], []
    for trial in range(args.trials):
        status, body = a.call("POST", "/auth/login", {"username": username, "password": password})
        if status != 200:
            sys.exit(f"login failed: {status}")
        token = json.loads(body)["access_token"]
        status, _ = b.call("GET", "/api/greeting", token=token)
        if status != 200:
            sys.exit(f"trial {trial}: fresh token refused on B: {status}")
        status, _ = a.call("POST", "/auth/logout", token=token)
        acknowledged = time.perf_counter()
        if status != 204:
            sys.exit(f"trial {trial}: logout answered {status}")
        count = 0
        while True:
            status, _ = b.call("GET", "/api/greeting", token=token)
            count += 1
            if status == 401:
                samples.append((time.perf_counter() - acknowledged) * 1000)
                polls.append(count)
                break
            if status != 200:
                sys.exit(f"trial {trial}: B answered {status}")
            if time.perf_counter() - acknowledged > args.timeout:
                sys.exit(f"trial {trial}: still accepted on B after {args.timeout}s")

    print(f"trials={len(samples)}  first-poll 401s={polls.count(1)}  max polls={max(polls)}")
    print(f"propagation ms: p50={statistics.median(samples):.2f}  p99={percentile(samples, 99):.2f}  "
          f"max={max(samples):.2f}")
    if args.samples_file:
        with open(args.samples_file, "w") as out:
            out.writelines(f"{sample:.3f}\n" for sample in samples)


if __name__ == "__main__":
    main()
