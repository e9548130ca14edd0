#!/usr/bin/env bash
# What DPoP costs, on one node in one run: GET /api/greeting with a DPoP-bound token and a fresh proof per request,
# against the same GET with a bearer token and against GET /api/ping (no token); then refresh of DPoP-bound sessions
# (a proof per refresh) against refresh of bearer sessions. Proofs are made ahead by the npm dpop package
# (bench/dpop/proofs.mjs) and are good for 60 s, so each run gets a fresh batch just before it. Also counts the Redis
# commands of the DPoP run (one SET NX per proof is expected).
#   bench/dpop.sh   (DURATION=10s CONNECTIONS=32; GET_PROOFS=90000 REFRESH_PROOFS=40000; JAVA=... to pick the JDK)
source "$(dirname "$0")/common.sh"
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
GET_PROOFS=${GET_PROOFS:-90000}
REFRESH_PROOFS=${REFRESH_PROOFS:-40000}
KEY=$OUT/dpop-key.json

ensure_tools
command -v node >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }
[ -d bench/dpop/node_modules/dpop ] || (cd bench/dpop && npm ci --no-audit --no-fund >/dev/null)
proofs() { node bench/dpop/proofs.mjs "$@"; }

start_service -Dauth.login.max-failures=1000000
user=$(new_user)
proofs key "$KEY"
bearer=$(login_field "$user" access_token)
bound=$(proofs login "$KEY" "$BASE" "$BASE" "$user" 1 2>&1 >/dev/null)

# warm-up of all three, then one measured run of each, the DPoP one first while its proofs are fresh
wrk -t1 -c4 -d3s "$BASE/api/ping" >/dev/null
wrk -t1 -c4 -d3s -H "Authorization: Bearer $bearer" "$BASE/api/greeting" >/dev/null
proofs proofs "$KEY" "$BASE" GET /api/greeting 15000 "$bound" >"$OUT/dpop-proofs.txt"
BENCH_TOKEN=$bound BENCH_PROOFS=$OUT/dpop-proofs.txt wrk -t1 -c4 -d3s -s bench/dpop-get.lua "$BASE" >/dev/null

proofs proofs "$KEY" "$BASE" GET /api/greeting "$GET_PROOFS" "$bound" >"$OUT/dpop-proofs.txt"
before=$(redis_calls)
read -r dpop_rps dpop_p50 dpop_p99 dpop_err < <(BENCH_TOKEN=$bound BENCH_PROOFS=$OUT/dpop-proofs.txt \
    wrk_summary -t1 -c"$CONNECTIONS" -d"$DURATION" -s bench/dpop-get.lua "$BASE")
after=$(redis_calls)
read -r bearer_rps bearer_p50 bearer_p99 bearer_err < <(wrk_summary -t1 -c"$CONNECTIONS" -d"$DURATION" \
    -H "Authorization: Bearer $bearer" "$BASE/api/greeting")
read -r ping_rps ping_p50 ping_p99 ping_err < <(wrk_summary -t1 -c"$CONNECTIONS" -d"$DURATION" "$BASE/api/ping")
dpop_requests=$(python3 -c "print(round($dpop_rps * ${DURATION%s}))")

# refresh: CONNECTIONS chains of each kind, a warm-up set and a measured set, every token spent once
for set in warmup measured; do
    : >"$OUT/refresh-tokens-$set.txt"
    for _ in $(seq 1 $((CONNECTIONS + 4))); do
        login_field "$user" refresh_token >>"$OUT/refresh-tokens-$set.txt"
    done
    proofs login "$KEY" "$BASE" "$BASE" "$user" $((CONNECTIONS + 4)) >"$OUT/dpop-refresh-tokens-$set.txt" 2>/dev/null
done
BENCH_TOKENS="$OUT/refresh-tokens-warmup.txt" wrk -t1 -c"$CONNECTIONS" -d5s -s bench/refresh.lua "$BASE" >/dev/null
proofs proofs "$KEY" "$BASE" POST /auth/refresh 15000 >"$OUT/dpop-refresh-proofs.txt"
BENCH_TOKENS="$OUT/dpop-refresh-tokens-warmup.txt" BENCH_PROOFS="$OUT/dpop-refresh-proofs.txt" \
    wrk -t1 -c"$CONNECTIONS" -d5s -s bench/dpop-refresh.lua "$BASE" >/dev/null
proofs proofs "$KEY" "$BASE" POST /auth/refresh "$REFRESH_PROOFS" >"$OUT/dpop-refresh-proofs.txt"
read -r dref_rps dref_p50 dref_p99 dref_err < <(BENCH_TOKENS="$OUT/dpop-refresh-tokens-measured.txt" \
    BENCH_PROOFS="$OUT/dpop-refresh-proofs.txt" wrk_summary -t1 -c"$CONNECTIONS" -d"$DURATION" -s bench/dpop-refresh.lua "$BASE")
read -r ref_rps ref_p50 ref_p99 ref_err < <(BENCH_TOKENS="$OUT/refresh-tokens-measured.txt" \
    wrk_summary -t1 -c"$CONNECTIONS" -d"$DURATION" -s bench/refresh.lua "$BASE")

echo "java: $($JAVA -version 2>&1 | head -1)"
echo "GET /api/greeting, DPoP:   $dpop_rps req/s  p50 ${dpop_p50} ms  p99 ${dpop_p99} ms  non-2xx $dpop_err"
echo "GET /api/greeting, Bearer: $bearer_rps req/s  p50 ${bearer_p50} ms  p99 ${bearer_p99} ms  non-2xx $bearer_err"
echo "GET /api/ping (no token):  $ping_rps req/s  p50 ${ping_p50} ms  p99 ${ping_p99} ms  non-2xx $ping_err"
python3 -c "print(f'DPoP / Bearer: {$dpop_rps / $bearer_rps:.2f}   DPoP / ping: {$dpop_rps / $ping_rps:.2f}   Bearer / ping: {$bearer_rps / $ping_rps:.2f}')"
echo "Redis commands during the DPoP run: $((after - before)) for about $dpop_requests requests" \
     "($(python3 -c "print(f'{($after - $before) / max(1, $dpop_requests):.3f}')") per request; the tail's XREAD and the health checks included)"
echo "POST /auth/refresh, DPoP:   $dref_rps/s  p50 ${dref_p50} ms  p99 ${dref_p99} ms  non-2xx $dref_err ($CONNECTIONS chains)"
echo "POST /auth/refresh, Bearer: $ref_rps/s  p50 ${ref_p50} ms  p99 ${ref_p99} ms  non-2xx $ref_err ($CONNECTIONS chains)"
python3 -c "print(f'refresh DPoP / Bearer: {$dref_rps / $ref_rps:.2f}')"
