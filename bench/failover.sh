#!/usr/bin/env bash
# Redis Sentinel failover, over RUNS runs (default 3) of SentinelIT: one master, two replicas, three sentinels
# and two nodes under logouts; kill -9 of the master, then a failover of a live master. Prints per run the time
# from the kill to the promotion, to the first 200 with a valid token on each node and to the first acknowledged
# logout, and the revocations acknowledged around the failovers that Redis no longer held. Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/services.sh
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests
for run in $(seq 1 "${RUNS:-3}"); do
    echo "run $run"
    ./mvnw -B verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=SentinelIT 2>&1 |
        grep -E '^(Sentinel failover|  (node|kill|logouts|acknowledged|then SENTINEL))' || {
        echo "run $run failed: see target/failsafe-reports" >&2
        exit 1
    }
done
