#!/usr/bin/env bash
# End-to-end test of webhooks with a receiver written by others: every delivery is verified by the npm
# `standardwebhooks` package (e2e/webhook-receiver/receiver.mjs). Starts two token-service nodes on one PostgreSQL
# (database test_hooks) and one Redis (database 7), both with a webhook for every event type (named `receiver`,
# so one outbox and one lock; each node's URL ends in its own path, /a or /b, so the record shows which node sent),
# then drives e2e/webhook-receiver/drive.mjs: each event type caused once over HTTP, the receiver down for 10 s,
# and a node killed -9 while the receiver holds its delivery. Figures go to target/webhooks-e2e-results.json.
set -euo pipefail
cd "$(dirname "$0")/.."
LOG_TAG=webhooks-e2e
. scripts/processes.sh

NODE_A_PORT=${HOOKS_NODE_A_PORT:-18480}
NODE_B_PORT=${HOOKS_NODE_B_PORT:-18481}
export RECEIVER_PORT=${HOOKS_RECEIVER_PORT:-18490}
RECEIVER_DIR=e2e/webhook-receiver
JAR=target/quarkus-app/quarkus-run.jar
CLIENT_SECRET=hooks-client-secret-for-the-webhooks-test

export NODE_A_URL="http://localhost:${NODE_A_PORT}" NODE_B_URL="http://localhost:${NODE_B_PORT}"
export WEBHOOK_SECRET=${WEBHOOK_SECRET:-whsec_$(head -c 32 /dev/urandom | base64)}
export ADMIN_USERNAME=hooks-admin ADMIN_PASSWORD=hooks-admin-password-for-the-test CLIENT_ID=hooks-client
export RECORD=$PWD/target/webhooks-e2e-deliveries.jsonl RESULTS=$PWD/target/webhooks-e2e-results.json

command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm
command -v curl >/dev/null || apt_install curl
if [ ! -d "$RECEIVER_DIR/node_modules/standardwebhooks" ] \
        || [ "$RECEIVER_DIR/package-lock.json" -nt "$RECEIVER_DIR/node_modules" ]; then
    log "npm ci in $RECEIVER_DIR"
    (cd "$RECEIVER_DIR" && npm ci --no-audit --no-fund)
fi
scripts/services.sh
if [ ! -f "$JAR" ] || [ -n "$(find pom.xml src -newer "$JAR" -print -quit)" ]; then
    log "building $JAR"
    ./mvnw -B -q package -DskipTests
fi
ports_free "$NODE_A_PORT" "$NODE_B_PORT" "$RECEIVER_PORT"

NODE_A_PID= NODE_B_PID=
trap 'stop "$NODE_B_PID"; stop "$NODE_A_PID"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# arguments: port, path of this node's webhook URL, log file. Short backoff, so the 10 s outage is over quickly; a
# timeout above the receiver's 8 s hold, so the killed node is the one holding the delivery; a 1 s reuse grace.
start_node() {
    java -Dquarkus.http.port="$1" \
        -Dquarkus.datasource.jdbc.url=jdbc:postgresql://localhost:5432/test_hooks \
        -Dquarkus.redis.hosts=redis://localhost:6379/7 \
        -Dauth.signing-key.encryption-key=test-signing-key-encryption-key \
        -Dauth.login.max-failures=5 -Dauth.login.max-failures-per-address=100000 \
        -Dauth.refresh-token.reuse-grace=1S \
        -Dauth.admin.username="$ADMIN_USERNAME" -Dauth.admin.password="$ADMIN_PASSWORD" \
        -Dauth.clients.hooks-client.type=confidential \
        -Dauth.clients.hooks-client.secret-sha256="$(sha256 "$CLIENT_SECRET")" \
        -Dauth.clients.hooks-client.grant-types=client_credentials \
        -Dauth.clients.hooks-client.audiences=token-service \
        -Dauth.webhooks.receiver.url="http://127.0.0.1:${RECEIVER_PORT}$2" \
        -Dauth.webhooks.receiver.secret="$WEBHOOK_SECRET" \
        -Dauth.webhooks.receiver.events='*' \
        -Dauth.webhooks.timeout=20S -Dauth.webhooks.backoff-max=4S -Dauth.webhooks.max-attempts=40 \
        -jar "$JAR" >>"$3" 2>&1 &
}

mkdir -p target
# a clean start: what an earlier run left (failure counters that still lock, queued deliveries) must not count here
redis-cli -h 127.0.0.1 -p 6379 -n 7 flushdb >/dev/null
psql -h 127.0.0.1 -U postgres -d test_hooks -qc 'drop schema if exists token_service cascade' 2>/dev/null
rm -f target/webhooks-e2e-*.log "$RESULTS" "$RECORD"
start_node "$NODE_A_PORT" /a target/webhooks-e2e-node-a.log
NODE_A_PID=$!
wait_for "$NODE_A_PID" "${NODE_A_URL}/q/health/ready" 200 target/webhooks-e2e-node-a.log
# the second node after the first has created the schema and the signing key
start_node "$NODE_B_PORT" /b target/webhooks-e2e-node-b.log
NODE_B_PID=$!
wait_for "$NODE_B_PID" "${NODE_B_URL}/q/health/ready" 200 target/webhooks-e2e-node-b.log
log "nodes ready at ${NODE_A_URL} and ${NODE_B_URL}; receiver on ${RECEIVER_PORT}"

NODE_A_PID=$NODE_A_PID NODE_B_PID=$NODE_B_PID node "$RECEIVER_DIR/drive.mjs"
log "passed; figures in ${RESULTS}"
