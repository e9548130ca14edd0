#!/usr/bin/env bash
# What webhooks cost, in one run on one machine: login+logout pairs per second against a node with no webhook and
# against a node with a webhook for every event type to a local receiver that verifies each delivery with the npm
# standardwebhooks package (e2e/webhook-receiver/receiver.mjs). Both nodes run side by side, started afresh for each
# round, and the rounds alternate which goes first, so that the machine's ups and downs fall on both alike; login is
# bound by its password hash, whose speed varies between JVMs far more than the outbox costs. With webhooks on, the delay from
# each logout's 204 to the receiver's arrival of its session.revoked delivery (matched by session id), p50/p99.
# Database test_hooks and Redis database 7 (emptied first); the driver is e2e/webhook-receiver/bench.mjs.
#   bench/webhooks.sh   (ROUNDS=4 DURATION_S=10 CONCURRENCY=16 USERS=32; JAVA=... to pick the JDK)
source "$(dirname "$0")/common.sh"
RECEIVER_DIR=e2e/webhook-receiver
RECEIVER_PORT=${RECEIVER_PORT:-18492}
ON_PORT=$((PORT + 1))
ROUNDS=${ROUNDS:-4}
export DURATION_S=${DURATION_S:-10} CONCURRENCY=${CONCURRENCY:-16} USERS=${USERS:-32}
SECRET=whsec_$(head -c 32 /dev/urandom | base64)
RECORD=$OUT/webhooks-deliveries.jsonl

scripts/services.sh
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests
command -v node >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }
[ -d "$RECEIVER_DIR/node_modules/standardwebhooks" ] || (cd "$RECEIVER_DIR" && npm ci --no-audit --no-fund >/dev/null)

rm -f "$RECORD" "$OUT"/webhooks-*-logouts-*.jsonl
# the end-to-end test shares the database and Redis database and encrypts its keys with another key: start empty
redis-cli -h 127.0.0.1 -p 6379 -n 7 flushdb >/dev/null
psql -h 127.0.0.1 -U postgres -d test_hooks -qc 'drop schema if exists token_service cascade' 2>/dev/null
PORT=$RECEIVER_PORT WEBHOOK_SECRET=$SECRET RECORD=$RECORD node "$RECEIVER_DIR/receiver.mjs" >"$OUT/webhooks-receiver.log" 2>&1 &
RECEIVER_PID=$!
NODE_FLAGS=(-Dquarkus.datasource.jdbc.url=jdbc:postgresql://localhost:5432/test_hooks
    -Dquarkus.redis.hosts=redis://localhost:6379/7 -Dauth.login.max-failures-per-address=1000000)

# the node with webhooks first, alone, so that it creates the schema; then the one without. Both are started again
# for every round: a JVM's password hashing runs at one of two speeds (about 28 or 50 logins/s here) depending on
# how its JIT compiled it, so one pair of JVMs would measure their luck; the start and run orders alternate too.
start_on() {
    # shellcheck disable=SC2086
    $JAVA ${JAVA_OPTS:-} -Dquarkus.http.port="$ON_PORT" "${NODE_FLAGS[@]}" \
        -Dauth.webhooks.bench.url="http://127.0.0.1:$RECEIVER_PORT/bench" -Dauth.webhooks.bench.secret="$SECRET" \
        -Dauth.webhooks.bench.events='*' -jar target/quarkus-app/quarkus-run.jar >>"$OUT/webhooks-on-node.log" 2>&1 &
    ON_PID=$!
    BASE="http://127.0.0.1:$ON_PORT" wait_ready "$(date +%s%N)"
}
ON_PID=
cleanup() { kill "${SERVICE_PID:-}" "${ON_PID:-}" "$RECEIVER_PID" 2>/dev/null || true; }
trap cleanup EXIT
stop_nodes() {
    kill "$SERVICE_PID" "$ON_PID" 2>/dev/null || true
    wait "$SERVICE_PID" "$ON_PID" 2>/dev/null || true
}
run() { node "$RECEIVER_DIR/bench.mjs" run "$1" "$OUT/webhooks-$2-logouts-$3.jsonl"; }
pairs() { echo "$1" | python3 -c 'import json, sys; print(json.load(sys.stdin)["pairs"])'; }

off_pairs=0 on_pairs=0
for round in $(seq 1 "$ROUNDS"); do
    if [ $((round % 2)) = 1 ]; then
        start_on; start_service "${NODE_FLAGS[@]}"; trap cleanup EXIT
        off=$(run "$BASE" off "$round"); on=$(run "http://127.0.0.1:$ON_PORT" on "$round")
    else
        start_service "${NODE_FLAGS[@]}"; trap cleanup EXIT; start_on
        on=$(run "http://127.0.0.1:$ON_PORT" on "$round"); off=$(run "$BASE" off "$round")
    fi
    echo "round $round: off $off, on $on"
    off_pairs=$((off_pairs + $(pairs "$off")))
    on_pairs=$((on_pairs + $(pairs "$on")))
    [ "$round" = "$ROUNDS" ] || stop_nodes
done
sleep 5 # the last deliveries
cat "$OUT"/webhooks-on-logouts-*.jsonl >"$OUT/webhooks-on-logouts.jsonl"
delays=$(node "$RECEIVER_DIR/bench.mjs" delays "$OUT/webhooks-on-logouts.jsonl" "$RECORD")
pending=$(curl -s "http://127.0.0.1:$ON_PORT/q/metrics" | grep '^webhook_pending' || true)

echo "java: $($JAVA -version 2>&1 | head -1); $(nproc) cores; ${CONCURRENCY} loops, ${ROUNDS} rounds of ${DURATION_S} s each"
seconds=$((ROUNDS * DURATION_S))
python3 -c "print(f'login+logout pairs/s: webhooks off {$off_pairs / $seconds:.1f}, on {$on_pairs / $seconds:.1f}, on / off {$on_pairs / max(1, $off_pairs):.2f}')"
echo "logout 204 -> receiver:     $delays"
echo "after the run:              ${pending:-webhook_pending not reported}"
