#!/usr/bin/env bash
# Heap of the revocation mirror with a million live revocations.
#   bench/mirror-memory.sh [COUNT]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d target/test-classes/dev/tokenservice/bench ] || ./mvnw -B -q test-compile
${JAVA:-java} -Xmx1g -cp target/classes:target/test-classes dev.tokenservice.bench.MirrorMemoryBench "${1:-1000000}"
