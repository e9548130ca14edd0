#!/usr/bin/env bash
# Refresh throughput (wrk, bench/refresh.lua: each connection's response hands the next request its successor
# token, so CONNECTIONS chains rotate and no token is presented twice) and login
# throughput (wrk) on one node, and the password hash's own bound, in one run.
#   bench/refresh-login.sh   (DURATION=10s CONNECTIONS=32 WARMUP=10; JAVA=... to pick the JDK)
#   HISTORY=1000000 bench/refresh-login.sh   on a database of its own made afresh (bench_history): after the
#       first measurement the node rotates HISTORY more times, is restarted, warmed up and measured again the same
#       way, so the two figures of one run differ by the history in the database only; it prints the tables' sizes
# The node runs with the per-username login limit raised: the login run is one account on 8 connections.
source "$(dirname "$0")/common.sh"
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
HISTORY=${HISTORY:-0}

ensure_tools
[ -d target/test-classes/dev/tokenservice/bench ] || ./mvnw -B -q test-compile
database=()
if [ "$HISTORY" -gt 0 ]; then
    psql -h 127.0.0.1 -U postgres -qc 'drop database if exists bench_history' -c 'create database bench_history'
    database=(-Dquarkus.datasource.jdbc.url=jdbc:postgresql://127.0.0.1:5432/bench_history)
fi
start_service -Dauth.login.max-failures=1000000 "${database[@]}"
user=$(new_user)

# Writes CONNECTIONS chains' first refresh tokens to $OUT/refresh-tokens-$1.txt. wrk builds a request or two ahead
# of sending it, so a set has a few tokens more than connections; every token is spent once.
new_chains() {
    : >"$OUT/refresh-tokens-$1.txt"
    for _ in $(seq 1 $((CONNECTIONS + 4))); do
        login_field "$user" refresh_token >>"$OUT/refresh-tokens-$1.txt"
    done
}

# Measures refresh on a new set of chains: prints "requests/s p50 p99 non-2xx".
measure_refresh() {
    new_chains "$1"
    BENCH_TOKENS="$OUT/refresh-tokens-$1.txt" wrk_summary -t1 -c"$CONNECTIONS" -d"$DURATION" -s bench/refresh.lua "$BASE"
}

table_sizes() {
    psql -h 127.0.0.1 -U postgres -d bench_history -Atc "select string_agg(format('%s %s rows %s', relname,
        n_live_tup, pg_size_pretty(pg_total_relation_size(relid))), '; ' order by relname)
        from pg_stat_user_tables where relname in ('refresh_token', 'auth_session')"
}

# one set of chains warms the JIT up (WARMUP, 10 s), a fresh set is measured
warm_up() {
    new_chains warmup
    BENCH_TOKENS="$OUT/refresh-tokens-warmup.txt" wrk -t1 -c"$CONNECTIONS" -d"${WARMUP:-10}s" -s bench/refresh.lua \
        "$BASE" >/dev/null
}
warm_up
read -r refresh_rps refresh_p50 refresh_p99 refresh_err < <(measure_refresh measured)
if [ "$HISTORY" -gt 0 ]; then
    fresh_tables=$(table_sizes)
    # a PostgreSQL with autovacuum off (as on the development machine) keeps every dead row version; the bench then
    # vacuums the two tables after each minute of history, as autovacuum's default one-minute nap would
    autovacuum=$(psql -h 127.0.0.1 -U postgres -Atc 'show autovacuum')
    rotated=0
    round=0
    while [ "$rotated" -lt "$HISTORY" ]; do
        round=$((round + 1))
        new_chains "history-$round"
        read -r done_now failed_now < <(BENCH_TOKENS="$OUT/refresh-tokens-history-$round.txt" wrk -t1 \
            -c"$CONNECTIONS" -d60s -s bench/refresh.lua "$BASE" |
            awk '/requests in/ { n = $1 } /Non-2xx/ { f = $NF } END { print n, f + 0 }')
        rotated=$((rotated + done_now - failed_now))
        history_failed=$((${history_failed:-0} + failed_now))
        echo "history: $rotated rotations, $history_failed non-2xx" >&2
        if [ "$autovacuum" = off ]; then
            psql -h 127.0.0.1 -U postgres -d bench_history -qc 'vacuum token_service.refresh_token, token_service.auth_session'
        fi
    done
    kill "$SERVICE_PID"; wait "$SERVICE_PID" 2>/dev/null || true
    start_service -Dauth.login.max-failures=1000000 "${database[@]}"
    warm_up
    read -r later_rps later_p50 later_p99 later_err < <(measure_refresh later)
    later_tables=$(table_sizes)
fi
read -r login_rps login_p50 login_p99 login_err < <(BENCH_USER="$user" wrk_summary -t1 -c8 -d"$DURATION" \
    -s bench/login.lua "$BASE")
kill "$SERVICE_PID"; wait "$SERVICE_PID" 2>/dev/null || true

bc=$(ls target/quarkus-app/lib/main/org.bouncycastle.bcprov-*.jar)
hash_line=$($JAVA -cp "target/classes:target/test-classes:$bc" dev.tokenservice.bench.PasswordHashBench 10 2 | tail -1)
hash_rps=$(echo "$hash_line" | awk -F': ' '{ sub("/s", "", $2); print $2 }')

echo "java: $($JAVA -version 2>&1 | head -1); options: ${JAVA_OPTS:-none (the defaults of the JVM)}; warm-up: ${WARMUP:-10} s of refresh on other chains"
echo "POST /auth/refresh: $refresh_rps/s  p50 ${refresh_p50} ms  p99 ${refresh_p99} ms  non-2xx $refresh_err ($CONNECTIONS chains)"
echo "POST /auth/login:   $login_rps/s  p50 ${login_p50} ms  p99 ${login_p99} ms  non-2xx $login_err"
echo "$hash_line"
python3 -c "print(f'login / hash-only bound: {$login_rps / $hash_rps:.2f}')"
if [ "$HISTORY" -gt 0 ]; then
    echo "tables after the first measurement: $fresh_tables"
    echo "POST /auth/refresh after $rotated more rotations ($history_failed non-2xx among them), the node restarted and warmed up again: $later_rps/s  p50 ${later_p50} ms  p99 ${later_p99} ms" \
        " non-2xx $later_err"
    echo "tables after them: $later_tables"
    echo "autovacuum: $autovacuum$([ "$autovacuum" = off ] && echo ' (the bench vacuumed the two tables after each minute of history)')"
    python3 -c "print(f'refresh after the history / refresh on the fresh database: {$later_rps / $refresh_rps:.2f}')"
fi
