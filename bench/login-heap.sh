#!/usr/bin/env bash
# Logins under the heap the node is started with, and what they do to everyone else on the node: login throughput
# (wrk -c8, one account, after 5 s of the same) with the garbage-collection pauses of those 10 s counted from
# -Xlog:gc, then GET /api/greeting with a bearer token alone and while 4 connections log in, in one run.
#   JAVA=... JAVA_OPTS=@deploy/jvm.options bench/login-heap.sh   (DURATION=10s)
source "$(dirname "$0")/common.sh"
DURATION=${DURATION:-10s}
ensure_tools
gc_log="$OUT/login-heap-gc.log"
rm -f "$gc_log"
JAVA_OPTS="${JAVA_OPTS:-} -Xlog:gc:file=$gc_log" start_service -Dauth.login.max-failures=1000000
user=$(new_user)
token=$(login_field "$user" access_token)

# pauses, full collections among them, and milliseconds paused, from line $1 of the GC log on
pauses_since() {
    tail -n +"$1" "$gc_log" | awk '/Pause/ { n++; if (/Pause Full/) f++; v = $NF; sub("ms", "", v); t += v }
        END { printf "%d pauses, %d full, %.0f ms", n, f, t }'
}

BENCH_USER="$user" wrk -t1 -c8 -d5s -s bench/login.lua "$BASE" >/dev/null
from=$(($(wc -l <"$gc_log") + 1))
read -r login_rps login_p50 login_p99 login_err < <(BENCH_USER="$user" wrk_summary -t1 -c8 -d"$DURATION" \
    -s bench/login.lua "$BASE")
login_gc=$(pauses_since "$from")

wrk -t1 -c16 -d5s -H "Authorization: Bearer $token" "$BASE/api/greeting" >/dev/null
read -r alone_rps _ alone_p99 alone_err < <(wrk_summary -t1 -c16 -d"$DURATION" \
    -H "Authorization: Bearer $token" "$BASE/api/greeting")
BENCH_USER="$user" wrk -t1 -c4 -d"$((${DURATION%s} + 2))s" -s bench/login.lua "$BASE" >"$OUT/login-heap-logins.txt" &
logins=$!
sleep 1
read -r during_rps _ during_p99 during_err < <(wrk_summary -t1 -c16 -d"$DURATION" \
    -H "Authorization: Bearer $token" "$BASE/api/greeting")
wait "$logins"
logins_meanwhile=$(awk '/Requests\/sec/ { print $2 }' "$OUT/login-heap-logins.txt")
rss=$(rss_mb "$SERVICE_PID")

echo "java: $($JAVA -version 2>&1 | head -1); options: ${JAVA_OPTS:-none}"
echo "POST /auth/login: $login_rps/s  p50 $login_p50 ms  p99 $login_p99 ms  non-2xx $login_err; GC meanwhile: $login_gc"
echo "GET /api/greeting alone: $alone_rps/s  p99 $alone_p99 ms  non-2xx $alone_err"
echo "GET /api/greeting while 4 connections log in: $during_rps/s  p99 $during_p99 ms  non-2xx $during_err" \
    "(logins meanwhile: $logins_meanwhile/s)"
echo "RSS afterwards: $rss MiB"
