#!/usr/bin/env bash
# Refresh throughput (a Java load generator: each worker keeps its own chain of refresh tokens) and login
# throughput (wrk) on one node, and the password hash's own bound, in one run.
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

refresh_line=$($JAVA -cp target/test-classes dev.tokenservice.bench.RefreshLoad "$BASE" "$tokens" "${DURATION%s}")
read -r login_rps login_p50 login_p99 login_err < <(BENCH_USER="$user" wrk_summary -t1 -c8 -d"$DURATION" \
    -s bench/login.lua "$BASE")
kill "$SERVICE_PID"; wait "$SERVICE_PID" 2>/dev/null || true

bc=$(ls target/quarkus-app/lib/main/org.bouncycastle.bcprov-*.jar)
hash_line=$($JAVA -cp "target/classes:target/test-classes:$bc" dev.tokenservice.bench.PasswordHashBench 10 2 | tail -1)
hash_rps=$(echo "$hash_line" | awk -F': ' '{ sub("/s", "", $2); print $2 }')

echo "java: $($JAVA -version 2>&1 | head -1)"
echo "POST /auth/refresh: $refresh_line"
echo "POST /auth/login:   $login_rps/s  p50 ${login_p50} ms  p99 ${login_p99} ms  non-2xx $login_err"
echo "$hash_line"
python3 -c "print(f'login / hash-only bound: {$login_rps / $hash_rps:.2f}')"
