#!/usr/bin/env bash
# End-to-end test of the two example resource servers (examples/): starts the token service (its own
# database test_cons and Redis database 5, the clients below), the Express example, and drives
# examples/express-resource-server/test/e2e.mjs through its phases: logout propagation (TRIALS
# trials, p50/p99/max printed and kept in target/consumers-e2e-results.jsonl), the token service
# stopped (fail closed) and started again, a restart of the example, then the stock Quarkus
# example. Installs Node.js when missing, npm ci's the example and runs its own tests, builds the
# service and the Quarkus example when their jars are missing or older than their sources.
# Logs in target/consumers-*.log. Stops every process it started.
set -euo pipefail
cd "$(dirname "$0")/.."

LOG_TAG=consumers-e2e
. scripts/processes.sh

SERVICE_PORT=${CONSUMERS_SERVICE_PORT:-18300}
EXAMPLE_PORT=${CONSUMERS_EXAMPLE_PORT:-18320}
QUARKUS_PORT=${CONSUMERS_QUARKUS_PORT:-18321}
SERVICE_URL="http://localhost:${SERVICE_PORT}"
EXAMPLE_DIR=examples/express-resource-server
QUARKUS_DIR=examples/quarkus-resource-server
JAR=target/quarkus-app/quarkus-run.jar
QUARKUS_JAR=$QUARKUS_DIR/target/quarkus-app/quarkus-run.jar
# test credentials of this script's clients, never of a deployment
FEED_SECRET=example-api-feed-secret-for-the-end-to-end-test
OTHER_SECRET=batch-job-secret-for-the-end-to-end-test

export TOKEN_SERVICE_URL=$SERVICE_URL
export EXAMPLE_URL="http://localhost:${EXAMPLE_PORT}"
export QUARKUS_URL="http://localhost:${QUARKUS_PORT}"
export OTHER_CLIENT_ID=batch-job OTHER_CLIENT_SECRET=$OTHER_SECRET
export OWN_CLIENT_ID=example-api OWN_CLIENT_SECRET=$FEED_SECRET
# a heartbeat a second and a 5 s bound, so that the fail-closed phase takes seconds, not half a minute
export FEED_STALE_AFTER_MS=5000
export E2E_STATE=$PWD/target/consumers-e2e-state.json
export E2E_RESULTS=$PWD/target/consumers-e2e-results.jsonl


# --- tools, dependencies, builds ---------------------------------------------------------------
command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm
command -v curl >/dev/null || apt_install curl
if [ ! -d "$EXAMPLE_DIR/node_modules" ] || [ "$EXAMPLE_DIR/package-lock.json" -nt "$EXAMPLE_DIR/node_modules" ]; then
    log "npm ci in $EXAMPLE_DIR"
    (cd "$EXAMPLE_DIR" && npm ci --no-audit --no-fund)
fi
log "the Express example's own tests (its feed client against a local event stream)"
(cd "$EXAMPLE_DIR" && npm test --silent)

scripts/services.sh

if [ ! -f "$JAR" ] || [ -n "$(find pom.xml src -newer "$JAR" -print -quit)" ]; then
    log "building $JAR"
    ./mvnw -B -q package -DskipTests
fi
if [ ! -f "$QUARKUS_JAR" ] || [ -n "$(find "$QUARKUS_DIR/pom.xml" "$QUARKUS_DIR/src" -newer "$QUARKUS_JAR" -print -quit)" ]; then
    log "building $QUARKUS_JAR (offline first: the service's build has fetched its artifacts)"
    ./mvnw -B -q -o -f "$QUARKUS_DIR/pom.xml" package -DskipTests >/dev/null 2>&1 \
        || ./mvnw -B -q -f "$QUARKUS_DIR/pom.xml" package -DskipTests
fi

ports_free "$SERVICE_PORT" "$EXAMPLE_PORT" "$QUARKUS_PORT"

# --- processes ---------------------------------------------------------------------------------
SERVICE_PID= EXAMPLE_PID= QUARKUS_PID= DRIVER_PID=
stop_all() {
    stop "$DRIVER_PID"
    stop "$QUARKUS_PID"
    stop "$EXAMPLE_PID"
    stop "$SERVICE_PID"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# arguments: more system properties. The web client's tokens are also for example-api; example-api
# reads the feed and gets machine tokens for itself; batch-job gets machine tokens for the token
# service only, so the examples must refuse them
start_service() {
    java -Dquarkus.http.port="$SERVICE_PORT" \
        -Dquarkus.datasource.jdbc.url=jdbc:postgresql://localhost:5432/test_cons \
        -Dquarkus.redis.hosts=redis://localhost:6379/5 \
        -Dauth.signing-key.encryption-key=test-signing-key-encryption-key \
        -Dauth.issuer="$SERVICE_URL" -Dauth.feed.heartbeat=1S "$@" \
        -Dauth.clients.web.audiences=token-service,example-api \
        -Dauth.clients.example-api.type=confidential \
        -Dauth.clients.example-api.secret-sha256="$(sha256 "$FEED_SECRET")" \
        -Dauth.clients.example-api.grant-types=client_credentials \
        -Dauth.clients.example-api.audiences=example-api \
        -Dauth.clients.batch-job.type=confidential \
        -Dauth.clients.batch-job.secret-sha256="$(sha256 "$OTHER_SECRET")" \
        -Dauth.clients.batch-job.grant-types=client_credentials \
        -Dauth.clients.batch-job.audiences=token-service \
        -jar "$JAR" >>target/consumers-service.log 2>&1 &
    SERVICE_PID=$!
    wait_for "$SERVICE_PID" "${SERVICE_URL}/q/health/ready" 200 target/consumers-service.log
    log "token service ready at ${SERVICE_URL}"
}

start_example() {
    (cd "$EXAMPLE_DIR" && exec env ISSUER_URL="$SERVICE_URL" AUDIENCE=example-api CLIENT_ID=example-api \
        CLIENT_SECRET="$FEED_SECRET" PORT="$EXAMPLE_PORT" node server.js) >>target/consumers-example.log 2>&1 &
    EXAMPLE_PID=$!
    wait_for "$EXAMPLE_PID" "${EXAMPLE_URL}/healthz" 200 target/consumers-example.log
    log "Express example ready at ${EXAMPLE_URL}"
}

start_quarkus() {
    ISSUER_URL="$SERVICE_URL" AUDIENCE=example-api PORT="$QUARKUS_PORT" \
        java -jar "$QUARKUS_JAR" >>target/consumers-quarkus.log 2>&1 &
    QUARKUS_PID=$!
    wait_for "$QUARKUS_PID" "${QUARKUS_URL}/orders" 401 target/consumers-quarkus.log
    log "Quarkus example ready at ${QUARKUS_URL}"
}

# in the background and waited for, so that INT and TERM stop the run at once
drive() {
    node "$EXAMPLE_DIR/test/e2e.mjs" "$1" &
    DRIVER_PID=$!
    wait "$DRIVER_PID"
    DRIVER_PID=
}

mkdir -p target
rm -f target/consumers-*.log "$E2E_STATE" "$E2E_RESULTS"
start_service
start_example
drive propagation

log "stopping the token service"
stop "$SERVICE_PID"
drive service-stopped
# feed connections of 3 s from now on, so that the later trials cross the example's reconnections
# (Last-Event-ID); the first phase ran with the default of 5 minutes, as deployed
log "starting the token service again, ending each feed connection after 3 s"
start_service -Dauth.feed.max-connection=3S
drive service-restarted

log "restarting the Express example"
stop "$EXAMPLE_PID"
start_example
drive example-restarted

start_quarkus
drive quarkus
log "all phases passed; figures in ${E2E_RESULTS}"
