#!/usr/bin/env bash
# What webhooks cost, in one run on one machine: login+logout pairs per second with no webhook, then with a webhook
# for every event type to a local receiver that verifies each delivery with the npm standardwebhooks package
# (e2e/webhook-receiver/receiver.mjs); and, with webhooks on, the delay from each logout's 204 to the receiver's
# arrival of its session.revoked delivery (matched by session id), p50/p99. Two node starts on database test_hooks
# and Redis database 7; the driver is e2e/webhook-receiver/bench.mjs.
#   bench/webhooks.sh   (DURATION_S=20 CONCURRENCY=16 USERS=32; JAVA=... to pick the JDK)
source "$(dirname "$0")/common.sh"
RECEIVER_DIR=e2e/webhook-receiver
RECEIVER_PORT=${RECEIVER_PORT:-18492}
export DURATION_S=${DURATION_S:-20} CONCURRENCY=${CONCURRENCY:-16} USERS=${USERS:-32}
SECRET=whsec_$(head -c 32 /dev/urandom | base64)
RECORD=$OUT/webhooks-deliveries.jsonl

scripts/services.sh
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests
command -v node >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }
[ -d "$RECEIVER_DIR/node_modules/standardwebhooks" ] || (cd "$RECEIVER_DIR" && npm ci --no-audit --no-fund >/dev/null)

rm -f "$RECORD"
PORT=$RECEIVER_PORT WEBHOOK_SECRET=$SECRET RECORD=$RECORD node "$RECEIVER_DIR/receiver.mjs" >"$OUT/webhooks-receiver.log" 2>&1 &
RECEIVER_PID=$!
NODE_FLAGS=(-Dquarkus.datasource.jdbc.url=jdbc:postgresql://localhost:5432/test_hooks
    -Dquarkus.redis.hosts=redis://localhost:6379/7 -Dauth.login.max-failures-per-address=1000000)
HOOK_FLAGS=(-Dauth.webhooks.bench.url="http://127.0.0.1:$RECEIVER_PORT/bench" -Dauth.webhooks.bench.secret="$SECRET"
    -Dauth.webhooks.bench.events='*')

stop_service() {
    kill "$SERVICE_PID" 2>/dev/null || true
    wait "$SERVICE_PID" 2>/dev/null || true
}

start_service "${NODE_FLAGS[@]}"
off=$(node "$RECEIVER_DIR/bench.mjs" run "$BASE" "$OUT/webhooks-off-logouts.jsonl")
stop_service

start_service "${NODE_FLAGS[@]}" "${HOOK_FLAGS[@]}"
trap 'kill $SERVICE_PID $RECEIVER_PID 2>/dev/null || true' EXIT
on=$(node "$RECEIVER_DIR/bench.mjs" run "$BASE" "$OUT/webhooks-on-logouts.jsonl")
sleep 5 # the last deliveries
delays=$(node "$RECEIVER_DIR/bench.mjs" delays "$OUT/webhooks-on-logouts.jsonl" "$RECORD")
pending=$(curl -s "$BASE/q/metrics" | grep '^webhook_pending' || true)
stop_service

echo "java: $($JAVA -version 2>&1 | head -1); $(nproc) cores; ${CONCURRENCY} loops for ${DURATION_S} s"
echo "login+logout, webhooks off: $off"
echo "login+logout, webhooks on:  $on"
echo "logout 204 -> receiver:     $delays"
echo "after the run:              ${pending:-webhook_pending not reported}"
