# Sourced by the end-to-end scripts: log, Debian packages, and starting, waiting for and stopping the processes
# they run. The caller sets LOG_TAG.

log() { printf '[%s] %s\n' "${LOG_TAG:-e2e}" "$*" >&2; }

apt_install() {
    log "installing $* from Debian's packages"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

sha256() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }

# stops a process: TERM, up to 10 s, then KILL
stop() {
    local pid=$1
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.2
    done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

# waits until the URL answers the status, or fails with the log of the process
wait_for() {
    local pid=$1 url=$2 status=$3 logfile=$4 deadline=$((SECONDS + 90))
    while [ "$SECONDS" -lt "$deadline" ]; do
        if ! kill -0 "$pid" 2>/dev/null; then
            log "the process for ${url} exited; last lines of ${logfile}:"
            tail -n 40 "$logfile" >&2
            exit 1
        fi
        [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url")" = "$status" ] && return 0
        sleep 0.3
    done
    log "${url} did not answer ${status} within 90 s; last lines of ${logfile}:"
    tail -n 40 "$logfile" >&2
    exit 1
}

# fails when something already listens on one of the ports
ports_free() {
    for port in "$@"; do
        if curl -s -o /dev/null --max-time 2 "http://localhost:${port}/"; then
            log "port ${port} is already in use; stop what listens there"
            exit 1
        fi
    done
}
