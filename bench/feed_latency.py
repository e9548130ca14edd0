#!/usr/bin/env python3
"""Revocation feed latency: the time from the 204 of POST /auth/logout to the revoked token's `revocation`
event on an already open GET /oauth/revocations connection, over many trials; also from sending the logout
to the event, and the logout's own round trip. Loopback only.

    bench/feed_latency.py --base http://127.0.0.1:18600 --client feed-bench --secret feed-bench-secret --trials 200

A reader thread timestamps every event as it arrives; the main thread logs a user in, logs it out and notes
when the 204 arrived. An event that arrives before the 204 has been read counts as 0 ms (and is reported).
"""
import argparse
import base64
import http.client
import json
import statistics
import sys
import threading
import time
import urllib.parse
import uuid


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


class Feed(threading.Thread):
    """Reads the event stream line by line and records when each revoked jti arrived."""

    def __init__(self, host, port, authorization):
        super().__init__(daemon=True)
        self.conn = http.client.HTTPConnection(host, port, timeout=60)
        self.conn.request("GET", "/oauth/revocations",
                          headers={"Accept": "text/event-stream", "Authorization": authorization})
        self.response = self.conn.getresponse()
        if self.response.status != 200:
            sys.exit(f"feed answered {self.response.status}: {self.response.read()[:200]!r}")
        self.arrivals = {}
        self.snapshot = threading.Event()
        self.condition = threading.Condition()

    def run(self):
        event = None
        for raw in self.response:
            line = raw.decode().rstrip("\n")
            now = time.perf_counter()
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: ") and event == "snapshot":
                self.snapshot.set()
            elif line.startswith("data: ") and event == "revocation":
                jti = json.loads(line[6:]).get("jti")
                if jti:
                    with self.condition:
                        self.arrivals[jti] = now
                        self.condition.notify_all()

    def wait_for(self, jti, timeout):
        deadline = time.perf_counter() + timeout
        with self.condition:
            while jti not in self.arrivals:
                left = deadline - time.perf_counter()
                if left <= 0:
                    return None
                self.condition.wait(left)
            return self.arrivals[jti]


def call(conn, method, path, body=None, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    response = conn.getresponse()
    return response.status, response.read()


def jti_of(token):
    claims = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(claims + "=" * (-len(claims) % 4)))["jti"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="http://127.0.0.1:18600")
    parser.add_argument("--client", default="feed-bench")
    parser.add_argument("--secret", default="feed-bench-secret")
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds to wait for one event")
    args = parser.parse_args()

    url = urllib.parse.urlsplit(args.base)
    if url.hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("only loopback targets are allowed")
    credentials = base64.b64encode(f"{args.client}:{args.secret}".encode()).decode()
    feed = Feed(url.hostname, url.port, "Basic " + credentials)
    feed.start()
    if not feed.snapshot.wait(10):
        sys.exit("no snapshot within 10 s")

    api = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    username, password = "feed-" + uuid.uuid4().hex[:12], "feed latency password"
    if call(api, "POST", "/auth/register", {"username": username, "password": password})[0] != 201:
        sys.exit("register failed")

    samples, from_sent, round_trips, early, missing = [], [], [], 0, 0
    for _ in range(args.trials):
        status, body = call(api, "POST", "/auth/login", {"username": username, "password": password})
        if status != 200:
            sys.exit(f"login failed: {status}")
        token = json.loads(body)["access_token"]
        sent = time.perf_counter()
        status, _ = call(api, "POST", "/auth/logout", token=token)
        answered = time.perf_counter()
        if status != 204:
            sys.exit(f"logout failed: {status}")
        arrived = feed.wait_for(jti_of(token), args.timeout)
        if arrived is None:
            missing += 1
            continue
        early += arrived <= answered
        samples.append(max(0.0, arrived - answered) * 1000)
        from_sent.append((arrived - sent) * 1000)
        round_trips.append((answered - sent) * 1000)

    print(f"trials {args.trials}, events {len(samples)}, missing {missing}, before the 204 was read {early}")
    for name, values in (("204 to event", samples), ("logout sent to event", from_sent),
                         ("logout round trip", round_trips)):
        print(f"{name}: p50 {percentile(values, 50):.2f} ms, p99 {percentile(values, 99):.2f} ms, "
              f"max {max(values):.2f} ms, mean {statistics.mean(values):.2f} ms")


if __name__ == "__main__":
    main()
