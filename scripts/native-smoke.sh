#!/usr/bin/env bash
# Smoke test of the native binary (target/native-check/*-runner, made by native-check; NATIVE_BINARY
# overrides) beside a node of the packaged jar, both on the local PostgreSQL (database native_smoke) and
# Redis (database 6). On the native node: register, login, greeting, refresh, logout, the logged-out token
# and its refresh token refused. Across the two: a token issued by the native node and logged out on the
# JVM node is refused by the native node. For other services, on the native node: the discovery document,
# a client_credentials token, introspection and the revocation feed's snapshot, with a confidential client
# configured by environment variables. Prints the native node's time to ready and its RSS; exits
# non-zero on the first mismatch. NATIVE_PORT and JVM_PORT override the ports (18470, 18471), JAVA the JDK.
set -euo pipefail
cd "$(dirname "$0")/.."

NATIVE_PORT=${NATIVE_PORT:-18470}
JVM_PORT=${JVM_PORT:-18471}
DATABASE=native_smoke
JAR=target/quarkus-app/quarkus-run.jar
OUT=target/native-smoke
PASSWORD='native smoke password'
CLIENT_ID=gateway
CLIENT_SECRET='native-smoke-client-secret-0123456789'

log() { printf '[native-smoke] %s\n' "$*" >&2; }
fail() { log "FAILED: $*"; log "node logs: $OUT/native.log, $OUT/jvm.log"; exit 1; }

PIDS=()
stop_nodes() {
    local pid
    for pid in ${PIDS[@]+"${PIDS[@]}"}; do kill "$pid" 2>/dev/null || true; done
    for pid in ${PIDS[@]+"${PIDS[@]}"}; do wait "$pid" 2>/dev/null || true; done
}
trap stop_nodes EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

binary() {
    local bins=(${NATIVE_BINARY:-target/native-check/*-runner})
    [ -x "${bins[0]}" ] || fail "no native binary (run: native-check build .)"
    [ -z "$(find pom.xml src/main/java src/main/resources -newer "${bins[0]}" -print -quit)" ] \
        || fail "${bins[0]} is older than the sources (run: native-check build .)"
    echo "${bins[0]}"
}

prepare() {
    mkdir -p "$OUT"
    scripts/services.sh
    if ! psql -h 127.0.0.1 -U postgres -Atc "select 1 from pg_database where datname = '$DATABASE'" | grep -q 1; then
        log "creating database $DATABASE"
        createdb -h 127.0.0.1 -U postgres "$DATABASE"
    fi
    # a native build leaves a jar of its own beside the native sources; the JVM node runs a JVM package
    if [ ! -f "$JAR" ] || [ -n "$(find pom.xml src -newer "$JAR" -print -quit)" ] \
            || ! grep -qx 'type=jar' target/quarkus-artifact.properties 2>/dev/null; then
        log "building $JAR"
        ./mvnw -B -q package -DskipTests
    fi
}

# usage: start NAME PORT COMMAND...; both nodes get the same stores and key-encryption key.
start() {
    local name=$1 port=$2; shift 2
    curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$port/" && fail "port $port is in use (set ${name^^}_PORT)"
    env QUARKUS_HTTP_PORT="$port" \
        QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://localhost:5432/$DATABASE" \
        QUARKUS_REDIS_HOSTS=redis://localhost:6379/6 \
        AUTH_SIGNING_KEY_ENCRYPTION_KEY=native-smoke-signing-key-encryption-key \
        AUTH_CLIENTS_GATEWAY_TYPE=confidential \
        AUTH_CLIENTS_GATEWAY_SECRET_SHA256="$(printf %s "$CLIENT_SECRET" | sha256sum | cut -d' ' -f1)" \
        AUTH_CLIENTS_GATEWAY_GRANT_TYPES=client_credentials \
        AUTH_CLIENTS_GATEWAY_AUDIENCES=token-service \
        "$@" >"$OUT/$name.log" 2>&1 &
    PIDS+=($!)
}

# Waits for the last started node to be ready; prints the milliseconds since $1 (date +%s%N).
wait_ready() {
    local started=$1 port=$2 name=$3 pid=${PIDS[-1]}
    for _ in $(seq 1 1200); do
        kill -0 "$pid" 2>/dev/null || { tail -n 30 "$OUT/$name.log" >&2; fail "the $name node exited during startup"; }
        if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port/q/health/ready")" = 200 ]; then
            echo $((($(date +%s%N) - started) / 1000000))
            return
        fi
        sleep 0.05
    done
    tail -n 30 "$OUT/$name.log" >&2
    fail "the $name node was not ready within 60 s"
}

# usage: call PORT METHOD PATH [CURL_ARGS...]; prints the status, leaves the body in $OUT/body.
call() {
    local port=$1 method=$2 path=$3; shift 3
    curl -s -o "$OUT/body" -w '%{http_code}' --max-time 10 -X "$method" "http://127.0.0.1:$port$path" "$@"
}

expect() {
    local step=$1 want=$2 got=$3
    [ "$got" = "$want" ] || fail "$step: HTTP $got, expected $want; body: $(head -c 300 "$OUT/body")"
    log "ok  $step: $got"
}

# A 401 for a revoked token, not for a missing one.
expect_revoked() {
    expect "$1" 401 "$2"
    grep -q 'urn:token-service:problem:invalid-token' "$OUT/body" || fail "$1: not an invalid-token problem: $(cat "$OUT/body")"
}

field() {
    python3 -c "import json; print(json.load(open('$OUT/body'))['$1'])"
}

credentials() { echo "{\"username\":\"$USERNAME\",\"password\":\"$PASSWORD\"}"; }

login() {
    expect "login on the $2 node" 200 "$(call "$1" POST /auth/login -H 'Content-Type: application/json' -d "$(credentials)")"
}

bearer() { echo "Authorization: Bearer $1"; }

lifecycle() {
    local port=$NATIVE_PORT access refresh
    USERNAME="smoke-$(date +%s%N)-$RANDOM"
    expect register 201 "$(call "$port" POST /auth/register -H 'Content-Type: application/json' -d "$(credentials)")"
    login "$port" native
    access=$(field access_token)
    refresh=$(field refresh_token)
    expect greeting 200 "$(call "$port" GET /api/greeting -H "$(bearer "$access")")"
    grep -q "Hey $USERNAME" "$OUT/body" || fail "greeting: unexpected body $(cat "$OUT/body")"
    expect refresh 200 "$(call "$port" POST /auth/refresh -H 'Content-Type: application/json' \
        -d "{\"refresh_token\":\"$refresh\"}")"
    access=$(field access_token)
    refresh=$(field refresh_token)
    expect logout 204 "$(call "$port" POST /auth/logout -H "$(bearer "$access")")"
    expect_revoked "greeting with the logged-out token" "$(call "$port" GET /api/greeting -H "$(bearer "$access")")"
    expect_revoked "refresh of the logged-out session" "$(call "$port" POST /auth/refresh \
        -H 'Content-Type: application/json' -d "{\"refresh_token\":\"$refresh\"}")"
}

logout_on_the_jvm_node() {
    local access status
    login "$NATIVE_PORT" native
    access=$(field access_token)
    expect "greeting on the native node" 200 "$(call "$NATIVE_PORT" GET /api/greeting -H "$(bearer "$access")")"
    expect "logout on the JVM node" 204 "$(call "$JVM_PORT" POST /auth/logout -H "$(bearer "$access")")"
    for _ in $(seq 1 50); do
        status=$(call "$NATIVE_PORT" GET /api/greeting -H "$(bearer "$access")")
        [ "$status" = 401 ] && break
        sleep 0.1
    done
    expect_revoked "greeting on the native node after the logout on the JVM node" "$status"
}

other_services() {
    local port=$NATIVE_PORT access issuer
    expect "discovery document" 200 "$(call "$port" GET /.well-known/openid-configuration)"
    issuer=$(field issuer)
    expect "client_credentials token" 200 "$(call "$port" POST /oauth/token -u "$CLIENT_ID:$CLIENT_SECRET" \
        -d grant_type=client_credentials)"
    access=$(field access_token)
    python3 - "$access" "$issuer" "$CLIENT_ID" <<'CHECK' || fail "the client's token does not match the discovery document"
import base64, json, sys
token, issuer, client = sys.argv[1:]
claims = json.loads(base64.urlsafe_b64decode(token.split('.')[1] + '=='))
assert claims['iss'] == issuer and claims['sub'] == client and claims['client_id'] == client, claims
CHECK
    expect "introspection of the client's token" 200 "$(call "$port" POST /oauth/introspect \
        -u "$CLIENT_ID:$CLIENT_SECRET" -d "token=$access")"
    [ "$(field active)" = True ] || fail "introspection: not active: $(cat "$OUT/body")"
    expect "token with a wrong client secret" 401 "$(call "$port" POST /oauth/token -u "$CLIENT_ID:wrong" \
        -d grant_type=client_credentials)"
    curl -s -o "$OUT/feed" --max-time 2 -u "$CLIENT_ID:$CLIENT_SECRET" "http://127.0.0.1:$port/oauth/revocations" || true
    grep -q '^event: snapshot$' "$OUT/feed" || fail "revocation feed: no snapshot in $(head -c 300 "$OUT/feed")"
    log "ok  revocation feed: snapshot"
}

prepare
BINARY=$(binary)
# started as Dockerfile.native starts it: the same options (its heap bounds)
read -r -a native_options <<<"$(scripts/native-options.sh)"
log "starting $BINARY ${native_options[*]} on port $NATIVE_PORT (log: $OUT/native.log)"
started=$(date +%s%N)
start native "$NATIVE_PORT" "$BINARY" "${native_options[@]}"
native_pid=${PIDS[-1]}
ready_ms=$(wait_ready "$started" "$NATIVE_PORT" native)
rss=$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$native_pid/status")
log "native node ready in $ready_ms ms (process launch to the first 200 from /q/health/ready), RSS $rss MiB"
lifecycle
other_services

log "starting $JAR on port $JVM_PORT (log: $OUT/jvm.log)"
start jvm "$JVM_PORT" "${JAVA:-java}" -jar "$JAR"
wait_ready "$(date +%s%N)" "$JVM_PORT" jvm >/dev/null
logout_on_the_jvm_node
log "passed; native node: ready in $ready_ms ms, RSS after ready $rss MiB"
