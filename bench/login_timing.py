#!/usr/bin/env python3
"""Login timing: does a wrong password for a known user take as long as any password for an unknown
username? Registers one user, then samples POST /auth/login latency for the known user with a wrong
password and for fresh unknown usernames, interleaved (the order within each pair is random), and
prints the median, p90 and the ratio of the medians. Loopback targets only; the sample count is bounded.

    bench/login_timing.py --base http://127.0.0.1:8080 --samples 200

Every sample is a failed login, so run it against a node whose throttling limits are raised, e.g.
    java -Dauth.login.max-failures=1000000 -Dauth.login.max-failures-per-address=1000000 \
         -jar target/quarkus-app/quarkus-run.jar
otherwise the answers turn into 429s after the first few (the script then warns).
"""
import argparse
import http.client
import ipaddress
import json
import random
import socket
import statistics
import sys
import time
import urllib.parse
import uuid

MAX_SAMPLES = 2000
WARMUP = 10


def loopback_only(base):
    url = urllib.parse.urlsplit(base)
    if url.scheme != "http" or not url.hostname:
        sys.exit(f"refusing {base!r}: only http:// URLs to a loopback host are allowed")
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(url.hostname, url.port or 80, proto=socket.IPPROTO_TCP)}
    except socket.gaierror as e:
        sys.exit(f"refusing {base!r}: cannot resolve {url.hostname}: {e}")
    if not addresses or not all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses):
        sys.exit(f"refusing {base!r}: {url.hostname} is not a loopback address ({', '.join(sorted(addresses))})")
    return url.hostname, url.port or 80


class Client:
    def __init__(self, host, port):
        self.host, self.port = host, port
        self.conn = http.client.HTTPConnection(host, port, timeout=30)

    def post(self, path, body):
        data = json.dumps(body).encode()
        headers = {"Content-Type": "application/json"}
        for attempt in (1, 2):
            try:
                started = time.perf_counter()
                self.conn.request("POST", path, body=data, headers=headers)
                response = self.conn.getresponse()
                payload = response.read()
                return response.status, payload, time.perf_counter() - started
            except (http.client.HTTPException, ConnectionError):
                # the server closed a kept-alive connection: reconnect once, untimed retry
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
                if attempt == 2:
                    raise


def percentile(values, p):
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))  # nearest rank
    return ordered[int(rank) - 1]


def wrong_password():
    return "wrong-" + uuid.uuid4().hex


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="http://127.0.0.1:8080", help="service base URL (loopback only)")
    parser.add_argument("--samples", type=int, default=200, help=f"samples of each kind (1..{MAX_SAMPLES})")
    args = parser.parse_args()
    if not 1 <= args.samples <= MAX_SAMPLES:
        sys.exit(f"--samples must be between 1 and {MAX_SAMPLES}")

    client = Client(*loopback_only(args.base))
    username, password = "timing-" + uuid.uuid4().hex[:12], "login timing password"
    try:
        status, body, _ = client.post("/auth/register", {"username": username, "password": password})
    except OSError as e:
        sys.exit(f"cannot reach {args.base}: {e}")
    if status != 201:
        sys.exit(f"register failed: {status} {body[:200]!r}")

    def known():
        return client.post("/auth/login", {"username": username, "password": wrong_password()})

    def unknown():
        return client.post("/auth/login", {"username": "nobody-" + uuid.uuid4().hex[:12], "password": wrong_password()})

    for _ in range(WARMUP):
        known()
        unknown()

    times = {"known user, wrong password": [], "unknown username": []}
    statuses = {name: {} for name in times}
    bodies = {name: set() for name in times}
    kinds = list(zip(times, (known, unknown)))
    for _ in range(args.samples):
        random.shuffle(kinds)
        for name, call in kinds:
            status, payload, seconds = call()
            times[name].append(seconds)
            statuses[name][status] = statuses[name].get(status, 0) + 1
            bodies[name].add(payload)

    print(f"target {args.base}, {args.samples} samples each (after {WARMUP} warm-up pairs), interleaved")
    medians = {}
    for name, values in times.items():
        medians[name] = statistics.median(values)
        print(f"{name:28s} median {medians[name] * 1000:8.2f} ms   p90 {percentile(values, 90) * 1000:8.2f} ms"
              f"   min {min(values) * 1000:8.2f} ms   max {max(values) * 1000:8.2f} ms"
              f"   statuses {dict(sorted(statuses[name].items()))}")
    known_median, unknown_median = medians.values()
    print(f"ratio of medians (known user, wrong password / unknown username): {known_median / unknown_median:.3f}")
    if len(bodies["known user, wrong password"] | bodies["unknown username"]) == 1:
        print("bodies: byte-identical across all samples")
    else:
        print(f"bodies: {len(bodies['known user, wrong password'] | bodies['unknown username'])} distinct")
    if any(status != 401 for counts in statuses.values() for status in counts):
        print("warning: some answers were not 401 (rate limiting?); their timings are mixed in above")


if __name__ == "__main__":
    main()
