#!/usr/bin/env bash
# Browser end-to-end test of the web page (cookie mode): installs Debian's chromium and the test's
# npm dependencies when missing, builds the service when its jar is missing or older than the
# sources, starts it on port 18090 (log in target/e2e-service.log), waits for readiness, runs
# `node --test e2e/` and exits with its status. Needs PostgreSQL and Redis (scripts/services.sh
# starts them when they are not running). E2E_PORT overrides the port.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[e2e] %s\n' "$*" >&2; }

PORT=${E2E_PORT:-18090}
JAR=target/quarkus-app/quarkus-run.jar
SERVICE_LOG=target/e2e-service.log
export E2E_BASE_URL="http://localhost:${PORT}"

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
    log "installing $* from Debian's packages"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

# --- tools -------------------------------------------------------------------------------------
[ -x /usr/bin/chromium ] || apt_install chromium
command -v curl >/dev/null || apt_install curl

if [ ! -d e2e/node_modules ]; then
    if [ -f e2e/package-lock.json ]; then
        log "npm ci in e2e/"
        (cd e2e && npm ci --no-audit --no-fund)
    else
        log "npm install in e2e/"
        (cd e2e && npm install --no-audit --no-fund)
    fi
fi

# --- stores and service ------------------------------------------------------------------------
scripts/services.sh

if [ ! -f "$JAR" ] || [ -n "$(find pom.xml src -newer "$JAR" -print -quit)" ]; then
    log "building $JAR"
    ./mvnw -B -q package -DskipTests
fi

if curl -s -o /dev/null --max-time 2 "http://localhost:${PORT}/"; then
    log "port ${PORT} is already in use; stop what listens there or set E2E_PORT"
    exit 1
fi

SERVICE_PID=
TEST_PID=
stop_service() {
    if [ -n "$TEST_PID" ] && kill -0 "$TEST_PID" 2>/dev/null; then
        kill "$TEST_PID" 2>/dev/null || true
        wait "$TEST_PID" 2>/dev/null || true
    fi
    [ -n "$SERVICE_PID" ] || return 0
    if kill -0 "$SERVICE_PID" 2>/dev/null; then
        kill "$SERVICE_PID" 2>/dev/null || true
        for _ in $(seq 1 50); do
            kill -0 "$SERVICE_PID" 2>/dev/null || break
            sleep 0.2
        done
        kill -9 "$SERVICE_PID" 2>/dev/null || true
    fi
    wait "$SERVICE_PID" 2>/dev/null || true
}
trap stop_service EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p target
log "starting the service on port ${PORT} (log: ${SERVICE_LOG})"
# the test database and Redis database of the test suites, never the ones scripts/run.sh uses
java -Dquarkus.http.port="${PORT}" -Dquarkus.datasource.jdbc.url=jdbc:postgresql://localhost:5432/test \
    -Dquarkus.redis.hosts=redis://localhost:6379/1 \
    -Dauth.signing-key.encryption-key=test-signing-key-encryption-key -jar "$JAR" >"$SERVICE_LOG" 2>&1 &
SERVICE_PID=$!

ready=false
deadline=$((SECONDS + 60))
while [ "$SECONDS" -lt "$deadline" ]; do
    if ! kill -0 "$SERVICE_PID" 2>/dev/null; then
        log "the service exited during startup; last lines of ${SERVICE_LOG}:"
        tail -n 40 "$SERVICE_LOG" >&2
        exit 1
    fi
    if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "${E2E_BASE_URL}/q/health/ready")" = 200 ]; then
        ready=true
        break
    fi
    sleep 0.5
done
if [ "$ready" != true ]; then
    log "the service was not ready within 60 s; last lines of ${SERVICE_LOG}:"
    tail -n 40 "$SERVICE_LOG" >&2
    exit 1
fi
log "service ready at ${E2E_BASE_URL}"

# in the background and waited for, so that INT and TERM stop the run at once
status=0
node --test e2e/ &
TEST_PID=$!
wait "$TEST_PID" || status=$?
TEST_PID=
if [ "$status" -ne 0 ]; then
    log "tests failed (status ${status}); service log: ${SERVICE_LOG}"
fi
exit "$status"
