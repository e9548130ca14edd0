#!/usr/bin/env bash
# Prints the options src/main/docker/Dockerfile.native starts the native executable with (its CMD, less the
# executable and the listening address), so the smoke test and the benchmarks start it as the image does.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 - <<'PY'
import json, re
text = open("src/main/docker/Dockerfile.native").read()
command = json.loads(re.search(r"(?m)^CMD (\[.*\])$", text).group(1))
print(" ".join(a for a in command[1:] if not a.startswith("-Dquarkus.http.host=")))
PY
