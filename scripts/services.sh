#!/usr/bin/env bash
# Makes sure the local PostgreSQL (127.0.0.1:5432, trust auth) and Redis (127.0.0.1:6379) the service
# and its tests use are running; installs them from Debian's packages when they are missing.
set -euo pipefail

log() { printf '[services] %s\n' "$*" >&2; }

apt_install() {
    log "installing $*"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_postgres() {
    if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
        return
    fi
    local fresh=false
    if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
        apt_install postgresql
        fresh=true
    fi
    local version
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    if [ "$fresh" = true ]; then
        # a fresh cluster asks for passwords over TCP; the local development setup trusts loopback
        sed -i -E 's/^(host\s+all\s+all\s+(127\.0\.0\.1\/32|::1\/128)\s+)\S+$/\1trust/' \
            "/etc/postgresql/$version/main/pg_hba.conf"
    fi
    log "starting PostgreSQL $version"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    for _ in $(seq 1 30); do
        pg_isready -q -h 127.0.0.1 -p 5432 && break
        sleep 1
    done
    pg_isready -q -h 127.0.0.1 -p 5432 || { log "PostgreSQL did not start"; exit 1; }
}

ensure_database() {
    local name=$1
    if ! psql -h 127.0.0.1 -U postgres -Atc "select 1 from pg_database where datname = '$name'" | grep -q 1; then
        log "creating database $name"
        createdb -h 127.0.0.1 -U postgres "$name"
    fi
}

ensure_redis() {
    if redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
        return
    fi
    command -v redis-server >/dev/null || apt_install redis-server
    log "starting Redis"
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
        --dir /var/lib/redis --logfile /var/log/redis/ci.log
    for _ in $(seq 1 30); do
        redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && return
        sleep 0.2
    done
    log "Redis did not start"
    exit 1
}

ensure_postgres
ensure_database postgres
ensure_database test
# the end-to-end test of the example resource servers runs its service on a database of its own
ensure_database test_cons
# and so does the DPoP and sessions test of two nodes
ensure_database test_dpop
# and the webhooks test of two nodes and its benchmark
ensure_database test_hooks
ensure_redis
log "PostgreSQL and Redis are up"
