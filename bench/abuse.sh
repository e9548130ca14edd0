#!/usr/bin/env bash
# Floods of what an outsider can send, at the rate wrk reaches on this machine, against one node started as the
# container starts it (deploy/jvm.options: 128 MiB heap, exit on OutOfMemoryError): junk client ids, guesses from
# one address, a user presenting a fresh access token per refresh, the same token revoked over and over. After
# each flood: the heap after a full collection, the RSS, and the answers a gateway (introspection with its right
# secret) and a user (greeting) got meanwhile, ten times a second each.
#   bench/abuse.sh   (DURATION=20s CONNECTIONS=64 PORT=18200; JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java)
source "$(dirname "$0")/common.sh"
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-64}
JCMD=$(dirname "$(readlink -f "$(command -v "$JAVA")")")/jcmd

secret=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
ensure_tools
JAVA_OPTS="@deploy/jvm.options ${JAVA_OPTS:-}" start_service -Dauth.login.trusted-proxies=127.0.0.1 \
    -Dauth.clients.bench-gateway.type=confidential \
    -Dauth.clients.bench-gateway.secret-sha256="$(printf %s "$secret" | sha256sum | cut -d' ' -f1)" \
    -Dauth.clients.bench-gateway.audiences=token-service
gateway="Basic $(printf 'bench-gateway:%s' "$secret" | base64 -w0)"
user=$(new_user)
user_token=$(login_field "$user" access_token)

heap_mib() {
    "$JCMD" "$SERVICE_PID" GC.run >/dev/null
    "$JCMD" "$SERVICE_PID" GC.heap_info | python3 -c '
import re, sys
used = sum(int(k) for k in re.findall(r"generation\s+total \d+K, used (\d+)K", sys.stdin.read()))
print(f"{used / 1024:.1f}")'
}

# The real clients: one introspection and one greeting every 100 ms, each status on its own line.
real_clients() {
    while kill -0 "$SERVICE_PID" 2>/dev/null; do
        curl -s -o /dev/null -w '%{http_code}\n' -m 5 -XPOST "$BASE/oauth/introspect" -H "Authorization: $gateway" \
            -H 'X-Forwarded-For: 10.200.0.1' --data-urlencode "token=$user_token"
        curl -s -o /dev/null -w '%{http_code}\n' -m 5 "$BASE/api/greeting" -H "Authorization: Bearer $user_token"
        sleep 0.1
    done >"$OUT/abuse-real.txt"
}

report() {
    local name=$1 rps=$2 non2xx=$3
    local answers
    answers=$(sort "$OUT/abuse-real.txt" | uniq -c | awk '{ printf "%s%s x %s", sep, $1, $2; sep=", " }')
    printf '%-34s %8s req/s  non-2xx %8s  heap after GC %6s MiB  RSS %4s MiB  real clients: %s\n' \
        "$name" "$rps" "$non2xx" "$(heap_mib)" "$(rss_mb "$SERVICE_PID")" "$answers"
}

flood() {
    local name=$1
    shift
    : >"$OUT/abuse-real.txt"
    real_clients &
    local real=$!
    read -r rps _ _ non2xx < <(wrk_summary -t2 -c"$CONNECTIONS" -d"$DURATION" "$@")
    kill "$real" 2>/dev/null; wait "$real" 2>/dev/null || true
    report "$name" "$rps" "$non2xx"
}

echo "java: $($JAVA -version 2>&1 | head -1); options: $(tr '\n' ' ' <deploy/jvm.options)"
printf '%-34s %8s       %8s                 %6s MiB      %4s MiB\n' "at start" - - "$(heap_mib)" "$(rss_mb "$SERVICE_PID")"
ABUSE_ID_LENGTH=1500 flood "random 1,500-char client ids" -s bench/abuse-ids.lua "$BASE/oauth/token"
ABUSE_ID_LENGTH=6 ABUSE_ADDRESS=10.66.0.1 flood "guesses from one address" -s bench/abuse-ids.lua "$BASE/oauth/token"

tokens="$OUT/abuse-tokens.txt"
: >"$tokens"
for _ in $(seq 1 $((CONNECTIONS + 8))); do login_field "$user" refresh_token >>"$tokens"; done
BENCH_TOKENS="$tokens" flood "fresh access token per refresh" -s bench/abuse-tokens.lua "$BASE/auth/refresh"

stream='auth:{revocations}:stream'
revoked=$(login_field "$user" access_token)
before=$(redis-cli -h 127.0.0.1 -p 6379 xlen "$stream")
printf 'wrk.method = "POST"\nwrk.body = %s\nwrk.headers["Content-Type"] = "application/json"\n' \
    "'{\"token\":\"$revoked\"}'" >"$OUT/abuse-revoke.lua"
flood "one token revoked over and over" -s "$OUT/abuse-revoke.lua" "$BASE/auth/revoke"
echo "stream entries written by that flood: $(($(redis-cli -h 127.0.0.1 -p 6379 xlen "$stream") - before))"
kill -0 "$SERVICE_PID" && echo "node alive after every flood"
