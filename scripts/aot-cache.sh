#!/usr/bin/env bash
# Makes the JDK's ahead-of-time cache (JEP 483/515, JDK 25 and later) for the packaged service: a training run
# starts target/quarkus-app/quarkus-run.jar with -XX:AOTCacheOutput, waits until it is ready, goes once through
# register, login, greeting, refresh and logout, and stops it; the JVM then writes target/quarkus-app/app.aot,
# which later starts map instead of loading and linking every class again (scripts/run.sh, bench/, the image).
# The cache belongs to one build of the jar and one JDK build: make it again after either changes.
# Uses the local PostgreSQL and Redis (scripts/services.sh); TRAINING_PORT (18390).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/services.sh
source scripts/local-key.sh
unset JVM_OPTS
source scripts/java.sh
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests
if [ "$(java_feature_version)" -lt 25 ] 2>/dev/null; then
    echo "[aot-cache] $JAVA is older than JDK 25: no AOT cache" >&2
    exit 0
fi
port=${TRAINING_PORT:-18390}
base="http://127.0.0.1:$port"
rm -f target/quarkus-app/app.aot
"$JAVA" @deploy/jvm.options -XX:AOTCacheOutput=target/quarkus-app/app.aot -Dquarkus.http.port="$port" \
    -jar target/quarkus-app/quarkus-run.jar >target/aot-training.log 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/q/health/ready" || true)" = 200 ] && break
    sleep 0.1
done
user="aot-training-$(date +%s%N)"
body="{\"username\":\"$user\",\"password\":\"training password\"}"
json() { python3 -c "import sys, json; print(json.load(sys.stdin)['$1'])"; }
curl -sf -XPOST "$base/auth/register" -H 'Content-Type: application/json' -d "$body" >/dev/null
pair=$(curl -sf -XPOST "$base/auth/login" -H 'Content-Type: application/json' -d "$body")
access=$(echo "$pair" | json access_token)
refresh=$(echo "$pair" | json refresh_token)
curl -sf "$base/api/greeting" -H "Authorization: Bearer $access" >/dev/null
access=$(curl -sf -XPOST "$base/auth/refresh" -H 'Content-Type: application/json' \
    -d "{\"refresh_token\":\"$refresh\"}" | json access_token)
curl -sf -XPOST "$base/auth/logout" -H "Authorization: Bearer $access" >/dev/null
kill "$pid"
wait "$pid" || true
trap - EXIT
[ -f target/quarkus-app/app.aot ] || { echo "[aot-cache] no cache written; see target/aot-training.log" >&2; exit 1; }
echo "[aot-cache] target/quarkus-app/app.aot ($(du -m target/quarkus-app/app.aot | cut -f1) MiB) for $("$JAVA" -version 2>&1 | head -1)"
