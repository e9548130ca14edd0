#!/usr/bin/env bash
# Starts the token service on the local PostgreSQL and Redis, building it first.
# Extra arguments are passed to the JVM, e.g. -Dauth.admin.username=admin -Dauth.admin.password=...
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/services.sh
source scripts/local-key.sh
./mvnw -B -q package -DskipTests
exec java "$@" -jar target/quarkus-app/quarkus-run.jar
