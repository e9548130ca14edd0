#!/usr/bin/env bash
# Refresh and login throughput on one node, and the password hash's own bound, in one run.
#   bench/refresh-login.sh   (DURATION=10s CONNECTIONS=32; JAVA=... to pick the JDK)
source "$(dirname "$0")/common.sh"
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}

ensure_tools
[ -d target/test-classes/dev/tokenservice/bench ] || ./mvnw -B -q test-compile
start_service
user=$(new_user)
tokens="$OUT/refresh-tokens.txt"
: >"$tokens"
for _ in $(seq 1 "$CONNECTIONS"); do
    login_field "$user" refresh_token >>"$tokens"
done

read -r refresh_rps refresh_p50 refresh_p99 refresh_err < <(THREADS=1 TOKENS="$tokens" wrk_summary -t1 \
    -c"$CONNECTIONS" -d"$DURATION" -s bench/refresh.lua "$BASE")
read -r login_rps login_p50 login_p99 login_err < <(wrk_summary -t1 -c8 -d"$DURATION" -s /dev/stdin "$BASE" <<LUA
wrk.method = "POST"
wrk.path = "/auth/login"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"username":"$user","password":"benchmark password"}'
LUA
)
kill "$SERVICE_PID"; wait "$SERVICE_PID" 2>/dev/null || true

bc=$(ls target/quarkus-app/lib/main/org.bouncycastle.bcprov-*.jar)
hash_line=$($JAVA -cp "target/classes:target/test-classes:$bc" dev.tokenservice.bench.PasswordHashBench 10 2 | tail -1)
hash_rps=$(echo "$hash_line" | awk -F': ' '{ sub("/s", "", $2); print $2 }')

echo "java: $($JAVA -version 2>&1 | head -1)"
echo "POST /auth/refresh: $refresh_rps/s  p50 ${refresh_p50} ms  p99 ${refresh_p99} ms  non-2xx $refresh_err"
echo "POST /auth/login:   $login_rps/s  p50 ${login_p50} ms  p99 ${login_p99} ms  non-2xx $login_err"
echo "$hash_line"
python3 -c "print(f'login / hash-only bound: {$login_rps / $hash_rps:.2f}')"
