#!/usr/bin/env bash
# Refresh throughput (wrk, bench/refresh.lua: each connection's response hands the next request its successor
# token, so CONNECTIONS chains rotate and no token is presented twice) and login
# throughput (wrk) on one node, and the password hash's own bound, in one run.
#   bench/refresh-login.sh   (DURATION=10s CONNECTIONS=32 WARMUP=10; JAVA=... to pick the JDK)
# The node runs with the per-username login limit raised: the login run is one account on 8 connections.
source "$(dirname "$0")/common.sh"
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}

ensure_tools
[ -d target/test-classes/dev/tokenservice/bench ] || ./mvnw -B -q test-compile
start_service -Dauth.login.max-failures=1000000
user=$(new_user)
# one set of chains warms the JIT up (WARMUP, 10 s), a fresh set is measured; every token is spent once.
# wrk builds a request or two ahead of sending it, so each set has a few tokens more than connections.
for set in warmup measured; do
    : >"$OUT/refresh-tokens-$set.txt"
    for _ in $(seq 1 $((CONNECTIONS + 4))); do
        login_field "$user" refresh_token >>"$OUT/refresh-tokens-$set.txt"
    done
done
BENCH_TOKENS="$OUT/refresh-tokens-warmup.txt" wrk -t1 -c"$CONNECTIONS" -d"${WARMUP:-10}s" -s bench/refresh.lua \
    "$BASE" >/dev/null
read -r refresh_rps refresh_p50 refresh_p99 refresh_err < <(BENCH_TOKENS="$OUT/refresh-tokens-measured.txt" \
    wrk_summary -t1 -c"$CONNECTIONS" -d"$DURATION" -s bench/refresh.lua "$BASE")
read -r login_rps login_p50 login_p99 login_err < <(BENCH_USER="$user" wrk_summary -t1 -c8 -d"$DURATION" \
    -s bench/login.lua "$BASE")
kill "$SERVICE_PID"; wait "$SERVICE_PID" 2>/dev/null || true

bc=$(ls target/quarkus-app/lib/main/org.bouncycastle.bcprov-*.jar)
hash_line=$($JAVA -cp "target/classes:target/test-classes:$bc" dev.tokenservice.bench.PasswordHashBench 10 2 | tail -1)
hash_rps=$(echo "$hash_line" | awk -F': ' '{ sub("/s", "", $2); print $2 }')

echo "java: $($JAVA -version 2>&1 | head -1); options: ${JAVA_OPTS:-the JVM's defaults}; warm-up: ${WARMUP:-10} s of refresh on other chains"
echo "POST /auth/refresh: $refresh_rps/s  p50 ${refresh_p50} ms  p99 ${refresh_p99} ms  non-2xx $refresh_err ($CONNECTIONS chains)"
echo "POST /auth/login:   $login_rps/s  p50 ${login_p50} ms  p99 ${login_p99} ms  non-2xx $login_err"
echo "$hash_line"
python3 -c "print(f'login / hash-only bound: {$login_rps / $hash_rps:.2f}')"
