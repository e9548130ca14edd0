#!/usr/bin/env bash
# Introspection: POST /oauth/introspect (RFC 7662) with a valid access token and a confidential client, against
# GET /api/ping (no token: the ceiling) on the same node, in one run; the Redis commands each introspection costs
# in steady state; and the ratio to Keycloak's introspection rate on this machine with the same wrk settings.
#   bench/introspect.sh   (DURATION=10s CONNECTIONS=32 THREADS=1 PORT=18200; JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java)
source "$(dirname "$0")/common.sh"
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-1}
# Keycloak 26.7 on this machine, wrk -t1 -c32 -d10s against its introspection endpoint; a constant, not re-run here
KEYCLOAK_RPS=${KEYCLOAK_RPS:-1763}

secret=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
ensure_tools
start_service -Dauth.clients.bench-gateway.type=confidential \
    -Dauth.clients.bench-gateway.secret-sha256="$(printf %s "$secret" | sha256sum | cut -d' ' -f1)" \
    -Dauth.clients.bench-gateway.grant-types=client_credentials \
    -Dauth.clients.bench-gateway.audiences=token-service
user=$(new_user)
export BENCH_TOKEN=$(login_field "$user" access_token)
export BENCH_AUTH="Basic $(printf 'bench-gateway:%s' "$secret" | base64 -w0)"
answer=$(curl -s -XPOST "$BASE/oauth/introspect" -H "Authorization: $BENCH_AUTH" --data-urlencode "token=$BENCH_TOKEN")
case "$answer" in *'"active":true'*) ;; *) echo "introspection did not answer active: $answer" >&2; exit 1 ;; esac

wrk -t1 -c4 -d3s "$BASE/api/ping" >/dev/null
wrk -t1 -c4 -d3s -s bench/introspect.lua "$BASE/oauth/introspect" >/dev/null
read -r ping_rps ping_p50 ping_p99 ping_err < <(wrk_summary -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" "$BASE/api/ping")
before=$(redis_calls)
read -r int_rps int_p50 int_p99 int_err < <(wrk_summary -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" \
    -s bench/introspect.lua "$BASE/oauth/introspect")
after=$(redis_calls)
requests=$(python3 -c "print(round($int_rps * ${DURATION%s}))")
inactive=$(wrk -t1 -c4 -d2s -s bench/introspect.lua "$BASE/oauth/introspect" | awk '/inactive answers/ { print $3 }')

echo "java: $($JAVA -version 2>&1 | head -1)"
echo "GET /api/ping (no token):      $ping_rps req/s  p50 ${ping_p50} ms  p99 ${ping_p99} ms  non-2xx $ping_err"
echo "POST /oauth/introspect:        $int_rps req/s  p50 ${int_p50} ms  p99 ${int_p99} ms  non-2xx $int_err"
echo "inactive answers in a 2 s check run afterwards: $inactive"
python3 -c "print(f'introspection / ping: {$int_rps / $ping_rps:.2f}')"
python3 -c "print(f'introspection / Keycloak ($KEYCLOAK_RPS/s): {$int_rps / $KEYCLOAK_RPS:.1f}x')"
echo "Redis commands during the introspection run: $((after - before)) for about $requests requests" \
     "($(python3 -c "print(f'{($after - $before) / max(1, $requests):.4f}')") per request; the tail's XREAD and the health checks included)"
