# Shared by the bench/*.sh scripts: build, start one node of the service, make sessions. Loopback only.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/local-key.sh

PORT=${PORT:-18200}
BASE="http://127.0.0.1:$PORT"
JAVA=${JAVA:-java}
OUT=target/bench
mkdir -p "$OUT"

ensure_tools() {
    command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
    scripts/services.sh
    [ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests
}

# Starts the service and waits until it is ready; sets SERVICE_PID and STARTUP_MS.
start_service() {
    local started
    started=$(date +%s%N)
    # shellcheck disable=SC2086
    $JAVA ${JAVA_OPTS:-} -Dquarkus.http.port="$PORT" "$@" -jar target/quarkus-app/quarkus-run.jar \
        >"$OUT/service.log" 2>&1 &
    SERVICE_PID=$!
    trap 'kill $SERVICE_PID 2>/dev/null || true' EXIT
    wait_ready "$started"
}

# Starts the native binary (NATIVE_BINARY, default target/native-check/*-runner) like start_service, with the
# options in NATIVE_OPTIONS.
start_native() {
    local started bins
    bins=(${NATIVE_BINARY:-target/native-check/*-runner})
    [ -x "${bins[0]}" ] || { echo "no native binary (run: native-check build .)" >&2; exit 1; }
    NATIVE_BINARY=${bins[0]}
    started=$(date +%s%N)
    # shellcheck disable=SC2086
    "$NATIVE_BINARY" ${NATIVE_OPTIONS:-} -Dquarkus.http.port="$PORT" >"$OUT/service.log" 2>&1 &
    SERVICE_PID=$!
    trap 'kill $SERVICE_PID 2>/dev/null || true' EXIT
    wait_ready "$started"
}

# Waits for the first 200 from /q/health/ready; sets STARTUP_MS, counted from $1 (date +%s%N).
wait_ready() {
    local started=$1
    for _ in $(seq 1 600); do
        if [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/q/health/ready" || true)" = 200 ]; then
            STARTUP_MS=$((($(date +%s%N) - started) / 1000000))
            return 0
        fi
        sleep 0.05
    done
    echo "service did not become ready" >&2
    exit 1
}

rss_mb() {
    awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"
}

# Registers a fresh user (password "benchmark password") and prints its name.
new_user() {
    local user="bench-$(date +%s%N | tail -c 10)-$RANDOM"
    curl -s -o /dev/null -XPOST "$BASE/auth/register" -H 'Content-Type: application/json' \
        -d "{\"username\":\"$user\",\"password\":\"benchmark password\"}"
    echo "$user"
}

# Logs the user in and prints the given field of the token pair.
login_field() {
    curl -s -XPOST "$BASE/auth/login" -H 'Content-Type: application/json' \
        -d "{\"username\":\"$1\",\"password\":\"benchmark password\"}" |
        python3 -c "import sys, json; print(json.load(sys.stdin)['$2'])"
}

# Runs wrk and prints "requests/s p50 p99" (latencies in ms).
wrk_summary() {
    wrk --latency "$@" | python3 -c '
import re, sys
text = sys.stdin.read()
def ms(v, unit):
    return float(v) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
lat = {p: ms(v, u) for p, v, u in re.findall(r"\s(50|99)%\s+([\d.]+)(us|ms|s)", text)}
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
p50, p99 = lat.get("50", 0), lat.get("99", 0)
print(f"{rps:.0f} {p50:.2f} {p99:.2f} {errors.group(1) if errors else 0}")'
}

redis_calls() {
    redis-cli -h 127.0.0.1 -p 6379 info commandstats | awk -F'[=,]' '/^cmdstat_/ { total += $2 } END { print total }'
}
