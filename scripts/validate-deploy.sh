#!/usr/bin/env bash
# Validates the container deployment files without a container engine:
#   docker-compose.yml, deploy/haproxy.cfg, src/main/docker/Dockerfile.{jvm,native}, .dockerignore.
# Installs docker-compose and haproxy with apt-get when they are missing (Debian/Ubuntu).
# Prints one line per check and exits non-zero at the first failure. Works from any directory.
set -euo pipefail
cd "$(dirname "$0")/.."

COMPOSE_FILE=docker-compose.yml
SENTINEL_FILE=docker-compose.sentinel.yml
HAPROXY_CFG=deploy/haproxy.cfg
DOCKERFILE_JVM=src/main/docker/Dockerfile.jvm
DOCKERFILE_NATIVE=src/main/docker/Dockerfile.native
DOCKERIGNORE=.dockerignore

ok() { printf 'ok    %s\n' "$*"; }
fail() {
    printf 'FAIL  %s\n' "$1"
    if [[ -n ${2:-} ]]; then printf '%s\n' "$2" | sed 's/^/      /'; fi
    exit 1
}

# --- tools -------------------------------------------------------------------------------------

APT_UPDATED=
apt_install() { # package...
    local sudo=() log
    if [[ $(id -u) -ne 0 ]]; then
        command -v sudo >/dev/null 2>&1 || fail "install $*: not root and no sudo; install it by hand"
        sudo=(sudo)
    fi
    command -v apt-get >/dev/null 2>&1 || fail "install $*: no apt-get; install it by hand"
    log=$(mktemp)
    if [[ -z $APT_UPDATED ]]; then
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -qq -o DPkg::Lock::Timeout=300 update \
            >"$log" 2>&1 || fail "apt-get update" "$(tail -n 20 "$log")"
        APT_UPDATED=1
    fi
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -qq -y -o DPkg::Lock::Timeout=300 install "$@" \
        >"$log" 2>&1 || fail "apt-get install $*" "$(tail -n 20 "$log")"
    rm -f "$log"
}

# haproxy lives in /usr/sbin, which is not on every user's PATH.
PATH="$PATH:/usr/sbin:/sbin"

COMPOSE=()
if command -v docker-compose >/dev/null 2>&1; then
    COMPOSE=(docker-compose)
elif docker compose version >/dev/null 2>&1; then
    COMPOSE=(docker compose)
else
    apt_install docker-compose
    command -v docker-compose >/dev/null 2>&1 || fail "docker-compose not found after installing it"
    COMPOSE=(docker-compose)
    ok "installed docker-compose"
fi
ok "compose tool: ${COMPOSE[*]} ($("${COMPOSE[@]}" version --short 2>/dev/null || echo '?'))"

if ! command -v haproxy >/dev/null 2>&1; then
    apt_install haproxy
    command -v haproxy >/dev/null 2>&1 || fail "haproxy not found after installing it"
    ok "installed haproxy"
fi
ok "haproxy: $(haproxy -v 2>/dev/null | head -n 1)"

# --- docker-compose.yml ------------------------------------------------------------------------

[[ -f $COMPOSE_FILE ]] || fail "$COMPOSE_FILE exists"

# An empty environment and an empty env file instead of any .env: every variable must have a default.
EMPTY_ENV=$(mktemp)
trap 'rm -f "$EMPTY_ENV"' EXIT
compose() {
    env -i PATH="$PATH" HOME="${HOME:-/tmp}" "${COMPOSE[@]}" -f "$COMPOSE_FILE" --env-file "$EMPTY_ENV" "$@"
}
if ! out=$(compose config -q 2>&1); then
    fail "$COMPOSE_FILE: ${COMPOSE[*]} config" "$out"
fi
if grep -qiE 'variable is not set|blank string' <<<"$out"; then
    fail "$COMPOSE_FILE: ${COMPOSE[*]} config warns (a variable without default?)" "$out"
fi
ok "$COMPOSE_FILE: ${COMPOSE[*]} config accepts it with an empty environment"

services=$(compose config --services 2>/dev/null | sort | tr '\n' ' ')
[[ $services == "lb node1 node2 postgres redis " ]] ||
    fail "$COMPOSE_FILE: services are lb node1 node2 postgres redis (found: $services)"
ok "$COMPOSE_FILE: services lb node1 node2 postgres redis"

resolved=$(compose config 2>/dev/null)
for key in QUARKUS_DATASOURCE_JDBC_URL QUARKUS_DATASOURCE_USERNAME QUARKUS_DATASOURCE_PASSWORD \
    QUARKUS_REDIS_HOSTS AUTH_ISSUER AUTH_ADMIN_USERNAME AUTH_ADMIN_PASSWORD /q/health/ready \
    'dockerfile: src/main/docker/Dockerfile.jvm' 'condition: service_healthy'; do
    n=$(grep -cF -- "$key" <<<"$resolved" || true)
    [[ $n -ge 2 ]] || fail "$COMPOSE_FILE: node1 and node2 both have '$key' (found $n times)"
done
ok "$COMPOSE_FILE: node1 and node2 share the x-node settings (environment, build, depends_on, healthcheck)"

# The Sentinel variant, laid over the base file.
[[ -f $SENTINEL_FILE ]] || fail "$SENTINEL_FILE exists"
sentinel_compose() {
    env -i PATH="$PATH" HOME="${HOME:-/tmp}" "${COMPOSE[@]}" -f "$COMPOSE_FILE" -f "$SENTINEL_FILE" \
        --env-file "$EMPTY_ENV" "$@"
}
out=$(sentinel_compose config -q 2>&1) || fail "$COMPOSE_FILE + $SENTINEL_FILE: ${COMPOSE[*]} config" "$out"
services=$(sentinel_compose config --services 2>/dev/null | sort | tr '\n' ' ')
[[ $services == "lb node1 node2 postgres redis redis-replica1 redis-replica2 sentinel1 sentinel2 sentinel3 " ]] ||
    fail "$SENTINEL_FILE: adds two replicas and three sentinels (found: $services)"
resolved=$(sentinel_compose config 2>/dev/null)
for key in 'QUARKUS_REDIS_CLIENT_TYPE: sentinel' 'QUARKUS_REDIS_MASTER_NAME: tokens' "AUTH_REVOCATION_MIN_REPLICAS: '1'"; do
    n=$(grep -cF -- "$key" <<<"$resolved" || true)
    [[ $n -ge 2 ]] || fail "$SENTINEL_FILE: node1 and node2 both have '$key' (found $n times)"
done
[[ $(grep -c -- '--replicaof' <<<"$resolved" || true) -ge 2 ]] || fail "$SENTINEL_FILE: two replicas of redis"
[[ $(grep -c 'sentinel monitor tokens redis 6379 2' <<<"$resolved" || true) -ge 3 ]] ||
    fail "$SENTINEL_FILE: three sentinels monitor redis as 'tokens' with a quorum of 2"
ok "$SENTINEL_FILE: over $COMPOSE_FILE, two replicas, three sentinels, both nodes on sentinel with min-replicas 1"

# --- deploy/haproxy.cfg ------------------------------------------------------------------------

[[ -f $HAPROXY_CFG ]] || fail "$HAPROXY_CFG exists"
if ! out=$(haproxy -c -f "$HAPROXY_CFG" 2>&1); then
    fail "$HAPROXY_CFG: haproxy -c" "$out"
fi
# node1/node2 do not resolve outside the compose network; any other warning is a real one.
unexpected=$(grep -E '\[(WARNING|ALERT)\]' <<<"$out" | grep -vE "could not resolve address 'node[12]'" || true)
[[ -z $unexpected ]] || fail "$HAPROXY_CFG: haproxy -c warnings" "$unexpected"
ok "$HAPROXY_CFG: haproxy -c says the configuration is valid"

for server in node1 node2; do
    grep -qE "^[[:space:]]*server[[:space:]]+$server[[:space:]]+$server:8080" "$HAPROXY_CFG" ||
        fail "$HAPROXY_CFG: backend server $server:8080"
done
grep -qE '^[[:space:]]*option[[:space:]]+httpchk[[:space:]]+GET[[:space:]]+/q/health/ready' "$HAPROXY_CFG" ||
    fail "$HAPROXY_CFG: health check GET /q/health/ready"
# Without init-addr ... none, HAProxy refuses to start while a node name does not resolve yet.
grep -qE '^[[:space:]]*default-server[[:space:]].*init-addr[[:space:]]+[a-z,]*none' "$HAPROXY_CFG" ||
    fail "$HAPROXY_CFG: default-server init-addr ...,none"
ok "$HAPROXY_CFG: backend node1:8080 node2:8080, checked on /q/health/ready, init-addr ...,none"
[[ $(grep -cE '^[[:space:]]*http-request[[:space:]]+set-timeout[[:space:]]+server[[:space:]]+[6-9]m[[:space:]]+if[[:space:]]+\{ path /oauth/revocations \}' "$HAPROXY_CFG") -eq 2 ]] ||
    fail "$HAPROXY_CFG: both backends let the revocation feed run past auth.feed.max-connection (set-timeout server)"
ok "$HAPROXY_CFG: the revocation feed outlasts auth.feed.max-connection behind HAProxy"

# --- Dockerfiles -------------------------------------------------------------------------------

[[ -f $DOCKERFILE_JVM ]] || fail "$DOCKERFILE_JVM exists"
ok "$DOCKERFILE_JVM exists"
# The fast-jar layout written by ./mvnw package (quarkus.package.jar.type=fast-jar, the default).
for src in 'target/quarkus-app/lib/ /deployments/lib/' \
    'target/quarkus-app/\*\.jar target/quarkus-app/\*\.aot /deployments/' \
    'target/quarkus-app/app/ /deployments/app/' \
    'target/quarkus-app/quarkus/ /deployments/quarkus/'; do
    grep -qE "^COPY --chown=185 $src\$" "$DOCKERFILE_JVM" ||
        fail "$DOCKERFILE_JVM: COPY --chown=185 ${src//\\/}"
done
grep -qE '^COPY --chown=185 deploy/jvm\.options /deployments/jvm\.options$' "$DOCKERFILE_JVM" ||
    fail "$DOCKERFILE_JVM: COPY --chown=185 deploy/jvm.options /deployments/jvm.options"
grep -qE '^ENTRYPOINT .*@/deployments/jvm\.options.*-jar quarkus-run\.jar' "$DOCKERFILE_JVM" ||
    fail "$DOCKERFILE_JVM: ENTRYPOINT starts java @/deployments/jvm.options ... -jar quarkus-run.jar"
[[ -f deploy/jvm.options ]] || fail "deploy/jvm.options exists"
grep -qx '!deploy/jvm.options' "$DOCKERIGNORE" || fail "$DOCKERIGNORE lets deploy/jvm.options into the build context"
grep -qE '^USER 185$' "$DOCKERFILE_JVM" || fail "$DOCKERFILE_JVM: USER 185"
grep -qE '^EXPOSE 8080$' "$DOCKERFILE_JVM" || fail "$DOCKERFILE_JVM: EXPOSE 8080"
ok "$DOCKERFILE_JVM: copies target/quarkus-app/{lib/,*.jar,*.aot,app/,quarkus/} and deploy/jvm.options, starts java with them, USER 185, EXPOSE 8080"

if [[ -d target/quarkus-app ]]; then
    for p in target/quarkus-app/quarkus-run.jar target/quarkus-app/lib target/quarkus-app/app target/quarkus-app/quarkus; do
        [[ -e $p ]] || fail "$p exists (target/quarkus-app is there but incomplete; run ./mvnw package)"
    done
    ok "target/quarkus-app has quarkus-run.jar, lib/, app/, quarkus/"
else
    ok "target/quarkus-app not built yet (./mvnw package -DskipTests); layout check skipped"
fi

[[ -f $DOCKERFILE_NATIVE ]] || fail "$DOCKERFILE_NATIVE exists"
grep -qE '^COPY .*target/\*-runner /work/application$' "$DOCKERFILE_NATIVE" ||
    fail "$DOCKERFILE_NATIVE: COPY target/*-runner /work/application"
grep -qE '^USER 1001$' "$DOCKERFILE_NATIVE" || fail "$DOCKERFILE_NATIVE: USER 1001"
grep -qE '^EXPOSE 8080$' "$DOCKERFILE_NATIVE" || fail "$DOCKERFILE_NATIVE: EXPOSE 8080"
ok "$DOCKERFILE_NATIVE: copies target/*-runner to /work/application, USER 1001, EXPOSE 8080"

# --- .dockerignore -----------------------------------------------------------------------------
# Evaluated like Docker does: the last pattern that matches a path or one of its parent
# directories decides; '!' re-includes; '*' and '?' do not cross '/', '**' does.

[[ -f $DOCKERIGNORE ]] || fail "$DOCKERIGNORE exists"
mapfile -t ignore_lines <"$DOCKERIGNORE"

glob_to_regex() { # pattern -> extended regex for the whole path
    local p=$1 out='' c i
    for ((i = 0; i < ${#p}; i++)); do
        c=${p:i:1}
        if [[ $c == '*' && ${p:i+1:1} == '*' ]]; then
            out+='.*'
            i=$((i + 1))
            [[ ${p:i+1:1} == / ]] && { out+='/?'; i=$((i + 1)); }
        elif [[ $c == '*' ]]; then
            out+='[^/]*'
        elif [[ $c == '?' ]]; then
            out+='[^/]'
        else
            case $c in
                '.' | '^' | '$' | '+' | '(' | ')' | '{' | '}' | '|' | '[' | ']' | '\') out+="\\$c" ;;
                *) out+=$c ;;
            esac
        fi
    done
    printf '^%s$' "$out"
}

sent_to_build() { # path -> 0 when it reaches the build context
    local path=$1 excluded=0 line pat neg re prefix
    for line in "${ignore_lines[@]}"; do
        line=${line%$'\r'}
        line=$(sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' <<<"$line")
        [[ -z $line || $line == \#* ]] && continue
        neg=0
        if [[ $line == !* ]]; then neg=1; line=${line#!}; fi
        pat=${line#/}
        pat=${pat%/}
        re=$(glob_to_regex "$pat")
        prefix=$path
        while :; do
            if [[ $prefix =~ $re ]]; then
                excluded=$((1 - neg))
                break
            fi
            [[ $prefix == */* ]] || break
            prefix=${prefix%/*}
        done
    done
    [[ $excluded -eq 0 ]]
}

for p in target/quarkus-app/quarkus-run.jar \
    target/quarkus-app/lib/main/org.postgresql.postgresql.jar \
    target/quarkus-app/lib/boot/io.quarkus.quarkus-bootstrap-runner.jar \
    target/quarkus-app/app/token-service-1.0.0-SNAPSHOT.jar \
    target/quarkus-app/quarkus/quarkus-application.dat \
    target/quarkus-app/quarkus/generated-bytecode.jar; do
    sent_to_build "$p" || fail "$DOCKERIGNORE lets $p into the build context"
done
ok "$DOCKERIGNORE lets target/quarkus-app/** into the build context"
sent_to_build target/token-service-1.0.0-SNAPSHOT-runner ||
    fail "$DOCKERIGNORE lets target/*-runner into the build context"
ok "$DOCKERIGNORE lets target/*-runner into the build context"
if sent_to_build src/main/java/Secret.java || sent_to_build target/classes/application.properties; then
    fail "$DOCKERIGNORE keeps sources and target/classes out of the build context"
fi
ok "$DOCKERIGNORE keeps sources and target/classes out of the build context"

echo "all deployment checks passed"
