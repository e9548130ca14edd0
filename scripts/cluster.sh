#!/usr/bin/env bash
# A local cluster: N token-service nodes (separate JVMs of the packaged jar) behind HAProxy.
#
#   scripts/cluster.sh up          start NODES nodes and the balancer (builds the jar if needed)
#   scripts/cluster.sh down        stop them
#   scripts/cluster.sh status      show what runs
#   scripts/cluster.sh kill N      kill -9 node N (fault injection)
#   scripts/cluster.sh start N     start node N again
#
# Environment: NODES (2), LB_PORT (8080), BASE_PORT (8081: node i listens on BASE_PORT+i-1),
# CLUSTER_DIR (target/cluster: pids, logs, haproxy.cfg), JAVA_OPTS, NODE<i>_JAVA_OPTS (options of node i
# alone, after JAVA_OPTS), and any service setting such as QUARKUS_DATASOURCE_JDBC_URL, QUARKUS_REDIS_HOSTS,
# AUTH_ADMIN_USERNAME or AUTH_SIGNING_KEY_ENCRYPTION_KEY (a local default when unset), passed to every node.
# Behind Redis Sentinel (README, Scaling out) the nodes take the stock client settings, e.g.
#   QUARKUS_REDIS_CLIENT_TYPE=sentinel QUARKUS_REDIS_HOSTS=redis://127.0.0.1:26410,redis://127.0.0.1:26411,...
#   QUARKUS_REDIS_MASTER_NAME=tokens QUARKUS_REDIS_ROLE=master AUTH_REVOCATION_MIN_REPLICAS=1 scripts/cluster.sh up
# with the sentinels and servers started beforehand (SentinelIT starts such a set: SentinelSet).
set -euo pipefail
cd "$(dirname "$0")/.."

NODES=${NODES:-2}
LB_PORT=${LB_PORT:-8080}
BASE_PORT=${BASE_PORT:-8081}
CLUSTER_DIR=$(mkdir -p "${CLUSTER_DIR:-target/cluster}" && cd "${CLUSTER_DIR:-target/cluster}" && pwd)
JAR=target/quarkus-app/quarkus-run.jar
# the balancer connects from loopback: believe its X-Forwarded-For for login throttling
export AUTH_LOGIN_TRUSTED_PROXIES=${AUTH_LOGIN_TRUSTED_PROXIES:-127.0.0.1}
# private signing keys are stored encrypted under this secret; every node needs the same one
source scripts/local-key.sh

log() { printf '[cluster] %s\n' "$*" >&2; }

node_port() { echo $((BASE_PORT + $1 - 1)); }

ensure_haproxy() {
    if ! command -v haproxy >/dev/null; then
        log "installing haproxy"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null
    fi
}

ensure_jar() {
    if [ ! -f "$JAR" ]; then
        log "building $JAR"
        ./mvnw -B -q package -DskipTests
    fi
}

start_node() {
    local i=$1 port node_opts
    port=$(node_port "$i")
    node_opts=NODE${i}_JAVA_OPTS
    # shellcheck disable=SC2086
    nohup java ${JAVA_OPTS:-} ${!node_opts:-} -Dquarkus.http.port="$port" -jar "$JAR" >>"$CLUSTER_DIR/node$i.log" 2>&1 &
    echo $! >"$CLUSTER_DIR/node$i.pid"
    log "node $i: pid $!, port $port"
}

http_error() {
    local status=$1 reason=$2
    echo "    http-error status $status content-type application/problem+json hdr Retry-After 1 string '{\"type\":\"urn:token-service:problem:unavailable\",\"title\":\"$reason\",\"status\":$status,\"detail\":\"no node could answer; retry\"}'"
}

# The nodes count failed logins per X-Forwarded-For: it is overwritten with the connecting address (a client's
# own value would otherwise come first), and the client's Forwarded, which the nodes never believe, is dropped.
# Metrics and the OpenAPI document are for operators, who reach each node's own port; so are dot segments,
# which the nodes resolve (/auth/../q/metrics is /q/metrics to them).
client_headers_and_internal_paths() {
    cat <<'CFG'
    http-request del-header Forwarded
    http-request set-header X-Forwarded-For %[src]
    acl internal_path path,url_dec,lower -m reg ^/+q/+(metrics|openapi)
    acl dot_segment path,url_dec -m reg (^|/)[.][.]?(/|$)
    http-request return status 404 content-type application/problem+json string '{"type":"urn:token-service:problem:not-found","title":"Not Found","status":404,"detail":"Not Found"}' if internal_path || dot_segment
CFG
}

backend() {
    local name=$1 check=$2
    printf '%s\n' "backend $name" "    balance roundrobin" "    option httpchk GET $check" \
        "    http-check expect status 200" "    default-server inter 500ms fall 2 rise 2" \
        "    # the revocation feed may be silent until the node ends it (auth.feed.max-connection, 5m)" \
        "    http-request set-timeout server 6m if { path /oauth/revocations }"
    for i in $(seq 1 "$NODES"); do
        echo "    server node$i 127.0.0.1:$(node_port "$i") check"
    done
}

write_haproxy_config() {
    {
        cat <<CFG
global
    maxconn 4096
    log stdout format raw local0 warning
defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    retries 2
    option redispatch
CFG
        # HAProxy's own errors are problem documents, like the nodes' answers
        http_error 502 "Bad Gateway"
        http_error 503 "Service Unavailable"
        http_error 504 "Gateway Timeout"
        cat <<CFG
frontend tokens
    bind 127.0.0.1:$LB_PORT
CFG
        client_headers_and_internal_paths
        cat <<CFG
    # When no node is ready (Redis or PostgreSQL down everywhere), live nodes still give the precise
    # answer: 503 for what needs the missing store, 200 for what does not.
    use_backend degraded if { nbsrv(ready) eq 0 }
    default_backend ready
CFG
        backend ready /q/health/ready
        backend degraded /q/health/live
    } >"$CLUSTER_DIR/haproxy.cfg"
}

await_ready() {
    local url=$1 seconds=$2
    for _ in $(seq 1 $((seconds * 5))); do
        if [ "$(curl -s -o /dev/null -w '%{http_code}' "$url" || true)" = 200 ]; then
            return 0
        fi
        sleep 0.2
    done
    log "$url did not become ready within ${seconds}s"
    return 1
}

stop_pidfile() {
    local file=$1 signal=${2:-TERM}
    if [ -f "$file" ]; then
        local pid
        pid=$(cat "$file")
        kill "-$signal" "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        rm -f "$file"
    fi
}

up() {
    ensure_haproxy
    ensure_jar
    for i in $(seq 1 "$NODES"); do
        start_node "$i"
    done
    write_haproxy_config
    haproxy -c -q -f "$CLUSTER_DIR/haproxy.cfg"
    haproxy -D -f "$CLUSTER_DIR/haproxy.cfg" -p "$CLUSTER_DIR/haproxy.pid"
    log "balancer: http://127.0.0.1:$LB_PORT"
    for i in $(seq 1 "$NODES"); do
        await_ready "http://127.0.0.1:$(node_port "$i")/q/health/ready" 60
    done
    await_ready "http://127.0.0.1:$LB_PORT/q/health/ready" 10
    log "cluster is up"
}

down() {
    stop_pidfile "$CLUSTER_DIR/haproxy.pid"
    for pidfile in "$CLUSTER_DIR"/node*.pid; do
        [ -e "$pidfile" ] && stop_pidfile "$pidfile"
    done
    log "cluster is down"
}

status() {
    for pidfile in "$CLUSTER_DIR"/*.pid; do
        [ -e "$pidfile" ] || continue
        if kill -0 "$(cat "$pidfile")" 2>/dev/null; then
            echo "$(basename "$pidfile" .pid): running (pid $(cat "$pidfile"))"
        else
            echo "$(basename "$pidfile" .pid): dead"
        fi
    done
}

case "${1:-}" in
    up) up ;;
    down) down ;;
    status) status ;;
    kill) stop_pidfile "$CLUSTER_DIR/node${2:?node number}.pid" KILL ;;
    start)
        start_node "${2:?node number}"
        await_ready "http://127.0.0.1:$(node_port "$2")/q/health/ready" 60
        ;;
    *) echo "usage: $0 up|down|status|kill N|start N" >&2; exit 2 ;;
esac
