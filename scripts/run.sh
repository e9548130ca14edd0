#!/usr/bin/env bash
# Starts the token service on the local PostgreSQL and Redis, building it when the sources changed, the way the container image
# starts it: deploy/jvm.options, on Temurin 25 when installed with the AOT cache of this build (made by
# scripts/aot-cache.sh on the first start after a build). JAVA=... picks another JVM.
# Extra arguments are passed to the JVM, e.g. -Dauth.admin.username=admin -Dauth.admin.password=...
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/services.sh
source scripts/local-key.sh
jar=target/quarkus-app/quarkus-run.jar
if [ ! -f "$jar" ] || [ -n "$(find src pom.xml -newer "$jar" -print -quit)" ]; then
    ./mvnw -B -q package -DskipTests
fi
source scripts/java.sh
if [ "$(java_feature_version)" -ge 25 ] 2>/dev/null && ! [ target/quarkus-app/app.aot -nt target/quarkus-app/quarkus-run.jar ]; then
    JAVA=$JAVA scripts/aot-cache.sh
    source scripts/java.sh
fi
# shellcheck disable=SC2086
exec "$JAVA" $JVM_OPTS "$@" -jar target/quarkus-app/quarkus-run.jar
