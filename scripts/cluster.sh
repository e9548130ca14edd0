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
#
# REDIS picks the Redis the nodes use (docs/scaling.md, Scaling out); `up` starts it and `down` stops it:
#   unset      QUARKUS_REDIS_HOSTS as given (default redis://localhost:6379), started by nobody here
#   sentinel   a master and two replicas on REDIS_PORTS (16430 16431 16432) watched by three sentinels on
#              SENTINEL_PORTS (26430 26431 26432), quorum 2; the nodes find the master through the sentinels and
#              wait for one replica per revocation (AUTH_REVOCATION_MIN_REPLICAS=1)
#   cluster    a Redis Cluster of three masters on REDIS_PORTS (cluster bus on each port + 10000); the nodes
#              use QUARKUS_REDIS_CLIENT_TYPE=cluster with every master in QUARKUS_REDIS_HOSTS
# The servers keep their files and logs in CLUSTER_DIR/redis and start empty on every `up`.
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

REDIS=${REDIS:-}
REDIS_PORTS=${REDIS_PORTS:-16430 16431 16432}
SENTINEL_PORTS=${SENTINEL_PORTS:-26430 26431 26432}
SENTINEL_MASTER=tokens

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

# One redis-server, empty, daemonised with its pid file in CLUSTER_DIR; extra arguments follow the defaults.
start_redis() {
    local port=$1 dir="$CLUSTER_DIR/redis/$1"
    shift
    rm -rf "$dir" && mkdir -p "$dir"
    redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" --save "" --appendonly yes --appendfsync always \
        --daemonize yes --pidfile "$CLUSTER_DIR/redis-$port.pid" --logfile "$dir/redis.log" "$@"
    for _ in $(seq 1 50); do
        redis-cli -p "$port" ping >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    log "redis-server on $port did not start"
    return 1
}

redis_hosts() {
    local hosts=() port
    for port in "$@"; do
        hosts+=("redis://127.0.0.1:$port")
    done
    (IFS=,; echo "${hosts[*]}")
}

start_sentinel_set() {
    local ports=($REDIS_PORTS) port dir
    start_redis "${ports[0]}"
    for port in "${ports[@]:1}"; do
        start_redis "$port" --replicaof 127.0.0.1 "${ports[0]}"
    done
    for port in $SENTINEL_PORTS; do
        dir="$CLUSTER_DIR/redis/sentinel-$port"
        rm -rf "$dir" && mkdir -p "$dir"
        printf '%s\n' "port $port" "bind 127.0.0.1" "dir $dir" "daemonize yes" \
            "pidfile $CLUSTER_DIR/sentinel-$port.pid" "logfile $dir/sentinel.log" \
            "sentinel monitor $SENTINEL_MASTER 127.0.0.1 ${ports[0]} 2" \
            "sentinel down-after-milliseconds $SENTINEL_MASTER 1000" \
            "sentinel failover-timeout $SENTINEL_MASTER 5000" >"$dir/sentinel.conf"
        redis-server "$dir/sentinel.conf" --sentinel
    done
    for _ in $(seq 1 100); do
        [ "$(redis-cli -p "${ports[0]}" info replication | tr -d '\r' | sed -n 's/^connected_slaves://p')" = $((${#ports[@]} - 1)) ] && break
        sleep 0.2
    done
    export QUARKUS_REDIS_CLIENT_TYPE=sentinel QUARKUS_REDIS_MASTER_NAME=$SENTINEL_MASTER QUARKUS_REDIS_ROLE=master
    export AUTH_REVOCATION_MIN_REPLICAS=${AUTH_REVOCATION_MIN_REPLICAS:-1}
    QUARKUS_REDIS_HOSTS=$(redis_hosts $SENTINEL_PORTS)
    export QUARKUS_REDIS_HOSTS
    log "Redis Sentinel: master ${ports[0]}, replicas ${ports[*]:1}, sentinels $SENTINEL_PORTS"
}

start_redis_cluster() {
    local port addresses=()
    for port in $REDIS_PORTS; do
        start_redis "$port" --cluster-enabled yes --cluster-config-file "$CLUSTER_DIR/redis/$port/nodes.conf"
        addresses+=("127.0.0.1:$port")
    done
    redis-cli --cluster create "${addresses[@]}" --cluster-replicas 0 --cluster-yes >"$CLUSTER_DIR/redis/create.log"
    for port in $REDIS_PORTS; do
        for _ in $(seq 1 100); do
            redis-cli -p "$port" cluster info | grep -q cluster_state:ok && break
            sleep 0.2
        done
    done
    export QUARKUS_REDIS_CLIENT_TYPE=cluster
    QUARKUS_REDIS_HOSTS=$(redis_hosts $REDIS_PORTS)
    export QUARKUS_REDIS_HOSTS
    log "Redis Cluster: masters $REDIS_PORTS"
}

# The settings of a started topology are kept for `start N`, so a restarted node finds the same Redis.
start_redis_topology() {
    rm -f "$CLUSTER_DIR/redis.env"
    case "$REDIS" in
        '') return ;;
        sentinel) start_sentinel_set ;;
        cluster) start_redis_cluster ;;
        *) log "REDIS must be sentinel, cluster or unset, not $REDIS"; exit 2 ;;
    esac
    local name
    for name in QUARKUS_REDIS_CLIENT_TYPE QUARKUS_REDIS_HOSTS QUARKUS_REDIS_MASTER_NAME QUARKUS_REDIS_ROLE \
        AUTH_REVOCATION_MIN_REPLICAS; do
        if [ -n "${!name:-}" ]; then
            printf 'export %s=%q\n' "$name" "${!name}"
        fi
    done >"$CLUSTER_DIR/redis.env"
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
    start_redis_topology
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
    for pidfile in "$CLUSTER_DIR"/node*.pid "$CLUSTER_DIR"/sentinel-*.pid "$CLUSTER_DIR"/redis-*.pid; do
        [ -e "$pidfile" ] && stop_pidfile "$pidfile"
    done
    rm -f "$CLUSTER_DIR/redis.env"
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
        # shellcheck disable=SC1091
        [ -f "$CLUSTER_DIR/redis.env" ] && source "$CLUSTER_DIR/redis.env"
        start_node "${2:?node number}"
        await_ready "http://127.0.0.1:$(node_port "$2")/q/health/ready" 60
        ;;
    *) echo "usage: $0 up|down|status|kill N|start N" >&2; exit 2 ;;
esac
