#!/usr/bin/env bash
# Revocation propagation between two nodes of the local cluster, over TRIALS trials (default 1000).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/cluster.sh up
trap 'scripts/cluster.sh down' EXIT
python3 bench/propagation.py --a http://127.0.0.1:8081 --b http://127.0.0.1:8082 --trials "${TRIALS:-1000}"
