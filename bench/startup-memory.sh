#!/usr/bin/env bash
# Start-up to ready and idle resident memory of one node, started three ways, each the median of RUNS starts:
#   JVM plain      the packaged jar with deploy/jvm.options and no AOT cache
#   JVM AOT cache  as the JVM image starts it: deploy/jvm.options and the AOT cache of this build (JDK 25 and later;
#                  made first by scripts/aot-cache.sh when missing or older than the jar)
#   native         the native executable (NATIVE_BINARY, default target/native-check/*-runner) with the options
#                  of src/main/docker/Dockerfile.native's CMD (its heap bounds); left out when there is none
# Ready is process launch to the first 200 from /q/health/ready (Flyway, the key set, the revocation mirror's
# catch-up); RSS idle is VmRSS 5 s after that. All on the local PostgreSQL and Redis.
#   bench/startup-memory.sh   (RUNS=5; JAVA=... to pick the JDK, default Temurin 25 when installed)
#   LOAD=1 adds, for the JVM with the AOT cache, RSS after 12 s of wrk on /api/greeting (32 connections)
# Output: per way a "label:" line, then "started to ready: N ms" and "RSS idle: N MiB" (medians, runs in
# parentheses), which bench/charts.sh draws.
requested_java=${JAVA:-}
source "$(dirname "$0")/common.sh"
RUNS=${RUNS:-5}
ensure_tools
JAVA=$requested_java
source scripts/java.sh
if [ "$(java_feature_version)" -ge 25 ] 2>/dev/null &&
    ! [ target/quarkus-app/app.aot -nt target/quarkus-app/quarkus-run.jar ]; then
    JAVA=$JAVA scripts/aot-cache.sh >&2
fi

median() {
    printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

# usage: measure LABEL START_FUNCTION [ARGS...]: RUNS starts, each stopped after its idle RSS is read
measure() {
    local label=$1 ready=() rss=()
    shift
    for _ in $(seq 1 "$RUNS"); do
        "$@"
        ready+=("$STARTUP_MS")
        sleep 5
        rss+=("$(rss_mb "$SERVICE_PID")")
        if [ "${LOAD:-0}" = 1 ] && [ "$label" = "JVM AOT cache" ] && [ -z "${loaded:-}" ]; then
            local user token
            user=$(new_user)
            token=$(login_field "$user" access_token)
            wrk -t1 -c32 -d12s -H "Authorization: Bearer $token" "$BASE/api/greeting" >/dev/null
            loaded=$(rss_mb "$SERVICE_PID")
        fi
        kill "$SERVICE_PID"
        wait "$SERVICE_PID" 2>/dev/null || true
    done
    echo "label: $label"
    echo "options: $OPTIONS"
    echo "started to ready: $(median "${ready[@]}") ms (median of $RUNS; runs: ${ready[*]})"
    echo "RSS idle: $(median "${rss[@]}") MiB (median of $RUNS; runs: ${rss[*]})"
    if [ -n "${loaded:-}" ] && [ "$label" = "JVM AOT cache" ]; then
        echo "RSS under load (32 connections on /api/greeting, first run): $loaded MiB"
    fi
}

jvm() {
    # shellcheck disable=SC2086
    JAVA_OPTS="$OPTIONS" start_service
}

native() {
    # shellcheck disable=SC2086
    NATIVE_OPTIONS="$OPTIONS" start_native
}

echo "runtime: $($JAVA -version 2>&1 | head -1)"
OPTIONS="@deploy/jvm.options"
measure "JVM plain" jvm
if [ "$(java_feature_version)" -ge 25 ] 2>/dev/null && [ -f target/quarkus-app/app.aot ]; then
    OPTIONS="@deploy/jvm.options -XX:AOTCache=target/quarkus-app/app.aot"
    measure "JVM AOT cache" jvm
fi
bins=(${NATIVE_BINARY:-target/native-check/*-runner})
if [ -x "${bins[0]}" ]; then
    OPTIONS=$(scripts/native-options.sh)
    measure "native" native
else
    echo "no native executable (native-check build .): native left out" >&2
fi
