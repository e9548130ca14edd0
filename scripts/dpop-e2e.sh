#!/usr/bin/env bash
# End-to-end test of DPoP and the sessions API with clients written by others: proofs made by the npm `dpop`
# package, tokens read with `jose`. Starts two token-service nodes on one PostgreSQL (database test_dpop) and one
# Redis (database 6), both with the public URL of node A (as behind a balancer: proofs name it, whichever node
# answers), and the two example resource servers; then drives
# examples/express-resource-server/test/service-dpop-e2e.mjs: replay across the nodes, a stolen refresh token, the
# examples' own DPoP checks, and sessions listed from three clients with one ended, refused by both nodes and by
# the Express example (the Quarkus example does not read the revocation feed). Figures go to target/dpop-e2e-results.json.
set -euo pipefail
cd "$(dirname "$0")/.."
LOG_TAG=dpop-e2e
. scripts/processes.sh

NODE_A_PORT=${DPOP_NODE_A_PORT:-18400}
NODE_B_PORT=${DPOP_NODE_B_PORT:-18401}
EXAMPLE_PORT=${DPOP_EXAMPLE_PORT:-18420}
QUARKUS_PORT=${DPOP_QUARKUS_PORT:-18421}
EXAMPLE_DIR=examples/express-resource-server
QUARKUS_DIR=examples/quarkus-resource-server
JAR=target/quarkus-app/quarkus-run.jar
QUARKUS_JAR=$QUARKUS_DIR/target/quarkus-app/quarkus-run.jar
FEED_SECRET=example-api-feed-secret-for-the-dpop-test

export NODE_A_URL="http://localhost:${NODE_A_PORT}" NODE_B_URL="http://localhost:${NODE_B_PORT}"
export EXAMPLE_URL="http://localhost:${EXAMPLE_PORT}" QUARKUS_URL="http://localhost:${QUARKUS_PORT}"
export REPLAYS=${REPLAYS:-1000}
export RESULTS=$PWD/target/dpop-e2e-results.json

command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm
command -v curl >/dev/null || apt_install curl
if [ ! -d "$EXAMPLE_DIR/node_modules/dpop" ] || [ "$EXAMPLE_DIR/package-lock.json" -nt "$EXAMPLE_DIR/node_modules" ]; then
    log "npm ci in $EXAMPLE_DIR"
    (cd "$EXAMPLE_DIR" && npm ci --no-audit --no-fund)
fi
scripts/services.sh
if [ ! -f "$JAR" ] || [ -n "$(find pom.xml src -newer "$JAR" -print -quit)" ]; then
    log "building $JAR"
    ./mvnw -B -q package -DskipTests
fi
if [ ! -f "$QUARKUS_JAR" ] || [ -n "$(find "$QUARKUS_DIR/pom.xml" "$QUARKUS_DIR/src" -newer "$QUARKUS_JAR" -print -quit)" ]; then
    log "building $QUARKUS_JAR"
    ./mvnw -B -q -o -f "$QUARKUS_DIR/pom.xml" package -DskipTests >/dev/null 2>&1 \
        || ./mvnw -B -q -f "$QUARKUS_DIR/pom.xml" package -DskipTests
fi
ports_free "$NODE_A_PORT" "$NODE_B_PORT" "$EXAMPLE_PORT" "$QUARKUS_PORT"

NODE_A_PID= NODE_B_PID= EXAMPLE_PID= QUARKUS_PID=
trap 'stop "$QUARKUS_PID"; stop "$EXAMPLE_PID"; stop "$NODE_B_PID"; stop "$NODE_A_PID"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# arguments: port, log file. Tokens of the web client are also for example-api, which reads the feed.
start_node() {
    java -Dquarkus.http.port="$1" \
        -Dquarkus.datasource.jdbc.url=jdbc:postgresql://localhost:5432/test_dpop \
        -Dquarkus.redis.hosts=redis://localhost:6379/6 \
        -Dauth.signing-key.encryption-key=test-signing-key-encryption-key \
        -Dauth.issuer="$NODE_A_URL" -Dauth.feed.heartbeat=1S \
        -Dauth.login.max-failures-per-address=100000 \
        -Dauth.clients.web.audiences=token-service,example-api \
        -Dauth.clients.example-api.type=confidential \
        -Dauth.clients.example-api.secret-sha256="$(sha256 "$FEED_SECRET")" \
        -Dauth.clients.example-api.audiences=example-api \
        -jar "$JAR" >>"$2" 2>&1 &
}

mkdir -p target
# a clean start: what an earlier run left (failure counters that still lock, queued deliveries) must not count here
redis-cli -h 127.0.0.1 -p 6379 -n 6 flushdb >/dev/null
psql -h 127.0.0.1 -U postgres -d test_dpop -qc 'drop schema if exists token_service cascade' 2>/dev/null
rm -f target/dpop-e2e-*.log "$RESULTS"
start_node "$NODE_A_PORT" target/dpop-e2e-node-a.log
NODE_A_PID=$!
wait_for "$NODE_A_PID" "${NODE_A_URL}/q/health/ready" 200 target/dpop-e2e-node-a.log
# the second node after the first has created the schema and the signing key
start_node "$NODE_B_PORT" target/dpop-e2e-node-b.log
NODE_B_PID=$!
wait_for "$NODE_B_PID" "${NODE_B_URL}/q/health/ready" 200 target/dpop-e2e-node-b.log
log "nodes ready at ${NODE_A_URL} and ${NODE_B_URL}"

(cd "$EXAMPLE_DIR" && exec env ISSUER_URL="$NODE_A_URL" AUDIENCE=example-api CLIENT_ID=example-api \
    CLIENT_SECRET="$FEED_SECRET" PORT="$EXAMPLE_PORT" PUBLIC_URL="$EXAMPLE_URL" FEED_STALE_AFTER_MS=5000 \
    node server.js) >>target/dpop-e2e-example.log 2>&1 &
EXAMPLE_PID=$!
wait_for "$EXAMPLE_PID" "${EXAMPLE_URL}/healthz" 200 target/dpop-e2e-example.log
log "Express example ready at ${EXAMPLE_URL}"
ISSUER_URL="$NODE_A_URL" AUDIENCE=example-api PORT="$QUARKUS_PORT" PUBLIC_URL="$QUARKUS_URL" \
    java -jar "$QUARKUS_JAR" >>target/dpop-e2e-quarkus.log 2>&1 &
QUARKUS_PID=$!
wait_for "$QUARKUS_PID" "${QUARKUS_URL}/orders" 401 target/dpop-e2e-quarkus.log
log "Quarkus example ready at ${QUARKUS_URL}"

node "$EXAMPLE_DIR/test/service-dpop-e2e.mjs"
log "passed; figures in ${RESULTS}"
