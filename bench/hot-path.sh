#!/usr/bin/env bash
# The hot path: GET /api/greeting with a valid token against GET /api/ping (no token) on the same node, in
# one run, plus the Redis commands each protected request costs in steady state.
#   bench/hot-path.sh            (DURATION=10s CONNECTIONS=32 THREADS=1; JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java)
source "$(dirname "$0")/common.sh"
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-1}

ensure_tools
start_service
user=$(new_user)
token=$(login_field "$user" access_token)
wrk -t1 -c4 -d3s "$BASE/api/ping" >/dev/null
wrk -t1 -c4 -d3s -H "Authorization: Bearer $token" "$BASE/api/greeting" >/dev/null

read -r ping_rps ping_p50 ping_p99 ping_err < <(wrk_summary -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" "$BASE/api/ping")
before=$(redis_calls)
read -r hot_rps hot_p50 hot_p99 hot_err < <(wrk_summary -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" \
    -H "Authorization: Bearer $token" "$BASE/api/greeting")
after=$(redis_calls)
requests=$(python3 -c "print(round($hot_rps * ${DURATION%s}))")

echo "java: $($JAVA -version 2>&1 | head -1)"
echo "GET /api/ping (no token):   $ping_rps req/s  p50 ${ping_p50} ms  p99 ${ping_p99} ms  non-2xx $ping_err"
echo "GET /api/greeting (token):  $hot_rps req/s  p50 ${hot_p50} ms  p99 ${hot_p99} ms  non-2xx $hot_err"
python3 -c "print(f'hot path / ceiling: {$hot_rps / $ping_rps:.2f}')"
echo "Redis commands during the greeting run: $((after - before)) for about $requests requests" \
     "($(python3 -c "print(f'{($after - $before) / max(1, $requests):.4f}')") per request; the tail's XREAD and the health checks included)"
