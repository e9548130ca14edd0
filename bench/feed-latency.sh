#!/usr/bin/env bash
# Revocation feed latency on one node: from a logout's 204 to its event on an open GET /oauth/revocations,
# over TRIALS trials (default 200). The node gets a confidential client "feed-bench" (secret "feed-bench-secret").
source "$(dirname "$0")/common.sh"
ensure_tools
SECRET=feed-bench-secret
start_service -Dauth.clients.feed-bench.type=confidential \
    -Dauth.clients.feed-bench.secret-sha256="$(printf %s "$SECRET" | sha256sum | cut -d' ' -f1)" \
    -Dauth.clients.feed-bench.grant-types=client_credentials -Dauth.clients.feed-bench.audiences=token-service \
    -Dauth.feed.max-connection=30M
python3 bench/feed_latency.py --base "$BASE" --client feed-bench --secret "$SECRET" --trials "${TRIALS:-200}"
