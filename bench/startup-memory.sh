#!/usr/bin/env bash
# Startup time to ready and resident memory, idle and under load, of one node.
#   bench/startup-memory.sh   (JAVA=... to pick the JDK; as the image starts it unless JAVA_OPTS is set)
#   bench/startup-memory.sh native   the native binary (NATIVE_BINARY, default target/native-check/*-runner),
#                                    time to ready and idle RSS only
source "$(dirname "$0")/common.sh"
if [ "${1:-}" = native ]; then
    scripts/services.sh
    start_native
    sleep 5
    echo "native: $NATIVE_BINARY"
    echo "started to ready: $STARTUP_MS ms (process launch to the first 200 from /q/health/ready)"
    echo "RSS idle: $(rss_mb "$SERVICE_PID") MiB"
    exit 0
fi
ensure_tools
if [ -z "${JAVA_OPTS+set}" ]; then
    # JAVA_OPTS unset: start the node as the container image does (deploy/jvm.options, and on JDK 25 and later
    # the AOT cache of this build, made first when missing); JAVA_OPTS= (empty) measures the plain JVM
    source scripts/java.sh
    if [ "$(java_feature_version)" -ge 25 ] 2>/dev/null &&
        ! [ target/quarkus-app/app.aot -nt target/quarkus-app/quarkus-run.jar ]; then
        JAVA=$JAVA scripts/aot-cache.sh >&2
        source scripts/java.sh
    fi
    JAVA_OPTS=$JVM_OPTS
fi
start_service
startup=$STARTUP_MS
sleep 5
idle=$(rss_mb "$SERVICE_PID")
user=$(new_user)
token=$(login_field "$user" access_token)
wrk -t1 -c32 -d15s -H "Authorization: Bearer $token" "$BASE/api/greeting" >/dev/null &
load=$!
sleep 12
loaded=$(rss_mb "$SERVICE_PID")
wait "$load"
echo "java: $($JAVA -version 2>&1 | head -1)"
echo "options: ${JAVA_OPTS:-none}"
echo "started to ready: $startup ms (process launch to the first 200 from /q/health/ready)"
echo "RSS idle: $idle MiB; RSS under load (32 connections on /api/greeting): $loaded MiB"
